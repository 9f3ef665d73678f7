from django.urls import path

from core20.places import views

app_name = "places"

urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_run, name="import-run"),
    path("imports/<int:pk>/progress/", views.import_run_progress, name="import-run-progress"),
]
