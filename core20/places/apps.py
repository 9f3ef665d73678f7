from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "core20.places"
    label = "places"
    verbose_name = "Places and geography"
