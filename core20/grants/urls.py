"""Micro-grants for community groups: funds, applications, assessment, decisions, payments,
outcome reports, mounted at /grants/."""

from django.urls import path

from core20.grants import views

app_name = "grants"

urlpatterns = [
    # The public.
    path("", views.fund_list, name="fund-list"),
    path("funds/<int:pk>/", views.fund_detail, name="fund-detail"),
    path("funds/<int:pk>/apply/", views.apply, name="apply"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/outcome/", views.outcome, name="outcome"),
    path("360giving.json", views.export_json, name="export-json"),
    path("360giving.csv", views.export_csv, name="export-csv"),
    # The site's team.
    path("sites/<slug:slug>/funds/new/", views.fund_create, name="fund-create"),
    path("funds/<int:pk>/edit/", views.fund_edit, name="fund-edit"),
    path("funds/<int:pk>/manage/", views.fund_manage, name="fund-manage"),
    path("funds/<int:pk>/criteria/new/", views.criterion_create, name="criterion-create"),
    path("funds/<int:pk>/panel/appoint/", views.panel_appoint, name="panel-appoint"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/decide/", views.decide, name="decide"),
    path("applications/<int:pk>/erase/", views.application_erase, name="application-erase"),
    path(
        "applications/<int:pk>/status-link/",
        views.status_link_again,
        name="status-link-again",
    ),
    path("applications/<int:pk>/payments/new/", views.payment_create, name="payment-create"),
    # Panel members.
    path("panel/", views.panel_home, name="panel-home"),
    path("applications/<int:pk>/assess/", views.assess, name="assess"),
]
