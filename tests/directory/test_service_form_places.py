"""The service form's "Places it covers" shows the service's places by name, as the field
takes them ("Blakenall (Walsall), Walsall"), not as ONS codes; saving the form unchanged
keeps the same places. A code is shown only where no name finds just that place."""

import pytest
from django.urls import reverse

from core20.places.models import Ward
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _edit(client, service) -> tuple[str, dict]:
    """The edit page's places field as shown, and the form's values to send back."""
    edit = reverse("directory:service-edit", args=[service.pk])
    response = client.get(edit)
    form = response.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.pop("published", None)
    data.update(
        clinical_areas=[a.pk for a in service.clinical_areas.all()],
        communities=[g.pk for g in service.communities.all()],
    )
    return form["places"].value(), data


def _places(service) -> tuple[list[str], list[str]]:
    return (
        sorted(service.wards.values_list("code", flat=True)),
        sorted(service.lads.values_list("code", flat=True)),
    )


@pytest.fixture
def lead_client(client, make_user):
    sign_in(client, make_user("site_lead"))
    return client


def test_places_are_shown_by_name_and_kept_when_saved_unchanged(lead_client, rich_service):
    before = _places(rich_service)
    shown, data = _edit(lead_client, rich_service)
    assert shown == "Blakenall (Walsall), Walsall"
    page = lead_client.get(reverse("directory:service-edit", args=[rich_service.pk]))
    assert 'value="Blakenall (Walsall), Walsall"' in page.content.decode()
    edit = reverse("directory:service-edit", args=[rich_service.pk])
    assert lead_client.post(edit, data).status_code == 302
    rich_service.refresh_from_db()
    assert _places(rich_service) == before


def test_a_ward_under_two_years_codes_is_one_name(lead_client, rich_service, tags):
    newer = Ward.objects.create(code="E05015000", name="Blakenall", lad=tags["walsall"], year=2024)
    rich_service.wards.add(newer)
    before = _places(rich_service)
    shown, data = _edit(lead_client, rich_service)
    assert shown == "Blakenall (Walsall), Walsall"
    edit = reverse("directory:service-edit", args=[rich_service.pk])
    assert lead_client.post(edit, data).status_code == 302
    assert _places(rich_service) == before


def test_a_place_no_name_finds_on_its_own_is_shown_by_its_code(lead_client, rich_service, tags):
    # A ward with no district, named as a district is: "Dudley" finds the district.
    odd = Ward.objects.create(code="E05099999", name="Dudley")
    rich_service.wards.add(odd)
    before = _places(rich_service)
    shown, data = _edit(lead_client, rich_service)
    assert shown == "Blakenall (Walsall), E05099999, Walsall"
    edit = reverse("directory:service-edit", args=[rich_service.pk])
    assert lead_client.post(edit, data).status_code == 302
    assert _places(rich_service) == before
