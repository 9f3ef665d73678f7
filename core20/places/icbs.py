"""Which integrated care boards are in force, for the forms that offer a choice of ICBs."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
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


def icbs_to_offer(
    keep: QuerySet[ICB] | Iterable[int] = (), when: date | None = None
) -> QuerySet[ICB]:
    """The ICBs a form offers: those in force on ``when`` (today) and those in ``keep`` (ICBs,
    or their ids, that the record being edited already has), so that saving the record does
    not drop an ICB that has since been re-coded or merged. Each is annotated ``is_current``,
    so that the form can say which are no longer in use."""
    current = current_icbs(when)
    return ICB.objects.filter(Q(pk__in=current.values("pk")) | Q(pk__in=keep)).annotate(
        is_current=Exists(current.filter(pk=OuterRef("pk")))
    )
