"""An activity's name says where it was, when the connector gave a venue: two outreach
sessions on one day are told apart in the insight form's "Activity where you heard it",
on the activity's own pages and in the audit log."""

from datetime import date

import pytest
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.engagement import actions
from tests.conftest import sign_in
from tests.engagement import helpers

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 23)


def test_the_name_has_the_venue_when_there_is_one(site):
    assert (
        str(helpers.activity(site, date=DAY, venue="Family hub, Madeley"))
        == "Outreach at Family hub, Madeley on 23 Nov 2026"
    )
    assert str(helpers.activity(site, date=DAY, kind="event")) == "Event on 23 Nov 2026"
    assert str(helpers.activity(site, date=DAY, venue="  ")) == "Outreach on 23 Nov 2026"
    long = str(helpers.activity(site, date=DAY, venue="Hall " * 40))
    assert long.endswith("… on 23 Nov 2026") and len(long) < 110


def test_two_activities_on_one_day_are_told_apart_where_an_insight_is_recorded(
    client, make_user, site
):
    me = make_user("connector")
    helpers.activity(site, me, date=DAY, venue="Family hub, Madeley")
    helpers.activity(site, me, date=DAY, venue="Library")
    sign_in(client, me)
    page = client.get(reverse("insights:insight-create", args=[site.slug])).content.decode()
    assert ">Outreach at Family hub, Madeley on 23 Nov 2026</option>" in page
    assert ">Outreach at Library on 23 Nov 2026</option>" in page


def test_the_activity_pages_and_the_audit_log_name_the_venue(client, make_user, site):
    me = make_user("connector")
    activity, _ = actions.record_activity(
        by=me,
        site=site,
        data={"date": DAY, "kind": "outreach", "people_reached": 1, "venue": "Family hub"},
    )
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, object_id=str(activity.pk))
    assert event.object_label == "Outreach at Family hub on 23 Nov 2026"
    sign_in(client, me)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "<h1>Outreach at Family hub on 23 Nov 2026</h1>" in page
    page = client.get(reverse("engagement:activity-delete", args=[activity.pk])).content.decode()
    assert (
        f"<p>Outreach at Family hub on 23 Nov 2026 ({site.name}), reaching 1 person. "
        "This cannot be undone.</p>"
    ) in page
