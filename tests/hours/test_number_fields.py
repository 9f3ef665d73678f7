"""The hours and money fields' messages: one pattern for every number (hours, hours for a time
credit, amounts in pounds), each mistake said once, and never Django's own wording."""

import pytest
from django.urls import reverse

from core20.hours.forms import CreditSettingForm, HoursForm, ItemForm, PaymentForm
from core20.network.models import Connector
from tests.conftest import client_for

HOURS = {"date": "2025-01-06", "activity": "Coffee morning"}


def _errors(form, field: str) -> list[str]:
    form.is_valid()
    return form.errors.get(field, [])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the number of hours"),
        ("two", "Hours must be a number, like 2 or 1.5"),
        ("NaN", "Hours must be a number, like 2 or 1.5"),
        ("0", "Hours must be at least 0.25 (15 minutes)"),
        ("24.5", "Hours must be 24 or fewer"),
        ("100", "Hours must be 24 or fewer"),
        ("1e3", "Hours must be 24 or fewer"),
        ("1.555", "Hours can have at most two decimal places"),
    ],
)
def test_hours_say_each_mistake_once(typed, message):
    assert _errors(HoursForm({**HOURS, "hours": typed}), "hours") == [message]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter how many hours earn one time credit"),
        ("two", "Hours for one time credit must be a number, like 1 or 2.5"),
        ("0.1", "Hours for one time credit must be at least 0.25"),
        ("25", "Hours for one time credit must be 24 or fewer"),
        ("1000", "Hours for one time credit must be 24 or fewer"),
        ("100000", "Hours for one time credit must be 24 or fewer"),
        ("1.555", "Hours for one time credit can have at most two decimal places"),
    ],
)
def test_hours_for_a_time_credit_say_each_mistake_once(typed, message):
    form = CreditSettingForm({"enabled": "yes", "hours_per_credit": typed})
    assert _errors(form, "hours_per_credit") == [message]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the amount in pounds"),
        ("ten", "The amount must be a number in pounds, like 12.50"),
        ("0", "The amount must be at least £0.01"),
        ("10000.01", "The amount must be £10,000 or less"),
        ("100000000000", "The amount must be £10,000 or less"),
        ("1.555", "The amount can only have pence, like 12.50"),
    ],
)
def test_an_item_amount_says_each_mistake_once(typed, message):
    form = ItemForm({"date": "2025-01-06", "description": "Bus fare", "amount": typed})
    assert _errors(form, "amount") == [message]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("100000000", "The amount must be £99,999,999 or less"),
        ("1" * 30, "The amount must be £99,999,999 or less"),
        ("£1,000.005", "The amount can only have pence, like 12.50"),
    ],
)
def test_a_payment_amount_says_each_mistake_once(typed, message):
    form = PaymentForm({"amount": typed}, connectors=Connector.objects.none())
    assert _errors(form, "amount") == [message]


@pytest.mark.django_db
def test_the_time_credit_page_says_a_number_too_big_once(people, site):
    response = client_for(people["host"]).post(
        reverse("hours:credit-settings", args=[site.slug]),
        {"enabled": "yes", "hours_per_credit": "1000"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure that there are no more than" not in page
    assert "Hours for one time credit must be 24 or fewer" in page


@pytest.mark.django_db
def test_the_log_hours_page_says_a_number_too_big_once(people, me):
    response = client_for(people["connector"]).post(
        reverse("hours:log-hours"), {**HOURS, "hours": "100"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    # Once beside the field (the error summary at the top links to it with the same words).
    assert page.count("Error: </span>Hours must be 24 or fewer") == 1
    assert page.count("Hours must be 24 or fewer") == 2
