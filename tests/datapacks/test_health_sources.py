"""Where the health figures come from: each indicator in "Health here compared with England"
cites the catalogue's source and the uploads its figures were worked out from (who uploaded
them, when, and the upload's note), in every language and in the PDF; the sources are frozen
with the version, and packs stored before sources were kept still render."""

import io
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core20.datapacks import actions
from core20.datapacks.models import DataPack
from core20.outcomes.models import Indicator, IndicatorValue, Upload
from tests.datapacks.helpers import choose, make_pack

NAMES = {"E05999991": "North Tiny", "E05999992": "South Tiny"}
ENGLAND = "E92000001"
SYNTHETIC = "Synthetic demo data: not real figures."
SCREENING = "Screening coverage (Early cancer diagnosis, 2024/25)"
CHECKS = "Health checks (Severe mental illness, 2024/25)"


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


def _indicator(code: str, name: str, area: str, source: str) -> Indicator:
    return Indicator.objects.create(
        code=code, name=name, clinical_area=area, definition="-", numerator="-",
        type=Indicator.Type.PROPORTION, polarity=Indicator.Polarity.HIGHER_BETTER,
        source=source,
    )  # fmt: skip


def _upload(indicator, *, site=None, on: date, note: str = "", rows: dict) -> Upload:
    version = Upload.objects.filter(indicator=indicator, site=site).count() + 1
    upload = Upload.objects.create(
        indicator=indicator, site=site, version=version, format="simple",
        file_name=f"{indicator.code}-v{version}.csv", note=note,
    )  # fmt: skip
    for code, (num, den) in rows.items():
        IndicatorValue.objects.create(
            upload=upload, area_code=code, period="2024/25", period_start=date(2024, 4, 1),
            breakdown_type="Total", numerator=num, denominator=den, value=100 * num / den,
        )  # fmt: skip
    when = datetime(on.year, on.month, on.day, 10, tzinfo=UTC)
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=when)
    return upload


@pytest.fixture
def data(tiny, site):
    """Screening: national data (an old version, then a newer one) and the site's own
    synthetic data for its areas; health checks: one national upload with both figures."""
    choose(site, "E05999991", names=NAMES)
    Indicator.objects.update(active=False)
    screening = _indicator(
        "dp-src-screening", "Screening coverage", "Early cancer diagnosis", "Fingertips (OHID), QOF"
    )
    checks = _indicator("dp-src-checks", "Health checks", "Severe mental illness", "GP extract")
    _upload(screening, on=date(2026, 6, 1), note="Old national data.", rows={
        "E05999991": (30, 100), ENGLAND: (500, 1000),
    })  # fmt: skip
    _upload(screening, on=date(2026, 10, 1), rows={
        "E05999991": (35, 100), ENGLAND: (600, 1000),
    })  # fmt: skip
    _upload(screening, site=site, on=date(2026, 11, 23), note=SYNTHETIC, rows={
        "E05999991": (40, 100),
    })  # fmt: skip
    _upload(checks, on=date(2026, 9, 5), note="Quarterly extract", rows={
        "E05999991": (50, 100), ENGLAND: (700, 1000),
    })  # fmt: skip
    return {"screening": screening, "checks": checks}


def _generate(site, lead) -> DataPack:
    pack = actions.start_generation(site=site, by=lead)
    pack.refresh_from_db()
    assert pack.status == DataPack.Status.READY, pack.errors
    actions.publish(pack=pack, by=lead)
    return pack


def _page(pack, name="pack", lang="en") -> str:
    address = reverse(f"datapacks:{name}", args=[pack.site.slug, pack.pk]) + f"?lang={lang}"
    response = Client().get(address)
    assert response.status_code == 200
    if name == "pack-pdf":
        reader = PdfReader(io.BytesIO(response.content))
        text = "\n".join(page.extract_text() for page in reader.pages)
        return " ".join(text.replace("\x00", "").split())
    return response.content.decode()


def test_each_health_figure_cites_its_source_and_the_uploads_used(data, site, lead):
    pack = _generate(site, lead)
    sources = {s["name"]: s for s in pack.content["sections"][1]["data"]["sources"]}
    # The site's own version wins for its areas; England's figure is the latest national
    # version (not the older one, whose note is not cited).
    assert [
        (u["by"], u["uploaded"], u["note"], u["figures"], u["version"])
        for u in sources[SCREENING]["uploads"]
    ] == [
        ("site", "2026-11-23", SYNTHETIC, ["here"], 1),
        ("national", "2026-10-01", "", ["england"], 2),
    ]
    assert sources[SCREENING]["source"] == "Fingertips (OHID), QOF"
    assert [(u["by"], u["figures"]) for u in sources[CHECKS]["uploads"]] == [
        ("national", ["here", "england"])
    ]

    page = _page(pack)
    assert "Where these figures come from" in page
    assert (
        f"<strong>{SCREENING}</strong>: Source: Fingertips (OHID), QOF. Figures for here "
        "uploaded by the site on 23 November 2026. Note: Synthetic demo data: not real "
        "figures. England&#x27;s figure uploaded nationally on 1 October 2026." in page
    )
    # A note without a full stop gets one, so that what follows does not run on.
    assert (
        f"<strong>{CHECKS}</strong>: Source: GP extract. Figures uploaded nationally on "
        "5 September 2026. Note: Quarterly extract." in page
    )
    assert "Old national data" not in page

    # The easy read says in one plain sentence where the figures come from and sends
    # readers to the full version for the details.
    easy = _page(pack, "easy-read")
    assert 'data-testid="clinical-sources"' not in easy
    assert "Where these figures come from" not in easy and "Source:" not in easy
    full = reverse("datapacks:pack", args=[pack.site.slug, pack.pk])
    assert (
        "These numbers come from NHS and national health data. "
        f'<a href="{full}?lang=en">The full version says where each number comes from.</a>'
    ) in easy


def test_the_source_words_are_translated_and_the_free_text_is_not(data, site, lead):
    pack = _generate(site, lead)
    polish = _page(pack, lang="pl")
    assert "Skąd pochodzą te dane" in polish
    assert "Źródło: Fingertips (OHID), QOF." in polish
    assert "Dane dla tego obszaru przesłane przez ośrodek 23 listopada 2026." in polish
    assert f"Uwaga: {SYNTHETIC}" in polish
    assert "Dane dla Anglii przesłane na poziomie krajowym 1 października 2026." in polish
    urdu = _page(pack, lang="ur")
    assert "یہ اعداد و شمار کہاں سے آئے ہیں" in urdu
    assert "ماخذ: Fingertips (OHID), QOF۔" in urdu
    assert "یہاں کے اعداد و شمار سائٹ نے 23 نومبر 2026 کو اپ لوڈ کیے۔" in urdu
    assert f"نوٹ: {SYNTHETIC}" in urdu
    easy_urdu = _page(pack, "easy-read", lang="ur")
    assert '?lang=ur">مکمل ورژن بتاتا ہے کہ ہر عدد کہاں سے آیا ہے۔</a>' in easy_urdu
    assert "ماخذ: Fingertips" not in easy_urdu
    easy_polish = _page(pack, "easy-read", lang="pl")
    assert "Pełna wersja mówi, skąd pochodzi każda liczba." in easy_polish


def test_the_pdf_says_where_the_health_figures_come_from(data, site, lead):
    text = _page(_generate(site, lead), "pack-pdf")
    assert "Where these figures come from" in text
    assert "Source: Fingertips (OHID), QOF." in text
    assert "Figures for here uploaded by the site on 23 November 2026." in text
    assert f"Note: {SYNTHETIC}" in text
    polish = _page(_generate(site, lead), "pack-pdf", lang="pl")
    assert "Źródło: Fingertips (OHID), QOF." in polish


def test_a_newer_upload_does_not_change_the_sources_of_an_existing_version(data, site, lead):
    first = _generate(site, lead)
    _upload(data["screening"], site=site, on=date(2026, 12, 2), note="Corrected figures.", rows={
        "E05999991": (45, 100),
    })  # fmt: skip
    page = _page(first)
    assert "Figures for here uploaded by the site on 23 November 2026." in page
    assert "Corrected figures" not in page and "2 December 2026" not in page
    # A new version cites the new upload.
    second = _page(_generate(site, lead))
    assert "Figures for here uploaded by the site on 2 December 2026." in second
    assert "Note: Corrected figures." in second


def test_a_pack_stored_before_sources_were_kept_still_renders(site):
    pack = make_pack(site, status=DataPack.Status.PUBLISHED)
    fact = {
        "name": SCREENING, "hidden": False, "value": 40.0, "england": 60.0, "unit": "percent",
        "comparison": "worse",
    }  # fmt: skip
    row = {"category": "Early cancer diagnosis: Screening coverage", "people": 40}
    pack.content["sections"][1] = {
        "key": "clinical",
        "available": True,
        "tables": [{"key": "indicators", "counts": ["people"], "rows": [row]}],
        "data": {
            "sentences": [f"{SCREENING}: 40.0% here, 60.0% in England: worse than England."],
            "facts": [fact],
        },
    }
    pack.save()
    for lang in ("en", "pl", "ur"):
        page = _page(pack, "pack", lang)
        assert ("40,0%" if lang == "pl" else "40.0%") in page  # Polish: a decimal comma
        assert 'data-testid="clinical-sources"' not in page
        # The easy read rounds to whole numbers.
        assert "40%" in _page(pack, "easy-read", lang)
    text = _page(pack, "pack-pdf")
    assert "40.0% here, 60.0% in England" in text and "Where these figures come from" not in text


def test_the_packs_date_is_in_the_polish_form_a_date_takes(data, site, lead):
    """ "23 listopada 2026" (of November), as the source lines write it, not "23 Listopad"."""
    pack = _generate(site, lead)
    worked_out = datetime(2026, 11, 23, 12, tzinfo=UTC)
    DataPack.objects.filter(pk=pack.pk).update(generated_at=worked_out)
    pack.refresh_from_db()
    header = _page(pack, lang="pl").split('class="app-pack__meta"')[1].split("</p>")[0]
    assert "23 listopada 2026" in header
    assert "23 November 2026" in _page(pack, lang="en")
