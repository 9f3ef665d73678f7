"""In Chromium, with axe (WCAG 2.2 AA) on every page: a national admin's oversight table,
a site lead's quarterly return form (with its error summary), and the public knowledge hub
and mailing-list sign-up."""

import pytest
from playwright.sync_api import expect

from core20.oversight import actions
from core20.programme.models import ClinicalArea, Site
from tests.browser.conftest import signed_in_as
from tests.factories import SiteFactory
from tests.knowledge import helpers as knowledge
from tests.oversight import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_oversight_return_form_and_knowledge_hub_pass_axe(
    page, live_server, check, make_user, site, other_site, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = make_user("national_admin", full_name="Ada Admin")
    lead = make_user("site_lead", full_name="Lee Lead")
    site.status = Site.Status.ACTIVE
    site.save()
    SiteFactory(name="Third Site", wave=site.wave)
    helpers.allocate(site, admin, "25000.00")
    submitted = helpers.submitted(site, lead, helpers.quarter_before(*helpers.last_quarter()))
    actions.review_return(qreturn=submitted, decision=actions.ACCEPT, by=admin)
    draft = helpers.start(site, lead)
    cancer = ClinicalArea.objects.create(code="cancer", name="Cancer", group="adult")
    knowledge.resource(admin, title="Learning from wave 1", clinical_areas=[cancer])

    # National oversight, as a national admin.
    signed_in_as(page, live_server, admin)
    page.goto(f"{live_server.url}/oversight/")
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("National oversight")
    expect(page.get_by_text("3 sites.", exact=False).first).to_be_visible()
    expect(page.get_by_role("region", name="Outputs compared")).to_be_visible()
    page.goto(f"{live_server.url}/oversight/?group=wave")
    check(page)

    # The quarterly return form, as the site lead: a mistake shows the error summary.
    signed_in_as(page, live_server, lead)
    page.goto(f"{live_server.url}/oversight/returns/{draft.pk}/edit/")
    check(page)
    page.get_by_label("How many connectors were active this quarter? (optional)").fill("lots")
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_role("alert")).to_contain_text("enter a whole number, like 12")
    page.get_by_label("Summary of progress this quarter", exact=True).fill("A good start.")
    page.get_by_label("How many connectors were active this quarter? (optional)").fill("12")
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("return")
    expect(page.get_by_text("Your answers have been saved.")).to_be_visible()

    # The knowledge hub and the mailing-list sign-up, as anyone.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/knowledge/")
    check(page)
    page.get_by_label("Clinical area").select_option("cancer")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("load")
    check(page)
    page.get_by_role("link", name="Learning from wave 1").click()
    page.wait_for_load_state("load")
    check(page)
    page.goto(f"{live_server.url}/knowledge/mailing-list/")
    check(page)
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_role("alert")).to_contain_text("Tick the box to agree")
