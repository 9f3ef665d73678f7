"""Production: every secret from the environment, HTTPS only.

`DJANGO_SETTINGS_MODULE=core20.settings.production manage.py check --deploy` reports nothing."""

from django.core.exceptions import ImproperlyConfigured

from core20.env import env_bool, env_int, env_secret, env_str, env_uri
from core20.settings.base import *  # noqa: F403

SECRET_KEY = env_secret("SECRET_KEY")
if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DEBUG must be false with production settings.")

# Links in emails must reach the live service: no localhost default, and HTTPS only.
SERVICE_URL = env_str("SERVICE_URL").rstrip("/")
if not SERVICE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        f"SERVICE_URL must be the service's https:// address, not {SERVICE_URL!r}."
    )
# security.txt must name a real contact: no placeholder default.
SECURITY_CONTACT = env_uri("SECURITY_CONTACT", schemes=("mailto", "https"))
# The accessibility statement must give a real contact: no placeholder default either.
SERVICE_CONTACT = env_uri("SERVICE_CONTACT", schemes=("mailto", "https"))

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe the health check over plain HTTP, and would take the redirect to
# HTTPS for a failure (core20/web/urls_ops.py).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
