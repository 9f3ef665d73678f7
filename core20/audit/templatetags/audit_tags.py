from django import template

from core20.audit.display import change_lines as _change_lines

register = template.Library()


@register.filter
def change_lines(changes, object_type: str = "") -> list[tuple[str, str]]:
    """The event's changes as (field label, "old → new") pairs for the log page."""
    return _change_lines(changes, object_type)
