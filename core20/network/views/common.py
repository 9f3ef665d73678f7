"""Helpers shared by the connector network pages."""

from django.urls import reverse

from core20.programme.views.common import add_action_errors  # noqa: F401 (re-exported)


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
