"""The demo and local development: SQLite, debug on, a fixed insecure key."""

import os

os.environ.setdefault("DEBUG", "true")

from core20.env import env_str
from core20.settings.base import *  # noqa: F403

SECRET_KEY = env_str(
    "SECRET_KEY", "django-insecure-local-only-never-use-this-key-in-production-0123"
)
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
