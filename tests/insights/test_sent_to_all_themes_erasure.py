"""Fixes from the insights journey review: no "Send to decision-makers" button once an
insight has gone to every decision body it can; the themes page's label and what saving no
themes does; a connector's erasure taking their name off the insights they recorded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.accounts.models import Membership
from core20.audit.models import AuditEvent
from core20.insights import actions
from core20.insights.models import DecisionBody, Insight, Quote, Theme
from core20.insights.personal_data import forget_recorder
from tests.conftest import client_for, page_html
from tests.insights import helpers

pytestmark = pytest.mark.django_db

SEND_BUTTON = ">Send to decision-makers</a>"


@pytest.fixture
def people(make_user):
    return {
        "lead": make_user("site_lead"),
        "connector": make_user("connector", full_name="Connie Connector"),
    }


def _queries(user, url: str) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# ---- 1. sent to every decision body: no button to an explanation page ----


def test_the_send_button_goes_once_every_body_has_the_insight(site, organisation, people):
    lead = people["lead"]
    insight = helpers.insight(site, people["connector"])
    pcn = helpers.body(site, lead, organisation=organisation, name="Riverside PCN")
    board = helpers.body(site, lead, organisation=organisation, name="Health board")
    url = insight.get_absolute_url()
    route_url = reverse("insights:insight-route", args=[insight.pk])

    helpers.route(insight, [pcn], lead)
    page = page_html(lead, url)
    assert SEND_BUTTON in page and f'href="{route_url}"' in page
    assert "has been sent to all" not in page
    one_left = _queries(lead, url)

    helpers.route(insight, [board], lead)
    page = page_html(lead, url)
    assert SEND_BUTTON not in page and f'href="{route_url}"' not in page
    assert (
        "This insight has been sent to all 2 decision-making organisations and forums that "
        f"{site.name} sends insights to." in page
    )
    add_body = reverse("insights:body-create", args=[site.slug])
    assert f'<a href="{add_body}">add that organisation or forum</a>' in page
    # The routings are still listed, each with a link to its page.
    for routing in insight.routings.all():
        assert f'href="{routing.get_absolute_url()}">{routing.body.name}</a>' in page
    # Knowing that takes no more queries.
    assert _queries(lead, url) == one_left


def test_a_body_taken_out_of_use_does_not_bring_the_button_back(site, organisation, people):
    lead = people["lead"]
    insight = helpers.insight(site, people["connector"])
    pcn = helpers.body(site, lead, organisation=organisation, name="Riverside PCN")
    old = helpers.body(site, lead, organisation=organisation, name="Old forum")
    helpers.route(insight, [pcn], lead)
    DecisionBody.objects.filter(pk=old.pk).update(active=False)

    page = page_html(lead, insight.get_absolute_url())
    assert SEND_BUTTON not in page
    assert (
        "This insight has been sent to the one decision-making organisation or forum that "
        f"{site.name} sends insights to." in page
    )


def test_with_no_bodies_at_all_the_page_says_to_add_one_and_still_offers_to_keep(site, people):
    insight = helpers.insight(site, people["connector"])
    page = page_html(people["lead"], insight.get_absolute_url())
    assert SEND_BUTTON not in page
    assert (
        f"{site.name} has no decision-making organisations or forums to send insights to yet."
        in page
    )
    assert (
        f'<a href="{reverse("insights:body-create", args=[site.slug])}">add a decision-making '
        "organisation or forum</a>" in page
    )
    assert ">Keep without sending</a>" in page


# ---- 2. the themes page ----


@pytest.fixture
def themes(site):
    return [
        Theme.objects.create(name="Night buses"),
        Theme.objects.create(name="Bus passes", site=site),
    ]


def test_the_themes_page_does_not_call_its_only_question_optional(site, people, themes):
    insight = helpers.insight(site, people["connector"])
    page = page_html(people["lead"], reverse("insights:insight-themes", args=[insight.pk]))
    assert "Themes (optional)" not in page and "(optional)" not in page
    assert "To take all its themes off, untick them all." in page


def test_saving_themes_says_which_and_saving_none_says_it_has_none(site, people, themes):
    lead = people["lead"]
    insight = helpers.insight(site, people["connector"])
    url = reverse("insights:insight-themes", args=[insight.pk])
    client = client_for(lead)

    response = client.post(url, {"themes": [t.pk for t in themes]}, follow=True)
    assert "The themes have been saved: Bus passes, Night buses." in (response.content.decode())
    assert set(insight.themes.all()) == set(themes)

    response = client.post(url, {}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == insight.get_absolute_url()
    assert "This insight has no themes now." in page
    assert "The themes have been saved" not in page
    assert not insight.themes.exists()
    assert AuditEvent.objects.filter(summary="Changed the themes").count() == 2


# ---- 3. erasure takes the recorder's name off, keeps the insight ----


def test_forgetting_the_recorder_keeps_the_insight_without_their_name(
    site, other_site, organisation, people, make_user
):
    lead, connie = people["lead"], people["connector"]
    insight = helpers.insight(site, connie, summary="The bus to the surgery stopped running")
    actions.add_quote(
        insight=insight, text="I walk two miles", consent=True, consent_public=True, by=connie
    )
    helpers.route(insight, [helpers.body(site, lead, organisation=organisation)], lead)
    # She connects at another site too, so her account stays when this site erases her.
    Membership.objects.create(user=connie, role="connector", site=other_site)
    connie.forget_memberships()
    elsewhere = helpers.insight(other_site, connie, summary="At the other site")
    url = insight.get_absolute_url()
    assert "by Connie Connector" in page_html(lead, url)

    assert forget_recorder(user=connie, site=site, by=lead) == 1

    page = page_html(lead, url)
    assert "Connie" not in page
    assert "The bus to the surgery stopped running" in page and "I walk two miles" in page
    insight.refresh_from_db()
    assert insight.raised_by is None and insight.routings.count() == 1
    assert Quote.objects.get(insight=insight).added_by is None
    # Only that site's: what they recorded at another site is theirs still.
    assert Insight.objects.get(pk=elsewhere.pk).raised_by == connie
    # They no longer find it among their own insights.
    assert client_for(connie).get(url).status_code == 404
    # Audited on the insight, without their name.
    event = AuditEvent.objects.get(
        object_type="insights.Insight",
        object_id=str(insight.pk),
        summary__startswith="No longer linked",
    )
    assert "Connie" not in f"{event.object_label} {event.summary} {event.changes}"
