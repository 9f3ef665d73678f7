from django.apps import AppConfig


class WebConfig(AppConfig):
    """The site's frame: base layout, navigation, form rendering, error and static pages."""

    name = "core20.web"
    label = "web"
    verbose_name = "Web pages"
