"""Oversight on the home page: quarterly returns for a site's lead to write and submit (those
past their due date, and the last due quarter's when it has not been started), and for the
national team to review."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.oversight import home, periods
from core20.oversight.models import QuarterlyReturn, ReturnTemplate
from core20.programme.models import Site
from tests.conftest import opens, sign_in
from tests.factories import MembershipFactory
from tests.oversight import helpers

pytestmark = pytest.mark.django_db

Status = QuarterlyReturn.Status


def shown(entries) -> dict[str, tuple[int, int, str]]:
    """What the home page shows: entries with something waiting, by their wording."""
    return {w.plural: (w.count, w.overdue, w.url) for w in entries if w.count}


def quarters(n: int) -> list[tuple[int, int]]:
    """The last quarter whose return was due, then the ``n - 1`` before it."""
    found = [periods.last_due_quarter()]
    while len(found) < n:
        found.append(periods.previous_quarter(*found[-1]))
    return found


def backdate_templates():
    """Templates in place long before the last due date, so that return was expected."""
    ReturnTemplate.objects.update(created_at=timezone.now() - timedelta(days=800))


@pytest.fixture
def old_template(template):
    backdate_templates()
    return template


def set_return(qreturn, **fields):
    QuarterlyReturn.objects.filter(pk=qreturn.pk).update(**fields)


def test_a_site_lead_sees_returns_to_submit_and_which_are_overdue(
    site, other_site, people, old_template
):
    lead = people["lead"]
    # No return at all for the last due quarter (the first): overdue.
    _, older, oldest, submitted, accepted = quarters(5)
    helpers.start(site, lead, older)  # a draft, past its due date
    returned = helpers.start(site, lead, oldest)
    set_return(returned, status=Status.RETURNED, due_on=periods.today() + timedelta(days=7))
    helpers.submitted(site, lead, submitted)
    set_return(helpers.start(site, lead, accepted), status=Status.ACCEPTED)
    helpers.start(other_site, people["other_lead"], older)  # another site's
    backdate_templates()  # other_site is in another wave, whose template was just made

    url = reverse("oversight:site-returns", args=[site.slug])
    assert shown(home.waiting(lead)) == {"quarterly returns to submit": (3, 2, url)}
    assert opens(lead, url)
    # The other site's lead sees theirs only: its draft, and its missing last due return.
    other_url = reverse("oversight:site-returns", args=[other_site.slug])
    assert shown(home.waiting(people["other_lead"])) == {
        "quarterly returns to submit": (2, 2, other_url)
    }


def test_a_started_return_for_the_last_due_quarter_is_not_missing(site, people, old_template):
    lead = people["lead"]
    (last_due,) = quarters(1)
    qreturn = helpers.start(site, lead, last_due)
    set_return(qreturn, due_on=periods.today() + timedelta(days=3))  # given more time
    url = reverse("oversight:site-returns", args=[site.slug])
    assert shown(home.waiting(lead)) == {"quarterly returns to submit": (1, 0, url)}
    set_return(qreturn, status=Status.SUBMITTED)
    assert shown(home.waiting(lead)) == {}


def test_no_return_is_expected_before_the_template_or_from_a_proposed_site(site, people, template):
    lead = people["lead"]
    # The template was made today, after the last due date: nothing was expected then.
    assert shown(home.waiting(lead)) == {}
    ReturnTemplate.objects.filter(pk=template.pk).update(
        created_at=timezone.now() - timedelta(days=800)
    )
    Site.objects.filter(pk=site.pk).update(status=Site.Status.PROPOSED)
    assert shown(home.waiting(lead)) == {}


def test_a_lead_of_two_sites_sees_each_by_name(site, other_site, people, old_template):
    lead = people["lead"]
    MembershipFactory(user=lead, role="site_lead", site=other_site)
    lead.forget_memberships()
    helpers.template_for(other_site.wave, people["admin"])
    backdate_templates()
    entries = shown(home.waiting(lead))
    assert entries == {
        f"quarterly returns to submit for {s.name}": (
            1,
            1,
            reverse("oversight:site-returns", args=[s.slug]),
        )
        for s in (site, other_site)
    }
    for _, _, url in entries.values():
        assert opens(lead, url)


def test_national_reviewers_see_submitted_returns_and_do_not_write_sites_returns(
    site, other_site, people, old_template
):
    (last_due, older) = quarters(2)
    helpers.submitted(site, people["lead"], older)
    helpers.submitted(other_site, people["other_lead"], older)
    helpers.start(site, people["lead"], last_due)  # a draft: the site's work, not theirs
    admin = people["admin"]
    url = reverse("oversight:return-list") + "?status=submitted"
    assert shown(home.waiting(admin)) == {"quarterly returns to review": (2, 0, url)}
    client = Client()
    sign_in(client, admin)
    page = client.get(url)
    assert page.status_code == 200
    assert list(page.context["page"]) == list(QuarterlyReturn.objects.filter(status="submitted"))
    # Analysts see every site but review nothing; the host and connectors write no returns.
    for name in ("analyst", "host", "connector"):
        assert shown(home.waiting(people[name])) == {}


def test_shortcuts_by_role(site, people):
    returns = reverse("oversight:site-returns", args=[site.slug])
    spend = reverse("oversight:spend-report", args=[site.slug])
    oversight = reverse("oversight:dashboard")
    expected = {
        "admin": [("View national oversight", oversight)],
        "analyst": [("View national oversight", oversight)],
        "lead": [("Write a quarterly return", returns), ("Report spend", spend)],
        "host": [],
        "connector": [],
    }
    for name, shortcuts in expected.items():
        user = people[name]
        assert [(s.label, s.url) for s in home.shortcuts(user)] == shortcuts
        for _, url in shortcuts:
            assert opens(user, url)


@pytest.mark.parametrize("sites", [1, 4])
def test_queries_do_not_grow_with_the_records(
    site, people, old_template, sites, django_assert_num_queries
):
    from tests.factories import SiteFactory

    lead, admin = people["lead"], people["admin"]
    places = [site] + [SiteFactory(wave=site.wave) for _ in range(sites - 1)]
    for place in places[1:]:
        MembershipFactory(user=lead, role="site_lead", site=place)
    lead.forget_memberships()
    for place in places:
        for year_quarter in quarters(3)[1:]:
            helpers.start(place, lead, year_quarter)
        helpers.submitted(place, lead, quarters(4)[-1])
    for user in (lead, admin):
        assert user.cached_memberships  # loaded once per request, before the home page asks
    with django_assert_num_queries(2):  # open returns, missing returns
        entries = home.waiting(lead)
    assert sum(w.count for w in entries) == 3 * sites
    with django_assert_num_queries(1):
        assert shown(home.waiting(admin))["quarterly returns to review"][0] == sites
    with django_assert_num_queries(0):
        home.shortcuts(lead)


def test_an_anonymous_visitor_has_nothing_waiting_and_no_shortcuts():
    assert home.waiting(AnonymousUser()) == []
    assert home.shortcuts(AnonymousUser()) == []
