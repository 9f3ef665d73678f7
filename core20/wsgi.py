"""WSGI entry point: production uses core20.settings.production unless told otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core20.settings.production")

application = get_wsgi_application()
