"""Connectors' personal data: a copy of everything held about one connector, and erasure,
on request or at the end of the retention period.

What erasure keeps and removes (docs/privacy.md):

- kept, anonymised: the connector record itself (site, host, role type, communities, the
  dates they joined and left and their stages), so that the programme's counts stay right;
  checks and training as types and dates; hours, expense claims, receipts and payments, which
  finance must keep (their free-text notes about the person are cleared; receipt files go
  at the end of their own retention period, core20.hours.personal_data); the activities and
  insights they recorded at the site, as community evidence no longer linked to them;
- removed: name, contact details, what they told us (motivation, skills, interests,
  availability, languages, wards), lived experience, check references and notes, training
  evidence, the reasons given for stage changes, confidential support notes, wellbeing flags,
  development goals and pathway notes. Their account, if they have one and hold no other
  role, is anonymised too (core20.accounts.actions.erase_account).

The audit log is not rewritten: its events keep the name the connector had when each event
was recorded, as the programme's record of what was done (events never hold contact
details, lived experience or confidential notes: see core20.network.actions).
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core20.accounts import actions as account_actions
from core20.accounts.roles import Connector as ConnectorRole
from core20.audit.models import AuditEvent
from core20.audit.recording import plain, record
from core20.dates import add_months
from core20.engagement.models import Activity
from core20.hours.models import ExpenseClaim, Payment, Receipt
from core20.insights.models import Insight, Routing
from core20.insights.personal_data import forget_recorder
from core20.network.models import (
    Check,
    Connector,
    PathwayStep,
    StatusChange,
    TrainingCompletion,
)
from core20.web.retention import Rule

Status = Connector.Status
# Stages in which someone is still working with the programme: they must leave first.
STILL_WORKING = (Status.CHECKS, Status.TRAINING, Status.ACTIVE, Status.PAUSED)
NEVER_WENT_FURTHER = (Status.INTERESTED, Status.CONVERSATION)
UNSETTLED_CLAIMS = (ExpenseClaim.Status.SUBMITTED, ExpenseClaim.Status.APPROVED)


def erased_name(connector: Connector) -> str:
    return f"Former connector {connector.pk}"


# ---- a copy of what is held ----

DETAIL_FIELDS = (
    "name", "email", "phone", "site", "host_organisation", "role_type", "status",
    "status_changed_at", "source", "skills", "interests", "motivation", "availability",
    "started_on", "created_at", "lived_experience_consent", "lived_experience_consent_at",
    "lived_experience", "erased_at",
)  # fmt: skip
CLAIM_FIELDS = (
    "title", "status", "total", "created_at", "submitted_at", "decided_at",
    "rejection_reason", "paid_on",
)  # fmt: skip
CLAIM_ITEM_FIELDS = ("date", "description", "amount")
# What they recorded: the activities they recorded at the site (or that were recorded for
# their record there) and the insights they raised there, with where each was sent.
ACTIVITY_FIELDS = ("date", "kind", "venue", "place", "people_reached", "notes")
INSIGHT_FIELDS = ("kind", "summary", "raised_at")
PAYMENT_FIELDS = (
    "amount", "period_start", "period_end", "paid_on", "method", "reference",
    "benefits_considerations",
)  # fmt: skip


def _value(value):
    """As the audit log writes values, but times in local time, as the person saw them."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return plain(value)


def _row(instance: models.Model, fields: Iterable[str]) -> dict:
    """Named fields as plain values, choices as their labels."""
    out = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if getattr(field, "choices", None):
            out[name] = getattr(instance, f"get_{name}_display")()
        else:
            out[name] = _value(getattr(instance, name))
    return out


def _receipt(receipt: Receipt) -> str:
    """Its name, or for a receipt whose file went at the end of its retention period (and
    its name with it), when that was."""
    if receipt.removed_at is not None:
        return f"Receipt removed on {timezone.localtime(receipt.removed_at):%-d %B %Y}"
    return receipt.name


def personal_data(connector: Connector, *, confidential: bool) -> dict:
    """Everything held about a connector, for a copy they asked for. ``confidential`` adds
    the host coordinators' supervision notes and wellbeing flags (a formal request handled by
    the host coordinator, who decides what to release)."""
    (data,) = personal_data_of([connector], confidential=confidential)
    return data


def _held(ids: list[int], *, confidential: bool) -> dict[int, Connector]:
    """The connectors with everything held about them, by id: one query per table for all of
    them, each in the order a copy lists it."""
    lookups = [
        "communities",
        "wards",
        Prefetch("history", queryset=StatusChange.objects.order_by("changed_at", "pk")),
        Prefetch("checks", queryset=Check.objects.select_related("check_type")),
        Prefetch(
            "training_completions", queryset=TrainingCompletion.objects.select_related("module")
        ),
        "goals",
        "pathway",
        "hours_entries",
        "expense_claims__items",
        "expense_claims__receipts",
        "payments",
    ]
    if confidential:
        lookups += ["support_notes", "wellbeing_flags"]
    held = Connector.objects.filter(pk__in=ids).select_related("site", "host_organisation")
    return {c.pk: c for c in held.prefetch_related(*lookups)}


def _recorded(connectors: list[Connector]) -> tuple[dict[int, list], dict[int, list]]:
    """The activities and insights each connector recorded, by connector id, in two queries
    (three with where the insights were sent) however many. An activity belongs to a record
    when it was recorded for it, or recorded by its account at its site; an insight, when its
    account raised it at the record's site."""
    activities: dict[int, list[Activity]] = {c.pk: [] for c in connectors}
    insights: dict[int, list[Insight]] = {c.pk: [] for c in connectors}
    by_place = {(c.site_id, c.user_id): c.pk for c in connectors if c.user_id is not None}
    users = {user for _, user in by_place}
    sites = {site for site, _ in by_place}
    mine = Q(connector_id__in=list(activities))
    if users:
        mine |= Q(recorded_by_id__in=users, site_id__in=sites)
    for activity in Activity.objects.filter(mine).order_by("date", "pk"):
        owner = activity.connector_id
        if owner not in activities:
            owner = by_place.get((activity.site_id, activity.recorded_by_id))
        if owner is not None:
            activities[owner].append(activity)
    if users:
        raised = (
            Insight.objects.filter(raised_by_id__in=users, site_id__in=sites)
            .prefetch_related(
                Prefetch(
                    "routings",
                    queryset=Routing.objects.select_related("body").order_by("routed_at", "pk"),
                )
            )
            .order_by("raised_at", "pk")
        )
        for insight in raised:
            owner = by_place.get((insight.site_id, insight.raised_by_id))
            if owner is not None:
                insights[owner].append(insight)
    return activities, insights


def _insight(insight: Insight) -> dict:
    row = _row(insight, INSIGHT_FIELDS)
    row["sent_to"] = [
        {"decision_body": r.body.name, "sent_at": _value(r.routed_at)}
        for r in insight.routings.all()
    ]
    return row


def personal_data_of(connectors: Iterable[Connector], *, confidential: bool) -> list[dict]:
    """``personal_data`` of each connector, in the same order, read afresh in a fixed number
    of queries however many records (a person who connects at several sites) and however much
    is held under each."""
    ids = [c.pk for c in connectors]
    if not ids:
        return []
    held = _held(ids, confidential=confidential)
    activities, insights = _recorded(list(held.values()))
    exported_at = _value(timezone.now())
    return [
        _copy(
            held[pk],
            exported_at,
            activities=activities[pk],
            insights=insights[pk],
            confidential=confidential,
        )
        for pk in ids
    ]


def _copy(
    connector: Connector,
    exported_at: str,
    *,
    activities: list[Activity],
    insights: list[Insight],
    confidential: bool,
) -> dict:
    details = _row(connector, DETAIL_FIELDS)
    details["languages"] = list(connector.languages)
    details["communities"] = [str(c) for c in connector.communities.all()]
    details["wards"] = [str(w) for w in connector.wards.all()]
    claims = []
    for claim in connector.expense_claims.all():
        row = _row(claim, CLAIM_FIELDS)
        row["items"] = [_row(i, CLAIM_ITEM_FIELDS) for i in claim.items.all()]
        row["receipts"] = [_receipt(r) for r in claim.receipts.all()]
        claims.append(row)
    data = {
        "exported_at": exported_at,
        "connector": details,
        "stage_history": [
            _row(c, ("from_status", "to_status", "reason", "changed_at"))
            for c in connector.history.all()
        ],
        "checks": [
            _row(c, ("check_type", "status", "reference", "completed_on", "expires_on", "notes"))
            for c in connector.checks.all()
        ],
        "training": [
            _row(t, ("module", "completed_on", "expires_on", "evidence"))
            for t in connector.training_completions.all()
        ],
        "development_goals": [
            _row(g, ("title", "detail", "target_date", "status", "achieved_on"))
            for g in connector.goals.all()
        ],
        "pathway": [
            _row(p, ("from_role_type", "role_type", "started_on", "note"))
            for p in connector.pathway.all()
        ],
        "hours": [
            _row(h, ("date", "hours", "activity", "credits", "approved_at"))
            for h in connector.hours_entries.all()
        ],
        "expense_claims": claims,
        "payments": [_row(p, PAYMENT_FIELDS) for p in connector.payments.all()],
        "activities": [_row(a, ACTIVITY_FIELDS) for a in activities],
        "insights": [_insight(i) for i in insights],
    }
    if confidential:
        data["support_notes"] = [
            _row(n, ("kind", "happened_on", "body", "created_at"))
            for n in connector.support_notes.all()
        ]
        data["wellbeing_flags"] = [
            _row(f, ("level", "summary", "raised_on", "resolved_at", "resolution"))
            for f in connector.wellbeing_flags.all()
        ]
    return data


@transaction.atomic
def copy_of_personal_data(*, connectors: list[Connector], by, confidential: bool) -> list[dict]:
    """``personal_data`` of each connector, for ``by`` to download; each copy is audited.
    Permission is checked by the caller (the connector themself, or a host coordinator for
    a copy with ``confidential`` notes)."""
    copies = personal_data_of(connectors, confidential=confidential)
    for connector in connectors:
        own = by is not None and connector.user_id == by.pk
        record(
            actor=by,
            verb=AuditEvent.Verb.EXPORT,
            obj=connector,
            site=connector.site_id,
            summary=(
                "They downloaded a copy of their personal data"
                if own
                else "Copy of their personal data downloaded"
            ),
        )
    return copies


# ---- erasure ----


def erasure_problem(connector: Connector) -> str | None:
    """Why the connector's details cannot be erased yet, or None."""
    if connector.erased_at is not None:
        return "Their personal details have already been erased."
    if connector.status in STILL_WORKING:
        return (
            f"{connector.name} is at “{connector.get_status_display()}”. Record that they "
            "have left before erasing their details."
        )
    if connector.expense_claims.filter(status__in=UNSETTLED_CLAIMS).exists():
        return (
            f"{connector.name} has expense claims waiting to be decided or paid. Settle them "
            "before erasing their details."
        )
    return None


@transaction.atomic
def erase_connector(*, connector: Connector, by, reason: str) -> Connector:
    """Erase a connector's personal details (see the module docstring for what stays).
    ``by`` is the person acting on a request, or None for the retention run. Permission is
    checked by the caller (views: the site's host coordinators)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why their details are being erased"})
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    problem = erasure_problem(connector)
    if problem:
        raise ValidationError({"reason": problem})
    now = timezone.now()
    StatusChange.objects.filter(connector=connector).update(reason="")
    if connector.status != Status.LEFT:
        StatusChange.objects.create(
            connector=connector,
            from_status=connector.status,
            to_status=Status.LEFT,
            reason="Personal details erased",
            changed_at=now,
            changed_by=by,
        )
        connector.status = Status.LEFT
        connector.status_changed_at = now
    Check.objects.filter(connector=connector).update(reference="", notes="")
    TrainingCompletion.objects.filter(connector=connector).update(evidence="")
    PathwayStep.objects.filter(connector=connector).update(note="")
    Payment.objects.filter(connector=connector).update(benefits_considerations="")
    connector.support_notes.all().delete()
    connector.wellbeing_flags.all().delete()
    connector.goals.all().delete()
    connector.wards.clear()
    if connector.user_id is not None:
        # What they recorded at this site stays as community evidence, no longer theirs:
        # otherwise the site's team would keep seeing their name on it while their account
        # (kept where they hold another role) no longer lists it in their copy of their data.
        forget_recorder(user=connector.user_id, site=connector.site_id, by=by)
        Activity.objects.filter(site_id=connector.site_id, recorded_by_id=connector.user_id).update(
            recorded_by=None
        )
    _erase_account(connector, by)
    connector.name = erased_name(connector)
    connector.email = connector.phone = ""
    connector.skills = connector.interests = connector.motivation = connector.availability = ""
    connector.languages = []
    connector.lived_experience = ""
    connector.lived_experience_consent = False
    connector.lived_experience_consent_at = None
    connector.user = None
    connector.erased_at = now
    connector.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=connector,
        object_label=connector.name,
        site=connector.site_id,
        summary=f"Personal details erased: {reason}",
    )
    return connector


def _erase_account(connector: Connector, by) -> None:
    """End their connector role at this site, and anonymise the account unless they hold
    another role or connect at another site. An account that stays keeps its name, so ending
    the role is recorded as usual; one that is anonymised has it ended under the anonymous
    label, so the erasure writes no new event with their name."""
    user = connector.user
    if user is None or user.erased_at is not None:
        # Already anonymised (closed for not being used): nothing of theirs is left on it,
        # and doing it again would write a second event and move its date.
        return
    current = list(user.memberships.filter(ended_at__isnull=True))
    here = [m for m in current if m.role == ConnectorRole.key and m.site_id == connector.site_id]
    elsewhere = Connector.objects.filter(user=user).exclude(pk=connector.pk).exists()
    if elsewhere or len(here) < len(current):
        for membership in here:
            account_actions.revoke_role(membership=membership, by=by)
        return
    account_actions.erase_account(user=user, by=by, reason="Connector's details erased", roles=here)


# ---- retention (core20.web.retention) ----


def _due(stages) -> Callable[[datetime, int], QuerySet[Connector]]:
    def due(now: datetime, months: int) -> QuerySet[Connector]:
        return (
            Connector.objects.filter(erased_at__isnull=True, status__in=stages)
            .filter(status_changed_at__lt=add_months(now, -months))
            .exclude(expense_claims__status__in=UNSETTLED_CLAIMS)
            .order_by("pk")
        )

    return due


def _erase(connector: Connector, reason: str) -> Connector:
    return erase_connector(connector=connector, by=None, reason=reason)


def retention_rules() -> list[Rule]:
    return [
        Rule(
            "connectors_left",
            "connector(s) who left more than {months} months ago",
            "CONNECTOR_RETENTION_MONTHS",
            _due((Status.LEFT,)),
            _erase,
        ),
        Rule(
            "connectors_interest",
            "connector(s) who expressed interest and went no further, unchanged for {months} "
            "months",
            "INTEREST_RETENTION_MONTHS",
            _due(NEVER_WENT_FURTHER),
            _erase,
        ),
    ]
