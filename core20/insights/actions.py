"""Insight actions: raising insights with evidence, themes, decision bodies and contacts,
routing, responses, actions, feedback, publication and co-design sessions.

Each action names who does it (``by``), checks that they may, validates everything before
saving anything, saves and records an audit event in one transaction. A ValidationError is
keyed by field so the pages can show it there and leaves nothing half-saved. Emails are sent
after the transaction commits its rows (a failed send never undoes a routing).
"""

import uuid as uuidlib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record, snapshot
from core20.insights import calendar, emails
from core20.insights.access import may_manage, may_raise, may_respond, why_not_raise
from core20.insights.models import (
    Action,
    CoDesignSession,
    Contact,
    DecisionBody,
    Feedback,
    Insight,
    InsightSettings,
    Quote,
    Response,
    Routing,
    Theme,
)

Verb = AuditEvent.Verb

INSIGHT_FIELDS = ("kind", "summary", "services", "places", "people_count")
INSIGHT_M2M = ("clinical_areas", "organisations", "communities", "themes")
BODY_FIELDS = ("organisation", "name", "kind", "active")
CONTACT_FIELDS = ("name", "job_title", "email")
ACTION_FIELDS = ("description", "owner", "due_on", "status", "outcome", "completed_on")
FEEDBACK_FIELDS = ("given_on", "channel", "summary")
SESSION_FIELDS = ("title", "held_on", "participants", "community_participants", "decisions")
SETTINGS_FIELDS = ("response_working_days", "reminder_working_days")
UUID_TAKEN = "This insight was already recorded by someone else. Record it again as new."


def _check_fields(data: Mapping, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


def _full_clean(instance, extra: Mapping | None = None, exclude=None) -> None:
    errors: dict[str, list] = {}
    try:
        instance.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as exc:
        errors.update(exc.update_error_dict({}))
    for name, messages in (extra or {}).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _created(after: Mapping) -> dict:
    return {k: [None, v] for k, v in after.items() if v not in (None, "", [])}


def today() -> date:
    return timezone.localdate()


# ---- settings and themes ----


def settings_for(site) -> InsightSettings:
    found, _ = InsightSettings.objects.get_or_create(site=site)
    return found


@transaction.atomic
def update_settings(*, site, data: Mapping, by) -> InsightSettings:
    require_permission(by, Permission.INSIGHT_MANAGE, site=site)
    _check_fields(data, SETTINGS_FIELDS)
    current = settings_for(site)
    before = snapshot(current, SETTINGS_FIELDS)
    for name, value in data.items():
        setattr(current, name, value)
    extra = {}
    if (
        current.reminder_working_days
        and current.response_working_days
        and current.reminder_working_days >= current.response_working_days
    ):
        extra["reminder_working_days"] = [
            "The reminder must come before the response is due: choose fewer working days "
            "than the time to respond"
        ]
    _full_clean(current, extra)
    current.save()
    record(
        actor=by,
        verb=Verb.UPDATE,
        obj=current,
        site=site,
        changes=diff(before, snapshot(current, SETTINGS_FIELDS)),
    )
    return current


def themes_for(site):
    """Active national themes and the site's own."""
    from django.db.models import Q

    return Theme.objects.filter(Q(site__isnull=True) | Q(site=site), active=True)


def theme_name_clash(name: str, site) -> str | None:
    """Why a theme called ``name`` at ``site`` (None: national) would be ambiguous, or None.

    The API and the offline form look themes up by name among the national ones and the
    site's own, so a site theme may not share a national theme's name, nor a national theme
    any site's (nor two themes of one site), ignoring case and runs of spaces (names are
    stored with single spaces)."""
    same = (
        Theme.objects.filter(name__iexact=" ".join(name.split()))
        .select_related("site")
        .order_by("site__name", "pk")
    )
    national = next((t for t in same if t.site_id is None), None)
    if national is not None:
        return f"There is already a national theme called {national.name}"
    taken = [t for t in same if site is None or t.site_id == site.pk]
    if not taken:
        return None
    first, others = taken[0], len({t.site_id for t in taken}) - 1
    if not others:
        return f"{first.site.name} already has a theme called {first.name}"
    sites = "site" if others == 1 else "sites"
    return f"{first.site.name} and {others} other {sites} already have a theme called {first.name}"


@transaction.atomic
def create_theme(*, site, name: str, by) -> Theme:
    """A site theme (site given; INSIGHT_MANAGE there) or a national one (site None;
    national INSIGHT_MANAGE). Refused when the name would be ambiguous
    (``theme_name_clash``)."""
    require_permission(by, Permission.INSIGHT_MANAGE, site=site)
    theme = Theme(site=site, name=" ".join((name or "").split()))
    errors = {}
    clash = theme_name_clash(theme.name, site) if theme.name else None
    if clash:
        errors["name"] = [clash]
    _full_clean(theme, errors, exclude=["site"])
    theme.save()
    record(actor=by, verb=Verb.CREATE, obj=theme, site=site, changes={"name": [None, theme.name]})
    return theme


# ---- insights and evidence ----


def _quote_errors(text: str, consent: bool) -> dict:
    if text and not consent:
        return {
            "quote_consent": [
                "Confirm the person agreed to their words being recorded, or remove the quote"
            ]
        }
    return {}


@transaction.atomic
def raise_insight(
    *,
    site,
    data: Mapping,
    by,
    quote: str = "",
    quote_consent: bool = False,
    quote_public: bool = False,
    source_activity=None,
    uuid: uuidlib.UUID | None = None,
) -> Insight:
    """A connector (ACTIVITY_RECORD) or the site team (INSIGHT_MANAGE) records an insight,
    optionally with one anonymised quote. A quote is stored only with consent. A ``uuid``
    already stored is an IntegrityError: use ``raise_insight_once`` for submissions that
    may arrive twice."""
    if not may_raise(by, site):
        raise PermissionDenied(*why_not_raise(by, site)[:1])
    _check_fields(data, INSIGHT_FIELDS + INSIGHT_M2M)
    insight = Insight(site=site, raised_by=by, raised_at=timezone.now())
    if uuid is not None:
        insight.uuid = uuid
    for name in INSIGHT_FIELDS:
        if name in data:
            setattr(insight, name, data[name])
    quote = (quote or "").strip()
    extra = _quote_errors(quote, quote_consent)
    if source_activity is not None:
        if source_activity.site_id != site.pk:
            extra["source_activity"] = ["Choose an activity at this site"]
        insight.source_activity = source_activity
    allowed_themes = set(themes_for(site).values_list("pk", flat=True))
    if any(t.pk not in allowed_themes for t in data.get("themes", [])):
        extra["themes"] = ["Choose themes from the national list or this site's own"]
    # The database keeps the uuid unique (raise_insight_once handles a repeat).
    _full_clean(insight, extra, exclude=["uuid"])
    insight.save()
    for name in INSIGHT_M2M:
        if name in data:
            getattr(insight, name).set(data[name])
    if quote:
        Quote.objects.create(insight=insight, text=quote, consent_public=quote_public, added_by=by)
    after = snapshot(insight, INSIGHT_FIELDS + INSIGHT_M2M)
    if quote:
        after["quotes"] = 1
    record(actor=by, verb=Verb.CREATE, obj=insight, site=site, changes=_created(after))
    return insight


def already_raised(*, uuid: uuidlib.UUID | str, site, by) -> Insight | None:
    """The insight this person already stored at ``site`` with ``uuid``, or None. One
    stored by anyone else, or at another site, is refused on the ``uuid`` field, telling
    nothing about that insight."""
    if not may_raise(by, site):
        raise PermissionDenied(*why_not_raise(by, site)[:1])
    existing = Insight.objects.filter(uuid=uuidlib.UUID(str(uuid))).first()
    if existing is None:
        return None
    if existing.raised_by_id != by.pk or existing.site_id != getattr(site, "pk", site):
        raise ValidationError({"uuid": [UUID_TAKEN]})
    return existing


def raise_insight_once(
    *, uuid: uuidlib.UUID | str | None, site, by, **details: Any
) -> tuple[Insight, bool]:
    """``raise_insight`` (``details`` are its other arguments) for a submission that may
    arrive more than once: the offline form syncing again, a double click. Returns
    (insight, created); a ``uuid`` already stored is handled by ``already_raised``."""
    if not may_raise(by, site):
        raise PermissionDenied(*why_not_raise(by, site)[:1])
    if uuid is None:
        return raise_insight(site=site, by=by, **details), True
    uuid = uuidlib.UUID(str(uuid))
    existing = already_raised(uuid=uuid, site=site, by=by)
    if existing is not None:
        return existing, False
    try:
        return raise_insight(site=site, by=by, uuid=uuid, **details), True
    except IntegrityError:
        # The same uuid arrived twice at once (two tabs syncing): the other one won.
        existing = already_raised(uuid=uuid, site=site, by=by)
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def add_quote(*, insight: Insight, text: str, consent: bool, consent_public: bool, by) -> Quote:
    """Add anonymised evidence: the site team to any of its insights, a connector to their own."""
    own = insight.raised_by_id == getattr(by, "pk", None) and may_raise(by, insight.site_id)
    if not (own or may_manage(by, insight.site_id)):
        raise PermissionDenied
    text = (text or "").strip()
    errors = _quote_errors(text, consent)
    if not text:
        errors["text"] = ["Enter the quote"]
    if errors:
        raise ValidationError(errors)
    quote = Quote.objects.create(
        insight=insight, text=text, consent_public=consent_public, added_by=by
    )
    record(
        actor=by,
        verb=Verb.UPDATE,
        obj=insight,
        site=insight.site,
        summary="Added a quote" + (" (may be published)" if consent_public else ""),
    )
    return quote


@transaction.atomic
def set_themes(*, insight: Insight, themes: Iterable[Theme], by) -> Insight:
    """The site team (INSIGHT_MANAGE) tags an insight with themes when they review it,
    whoever recorded it: the national themes and the site's own that are in use, plus any
    it already has (a theme taken out of use stays until someone unticks it). Audited as
    an update on the insight naming the themes before and after; saving the same themes
    again records nothing."""
    require_permission(by, Permission.INSIGHT_MANAGE, site=insight.site_id)
    themes = list(themes)
    allowed = set(themes_for(insight.site_id).values_list("pk", flat=True))
    allowed |= set(insight.themes.values_list("pk", flat=True))
    if any(t.pk not in allowed for t in themes):
        raise ValidationError(
            {"themes": ["Choose themes from the national list or this site's own"]}
        )
    before = snapshot(insight, ("themes",))
    insight.themes.set(themes)
    changes = diff(before, snapshot(insight, ("themes",)))
    if changes:
        record(
            actor=by,
            verb=Verb.UPDATE,
            obj=insight,
            site=insight.site_id,
            changes=changes,
            summary="Changed the themes",
        )
    return insight


# ---- decision bodies and contacts ----


@transaction.atomic
def create_body(*, site, data: Mapping, by) -> DecisionBody:
    require_permission(by, Permission.INSIGHT_MANAGE, site=site)
    _check_fields(data, BODY_FIELDS)
    body = DecisionBody(site=site, **data)
    _full_clean(body)
    body.save()
    record(
        actor=by,
        verb=Verb.CREATE,
        obj=body,
        site=site,
        changes=_created(snapshot(body, BODY_FIELDS)),
    )
    return body


@transaction.atomic
def add_contact(*, body: DecisionBody, data: Mapping, by) -> Contact:
    require_permission(by, Permission.INSIGHT_MANAGE, site=body.site_id)
    _check_fields(data, CONTACT_FIELDS)
    contact = Contact(body=body, **data)
    contact.email = (contact.email or "").strip().lower()
    extra = {}
    if contact.email and body.contacts.filter(email=contact.email).exists():
        extra["email"] = [f"{contact.email} is already a contact for {body}"]
    _full_clean(contact, extra, exclude=["body"])
    contact.save()
    record(
        actor=by,
        verb=Verb.CREATE,
        obj=contact,
        site=body.site_id,
        summary=f"Added a contact at {body}",
    )
    return contact


# ---- routing, responses and actions ----


def bodies_to_send_to(*, site, insight):
    """The decision bodies an insight may still be sent to: its site's active ones it has not
    been sent to. ``site`` and ``insight`` are ids, or ``OuterRef``s to use this as a
    subquery (the insight page asks whether any is left within its own query)."""
    sent = Routing.objects.filter(body=OuterRef("pk"), insight=insight)
    return DecisionBody.objects.filter(site=site, active=True).exclude(Exists(sent))


def response_due_on(site, start: date) -> date:
    """When a response to an insight sent on ``start`` is due: the site's working days on."""
    return calendar.add_working_days(start, settings_for(site).response_working_days)


def route_insight(
    *, insight: Insight, bodies: Iterable[DecisionBody], message: str = "", base_url: str, by
) -> list[Routing]:
    """Send an insight to one or more of its site's decision bodies, each with a response
    due date (the site's working days from today), and email their contacts and
    decision-makers."""
    require_permission(by, Permission.INSIGHT_MANAGE, site=insight.site_id)
    bodies = list(bodies)
    errors = []
    if not bodies:
        errors.append("Choose at least one organisation or forum")
    if any(b.site_id != insight.site_id or not b.active for b in bodies):
        errors.append("Choose organisations and forums from this site's list")
    already = set(
        Routing.objects.filter(insight=insight, body__in=bodies).values_list(
            "body__name", flat=True
        )
    )
    if already:
        errors.append(f"This insight has already been sent to {', '.join(sorted(already))}")
    if errors:
        raise ValidationError({"bodies": errors})
    now = timezone.now()
    due_on = response_due_on(insight.site, timezone.localdate(now))
    with transaction.atomic():
        if insight.kept_at is not None:  # sent after all: no longer kept back
            _set_kept(
                insight, by, reason=None, summary="No longer kept back: sent to decision-makers"
            )
        routings = []
        for body in bodies:
            routing = Routing.objects.create(
                insight=insight,
                body=body,
                message=(message or "").strip(),
                routed_by=by,
                routed_at=now,
                due_on=due_on,
                base_url=base_url.rstrip("/")[:200],
            )
            routings.append(routing)
            record(
                actor=by,
                verb=Verb.ROUTE,
                obj=insight,
                site=insight.site_id,
                changes={"routed to": [None, str(body)], "due on": [None, due_on.isoformat()]},
                summary=f"Sent to {body}",
            )
    emails.send(
        [
            emails.routed(r, base_url)
            for r in Routing.objects.filter(pk__in=[r.pk for r in routings]).select_related(
                "insight__site", "body"
            )
        ]
    )
    return routings


MAX_KEPT_REASON = 1000


@transaction.atomic
def keep_insight(*, insight: Insight, reason: str, by) -> Insight:
    """Keep an insight without sending it to decision-makers (say why), so that it stops
    waiting to be sent. Only one not sent anywhere yet; sending it later undoes this."""
    require_permission(by, Permission.INSIGHT_MANAGE, site=insight.site_id)
    reason = (reason or "").strip()
    if Routing.objects.filter(insight=insight).exists():
        raise ValidationError("This insight has been sent to decision-makers already")
    if insight.kept_at is not None:
        raise ValidationError("This insight is already kept without sending")
    if not reason:
        raise ValidationError({"reason": ["Say why it is not being sent"]})
    if len(reason) > MAX_KEPT_REASON:
        raise ValidationError(
            {"reason": [f"Keep the reason to {MAX_KEPT_REASON} characters or fewer"]}
        )
    _set_kept(insight, by, reason=reason, summary="Kept without sending to decision-makers")
    return insight


@transaction.atomic
def reopen_insight(*, insight: Insight, by) -> Insight:
    """Undo ``keep_insight``: the insight waits to be sent again."""
    require_permission(by, Permission.INSIGHT_MANAGE, site=insight.site_id)
    if insight.kept_at is None:
        raise ValidationError("This insight is not kept back")
    _set_kept(insight, by, reason=None, summary="No longer kept back: waiting to be sent")
    return insight


def _set_kept(insight: Insight, by, *, reason: str | None, summary: str) -> None:
    """Keep the insight back for ``reason``, or (None) stop keeping it back; audited."""
    before = insight.kept_reason or None
    if reason:
        insight.kept_at, insight.kept_by, insight.kept_reason = timezone.now(), by, reason
    else:
        insight.kept_at, insight.kept_by, insight.kept_reason = None, None, ""
    insight.save(update_fields=["kept_at", "kept_by", "kept_reason", "updated_at"])
    record(
        actor=by,
        verb=Verb.UPDATE,
        obj=insight,
        site=insight.site_id,
        changes={"kept without sending": [before, reason]},
        summary=summary,
    )


@transaction.atomic
def respond(*, routing: Routing, kind: str, text: str = "", reason: str = "", by) -> Response:
    """A decision-maker's response: acknowledged, action agreed, or declined with a reason."""
    if not may_respond(by, routing):
        raise PermissionDenied
    errors = {}
    if kind not in Response.Kind.values:
        errors["kind"] = ["Choose how you are responding"]
    if kind == Response.Kind.DECLINED and not (reason or "").strip():
        errors["reason"] = ["Give the reason for declining, so the community can be told"]
    if kind == Response.Kind.ACTION_AGREED and not (text or "").strip():
        errors["text"] = ["Say what action you have agreed"]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    response = Response.objects.create(
        routing=routing,
        kind=kind,
        text=(text or "").strip(),
        reason=(reason or "").strip() if kind == Response.Kind.DECLINED else "",
        responded_by=by,
        responded_at=now,
    )
    Routing.objects.filter(pk=routing.pk, first_response_at__isnull=True).update(
        first_response_at=now
    )
    routing.refresh_from_db(fields=["first_response_at"])
    record(
        actor=by,
        verb=Verb.RESPOND,
        obj=routing.insight,
        site=routing.insight.site_id,
        changes={"response": [None, response.get_kind_display()]},
        summary=f"{routing.body}: {response.get_kind_display()}",
    )
    return response


@transaction.atomic
def add_action(*, routing: Routing, data: Mapping, by) -> Action:
    if not may_respond(by, routing):
        raise PermissionDenied
    _check_fields(data, ACTION_FIELDS)
    action = Action(routing=routing, created_by=by, **data)
    extra = _set_completion(action)
    _full_clean(action, extra, exclude=["routing"])
    action.save()
    record(
        actor=by,
        verb=Verb.CREATE,
        obj=action,
        site=routing.insight.site_id,
        changes=_created(snapshot(action, ACTION_FIELDS)),
        summary=f"Action agreed by {routing.body}",
    )
    return action


ACTION_OUTCOME_NEEDED = "Say what was done: it is what the site can tell the community changed"


def _set_completion(action: Action) -> dict:
    """A done action is done today unless a date is given, and says what was done (what
    "you said, we did" reports); one not done has no date. The errors, keyed by field."""
    if action.status != Action.Status.DONE:
        action.completed_on = None
        return {}
    errors = {}
    if not (action.outcome or "").strip():
        errors["outcome"] = [ACTION_OUTCOME_NEEDED]
    if action.completed_on is None:
        action.completed_on = today()
    if action.completed_on > today():
        errors["completed_on"] = ["The completion date must be today or in the past"]
    return errors


@transaction.atomic
def update_action(*, action: Action, data: Mapping, by) -> Action:
    if not may_respond(by, action.routing):
        raise PermissionDenied
    _check_fields(data, ACTION_FIELDS)
    before = snapshot(action, ACTION_FIELDS)
    for name, value in data.items():
        setattr(action, name, value)
    extra = _set_completion(action)
    _full_clean(action, extra, exclude=["routing"])
    action.save()
    record(
        actor=by,
        verb=Verb.UPDATE,
        obj=action,
        site=action.routing.insight.site_id,
        changes=diff(before, snapshot(action, ACTION_FIELDS)),
    )
    return action


# ---- feedback, publication, co-design ----


@transaction.atomic
def record_feedback(*, insight: Insight, data: Mapping, by) -> Feedback:
    require_permission(by, Permission.INSIGHT_MANAGE, site=insight.site_id)
    _check_fields(data, FEEDBACK_FIELDS)
    feedback = Feedback(insight=insight, recorded_by=by, **data)
    extra = {}
    if feedback.given_on and feedback.given_on > today():
        extra["given_on"] = ["The date feedback was given must be today or in the past"]
    _full_clean(feedback, extra, exclude=["insight"])
    feedback.save()
    # The event is about the new feedback, not the insight: a "create" on the insight would
    # read in the log as the insight being recorded again.
    record(
        actor=by,
        verb=Verb.CREATE,
        obj=feedback,
        object_label=f"Feedback to the community: {feedback}",
        site=insight.site_id,
        changes=_created(snapshot(feedback, FEEDBACK_FIELDS)),
        summary=f"About insight {insight.pk} ({insight})",
    )
    return feedback


@transaction.atomic
def publish(
    *, insight: Insight, public: bool, public_title: str = "", what_changed: str = "", by
) -> Insight:
    """Show (or stop showing) the insight on the site's "you said, we did" page."""
    require_permission(by, Permission.INSIGHT_MANAGE, site=insight.site_id)
    fields = ("public", "public_title", "what_changed")
    public = bool(public)
    public_title = " ".join((public_title or "").split())
    what_changed = (what_changed or "").strip()
    # Check before changing the instance, so a refused request leaves it as it was.
    errors = {}
    if public and not public_title:
        errors["public_title"] = ["Enter what the community said, in a few words"]
    if public and not what_changed:
        errors["what_changed"] = ["Say what changed (or what was decided) before publishing"]
    if len(public_title) > 200:
        errors["public_title"] = ["Keep “you said” to 200 characters or fewer"]
    if errors:
        raise ValidationError(errors)
    before = snapshot(insight, fields)
    if public and not insight.public:
        insight.published_at = timezone.now()
    elif not public:
        insight.published_at = None
    insight.public, insight.public_title, insight.what_changed = public, public_title, what_changed
    insight.save()
    record(
        actor=by,
        verb=Verb.PUBLISH if insight.public else Verb.UPDATE,
        obj=insight,
        site=insight.site_id,
        changes=diff(before, snapshot(insight, fields)),
        summary="Published on “you said, we did”" if insight.public else "Not public",
    )
    return insight


@transaction.atomic
def create_session(*, site, data: Mapping, insights=(), actions=(), by) -> CoDesignSession:
    require_permission(by, Permission.INSIGHT_MANAGE, site=site)
    _check_fields(data, SESSION_FIELDS)
    session = CoDesignSession(site=site, created_by=by, **data)
    extra = {}
    if any(i.site_id != site.pk for i in insights):
        extra["insights"] = ["Choose insights from this site"]
    if any(a.routing.insight.site_id != site.pk for a in actions):
        extra["actions"] = ["Choose actions from this site"]
    if (
        session.participants is not None
        and session.community_participants is not None
        and session.community_participants > session.participants
    ):
        extra["community_participants"] = [
            "Community members cannot be more than the number of people who took part"
        ]
    _full_clean(session, extra)
    session.save()
    session.insights.set(insights)
    session.actions.set(actions)
    record(
        actor=by,
        verb=Verb.CREATE,
        obj=session,
        site=site,
        changes=_created(snapshot(session, SESSION_FIELDS)),
    )
    return session


# ---- reminders and escalation ----


def send_reminders(*, on: date | None = None) -> dict:
    """Remind contacts before a response is due and tell the site lead once it is overdue.

    Idempotent: each routing's reminder and escalation is claimed (stamped) before it is
    sent, so running this again, or twice at once, never sends either twice. A routing with
    a response gets neither.
    """
    on = on or today()
    sent = {"reminders": 0, "escalations": 0}
    waiting = Routing.objects.filter(first_response_at__isnull=True).select_related(
        "insight__site", "body"
    )
    for routing in waiting.filter(reminder_sent_at__isnull=True, due_on__gte=on):
        days = settings_for(routing.insight.site).reminder_working_days
        if on < calendar.subtract_working_days(routing.due_on, days):
            continue
        if _claim(routing, "reminder_sent_at"):
            sent["reminders"] += emails.send([emails.reminder(routing, routing.base_url)]) and 1
    for routing in waiting.filter(escalated_at__isnull=True, due_on__lt=on):
        if _claim(routing, "escalated_at"):
            sent["escalations"] += emails.send([emails.escalation(routing, routing.base_url)]) and 1
    return sent


def _claim(routing: Routing, field: str) -> bool:
    with transaction.atomic():
        claimed = Routing.objects.filter(
            pk=routing.pk, first_response_at__isnull=True, **{f"{field}__isnull": True}
        ).update(**{field: timezone.now()})
        if claimed:
            record(
                actor=None,
                verb=Verb.UPDATE,
                obj=routing.insight,
                site=routing.insight.site_id,
                summary=(
                    f"Reminded {routing.body} that a response is due {routing.due_on:%-d %B %Y}"
                    if field == "reminder_sent_at"
                    else f"Told the site lead that {routing.body} has not responded"
                ),
            )
    return bool(claimed)
