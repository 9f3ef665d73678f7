"""Every API error is JSON with the right status and, for bad input, field messages."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from core20.api.urls import api
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_unknown_site_is_404_json(api_world, api_get):
    body = assert_json_error(api_get("/sites/x"), 404)
    assert body == {"detail": "Not found: site 'x'"}


def test_unknown_path_under_the_api_is_404_json(api_world, api_get):
    body = assert_json_error(api_get("/no-such-thing"), 404)
    assert body == {"detail": "Not found: no API endpoint at /api/v1/no-such-thing"}
    assert_json_error(api_get("/sites/somerset/extra"), 404)
    assert_json_error(api_get("/sites/"), 404)


def test_wrong_method_is_405_json(api_world, client):
    response = client.post(f"{API}/sites", {})
    body = assert_json_error(response, 405)
    assert response["Allow"] == "GET"
    assert "POST" in body["detail"]
    assert_json_error(client.delete(f"{API}/sites/somerset"), 405)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": -1}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"wave": "abc"}, "wave"),
        ({"status": "bogus"}, "status"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_invalid_query_parameters_are_422_with_field_messages(api_world, api_get, params, field):
    body = assert_json_error(api_get("/sites", **params), 422)
    assert body["detail"] == "Invalid input"
    assert [e["field"] for e in body["errors"]] == [field]
    error = body["errors"][0]
    assert error["location"] == "query"
    assert isinstance(error["message"], str) and error["message"]


def test_422_reports_every_bad_field(api_world, api_get):
    body = assert_json_error(api_get("/sites", wave="abc", status="bogus", limit=-1), 422)
    assert {e["field"] for e in body["errors"]} == {"wave", "status", "limit"}
    status = next(e for e in body["errors"] if e["field"] == "status")
    assert "associate" in status["message"]  # it says what is allowed


def test_invalid_path_parameter_is_422(api_world, api_get):
    body = assert_json_error(api_get("/waves/abc"), 422)
    assert body["errors"][0]["field"] == "id"
    assert body["errors"][0]["location"] == "path"


def test_invalid_input_on_other_lists_is_422(api_world, api_get):
    for path in ["/programmes", "/waves", "/organisations"]:
        body = assert_json_error(api_get(path, offset="x"), 422)
        assert body["errors"][0]["field"] == "offset"


def test_unexpected_errors_are_500_json_without_internals(api_world, api_get, monkeypatch, caplog):
    def broken(request):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("core20.api.routers.sites.sites_for", broken)
    with caplog.at_level(logging.ERROR, logger="core20.api"):
        response = api_get("/sites")
    body = assert_json_error(response, 500)
    assert "hunter2" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert body == {"detail": "Something went wrong on our side. Try again later."}
    # The details are logged for the people running the service.
    assert any("hunter2" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_permission_denied_is_403_json(api_world):
    request = RequestFactory().get(f"{API}/sites")
    response = api.on_exception(request, PermissionDenied())
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.content == b'{"detail": "You do not have permission to do that."}'


def test_missing_credentials_where_required_is_401_json(api_world):
    """No endpoint needs credentials yet; endpoints that change things will (WRITE_AUTH)."""
    from ninja.errors import AuthenticationError

    request = RequestFactory().get(f"{API}/sites")
    response = api.on_exception(request, AuthenticationError())
    assert response.status_code == 401
    assert response.content == b'{"detail": "Sign in or send an API token to do that."}'


def test_the_api_root_is_a_json_index(api_world, api_get):
    body = api_get("/").json()
    assert body["title"] == "Core20 Connect API"
    assert body["docs"] == "http://testserver/api/v1/docs"
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"


def test_a_body_over_the_upload_limit_is_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"queries": [' + ",".join(['"TF1 1AA"'] * 500) + "]}"
    response = client.post("/api/v1/places/lookup", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request body is too large")
