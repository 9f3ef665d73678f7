"""The easy read on a 320 px phone, with a long contact address (the demo's
community.connectors@demo.core20.example): the address wraps instead of pushing the page
sideways, in every language; axe (WCAG 2.2 AA) on each page."""

import pytest

from core20.datapacks import actions, generation
from tests.datapacks.helpers import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTACT = "community.connectors@demo.core20.example"


def test_a_long_contact_address_wraps_on_a_phone(page, live_server, check, tiny, site, make_user):
    lead = make_user("site_lead")
    choose(site, "E05999991", names={"E05999991": "North Tiny"})
    pack = actions.start_generation(site=site, by=lead, area_code="E05999991", contact=CONTACT)
    pack.refresh_from_db()
    if pack.status != pack.Status.READY:
        generation.execute_generation(pack.pk)
        pack.refresh_from_db()
    actions.publish(pack=pack, by=lead)

    page.set_viewport_size({"width": 320, "height": 800})
    for lang in ("en", "pl", "ur"):
        page.goto(
            f"{live_server.url}/data-packs/{site.slug}/packs/{pack.pk}/easy-read/?lang={lang}"
        )
        check(page)
        assert CONTACT in page.get_by_test_id("easy-read").inner_text()
        sideways = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways <= 0, f"the {lang} easy read scrolls {sideways} px sideways at 320 px"
