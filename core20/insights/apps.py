from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "core20.insights"
    label = "insights"
    verbose_name = "Insights and the bridge to decision-makers"
