"""Mistakes on a claim say where to put them right: submitting a claim with no items or no
receipt links each problem to the part of the claim page that fixes it (as NHS error
summaries link to their field); the expense date has a "For example" hint like the hours
date; a future date paid is refused beside the field by the form itself."""

import re

import pytest
from django.urls import reverse

from core20.hours import actions
from core20.hours.forms import PaidForm
from core20.hours.models import ExpenseClaim
from tests.hours import helpers
from tests.hours.helpers import days_ago

pytestmark = pytest.mark.django_db


def test_submitting_an_empty_claim_links_each_problem_to_where_it_is_put_right(
    client_as, me, people
):
    claim = actions.create_claim(connector=me, title="Travel in May", by=people["connector"])
    response = client_as("connector").post(reverse("hours:claim-submit", args=[claim.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Travel in May" in page
    start = page.index("nhsuk-error-summary__list")
    summary = page[start : page.index("</ul>", start)]
    assert re.findall(r"<li>(.*?)</li>", summary) == [
        '<a href="#add-item">Add at least one item to the claim</a>',
        '<a href="#upload-receipt">Upload at least one receipt</a>',
    ]
    # The links lead to the page's own "Add an item" and "Upload a receipt".
    add_item = reverse("hours:item-add", args=[claim.pk])
    upload = reverse("hours:receipt-add", args=[claim.pk])
    assert f'<a id="add-item" href="{add_item}">Add an item</a>' in page
    assert f'<a id="upload-receipt" href="{upload}">Upload a receipt</a>' in page
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.DRAFT


def test_a_claim_with_items_but_no_receipt_links_only_the_receipt(client_as, me, people):
    claim = helpers.draft_claim(me, people["connector"], "3.40", receipt=False)
    page = (
        client_as("connector").post(reverse("hours:claim-submit", args=[claim.pk])).content.decode()
    )
    assert '<li><a href="#upload-receipt">Upload at least one receipt</a></li>' in page
    assert 'href="#add-item"' not in page


def test_the_expense_date_has_a_for_example_hint_like_the_hours_date(client_as, me, people):
    claim = helpers.draft_claim(me, people["connector"], receipt=False)
    client = client_as("connector")
    for url in (reverse("hours:item-add", args=[claim.pk]), reverse("hours:log-hours")):
        page = client.get(url).content.decode()
        assert '<div class="nhsuk-hint" id="id_date_helptext">For example 27/3/2025</div>' in page
        (date_input,) = re.findall(r'<input [^>]*name="date"[^>]*>', page)
        assert 'aria-describedby="id_date_helptext"' in date_input


def test_a_future_date_paid_is_refused_beside_the_field_by_the_form(client_as, me, people):
    form = PaidForm({"paid_on": days_ago(-1).isoformat()})
    assert not form.is_valid()
    assert form.errors == {"paid_on": ["The date paid cannot be in the future"]}
    assert PaidForm({"paid_on": days_ago(0).isoformat()}).is_valid()

    claim = helpers.approved_claim(me, people["connector"], people["lead"], "12.00")
    response = client_as("lead").post(
        reverse("hours:claim-paid", args=[claim.pk]), {"paid_on": days_ago(-1).isoformat()}
    )
    page = response.content.decode()
    assert '<a href="#id_paid_on">The date paid cannot be in the future</a>' in page
    assert (
        '<span class="nhsuk-error-message" id="id_paid_on_error">'
        '<span class="nhsuk-u-visually-hidden">Error: </span>'
        "The date paid cannot be in the future</span>"
    ) in page
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.APPROVED
