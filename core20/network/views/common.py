"""Helpers shared by the connector network pages."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse


def network_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("web:home")), ("Connector network", reverse("network:index")), *more]


def site_crumbs(site, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return network_crumbs(
        (f"Connectors at {site.name}", reverse("network:site-connectors", args=[site.slug])),
        *more,
    )


def connector_crumbs(connector, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return site_crumbs(
        connector.site,
        (
            connector.name,
            reverse("network:connector-detail", args=[connector.site.slug, connector.pk]),
        ),
        *more,
    )


def add_action_errors(form, exc: ValidationError) -> None:
    """Put an action's errors against the form's fields (or at the top)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, errors)
