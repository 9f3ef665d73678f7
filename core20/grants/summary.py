"""The panel's scores for an application, summarised: per criterion and for the total
(the sum of a member's criterion scores), the number of scores, the mean, the lowest, the
highest and the spread (highest − lowest). Members who declared a conflict do not score
and are counted separately. Works on prefetched assessments and scores (no queries)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core20.grants.models import Application, Criterion


@dataclass(frozen=True)
class Figures:
    count: int
    mean: Decimal | None  # to 2 decimal places
    lowest: int | None
    highest: int | None

    @property
    def spread(self) -> int | None:
        return None if self.count == 0 else self.highest - self.lowest

    @classmethod
    def of(cls, values: list[int]) -> "Figures":
        if not values:
            return cls(0, None, None, None)
        mean = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return cls(len(values), mean, min(values), max(values))


@dataclass(frozen=True)
class ScoreSummary:
    criteria: list[tuple[Criterion, Figures]]
    total: Figures
    max_total: int
    conflicts: int
    members: list  # (assessment, {criterion id: score}, total or None)


def summarise(application: Application, criteria: list[Criterion]) -> ScoreSummary:
    members = []
    per_criterion: dict[int, list[int]] = {c.pk: [] for c in criteria}
    totals = []
    conflicts = 0
    for assessment in application.assessments.all():
        if assessment.has_conflict:
            conflicts += 1
            members.append((assessment, {}, None))
            continue
        scores = {s.criterion_id: s.score for s in assessment.scores.all()}
        for criterion_id, value in scores.items():
            per_criterion.setdefault(criterion_id, []).append(value)
        total = sum(scores.values())
        totals.append(total)
        members.append((assessment, scores, total))
    return ScoreSummary(
        criteria=[(c, Figures.of(per_criterion[c.pk])) for c in criteria],
        total=Figures.of(totals),
        max_total=sum(c.max_score for c in criteria),
        conflicts=conflicts,
        members=members,
    )
