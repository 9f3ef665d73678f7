""" "Insights you raised" on a connector's home (/network/me/): their latest five insights,
each saying where it stands with decision-makers in the insights list's own words, how many
they raised in all, and where to record another. Nobody else's insights; no panel for people
who are not connectors."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core20.insights import actions
from core20.insights.models import Response, Routing
from core20.insights.templatetags.insights_tags import insights_summary
from tests.conftest import client_for
from tests.factories import MembershipFactory
from tests.insights import helpers
from tests.network.home_panels import as_text, home_panel, shown_panel

pytestmark = pytest.mark.django_db

HOME = reverse("network:me")
HEADING = "Insights you raised"


@pytest.fixture
def people(make_user):
    return {
        role: make_user(role)
        for role in ("site_lead", "host_coordinator", "connector", "decision_maker")
    }


def test_each_insight_says_where_it_stands_with_links(site, organisation, people):
    me, lead = people["connector"], people["site_lead"]
    ours = helpers.body(site, lead, organisation=organisation, name="Riverside PCN")
    helpers.insight(site, me, summary="Nobody has sent this yet")
    waiting = helpers.insight(site, me, summary="The PCN has not answered yet")
    (waiting_routing,) = helpers.route(waiting, [ours], lead)
    answered = helpers.insight(site, me, summary="The PCN answered this one")
    (answered_routing,) = helpers.route(answered, [ours], lead)
    actions.respond(
        routing=answered_routing, kind=Response.Kind.ACKNOWLEDGED, by=people["decision_maker"]
    )
    late = helpers.insight(site, me, summary="The PCN is late with this one")
    (late_routing,) = helpers.route(late, [ours], lead)
    Routing.objects.filter(pk=late_routing.pk).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    shown = helpers.insight(site, me, summary="This one changed something")
    actions.publish(
        insight=shown,
        public=True,
        public_title="Phones at 8am",
        what_changed="Lines open at 7am",
        by=lead,
    )

    panel = shown_panel(me, HEADING)
    text = as_text(panel)
    # Each insight's line, by its summary (the heading reads "Barrier: <summary>").
    items = {
        as_text(re.search(r"<h3.*?</h3>", item, re.S).group(0)).split(": ", 1)[1]: as_text(item)
        for item in re.findall(r"<li>\s*<h3.*?</li>", panel, re.S)
    }
    assert set(items) == {
        "Nobody has sent this yet",
        "The PCN has not answered yet",
        "The PCN answered this one",
        "The PCN is late with this one",
        "This one changed something",
    }
    due = waiting_routing.due_on.strftime("%-d %b %Y")
    assert f"Sent to: Riverside PCN (response due {due})" in items["The PCN has not answered yet"]
    assert "Overdue" not in items["The PCN has not answered yet"]
    assert "Sent to: Riverside PCN (responded)" in items["The PCN answered this one"]
    assert "Overdue" not in items["The PCN answered this one"]
    assert "Overdue" in items["The PCN is late with this one"]
    assert "Public" in items["This one changed something"]
    assert "Sent to" not in items["Nobody has sent this yet"]
    assert "Public" not in items["The PCN has not answered yet"]
    # Each opens its own page; each body it went to, its routing.
    for insight in (waiting, answered, late, shown):
        assert f'href="{insight.get_absolute_url()}"' in panel
    assert f'href="{waiting_routing.get_absolute_url()}"' in panel
    assert f'href="{reverse("insights:insight-create", args=[site.slug])}"' in panel
    assert f'href="{reverse("insights:insight-list")}"' in panel
    assert "Record an insight" in text and "See all insights" in text
    # Five or fewer: no total to explain.
    assert "You have raised" not in text


def test_the_wording_is_the_insights_lists_own(client, site, organisation, people):
    me, lead = people["connector"], people["site_lead"]
    ours = helpers.body(site, lead, organisation=organisation, name="Riverside PCN")
    (routing,) = helpers.route(helpers.insight(site, me, summary="Late"), [ours], lead)
    Routing.objects.filter(pk=routing.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    listing = as_text(client_for(me).get(reverse("insights:insight-list")).content.decode())
    sent = re.search(r"Sent to: .*?Overdue", listing).group(0)
    assert sent in as_text(shown_panel(me, HEADING))


def test_only_the_latest_five_with_the_total(site, people):
    me = people["connector"]
    for n in range(7):
        helpers.insight(site, me, summary=f"Insight number {n}")
    text = as_text(shown_panel(me, HEADING))
    assert "You have raised 7 insights. These are the latest 5." in text
    assert [n for n in range(7) if f"Insight number {n}" in text] == [2, 3, 4, 5, 6]


def test_nobody_elses_insights(site, other_site, make_user, people):
    me = people["connector"]
    helpers.insight(site, me, summary="Mine to show")
    colleague = make_user("connector")
    helpers.insight(site, colleague, summary="A colleague's")
    helpers.insight(site, people["host_coordinator"], summary="The coordinator's")
    helpers.insight(site, people["site_lead"], summary="The lead's")
    elsewhere = make_user("connector", scope_site=other_site)
    helpers.insight(other_site, elsewhere, summary="Another site's")
    text = as_text(shown_panel(me, HEADING))
    assert "Mine to show" in text
    for summary in ("A colleague's", "The coordinator's", "The lead's", "Another site's"):
        assert summary not in text


def test_none_raised_says_what_an_insight_is(site, people):
    panel = shown_panel(people["connector"], HEADING)
    text = as_text(panel)
    assert "You have not raised any insights yet. An insight is what the people you meet" in text
    assert f'href="{reverse("insights:insight-create", args=[site.slug])}"' in panel
    assert "See all insights" not in text


def test_a_connector_at_two_sites_records_at_either(site, other_site, people):
    me = people["connector"]
    MembershipFactory(user=me, role="connector", site=other_site)
    helpers.insight(other_site, me, summary="Raised elsewhere")
    panel = shown_panel(me, HEADING)
    text = as_text(panel)
    assert f"Record an insight for {site.name}" in text
    assert f"Record an insight for {other_site.name}" in text
    assert f"{other_site.name} ·" in text and "Raised elsewhere" in text


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator", "decision_maker"])
def test_no_panel_for_someone_who_is_not_a_connector(site, people, role):
    user = people[role]
    if role != "decision_maker":
        helpers.insight(site, user, summary="Raised by the site team")
    assert home_panel(user, HEADING) is None
    assert insights_summary(user) is None


def test_no_panel_for_someone_signed_out(rf: RequestFactory):
    request = rf.get(HOME)
    request.user = AnonymousUser()
    html = Template('{% include "insights/_home_panel.html" %}').render(
        Context({"request": request})
    )
    assert HEADING not in html
