import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_site_lead_sees_their_site_and_cannot_edit_another(
    page, live_server, check, reference_data, make_user
):
    from core20.programme.models import Site

    home = Site.objects.get(slug="shropshire-telford-wrekin")
    other = Site.objects.get(slug="somerset")
    lead = make_user("site_lead", scope_site=home, full_name="Sita Lead")

    sign_in_browser(page, live_server, lead.email, check=check)
    check(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"{live_server.url}/account/")
    check(page)
    expect(page.get_by_role("cell", name="Shropshire, Telford and Wrekin")).to_be_visible()

    page.goto(f"{live_server.url}{home.get_absolute_url()}")
    check(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shropshire, Telford and Wrekin")
    expect(page.get_by_role("link", name="Edit site")).to_be_visible()

    page.goto(f"{live_server.url}{other.get_absolute_url()}")
    check(page)
    expect(page.get_by_role("link", name="Edit site")).to_have_count(0)

    response = page.goto(f"{live_server.url}/programme/sites/{other.slug}/edit/")
    check(page)
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("permission")


def test_pages_work_on_a_320px_screen(browser, live_server, reference_data):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    from tests.browser.conftest import A11yChecker

    check = A11yChecker(page)
    for path in ["/", "/programme/", "/programme/sites/", "/programme/sites/somerset/"]:
        page.goto(f"{live_server.url}{path}")
        check(page)
        # Nothing wider than the screen: no horizontal scrolling.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    assert not check.unchecked()
    context.close()
