"""Template tags for outcomes pages: numbers written as the dashboards' sentences write them."""

from django import template

from core20.outcomes.dashboard import fmt_interval

register = template.Library()


@register.simple_tag
def interval(lower, upper, digits: int = 1) -> str:
    """A confidence interval, "57.5 to 57.7" (``dashboard.fmt_interval``: more decimals
    where the limits would otherwise show as the same number)."""
    return fmt_interval(lower, upper, digits)
