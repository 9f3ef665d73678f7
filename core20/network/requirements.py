"""What a site requires before a connector can be active, and what a connector is missing.

A site that has saved its own ``SiteRequirements`` requires exactly those checks and
modules. A site that has not requires the national defaults: every national check type and
module marked ``required_by_default``, plus its own items marked so.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core20.dates import add_months
from core20.network.models import (
    CheckType,
    Connector,
    SiteRequirements,
    TrainingCompletion,
    TrainingModule,
)
from core20.programme.models import Site


def check_types_for(site: Site) -> QuerySet[CheckType]:
    """Every check type a site can use: the national ones and its own."""
    return CheckType.objects.filter(Q(site__isnull=True) | Q(site=site))


def modules_for(site: Site) -> QuerySet[TrainingModule]:
    """Every module a site's connectors can take: the national ones and the site's own."""
    return TrainingModule.objects.filter(Q(site__isnull=True) | Q(site=site))


def _saved(site: Site) -> SiteRequirements | None:
    return SiteRequirements.objects.filter(site=site).first()


def required_checks(site: Site) -> list[CheckType]:
    saved = _saved(site)
    if saved is not None:
        return list(saved.checks.order_by("position", "name"))
    return list(check_types_for(site).filter(required_by_default=True))


def required_modules(site: Site) -> list[TrainingModule]:
    return required_modules_by_site([site.pk])[site.pk]


def required_modules_by_site(site_ids: Iterable[int]) -> dict[int, list[TrainingModule]]:
    """The training modules each site requires, by site id: those it saved, or else the
    national and its own modules marked required by default. A fixed number of queries however
    many sites (for a person who connects at several); ``required_modules`` for one."""
    site_ids = set(site_ids)
    saved = SiteRequirements.objects.filter(site_id__in=site_ids).prefetch_related(
        Prefetch("modules", queryset=TrainingModule.objects.order_by("position", "title"))
    )
    required = {s.site_id: list(s.modules.all()) for s in saved}
    unsaved = site_ids - required.keys()
    if unsaved:
        defaults = list(
            TrainingModule.objects.filter(
                Q(site__isnull=True) | Q(site_id__in=unsaved), required_by_default=True
            )
        )
        for site_id in unsaved:
            required[site_id] = [m for m in defaults if m.site_id in (None, site_id)]
    return required


def expiry(completed_on: date | None, valid_for_months: int | None) -> date | None:
    """When something done on ``completed_on`` runs out (None: it does not)."""
    if completed_on is None or not valid_for_months:
        return None
    return add_months(completed_on, valid_for_months)


def replaced() -> Exists:
    """For a completion in a query: whether a later completion of the same module by the
    same connector replaces it. Of two on the same day, the one recorded later counts (as in
    ``latest_completions``)."""
    return Exists(
        TrainingCompletion.objects.filter(
            Q(completed_on__gt=OuterRef("completed_on"))
            | Q(completed_on=OuterRef("completed_on"), pk__gt=OuterRef("pk")),
            connector=OuterRef("connector"),
            module=OuterRef("module"),
        )
    )


def latest_completions(connector: Connector) -> dict[int, TrainingCompletion]:
    """The latest completion of each module (renewals replace earlier ones). Sorted here,
    not by the database, so that prefetched completions need no query."""
    latest: dict[int, TrainingCompletion] = {}
    completions = connector.training_completions.all()
    for completion in sorted(completions, key=lambda c: (c.completed_on, c.pk)):
        latest[completion.module_id] = completion
    return latest


@dataclass
class Readiness:
    """What stands between a connector and being active."""

    missing_checks: list[str] = field(default_factory=list)
    missing_modules: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing_checks and not self.missing_modules

    @property
    def message(self) -> str:
        parts = []
        if self.missing_checks:
            parts.append("checks not clear or out of date: " + ", ".join(self.missing_checks))
        if self.missing_modules:
            parts.append("training not done or expired: " + ", ".join(self.missing_modules))
        return "This connector cannot be made active yet. Still needed – " + "; ".join(parts)


def readiness(
    connector: Connector,
    today: date | None = None,
    *,
    checks: list[CheckType] | None = None,
    modules: list[TrainingModule] | None = None,
) -> Readiness:
    """What the connector still needs. ``checks`` and ``modules``: the site's required ones
    (``required_checks``, ``required_modules``) where the caller has them already, so that
    they are not looked up again. The connector's own checks and completions are read
    through ``connector.checks.all()`` and ``latest_completions``, so a caller that has
    prefetched them (the connector page) pays no query for them here."""
    today = today or timezone.localdate()
    result = Readiness()
    done = {c.check_type_id: c for c in connector.checks.all()}
    for check_type in required_checks(connector.site) if checks is None else checks:
        check = done.get(check_type.pk)
        if check is None or not check.is_satisfied(today):
            result.missing_checks.append(check_type.name)
    latest = latest_completions(connector)
    for module in required_modules(connector.site) if modules is None else modules:
        completion = latest.get(module.pk)
        if completion is None or not completion.is_current(today):
            result.missing_modules.append(module.title)
    return result
