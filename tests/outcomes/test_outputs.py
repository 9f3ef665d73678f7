"""Output indicators computed from platform data, counted by hand from a few records."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.directory.models import Organization, Service
from core20.engagement.models import Activity, SignpostingCount
from core20.hours.models import HoursEntry
from core20.insights.models import Action, DecisionBody, Insight, Routing
from core20.network.models import Connector
from core20.outcomes import outputs
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _when(day: int):
    return timezone.make_aware(datetime(2025, 5, day, 12))


def test_outputs_count_this_sites_records_only(site, other_site, organisation, client, make_user):
    provider = Organization.objects.create(name="Stop smoking provider")
    service = Service.objects.create(organization=provider, name="Stop smoking service")
    for where, day, reached, core20 in [
        (site, date(2025, 5, 1), 30, True),
        (site, date(2025, 6, 1), 12, False),
        (site, date(2025, 7, 1), 5, None),
        (other_site, date(2025, 5, 1), 100, True),
    ]:
        activity = Activity.objects.create(
            site=where, date=day, kind="event", people_reached=reached, core20=core20
        )
        SignpostingCount.objects.create(activity=activity, service=service, count=reached // 5)
    for status in ("active", "active", "training"):
        Connector.objects.create(site=site, name=f"Connector {status}", status=status)
    elsewhere = Connector.objects.create(site=other_site, name="Elsewhere", status="active")
    mine = Connector.objects.filter(site=site).first()
    for who, where, day, logged in [
        (mine, site, 1, "2.5"),
        (mine, site, 2, "4"),
        (elsewhere, other_site, 1, "7"),
    ]:
        HoursEntry.objects.create(
            connector=who,
            site=where,
            date=date(2025, 5, day),
            hours=Decimal(logged),
            activity="Coffee morning",
        )
    body = DecisionBody.objects.create(site=site, organisation=organisation, name="PCN", kind="pcn")
    insights = [
        Insight.objects.create(
            site=site, kind="barrier", summary=f"Barrier {n}", people_count=3, raised_at=_when(n)
        )
        for n in (1, 2, 3)
    ]
    for insight, status in [(insights[0], "done"), (insights[1], "planned")]:
        routing = Routing.objects.create(
            insight=insight, body=body, routed_at=_when(4), due_on=date(2025, 6, 1)
        )
        Action.objects.create(
            routing=routing,
            description="Change",
            owner="Manager",
            due_on=date(2025, 7, 1),
            status=status,
        )
    figures = {row["key"]: row["value"] for row in outputs.site_outputs(site)}
    assert figures["reach"] == 47
    assert figures["reach_core20"] == 30
    assert figures["connectors_active"] == 2
    assert figures["insights_raised"] == 2  # the third was never sent
    assert figures["insights_actioned"] == 1
    assert figures["hours"] == 6.5
    assert figures["signposting"] == 6 + 2 + 1  # 30 // 5 + 12 // 5 + 5 // 5
    may = {
        r["key"]: r["value"]
        for r in outputs.site_outputs(site, date(2025, 5, 1), date(2025, 5, 31))
    }
    assert may["reach"] == 30
    sign_in(client, make_user("site_lead"))
    csv = client.get(reverse("outcomes:outputs-export", args=[site.slug, "csv"]))
    assert "People reached,47," in csv.content.decode()
