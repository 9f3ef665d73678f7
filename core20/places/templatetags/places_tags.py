"""Template helpers for places.

{% load places_tags %}
{{ icb|icb_label }}         an ICB's short name, marked if it is no longer in use
{{ icb|icb_label:"full" }}  the same with its full name
"""

from django import template

from core20.places import icbs

register = template.Library()


@register.filter
def icb_label(icb, name: str = "") -> str:
    """``places.icbs.icb_label`` for templates: the one wording for an ICB no longer in use."""
    return icbs.icb_label(icb, full_name=name == "full")
