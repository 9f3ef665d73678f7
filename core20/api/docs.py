"""The API docs page: Swagger UI served from our own static files, so that it works
offline and under the site's Content Security Policy (no inline script, no CDN).

django-ninja's own templates would load Swagger UI from a CDN unless "ninja" is in
INSTALLED_APPS; this page does not depend on that. The Swagger UI files under
core20/api/static/api/swagger-ui/ are copied from the django-ninja package (see README
there)."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

from core20.accounts.authorization import has_any_permission
from core20.accounts.permissions import Permission

_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class OfflineSwagger(DocsBase):
    template = "api/docs.html"
    settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # The default validator is an external service: no badge, no outside request.
        "validatorUrl": None,
        "docExpansion": "list",
        "defaultModelsExpandDepth": 0,
    }

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        config = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request,
            self.template,
            {
                "api": api,
                "swagger_settings": json.dumps(config).translate(_JSON_SCRIPT_ESCAPES),
                "openapi_url": config["url"],
                # Only roles that may hold tokens are offered the tokens page.
                "may_have_tokens": has_any_permission(request.user, Permission.API_TOKEN_MANAGE),
            },
        )
