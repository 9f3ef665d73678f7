"""Community activities connectors record (online and offline), mounted at /activities/."""

from django.urls import path

from core20.engagement import views, views_runs

app_name = "engagement"

urlpatterns = [
    path("", views.activity_list, name="activity-list"),
    path("new/", views.activity_new, name="activity-new"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("<int:pk>/", views.activity_detail, name="activity-detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("sites/<slug:slug>/", views.site_dashboard, name="site-dashboard"),
    path("sites/<slug:slug>/export.csv", views_runs.export_csv, name="site-export-csv"),
    path("sites/<slug:slug>/export.xlsx", views_runs.export_xlsx, name="site-export-xlsx"),
    path("sites/<slug:slug>/import/", views_runs.import_file, name="site-import"),
    path("runs/<int:pk>/", views_runs.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views_runs.run_progress, name="run-progress"),
    path("runs/<int:pk>/download/", views_runs.run_download, name="run-download"),
]
