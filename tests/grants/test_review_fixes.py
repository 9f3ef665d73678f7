"""Fixes from the demo review: the score range said before scoring, and the application form
not pointing to a list of wards it does not show."""

import re

import pytest
from django.urls import reverse

from core20.grants.models import Criterion
from core20.places.models import LocalAuthorityDistrict, Ward
from core20.places.models_targets import SiteTargetArea
from tests.conftest import client_for, page_html
from tests.grants import helpers

pytestmark = pytest.mark.django_db


def _input(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, name
    return found.group(0)


def test_the_assessment_form_says_the_range_of_each_score(site, make_user):
    fund = helpers.fund(site)
    reach, value = helpers.criteria(fund, ("Reaches the community", 5), ("Good value", 3))
    Criterion.objects.filter(pk=value.pk).update(description="Is the budget sensible")
    member = make_user("community_member")
    helpers.appoint(fund, member)
    application = helpers.application(fund)
    page = page_html(member, reverse("grants:assess", args=[application.pk]))
    assert "From 0 (does not meet it) to 5 (fully meets it)" in page
    # The criterion's description keeps its place, with the range after it.
    assert "Is the budget sensible. From 0 (does not meet it) to 3 (fully meets it)" in page
    for criterion, top in ((reach, 5), (value, 3)):
        field = _input(page, f"score_{criterion.pk}")
        assert 'min="0"' in field
        assert f'max="{top}"' in field
        assert 'inputmode="numeric"' in field
    # A score out of range is still refused, naming the range.
    response = client_for(member).post(
        reverse("grants:assess", args=[application.pk]),
        {"has_conflict": "no", f"score_{reach.pk}": "7", f"score_{value.pk}": "2"},
    )
    assert "Score for Reaches the community must be a whole number from 0 to 5" in (
        response.content.decode()
    )


def test_other_places_mentions_the_list_of_wards_only_when_it_is_shown(client, site):
    fund = helpers.fund(site)
    url = reverse("grants:apply", args=[fund.pk])
    page = client.get(url).content.decode()
    assert "Which wards will the work be in?" not in page
    assert "if not in the list" not in page and "not in the list of wards" not in page
    assert "Where will the work be? (optional)" in page
    assert "Neighbourhoods, estates, wards or venues" in page

    district = LocalAuthorityDistrict.objects.create(code="E08000025", name="Birmingham")
    Ward.objects.create(code="E05011118", name="Aston", lad=district)
    SiteTargetArea.objects.create(site=site, kind="ward", code="E05011118", name="Aston")
    page = client.get(url).content.decode()
    assert "Which wards will the work be in?" in page and "Aston" in page
    assert "Other places (optional)" in page
    assert "Neighbourhoods, estates or venues not in the list of wards" in page
