"""The connector network on the home page: new expressions of interest, connectors with checks
or training to renew, open wellbeing flags (host coordinators only) and a connector's own
renewals, counted only where the person may act, each linking to a page that lists them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.network import actions, home
from core20.network.models import Check, CheckType, Connector, TrainingModule, WellbeingFlag
from tests.conftest import page_html, queries_of

pytestmark = pytest.mark.django_db


def _days_ago(n: int) -> datetime.date:
    # Today as the test runs, not as it was collected (a run can cross midnight).
    return timezone.localdate() - datetime.timedelta(days=n)


def _entries(user) -> dict[str, home.Waiting]:
    return {entry.text: entry for entry in home.waiting(user)}


def _person(site, name: str, status=Connector.Status.ACTIVE, **kwargs) -> Connector:
    return Connector.objects.create(site=site, name=name, status=status, **kwargs)


def _dbs(connector, done_days_ago: int, by) -> Check:
    """A DBS check (valid 36 months) cleared ``done_days_ago`` days ago."""
    return actions.record_check(
        connector=connector,
        check_type=CheckType.objects.get(code="dbs"),
        status=Check.Status.CLEAR,
        completed_on=_days_ago(done_days_ago),
        by=by,
    )


def _data_protection(connector, done_days_ago: int, by):
    """Data protection training (valid 12 months) completed ``done_days_ago`` days ago."""
    return actions.record_training(
        connector=connector,
        module=TrainingModule.objects.get(code="data-protection"),
        completed_on=_days_ago(done_days_ago),
        by=by,
    )


THREE_YEARS = 365 * 3


@pytest.fixture
def interest(site, other_site):
    for name in ("Ann New", "Ben New"):
        _person(site, name, status=Connector.Status.INTERESTED)
    _person(site, "Cal Talking", status=Connector.Status.CONVERSATION)
    _person(other_site, "Far New", status=Connector.Status.INTERESTED)


def test_new_expressions_of_interest_for_the_people_who_manage_the_site(interest, people):
    for name in ("host", "lead"):
        entry = _entries(people[name])["2 new expressions of interest"]
        assert entry.overdue == 0
        page = page_html(people[name], entry.url)
        assert "Ann New" in page and "Ben New" in page
        assert "Cal Talking" not in page and "Far New" not in page
    # Every site for a national admin, who starts from the list of sites.
    entry = _entries(people["admin"])["3 new expressions of interest"]
    assert entry.url == reverse("network:index")
    page_html(people["admin"], entry.url)
    assert "1 new expression of interest" in _entries(people["other_host"])
    for name in ("analyst", "connector"):
        assert home.waiting(people[name]) == []


@pytest.fixture
def renewals(site, other_site, people):
    host, other_host = people["host"], people["other_host"]
    soon = _person(site, "Sam Soon")
    _dbs(soon, THREE_YEARS - 10, host)  # runs out in about 20 days
    lapsed = _person(site, "Liz Lapsed")
    _data_protection(lapsed, 400, host)  # ran out over a month ago
    _dbs(lapsed, THREE_YEARS - 5, host)  # and this runs out soon: she is counted once
    renewed = _person(site, "Ray Renewed")
    _data_protection(renewed, 400, host)
    _data_protection(renewed, 3, host)  # the renewal replaces the lapsed completion
    fine = _person(site, "Fay Fine")
    _dbs(fine, 100, host)
    gone = _person(site, "Gus Gone")
    _data_protection(gone, 400, host)
    actions.change_status(connector=gone, to=Connector.Status.LEFT, reason="Moved", by=host)
    far = _person(other_site, "Far Lapsed")
    _dbs(far, THREE_YEARS + 30, other_host)


def test_checks_and_training_to_renew_counted_by_connector(renewals, people):
    entry = _entries(people["host"])["2 connectors with checks or training to renew"]
    assert entry.overdue == 1  # Liz's training has already run out
    page = page_html(people["host"], entry.url)
    assert "Sam Soon" in page and "Liz Lapsed" in page
    for name in ("Ray Renewed", "Fay Fine", "Gus Gone", "Far Lapsed"):
        assert name not in page
    lead = _entries(people["lead"])["2 connectors with checks or training to renew"]
    assert lead.url == entry.url
    admin = _entries(people["admin"])["3 connectors with checks or training to renew"]
    assert admin.overdue == 2
    other = _entries(people["other_host"])["1 connector with checks or training to renew"]
    assert other.overdue == 1
    assert "Far Lapsed" in page_html(people["other_host"], other.url)
    assert home.waiting(people["analyst"]) == []


@pytest.fixture
def flags(site, other_site, people):
    worried = _person(site, "Wen Worried")
    for level in ("concern", "urgent"):
        actions.raise_flag(connector=worried, level=level, summary="Low", by=people["host"])
    settled = _person(site, "Sid Settled")
    flag = actions.raise_flag(connector=settled, level="watch", summary="Tired", by=people["host"])
    actions.resolve_flag(flag=flag, resolution="Took a break", by=people["host"])
    far = _person(other_site, "Far Worried")
    actions.raise_flag(connector=far, level="watch", summary="Busy", by=people["other_host"])


def test_open_wellbeing_flags_only_for_the_sites_host_coordinators(flags, people, site):
    entry = _entries(people["host"])["1 connector with an open wellbeing flag"]
    page = page_html(people["host"], entry.url)
    assert "Wen Worried" in page and "Sid Settled" not in page
    assert "1 connector with an open wellbeing flag" in _entries(people["other_host"])
    # Flags are confidential to host coordinators: not the site lead, not national staff.
    for name in ("lead", "admin"):
        assert not any("wellbeing" in e.text for e in home.waiting(people[name]))
    # Nor does the filter tell them who is flagged: they see everyone still in.
    page = page_html(people["lead"], entry.url)
    assert "Wen Worried" in page and "Sid Settled" in page
    assert "Open wellbeing flags" not in page


def test_a_connectors_own_checks_and_training_to_renew(people, site):
    me = _person(site, "Con Nector", user=people["connector"])
    _dbs(me, THREE_YEARS - 10, people["host"])
    _data_protection(me, 400, people["host"])
    entries = _entries(people["connector"])
    assert set(entries) == {"1 check to renew", "1 training module to renew"}
    assert entries["1 check to renew"].overdue == 0
    assert entries["1 training module to renew"].overdue == 1
    page = page_html(people["connector"], entries["1 check to renew"].url)
    assert "Data protection" in page and "expired on" in page


def test_nothing_waiting_gives_no_entries(people, site):
    _person(site, "Con Nector", user=people["connector"])
    _person(site, "Quiet One")
    for name in ("admin", "lead", "host", "connector", "analyst"):
        assert home.waiting(people[name]) == []


def _shortcuts(user) -> dict[str, str]:
    return {s.label: s.url for s in home.shortcuts(user)}


def test_shortcuts_for_those_who_may_use_them(people, site):
    host = _shortcuts(people["host"])
    assert host == {
        "Manage connectors": reverse("network:site-connectors", args=[site.slug]),
        "Add a connector": reverse("network:connector-add", args=[site.slug]),
    }
    assert _shortcuts(people["lead"]) == host
    assert _shortcuts(people["admin"]) == {"Manage connectors": reverse("network:index")}
    assert _shortcuts(people["analyst"]) == {}
    # Connectors reach their connector home from the header (core20.web.navigation).
    assert _shortcuts(people["connector"]) == {}
    for name in ("host", "lead", "admin", "connector"):
        for url in _shortcuts(people[name]).values():
            page_html(people[name], url)


@pytest.mark.parametrize("name", ["admin", "host", "connector"])
def test_a_fixed_number_ofqueries_of(name, people, site, other_site):
    user = people[name]
    _person(site, "Con Nector", user=people["connector"])
    few = {f: queries_of(f, user) for f in (home.waiting, home.shortcuts)}
    dbs = CheckType.objects.get(code="dbs")
    for where in (site, other_site):
        people_there = Connector.objects.bulk_create(
            Connector(site=where, name=f"Person {i}", status=Connector.Status.INTERESTED)
            for i in range(15)
        )
        Check.objects.bulk_create(
            Check(
                connector=c,
                check_type=dbs,
                status=Check.Status.CLEAR,
                expires_on=_days_ago(1),
            )
            for c in people_there
        )
        WellbeingFlag.objects.bulk_create(
            WellbeingFlag(connector=c, level="watch", summary="x") for c in people_there
        )
    own = Connector.objects.get(user=people["connector"])
    Check.objects.create(
        connector=own, check_type=dbs, status=Check.Status.CLEAR, expires_on=_days_ago(1)
    )
    assert home.waiting(user)  # the records are seen...
    many = {f: queries_of(f, user) for f in (home.waiting, home.shortcuts)}
    assert many == few  # ...in the same number of queries
    assert many[home.waiting] <= 3 and many[home.shortcuts] <= 1


def _train(connector, code: str, done_days_ago: int, by):
    return actions.record_training(
        connector=connector,
        module=TrainingModule.objects.get(code=code),
        completed_on=_days_ago(done_days_ago),
        by=by,
    )


def _connector_home(user) -> str:
    """The connector home's text without tags, with spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_html(user, reverse("network:me"))).split())


def test_the_connector_home_tells_training_to_renew_from_training_never_done(people, site):
    """The dashboard counts training to renew; the connector home lists the same under "to
    renew", and required modules never done apart, as "still to do"."""
    host, user = people["host"], people["connector"]
    me = _person(site, "Con Nector", user=user)
    _data_protection(me, 400, host)  # ran out over a month ago
    _train(me, "safeguarding", THREE_YEARS - 10, host)  # runs out in about 20 days
    optional = TrainingModule.objects.create(
        code="makaton",
        title="Makaton basics",
        site=site,
        valid_for_months=12,
        required_by_default=False,
    )
    actions.record_training(connector=me, module=optional, completed_on=_days_ago(360), by=host)
    # Connector induction is required and never done.

    entry = _entries(user)["3 training modules to renew"]
    assert entry.overdue == 1
    page = _connector_home(user)
    assert "3 training modules to renew" in page
    assert "Data protection and confidentiality : expired on" in page
    assert "Safeguarding adults and children (level 1) : renew by" in page
    assert "Makaton basics : renew by" in page
    assert "1 required training module still to do" in page
    assert "Connector induction" in page
    assert "Nothing to renew or do now" not in page

    # Once renewed, data protection is neither on the dashboard nor under "to renew": it
    # shows under "later", with when it is next due.
    _data_protection(me, 3, host)
    assert "2 training modules to renew" in _entries(user)
    page = _connector_home(user)
    assert "2 training modules to renew" in page
    assert "Later Data protection and confidentiality : renew by" in page


def test_a_connector_with_nothing_to_renew_still_sees_what_is_left_to_do(people, site):
    host, user = people["host"], people["connector"]
    me = _person(site, "Con Nector", user=user)
    _data_protection(me, 3, host)
    _train(me, "safeguarding", 3, host)
    assert _entries(user) == {}
    page = _connector_home(user)
    assert not re.search("training modules? to renew", page)
    assert "1 required training module still to do" in page
    _train(me, "induction", 1, host)
    page = _connector_home(user)
    assert "still to do" not in page
    assert "Nothing to renew or do now. Your training is up to date." in page
    # Someone who has left has nothing to renew or do, on either page.
    _data_protection(me, 400, host)
    actions.change_status(connector=me, to=Connector.Status.LEFT, reason="Moved", by=host)
    assert _entries(user) == {}
    assert "Nothing to renew or do now" in _connector_home(user)


def test_the_connector_home_shows_only_the_signed_in_connectors_training(people, site):
    host = people["host"]
    someone = _person(site, "Sam Else", email="sam@example.org")
    _data_protection(someone, 400, host)
    me = _person(site, "Con Nector", user=people["connector"])
    for code in ("induction", "safeguarding", "data-protection"):
        _train(me, code, 1, host)
    assert _entries(people["connector"]) == {}
    page = _connector_home(people["connector"])
    assert not re.search("training modules? to renew", page) and "expired on" not in page
    assert "Nothing to renew or do now" in page
