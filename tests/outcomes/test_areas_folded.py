"""The indicator page's "Areas" table lists every area of the ICS with figures: hundreds of
LSOAs for a real site. Past 20 rows it is folded under "Show all N areas" (NHS details), so
the page does not run to tens of thousands of pixels; the table and its downloads are
unchanged."""

import pytest
from django.urls import reverse

from core20.outcomes.dashboard import FOLD_ROWS
from tests.conftest import sign_in
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import rows_for

pytestmark = pytest.mark.django_db


def _page(client, site, make_user, extra_areas: int) -> str:
    analyst = make_user("national_analyst")
    geo = helpers.geography(site)
    ind = helpers.indicator()
    rows = rows_for(geo)
    # More areas with figures in the ICS's latest period: the ten LSOAs repeated as
    # pseudo-areas would fail the upload's area check, so add real LSOAs to the ICB.
    extra = helpers.more_icb_lsoas(geo, extra_areas) if extra_areas else []
    rows += [(code, "2024", 100, 1000) for code in extra]
    helpers.upload(ind, analyst, rows)
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:site-indicator", args=[site.slug, ind.code])
    return client.get(url).content.decode()


def test_a_short_areas_table_is_shown_open(client, site, make_user):
    page = _page(client, site, make_user, 0)
    assert 'id="table-areas"' in page
    assert 'id="areas-details"' not in page


def test_a_long_areas_table_is_folded_under_a_summary_that_counts_them(client, site, make_user):
    page = _page(client, site, make_user, FOLD_ROWS)
    section = page.split('id="areas"')[1].split("</section>")[0]
    assert '<details class="nhsuk-details" id="areas-details">' in section
    assert f"Show all {10 + FOLD_ROWS} areas" in section
    assert section.index("<details") < section.index('id="table-areas"')
    assert "areas.csv" in section  # the downloads stay outside the fold
    assert section.index("</details>") < section.index("areas.csv")
