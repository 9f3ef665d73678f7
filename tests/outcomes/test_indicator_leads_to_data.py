"""An indicator's page leads on to its figures for those who use outcomes: the latest
version of its data they may see and, for analysts, England and each site; the public sees
the definition only."""

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import (
    data,  # noqa: F401 (fixture)
    rows_for,
)

pytestmark = pytest.mark.django_db


def _page(client, ind) -> str:
    return client.get(reverse("outcomes:indicator-detail", args=[ind.code])).content.decode()


def test_an_analyst_is_led_to_the_latest_data_and_the_national_figures(
    client,
    site,
    data,  # noqa: F811
    make_user,
):
    geo, ind = data
    analyst = make_user("national_analyst")
    newer = helpers.upload(ind, analyst, rows_for(geo))
    sign_in(client, analyst)

    page = _page(client, ind)

    assert "<h2>Data for this indicator</h2>" in page
    assert reverse("outcomes:national-areas", args=[ind.code]) in page
    assert f'href="{newer.get_absolute_url()}">Version {newer.version}' in page
    assert "Version 1<" not in page  # only the latest version


def test_the_public_sees_the_definition_without_the_data(client, data):  # noqa: F811
    _, ind = data
    page = _page(client, ind)
    assert ind.definition in page
    assert "Data for this indicator" not in page


def test_nothing_uploaded_says_so(client, make_user):
    ind = helpers.indicator(code="bp", name="Blood pressure")
    sign_in(client, make_user("national_analyst"))
    assert "No data has been uploaded for this indicator yet." in _page(client, ind)
