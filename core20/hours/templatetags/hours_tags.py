"""{% load hours_tags %}

- ``{{ amount|money }}``: £1,234.50 (the oversight app's formatting).
- ``{{ entry.hours|figure }}``: a Decimal without trailing zeros (1.50 → 1.5, 2.00 → 2).
- ``one credit for every {{ setting.hours_per_credit|every_hours }}``: "hour" for 1, else
  "2 hours", "1.5 hours".
- ``{% hours_summary request.user as summary %}``: for the connector's home panel, their
  connector record, total hours and credits, and claims in progress (three queries), or
  None if the person is not a connector.
"""

from decimal import Decimal

from django import template

from core20.hours import actions
from core20.hours.models import ExpenseClaim, HoursEntry
from core20.oversight.funding import money as _money

register = template.Library()


@register.filter
def money(value) -> str:
    return _money(value)


@register.filter
def figure(value) -> str:
    if value is None or value == "":
        return ""
    value = Decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")


@register.filter
def every_hours(value) -> str:
    if value is not None and value != "" and Decimal(value) == 1:
        return "hour"
    return f"{figure(value)} hours"


@register.simple_tag
def hours_summary(user):
    connector = actions.connector_for(user)
    if connector is None:
        return None
    totals = actions.hours_totals(HoursEntry.objects.filter(connector__user=user))
    open_claims = ExpenseClaim.objects.filter(
        connector__user=user,
        status__in=[
            ExpenseClaim.Status.DRAFT,
            ExpenseClaim.Status.SUBMITTED,
            ExpenseClaim.Status.APPROVED,
        ],
    ).count()
    return {"connector": connector, **totals, "open_claims": open_claims}
