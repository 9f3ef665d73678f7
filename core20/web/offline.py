"""Forms that work with no connection: the set-up static/js/offline-form.js reads from the
form's data attributes (written by templates/includes/offline_form_attrs.html), and the
service worker that keeps the form pages and the files they need.

A form opts in by putting ``offline_form(...)`` in its page's context as ``offline`` and
including the attributes in its ``<form>`` tag; its app serves ``offline_service_worker``
from the folder the form is in (a service worker covers only its own folder)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# What the service worker keeps for a form to work with no connection.
OFFLINE_ASSETS = (
    "vendor/nhsuk-frontend/nhsuk-frontend.min.css",
    "css/app.css",
    "js/app.js",
    "vendor/nhsuk-frontend/nhsuk-frontend.min.js",
    "django_htmx/htmx-2.min.js",
    "js/offline-form.js",
    "vendor/nhsuk-frontend/assets/images/favicon.svg",
)


@dataclass(frozen=True)
class OfflineForm:
    """The data attributes of a form that works offline (the JSON ones already as text)."""

    sw_url: str
    api_url: str
    queue: str
    legacy_queue: str
    body: str
    checks: str
    messages: str


def shared_queue(name: str) -> str:
    """The localStorage key that every person on a device once shared for the ``name``
    form's saves."""
    return f"core20.{name}.queue"


def person_queue(name: str, user: AbstractBaseUser) -> str:
    """The localStorage key of ``user``'s saves from the ``name`` form."""
    return f"{shared_queue(name)}.{user.pk}"


def offline_form(
    request: HttpRequest,
    *,
    name: str,
    sw_url: str,
    api_url: str,
    body: dict,
    checks: Sequence[dict],
    messages: dict[str, str],
    adopt_shared_queue: bool = False,
) -> OfflineForm:
    """The set-up for the ``name`` form (see static/js/offline-form.js for ``body``,
    ``checks`` and ``messages``), posting to ``api_url`` and kept by the service worker at
    ``sw_url``.

    Saves wait for the person who saved them: each person's queue is their own, so that
    someone else signing in on the same phone does not send them. With
    ``adopt_shared_queue``, saves left under the key shared by everyone in earlier versions
    are taken over by whoever opens the form next (the only way they can still be sent)."""
    return OfflineForm(
        sw_url=sw_url,
        api_url=api_url,
        queue=person_queue(name, request.user),
        legacy_queue=shared_queue(name) if adopt_shared_queue else "",
        body=json.dumps(body),
        checks=json.dumps(list(checks)),
        messages=json.dumps(messages),
    )


def offline_service_worker(
    request: HttpRequest, *, name: str, pages: str, precache: Sequence[str] = ()
) -> HttpResponse:
    """A service worker (template offline/sw.js) keeping the form pages whose path
    matches the regular expression ``pages``, those in ``precache`` at once, and the
    static files they need. Serve it from the folder it should cover (its scope). Its
    version changes whenever an asset's address does (new hashed static files) or the
    pages do, so browsers replace the old cache."""
    assets = [static(path) for path in OFFLINE_ASSETS]
    version = hashlib.sha256("|".join([pages, *precache, *assets]).encode()).hexdigest()[:12]
    response = render(
        request,
        "offline/sw.js",
        {
            "name": name,
            "pages": pages,
            "precache": [*precache, *assets],
            "version": version,
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response
