"""Community data packs (HTML, PDF, easy read, translated) and open data, at /data-packs/."""

from django.urls import path

from core20.datapacks import views

app_name = "datapacks"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.site_packs, name="site"),
    path("<slug:slug>/generate/", views.generate, name="generate"),
    path("<slug:slug>/packs/<int:pk>/", views.pack, name="pack"),
    path("<slug:slug>/packs/<int:pk>/progress/", views.pack_progress, name="pack-progress"),
    path("<slug:slug>/packs/<int:pk>/publish/", views.publish, name="publish"),
    path("<slug:slug>/packs/<int:pk>/easy-read/", views.easy_read, name="easy-read"),
    path("<slug:slug>/packs/<int:pk>/pdf/", views.pack_pdf, name="pack-pdf"),
    path("<slug:slug>/open-data/", views.open_data, name="open-data"),
    path("<slug:slug>/open-data.csv", views.open_data_csv, name="open-data-csv"),
    path("<slug:slug>/open-data.json", views.open_data_json, name="open-data-json"),
]
