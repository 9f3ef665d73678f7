"""Logic models, indicators, indicator data, dashboards, trajectories and evaluation, mounted at
/outcomes/."""

from django.urls import path

from core20.outcomes import views, views_national

app_name = "outcomes"

urlpatterns = [
    path("", views.home, name="home"),
    path("national/", views_national.national, name="national"),
    path(
        "national/indicators/<slug:code>/",
        views_national.national_areas,
        name="national-areas",
    ),
    # the indicator catalogue
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/new/", views.indicator_edit, name="indicator-create"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<slug:code>/edit/", views.indicator_edit, name="indicator-edit"),
    # indicator data
    path("data/", views.upload_list, name="upload-list"),
    path("data/upload/", views.upload_create, name="upload-create"),
    path("data/<int:pk>/", views.upload_detail, name="upload-detail"),
    path("data/<int:pk>/rows.<str:fmt>", views.upload_export, name="upload-export"),
    # a site's outcomes
    path("sites/<slug:slug>/", views.site_outcomes, name="site"),
    path("sites/<slug:slug>/outputs.<str:fmt>", views.outputs_export, name="outputs-export"),
    path("sites/<slug:slug>/logic-model/start/", views.logic_model_start, name="logic-model-start"),
    path("sites/<slug:slug>/logic-model/new/", views.element_edit, name="element-create"),
    path("sites/<slug:slug>/logic-model/<int:pk>/edit/", views.element_edit, name="element-edit"),
    path(
        "sites/<slug:slug>/logic-model/<int:pk>/remove/",
        views.element_delete,
        name="element-delete",
    ),
    path("sites/<slug:slug>/success/new/", views.measure_create, name="measure-create"),
    path(
        "sites/<slug:slug>/success/<int:pk>/evidence/",
        views.evidence_create,
        name="evidence-create",
    ),
    path("sites/<slug:slug>/evaluation/", views.site_evaluation, name="evaluation"),
    path(
        "sites/<slug:slug>/indicators/<slug:code>/",
        views.site_indicator,
        name="site-indicator",
    ),
    path(
        "sites/<slug:slug>/indicators/<slug:code>/trajectory/",
        views.trajectory,
        name="trajectory",
    ),
    path(
        "sites/<slug:slug>/indicators/<slug:code>/trajectory/<int:pk>/remove/",
        views.trajectory_remove,
        name="trajectory-remove",
    ),
    path(
        "sites/<slug:slug>/indicators/<slug:code>/<slug:table>.<str:fmt>",
        views.site_indicator_export,
        name="site-indicator-export",
    ),
    path(
        "sites/<slug:slug>/indicators/<slug:code>/charts/<slug:chart>.svg",
        views.site_indicator_chart,
        name="site-indicator-chart",
    ),
    path(
        "sites/<slug:slug>/indicators/<slug:code>/charts/<slug:chart>.png",
        views.site_indicator_chart,
        {"fmt": "png"},
        name="site-indicator-chart-png",
    ),
]
