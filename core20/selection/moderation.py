"""Moderation figures: what the panel's scores say about each application.

For each submitted application and each panel member: their score per criterion and their
weighted total (the sum over criteria of weight × score). Across the members who scored
it: per criterion and for the weighted total, the mean, the lowest and highest (the
spread is highest − lowest) and the standard deviation. The standard deviation is the
population one (divide by the number of scores, not one fewer): it describes this panel's
scores, not a sample of possible panels, and is 0 for a single score.

An application is flagged for discussion when, on any criterion, the spread reaches the
call's ``disagreement_threshold`` (2 points unless the call says otherwise).

``moderate(call)`` loads everything in a fixed number of queries, whatever the number of
applications, members and criteria.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from core20.selection.models import (
    Application,
    Call,
    ConflictDeclaration,
    Criterion,
    PanelAppointment,
    Review,
    Score,
)


@dataclass(frozen=True)
class Spread:
    """Summary figures for a list of numbers (empty when nobody has scored)."""

    values: tuple
    count: int
    mean: float | None
    minimum: Decimal | int | None
    maximum: Decimal | int | None
    range: Decimal | int | None
    sd: float | None

    @classmethod
    def of(cls, values) -> "Spread":
        values = tuple(values)
        if not values:
            return cls(values, 0, None, None, None, None, None)
        n = len(values)
        mean = math.fsum(float(v) for v in values) / n
        variance = math.fsum((float(v) - mean) ** 2 for v in values) / n
        low, high = min(values), max(values)
        return cls(values, n, mean, low, high, high - low, math.sqrt(variance))


@dataclass
class MemberRow:
    """One panel member's part in one application."""

    appointment: PanelAppointment
    declaration: ConflictDeclaration | None = None
    review: Review | None = None
    scores: dict = field(default_factory=dict)  # criterion id -> Score
    total: Decimal | None = None

    @property
    def conflicted(self) -> bool:
        return self.declaration is not None and self.declaration.has_conflict

    @property
    def state(self) -> str:
        if self.conflicted:
            return "Conflict of interest"
        if self.review is not None:
            return "Scored"
        if self.declaration is not None:
            return "Declared no conflict, not scored yet"
        return "Not started"

    cells: list = field(default_factory=list)  # [(criterion, Score or None)] in order

    @property
    def has_comments(self) -> bool:
        if self.review is None:
            return False
        return bool(self.review.comments) or any(s.comment for _, s in self.cells if s)


@dataclass
class CriterionFigures:
    criterion: Criterion
    spread: Spread
    flagged: bool


@dataclass
class ApplicationFigures:
    application: Application
    members: list[MemberRow]
    criteria: list[CriterionFigures]
    total: Spread
    max_total: Decimal

    @property
    def flagged(self) -> bool:
        return any(c.flagged for c in self.criteria)

    @property
    def flagged_criteria(self) -> list[Criterion]:
        return [c.criterion for c in self.criteria if c.flagged]

    @property
    def scored(self) -> list[MemberRow]:
        return [m for m in self.members if m.review is not None]

    @property
    def conflicts(self) -> list[MemberRow]:
        return [m for m in self.members if m.conflicted]


def weighted_total(scores: dict, criteria) -> Decimal:
    """Sum of weight × score over the criteria (scores: criterion id -> Score)."""
    return sum((c.weight * scores[c.pk].score for c in criteria if c.pk in scores), Decimal(0))


def figures_for(
    application: Application,
    criteria: list[Criterion],
    appointments: list[PanelAppointment],
    threshold: Decimal,
) -> ApplicationFigures:
    """The figures for one application whose reviews (with scores) and declarations are
    already loaded (prefetched)."""
    reviews = {r.appointment_id: r for r in application.reviews.all()}
    declarations = {d.appointment_id: d for d in application.declarations.all()}
    members = []
    for appointment in appointments:
        row = MemberRow(
            appointment=appointment,
            declaration=declarations.get(appointment.pk),
            review=reviews.get(appointment.pk),
        )
        if row.review is not None:
            row.scores = {s.criterion_id: s for s in row.review.scores.all()}
            row.total = weighted_total(row.scores, criteria)
            row.cells = [(c, row.scores.get(c.pk)) for c in criteria]
        members.append(row)
    scored = [m for m in members if m.review is not None]
    per_criterion = []
    for criterion in criteria:
        spread = Spread.of(m.scores[criterion.pk].score for m in scored if criterion.pk in m.scores)
        flagged = spread.count >= 2 and spread.range >= threshold
        per_criterion.append(CriterionFigures(criterion, spread, flagged))
    return ApplicationFigures(
        application=application,
        members=members,
        criteria=per_criterion,
        total=Spread.of(m.total for m in scored),
        max_total=sum((c.weight * c.max_score for c in criteria), Decimal(0)),
    )


def reviewed_applications(call: Call):
    """The call's submitted applications with everything moderation needs prefetched."""
    return (
        Application.objects.filter(call=call)
        .exclude(status=Application.Status.DRAFT)
        .select_related("applicant", "site")
        .prefetch_related(
            Prefetch(
                "reviews",
                Review.objects.prefetch_related(
                    Prefetch("scores", Score.objects.order_by())
                ).order_by("pk"),
            ),
            Prefetch("declarations", ConflictDeclaration.objects.order_by("pk")),
        )
        .order_by("submitted_at", "pk")
    )


def application_figures(application: Application) -> ApplicationFigures:
    """The figures for one submitted application (its review page, the decision pages), in
    a fixed number of queries whatever the size of the panel."""
    call = application.call
    return figures_for(
        reviewed_applications(call).get(pk=application.pk),
        list(call.criteria.all()),
        list(call.appointments.select_related("user")),
        call.disagreement_threshold,
    )


def moderate(call: Call, applications=None) -> list[ApplicationFigures]:
    """Figures for each submitted application, highest mean weighted total first
    (applications nobody has scored yet last)."""
    criteria = list(call.criteria.all())
    appointments = list(call.appointments.select_related("user"))
    if applications is None:
        applications = reviewed_applications(call)
    figures = [
        figures_for(application, criteria, appointments, call.disagreement_threshold)
        for application in applications
    ]
    figures.sort(key=lambda f: (f.total.mean is None, -(f.total.mean or 0)))
    return figures
