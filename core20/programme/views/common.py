"""Helpers shared by the programme's views."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse


def programme_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    """Breadcrumbs from the home page through the programme overview."""
    return [("Home", reverse("web:home")), ("Programme", reverse("programme:overview")), *more]


def add_action_errors(form, exc: ValidationError) -> None:
    """Show an action's validation errors on the form: next to the field where the form
    has it (and the person can see it), otherwise at the top of the error summary."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown and field != NON_FIELD_ERRORS else None, errors)


def form_data(form) -> dict:
    """The cleaned values of the form's model fields, for an action's ``data``."""
    return {
        name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data
    }
