"""The signed-in home page: what is waiting for the person and their shortcuts, gathered from
every app's ``home`` module (core20/web/dashboard.py)."""

import pytest
from django.urls import reverse

from core20.web import dashboard
from core20.web.dashboard import Shortcut, Waiting
from tests.conftest import sign_in
from tests.web import fake_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(dashboard, "PROVIDERS", ("tests.web.fake_home", "tests.web.fake_shortcuts"))
    monkeypatch.setattr(fake_home, "WAITING", [])
    monkeypatch.setattr(fake_home, "SHORTCUTS", [])
    return fake_home


def test_waiting_work_is_counted_in_words_with_what_is_overdue(providers, make_user):
    providers.WAITING += [
        Waiting(3, "expense claim to decide", "expense claims to decide", "/hours/", overdue=1),
        Waiting(1, "insight to answer", "insights to answer", "/insights/"),
        Waiting(0, "application to score", "applications to score", "/selection/"),
    ]
    board = dashboard.dashboard_for(make_user("host_coordinator"))
    # Nothing waiting gives no entry, rather than "0 applications to score".
    assert [w.text for w in board.waiting] == ["3 expense claims to decide", "1 insight to answer"]
    assert [w.overdue for w in board.waiting] == [1, 0]


def test_a_page_two_apps_both_offer_is_one_shortcut(providers, make_user):
    providers.SHORTCUTS += [Shortcut("Oversight dashboard", "/o/"), Shortcut("Hours", "/h/")]
    board = dashboard.dashboard_for(make_user("site_lead"))
    assert [(s.label, s.url) for s in board.shortcuts] == [
        ("Oversight dashboard", "/o/"),
        ("Hours", "/h/"),
        ("Record an activity", "/activities/new/"),
    ]


def test_the_home_page_shows_what_is_waiting_and_the_shortcuts(providers, make_user, client):
    providers.WAITING.append(
        Waiting(2, "insight to answer", "insights to answer", "/insights/", overdue=1)
    )
    sign_in(client, make_user("decision_maker"))
    html = client.get(reverse("web:home")).content.decode()
    assert '<a class="nhsuk-card__link" href="/insights/">2 insights to answer</a>' in html
    assert ">1 overdue</strong>" in html
    assert 'href="/activities/new/"' in html and "Record an activity" in html
    assert "Nothing is waiting for you." not in html


def test_the_home_page_says_when_nothing_is_waiting(providers, make_user, client):
    sign_in(client, make_user("panel_member"))
    html = client.get(reverse("web:home")).content.decode()
    assert "Nothing is waiting for you." in html
    assert "Waiting for you" in html


@pytest.mark.parametrize("role", ["national_admin", "site_lead", "connector"])
def test_the_home_page_does_not_grow_queries_with_sites(role, make_user, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SiteFactory

    sign_in(client, make_user(role))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("web:home")).status_code == 200
        return len(captured.captured_queries)

    SiteFactory()
    few = queries()
    for _ in range(10):
        SiteFactory()
    assert queries() == few


def test_shortcuts_leave_out_pages_the_header_already_links_to(providers, make_user):
    providers.SHORTCUTS += [
        Shortcut("See the sites", reverse("programme:site-list")),  # in every header
        Shortcut("Start a fund", "/grants/sites/home/new/"),
    ]
    board = dashboard.dashboard_for(make_user("site_lead"))
    assert [s.label for s in board.shortcuts] == ["Start a fund", "Record an activity", "Oversight"]
