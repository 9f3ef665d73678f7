"""/places/ (the address the README and the header give for places) opens the lookup."""

import pytest
from django.urls import reverse

from tests.conftest import client_for


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, "connector", "national_analyst"])
def test_places_opens_the_lookup_for_everyone(role, make_user):
    user = make_user(role) if role else None
    response = client_for(user).get("/places/", follow=True)
    assert response.redirect_chain == [(reverse("placesui:lookup"), 302)]
    assert response.status_code == 200
