from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "core20.api"
    label = "api"
    verbose_name = "JSON API"
