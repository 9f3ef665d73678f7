"""Connectors: records, recruitment, checks, training, support and development, mounted at
/network/."""

from django.urls import path

from core20.network.views import coordinator, personal_data, public

app_name = "network"

CONNECTOR = "sites/<slug:slug>/connectors/<int:pk>/"

urlpatterns = [
    path("", coordinator.index, name="index"),
    path("me/", public.me, name="me"),
    path("me/data/", personal_data.me_data, name="me-data"),
    path("training/new/", coordinator.national_module_add, name="national-module-add"),
    path("me/<int:pk>/goals/new/", public.me_goal_add, name="me-goal-add"),
    path("sites/<slug:slug>/interest/", public.interest, name="interest"),
    path("sites/<slug:slug>/interest/sent/", public.interest_sent, name="interest-sent"),
    path("sites/<slug:slug>/", coordinator.site_connectors, name="site-connectors"),
    path("sites/<slug:slug>/connectors/new/", coordinator.connector_add, name="connector-add"),
    path(
        "sites/<slug:slug>/connectors/import/",
        coordinator.connector_import,
        name="connector-import",
    ),
    path(
        "sites/<slug:slug>/requirements/",
        coordinator.site_requirements,
        name="site-requirements",
    ),
    path("sites/<slug:slug>/training/", coordinator.site_training, name="site-training"),
    path("sites/<slug:slug>/training/new/", coordinator.module_add, name="module-add"),
    path(CONNECTOR, coordinator.connector_detail, name="connector-detail"),
    path(CONNECTOR + "edit/", coordinator.connector_edit, name="connector-edit"),
    path(CONNECTOR + "stage/", coordinator.connector_status, name="connector-status"),
    path(
        CONNECTOR + "checks/<int:check_type>/",
        coordinator.connector_check,
        name="connector-check",
    ),
    path(CONNECTOR + "training/", coordinator.connector_training, name="connector-training"),
    path(CONNECTOR + "invite/", coordinator.connector_invite, name="connector-invite"),
    path(CONNECTOR + "invite/again/", coordinator.connector_reinvite, name="connector-reinvite"),
    path(CONNECTOR + "support/", coordinator.connector_support, name="connector-support"),
    path(CONNECTOR + "support/flags/new/", coordinator.flag_add, name="flag-add"),
    path(
        CONNECTOR + "support/flags/<int:flag>/resolve/",
        coordinator.flag_resolve,
        name="flag-resolve",
    ),
    path(CONNECTOR + "goals/new/", coordinator.goal_add, name="goal-add"),
    path(CONNECTOR + "goals/<int:goal>/status/", coordinator.goal_status, name="goal-status"),
    path(CONNECTOR + "pathway/", coordinator.connector_pathway, name="connector-pathway"),
    path(CONNECTOR + "personal-data/", personal_data.connector_data, name="connector-data"),
    path(CONNECTOR + "erase/", personal_data.connector_erase, name="connector-erase"),
]
