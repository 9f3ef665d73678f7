"""A draft application keeps an ICB that has been re-coded since the applicant ticked it:
the form still offers it, ticked and labelled "no longer in use" with its code, so saving the
draft does not silently drop it. A new draft is offered the current code only."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.places.icbs import icbs_to_offer
from core20.places.models import ICB, LSOA, LSOAHealthMembership, Region, SubICBLocation, Vintage
from core20.selection.actions import submission_errors
from core20.selection.models import Application
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.selection import helpers

pytestmark = pytest.mark.django_db

NAME = "NHS Surrey Heartlands Integrated Care Board"


def _membership(icb: ICB, vintage: str, valid_from: date, valid_to: date | None = None) -> None:
    lsoa = LSOA.objects.create(vintage=vintage, code=f"E0{icb.code[-7:]}")
    sub_icb = SubICBLocation.objects.create(code=f"E38{icb.code[-6:]}", name="Sub-ICB", icb=icb)
    LSOAHealthMembership.objects.create(
        lsoa=lsoa, sub_icb=sub_icb, icb=icb, valid_from=valid_from, valid_to=valid_to
    )


@pytest.fixture
def surrey():
    """Surrey Heartlands, re-coded in April 2024: the old code's memberships have ended."""
    south_east, _ = Region.objects.get_or_create(code="E40000005", defaults={"name": "South East"})
    old = ICB.objects.create(code="E54000052", name=NAME, region=south_east)
    new = ICB.objects.create(code="E54000063", name=NAME, region=south_east)
    _membership(old, Vintage.LSOA2011, date(2022, 7, 1), date(2024, 4, 1))
    _membership(new, Vintage.LSOA2021, date(2024, 4, 1))
    return old, new


@pytest.fixture
def call(site):
    call = helpers.make_call(site.wave, title="Wave 9 call")
    helpers.add_questions(call, None)
    return call


@pytest.fixture
def draft(call, surrey):
    old, _ = surrey
    application = Application.objects.create(
        call=call, applicant=UserFactory(), ics_name="Surrey Heartlands ICS"
    )
    application.icbs.add(old)
    return application


def _checkbox(html: str, icb: ICB) -> str:
    """The checkbox input for the ICB, or "" if the page does not offer it."""
    match = re.search(rf'<input[^>]*name="icbs" value="{icb.pk}"[^>]*>', html)
    return match.group(0) if match else ""


def test_the_draft_shows_its_old_icb_ticked_and_labelled(draft, surrey):
    old, new = surrey
    page = client_for(draft.applicant).get(reverse("selection:application-edit", args=[draft.pk]))
    html = page.content.decode()
    assert "checked" in _checkbox(html, old)
    assert _checkbox(html, new) and "checked" not in _checkbox(html, new)
    assert "Surrey Heartlands (E54000052): no longer in use" in html
    assert "has been replaced or merged since you chose it" in html


def test_saving_the_draft_keeps_its_old_icb(draft, surrey):
    old, _ = surrey
    url = reverse("selection:application-edit", args=[draft.pk])
    response = client_for(draft.applicant).post(
        url, {"ics_name": "Surrey Heartlands ICS", "icbs": [old.pk], "action": "save"}
    )
    assert response.status_code == 302, response.content.decode()
    assert list(draft.icbs.all()) == [old]


def test_the_applicant_can_swap_it_for_the_new_code(draft, surrey):
    old, new = surrey
    url = reverse("selection:application-edit", args=[draft.pk])
    client_for(draft.applicant).post(url, {"icbs": [new.pk], "action": "save"})
    assert list(draft.icbs.all()) == [new]
    html = client_for(draft.applicant).get(url).content.decode()
    assert not _checkbox(html, old)  # once unticked, it is no longer offered
    assert "no longer in use" not in html


def test_a_new_draft_is_offered_the_current_code_only(call, surrey):
    old, new = surrey
    application = Application.objects.create(call=call, applicant=UserFactory())
    url = reverse("selection:application-edit", args=[application.pk])
    client = client_for(application.applicant)
    html = client.get(url).content.decode()
    assert _checkbox(html, new) and not _checkbox(html, old)
    response = client.post(url, {"icbs": [old.pk], "action": "save"})
    assert response.status_code == 200 and "Choose from the list" in response.content.decode()
    assert not application.icbs.exists()


def test_icbs_to_offer_marks_the_kept_ones_that_are_not_current(surrey):
    old, new = surrey
    offered = {icb.code: icb.is_current for icb in icbs_to_offer(keep=[old.pk])}
    assert offered == {old.code: False, new.code: True}
    assert {icb.code for icb in icbs_to_offer()} == {new.code}


def test_a_draft_with_an_old_icb_cannot_be_submitted(draft, surrey):
    """A site made from the application would carry the out-of-use code."""
    old, new = surrey
    url = reverse("selection:application-edit", args=[draft.pk])
    response = client_for(draft.applicant).post(url, {"icbs": [old.pk], "action": "submit"})
    html = response.content.decode()
    assert f"{NAME} (E54000052) is no longer in use. Untick it" in html
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    draft.icbs.set([new])
    assert "icbs" not in submission_errors(draft)


# ---- the read-only pages: the applicant's application page and the panel's review page ----


def test_the_application_page_marks_the_old_icb(draft, surrey):
    _, new = surrey
    draft.icbs.add(new)
    page = client_for(draft.applicant).get(reverse("selection:application-detail", args=[draft.pk]))
    html = page.content.decode()
    assert f"{NAME} (E54000052): no longer in use" in html
    assert f"{NAME} (E54000063)" not in html  # the current code is not marked
    assert html.count(NAME) == 2


def test_the_panels_review_page_marks_the_old_icb(draft, surrey, make_user):
    draft.status = Application.Status.SUBMITTED
    draft.save()
    helpers.close(draft.call)
    member = helpers.appoint(draft.call, make_user("panel_member")).user
    page = client_for(member).get(reverse("selection:review", args=[draft.pk]))
    assert page.status_code == 200
    assert f"{NAME} (E54000052): no longer in use" in page.content.decode()


def test_the_pages_work_out_what_is_current_in_one_query(draft, surrey):
    """Marking the ICBs costs no query per ICB: the application page makes as many queries
    with one ICB as with three."""
    client = client_for(draft.applicant)
    url = reverse("selection:application-detail", args=[draft.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _, new = surrey
    other = ICB.objects.create(code="E54000064", name="NHS Elsewhere", region=new.region)
    draft.icbs.add(new, other)
    with CaptureQueriesContext(connection) as three:
        html = client.get(url).content.decode()
    assert "NHS Elsewhere" in html
    assert len(three) == len(one)
