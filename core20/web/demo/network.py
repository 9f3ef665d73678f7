"""Demo connectors: the demo connector's own record, and a small network at every stage of
the pipeline, all through core20.network.actions (so each step is checked and audited).

- Connie Connector (the demo connector user): added by the host coordinator, checks clear
  and required training done some weeks ago, linked to her existing account, moved through
  the pipeline to active; a development goal and a supervision note.
- Two new expressions of interest, sent through the public form (``submit_interest``).
- One in conversation, one in training (checks clear, part of the training done).
- One active whose DBS check runs out within 30 days (the coordinator's "to renew").
- One paused, with the reason.
- One who left eight months ago (a host coordinator can download a copy of their data or
  erase their details).

The actions stamp each stage change with the moment it runs; ``_dated`` then moves the
stage history back to plausible dates with plain updates (the audit events keep the real
time), so that the pipeline does not look as if everyone joined today.

Puts in ``world.made``:

- ``"connector"``: the demo connector's ``Connector`` record (active, linked to
  ``world.users["connector"]``);
- ``"connectors"``: every connector made here, the demo connector first.
"""

from datetime import date, datetime, timedelta

from core20.network import actions, requirements
from core20.network.forms import communities_for, wards_for
from core20.network.models import Check, Connector, RoleType, StatusChange, SupportNote
from core20.web.demo import DemoWorld

Status = Connector.Status

# The pipeline's steps, in order, up to active.
TO_ACTIVE = (Status.CONVERSATION, Status.CHECKS, Status.TRAINING, Status.ACTIVE)

# People who filled in the public form (made-up names, example.org addresses).
INTERESTED = (
    {
        "name": "Asha Demo",
        "email": "asha.demo@example.org",
        "phone": "",
        "motivation": (
            "I help run the parent and toddler group at our community centre and lots of the "
            "mums ask me where to go for health advice. I would like to know more so I can "
            "point them the right way."
        ),
        "availability": "Weekday mornings",
        "languages": ["English", "Gujarati"],
        "skills": "Listening, organising groups",
        "interests": "Children's health, healthy eating",
    },
    {
        "name": "Tomasz Demo",
        "email": "",
        "phone": "07700 900123",
        "motivation": (
            "I work shifts at a warehouse and many of my colleagues do not have a GP. I speak "
            "Polish and could help people register and understand health checks."
        ),
        "availability": "Saturdays, and some evenings",
        "languages": ["English", "Polish"],
        "skills": "Translating, driving",
        "interests": "Men's health, getting people registered with a GP",
    },
)


def _add(world: DemoWorld, data: dict) -> Connector:
    """A connector the host coordinator adds after talking to them."""
    return actions.create_connector(site=world.site, data=data, by=world.users["host_coordinator"])


def _move(connector: Connector, stages, by, reason: str = "") -> Connector:
    for stage in stages:
        connector = actions.change_status(connector=connector, to=stage, reason=reason, by=by)
    return connector


def _dated(world: DemoWorld, connector: Connector, *days_ago: int) -> Connector:
    """Date the connector's stage history ``days_ago`` before today, oldest first: one
    value per entry, the first being when they were added (or expressed interest)."""

    def moment(days: int) -> datetime:
        return world.days_ago(days, 10, 30)

    history = list(StatusChange.objects.filter(connector=connector).order_by("changed_at", "pk"))
    if len(history) != len(days_ago):
        raise ValueError(f"{connector}: {len(history)} stage changes, {len(days_ago)} dates")
    for change, days in zip(history, days_ago, strict=True):
        StatusChange.objects.filter(pk=change.pk).update(changed_at=moment(days))
    Connector.objects.filter(pk=connector.pk).update(
        created_at=moment(days_ago[0]), status_changed_at=moment(days_ago[-1])
    )
    return Connector.objects.get(pk=connector.pk)


def _clear_checks(connector: Connector, on: date, by) -> None:
    """Every check the site requires, clear, completed on ``on``."""
    for number, check_type in enumerate(requirements.required_checks(connector.site), 1):
        actions.record_check(
            connector=connector,
            check_type=check_type,
            status=Check.Status.CLEAR,
            completed_on=on,
            reference=f"DEMO-{connector.pk:03d}-{number}",
            by=by,
        )


def _train(connector: Connector, on: date, by, *, only: int | None = None) -> None:
    """The required modules (or the first ``only`` of them), completed on ``on``."""
    modules = requirements.required_modules(connector.site)
    for module in modules[:only] if only is not None else modules:
        actions.record_training(
            connector=connector,
            module=module,
            completed_on=on,
            evidence="Certificate seen",
            by=by,
        )


def _communities(world: DemoWorld, *codes: str) -> list:
    """The site's PLUS groups with these codes (those that exist)."""
    return list(communities_for(world.site).filter(code__in=codes))


def _pick(world: DemoWorld, queryset, most: int) -> list:
    """Up to ``most`` of the choices, the same ones every run."""
    choices = list(queryset)
    return world.random.sample(choices, min(most, len(choices)))


def _demo_connector(world: DemoWorld) -> Connector:
    host = world.users["host_coordinator"]
    user = world.users["connector"]
    today = world.today
    connector = _add(
        world,
        {
            "name": user.full_name,
            "email": user.email,
            "phone": "07700 900456",
            "role_type": RoleType.VOLUNTEER,
            "languages": ["English", "Urdu"],
            "skills": "Running a coffee morning, listening, knowing who's who on the estate",
            "interests": "Health checks, mental wellbeing, walking groups",
            "availability": "Tuesday and Thursday daytimes",
            "motivation": "Wants to help neighbours get to the health checks they miss.",
            "started_on": today - timedelta(days=70),
            "communities": _communities(world, "ethnic-minority-communities", "multi-morbidities"),
            "wards": _pick(world, wards_for(world.site), 2),
        },
    )
    connector = _move(connector, [Status.CONVERSATION, Status.CHECKS], host)
    _clear_checks(connector, today - timedelta(days=84), host)
    connector = _move(connector, [Status.TRAINING], host)
    _train(connector, today - timedelta(days=75), host)
    # She already has an account: this links the record to it. The connector role, which
    # lets her record activities and insights, is current only while she is active, which
    # the next step makes her (``actions.sync_role`` keeps it).
    actions.invite_connector(connector=connector, by=host)
    connector = _move(connector, [Status.ACTIVE], host)
    actions.add_goal(
        connector=connector,
        title="Run a health check stall at the community centre",
        detail="With the practice nurse, on a market day. Start with one morning.",
        target_date=today + timedelta(days=60),
        by=host,
    )
    actions.add_goal(
        connector=connector,
        title="Start a walking group for people new to exercise",
        target_date=today + timedelta(days=120),
        by=user,
    )
    actions.add_support_note(
        connector=connector,
        kind=SupportNote.Kind.SUPERVISION,
        happened_on=today - timedelta(days=14),
        body=(
            "Monthly supervision. Went through the coffee morning plans and how to claim bus "
            "fares. Connie is settling in well and would like to shadow the practice's "
            "social prescriber. Next supervision in four weeks."
        ),
        by=host,
    )
    return Connector.objects.get(pk=connector.pk)


def load(world: DemoWorld) -> None:
    host = world.users["host_coordinator"]
    today = world.today
    demo = _demo_connector(world)

    # New expressions of interest, as the public form sends them.
    interested = [
        actions.submit_interest(
            site=world.site,
            data={**data, "communities": _communities(world, "ethnic-minority-communities")},
        )
        for data in INTERESTED
    ]

    # Talking it through.
    conversation = _add(
        world,
        {
            "name": "Grace Demo",
            "email": "grace.demo@example.org",
            "languages": ["English"],
            "skills": "Befriending, baking",
            "availability": "Most afternoons",
            "motivation": "Met the team at the library drop-in and would like to help.",
        },
    )
    conversation = _move(conversation, [Status.CONVERSATION], host)

    # Checks clear; induction done, the rest of the training booked.
    training = _add(
        world,
        {
            "name": "Bilal Demo",
            "email": "bilal.demo@example.org",
            "languages": ["English", "Bengali"],
            "skills": "Youth work, football coaching",
            "availability": "Evenings and weekends",
        },
    )
    training = _move(training, [Status.CONVERSATION, Status.CHECKS], host)
    _clear_checks(training, today - timedelta(days=20), host)
    training = _move(training, [Status.TRAINING], host)
    _train(training, today - timedelta(days=6), host, only=1)

    # Active for nearly three years: the DBS check runs out in under three weeks.
    renewing = _add(
        world,
        {
            "name": "Morgan Demo",
            "email": "morgan.demo@example.org",
            "role_type": RoleType.SESSIONAL,
            "languages": ["English", "British Sign Language"],
            "skills": "Signing, running drop-ins",
            "availability": "Wednesdays",
            "started_on": requirements.add_months(today, -35),
        },
    )
    renewing = _move(renewing, [Status.CONVERSATION, Status.CHECKS], host)
    # Checked three years ago: a DBS check lasts three years, so it is due for renewal.
    _clear_checks(renewing, requirements.add_months(today + timedelta(days=18), -36), host)
    renewing = _move(renewing, [Status.TRAINING], host)
    _train(renewing, today - timedelta(days=150), host)
    renewing = _move(renewing, [Status.ACTIVE], host)

    # Active for a while, now taking a break.
    paused = _add(
        world,
        {
            "name": "Priya Demo",
            "email": "priya.demo@example.org",
            "languages": ["English", "Punjabi"],
            "skills": "Cooking, community events",
            "availability": "Flexible",
            "started_on": today - timedelta(days=300),
        },
    )
    paused = _move(paused, [Status.CONVERSATION, Status.CHECKS], host)
    _clear_checks(paused, today - timedelta(days=320), host)
    paused = _move(paused, [Status.TRAINING], host)
    _train(paused, today - timedelta(days=310), host)
    paused = _move(paused, [Status.ACTIVE], host)
    paused = _move(
        paused,
        [Status.PAUSED],
        host,
        reason="Asked for a break of a few months because of work; we will check in again then.",
    )

    # Active for over a year, then moved away.
    left = _add(
        world,
        {
            "name": "Sam Demo",
            "email": "sam.demo@example.org",
            "languages": ["English"],
            "skills": "Peer support, walking groups",
            "started_on": today - timedelta(days=640),
        },
    )
    left = _move(left, [Status.CONVERSATION, Status.CHECKS], host)
    _clear_checks(left, today - timedelta(days=655), host)
    left = _move(left, [Status.TRAINING], host)
    # Training must be in date to become active today: record it, then date it back.
    _train(left, today, host)
    left = _move(left, [Status.ACTIVE], host)
    left = _move(left, [Status.LEFT], host, reason="Moved to Birmingham for a new job.")
    trained = today - timedelta(days=645)
    for completion in left.training_completions.select_related("module"):
        months = completion.module.valid_for_months
        completion.completed_on = trained
        completion.expires_on = requirements.add_months(trained, months) if months else None
        completion.save(update_fields=["completed_on", "expires_on"])

    # Plausible dates for when each was added and changed stage (days ago, oldest first).
    demo = _dated(world, demo, 100, 95, 90, 80, 70)
    interested = [_dated(world, interested[0], 3), _dated(world, interested[1], 9)]
    conversation = _dated(world, conversation, 20, 12)
    training = _dated(world, training, 60, 50, 45, 15)
    renewing = _dated(world, renewing, 1110, 1105, 1100, 1080, 1065)
    paused = _dated(world, paused, 330, 325, 322, 312, 300, 40)
    left = _dated(world, left, 670, 665, 660, 650, 640, 240)

    made = [demo, *interested, conversation, training, renewing, paused, left]
    world.made["connector"] = demo
    world.made["connectors"] = [Connector.objects.get(pk=c.pk) for c in made]
    world.summary.append(
        f"Connectors: {len(made)} (2 new expressions of interest, 1 in conversation, "
        "1 in training, 2 active – the demo connector, and one with a DBS check to renew – "
        "1 paused and 1 who left)"
    )
