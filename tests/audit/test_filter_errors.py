"""The audit log's filters with a value that is not one of their choices (an old link, or
typed into the address): the page says which filter is wrong in plain words, as the other
list pages do, instead of Django's "Select a valid choice"."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("verb", "Choose an action from the list"),
        ("object_type", "Choose a kind of record from the list"),
    ],
)
def test_an_unknown_filter_value_is_explained_in_plain_words(make_user, field, message):
    response = client_for(make_user("national_admin")).get(reverse("audit:log"), {field: "bogus"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert page.count(message) == 2  # next to the filter and in the error summary
    assert "is not one of the available choices" not in page
