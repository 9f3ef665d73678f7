"""The test suite: fast hashing, in-memory email, plain static storage.

pytest-django's live_server 404s hashed static files, so tests use plain storage and
collectstatic is checked on its own (see tests/test_deploy.py)."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from core20.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-key-3f9a8c2d7e6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
# Serve static files straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
