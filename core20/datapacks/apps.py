from django.apps import AppConfig


class DatapacksConfig(AppConfig):
    name = "core20.datapacks"
    label = "datapacks"
    verbose_name = "Community data packs and open data"
