from django.urls import path

from core20.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("open-data-licence/", views.open_data, name="open-data"),
]
