"""Every site at a glance, for the national team: return status, data freshness, funding
and the figures sites report, grouped by NHS region or wave.

``build(sites, ...)`` reads everything in a fixed number of queries (sites and their
regions, templates and their figure questions, returns, funding, and the latest audit
event per site), however many sites there are.

Rules, in words (the page repeats them):

- **Overdue**: a return past its due date that is still a draft or returned for changes;
  or no return at all for the last quarter whose return was due, for a site that is
  selected, an associate or active, in a wave that had a return template by then (the
  template's creation date in local time, as the home page counts it).
- **Last update**: the latest of the last change to any return, the last spend report
  and the last audited change concerning the site (which covers every capability that
  records its changes). Only audit events that change something count (``CHANGE_VERBS``):
  exports, downloads, sign-ins, API tokens and role grants say nothing about the site's
  work, so they do not keep a site from going stale.
- **Stale**: no update for more than ``stale_days`` days (settings.OVERSIGHT_STALE_DAYS,
  90 unless set; the page's filter can change it), or never.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.oversight import funding as funds
from core20.oversight import periods, prefill
from core20.oversight.answers import display
from core20.oversight.models import QuarterlyReturn, ReturnQuestion, ReturnTemplate
from core20.places.models import Region
from core20.programme.models import Site

EXPECTED_STATUSES = (Site.Status.SELECTED, Site.Status.ASSOCIATE, Site.Status.ACTIVE)
REPORTED = (QuarterlyReturn.Status.SUBMITTED, QuarterlyReturn.Status.ACCEPTED)

Verb = AuditEvent.Verb
# Audit verbs that record a change to the site's records, and so count as an update. Left
# out: EXPORT (exports and downloads), SIGN_IN, SIGN_OUT, SIGN_IN_FAILED, TWO_FACTOR_ENROL,
# TWO_FACTOR_RESET, PASSWORD_RESET, PASSWORD_CHANGE, TOKEN_CREATE, TOKEN_REVOKE (accounts and
# access, not the site's work) and GRANT, REVOKE (who may use the site, usually set by the
# national team). Places records its changes to target areas under verbs of its own
# (core20.places.target_areas).
CHANGE_VERBS = (
    Verb.CREATE,
    Verb.UPDATE,
    Verb.DELETE,
    Verb.IMPORT,
    Verb.SUBMIT,
    Verb.DECIDE,
    Verb.APPROVE,
    Verb.REJECT,
    Verb.STATUS,
    Verb.PUBLISH,
    Verb.ROUTE,
    Verb.RESPOND,
    "places.target_areas.add",
    "places.target_areas.remove",
    "places.site_edition.change",
)


def default_stale_days() -> int:
    return settings.OVERSIGHT_STALE_DAYS


@dataclass
class Column:
    key: str
    label: str
    kind: str
    source: str  # "return" (a figure from the latest reported return) or "platform"


@dataclass
class SiteRow:
    site: Site
    regions: list
    latest_return: QuarterlyReturn | None = None
    latest_reported: QuarterlyReturn | None = None
    overdue: bool = False
    overdue_reason: str = ""
    last_return_at: object = None
    last_spend_at: object = None
    last_audit_at: object = None
    funding: funds.YearFunding | None = None
    figures: dict = field(default_factory=dict)  # column key -> display text
    stale: bool = True

    @property
    def last_update(self):
        moments = [m for m in (self.last_return_at, self.last_spend_at, self.last_audit_at) if m]
        return max(moments) if moments else None

    figure_keys: list = field(default_factory=list)

    @property
    def figure_list(self) -> list[str]:
        """The figures in column order, for the template."""
        return [self.figures.get(key, "") for key in self.figure_keys]

    @property
    def allocated(self):
        return self.funding.allocated if self.funding else funds.ZERO

    @property
    def spent(self):
        return self.funding.spent if self.funding else funds.ZERO

    @property
    def percent_spent(self):
        return self.funding.percent_spent if self.funding else None


@dataclass
class Group:
    label: str
    rows: list

    @property
    def summary(self) -> str:
        return summary_text(self.rows)


@dataclass
class Overview:
    rows: list[SiteRow]
    groups: list[Group]
    columns: list[Column]
    financial_year: int
    stale_days: int
    today: date

    @property
    def summary(self) -> str:
        return summary_text(self.rows, financial_year=self.financial_year)

    @property
    def totals(self) -> funds.Totals:
        return funds.totals(r.funding for r in self.rows if r.funding)


def summary_text(rows: list[SiteRow], financial_year: int | None = None) -> str:
    n = len(rows)
    if not n:
        return "No sites."
    overdue = sum(1 for r in rows if r.overdue)
    stale = sum(1 for r in rows if r.stale)
    awaiting = sum(
        1
        for r in rows
        if r.latest_return and r.latest_return.status == QuarterlyReturn.Status.SUBMITTED
    )
    parts = [
        f"{n} site{'s' if n != 1 else ''}.",
        f"{overdue} with an overdue return." if overdue else "No overdue returns.",
        f"{awaiting} return{'s' if awaiting != 1 else ''} awaiting review." if awaiting else "",
        f"{stale} site{'s' if stale != 1 else ''} with stale data." if stale else "",
    ]
    money = funds.totals(r.funding for r in rows if r.funding)
    year = f" for {periods.year_label(financial_year)}" if financial_year else ""
    if money.allocated or money.spent:
        spent = (
            f" ({money.percent_spent}% of the allocation)"
            if money.percent_spent is not None
            else ""
        )
        parts.append(
            f"{funds.money(money.allocated)} allocated{year}, "
            f"{funds.money(money.spent)} spent{spent}."
        )
    else:
        parts.append(f"No funding recorded{year}.")
    return " ".join(p for p in parts if p)


def _overdue(site, returns, template, today) -> tuple[bool, str]:
    for qreturn in returns:
        if qreturn.is_overdue(today):
            return True, (
                f"The {qreturn.period_label} return was due on {periods.long_date(qreturn.due_on)} "
                f"and is {qreturn.get_status_display().lower()}"
            )
    if site.status not in EXPECTED_STATUSES or template is None:
        return False, ""
    year, quarter = periods.last_due_quarter(today)
    due = periods.default_due_date(year, quarter)
    # The local date, as the home page's count of returns to submit (an ``__date`` lookup in
    # the current time zone) reads it: 23:30 UTC in summer is the next day in London.
    if timezone.localdate(template.created_at) > due:
        return False, ""
    if any(r.financial_year == year and r.quarter == quarter for r in returns):
        return False, ""
    return True, (
        f"No return for {periods.quarter_label(year, quarter)}, which was due on "
        f"{periods.long_date(due)}"
    )


def build(
    sites,
    *,
    financial_year: int | None = None,
    stale_days: int | None = None,
    group: str = "region",
    today: date | None = None,
) -> Overview:
    today = today or periods.today()
    financial_year = financial_year or periods.financial_year_of(today)
    stale_days = stale_days or default_stale_days()
    sites = list(
        sites.select_related("wave").prefetch_related(
            Prefetch("regions", Region.objects.order_by("name"))
        )
    )
    ids = [s.pk for s in sites]
    wave_ids = {s.wave_id for s in sites}

    templates = {t.wave_id: t for t in ReturnTemplate.objects.filter(wave_id__in=wave_ids)}
    questions = (
        ReturnQuestion.objects.filter(template__in=templates.values(), active=True)
        .exclude(kind=ReturnQuestion.Kind.NARRATIVE)
        .select_related("section", "template__wave")
        .order_by("template__wave__number", "section__position", "position", "pk")
    )
    columns: dict[str, Column] = {}
    for question in questions:
        columns.setdefault(
            question.key, Column(question.key, question.short_label, question.kind, "return")
        )
    platform = prefill.output_columns()
    for figure in platform:
        columns.setdefault(
            f"platform:{figure.key}",
            Column(
                f"platform:{figure.key}",
                figure.column_label or figure.label,
                figure.kind,
                "platform",
            ),
        )

    returns_by_site: dict[int, list[QuarterlyReturn]] = defaultdict(list)
    for qreturn in QuarterlyReturn.objects.filter(site_id__in=ids).order_by(
        "-financial_year", "-quarter"
    ):
        returns_by_site[qreturn.site_id].append(qreturn)

    money = funds.funding_by_site(ids, financial_year)
    spend_at = funds.last_spend_reports(ids)
    audit_at = {
        row["site_id"]: row["last"]
        for row in AuditEvent.objects.filter(site_id__in=ids, verb__in=CHANGE_VERBS)
        .values("site_id")
        .annotate(last=Max("created_at"))
        .order_by()
    }
    shared: dict = {}  # figures drawn from one query run it once
    platform_values = {f.key: f.bulk(ids, financial_year, shared) for f in platform}

    stale_before = timezone.now() - timedelta(days=stale_days)
    rows = []
    for site in sites:
        returns = returns_by_site.get(site.pk, [])
        row = SiteRow(site=site, regions=list(site.regions.all()))
        row.latest_return = returns[0] if returns else None
        row.latest_reported = next((r for r in returns if r.status in REPORTED), None)
        row.overdue, row.overdue_reason = _overdue(
            site, returns, templates.get(site.wave_id), today
        )
        row.last_return_at = max((r.updated_at for r in returns), default=None)
        row.last_spend_at = spend_at.get(site.pk)
        row.last_audit_at = audit_at.get(site.pk)
        row.stale = row.last_update is None or row.last_update < stale_before
        row.funding = money.get(site.pk)
        row.figure_keys = list(columns)
        for key, column in columns.items():
            if column.source == "return":
                value = row.latest_reported.answers.get(key) if row.latest_reported else None
            else:
                value = platform_values[key.removeprefix("platform:")].get(site.pk)
            row.figures[key] = display(column.kind, value)
        rows.append(row)

    return Overview(
        rows=rows,
        groups=_group(rows, group),
        columns=list(columns.values()),
        financial_year=financial_year,
        stale_days=stale_days,
        today=today,
    )


def _group(rows: list[SiteRow], how: str) -> list[Group]:
    if how == "none":
        return [Group("All sites", rows)]
    groups: dict[str, list[SiteRow]] = defaultdict(list)
    order: dict[str, tuple] = {}
    for row in rows:
        if how == "wave":
            label = row.site.wave.name
            groups[label].append(row)
            order[label] = (row.site.wave.number, label)
            continue
        for region in row.regions or [None]:
            label = region.name if region else "No NHS region"
            groups[label].append(row)
            order[label] = (region is None, label)
    return [Group(label, groups[label]) for label in sorted(groups, key=lambda k: order[k])]
