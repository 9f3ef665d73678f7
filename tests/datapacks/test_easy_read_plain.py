"""The easy read says each health figure in plain short sentences (no technical names or
period codes), and one plain sentence about where the figures come from with a link to the
full version; the full pack's tables say what their rows are."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from core20.datapacks import actions, rendering
from core20.datapacks.models import DataPack
from core20.outcomes.models import Indicator
from tests.datapacks.helpers import choose, make_pack
from tests.datapacks.test_health_sources import ENGLAND, NAMES, _indicator, _upload

CERVICAL = "Cervical screening coverage (3.5 or 5.5 years)"
STORED = f"{CERVICAL} (Early cancer diagnosis, 2024/25)"


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


def _page(pack, name="easy-read", lang="en") -> str:
    address = reverse(f"datapacks:{name}", args=[pack.site.slug, pack.pk]) + f"?lang={lang}"
    response = Client().get(address)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def generated(tiny, site, lead) -> DataPack:
    choose(site, "E05999991", names=NAMES)
    Indicator.objects.update(active=False)
    cervical = _indicator("dp-easy-cervical", CERVICAL, "Early cancer diagnosis", "Fingertips")
    _upload(cervical, on=date(2026, 10, 1), rows={
        "E05999991": (40, 100), ENGLAND: (600, 1000),
    })  # fmt: skip
    pack = actions.start_generation(site=site, by=lead)
    pack.refresh_from_db()
    assert pack.status == DataPack.Status.READY, pack.errors
    actions.publish(pack=pack, by=lead)
    return pack


def test_the_easy_read_says_each_health_figure_plainly(generated):
    fact = generated.content["sections"][1]["data"]["facts"][0]
    assert fact["name"] == STORED and fact["comparison"] == "worse"
    easy = _page(generated)
    assert "<h3>Cervical screening coverage</h3>" in easy
    assert "<p>Here it is 40%.</p>" in easy
    assert "<p>In England it is 60%.</p>" in easy
    assert "<p>This is worse than England.</p>" in easy
    # No technical details, clinical-area codes or periods in brackets.
    for technical in ("3.5 or 5.5 years", "(Early cancer diagnosis", "2024/25", "40.0%"):
        assert technical not in easy
    # The standard pack is unchanged.
    full = _page(generated, "pack")
    assert f"{STORED}: 40.0% here, 60.0% in England: worse than England." in full
    assert "Where these figures come from" in full


def test_the_easy_read_health_figures_are_in_polish_and_urdu(generated):
    polish = _page(generated, lang="pl")
    assert "<h3>Cervical screening coverage</h3>" in polish  # the name is data, as written
    assert "Tutaj jest to 40%." in polish and "W Anglii jest to 60%." in polish
    assert "To gorzej niż w Anglii." in polish
    urdu = _page(generated, lang="ur")
    assert "یہاں یہ 40% ہے۔" in urdu and "یہ انگلینڈ سے بدتر ہے۔" in urdu


def test_the_easy_read_pdf_links_to_the_full_version_in_full(generated):
    html = rendering.render_document(generated, "pl", "easy", base_url="https://connect.test")
    full = reverse("datapacks:pack", args=[generated.site.slug, generated.pk])
    assert f'<a href="https://connect.test{full}?lang=pl">' in html
    assert "Where these figures come from" not in html


def test_hidden_and_rate_figures_are_plain_too(site):
    pack = make_pack(site, status=DataPack.Status.PUBLISHED)
    facts = [
        {"name": "Hypertension treated to target (Hypertension, 2026/27 Q2)", "hidden": True},
        {
            "name": "Emergency admissions for COPD (Chronic respiratory disease, 2025/26)",
            "hidden": False, "value": 412.34, "england": 398.0, "unit": "per_100000",
            "comparison": "similar",
        },
    ]  # fmt: skip
    pack.content["sections"][1] = {
        "key": "clinical",
        "available": True,
        "tables": [],
        "data": {"sentences": [], "facts": facts},
    }
    pack.save()
    easy = _page(pack)
    assert "<h3>Hypertension treated to target</h3>" in easy
    assert "<p>We cannot show this. Too few people were counted.</p>" in easy
    assert "<h3>Emergency admissions for COPD</h3>" in easy
    assert "<p>Here it is 412 in every 100,000 people.</p>" in easy
    assert "<p>This is about the same as England.</p>" in easy
    assert "2026/27 Q2" not in easy and "(Hypertension" not in easy


def _table(key: str, dimension: str = "") -> dict:
    table = {"key": key, "caption": f"{key} table", "counts": ["people"]}
    if dimension:
        table["dimension"] = dimension
    return {**table, "rows": [{"category": "Total", "people": 100}]}


def test_each_table_says_what_its_rows_are(site):
    pack = make_pack(site, status=DataPack.Status.PUBLISHED)
    pack.content["sections"][1] = {
        "key": "clinical",
        "available": True,
        "tables": [
            _table("indicators"),
            _table("by-decile", "decile"),
            _table("by-area", "area"),
            _table("something-else"),
        ],
        "data": {"sentences": []},
    }
    pack.content["sections"][2] = {
        "key": "insights",
        "available": True,
        "tables": [_table("voices")],
        "data": {"sentences": []},
    }
    pack.save()
    page = _page(pack, "pack")
    headings = [
        "Clinical area and indicator",
        "Deprivation decile",
        "Area",
        "Group",  # only where the pack does not know what the rows are
        "Kind of insight",
    ]
    found = [part.split("</th>")[0] for part in page.split('<thead><tr><th scope="col">')[1:]]
    assert found == headings
    polish = _page(pack, "pack", lang="pl")
    assert '<th scope="col">Obszar kliniczny i wskaźnik</th>' in polish
    assert '<th scope="col">Rodzaj spostrzeżenia</th>' in polish
