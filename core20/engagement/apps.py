from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "core20.engagement"
    label = "engagement"
    verbose_name = "Community activities"
