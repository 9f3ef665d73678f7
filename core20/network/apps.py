from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "core20.network"
    label = "network"
    verbose_name = "Connector network"
