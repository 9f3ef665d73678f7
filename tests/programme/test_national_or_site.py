"""The one rule for the reference lists with local additions (clinical areas and PLUS groups):
a site sees the national items and its own, never another site's own. The activity, insight,
grant and connector forms, the importer and the API all offer what this returns."""

import pytest

from core20.programme.models import ClinicalArea, PlusGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(site, other_site):
    return {
        "national": ClinicalArea.objects.create(
            code="hypertension", name="Hypertension", group="adult"
        ),
        "own": ClinicalArea.objects.create(
            code="home-falls", name="Falls", group="local", site=site
        ),
        "other": ClinicalArea.objects.create(
            code="other-frailty", name="Frailty", group="local", site=other_site
        ),
    }


@pytest.fixture
def groups(site, other_site):
    return {
        "national": PlusGroup.objects.create(code="older-people", name="Older people"),
        "own": PlusGroup.objects.create(code="home-boaters", name="Boat dwellers", site=site),
        "other": PlusGroup.objects.create(
            code="other-fishers", name="Fishing families", site=other_site
        ),
    }


@pytest.mark.parametrize("model, items", [(ClinicalArea, "areas"), (PlusGroup, "groups")])
def test_a_site_gets_the_national_items_and_its_own_not_another_sites(
    request, model, items, site, other_site
):
    made = request.getfixturevalue(items)

    assert set(model.objects.national_or_site(site)) == {made["national"], made["own"]}
    assert set(model.objects.national_or_site(other_site)) == {made["national"], made["other"]}


@pytest.mark.parametrize("model, items", [(ClinicalArea, "areas"), (PlusGroup, "groups")])
def test_no_site_gets_the_national_items_only(request, model, items):
    made = request.getfixturevalue(items)

    assert list(model.objects.national_or_site(None)) == [made["national"]]


def test_it_narrows_a_queryset_already_filtered(areas, site):
    # Callers chain it after other filters (codes sent by a form, the API or an import).
    found = ClinicalArea.objects.filter(code__in=["home-falls", "other-frailty"]).national_or_site(
        site
    )

    assert list(found) == [areas["own"]]
