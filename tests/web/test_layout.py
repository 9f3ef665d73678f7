"""The page frame every page shares: base.html, navigation, error pages, CSP, messages."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from core20.accounts.roles import ROLES
from core20.web import views
from core20.web.navigation import navigation_for
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"  # between the page and service names in <title>


class PageParser(HTMLParser):
    """Collects what the layout tests look at: headings, scripts, styles, nav links."""

    def __init__(self):
        super().__init__()
        self.h1_count = 0
        self.scripts = []  # (attrs, inline text)
        self.style_elements = 0
        self.style_attributes = 0
        self._script = None
        self._nav = []  # aria-label of each open <nav>
        self.nav_text = {}  # aria-label -> text inside

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self.h1_count += 1
        if tag == "script":
            self._script = [attrs, ""]
        if tag == "style":
            self.style_elements += 1
        if "style" in attrs:
            self.style_attributes += 1
        if tag == "nav":
            self._nav.append(attrs.get("aria-label", ""))
            self.nav_text.setdefault(self._nav[-1], "")

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None
        if tag == "nav" and self._nav:
            self._nav.pop()

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
        for label in self._nav:
            self.nav_text[label] += data


def parse(response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def test_base_page_has_skip_link_service_name_phase_banner_and_one_h1(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en-GB">' in html
    assert re.search(
        r'<a class="nhsuk-skip-link"[^>]*href="#maincontent">Skip to main content</a>', html
    )
    assert '<main class="nhsuk-main-wrapper" id="maincontent" role="main">' in html
    assert '<span class="nhsuk-header__service-name">Core20 Connect</span>' in html
    assert "<title>Core20 Connect</title>" in html
    assert ">Beta</strong>" in html
    assert "This is a new service" in html
    assert parse(response).h1_count == 1


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("web:accessibility", "Accessibility statement"),
        ("web:privacy", "Privacy notice"),
        ("web:cookies", "Cookies"),
        ("web:open-data", "Open data licence"),
    ],
)
def test_information_pages_have_one_h1_and_a_titled_page(client, url_name, title):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{title} {DASH} Core20 Connect</title>" in html
    assert parse(response).h1_count == 1
    # The footer links to each of them.
    assert f'href="{reverse(url_name)}">{title}</a>' in html


def test_open_data_page_gives_the_ogl_attributions(client):
    html = client.get(reverse("web:open-data")).content.decode()
    assert "Open Government Licence v3.0" in html
    assert "Contains OS data © Crown copyright and database right" in html
    assert "Contains Royal Mail data © Royal Mail copyright and database right" in html


def test_unknown_url_renders_the_nhs_404_page(client):
    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert f"Page not found {DASH} Core20 Connect" in html
    assert "Skip to main content" in html
    assert parse(response).h1_count == 1


def test_403_page_tells_visitors_to_sign_in():
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    response = views.permission_denied(request)
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>You do not have permission to see this page</h1>" in html
    assert f'href="{reverse("accounts:login")}?next=/somewhere/"' in html


def test_403_page_tells_signed_in_users_to_ask_their_site_lead(make_user):
    request = RequestFactory().get("/somewhere/")
    request.user = make_user("connector")
    html = views.permission_denied(request).content.decode()
    assert "ask your site lead" in html


def test_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    request = RequestFactory().get("/broken/")  # no user, session or messages on it
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Sorry, there is a problem with the service</h1>" in html
    assert html.count("<h1") == 1
    assert "Core20 Connect" in html
    assert 'aria-label="Menu"' not in html  # no navigation: it would need the user


def test_csp_header_is_set_and_no_script_runs_inline(client):
    response = client.get(reverse("web:home"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "style-src 'self'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    page = parse(response)
    assert page.scripts, "the page loads its scripts"
    for attrs, text in page.scripts:
        assert attrs.get("src"), f"inline script: {text[:60]!r}"
        assert not text.strip()
        if "nonce" in attrs:
            assert attrs["nonce"] == nonce
    # style-src 'self' also forbids <style> elements and style attributes.
    assert page.style_elements == 0
    assert page.style_attributes == 0


def test_page_loads_htmx_and_the_design_system_module(client):
    html = client.get(reverse("web:home")).content.decode()
    assert re.search(
        r'<script src="/static/django_htmx/htmx-2\.min\.js" defer nonce="[^"]+">', html
    )
    assert '<script type="module" src="/static/js/app.js"></script>' in html
    assert "vendor/nhsuk-frontend/nhsuk-frontend.min.css" in html


def test_htmx_requests_carry_the_csrf_token(client):
    response = client.get(reverse("web:home"))
    token = response.context["csrf_token"]
    assert f"""hx-headers='{{"X-CSRFToken": "{token}"}}'""" in response.content.decode()


def test_anonymous_visitors_see_the_public_navigation_and_sign_in(client):
    page = parse(client.get(reverse("web:home")))
    menu = page.nav_text["Menu"]
    for label in ("Programme overview", "Waves", "Sites", "Organisations"):
        assert label in menu
    assert "Audit log" not in menu
    assert "API docs" not in menu
    assert "Sign in" in page.nav_text["Account"]


@pytest.mark.parametrize(
    ("role", "sees_audit_log"),
    [
        ("national_admin", True),
        ("site_lead", True),
        ("national_analyst", False),
        ("host_coordinator", False),
        ("connector", False),
        ("decision_maker", False),
        (None, False),
    ],
)
def test_audit_log_link_is_shown_only_with_audit_view(signed_in_client, role, sees_audit_log):
    client, _ = signed_in_client(role)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    menu = parse(response).nav_text["Menu"]
    assert ("Audit log" in menu) is sees_audit_log
    assert "API docs" in menu  # every signed-in user


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (
            "national_admin",
            {
                "Activities",
                "Insights",
                "Connectors",
                "Hours and expenses",
                "Outcomes",
                "Accountability",
                "Your panels",
                "Grant panels",
                "National oversight",
                "Reference data",
                "People",
                "Audit log",
            },
        ),
        (
            "national_analyst",
            {"Activities", "Outcomes", "Accountability", "National oversight", "Reference data"},
        ),
        (
            "site_lead",
            {
                "Activities",
                "Insights",
                "Connectors",
                "Hours and expenses",
                "Outcomes",
                "People",
                "Audit log",
            },
        ),
        ("host_coordinator", {"Activities", "Insights", "Connectors", "Hours and expenses"}),
        (
            "connector",
            # Their own hours page needs a connector record (see the next test).
            {"Your connector home", "Activities", "Insights"},
        ),
        ("decision_maker", {"Insights"}),
        ("panel_member", {"Your panels"}),
        ("community_member", {"Grant panels"}),
    ],
)
def test_each_role_sees_the_links_to_its_own_work(world, role, links):
    from core20.web.navigation import SIGNED_IN_LINKS

    nav = navigation_for(world.users[role])
    labels = {item.label for item in nav.primary}
    role_links = {label for label, _, _ in SIGNED_IN_LINKS} - {"Your applications"}
    assert labels & role_links == links
    for everyone in ("Calls for expressions of interest", "Knowledge hub"):
        assert everyone in labels
    # Only applicants: people with an application, or an account with no role.
    assert "Your applications" not in labels


@pytest.mark.parametrize("role", ["connector", "host_coordinator", "decision_maker"])
def test_the_links_to_a_persons_own_work_come_before_the_public_pages(world, role):
    """The header shows as many links as fit and the rest under "More": on a phone, two or
    three. Someone signed in sees their own work there, not the programme's public pages."""
    labels = [item.label for item in navigation_for(world.users[role]).primary]
    public = labels.index("Programme overview")
    assert public > 0
    assert {"Activities", "Insights", "Your connector home"} & set(labels[:public])
    assert labels[-1] == "API docs"


def test_visitors_see_the_public_pages_in_the_programmes_order(client):
    labels = [item.label for item in navigation_for(AnonymousUser()).primary]
    assert labels[:4] == ["Programme overview", "Waves", "Sites", "Organisations"]
    assert "API docs" not in labels


def test_connectors_leads_straight_to_the_one_site_a_coordinator_manages(world):
    """As "Hours and expenses" does: a list of one site is a needless click."""
    items = {i.label: i.url for i in navigation_for(world.users["host_coordinator"]).primary}
    assert items["Connectors"] == reverse("network:site-connectors", args=[world.site.slug])
    national = {i.label: i.url for i in navigation_for(world.users["national_admin"]).primary}
    assert national["Connectors"] == reverse("network:index")


def test_a_connector_with_a_record_is_shown_their_hours(world):
    from core20.network.models import Connector

    user = world.users["connector"]
    Connector.objects.create(site=world.site, name="Con", user=user, status="active")
    client = Client()
    sign_in(client, user)
    items = {item.label: item.url for item in navigation_for(user).primary}
    assert items["Hours and expenses"] == reverse("hours:mine")
    assert client.get(items["Hours and expenses"]).status_code == 200


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_link_in_the_header_opens_for_the_person_shown_it(world, role):
    client = Client()
    user = world.users[role] if role else AnonymousUser()
    if role:
        sign_in(client, user)
    for item in navigation_for(user).primary + navigation_for(user).account:
        response = client.get(item.url)
        assert response.status_code == 200, f"{item.label} ({item.url}) gave {response.status_code}"


def test_the_public_menu_leads_to_calls_the_hub_and_the_lookup(client):
    html = client.get(reverse("web:home")).content.decode()
    for route in ("selection:call-list", "knowledge:resource-list", "placesui:lookup"):
        assert f'href="{reverse(route)}"' in html
    assert f'href="{reverse("selection:my-applications")}"' not in html


def test_signed_in_users_see_their_name_and_a_sign_out_form(signed_in_client):
    client, _ = signed_in_client("connector", full_name="Ada Connector")
    response = client.get(reverse("web:home"))
    html = response.content.decode()
    account = parse(response).nav_text["Account"]
    assert "Ada Connector" in account
    assert "Sign in" not in account
    assert f'href="{reverse("accounts:profile")}"' in html
    form = re.search(
        r'<form class="nhsuk-header__account-form" '
        rf'action="{reverse("accounts:logout")}" method="post".*?</form>',
        html,
        re.S,
    )
    assert form, "sign-out is a POST form"
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert (
        '<button class="nhsuk-header__account-button" type="submit">Sign out</button>'
        in form.group(0)
    )


def test_home_page_lists_the_users_roles(signed_in_client):
    client, _ = signed_in_client("site_lead")
    html = client.get(reverse("web:home")).content.decode()
    assert "<h1>Your dashboard</h1>" in html
    assert "Site lead" in html
    assert "Home Site" in html  # the site the role is for (conftest's `site`)
    assert f'href="{reverse("audit:log")}"' in html


def test_navigation_marks_the_section_of_the_current_page():
    sites = reverse("programme:site-list")
    nav = navigation_for(AnonymousUser(), sites + "some-site/")
    active = [item.label for item in nav.primary if item.active]
    assert active == ["Sites"]
    assert not any(item.current for item in nav.primary)
    nav = navigation_for(AnonymousUser(), sites)
    assert [item.label for item in nav.primary if item.current] == ["Sites"]


def test_the_privacy_notice_explains_the_mailing_list_and_links_to_it(client):
    html = client.get(reverse("web:privacy")).content.decode()
    assert f'href="{reverse("knowledge:mailing-list-signup")}"' in html
    assert "one-way scrambled version of the address" in html


def test_breadcrumbs_tag_renders_nhs_breadcrumbs_with_a_back_link():
    template = Template('{% load nhsuk %}{% breadcrumbs "Home" "web:home" "Privacy" "/privacy/" %}')
    html = template.render(Context())
    assert '<nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">' in html
    assert '<a class="nhsuk-breadcrumb__link" href="/">Home</a>' in html
    assert (
        '<a class="nhsuk-back-link" href="/privacy/">'
        '<span class="nhsuk-u-visually-hidden">Back to </span>Privacy</a>'
    ) in html


def test_messages_render_as_notification_banners():
    html = render_to_string(
        "includes/messages.html",
        {
            "messages": [
                Message(constants.SUCCESS, "Site saved"),
                Message(constants.INFO, "Your token expires soon"),
            ]
        },
    )
    assert "nhsuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert "Site saved" in html
    assert "Your token expires soon" in html
    assert html.count('class="nhsuk-notification-banner__title"') == 2


VENDOR = Path(__file__).resolve().parents[2] / "core20/static/vendor/nhsuk-frontend"


def test_vendored_css_has_no_absolute_or_remote_urls():
    css = (VENDOR / "nhsuk-frontend.min.css").read_text()
    assert not re.search(r"url\(['\"]?(/|https?:)", css)
    for path in re.findall(r"url\(['\"]?([^'\")]+)", css):
        if not path.startswith("data:"):
            assert (VENDOR / path).exists()


# ---- In a browser: axe (WCAG 2.2 AA), 320px screens, CSP, the design system's scripts ----


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_frame_pages_pass_axe_fit_320px_and_break_no_csp_rule(browser, live_server):
    from tests.browser.conftest import A11yChecker

    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    console_errors = []  # CSP violations are reported as console errors
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    check = A11yChecker(page)
    for name in ("web:home", "web:accessibility", "web:privacy", "web:open-data"):
        page.goto(f"{live_server.url}{reverse(name)}")
        check(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px"
        # app.js ran: the design system's components started.
        assert "nhsuk-frontend-supported" in page.evaluate("document.body.className")
    assert console_errors == []

    # The header's navigation folds into "More" on a small screen, and opens.
    toggle = page.locator("#toggle-menu")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"

    page.goto(f"{live_server.url}/no-such-page/")
    check(page)
    assert not check.unchecked()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_error_summary_takes_focus_and_links_to_the_field(page, live_server):
    from tests.browser.conftest import A11yChecker

    check = A11yChecker(page)
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    check(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    check(page)
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_username"
