"""Building blocks for the outcomes tests: a small ICB of ten LSOAs, one per IMD decile, two
of them the site's target areas; indicators; and CSV files."""

from dataclasses import dataclass
from datetime import date

from core20.outcomes import actions
from core20.outcomes.models import Indicator
from core20.places.models import (
    LSOA,
    Deprivation,
    Edition,
    LSOAHealthMembership,
    SubICBLocation,
)
from core20.places.models_targets import SiteTargetArea
from tests.factories import ICBFactory

FINGERTIPS_HEADER = (
    '"Indicator ID","Indicator Name","Parent Code","Parent Name","Area Code","Area Name",'
    '"Area Type","Sex","Age","Category Type","Category","Time period","Value",'
    '"Lower CI 95.0 limit","Upper CI 95.0 limit","Lower CI 99.8 limit","Upper CI 99.8 limit",'
    '"Count","Denominator","Value note","Recent Trend","Compared to England value or '
    'percentiles","Compared to percentiles","Time period Sortable","New data",'
    '"Compared to goal","Time period range"'
)


@dataclass
class Geography:
    icb: object
    lsoas: list  # codes, index i is decile i + 1
    targets: list
    outside: list  # LSOAs outside the ICB (deciles 1-10 again)


def lsoa_code(n: int) -> str:
    return f"E0100{n:04d}"


def geography(site, *, targets=(1, 2)) -> Geography:
    """Ten LSOAs in the site's ICB (decile d = LSOA d, IMD score falling with the decile,
    population 1,000 + 100·d), ten more outside it, and target areas the LSOAs of
    ``targets`` (deciles)."""
    edition = Edition.objects.get_default()
    icb = ICBFactory()
    sub = SubICBLocation.objects.create(code="E38000999", name="Test sub-ICB", icb=icb)
    site.icbs.add(icb)
    inside, outside = [], []
    for n in range(1, 21):
        decile = (n - 1) % 10 + 1
        lsoa = LSOA.objects.create(vintage=edition.lsoa_vintage, code=lsoa_code(n), name=f"L{n}")
        Deprivation.objects.create(
            edition=edition,
            lsoa=lsoa,
            imd_decile=decile,
            imd_score=60 - 5 * decile + (0.5 if n > 10 else 0),
            population_total=1000 + 100 * decile,
        )
        if n <= 10:
            LSOAHealthMembership.objects.create(
                lsoa=lsoa, sub_icb=sub, icb=icb, valid_from=date(2020, 1, 1)
            )
            inside.append(lsoa.code)
        else:
            outside.append(lsoa.code)
    for d in targets:
        SiteTargetArea.objects.create(site=site, kind="lsoa", code=lsoa_code(d))
    return Geography(icb, inside, [lsoa_code(d) for d in targets], outside)


def more_icb_lsoas(geo: Geography, n: int) -> list[str]:
    """``n`` more LSOAs in ``geo``'s ICB (decile 5, after the twenty of ``geography``)."""
    edition = Edition.objects.get_default()
    sub = SubICBLocation.objects.get(code="E38000999")
    codes = []
    for k in range(21, 21 + n):
        lsoa = LSOA.objects.create(vintage=edition.lsoa_vintage, code=lsoa_code(k), name=f"L{k}")
        Deprivation.objects.create(
            edition=edition, lsoa=lsoa, imd_decile=5, imd_score=35, population_total=1500
        )
        LSOAHealthMembership.objects.create(
            lsoa=lsoa, sub_icb=sub, icb=geo.icb, valid_from=date(2020, 1, 1)
        )
        codes.append(lsoa.code)
    return codes


def indicator(code="screening", type=Indicator.Type.PROPORTION, **kwargs) -> Indicator:
    defaults = {
        "name": "Screening coverage",
        "clinical_area": "Cancer",
        "definition": "People screened in the interval.",
        "numerator": "Screened",
        "denominator": "Eligible",
        "type": type,
        "polarity": Indicator.Polarity.HIGHER_BETTER,
        "source": "Test",
    }
    defaults.update(kwargs)
    return Indicator.objects.create(code=code, **defaults)


def simple_csv(rows) -> bytes:
    """rows: (area_code, period, numerator, denominator[, breakdown])."""
    lines = ["area_code,period,numerator,denominator,breakdown"]
    for row in rows:
        area, period, x, n, *rest = row
        lines.append(f"{area},{period},{x},{n},{rest[0] if rest else ''}")
    return ("\n".join(lines) + "\n").encode()


def upload(ind, by, rows, *, site=None, name="data.csv"):
    return actions.upload_data(
        indicator=ind, site=site, file_name=name, content=simple_csv(rows), by=by
    )
