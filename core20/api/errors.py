"""Every API error is JSON: ``{"detail": "..."}`` with the right status, and for invalid
input (422) also ``"errors": [{"field": ..., "message": ..., "location": ...}]``.

``install_error_handlers(api)`` replaces django-ninja's defaults, which let unexpected
exceptions fall through to the HTML 500 page and report validation errors in pydantic's
own shape.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("core20.api")

INVALID_TOKEN = "Invalid or revoked API token."  # noqa: S105 (a message, not a secret)
INCOMPLETE_TWO_FACTOR = (
    "Finish two-factor sign-in before using the API from the browser, or use an API token."
)
AUTHENTICATION_REQUIRED = "Sign in or send an API token to do that."
FORBIDDEN = "You do not have permission to do that."
SERVER_ERROR = "Something went wrong on our side. Try again later."


class NotFound(HttpError):
    """A named thing that does not exist, or that this user may not see (the same answer
    for both, so that the API does not reveal what exists)."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(404, f"Not found: {kind} '{key}'")


class InvalidToken(AuthenticationError):
    def __init__(self, message: str = INVALID_TOKEN) -> None:
        super().__init__(401, message)


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, **extra
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def field_errors(errors: list[dict]) -> list[dict]:
    """ninja's error list (pydantic's, with ``loc`` starting at the source such as "query")
    as ``{"field", "message", "location"}`` entries."""
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else ""
        field = ".".join(loc[1:]) or location
        result.append(
            {"field": field, "message": error.get("msg", "Invalid value"), "location": location}
        )
    return result


def install_error_handlers(api: NinjaAPI) -> None:
    def on_validation_error(request, exc: ValidationError):
        return error_response(api, request, 422, "Invalid input", errors=field_errors(exc.errors))

    def on_authentication_error(request, exc: AuthenticationError):
        # ninja's own AuthenticationError() means no credentials where some are needed.
        detail = exc.message if exc.message != "Unauthorized" else AUTHENTICATION_REQUIRED
        response = error_response(api, request, exc.status_code, detail)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_http_error(request, exc: HttpError):
        return error_response(api, request, exc.status_code, str(exc))

    def on_not_found(request, exc: Http404):
        return error_response(api, request, 404, "Not found.")

    def on_permission_denied(request, exc: PermissionDenied):
        return error_response(api, request, 403, FORBIDDEN)

    def on_too_big(request, exc: RequestDataTooBig):
        return error_response(api, request, 413, "The request body is too large. Send fewer items.")

    def on_unexpected(request, exc: Exception):
        # The details go to the log, never to the client.
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return error_response(api, request, 500, SERVER_ERROR)

    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(Exception, on_unexpected)
