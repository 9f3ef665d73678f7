"""Local services and referral routes (Open Referral UK), mounted at /directory/."""

from django.urls import path

from core20.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("services/new/", views.service_create, name="service-create"),
    path("services/<int:pk>/", views.service_detail, name="service-detail"),
    path("services/<int:pk>/edit/", views.service_edit, name="service-edit"),
    path("services/<int:pk>/remove/", views.service_delete, name="service-delete"),
    path("import/", views.import_services, name="import"),
    path("import/<int:pk>/", views.import_result, name="import-result"),
    path("export/", views.export_services, name="export"),
]
