"""The evaluation where the deprivation edition's IMD scores are not loaded (the shipped IMD
2019 is MHCLG's File 1: ranks and deciles, no scores): targets are matched on the IMD rank
instead, and the page says so, instead of saying no target area has figures."""

import re

import pytest
from django.urls import reverse

from core20.places.models import Deprivation
from tests.conftest import sign_in
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranks_only(site, make_user):
    """The dashboard tests' figures, with each LSOA's score replaced by a rank in the same
    order (rank 1 = most deprived: the highest score)."""
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, make_user("national_analyst"), rows_for(geo))
    by_score = Deprivation.objects.order_by("-imd_score", "pk")
    for rank, row in enumerate(by_score, start=1):
        Deprivation.objects.filter(pk=row.pk).update(imd_rank=rank, imd_score=None)
    return ind


def _page(client, site, ind, make_user, **extra) -> str:
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:evaluation", args=[site.slug])
    query = {"indicator": ind.pk, "before": "2023", "after": "2024", **extra}
    return client.get(url, query).content.decode()


def test_without_scores_the_areas_are_matched_on_rank(client, site, ranks_only, make_user):
    text = _page(client, site, ranks_only, make_user)
    # The same matches as on scores (LSOAs 11 and 12), so the same estimate.
    assert "Difference in differences: 5.50 percentage points (95% CI" in text
    assert "E01000011" in text and "E01000012" in text
    assert 'id="matched-on"' in text and "Matched on IMD rank and population" in text
    assert ">Target IMD rank</th>" in text and ">Comparison IMD rank</th>" in text
    assert "Target IMD score" not in text
    # Ranks are whole numbers: LSOA 1 (the most deprived) is ranked 1.
    assert re.search(r"E01000001</td>.*?>1</td>", text, re.S)
    assert not re.search(r"IMD rank </span>\d+\.\d", text)


def test_the_download_names_the_rank_columns(client, site, ranks_only, make_user):
    text = _page(client, site, ranks_only, make_user, export="csv")
    assert text.splitlines()[0].startswith("Target area,Target IMD rank,Target population")


def test_with_scores_the_page_says_nothing_about_ranks(client, site, data_with_scores, make_user):
    text = _page(client, site, data_with_scores, make_user)
    assert "Difference in differences: 5.50 percentage points" in text
    assert 'id="matched-on"' not in text and ">Target IMD score</th>" in text


@pytest.fixture
def data_with_scores(site, make_user):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, make_user("national_analyst"), rows_for(geo))
    return ind
