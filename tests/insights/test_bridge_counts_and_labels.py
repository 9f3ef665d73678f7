"""Fixes from a review of the bridge: the accountability figures count insights once however
many bodies they went to (sendings are labelled as such); the send page says when there is
no one left to send to; a routing's button says "Add another response" once it has one; a
decision-maker's list puts what awaits their response first, soonest due first; the dashboard
does not repeat the count where everything counted is overdue."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.insights import actions, home
from core20.insights.models import Routing
from core20.web.dashboard import Waiting
from tests.conftest import client_for, page_html
from tests.insights import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


@pytest.fixture
def decider(make_user):
    return make_user("decision_maker")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _due(routing: Routing, days_from_today: int) -> None:
    today = timezone.localdate()
    Routing.objects.filter(pk=routing.pk).update(due_on=today + timedelta(days=days_from_today))


# ---- 1. an insight sent to two bodies is one insight sent, and two sendings ----


def test_figures_count_an_insight_sent_to_two_bodies_once(site, lead, organisation):
    board = helpers.body(site, lead, organisation=organisation, name="Council board")
    forum = helpers.body(site, lead, name="Health forum")
    helpers.route(helpers.insight(site, lead), [board, forum], lead)
    html = page_html(lead, reverse("insights:site-figures", args=[site.slug]))
    text = _text(html)
    assert "1 insight sent to decision-makers, 2 sendings in all: 0 sendings answered" in text
    assert "2 insights sent" not in text
    # The table says which is which: one insight sent, two sendings, both awaiting.
    assert "Insights sent 1" in text and "Sendings 2" in text
    assert "Sendings awaiting a response 2" in text


def test_figures_say_nothing_of_sendings_when_each_insight_went_to_one_body(
    site, lead, organisation
):
    board = helpers.body(site, lead, organisation=organisation)
    for _ in range(2):
        helpers.route(helpers.insight(site, lead), [board], lead)
    text = _text(page_html(lead, reverse("insights:site-figures", args=[site.slug])))
    assert "2 insights sent to decision-makers: 0 answered" in text
    assert "sendings in all" not in text


# ---- 2. sent to every body: say so, and where to add one ----


def test_sent_to_every_body_says_so_and_links_to_adding_one(site, lead, organisation):
    board = helpers.body(site, lead, organisation=organisation, name="Council board")
    insight = helpers.insight(site, lead)
    helpers.route(insight, [board], lead)
    html = page_html(lead, reverse("insights:insight-route", args=[insight.pk]))
    assert "has been sent to every decision-making organisation and forum" in html
    assert f'href="{reverse("insights:body-create", args=[site.slug])}"' in html
    assert f'href="{insight.get_absolute_url()}"' in html
    assert "Send it to" not in html and 'type="submit"' not in _main(html)
    # Sending it nowhere is not offered either.
    response = client_for(lead).post(reverse("insights:insight-route", args=[insight.pk]))
    assert response.status_code == 200
    assert "has been sent to every" in response.content.decode()
    assert Routing.objects.filter(insight=insight).count() == 1


def test_a_site_with_no_bodies_says_to_add_one_first(site, lead):
    insight = helpers.insight(site, lead)
    html = page_html(lead, reverse("insights:insight-route", args=[insight.pk]))
    assert "has no decision-making organisations or forums to send insights to yet" in html
    assert f'href="{reverse("insights:body-create", args=[site.slug])}"' in html


def test_the_form_is_still_offered_while_a_body_is_left(site, lead, organisation):
    board = helpers.body(site, lead, organisation=organisation, name="Council board")
    helpers.body(site, lead, name="Health forum")
    insight = helpers.insight(site, lead)
    helpers.route(insight, [board], lead)
    html = page_html(lead, reverse("insights:insight-route", args=[insight.pk]))
    assert "Send it to" in html and "Health forum" in html
    assert "has been sent to every" not in html


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


# ---- 3. after a response, the button says it adds another ----


def test_the_routing_button_says_add_another_response_once_answered(
    site, lead, organisation, decider
):
    board = helpers.body(site, lead, organisation=organisation)
    (routing,) = helpers.route(helpers.insight(site, lead), [board], lead)
    url = routing.get_absolute_url()
    assert '"button" draggable="false">Respond</a>' in page_html(decider, url)
    actions.respond(routing=routing, kind="acknowledged", by=decider)
    html = page_html(decider, url)
    assert '"button" draggable="false">Add another response</a>' in html
    assert ">Respond</a>" not in html
    # The form it opens says the same, and that the earlier response stays.
    form = page_html(decider, reverse("insights:routing-respond", args=[routing.pk]))
    assert f"<h1>Add another response for {board.name}</h1>" in form
    assert "This adds another response; the earlier ones stay on the record." in form


# ---- 4. a decision-maker's list: awaiting their response first, soonest due first ----


def test_a_decision_makers_list_puts_overdue_and_soonest_due_first(
    site, lead, organisation, decider
):
    board = helpers.body(site, lead, organisation=organisation)

    def sent(summary, due_in_days, answered=False):
        (routing,) = helpers.route(helpers.insight(site, lead, summary=summary), [board], lead)
        _due(routing, due_in_days)
        if answered:
            actions.respond(routing=routing, kind="acknowledged", by=decider)

    # Made oldest first: newest first would list them in reverse.
    sent("Overdue one", -3)
    sent("Answered old", -10, answered=True)
    sent("Due later", 9)
    sent("Due soon", 2)
    sent("Answered new", 5, answered=True)
    html = page_html(decider, reverse("insights:insight-list"))
    shown = re.findall(r"Barrier: (Overdue one|Answered old|Due later|Due soon|Answered new)", html)
    assert shown == ["Overdue one", "Due soon", "Due later", "Answered new", "Answered old"]
    assert "Those waiting for your response come first" in html
    # The site's team still sees newest first.
    html = page_html(lead, reverse("insights:insight-list"))
    shown = re.findall(r"Barrier: (Overdue one|Answered old|Due later|Due soon|Answered new)", html)
    assert shown == ["Answered new", "Due soon", "Due later", "Answered old", "Overdue one"]


# ---- 5. the dashboard does not repeat the count where all counted are overdue ----


def test_the_dashboard_does_not_repeat_a_count_that_is_all_overdue(site, lead, organisation):
    board = helpers.body(site, lead, organisation=organisation)
    (routing,) = helpers.route(helpers.insight(site, lead), [board], lead)
    _due(routing, -1)
    (entry,) = [w for w in home.waiting(lead) if "chase" in w.text]
    assert (entry.text, entry.overdue) == ("1 insight to chase for a response", 1)
    html = page_html(lead, reverse("web:home"))
    assert ">1 insight to chase for a response</a>" in html
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>' in html
    assert ">1 overdue</strong>" not in html


def test_overdue_wording_says_how_many_only_when_some_are_not():
    def said(count, overdue):
        return Waiting(count, "thing", "things", "/", overdue=overdue).overdue_text

    assert said(3, 1) == "1 overdue"
    assert said(1, 1) == "Overdue"
    assert said(2, 2) == "All overdue"
    assert said(2, 0) == ""
