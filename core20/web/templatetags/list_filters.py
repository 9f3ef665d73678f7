"""How many of a list page's filters are applied, for includes/filters.html.

{% load list_filters %}
{% applied_filters form as applied %}
    The number of the filter form's fields with a value that narrows the list: 0 when the
    form was not submitted or has errors (the list is then not filtered). Paging and sort
    order are not filters.
"""

from django import forms, template
from django.db.models import QuerySet

register = template.Library()

#: Fields a list's GET form may carry that do not narrow the list.
NOT_FILTERS = frozenset({"page", "sort", "order"})


def _is_set(value: object) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, QuerySet):
        # A multiple choice: none chosen is .none(), some chosen a queryset the field's
        # cleaning has already evaluated, so neither asks the database again.
        return value.exists()
    if isinstance(value, list | tuple | set | frozenset | dict):
        return bool(value)
    return True  # a date, a number (0 included), a chosen object, True


def applied_filter_count(form: forms.Form) -> int:
    """The number of ``form``'s filters that narrow the list (see the module's docstring)."""
    if not form.is_bound or not form.is_valid():
        return 0
    return sum(
        1 for name, value in form.cleaned_data.items() if name not in NOT_FILTERS and _is_set(value)
    )


@register.simple_tag
def applied_filters(form: forms.Form) -> int:
    return applied_filter_count(form)
