"""The OpenAPI document, and the docs page working offline under the site's CSP."""

from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.api.conftest import API

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/programmes",
    "/api/v1/programmes/{slug}",
    "/api/v1/waves",
    "/api/v1/waves/{id}",
    "/api/v1/sites",
    "/api/v1/sites/{slug}",
    "/api/v1/organisations",
    "/api/v1/organisations/{slug}",
    "/api/v1/places/lookup",
    "/api/v1/places/sites/{slug}/profile",
}
# Every path is read with GET; the bulk lookup also takes a POSTed list (it changes nothing).
METHODS = {"/api/v1/places/lookup": {"get", "post"}}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_url_names():
    assert reverse("api-1.0.0:openapi-json") == "/api/v1/openapi.json"
    assert reverse("api-1.0.0:openapi-view") == "/api/v1/docs"


def test_openapi_document_lists_every_path_and_the_bearer_scheme(client):
    response = client.get(reverse("api-1.0.0:openapi-json"))
    assert response.status_code == 200
    doc = response.json()
    assert doc["info"]["title"] == "Core20 Connect API"
    assert doc["info"]["version"] == "1.0.0"
    assert "Bearer" in doc["info"]["description"]
    # The programme and places reads (each app's own routes are checked by its tests and by
    # the permission matrix, which fails for any route without an entry).
    assert set(doc["paths"]) >= PATHS
    assert all(path.startswith("/api/v1/") for path in doc["paths"])
    schemes = doc["components"]["securitySchemes"]
    bearer = [s for s in schemes.values() if s.get("type") == "http" and s["scheme"] == "bearer"]
    assert len(bearer) == 1
    assert "revoked" in bearer[0]["description"]
    for path in PATHS:
        operations = doc["paths"][path]
        assert set(operations) == METHODS.get(path, {"get"}), path
        operation = operations["get"]
        # Token, session, or nothing at all ({}): anonymous reads are allowed.
        assert {"BearerToken": []} in operation["security"], path
        assert {} in operation["security"], path
        assert {"200", "401", "422"} <= set(operation["responses"]), path
        if "{" in path:
            assert "404" in operation["responses"], path


def test_openapi_documents_filters_pagination_and_internal_fields(client):
    doc = client.get(reverse("api-1.0.0:openapi-json")).json()
    params = {p["name"] for p in doc["paths"]["/api/v1/sites"]["get"]["parameters"]}
    assert params == {
        "q",
        "programme",
        "wave",
        "region",
        "icb",
        "clinical_area",
        "plus_group",
        "status",
        "limit",
        "offset",
    }
    site = doc["components"]["schemas"]["SiteOut"]["properties"]
    assert "null" in site["internal_notes"]["description"]
    assert {"type": "null"} in site["internal_notes"]["anyOf"]
    error = doc["components"]["schemas"]["ValidationErrorOut"]["properties"]
    assert set(error) == {"detail", "errors"}


def test_openapi_lists_each_models_own_choices(client):
    """Site.Status and Wave.Status (and the Kinds) share class names; each field must still
    list its own values."""
    from core20.programme.models import Organisation, Site, Wave

    schemas = client.get(reverse("api-1.0.0:openapi-json")).json()["components"]["schemas"]
    assert schemas["SiteOut"]["properties"]["status"]["enum"] == Site.Status.values
    assert schemas["WaveOut"]["properties"]["status"]["enum"] == Wave.Status.values
    assert schemas["SiteOut"]["properties"]["kind"]["enum"] == Site.Kind.values
    assert schemas["OrganisationOut"]["properties"]["kind"]["enum"] == Organisation.Kind.values


def test_docs_page_works_offline_under_the_csp(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]

    tags = parse(html)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert len(scripts) >= 2
    for attrs in scripts:
        src = attrs.get("src")
        assert (src and src.startswith("/static/")) or attrs.get("nonce") == nonce, attrs
    # Everything the page loads is ours: no CDN, no other origin.
    loaded = [
        attrs.get("src") or attrs.get("href") for tag, attrs in tags if tag in ("script", "link")
    ]
    for url in filter(None, loaded):
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"missing static file {url}"
    assert "cdn" not in html.lower() and "https://" not in html
    assert [tag for tag, _ in tags].count("h1") == 1
    # No inline styles or handlers, which the CSP would block.
    assert all("style" not in attrs for _, attrs in tags)
    assert all(not name.startswith("on") for _, attrs in tags for name in attrs)


def test_docs_page_points_swagger_ui_at_the_openapi_document(client):
    import json

    html = client.get(f"{API}/docs").content.decode()
    raw = html.split('id="swagger-settings"')[1].split(">", 1)[1].split("</script>")[0]
    settings = json.loads(raw)
    assert settings["url"] == "/api/v1/openapi.json"
    assert settings["validatorUrl"] is None  # no request to the public validator


def test_swagger_ui_is_vendored_without_outside_references():
    bundle = finders.find("api/swagger-ui/swagger-ui-bundle.js")
    css = finders.find("api/swagger-ui/swagger-ui.css")
    assert bundle and css
    with open(css, encoding="utf-8") as fh:
        text = fh.read()
    # The manifest storage would fail collectstatic on a map file we do not ship.
    assert "sourceMappingURL" not in text
    with open(finders.find("api/docs.js"), encoding="utf-8") as fh:
        assert "SwaggerUIBundle(" in fh.read()


def test_docs_page_links_signed_in_users_to_their_tokens(api_world, client):
    from tests.conftest import sign_in

    sign_in(client, api_world.users["site_lead"])
    html = client.get(f"{API}/docs").content.decode()
    assert reverse("accounts:tokens") in html


def test_docs_page_does_not_offer_tokens_to_roles_without_api_access(api_world, client):
    from tests.conftest import sign_in

    sign_in(client, api_world.users["connector"])
    html = client.get(f"{API}/docs").content.decode()
    assert reverse("accounts:tokens") not in html


def test_every_operation_has_a_written_summary_and_description(client):
    """The documentation names each operation in words and says what it does: a summary
    django-ninja made up from the function name ("Network My Records") or an empty
    description leaves readers guessing."""
    doc = client.get(reverse("api-1.0.0:openapi-json")).json()
    missing = []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            generated = operation["operationId"].replace("_", " ").title()
            where = f"{method.upper()} {path}"
            if operation.get("summary", generated) == generated:
                missing.append(f"{where}: summary made from the function name")
            if not operation.get("description", "").strip():
                missing.append(f"{where}: no description")
    assert missing == []
