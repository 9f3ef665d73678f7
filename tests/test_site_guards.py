"""Site-wide guards: one <h1> per page, no missing migrations, bounded queries on list pages,
security headers, and a clean `check --deploy` with production settings."""

import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from tests.access import first_allowed
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, SiteFactory
from tests.production_env import production_check, production_env
from tests.test_permission_matrix import ANON, MATRIX


def test_no_missing_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    "name", sorted(n for n, cases in MATRIX.items() if any(c.method == "get" for c in cases))
)
def test_every_page_has_exactly_one_h1(name, world):
    for case in MATRIX[name]:
        if case.method != "get":
            continue
        visitor = first_allowed(case)
        if visitor is None:
            continue
        client = Client()
        if visitor != ANON:
            sign_in(client, world.users[visitor])
        response = client.get(reverse(name, kwargs=case.kwargs(world)))
        if not response["Content-Type"].startswith("text/html"):
            continue
        h1s = re.findall(r"<h1[\s>]", response.content.decode())
        assert len(h1s) == 1, f"{name} as {visitor} has {len(h1s)} <h1> elements"


def test_error_pages_have_one_h1(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    [
        "programme:site-list",
        "programme:wave-list",
        "programme:organisation-list",
        "programme:overview",
    ],
)
def test_list_pages_do_not_grow_queries_with_rows(url_name, client, db):
    url = reverse(url_name)
    for _ in range(3):
        SiteFactory()
        OrganisationFactory()
    few = _count_queries(client, url)
    for _ in range(12):
        SiteFactory()
        OrganisationFactory()
    many = _count_queries(client, url)
    assert many == few, f"{url_name}: {few} queries with few rows, {many} with more (N+1?)"


def test_audit_log_queries_are_bounded(client, make_user, site):
    from django.db import transaction

    admin = make_user("national_admin")
    sign_in(client, admin)
    for i in range(30):
        with transaction.atomic():
            record(actor=admin, verb=AuditEvent.Verb.UPDATE, obj=site, site=site, summary=str(i))
    few = _count_queries(client, reverse("audit:log"))
    for i in range(30):
        with transaction.atomic():
            record(actor=admin, verb=AuditEvent.Verb.UPDATE, obj=site, site=site, summary=str(i))
    assert _count_queries(client, reverse("audit:log")) == few


def test_pages_send_security_headers(client, db):
    response = client.get(reverse("web:home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()  # no inline script without a nonce


def test_production_settings_pass_check_deploy(tmp_path):
    env = production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_weak_secret_key(tmp_path):
    result = production_check(tmp_path, SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr
