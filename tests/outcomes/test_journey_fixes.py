"""What an analyst and a site lead met on the outcomes pages: output names in the logic model,
the evaluation's periods in order and only indicators with figures, and Fingertips exports
of one-sex indicators (every row "Female") read with their totals."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core20.outcomes import actions, analysis
from core20.outcomes.models import IndicatorValue
from tests.conftest import sign_in
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import rows_for

pytestmark = pytest.mark.django_db


def test_the_logic_model_names_its_outputs_in_words(client, site, make_user):
    call_command("load_outcomes_reference", verbosity=0)
    sign_in(client, make_user("site_lead"))
    client.post(reverse("outcomes:logic-model-start", args=[site.slug]))
    page = client.get(reverse("outcomes:site", args=[site.slug])).content.decode()
    assert "Outputs: People reached, People reached in Core20 areas" in page
    assert "reach_core20" not in page and "insights_actioned" not in page


@pytest.fixture
def evaluation(client, site, make_user):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, make_user("national_analyst"), rows_for(geo))
    helpers.indicator(code="no-data", name="Nothing uploaded")
    sign_in(client, make_user("site_lead"))
    return ind, reverse("outcomes:evaluation", args=[site.slug])


def test_the_evaluation_refuses_an_after_period_earlier_than_the_before(client, evaluation):
    ind, url = evaluation
    page = client.get(url, {"indicator": ind.pk, "before": "2024", "after": "2023"})
    text = page.content.decode()
    assert "Choose a period after the period before (2024), not 2023" in text
    assert "Difference in differences" not in text
    right = client.get(url, {"indicator": ind.pk, "before": "2023", "after": "2024"})
    assert "Difference in differences: 5.50 percentage points" in right.content.decode()


def test_the_evaluation_offers_only_indicators_with_figures(client, evaluation):
    _, url = evaluation
    page = client.get(url).content.decode()
    assert "Screening coverage" in page and "Nothing uploaded" not in page


def _fingertips(sexes_and_rows) -> bytes:
    lines = [helpers.FINGERTIPS_HEADER]
    for sex, category_type, category, count in sexes_and_rows:
        lines.append(
            f'90001,"Screening",,,E92000001,England,England,{sex},"25-64 yrs",'
            f'"{category_type}","{category}",2025/26 Q1,,,,,,{count},1000,,,,,,,,'
        )
    return ("\n".join(lines) + "\n").encode()


DECILE = ("County & UA deprivation deciles in England (IMD2019, 4/21 geog.)",)


def test_a_one_sex_fingertips_export_gives_england_its_total(make_user):
    """Cervical screening's export has "Female" on every row: the row without a category is
    England's figure, which the national dashboard and the data packs compare with."""
    ind = helpers.indicator(fingertips_id="90001")
    content = _fingertips(
        [
            ("Female", "", "", 680),
            ("Female", *DECILE, "Most deprived decile (IMD2019)", 615),
            ("Female", *DECILE, "Least deprived decile (IMD2019)", 750),
        ]
    )
    upload = actions.upload_data(
        indicator=ind,
        site=None,
        file_name="cervical.csv",
        content=content,
        by=make_user("national_analyst"),
    )
    total = IndicatorValue.objects.get(upload=upload, quantile__isnull=True)
    assert total.breakdown_type == "Total"
    england = analysis.overall(analysis.values_frame(ind, sites=[]), ind, {"E92000001"})
    assert list(england["value"]) == [pytest.approx(68.0)]
    assert IndicatorValue.objects.filter(upload=upload, quantile__isnull=False).count() == 2


def test_with_both_sexes_a_sex_stays_a_breakdown(make_user):
    ind = helpers.indicator(fingertips_id="90001")
    content = _fingertips(
        [("Persons", "", "", 600), ("Male", "", "", 550), ("Female", "", "", 650)]
    )
    upload = actions.upload_data(
        indicator=ind,
        site=None,
        file_name="both.csv",
        content=content,
        by=make_user("national_analyst"),
    )
    kinds = sorted(
        IndicatorValue.objects.filter(upload=upload).values_list("breakdown_type", "breakdown")
    )
    assert kinds == [("Sex", "Female"), ("Sex", "Male"), ("Total", "25-64 yrs")]
