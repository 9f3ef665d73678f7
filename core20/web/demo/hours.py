"""Demo hours and expenses: a couple of months of the demo connector's volunteering and her
expense claims at each stage, through core20.hours.actions (so each step is checked and
audited).

- The host coordinator switches on time credits for the site (one credit per hour).
- The demo connector logs her hours, one or two sessions a week over the last eight weeks;
  the coordinator approves those more than a fortnight old.
- The host coordinator logs a few hours for the other active connector (who has no account)
  and records a sessional payment to them.
- The demo connector's expense claims, each with a small receipt (a one-page PDF made here):
  one paid, one approved and waiting to be paid, one submitted and waiting for the
  coordinator's decision, and one draft not yet sent.

The actions stamp "now"; afterwards, plain updates move when each entry was logged and
approved, and when each claim was made, sent and decided, back to plausible times (the audit
events keep the real time), as the network and insights parts do.

Needs ``world.made["connector"]`` and ``world.made["connectors"]`` (from the network part).
Puts in ``world.made``:

- ``"hours"``: every ``HoursEntry`` made here;
- ``"claims"``: the demo connector's ``ExpenseClaim``s by status value
  (``"paid"``, ``"approved"``, ``"submitted"``, ``"draft"``).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from core20.hours import actions
from core20.hours.models import ExpenseClaim, HoursEntry
from core20.network.models import Connector, RoleType
from core20.web.demo import DemoWorld, at

Status = ExpenseClaim.Status

ACTIVITIES = (
    "Coffee morning at the community centre",
    "Health check stall in the GP practice waiting room",
    "Walk and talk group in the park",
    "Advice table at the food bank",
    "Connector team meeting",
    "Calling residents back about the health check sessions",
    "Drop-in at the library",
)

# When each claim was made and sent, and decided (days ago; None: not decided).
CLAIM_DATES = {
    Status.PAID: (44, 40),
    Status.APPROVED: (23, 20),
    Status.SUBMITTED: (1, None),
    Status.DRAFT: (1, None),
}


def _date_entries(world: DemoWorld, entries: list[HoursEntry]) -> None:
    """Logged the evening of the day; approved a fortnight later (by the day before today)."""
    latest = world.today - timedelta(days=1)
    # Read back: the approvals were saved on copies the actions loaded, not on these.
    for entry in HoursEntry.objects.filter(pk__in=[e.pk for e in entries]):
        approved = at(min(entry.date + timedelta(days=14), latest), 11) if entry.approved else None
        HoursEntry.objects.filter(pk=entry.pk).update(
            logged_at=at(entry.date, 18), approved_at=approved
        )


def _date_claim(world: DemoWorld, claim: ExpenseClaim, status: str) -> None:
    made, decided = CLAIM_DATES[status]
    made_at = world.days_ago(made, 19)
    ExpenseClaim.objects.filter(pk=claim.pk).update(
        created_at=made_at,
        submitted_at=made_at if claim.submitted_at else None,
        decided_at=world.days_ago(decided) if decided else None,
    )


# (what the claim is for, [(days ago, item, amount)]), newest last.
CLAIMS = {
    Status.PAID: (
        "Bus fares for outreach sessions",
        [(52, "Return bus fare to the food bank", "4.80"), (45, "Return bus fare", "4.80")],
    ),
    Status.APPROVED: (
        "Refreshments for the coffee morning",
        [(24, "Tea, coffee, milk and biscuits", "12.65")],
    ),
    Status.SUBMITTED: (
        "Travel to the health check stall",
        [(9, "Return bus fare to the practice", "4.80"), (2, "Return bus fare", "4.80")],
    ),
    Status.DRAFT: (
        "Printing leaflets for the walking group",
        [(1, "Printing 50 leaflets", "7.50")],
    ),
}


def receipt_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF showing ``lines`` (a stand-in for a scanned receipt)."""
    text = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(
        "({}) '".format(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)"))
        for line in lines
    )
    stream = text.encode("latin-1") + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _receipt(name: str, items: list[tuple[date, str, Decimal]]) -> SimpleUploadedFile:
    lines = ["RECEIPT (demo)", ""]
    lines += [f"{day:%d/%m/%Y}  {item}  GBP {amount}" for day, item, amount in items]
    return SimpleUploadedFile(name, receipt_pdf(lines), content_type="application/pdf")


def _log_connie_hours(world: DemoWorld, connector: Connector) -> list[HoursEntry]:
    user = world.users["connector"]
    host = world.users["host_coordinator"]
    entries = []
    # One or two sessions a week over the last eight weeks (since she became active).
    for week in range(8):
        days = sorted(world.random.sample(range(1, 7), world.random.choice((1, 2))))
        for day in days:
            ago = week * 7 + day
            entries.append(
                actions.log_hours(
                    connector=connector,
                    date=world.today - timedelta(days=ago),
                    hours=Decimal(world.random.choice(("1.5", "2", "2.5", "3"))),
                    activity=world.random.choice(ACTIVITIES),
                    by=user,
                )
            )
    # The coordinator has checked everything more than a fortnight old.
    for entry in entries:
        if entry.date < world.today - timedelta(days=14):
            actions.approve_hours(entry=entry, by=host)
    return entries


def _log_for_others(world: DemoWorld) -> list[HoursEntry]:
    """The coordinator logs hours for the other active connectors (no account of their own),
    and pays the sessional ones for last month."""
    host = world.users["host_coordinator"]
    demo = world.made["connector"]
    entries = []
    others = [
        c
        for c in world.made["connectors"]
        if c.pk != demo.pk and c.status == Connector.Status.ACTIVE
    ]
    for connector in others:
        for ago in (4, 11, 18):
            entries.append(
                actions.log_hours(
                    connector=connector,
                    date=world.today - timedelta(days=ago),
                    hours=Decimal("3"),
                    activity="Drop-in session for Deaf residents at the community hub",
                    by=host,
                )
            )
        if connector.role_type == RoleType.SESSIONAL:
            actions.record_payment(
                connector=connector,
                data={
                    "amount": Decimal("144.00"),
                    "period_start": world.today - timedelta(days=35),
                    "period_end": world.today - timedelta(days=8),
                    "paid_on": world.today - timedelta(days=5),
                    "method": "bank",
                    "reference": "DEMO-PAY-001",
                    "benefits_considerations": "",
                },
                by=host,
            )
    return entries


def _claim(world: DemoWorld, connector: Connector, status: str) -> ExpenseClaim:
    user = world.users["connector"]
    host = world.users["host_coordinator"]
    title, lines = CLAIMS[status]
    items = [
        (world.today - timedelta(days=ago), item, Decimal(amount)) for ago, item, amount in lines
    ]
    claim = actions.create_claim(connector=connector, title=title, by=user)
    for day, item, amount in items:
        actions.add_item(claim=claim, date=day, description=item, amount=amount, by=user)
    if status == Status.DRAFT:
        return claim  # the receipt is still to come
    receipt = actions.add_receipt(claim=claim, upload=_receipt("receipt.pdf", items), by=user)
    world.wrote(receipt.file)
    claim = actions.submit_claim(claim=claim, by=user)
    if status in (Status.APPROVED, Status.PAID):
        claim = actions.approve_claim(claim=claim, by=host)
    if status == Status.PAID:
        last = max(day for day, _, _ in items)
        claim = actions.mark_claim_paid(claim=claim, paid_on=last + timedelta(days=10), by=host)
    return claim


def load(world: DemoWorld) -> None:
    connector = world.made["connector"]
    actions.set_time_credits(
        site=world.site,
        enabled=True,
        hours_per_credit=Decimal("1"),
        by=world.users["host_coordinator"],
    )
    entries = _log_connie_hours(world, connector)
    others = _log_for_others(world)
    claims = {status.value: _claim(world, connector, status) for status in CLAIMS}
    _date_entries(world, [*entries, *others])
    for status, claim in claims.items():
        _date_claim(world, claim, status)
    claims = {status: ExpenseClaim.objects.get(pk=claim.pk) for status, claim in claims.items()}
    world.made["hours"] = [*entries, *others]
    world.made["claims"] = claims
    total = sum((e.hours for e in entries), Decimal(0))
    world.summary.append(
        f"Hours and expenses: {len(entries)} sessions ({total.normalize():f} hours) logged by "
        f"the demo connector and {len(others)} by the coordinator for others; expense claims: "
        "1 paid, 1 approved to pay, 1 waiting for a decision, 1 draft"
    )
