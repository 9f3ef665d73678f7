from django.urls import path

from core20.web import retention_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/retention/", retention_views.retention, name="retention"),
    path("open-data-licence/", views.open_data, name="open-data"),
    path("cookies/", views.cookies, name="cookies"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
]
