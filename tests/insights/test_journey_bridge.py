"""Fixes from walking the bridge as its users: the site team tags an insight's themes when
it reviews it; a site's accountability figures name the site; an overdue action says so;
the response form shows what is being answered; fields needed only sometimes are not called
"(optional)"; a decision-maker's status filter offers only what applies to them; the list
says when an insight is kept without sending."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.insights import actions
from core20.insights.models import Action, Theme
from tests.conftest import client_for, page_html
from tests.insights import helpers
from tests.network.home_panels import shown_panel

pytestmark = pytest.mark.django_db

OVERDUE = '<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>'


@pytest.fixture
def people(make_user):
    return {
        "host": make_user("host_coordinator"),
        "connector": make_user("connector"),
        "decider": make_user("decision_maker"),
    }


@pytest.fixture
def raised(site, people):
    return helpers.insight(
        site,
        people["connector"],
        summary="Blood pressure checks after Friday prayers reached men who never had one.",
    )


@pytest.fixture
def sent(site, organisation, people):
    body = helpers.body(site, people["host"], organisation=organisation, name="Council board")
    insight = helpers.insight(
        site, people["connector"], summary="Older people cannot book a health check online."
    )
    (routing,) = helpers.route(insight, [body], people["host"])
    return routing


def _theme(name, site=None):
    return Theme.objects.get_or_create(name=name, site=site)[0]


# ---- 1. the site team tags themes when it reviews an insight ----


def test_host_coordinator_changes_the_themes_of_an_insight_a_connector_raised(site, people, raised):
    faith, fear = _theme("Culture and faith"), _theme("Fear and mistrust")
    own = _theme("Mosque outreach", site=site)
    raised.themes.set([fear])
    url = raised.get_absolute_url()
    themes_url = reverse("insights:insight-themes", args=[raised.pk])
    page = page_html(people["host"], url)
    assert f'href="{themes_url}"' in page and "Change<span" in page
    form = page_html(people["host"], themes_url)
    assert "Mosque outreach" in form and "Culture and faith" in form

    response = client_for(people["host"]).post(
        themes_url, {"themes": [faith.pk, own.pk]}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    body = response.content.decode()
    assert "The themes have been saved: Culture and faith, Mosque outreach." in body
    assert "Culture and faith, Mosque outreach" in body
    assert set(raised.themes.all()) == {faith, own}
    event = AuditEvent.objects.get(summary="Changed the themes")
    assert event.actor_id == people["host"].pk
    assert event.changes["themes"] == [
        ["Fear and mistrust"],
        ["Culture and faith", "Mosque outreach"],
    ]


def test_saving_the_same_themes_records_nothing_and_none_may_be_chosen(people, raised):
    fear = _theme("Fear and mistrust")
    raised.themes.set([fear])
    actions.set_themes(insight=raised, themes=[fear], by=people["host"])
    assert not AuditEvent.objects.filter(summary="Changed the themes").exists()
    actions.set_themes(insight=raised, themes=[], by=people["host"])
    assert not raised.themes.exists()


def test_who_may_change_themes_and_which(site, other_site, people, raised):
    themes_url = reverse("insights:insight-themes", args=[raised.pk])
    # The connector who recorded it sees the themes but cannot change them.
    assert "Change<span" not in page_html(people["connector"], raised.get_absolute_url())
    assert client_for(people["connector"]).get(themes_url).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.set_themes(insight=raised, themes=[], by=people["connector"])
    # Another site's theme is not on offer and the action refuses it.
    theirs = _theme("Their own theme", site=other_site)
    response = client_for(people["host"]).post(themes_url, {"themes": [theirs.pk]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError, match="national list or this site's own"):
        actions.set_themes(insight=raised, themes=[theirs], by=people["host"])


def test_a_theme_taken_out_of_use_stays_on_offer_while_the_insight_has_it(people, raised):
    old = _theme("Old theme")
    raised.themes.set([old])
    Theme.objects.filter(pk=old.pk).update(active=False)
    themes_url = reverse("insights:insight-themes", args=[raised.pk])
    assert "Old theme" in page_html(people["host"], themes_url)
    actions.set_themes(insight=raised, themes=[old], by=people["host"])
    assert list(raised.themes.all()) == [old]


def test_the_send_form_says_when_a_response_will_be_due(site, organisation, people, raised):
    helpers.body(site, people["host"], organisation=organisation, name="Council board")
    url = reverse("insights:insight-route", args=[raised.pk])
    page = page_html(people["host"], url)
    promised = re.search(r"sent today, a response is due by (\d+ \w+ \d{4})\.", page)
    assert promised, "the form does not say when a response will be due"
    body = raised.site.decision_bodies.get()
    client_for(people["host"]).post(url, {"bodies": [body.pk]})
    routing = raised.routings.get()
    assert f"{routing.due_on:%-d %B %Y}" == promised.group(1)


# ---- 2. a site's accountability figures name the site, not "All sites" ----


def test_site_figures_overall_row_names_the_site(site, people, sent):
    page = page_html(people["host"], reverse("insights:site-figures", args=[site.slug]))
    assert "All sites" not in page
    assert f'aria-hidden="true">Scope </span>{site.name}</td>' in page


# ---- 3. an overdue action says so ----


def test_an_overdue_action_is_tagged_on_the_routing_and_insight_pages(people, sent):
    action = actions.add_action(
        routing=sent,
        data={
            "description": "Fortnightly adviser at the food bank",
            "owner": "Service manager",
            "due_on": timezone.localdate() + timedelta(days=5),
            "status": Action.Status.PLANNED,
        },
        by=people["decider"],
    )
    routing_url = sent.get_absolute_url()
    assert OVERDUE not in page_html(people["decider"], routing_url)
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    assert OVERDUE in page_html(people["decider"], routing_url)
    insight_page = page_html(people["host"], sent.insight.get_absolute_url())
    assert "1 action" in insight_page
    assert '<strong class="nhsuk-tag nhsuk-tag--red">1 overdue</strong>' in insight_page
    # Done is not overdue, whatever its due date.
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)
    assert OVERDUE not in page_html(people["decider"], routing_url)


# ---- 4. the response form shows what is being answered ----


def test_response_form_shows_the_insight_and_when_it_is_overdue(people, sent):
    url = reverse("insights:routing-respond", args=[sent.pk])
    page = page_html(people["decider"], url)
    assert "Older people cannot book a health check online." in page
    assert "Barrier, raised by 12 people" in page
    assert OVERDUE not in page
    sent.due_on = timezone.localdate() - timedelta(days=1)
    sent.save(update_fields=["due_on"])
    assert OVERDUE in page_html(people["decider"], url)
    # A mistake keeps the insight on the page beside the error.
    response = client_for(people["decider"]).post(url, {"kind": "declined"})
    body = response.content.decode()
    assert "Give the reason for declining" in body
    assert "Older people cannot book a health check online." in body


# ---- 5. fields needed only sometimes are not called "(optional)" ----


def test_sometimes_needed_fields_are_not_labelled_optional(people, sent):
    respond = page_html(people["decider"], reverse("insights:routing-respond", args=[sent.pk]))
    assert "What you will do, or any other comment</label>" in respond
    assert "Reason for declining</label>" in respond
    assert "(optional)" not in respond
    publish = page_html(people["host"], reverse("insights:insight-publish", args=[sent.insight.pk]))
    assert "You said</label>" in publish and "We did</label>" in publish
    assert "Needed to show it on the public page." in publish


# ---- 6. a decision-maker's status filter ----


def test_decision_makers_are_offered_only_the_statuses_that_apply_to_them(people, sent):
    url = reverse("insights:insight-list")
    theirs = page_html(people["decider"], url)
    for label in ("Awaiting a response", "Response overdue", "Action overdue", "Public"):
        assert f">{label}</option>" in theirs
    for label in ("Not sent yet", "Kept without sending", "Action agreed, not fed back yet"):
        assert f">{label}</option>" not in theirs
    site_team = page_html(people["host"], url)
    assert ">Not sent yet</option>" in site_team and ">Kept without sending</option>" in site_team
    # An old link to a status that is not theirs says so, as any unknown status does.
    response = client_for(people["decider"]).get(url, {"status": "new"})
    assert "Choose a status from the list" in response.content.decode()


# ---- 7. the list says when an insight is kept without sending ----


def test_the_list_and_the_connector_home_say_an_insight_is_kept(people, raised):
    actions.keep_insight(insight=raised, reason="Shared with the PCN already", by=people["host"])
    listed = page_html(people["host"], reverse("insights:insight-list"))
    assert "Kept without sending</p>" in listed
    assert "Kept without sending</p>" in shown_panel(people["connector"], "Insights you raised")
