"""Demo part ``outcomes`` (core20/web/demo/outcomes.py): target areas, a logic model, a
success measure, synthetic indicator data for the site's ICB and a trajectory, so that the
outcomes pages have figures for the demo's site lead."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.outcomes import reference
from core20.outcomes.models import (
    Indicator,
    IndicatorValue,
    LogicModel,
    SuccessMeasure,
    TrajectoryPoint,
    Upload,
)
from core20.places.models import (
    LSOA,
    Deprivation,
    LocalAuthorityDistrict,
    LSOAHealthMembership,
    SubICBLocation,
    Ward,
    deprivation_edition_for,
)
from core20.places.models_targets import SiteTargetArea
from core20.web.demo import ALREADY_LOADED, STEPS, load_demo_content, outcomes
from tests.conftest import sign_in
from tests.factories import ICBFactory

pytestmark = pytest.mark.django_db

LSOAS = 40  # four in each decile
# n -> ward for the Core20 LSOAs (deciles 1 and 2); the rest are in Hadley & Leegomery.
CORE20_WARDS = {1: "Woodside", 2: "Brookside", 11: "Woodside", 12: "Brookside", 21: "Woodside"}
HYPERTENSION = "hypertension-treated-to-target"


def code(n: int) -> str:
    return f"E0109{n:04d}"


def decile(n: int) -> int:
    return (n - 1) % 10 + 1


def make_icb(site) -> list[str]:
    """The site's ICB: 40 LSOAs in Telford and Wrekin, four in each IMD decile (the site's
    edition), five of the Core20 ones in Woodside and Brookside wards, three elsewhere."""
    edition = deprivation_edition_for(site)
    telford = LocalAuthorityDistrict.objects.create(code="E06000020", name="Telford and Wrekin")
    wards = {
        name: Ward.objects.create(code=f"E0500999{i}", name=name, lad=telford)
        for i, name in enumerate(("Woodside", "Brookside", "Hadley & Leegomery"))
    }
    icb = ICBFactory()
    sub = SubICBLocation.objects.create(code="E38000998", name="Test sub-ICB", icb=icb)
    site.icbs.add(icb)
    for n in range(1, LSOAS + 1):
        lsoa = LSOA.objects.create(
            vintage=edition.lsoa_vintage,
            code=code(n),
            name=f"Telford and Wrekin {n:03d}A",
            lad=telford,
            ward=wards[CORE20_WARDS.get(n, "Hadley & Leegomery")],
        )
        Deprivation.objects.create(
            edition=edition,
            lsoa=lsoa,
            imd_decile=decile(n),
            imd_score=62 - 5.5 * decile(n) + n / 20,
            population_total=1300 + 17 * n,
        )
        LSOAHealthMembership.objects.create(
            lsoa=lsoa, sub_icb=sub, icb=icb, valid_from=date(2020, 1, 1)
        )
    return [code(n) for n in sorted(CORE20_WARDS)]


@pytest.fixture
def world(demo_world):
    reference.load_all()  # the indicator catalogue and the logic model template
    demo_world.targets = make_icb(demo_world.site)
    return demo_world


def test_the_site_lead_sees_figures_by_decile_and_special_cause_improvement(world, client):
    outcomes.load(world)
    site, lead = world.site, world.users["site_lead"]
    [line] = world.summary
    assert "5 target areas" in line and "synthetic" in line and "not real figures" in line

    # Target areas: the Core20 LSOAs in the demo's wards, chosen by the site lead (audited).
    assert sorted(SiteTargetArea.objects.filter(site=site).values_list("code", flat=True)) == (
        world.targets
    )
    assert AuditEvent.objects.filter(verb="places.target_areas.add", actor_id=lead.pk).exists()

    sign_in(client, lead)
    page = client.get(reverse("outcomes:site-indicator", args=[site.slug, HYPERTENSION]))
    assert page.status_code == 200
    text = page.content.decode()
    most, least = re.search(
        r"was ([\d.]+)\S* in the most deprived decile and ([\d.]+)\S* in the least deprived",
        text,
    ).groups()
    assert float(most) < float(least)  # worse in the most deprived areas
    periods = outcomes.quarters(world.today)
    assert f"by IMD decile (1 = most deprived), {periods[-1]}" in text
    assert "Special cause variation: improvement (higher)" in text

    # The evaluation: the target areas improved more than their matched comparison areas.
    indicator = Indicator.objects.get(code=HYPERTENSION)
    page = client.get(
        reverse("outcomes:evaluation", args=[site.slug]),
        {"indicator": indicator.pk, "before": periods[-5], "after": periods[-1]},
    )
    assert page.status_code == 200
    did = re.search(r"Difference in differences: (-?[\d.]+)", page.content.decode())
    assert float(did[1]) > 0


def test_the_data_are_the_sites_named_synthetic_audited_and_possible(world):
    outcomes.load(world)
    site, lead = world.site, world.users["site_lead"]
    uploads = Upload.objects.filter(site=site)
    assert {u.indicator.code for u in uploads} == {s.code for s in outcomes.STORIES}
    for upload in uploads:
        assert upload.file_name.startswith("synthetic-demo-data-not-real-figures-")
        assert upload.note.startswith("Synthetic demo data: not real figures")
        assert upload.uploaded_by == lead and upload.format == Upload.Format.SIMPLE
        assert AuditEvent.objects.filter(
            verb=AuditEvent.Verb.IMPORT, actor_id=lead.pk, object_id=str(upload.pk)
        ).exists()
        assert upload.row_count == LSOAS * outcomes.QUARTERS
        # Before the data pack that cites it (the last part) was worked out, yesterday.
        assert timezone.localdate(upload.uploaded_at) < world.today - timedelta(days=1)
    # The only national data: England's figure, for the data packs' comparison.
    national = IndicatorValue.objects.filter(upload__site__isnull=True)
    assert set(national.values_list("area_code", flat=True)) == {outcomes.ENGLAND}
    assert all(u.note.startswith("Synthetic demo data") for u in Upload.objects.filter(site=None))
    values = IndicatorValue.objects.all()
    assert values.count() == 3 * outcomes.QUARTERS * (LSOAS + 1)
    assert all(0 <= v.numerator <= v.denominator and v.denominator > 0 for v in values)

    assert LogicModel.objects.get(site=site).elements.exists()
    measure = SuccessMeasure.objects.get(site=site)
    assert measure.evidence.get().observed_on < world.today
    aims = TrajectoryPoint.objects.filter(site=site, indicator__code=HYPERTENSION)
    assert aims.count() == outcomes.SINCE + outcomes.AIMS_AHEAD
    assert all(p.set_by == lead for p in aims)


def test_a_second_run_adds_nothing(world):
    summary = load_demo_content()
    outcomes_line = summary[STEPS.index("outcomes")]
    assert len(summary) == len(STEPS) and outcomes_line.startswith("Outcomes:")
    uploads, events = Upload.objects.count(), AuditEvent.objects.count()
    assert uploads == 6
    assert load_demo_content() == [ALREADY_LOADED]
    assert (Upload.objects.count(), AuditEvent.objects.count()) == (uploads, events)


def test_without_place_data_no_figures_are_made_and_the_summary_says_why(demo_world):
    reference.load_all()
    outcomes.load(demo_world)
    [line] = demo_world.summary
    assert "no target areas, indicator data or trajectory" in line
    assert "no LSOAs" in line and "ICB" in line
    assert not Upload.objects.exists()
    assert not SiteTargetArea.objects.exists()
    assert LogicModel.objects.filter(site=demo_world.site).exists()


def test_quarters_end_with_the_last_complete_one():
    assert outcomes.quarters(date(2025, 5, 10), 3) == ["2024/25 Q2", "2024/25 Q3", "2024/25 Q4"]
    assert outcomes.quarters(date(2025, 4, 1), 1) == ["2024/25 Q4"]
    assert outcomes.quarters(date(2025, 3, 31), 2) == ["2024/25 Q2", "2024/25 Q3"]
