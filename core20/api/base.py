"""NinjaAPI with the project's conventions: JSON for every error (including 404 for unknown
paths under the API and 405 for wrong methods, which django-ninja answers in plain text),
a JSON index at the API root, and OpenAPI that marks anonymous access as allowed."""

from functools import wraps

from django.http import HttpRequest, HttpResponseNotAllowed
from django.urls import URLPattern, path, re_path, reverse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from core20.api.auth import Anonymous
from core20.api.errors import error_response


class ApiOpenAPISchema(OpenAPISchema):
    def operation_security(self, operation):
        security = super().operation_security(operation)
        if security is not None and any(isinstance(a, Anonymous) for a in operation.auth_callbacks):
            security.append({})  # OpenAPI's way of saying "or no credentials at all"
        return security


class CoreApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ApiOpenAPISchema(self, path_prefix)

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__  # list_sites, not core20_api_routers_sites_list_sites

    def _get_urls(self):
        urls = []
        for pattern in super()._get_urls():
            if pattern.name == "api-root":
                urls.append(path("", self._root_view, name="api-root"))
            elif isinstance(pattern, URLPattern) and pattern.name not in (
                "openapi-json",
                "openapi-view",
            ):
                urls.append(
                    URLPattern(
                        pattern.pattern,
                        self._json_method_not_allowed(pattern.callback),
                        pattern.default_args,
                        pattern.name,
                    )
                )
            else:
                urls.append(pattern)
        # Last: anything else under the API is a JSON 404, not the HTML error page.
        urls.append(re_path(r"^.*$", self._not_found_view))
        return urls

    def _json_method_not_allowed(self, view):
        @wraps(view)  # keeps csrf_exempt: the auth classes do the CSRF check
        def wrapper(request: HttpRequest, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = response["Allow"]
                response = error_response(
                    self,
                    request,
                    405,
                    f"Method {request.method} not allowed. Allowed: {allowed}.",
                )
                response["Allow"] = allowed
            return response

        return wrapper

    def _root_view(self, request: HttpRequest):
        return self.create_response(
            request,
            {
                "title": self.title,
                "version": self.version,
                "docs": request.build_absolute_uri(reverse(f"{self.urls_namespace}:openapi-view")),
                "openapi": request.build_absolute_uri(
                    reverse(f"{self.urls_namespace}:openapi-json")
                ),
            },
            status=200,
        )

    def _not_found_view(self, request: HttpRequest):
        return error_response(self, request, 404, f"Not found: no API endpoint at {request.path}")
