"""The national team's view of personal-data retention (/privacy/retention/): each rule, its
period and what is due now."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.network.models import Connector
from core20.network.personal_data import erase_connector
from tests.conftest import client_for, page_html, queries_of

URL = reverse("web:retention")


@pytest.fixture
def leavers(site):
    made = []
    for name in ("Lena", "Liam"):
        connector = Connector.objects.create(site=site, name=name, status=Connector.Status.LEFT)
        Connector.objects.filter(pk=connector.pk).update(
            status_changed_at=timezone.now() - datetime.timedelta(days=800)
        )
        made.append(connector)
    return made


def test_the_national_team_sees_what_is_due(make_user, leavers, settings):
    settings.CONNECTOR_RETENTION_MONTHS = 20
    html = page_html(make_user("national_admin"), URL)

    assert "Connector(s) who left more than 20 months ago" in html
    assert "CONNECTOR_RETENTION_MONTHS" in html
    assert "Nothing has been erased at the end of a retention period yet" in html
    row = html.split("Connector(s) who left more than 20 months ago")[1].split("</tr>")[0]
    assert row.rstrip().endswith("2</td>")


def test_it_says_when_the_last_erasure_ran(make_user, leavers):
    erase_connector(connector=leavers[0], by=None, reason="Retention period ended: test")
    html = page_html(make_user("national_admin"), URL)
    assert f"was erased on {timezone.localdate():%-d %B %Y}" in html


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator", "national_analyst"])
def test_only_the_national_admins_see_it(make_user, role):
    assert client_for(make_user(role)).get(URL).status_code == 403


def test_the_audit_log_links_to_it_for_national_admins_only(make_user):
    assert URL in page_html(make_user("national_admin"), reverse("audit:log"))
    assert URL not in page_html(make_user("site_lead"), reverse("audit:log"))


def test_a_fixed_number_of_queries(make_user, leavers, site):
    admin = make_user("national_admin")
    few = queries_of(lambda user: client_for(user).get(URL), admin)
    for n in range(5):
        Connector.objects.create(site=site, name=f"More {n}", status=Connector.Status.LEFT)
    assert queries_of(lambda user: client_for(user).get(URL), admin) == few
