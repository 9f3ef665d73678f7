"""Template filters for the oversight pages: {% load oversight_tags %}."""

from django import template

from core20.oversight import funding, periods

register = template.Library()


@register.filter
def money(value) -> str:
    """1234.5 → "£1,234.50"; negative amounts with a minus sign: "−£20.00"."""
    if value is None or value == "":
        return ""
    return funding.money(value)


@register.filter
def percent(value) -> str:
    return "" if value is None else f"{value}%"


@register.filter
def long_date(value) -> str:
    return periods.long_date(value) if value else ""
