"""Selection on the home page: drafts to submit, applications to score, decisions to make."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core20.selection import home
from core20.selection.models import Application, Review
from tests.conftest import client_for, opens, page_html
from tests.factories import UserFactory
from tests.selection import helpers

pytestmark = pytest.mark.django_db

S = Application.Status


def shown(entries) -> dict[str, tuple[int, str]]:
    """What the home page shows: entries with something waiting, by their wording."""
    return {w.plural: (w.count, w.url) for w in entries if w.count}


@pytest.fixture
def open_call(site):
    return helpers.make_call(site.wave, title="Open call")


@pytest.fixture
def closed_call(site):
    return helpers.make_call(site.wave, title="Closed call", opens=-30, closes=-1)


@pytest.fixture
def other_closed_call(site):
    """Another call whose panel may score (scoring opens once a call has closed)."""
    return helpers.make_call(site.wave, title="Other closed call", opens=-20, closes=-2)


def test_an_applicant_sees_their_drafts_they_can_still_submit(make_user, open_call, closed_call):
    applicant = make_user(None)
    helpers.make_application(open_call, applicant)
    helpers.make_application(closed_call, applicant)  # too late to submit
    helpers.make_application(open_call, UserFactory())  # someone else's
    entries = shown(home.waiting(applicant))
    url = reverse("selection:my-applications")
    assert entries == {"draft applications to submit": (1, url)}
    assert opens(applicant, url)

    Application.objects.filter(applicant=applicant, call=open_call).update(status=S.SUBMITTED)
    assert shown(home.waiting(applicant)) == {}


def test_a_panel_member_sees_what_they_have_not_scored_or_declared_a_conflict_with(
    make_user, closed_call, open_call
):
    member = make_user("panel_member")
    appointment = helpers.appoint(closed_call, member)
    other_member = helpers.appoint(closed_call, UserFactory())
    scored, conflicted, declared, _untouched, scored_by_other = (
        helpers.make_application(closed_call, UserFactory(), status=status)
        for status in (S.UNDER_REVIEW, S.SUBMITTED, S.SUBMITTED, S.SUBMITTED, S.UNDER_REVIEW)
    )
    Review.objects.create(appointment=appointment, application=scored)
    helpers.declare(appointment, conflicted, conflict=True, details="My sister wrote it")
    helpers.declare(appointment, declared)
    Review.objects.create(appointment=other_member, application=scored_by_other)
    helpers.make_application(closed_call, UserFactory(), status=S.SELECTED)  # decided
    helpers.make_application(closed_call, UserFactory())  # a draft the panel never sees
    # Another call's panel is not theirs.
    helpers.make_application(open_call, UserFactory(), status=S.SUBMITTED)

    entries = shown(home.waiting(member))
    # declared (no conflict, not scored), untouched and the one only another member scored.
    url = reverse("selection:panel-call", args=[closed_call.pk])
    assert entries == {"applications to score": (3, url)}
    assert opens(member, url)


def test_on_two_panels_the_link_is_the_list_of_panels(make_user, closed_call, other_closed_call):
    member = make_user("panel_member")
    for call in (closed_call, other_closed_call):
        helpers.appoint(call, member)
        helpers.make_application(call, UserFactory(), status=S.SUBMITTED)
    url = reverse("selection:panel-home")
    assert shown(home.waiting(member)) == {"applications to score": (2, url)}
    assert opens(member, url)


def test_appointments_count_only_while_the_person_holds_the_panel_role(make_user, closed_call):
    member = make_user("panel_member")
    helpers.appoint(closed_call, member)
    helpers.make_application(closed_call, UserFactory(), status=S.SUBMITTED)
    member.memberships.update(ended_at="2020-01-01T00:00:00Z")
    member.forget_memberships()
    assert shown(home.waiting(member)) == {}
    assert home.shortcuts(member) == []


def test_a_national_admin_sees_applications_to_decide_once_the_call_has_closed(
    make_user, closed_call, open_call
):
    admin = make_user("national_admin")
    for status in (S.SUBMITTED, S.UNDER_REVIEW, S.SELECTED, S.DRAFT):
        helpers.make_application(closed_call, UserFactory(), status=status)
    helpers.make_application(open_call, UserFactory(), status=S.SUBMITTED)  # still open
    url = reverse("selection:moderation", args=[closed_call.pk])
    assert shown(home.waiting(admin)) == {"applications to decide": (2, url)}
    assert opens(admin, url)

    another = helpers.make_call(closed_call.wave, title="Another", opens=-40, closes=-20)
    helpers.make_application(another, UserFactory(), status=S.SUBMITTED)
    url = reverse("selection:call-list")
    assert shown(home.waiting(admin)) == {"applications to decide": (3, url)}
    assert opens(admin, url)


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator", "national_analyst"])
def test_people_without_a_panel_or_calls_to_manage_see_only_their_own_drafts(
    make_user, role, closed_call
):
    helpers.make_application(closed_call, UserFactory(), status=S.SUBMITTED)
    user = make_user(role)
    assert shown(home.waiting(user)) == {}
    assert home.shortcuts(user) == []


def test_shortcuts_to_score_for_appointed_members_and_to_set_up_calls_for_admins(
    make_user, closed_call
):
    member = make_user("panel_member")
    assert home.shortcuts(member) == []  # not on a panel yet
    helpers.appoint(closed_call, member)
    admin = make_user("national_admin")
    labels = {user: [(s.label, s.url) for s in home.shortcuts(user)] for user in (member, admin)}
    assert labels[member] == [("Score applications", reverse("selection:panel-home"))]
    assert labels[admin] == [
        ("Set up a call for expressions of interest", reverse("selection:call-create"))
    ]
    for user, shortcuts in labels.items():
        for _, url in shortcuts:
            assert opens(user, url)


@pytest.mark.parametrize("calls", [1, 6])
def test_queries_do_not_grow_with_the_records(make_user, site, calls, django_assert_num_queries):
    admin = make_user("national_admin")
    for n in range(calls):
        call = helpers.make_call(site.wave, title=f"Call {n}", opens=-30, closes=-1)
        appointment = helpers.appoint(call, admin)
        for status in (S.SUBMITTED, S.UNDER_REVIEW, S.SUBMITTED):
            application = helpers.make_application(call, UserFactory(), status=status)
        Review.objects.create(appointment=appointment, application=application)
        helpers.make_application(call, admin)
    assert admin.cached_memberships  # loaded once per request, before the home page asks
    with django_assert_num_queries(3):  # drafts, to score, to decide
        entries = shown(home.waiting(admin))
    assert entries["applications to score"][0] == 2 * calls
    assert entries["applications to decide"][0] == 3 * calls
    with django_assert_num_queries(1):
        home.shortcuts(admin)


def test_an_anonymous_visitor_has_nothing_waiting_and_no_shortcuts():
    assert home.waiting(AnonymousUser()) == []
    assert home.shortcuts(AnonymousUser()) == []


def _page_text(user, url: str) -> str:
    """The page's text without tags, with spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_html(user, url)).split())


def test_the_list_of_panels_counts_what_is_left_to_score_as_the_home_page_does(
    make_user, closed_call, other_closed_call
):
    member = make_user("panel_member")
    appointment = helpers.appoint(closed_call, member)
    other_member = helpers.appoint(closed_call, UserFactory())
    applications = [
        helpers.make_application(closed_call, UserFactory(), status=S.SUBMITTED) for _ in range(6)
    ]
    for scored in applications[:2]:
        Review.objects.create(appointment=appointment, application=scored)
    helpers.declare(appointment, applications[2], conflict=True, details="My sister wrote it")
    helpers.declare(appointment, applications[3])  # no conflict: still to score
    Review.objects.create(appointment=other_member, application=applications[4])  # not theirs

    assert shown(home.waiting(member))["applications to score"][0] == 3
    panels = _page_text(member, reverse("selection:panel-home"))
    assert "You have 3 applications to score." in panels
    # The whole panel's work is there too, worded so it does not read as theirs to do.
    assert "The panel has 6 applications in review" in panels
    assert "You have scored 2 so far" in panels

    # On two panels, each call shows its own; together they make the home page's count.
    helpers.appoint(other_closed_call, member)
    helpers.make_application(other_closed_call, UserFactory(), status=S.SUBMITTED)
    assert shown(home.waiting(member))["applications to score"][0] == 4
    panels = _page_text(member, reverse("selection:panel-home"))
    assert "You have 3 applications to score." in panels
    assert "You have 1 application to score." in panels

    # Scoring the rest leaves nothing on either page.
    for application in applications[3:]:
        Review.objects.create(appointment=appointment, application=application)
    Application.objects.filter(call=other_closed_call).update(status=S.NOT_SELECTED)
    assert shown(home.waiting(member)) == {}
    panels = _page_text(member, reverse("selection:panel-home"))
    assert panels.count("You have no applications left to score.") == 2


def test_the_list_of_panels_is_only_for_panel_members(make_user, closed_call):
    member = make_user("panel_member")
    helpers.appoint(closed_call, member)
    assert opens(member, reverse("selection:panel-home"))
    for role in ("site_lead", "host_coordinator", None):
        assert not opens(make_user(role), reverse("selection:panel-home"))


@pytest.mark.parametrize("calls", [1, 4])
def test_the_list_of_panels_runs_the_same_queries_however_many_panels(
    make_user, site, calls, django_assert_max_num_queries
):
    member = make_user("panel_member")
    for n in range(calls):
        call = helpers.make_call(site.wave, title=f"Call {n}", opens=-30, closes=-1)
        appointment = helpers.appoint(call, member)
        for _ in range(3):
            application = helpers.make_application(call, UserFactory(), status=S.SUBMITTED)
        Review.objects.create(appointment=appointment, application=application)
    client = client_for(member)
    # Six, and one for the header's "Your applications" (asked once per request).
    with django_assert_max_num_queries(7):
        page = client.get(reverse("selection:panel-home"))
    assert page.content.decode().count("You have 2 applications to score.") == calls
