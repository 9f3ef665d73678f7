""" "Your activities" on a connector's home (/network/me/): how many activities they recorded
in the last 30 days and in all, their latest, and links to record one (which works offline,
as the dashboard's shortcut says) and to their list. Nobody else's activities; no panel for
people who are not connectors."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from core20.engagement.templatetags.engagement_tags import activities_summary
from core20.network.models import Connector
from tests.engagement.helpers import activity
from tests.network.home_panels import as_text, home_panel, shown_panel

pytestmark = pytest.mark.django_db

HOME = reverse("network:me")
HEADING = "Your activities"
OFFLINE = "Works with no connection: it is sent when you are back online"


def _row(text: str, key: str) -> str:
    return re.search(rf"{key} (\d+ activit(?:y|ies))", text).group(1)


def test_counts_the_last_30_days_and_all_with_the_latest(site, make_user):
    me = make_user("connector")
    today = timezone.localdate()
    activity(site, me, date=today - timedelta(days=29), kind="outreach")
    latest = activity(site, me, date=today - timedelta(days=2), kind="event", venue="Hall")
    activity(site, me, date=today - timedelta(days=30))
    activity(site, me, date=today - timedelta(days=400))
    # Recorded by their coordinator for their connector record: theirs too.
    record = Connector.objects.create(site=site, name="Con", user=me, status="active")
    activity(site, make_user("host_coordinator"), date=today - timedelta(days=5), connector=record)

    panel = shown_panel(me, HEADING)
    text = as_text(panel)
    assert _row(text, "In the last 30 days") == "3 activities"
    assert _row(text, "In total") == "5 activities"
    assert f"Latest {latest.get_kind_display()} on {today - timedelta(days=2):%-d %B %Y}" in text
    assert "Hall" in text
    assert f'href="{latest.get_absolute_url()}"' in panel
    assert f'href="{reverse("engagement:activity-new")}"' in panel
    assert f'href="{reverse("engagement:activity-list")}"' in panel
    assert f"Record an activity {OFFLINE}" in text
    assert "See your activities" in text


def test_one_activity_in_words(site, make_user):
    me = make_user("connector")
    activity(site, me, date=timezone.localdate() - timedelta(days=60))
    text = as_text(shown_panel(me, HEADING))
    assert _row(text, "In the last 30 days") == "0 activities"
    assert _row(text, "In total") == "1 activity"


def test_nobody_elses_activities(site, other_site, make_user):
    me = make_user("connector")
    today = timezone.localdate()
    activity(site, me, date=today - timedelta(days=1), kind="outreach")
    activity(site, make_user("connector"), date=today, kind="event")
    activity(site, make_user("host_coordinator"), date=today, kind="event")
    activity(other_site, make_user("connector", scope_site=other_site), date=today)
    activity(site, None, date=today)  # imported
    text = as_text(shown_panel(me, HEADING))
    assert _row(text, "In the last 30 days") == "1 activity"
    assert _row(text, "In total") == "1 activity"
    assert "Latest Outreach" in text


def test_none_recorded_yet(make_user):
    panel = shown_panel(make_user("connector"), HEADING)
    text = as_text(panel)
    assert "You have not recorded any activities yet." in text
    assert f"Record an activity {OFFLINE}" in text
    assert "See your activities" not in text


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator", "national_admin"])
def test_no_panel_for_someone_who_is_not_a_connector(site, make_user, role):
    user = make_user(role)
    activity(site, user, date=timezone.localdate())
    assert home_panel(user, HEADING) is None
    assert activities_summary(user) is None


def test_no_panel_for_someone_signed_out(rf):
    request = rf.get(HOME)
    request.user = AnonymousUser()
    html = Template('{% include "engagement/_home_panel.html" %}').render(
        Context({"request": request})
    )
    assert HEADING not in html
