from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "core20.hours"
    label = "hours"
    verbose_name = "Hours, expenses and payments"
