"""Which integrated care boards are in force, for the forms that offer a choice of ICBs."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core20.places.models import ICB, LSOAHealthMembership
from core20.web.forms import grouped_choices


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
    return marked_icbs(when, current=current).filter(
        Q(pk__in=current.values("pk")) | Q(pk__in=keep)
    )


def marked_icbs(when: date | None = None, *, current: QuerySet[ICB] | None = None) -> QuerySet[ICB]:
    """All ICBs, each annotated ``is_current`` (in force on ``when``, today): for a page that
    lists a record's ICBs and marks those no longer in use, in the one query that fetches them
    (use it as the queryset of a ``Prefetch``)."""
    current = current if current is not None else current_icbs(when)
    return ICB.objects.annotate(is_current=Exists(current.filter(pk=OuterRef("pk"))))


def icb_label(icb: ICB, *, full_name: bool = False) -> str:
    """An ICB's short name (or its full name); one no longer in use says so, with its code (a
    re-coded ICB keeps its name, so the code tells the old from the new). An ICB not annotated
    with ``is_current`` is taken to be current."""
    name = icb.name if full_name else icb.short_name
    if getattr(icb, "is_current", True):
        return name
    return f"{name} ({icb.code}): no longer in use"


def offer_icbs(field, *, held, hint: str) -> None:
    """Set a form's ICB checkboxes: the ICBs in force today and any the record already
    ``held`` (so that saving does not drop one re-coded or merged since: it stays ticked and
    labelled, see ``icb_label``), grouped by region; where one is no longer in use, ``hint``
    (what to do about it) is added to the field's hint."""
    icbs = icbs_to_offer(keep=held).select_related("region").order_by("region__name", "name")
    field.queryset = icbs
    field.choices = grouped_choices(icbs, lambda icb: f"{icb.region.name} region", icb_label)
    if not all(icb.is_current for icb in icbs):
        field.help_text = f"{field.help_text}. {hint}"
