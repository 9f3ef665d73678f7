"""A copy of a person's data (core20.network.personal_data) reads every connector record they
hold, and everything under each, in a fixed number of queries: the same for someone who
connects at one site as for someone who connects at three, each with checks, training,
hours, claims, the activities and insights they recorded and the rest."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.engagement.models import Activity
from core20.hours.models import ExpenseClaim, ExpenseItem, HoursEntry, Payment, Receipt
from core20.insights.models import DecisionBody, Insight, Routing
from core20.network.models import (
    Check,
    CheckType,
    Connector,
    DevelopmentGoal,
    PathwayStep,
    StatusChange,
    SupportNote,
    TrainingCompletion,
    TrainingModule,
    WellbeingFlag,
)
from core20.network.personal_data import personal_data, personal_data_of
from core20.places.models import Ward
from core20.programme.models import PlusGroup
from tests.conftest import client_for
from tests.factories import OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _record(site, user, n: int) -> Connector:
    """A record at ``site`` with two of each kind of child row."""
    today = timezone.localdate()
    connector = Connector.objects.create(
        site=site, name="Con Nector", user=user, status=Connector.Status.ACTIVE
    )
    connector.communities.set(PlusGroup.objects.all()[:2])
    connector.wards.set(
        [Ward.objects.create(code=f"E05{n:04d}{i}", name=f"Ward {n}-{i}") for i in range(2)]
    )
    body = DecisionBody.objects.create(
        site=site, organisation=OrganisationFactory(), name=f"Board {n}", kind="pcn"
    )
    check_types = CheckType.objects.filter(site__isnull=True)[:2]
    module = TrainingModule.objects.filter(site__isnull=True).first()
    for i in range(2):
        day = today - datetime.timedelta(days=i + 1)
        StatusChange.objects.create(
            connector=connector, from_status="interested", to_status="active", reason=f"Step {i}"
        )
        Check.objects.create(
            connector=connector, check_type=check_types[i], status="clear", completed_on=day
        )
        TrainingCompletion.objects.create(connector=connector, module=module, completed_on=day)
        DevelopmentGoal.objects.create(connector=connector, title=f"Goal {i}")
        PathwayStep.objects.create(connector=connector, role_type="volunteer", started_on=day)
        HoursEntry.objects.create(
            connector=connector, site=site, date=day, hours=Decimal("2"), activity="Walk"
        )
        claim = ExpenseClaim.objects.create(connector=connector, site=site, title=f"Claim {i}")
        for j in range(2):
            ExpenseItem.objects.create(
                claim=claim, date=day, description=f"Bus {j}", amount=Decimal("3.20")
            )
            Receipt.objects.create(
                claim=claim,
                file=f"receipts/{claim.pk}-{j}.pdf",
                name=f"receipt-{j}.pdf",
                content_type="application/pdf",
                size=10,
            )
        Payment.objects.create(
            connector=connector,
            site=site,
            amount=Decimal("50"),
            period_start=day,
            period_end=day,
            paid_on=day,
            method="bank",
        )
        SupportNote.objects.create(
            connector=connector, kind="supervision", happened_on=day, body=f"Note {i}"
        )
        WellbeingFlag.objects.create(connector=connector, level="watch", summary=f"Flag {i}")
        # One recorded by their account, one recorded for their record by someone else.
        for recorded_by in (user, None):
            Activity.objects.create(
                site=site,
                recorded_by=recorded_by,
                connector=connector,
                date=day,
                kind="outreach",
                people_reached=5,
            )
        insight = Insight.objects.create(
            site=site,
            kind="barrier",
            summary=f"Insight {i}",
            people_count=3,
            raised_by=user,
            raised_at=timezone.now(),
        )
        Routing.objects.create(insight=insight, body=body, routed_at=timezone.now(), due_on=today)
    return connector


def _count(connectors: list[Connector], *, confidential: bool) -> int:
    with CaptureQueriesContext(connection) as queries:
        personal_data_of(connectors, confidential=confidential)
    return len(queries)


def test_the_copy_of_one_record_or_three_takes_the_same_queries(site, people):
    me = people["connector"]
    one = [_record(site, me, 0)]
    three = [*one, *(_record(SiteFactory(name=f"Far Site {n}"), me, n) for n in (1, 2))]

    for confidential in (False, True):
        few = _count(one, confidential=confidential)
        assert _count(three, confidential=confidential) == few, confidential

    copies = personal_data_of(three, confidential=True)
    assert [len(c["expense_claims"]) for c in copies] == [2, 2, 2]
    assert [len(c["support_notes"]) for c in copies] == [2, 2, 2]
    assert [len(c["activities"]) for c in copies] == [4, 4, 4]
    assert [[len(i["sent_to"]) for i in c["insights"]] for c in copies] == [[1, 1]] * 3
    for connector, copy in zip(three, copies, strict=True):
        alone = personal_data(connector, confidential=True)
        assert {**copy, "exported_at": ""} == {**alone, "exported_at": ""}
        assert copy["connector"]["site"] == connector.site.name


def test_downloading_my_data_takes_the_same_queries_for_one_site_or_three(site, people):
    me = people["connector"]
    client = client_for(me)
    url = reverse("network:me-data")
    _record(site, me, 0)
    client.get(url)  # warm caches (session, memberships)

    def download() -> tuple[int, int, list]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        table = AuditEvent._meta.db_table
        audit = [q for q in queries if q["sql"].startswith(f'INSERT INTO "{table}"')]
        records = json.loads(response.content)["connector_records"]
        return len(queries) - len(audit), len(audit), records

    few, audited, records = download()
    assert (audited, len(records)) == (1, 1)
    for n in (1, 2):
        _record(SiteFactory(name=f"Far Site {n}"), me, n)
    many, audited, records = download()
    # One audit event for each record copied; nothing else grows.
    assert (audited, len(records)) == (3, 3)
    assert many == few
    assert [len(r["hours"]) for r in records] == [2, 2, 2]
    assert [len(r["insights"]) for r in records] == [2, 2, 2]
