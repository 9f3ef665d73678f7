"""Which integrated care boards are in force, for the forms that offer a choice of ICBs."""

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from core20.places.models import ICB, LSOAHealthMembership


def current_icbs(when: date | None = None) -> QuerySet[ICB]:
    """ICBs in force on ``when`` (today): those with LSOAs on the newest LSOA boundaries in
    force then. An ICB that was re-coded (Surrey Heartlands and Sussex in April 2024) keeps
    its old code's memberships, which have ended or are on older boundaries, so only its new
    code is current. ICBs with no memberships loaded at all are kept: nothing says they ended.
    """
    when = when or timezone.localdate()
    in_force = LSOAHealthMembership.objects.on(when)
    newest = in_force.order_by("-lsoa__vintage").values("lsoa__vintage")[:1]
    return ICB.objects.filter(
        Exists(in_force.filter(icb=OuterRef("pk"), lsoa__vintage=Subquery(newest)))
        | ~Exists(LSOAHealthMembership.objects.filter(icb=OuterRef("pk")))
    )
