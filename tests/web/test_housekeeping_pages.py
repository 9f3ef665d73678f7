"""The cookies page, robots.txt and security.txt: open to everyone, and true to the settings."""

import re
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from core20.env import env_uri
from core20.web.views import security_txt_expiry
from tests.factories import TEST_PASSWORD
from tests.production_env import production_check

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "path", "content_type"),
    [
        ("web:cookies", "/cookies/", "text/html; charset=utf-8"),
        ("web:robots", "/robots.txt", "text/plain; charset=utf-8"),
        ("web:security-txt", "/.well-known/security.txt", "text/plain; charset=utf-8"),
    ],
)
def test_each_page_opens_for_anyone_at_its_well_known_address(client, url_name, path, content_type):
    assert reverse(url_name) == path
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


# ---- cookies ----


def _cookie_rows(html: str) -> dict[str, list[str]]:
    """{cookie name: [what it is for, when it is set, how long it lasts]} from the table."""
    table = html.split('data-testid="cookies"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr role=\"row\" class=\"nhsuk-table__row\">(.*?)</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"</span>(.*?)</td>", row, re.S)
        ]
        name = re.search(r"<code>(.*?)</code>", row).group(1)
        rows[name] = cells[1:]
    return rows


def test_the_cookie_table_lists_the_cookies_by_their_configured_names(client):
    rows = _cookie_rows(client.get(reverse("web:cookies")).content.decode())
    assert set(rows) == {"csrftoken", "sessionid", "messages"}
    assert rows["sessionid"][1:] == [
        "Only when you sign in or reset your password",
        "12 hours, or until you sign out",
    ]
    assert rows["csrftoken"][1:] == ["When you open any page", "52 weeks"]


@override_settings(
    SESSION_COOKIE_NAME="__Host-sessionid",
    CSRF_COOKIE_NAME="__Host-csrftoken",
    SESSION_COOKIE_AGE=60 * 60 * 24 * 2,
    CSRF_COOKIE_AGE=60 * 60,
)
def test_the_cookie_table_follows_production_names_and_lifetimes(client):
    rows = _cookie_rows(client.get(reverse("web:cookies")).content.decode())
    assert set(rows) == {"__Host-csrftoken", "__Host-sessionid", "messages"}
    assert rows["__Host-sessionid"][2] == "2 days, or until you sign out"
    assert rows["__Host-csrftoken"][2] == "1 hour"


@override_settings(
    CSRF_USE_SESSIONS=True,
    SESSION_EXPIRE_AT_BROWSER_CLOSE=True,
    MESSAGE_STORAGE="django.contrib.messages.storage.session.SessionStorage",
)
def test_cookies_the_settings_do_not_use_are_left_out(client):
    rows = _cookie_rows(client.get(reverse("web:cookies")).content.decode())
    assert set(rows) == {"sessionid"}
    assert rows["sessionid"][2] == "Until you close your browser"


def test_every_cookie_a_visit_sets_is_on_the_cookies_page(client, make_user):
    """Browse anonymously, sign in, and save a change that shows a message: each cookie
    set on the way is in the table."""
    user = make_user(None)
    set_names = set()
    for response in (
        client.get(reverse("web:home")),
        client.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD}),
        client.post(reverse("accounts:profile"), {"digest_frequency": "never"}),
    ):
        assert response.status_code in (200, 302)
        set_names |= set(response.cookies)
    assert {"csrftoken", "sessionid", "messages"} <= set_names
    assert set_names <= set(_cookie_rows(client.get(reverse("web:cookies")).content.decode()))


def test_the_cookies_page_explains_what_the_offline_forms_keep(client):
    response = client.get(reverse("web:cookies"))
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "<code>core20.activities.queue.&lt;id&gt;</code>" in html
    assert "<code>core20.insights.queue.&lt;id&gt;</code>" in html
    assert "It is never sent anywhere else." in html
    assert "How to clear it" in html
    assert "No analytics or advertising cookies" in html


def test_the_footer_links_to_the_cookies_page_after_the_privacy_notice(client):
    html = client.get(reverse("web:home")).content.decode()
    privacy = html.index(f'href="{reverse("web:privacy")}">Privacy notice</a>')
    assert html.index(f'href="{reverse("web:cookies")}">Cookies</a>') > privacy


# ---- robots.txt ----


def _robots_rules(text: str) -> list[tuple[str, str]]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "User-agent: *"
    return [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:]]


def _allowed(rules: list[tuple[str, str]], path: str) -> bool:
    """RFC 9309: the longest matching rule wins (Allow on a tie); * matches anything."""
    best = ("Allow", "")
    for directive, pattern in rules:
        if re.match(re.escape(pattern).replace(r"\*", ".*"), path):
            longer = len(pattern) > len(best[1])
            if longer or (len(pattern) == len(best[1]) and directive == "Allow"):
                best = (directive, pattern)
    return best[0] == "Allow"


PRIVATE = [
    ("accounts:profile", {}),
    ("accounts:login", {}),
    ("accounts:password-reset-confirm", {"uidb64": "MQ", "token": "abc-123"}),
    ("api-1.0.0:api-root", {}),
    ("admin:index", {}),
    ("audit:log", {}),
    ("hours:mine", {}),
    ("engagement:activity-new", {}),
    ("oversight:dashboard", {}),
    ("network:me", {}),
    ("grants:status", {"token": "private-token"}),
    ("grants:outcome", {"token": "private-token"}),
    ("grants:application-detail", {"pk": 1}),
    ("selection:application-detail", {"pk": 1}),
    ("knowledge:mailing-list-confirm", {"token": "private-token"}),
    ("knowledge:mailing-list-unsubscribe", {"token": "private-token"}),
    ("insights:insight-list", {}),
    ("ops:status", {}),
    ("ops:health", {}),
]
PUBLIC = [
    ("web:home", {}),
    ("web:accessibility", {}),
    ("web:privacy", {}),
    ("web:cookies", {}),
    ("programme:site-list", {}),
    ("grants:fund-list", {}),
    ("selection:call-list", {}),
    ("knowledge:resource-list", {}),
    ("directory:search", {}),
    ("insights:public", {"slug": "a-site"}),
]


def test_robots_txt_keeps_search_engines_out_of_private_pages_and_links(client):
    text = client.get(reverse("web:robots")).content.decode()
    rules = _robots_rules(text)
    blocked = [name for name, kwargs in PRIVATE if _allowed(rules, reverse(name, kwargs=kwargs))]
    assert blocked == []
    refused = [name for name, kwargs in PUBLIC if not _allowed(rules, reverse(name, kwargs=kwargs))]
    assert refused == []
    # Each rule says why it is there.
    lines = text.splitlines()
    rules_at = [i for i, line in enumerate(lines) if line.startswith(("Allow:", "Disallow:"))]
    assert len(rules_at) > 10
    assert all(lines[i - 1].startswith("# ") for i in rules_at)


# ---- security.txt ----


@override_settings(
    SECURITY_CONTACT="https://connect.example.nhs.uk/report",
    SERVICE_URL="https://connect.example.nhs.uk",
)
def test_security_txt_gives_the_contact_expiry_language_and_canonical_address(client):
    text = client.get(reverse("web:security-txt")).content.decode()
    fields = dict(line.split(": ", 1) for line in text.splitlines())
    assert fields["Contact"] == "https://connect.example.nhs.uk/report"
    assert fields["Preferred-Languages"] == "en"
    assert fields["Canonical"] == "https://connect.example.nhs.uk/.well-known/security.txt"
    expires = datetime.fromisoformat(fields["Expires"])
    now = datetime.now(UTC)
    assert now + timedelta(days=364) < expires <= now + timedelta(days=366)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", fields["Expires"])


def test_security_txt_uses_the_local_placeholder_contact_by_default(client):
    text = client.get(reverse("web:security-txt")).content.decode()
    assert "Contact: mailto:security@core20connect.invalid\n" in text


@pytest.mark.parametrize(
    ("today", "expires"),
    [
        (date(2025, 6, 3), "2026-06-03T00:00:00Z"),
        (date(2028, 2, 29), "2029-02-28T00:00:00Z"),
    ],
)
def test_security_txt_expires_a_year_from_today(today, expires):
    assert security_txt_expiry(today) == expires


@pytest.mark.parametrize(
    "value",
    ["mailto:security@example.nhs.uk", "https://example.nhs.uk/security", "MAILTO:a@b.uk"],
)
def test_a_security_contact_may_be_an_email_or_https_address(value):
    environ = {"SECURITY_CONTACT": value}
    assert env_uri("SECURITY_CONTACT", schemes=("mailto", "https"), environ=environ) == value


@pytest.mark.parametrize(
    "value",
    [
        "security@example.nhs.uk",
        "http://example.nhs.uk/security",
        "mailto:",
        "https://",
        "mailto:a@b.uk\nContact: mailto:evil@example.com",
        "",
    ],
)
def test_other_security_contacts_are_refused(value):
    environ = {"SECURITY_CONTACT": value}
    with pytest.raises(
        ImproperlyConfigured, match="SECURITY_CONTACT must be a mailto: or https://"
    ):
        env_uri("SECURITY_CONTACT", schemes=("mailto", "https"), environ=environ)


def _production_check(tmp_path, **variables) -> subprocess.CompletedProcess:
    return production_check(tmp_path, without=("SECURITY_CONTACT",), **variables)


@pytest.mark.parametrize(
    ("variables", "error"),
    [
        ({}, "Set the environment variable SECURITY_CONTACT"),
        ({"SECURITY_CONTACT": "security@example.nhs.uk"}, "SECURITY_CONTACT must be a mailto:"),
        ({"SECURITY_CONTACT": "http://example.nhs.uk"}, "SECURITY_CONTACT must be a mailto:"),
    ],
    ids=["missing", "not a URI", "not https"],
)
def test_production_refuses_to_start_without_a_real_security_contact(tmp_path, variables, error):
    result = _production_check(tmp_path, **variables)
    assert result.returncode != 0
    assert error in result.stderr


def test_production_starts_with_a_security_contact(tmp_path):
    result = _production_check(tmp_path, SECURITY_CONTACT="mailto:security@example.nhs.uk")
    assert result.returncode == 0, result.stderr


# ---- the contact for the public ----


@override_settings(SERVICE_CONTACT="mailto:core20connect@example.nhs.uk")
def test_the_accessibility_statement_and_privacy_notice_say_how_to_reach_the_team(client):
    link = '<a href="mailto:core20connect@example.nhs.uk">core20connect@example.nhs.uk</a>'
    statement = client.get(reverse("web:accessibility")).content.decode()
    assert link in statement.split('id="feedback"')[1]  # where the feedback link lands
    # The regulations ask when the statement was prepared and last reviewed.
    assert "This statement was prepared on" in statement
    assert link in client.get(reverse("web:privacy")).content.decode()


def test_production_refuses_to_start_without_a_contact_for_the_public(tmp_path):
    missing = production_check(tmp_path, without=("SERVICE_CONTACT",))
    assert missing.returncode != 0
    assert "Set the environment variable SERVICE_CONTACT" in missing.stderr
    wrong = production_check(tmp_path, SERVICE_CONTACT="core20@example.nhs.uk")
    assert "SERVICE_CONTACT must be a mailto: or https:// address" in wrong.stderr
