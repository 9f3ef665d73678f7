"""In Chromium, with axe (WCAG 2.2 AA) on every page: a host coordinator imports an Open
Referral UK file (a broken one first, to see the problems listed), then a connector searches
the directory by clinical area and place, and opens a service."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from core20.places.models import LocalAuthorityDistrict, Postcode, Ward
from core20.programme.models import ClinicalArea
from tests.browser.conftest import signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERVICES = (
    "id,organization_id,name,description,status,core20_referral_routes,core20_referral_details\n"
    "walk-1,org-1,Blakenall Diabetes Walk,Weekly walks with a nurse,active,self;connector,"
    "Ring Sam on the number below\n"
    "cafe-1,org-1,Dudley Memory Café,A café for carers,active,self,\n"
)
ORGANIZATIONS = "id,name\norg-1,Walk Together CIC\n"
LOCATIONS = "id,name\nloc-1,Blakenall Village Centre\nloc-2,Dudley Hall\n"
ADDRESSES = (
    "id,location_id,address_1,city,postal_code,country\n"
    "a1,loc-1,79 Thames Road,Walsall,WS3 1AA,GB\n"
    "a2,loc-2,1 Castle Street,Dudley,DY1 1AA,GB\n"
)
LINKS = "id,service_id,location_id\nsal-1,walk-1,loc-1\nsal-2,cafe-1,loc-2\n"
PHONES_CONTACTS = "id,service_id,name,title\nc1,walk-1,Sam,Walk leader\n"
PHONES = "id,contact_id,number,language\np1,c1,01922 000000,\n"
TAXONOMIES = (
    "id,name,vocabulary,parent\ncore20-clinical-area:diabetes,Diabetes,core20-clinical-area,\n"
)
SERVICE_TAXONOMYS = "id,service_id,taxonomy_id\nst1,walk-1,core20-clinical-area:diabetes\n"


def _zip(path, services: str) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in {
            "services.csv": services,
            "organizations.csv": ORGANIZATIONS,
            "locations.csv": LOCATIONS,
            "physical_addresses.csv": ADDRESSES,
            "service_at_locations.csv": LINKS,
            "contacts.csv": PHONES_CONTACTS,
            "phones.csv": PHONES,
            "taxonomies.csv": TAXONOMIES,
            "service_taxonomys.csv": SERVICE_TAXONOMYS,
        }.items():
            archive.writestr(name, text)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_coordinator_imports_and_a_connector_finds_a_service(
    page, live_server, check, make_user, site, tmp_path
):
    ClinicalArea.objects.create(code="diabetes", name="Diabetes", group="adult")
    walsall = LocalAuthorityDistrict.objects.create(code="E08000030", name="Walsall")
    Ward.objects.create(code="E05001179", name="Blakenall", lad=walsall)
    Postcode.objects.create(
        code="WS31AA", display="WS3 1AA", ward_code="E05001179", lad_code="E08000030"
    )
    coordinator = make_user("host_coordinator")
    connector = make_user("connector")

    # The host coordinator imports a file with a mistake: every problem is listed.
    signed_in_as(page, live_server, coordinator)
    page.goto(f"{live_server.url}/directory/")
    check(page)
    page.get_by_role("button", name="Import Open Referral UK").click()
    page.wait_for_load_state("load")
    check(page)
    broken = SERVICES.replace(",self,\n", ",sometimes,\n")
    page.get_by_label("Open Referral UK file").set_input_files(_zip(tmp_path / "bad.zip", broken))
    page.get_by_role("button", name="Import services").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported")
    expect(page.get_by_text("services.csv, row 3, column core20_referral_routes")).to_be_visible()

    page.get_by_label("Open Referral UK file").set_input_files(
        _zip(tmp_path / "good.zip", SERVICES)
    )
    page.get_by_label("Show the imported services in the public directory").check()
    page.get_by_role("button", name="Import services").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_text("2 services added.")).to_be_visible()

    # A connector searches by clinical area and place, and opens the service.
    signed_in_as(page, live_server, connector)
    page.goto(f"{live_server.url}/directory/")
    check(page)
    page.get_by_label("Clinical area").select_option(label="Diabetes")
    page.get_by_label("Place").fill("WS3 1AA")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state("load")
    check(page)
    expect(
        page.get_by_role(
            "heading", level=2, name="1 service matches your search in WS3 1AA (Blakenall)"
        )
    ).to_be_visible()
    page.get_by_role("link", name="Blakenall Diabetes Walk").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Blakenall Diabetes Walk")
    expect(page.get_by_text("A community connector can refer")).to_be_visible()
    expect(page.get_by_role("link", name="01922 000000")).to_be_visible()
    expect(page.get_by_text("Blakenall ward, Walsall")).to_be_visible()
    expect(page.get_by_role("link", name="Change this service")).to_have_count(0)
