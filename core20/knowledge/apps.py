from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "core20.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge hub and stakeholder mailing list"
