"""The site form offers the ICBs in force today (core20.places.icbs.current_icbs): a re-coded
ICB once, under its new code; a site that already has an old code keeps it when edited."""

import re
from datetime import date

import pytest
from django.urls import reverse

from core20.places.models import ICB, LSOA, LSOAHealthMembership, Region, SubICBLocation, Vintage
from tests.programme.conftest import error_summary
from tests.programme.test_editing import site_post

pytestmark = pytest.mark.django_db

NAME = "NHS Surrey Heartlands Integrated Care Board"


def _membership(icb, vintage, valid_from):
    lsoa = LSOA.objects.create(vintage=vintage, code=f"E0{icb.code[-7:]}")
    sub_icb = SubICBLocation.objects.create(code=f"E38{icb.code[-6:]}", name="Sub-ICB", icb=icb)
    LSOAHealthMembership.objects.create(lsoa=lsoa, sub_icb=sub_icb, icb=icb, valid_from=valid_from)


@pytest.fixture
def surrey():
    south_east, _ = Region.objects.get_or_create(code="E40000005", defaults={"name": "South East"})
    old = ICB.objects.create(code="E54000052", name=NAME, region=south_east)
    new = ICB.objects.create(code="E54000063", name=NAME, region=south_east)
    _membership(old, Vintage.LSOA2011, date(2022, 7, 1))
    _membership(new, Vintage.LSOA2021, date(2024, 4, 1))
    return old, new


def _offered(client, url) -> set[str]:
    return set(re.findall(r'name="icbs" value="(\d+)"', client.get(url).content.decode()))


def test_a_new_site_is_offered_the_new_code_only(admin_client_signed_in, surrey):
    old, new = surrey
    offered = _offered(admin_client_signed_in, reverse("programme:site-create"))
    assert str(new.pk) in offered and str(old.pk) not in offered


def test_a_site_with_the_old_code_keeps_it_when_edited(admin_client_signed_in, site, surrey):
    old, new = surrey
    site.icbs.add(old)
    offered = _offered(admin_client_signed_in, reverse("programme:site-edit", args=[site.slug]))
    assert {str(old.pk), str(new.pk)} <= offered


def test_the_old_code_is_ticked_and_labelled(admin_client_signed_in, site, surrey):
    old, _ = surrey
    site.icbs.add(old)
    html = admin_client_signed_in.get(reverse("programme:site-edit", args=[site.slug]))
    html = html.content.decode()
    assert "checked" in re.search(rf'<input[^>]*name="icbs" value="{old.pk}"[^>]*>', html)[0]
    assert "Surrey Heartlands (E54000052): no longer in use" in html
    assert "has been replaced or merged since it was chosen" in html
    assert "Surrey Heartlands (E54000063)" not in html


def test_saving_a_site_keeps_its_old_code(admin_client_signed_in, site, surrey):
    old, _ = surrey
    site.icbs.set([old])
    url = reverse("programme:site-edit", args=[site.slug])
    data = site_post(
        site.wave,
        {"north": old.region, "north_a": old},
        name=site.name,
        slug=site.slug,
    )
    response = admin_client_signed_in.post(url, data)
    assert response.status_code == 302, error_summary(response)
    site.refresh_from_db()
    assert list(site.icbs.all()) == [old]


def test_a_site_with_current_codes_only_has_no_label(admin_client_signed_in, site, surrey):
    _, new = surrey
    site.icbs.set([new])
    html = admin_client_signed_in.get(reverse("programme:site-edit", args=[site.slug]))
    assert "no longer in use" not in html.content.decode()
