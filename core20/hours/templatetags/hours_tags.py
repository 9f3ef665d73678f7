"""{% load hours_tags %}

- ``{{ amount|money }}``: £1,234.50 (the oversight app's formatting).
- ``{{ entry.hours|figure }}``: a Decimal without trailing zeros (1.50 → 1.5, 2.00 → 2).
- ``one credit for every {{ setting.hours_per_credit|every_hours }}``: "hour" for 1, else
  "2 hours", "1.5 hours".
"""

from decimal import Decimal

from django import template

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
