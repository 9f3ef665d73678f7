from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "core20.programme"
    label = "programme"
    verbose_name = "Programme, waves and sites"
