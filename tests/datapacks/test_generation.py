"""Generating packs in the background: figures from the tiny fixture by hand, versions,
target wards, permissions, honest "not yet available" sections, failures and the audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.datapacks import actions, generation, sections
from core20.datapacks.disclosure import UnprotectedFigures
from core20.datapacks.models import DataPack
from core20.datapacks.presentation import present
from tests.datapacks.helpers import choose

NAMES = {"E05999991": "North Tiny", "E05999992": "South Tiny"}


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


def _people(pack) -> dict:
    table = pack.content["sections"][0]["tables"][0]
    return {r["category"]: r["people"] for r in table["rows"]}


def test_a_site_pack_holds_the_protected_figures_of_its_target_areas(tiny, site, lead):
    # North (A: decile 1, 1,000 people; B: decile 2, 2,000) and South (C: decile 7, 1,500;
    # D: decile 10, 500): all counts are already multiples of 5, none small.
    choose(site, "E05999991", "E05999992", names=NAMES)
    pack = actions.start_generation(site=site, by=lead, contact="team@example.org")
    pack.refresh_from_db()
    assert pack.status == DataPack.Status.READY
    assert pack.version == 1 and pack.percent == 100 and pack.generated_at
    people = _people(pack)
    assert people == {
        "1": 1000, "2": 2000, "3": 0, "4": 0, "5": 0, "6": 0,
        "7": 1500, "8": 0, "9": 0, "10": 500, "Total": 5000,
    }  # fmt: skip
    view = present(pack.content)["places"]
    # Core20 = deciles 1-2 = 3,000 of 5,000 = 60%; "England" in the fixture is the same
    # four LSOAs, so 60% too: about the same.
    assert (view.total, view.core20_people, view.core20_share) == ("5,000", "3,000", "60%")
    assert (view.national_core20_share, view.comparison) == ("60%", "similar")
    involved = pack.content["sections"][-1]["data"]
    assert involved["contact"] == "team@example.org"


def test_a_ward_pack_covers_only_that_ward(tiny, site, lead):
    choose(site, "E05999991", "E05999992", names=NAMES)
    pack = actions.start_generation(site=site, by=lead, area_code="e05999991")
    pack.refresh_from_db()
    assert (pack.area_code, pack.area_name) == ("E05999991", "North Tiny")
    people = _people(pack)
    assert (people["1"], people["2"], people["7"], people["Total"]) == (1000, 2000, 0, 3000)
    assert present(pack.content)["places"].core20_share == "100%"
    assert present(pack.content)["places"].comparison == "higher"
    assert present(pack.content)["places"].times == "1.7"  # 100% / 60%


def test_each_generation_is_a_new_version_and_old_ones_are_kept(tiny, site, lead):
    choose(site, "E05999991", names=NAMES)
    first = actions.start_generation(site=site, by=lead)
    actions.publish(pack=first, by=lead)
    second = actions.start_generation(site=site, by=lead)
    ward = actions.start_generation(site=site, by=lead, area_code="E05999991")
    assert (first.version, second.version, ward.version) == (1, 2, 1)
    assert DataPack.objects.filter(site=site).count() == 3
    assert DataPack.objects.get(pk=first.pk).status == DataPack.Status.PUBLISHED
    verbs = list(
        AuditEvent.objects.filter(object_type="datapacks.DataPack").values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["create", "create", "create", "publish"]


def test_only_a_target_ward_of_the_site_can_have_a_pack(tiny, site, other_site, lead):
    choose(other_site, "E05999992", names=NAMES)
    with pytest.raises(ValidationError) as caught:
        actions.start_generation(site=site, by=lead, area_code="E05999992")
    assert "is not one of Home Site's target wards" in str(caught.value)
    assert not DataPack.objects.exists()


@pytest.mark.parametrize("role", ["host_coordinator", "connector", "national_analyst"])
def test_only_publishers_generate_and_publish(tiny, site, make_user, lead, role):
    with pytest.raises(PermissionDenied):
        actions.start_generation(site=site, by=make_user(role))
    pack = actions.start_generation(site=site, by=lead)
    with pytest.raises(PermissionDenied):
        actions.publish(pack=pack, by=make_user(role))


def test_a_lead_of_another_site_cannot_generate_here(tiny, site, other_site, make_user):
    other_lead = make_user("site_lead", scope_site=other_site)
    with pytest.raises(PermissionDenied):
        actions.start_generation(site=site, by=other_lead)


def test_sections_without_data_say_so(tiny, site, lead):
    # No target areas yet, no indicator data for them and no published insights: each
    # section says it is not available rather than disappearing.
    pack = actions.start_generation(site=site, by=lead)
    pack.refresh_from_db()
    view = present(pack.content)
    assert view["places"].available is False and view["places"].reason == "no-areas"
    assert view["clinical"] == {"available": False, "reason": "no-areas"}
    assert view["insights"] == {"available": False, "reason": "no-data"}
    assert view["unavailable"] == ["places", "clinical", "insights"]
    html = Client().get(f"/data-packs/{site.slug}/packs/{pack.pk}/").content.decode()
    assert html.count("Not yet available") == 0  # a draft: the public sees nothing
    actions.publish(pack=pack, by=lead)
    html = Client().get(f"/data-packs/{site.slug}/packs/{pack.pk}/").content.decode()
    assert html.count("Not yet available") == 2  # health (no areas) and insights (no data)
    assert "This site has not chosen its target areas yet" in html
    assert "the site has not chosen its target areas, so we cannot compare health" in html


def test_a_section_from_another_app_is_protected_like_the_rest(tiny, site, lead, monkeypatch):
    def clinical(site, area):
        rows = [{"category": "Screened", "people": 4}, {"category": "Not screened", "people": 96}]
        return {"tables": [{"key": "screening", "counts": ["people"], "rows": rows}]}

    provider = sections._from_app("clinical", __name__, "clinical")
    monkeypatch.setitem(globals(), "clinical", clinical)
    section = provider(site, None)
    shown = {r["category"]: r["people"] for r in section["tables"][0]["rows"]}
    # 4 is hidden; 96 would give it away from the total, so it is hidden too.
    assert shown == {"Screened": None, "Not screened": None, "Total": 100}


def test_a_failed_generation_is_recorded_and_cannot_be_published(tiny, site, lead, monkeypatch):
    def broken(site, area):
        raise RuntimeError("the outcomes data is unreadable")

    specs = (sections.SectionSpec("clinical", broken),)
    monkeypatch.setattr(generation, "SECTIONS", specs)
    pack = actions.start_generation(site=site, by=lead)
    pack.refresh_from_db()
    assert pack.status == DataPack.Status.FAILED
    assert "the outcomes data is unreadable" in pack.errors[0]
    with pytest.raises(ValidationError, match="Only a generated pack can be published"):
        actions.publish(pack=pack, by=lead)


def test_publishing_twice_is_refused(tiny, site, lead):
    pack = actions.start_generation(site=site, by=lead)
    actions.publish(pack=pack, by=lead)
    with pytest.raises(ValidationError, match="already published"):
        actions.publish(pack=pack, by=lead)


def test_a_tampered_pack_cannot_be_published(tiny, site, lead):
    choose(site, "E05999991", names=NAMES)
    pack = actions.start_generation(site=site, by=lead)
    pack.refresh_from_db()
    pack.content["sections"][0]["tables"][0]["rows"][0]["people"] = 6
    pack.save()
    with pytest.raises(UnprotectedFigures, match="6 is a small count"):
        actions.publish(pack=pack, by=lead)
    assert not AuditEvent.objects.filter(verb="publish").exists()


def test_what_connectors_heard_comes_from_published_insights_only(tiny, site, lead):
    from django.utils import timezone

    from core20.insights.models import Insight

    now = timezone.now()

    def insight(kind, people, public=True, **extra):
        return Insight.objects.create(
            site=site, kind=kind, summary="…", people_count=people, raised_at=now,
            public=public, published_at=now if public else None, **extra,
        )  # fmt: skip

    insight("barrier", 30, public_title="Phone lines", what_changed="A text line opened.")
    insight("enabler", 12)
    insight("idea", 4)
    insight("experience", 50, public=False)  # not published: not in the pack
    section = sections.insights_section(site, None)
    shown = {r["category"]: r["people"] for r in section["tables"][0]["rows"]}
    # Idea (4) is hidden; with the total shown it could be worked out, so the smallest
    # other count (Enabler, 12) is hidden too; Total 46 rounds to 45.
    assert shown == {"Barrier": 30, "Enabler": None, "Idea": None, "Experience": 0, "Total": 45}
    assert section["data"]["sentences"] == ["Phone lines: A text line opened."]
    pack = actions.start_generation(site=site, by=lead)
    pack.refresh_from_db()
    actions.publish(pack=pack, by=lead)  # every count is safe
    assert present(pack.content)["insights"]["available"] is True
    # The pack's fixed words (caption, column, kinds of insight, Total) are in the reader's
    # language; what people wrote stays as written.
    page = (
        Client()
        .get(reverse("datapacks:pack", args=[site.slug, pack.pk]) + "?lang=pl")
        .content.decode()
    )
    assert "Osoby, których głos został wysłuchany" in page
    for words in ("Bariera", "Czynnik pomocny", "Pomysł", "Doświadczenie", "Razem"):
        assert f'<th scope="row">{words}</th>' in page
    assert "Phone lines: A text line opened." in page


def test_the_clinical_areas_compare_the_target_areas_with_england(tiny, site, lead):
    from datetime import date

    from core20.outcomes.models import Indicator, IndicatorValue, Upload

    choose(site, "E05999991", names=NAMES)

    def indicator(code, name, area):
        made = Indicator.objects.filter(code=code).first()
        if made:  # the catalogue may already be loaded; start from no data
            Upload.objects.filter(indicator=made).delete()
            return made
        return Indicator.objects.create(
            code=code, name=name, clinical_area=area, definition="-", numerator="-",
            type=Indicator.Type.PROPORTION, polarity=Indicator.Polarity.HIGHER_BETTER,
            source="test",
        )  # fmt: skip

    Indicator.objects.update(active=False)
    screening = indicator("dp-screening", "Screening coverage", "Early cancer diagnosis")
    checks = indicator("dp-checks", "Health checks", "Severe mental illness")
    for ind, local in ((screening, (40, 100)), (checks, (5, 10))):
        ind.active = True
        ind.save()
        upload = Upload.objects.create(indicator=ind, version=1, format="simple", file_name="t")
        for code, (num, den) in (("E05999991", local), ("E92000001", (600, 1000))):
            IndicatorValue.objects.create(
                upload=upload, area_code=code, period="2024/25", period_start=date(2024, 4, 1),
                breakdown_type="Total", numerator=num, denominator=den, value=100 * num / den,
            )  # fmt: skip
    section = sections.clinical_section(site, None)
    rows = {r["category"]: r["people"] for r in section["tables"][0]["rows"]}
    # 40 people is shown; 5 is hidden, and so is that indicator's value.
    assert rows == {
        "Early cancer diagnosis: Screening coverage": 40,
        "Severe mental illness: Health checks": None,
    }
    # 40 of 100 (Wilson 95% interval about 31% to 50%) is below England's 60%, and higher
    # is better for this indicator: worse than England.
    assert section["data"]["sentences"] == [
        "Screening coverage (Early cancer diagnosis, 2024/25): 40.0% here, 60.0% in England: "
        "worse than England.",
        "Health checks (Severe mental illness, 2024/25): too few people to compare with England.",
    ]
    pack = actions.start_generation(site=site, by=lead)
    pack.refresh_from_db()
    actions.publish(pack=pack, by=lead)
    assert present(pack.content)["clinical"]["available"] is True
    # The comparison is also kept as facts, so that each language writes its own sentence.
    assert section["data"]["facts"] == [
        {
            "name": "Screening coverage (Early cancer diagnosis, 2024/25)",
            "hidden": False, "value": 40.0, "england": 60.0, "unit": "percent",
            "comparison": "worse",
        },
        {"name": "Health checks (Severe mental illness, 2024/25)", "hidden": True},
    ]  # fmt: skip
    pages = {
        lang: Client()
        .get(reverse("datapacks:pack", args=[site.slug, pack.pk]) + f"?lang={lang}")
        .content.decode()
        for lang in ("en", "pl", "ur")
    }
    assert (
        "Screening coverage (Early cancer diagnosis, 2024/25): 40.0% here, 60.0% in England: "
        "worse than England." in pages["en"]
    )
    assert (
        "Screening coverage (Early cancer diagnosis, 2024/25): 40,0% tutaj, 60,0% w Anglii: "
        "gorzej niż w całej Anglii." in pages["pl"]
    )
    assert "Health checks (Severe mental illness, 2024/25): za mało osób" in pages["pl"]
    assert "یہاں 40.0%، انگلینڈ میں 60.0%: انگلینڈ سے بدتر۔" in pages["ur"]
    assert "Liczba osób ujętych w każdym wskaźniku" in pages["pl"]


def test_packs_made_before_the_facts_were_kept_show_their_stored_sentences():
    from django.utils import translation

    from core20.datapacks.presentation import generic

    stored = {
        "available": True,
        "tables": [{"key": "indicators", "counts": ["people"], "rows": []}],
        "data": {"sentences": ["Screening coverage: 40.0% here, 60.0% in England."]},
    }
    with translation.override("pl"):
        shown = generic(stored)
        assert shown["sentences"] == ["Screening coverage: 40.0% here, 60.0% in England."]
        assert str(shown["tables"][0]["caption"]).startswith("Liczba osób")
        assert [str(c) for c in shown["tables"][0]["columns"]] == ["Osoby"]
