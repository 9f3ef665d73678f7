from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "core20.audit"
    label = "audit"
    verbose_name = "Audit log"
