from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "core20.oversight"
    label = "oversight"
    verbose_name = "Funding, quarterly returns and national oversight"
