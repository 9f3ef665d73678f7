from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "core20.directory"
    label = "directory"
    verbose_name = "Service directory"
