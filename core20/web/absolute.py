"""Absolute links for emails, which are read away from the site.

A view takes ``base_url(request)`` (the address the request came in on; ALLOWED_HOSTS limits
it in production) and hands it to the code that builds the email, which adds paths with
``absolute_url``. Emails sent after the request (on commit, from a task) then need no request.
"""

from django.http import HttpRequest


def base_url(request: HttpRequest) -> str:
    """The service's address as this request reached it, without a trailing slash."""
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(base: str, path: str) -> str:
    """``path`` (from ``reverse``) on the service at ``base``."""
    return f"{base.rstrip('/')}{path}"
