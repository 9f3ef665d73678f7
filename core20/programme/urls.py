"""The programme's pages, mounted at /programme/. "new" comes before the slug patterns, and
is a reserved slug (models.RESERVED_SLUGS), so no site or organisation can hide the page."""

from django.urls import path

from core20.programme.views import organisations, overview, sites, waves

app_name = "programme"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("waves/", waves.wave_list, name="wave-list"),
    path("waves/new/", waves.wave_create, name="wave-create"),
    path("waves/<int:pk>/", waves.wave_detail, name="wave-detail"),
    path("waves/<int:pk>/edit/", waves.wave_edit, name="wave-edit"),
    path("sites/", sites.site_list, name="site-list"),
    path("sites/new/", sites.site_create, name="site-create"),
    path("sites/<slug:slug>/", sites.site_detail, name="site-detail"),
    path("sites/<slug:slug>/edit/", sites.site_edit, name="site-edit"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/new/", organisations.organisation_create, name="organisation-create"),
    path(
        "organisations/<slug:slug>/",
        organisations.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/edit/",
        organisations.organisation_edit,
        name="organisation-edit",
    ),
]
