"""The indicator page's "Areas" table lists every area of the ICS with figures: hundreds of
LSOAs for a real site, which made the page about 600 KB of HTML even collapsed in a details
element. Past 20 rows (a long table, ``Section.long``) the page shows the first 20 (target
areas first) and says so; the CSV and Excel downloads give every row."""

import pytest
from django.urls import reverse

from core20.outcomes.dashboard import FIRST_ROWS
from tests.conftest import sign_in
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import rows_for

pytestmark = pytest.mark.django_db


def _url(client, site, make_user, extra_areas: int) -> str:
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
    return reverse("outcomes:site-indicator", args=[site.slug, ind.code])


def _areas(page: str) -> str:
    return page.split('id="areas"')[1].split("</section>")[0]


def test_a_short_areas_table_is_shown_whole(client, site, make_user):
    section = _areas(client.get(_url(client, site, make_user, 0)).content.decode())
    assert section.count('<tr role="row" class="nhsuk-table__row">') == 10
    assert 'id="areas-more"' not in section
    assert "Download this table as" in section


def test_a_long_areas_table_shows_its_first_rows_and_every_row_downloads(client, site, make_user):
    url = _url(client, site, make_user, FIRST_ROWS + 5)
    total = 10 + FIRST_ROWS + 5
    section = _areas(client.get(url).content.decode())
    # Only the first rows are on the page, not all of them collapsed in a details element.
    assert section.count('<tr role="row" class="nhsuk-table__row">') == FIRST_ROWS
    assert "<details" not in section
    assert f"by area, latest period: the first {FIRST_ROWS} of {total}</caption>" in section
    assert f"The first {FIRST_ROWS} of {total} rows are shown here" in section
    assert f"Download all {total} rows of this table as" in section
    download = client.get(f"{url}areas.csv")
    assert download.status_code == 200
    lines = b"".join(download.streaming_content if download.streaming else [download.content])
    assert len(lines.decode().strip().splitlines()) == total + 1  # a header and every area
