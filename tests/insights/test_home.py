"""Insights on the home page: what waits for a site's insight managers and for decision-makers,
counted over the sites and organisations they act for, each linking to the insights list
filtered to the same insights; the shortcuts each role may use."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.insights import actions, home
from core20.insights.models import Action, Response, Routing
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory, SiteFactory
from tests.insights import helpers

pytestmark = pytest.mark.django_db

LIST = reverse("insights:insight-list")


def _late(routing):
    Routing.objects.filter(pk=routing.pk).update(due_on=timezone.localdate() - timedelta(days=3))


def _agree(routing, decider, *, action_late=False):
    actions.respond(routing=routing, kind=Response.Kind.ACTION_AGREED, text="We will", by=decider)
    action = actions.add_action(
        routing=routing,
        data={
            "description": "Open phone lines at 7am",
            "owner": "Practice manager",
            "due_on": timezone.localdate() + timedelta(days=30),
            "status": Action.Status.PLANNED,
        },
        by=decider,
    )
    if action_late:
        Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=1))


def _feedback(insight, by):
    actions.record_feedback(
        insight=insight,
        data={"given_on": timezone.localdate(), "channel": "newsletter", "summary": "Told them"},
        by=by,
    )


@pytest.fixture
def people(make_user):
    return {
        role: make_user(role)
        for role in (
            "site_lead",
            "host_coordinator",
            "connector",
            "decision_maker",
            "national_admin",
            "national_analyst",
            "panel_member",
            "community_member",
        )
    }


@pytest.fixture
def bridge(site, other_site, organisation, people):
    """At the home site: one new insight, two with late responses (one ours, one another
    organisation's), one awaiting our response in time, one where we agreed an action now
    late and the community has not been told, one agreed and told, one we answered that
    another organisation has not. At the other site: one new, one late, and one sent to our
    organisation's forum there, awaiting our response."""
    admin, decider = people["national_admin"], people["decision_maker"]
    raiser = people["connector"]
    ours = helpers.body(site, admin, organisation=organisation, name="Our PCN")
    theirs = helpers.body(site, admin, name="Their Trust")
    ours_there = helpers.body(other_site, admin, organisation=organisation, name="Our board")

    helpers.insight(site, raiser, summary="Not sent yet")
    (late,) = helpers.route(helpers.insight(site, raiser, summary="Late with us"), [ours], admin)
    _late(late)
    (late_theirs,) = helpers.route(helpers.insight(site, raiser, summary="Late"), [theirs], admin)
    _late(late_theirs)
    helpers.route(helpers.insight(site, raiser, summary="Waiting on us"), [ours], admin)
    (agreed,) = helpers.route(helpers.insight(site, raiser, summary="Agreed"), [ours], admin)
    _agree(agreed, decider, action_late=True)
    told = helpers.insight(site, raiser, summary="Agreed and told")
    (told_routing,) = helpers.route(told, [ours], admin)
    _agree(told_routing, decider)
    _feedback(told, admin)
    shared = helpers.insight(site, raiser, summary="Shared")
    answered, _ = helpers.route(shared, [ours, theirs], admin)
    actions.respond(routing=answered, kind=Response.Kind.ACKNOWLEDGED, by=decider)

    helpers.insight(other_site, admin, summary="Elsewhere, not sent")
    (elsewhere,) = helpers.route(helpers.insight(other_site, admin), [ours_there], admin)
    _late(elsewhere)


def _board(user):
    return {w.text: (w.overdue, w.url) for w in home.waiting(user)}


def _listed(client, url) -> int:
    page = client.get(url)
    assert page.status_code == 200
    return int(re.search(r"(\d+) insights? match", page.content.decode()).group(1))


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator"])
def test_a_site_manager_sees_their_sites_insights_to_send_chase_and_feed_back(
    client, bridge, people, role
):
    user = people[role]
    board = _board(user)
    assert board == {
        "1 new insight not yet sent to decision-makers": (0, f"{LIST}?status=new"),
        "2 insights to chase for a response": (2, f"{LIST}?status=overdue"),
        "1 insight with an agreed action to feed back to the community": (
            0,
            f"{LIST}?status=feedback",
        ),
    }
    sign_in(client, user)
    assert [_listed(client, url) for _, url in board.values()] == [1, 2, 1]


def test_a_national_admin_sees_every_sites_work(client, bridge, people):
    user = people["national_admin"]
    board = _board(user)
    assert list(board) == [
        "2 new insights not yet sent to decision-makers",
        "3 insights to chase for a response",
        "1 insight with an agreed action to feed back to the community",
    ]
    sign_in(client, user)
    assert [_listed(client, url) for _, url in board.values()] == [2, 3, 1]


def test_a_decision_maker_sees_what_their_organisation_owes_at_every_site(client, bridge, people):
    user = people["decision_maker"]
    board = _board(user)
    # Not the shared insight they answered (another organisation still owes a response),
    # nor what was sent only to another organisation.
    assert board == {
        "3 insights to respond to": (2, f"{LIST}?status=awaiting"),
        "1 insight with an action to update": (1, f"{LIST}?status=actions_overdue"),
    }
    sign_in(client, user)
    assert [_listed(client, url) for _, url in board.values()] == [3, 1]
    page = client.get(f"{LIST}?status=awaiting").content.decode()
    assert "Waiting on us" in page and "Shared" not in page


@pytest.mark.parametrize(
    "role", ["connector", "national_analyst", "panel_member", "community_member"]
)
def test_people_who_neither_manage_nor_respond_have_nothing_waiting(bridge, people, role):
    assert home.waiting(people[role]) == []


def test_nothing_waits_when_all_is_sent_answered_and_fed_back(site, organisation, people):
    admin, decider = people["national_admin"], people["decision_maker"]
    insight = helpers.insight(site, people["connector"])
    body = helpers.body(site, admin, organisation=organisation)
    (routing,) = helpers.route(insight, [body], admin)
    _agree(routing, decider)
    _feedback(insight, admin)
    for role in ("site_lead", "decision_maker", "national_admin"):
        assert home.waiting(people[role]) == []


def test_work_at_another_site_or_for_another_organisation_is_not_counted(
    other_site, people, make_user
):
    admin = people["national_admin"]
    stranger = OrganisationFactory()
    body = helpers.body(other_site, admin, organisation=stranger)
    _late(helpers.route(helpers.insight(other_site, admin), [body], admin)[0])
    helpers.insight(other_site, admin)
    assert home.waiting(people["site_lead"]) == []
    assert home.waiting(people["decision_maker"]) == []
    assert [w.text for w in home.waiting(make_user("site_lead", scope_site=other_site))] == [
        "1 new insight not yet sent to decision-makers",
        "1 insight to chase for a response",
    ]


def _many(site, organisation, admin, decider, n):
    body = helpers.body(site, admin, organisation=organisation, name=f"Body {n}")
    for _ in range(n):
        helpers.insight(site, admin)
        (routing,) = helpers.route(helpers.insight(site, admin), [body], admin)
        _late(routing)
        (agreed,) = helpers.route(helpers.insight(site, admin), [body], admin)
        _agree(agreed, decider, action_late=True)


@pytest.mark.parametrize("n", [1, 6])
def test_the_count_takes_a_fixed_number_of_queries(
    site, other_site, organisation, people, make_user, django_assert_num_queries, n
):
    admin, decider = people["national_admin"], people["decision_maker"]
    _many(site, organisation, admin, decider, n)
    _many(other_site, organisation, admin, decider, n)
    lead = people["site_lead"]
    MembershipFactory(user=lead, role="site_lead", site=other_site)
    MembershipFactory(user=lead, role="decision_maker", organisation=organisation)
    # Each site has n insights of each kind: new, late, and agreed with a late action.
    # Managers: four plain counts (see _for_managers); decision-makers: one.
    for user, queries, entries in ((admin, 4, 3), (decider, 1, 2), (lead, 5, 5)):
        user.forget_memberships()
        assert user.cached_memberships  # loaded once per request, before the home page asks
        with django_assert_num_queries(queries):
            waiting = home.waiting(user)
        assert [w.count for w in waiting] == [2 * n] * entries


# ---- shortcuts ----


def _shortcuts(user):
    return [(s.label, s.url) for s in home.shortcuts(user)]


def test_shortcuts_match_what_each_role_may_do_and_open(client, site, people):
    record = ("Record an insight", reverse("insights:insight-create", args=[site.slug]))
    see = ("See insights", LIST)
    figures = ("See the accountability figures", reverse("insights:figures"))
    expected = {
        "connector": [record, see],
        "site_lead": [record, see],
        "host_coordinator": [record, see],
        "decision_maker": [see],
        "national_admin": [see, figures],
        "national_analyst": [figures],
        "panel_member": [],
        "community_member": [],
    }
    for role, shortcuts in expected.items():
        user = people[role]
        assert _shortcuts(user) == shortcuts, role
        sign_in(client, user)
        for _, url in shortcuts:
            assert client.get(url).status_code == 200, (role, url)


def test_a_decision_maker_is_told_what_the_list_is_for(people):
    (shortcut,) = home.shortcuts(people["decision_maker"])
    assert shortcut.hint == "Sent to your organisation: respond and agree actions"


def test_someone_at_several_sites_records_from_the_list(client, make_user, other_site):
    user = make_user("connector")
    MembershipFactory(user=user, role="host_coordinator", site=other_site)
    MembershipFactory(user=user, role="connector", site=SiteFactory(name="Third Site"))
    (shortcut,) = home.shortcuts(user)
    assert (shortcut.label, shortcut.url) == ("See insights", LIST)
    assert shortcut.hint == "Record an insight for one of your sites from here"
    sign_in(client, user)
    page = client.get(LIST).content.decode()
    assert page.count("Record an insight for ") == 3


def test_shortcuts_need_no_queries(people, django_assert_num_queries):
    for user in people.values():
        assert user.cached_memberships
        with django_assert_num_queries(0):
            home.shortcuts(user)
