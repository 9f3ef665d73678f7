"""What a user met on the demo: England's confidence interval written "66.9 to 66.9" (its
denominators are millions, so both limits round to the value), and, on a phone, the back
link of a site's indicator page going to the top of the site's outcomes page instead of
its list of indicators, where the indicator was chosen."""

import re

import pytest
from django.urls import reverse

from core20.outcomes.dashboard import fmt_interval
from tests.conftest import sign_in
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import rows_for

pytestmark = pytest.mark.django_db

ENGLAND = "E92000001"


# --- 1. Narrow intervals can be told apart -----------------------------------------------


@pytest.mark.parametrize(
    "lower, upper, digits, words",
    [
        (57.5, 57.7, 1, "57.5 to 57.7"),  # as before where the limits differ
        (66.912, 66.934, 1, "66.91 to 66.93"),
        (66.9123, 66.9138, 1, "66.912 to 66.914"),
        (-0.0042, 0.0031, 2, "-0.004 to 0.003"),  # the evaluation's two decimals
        (66.91231, 66.91234, 1, "narrower than 0.0001 around 66.9"),
        (None, 3.0, 1, "not available"),
    ],
)
def test_an_interval_shows_enough_decimals_to_tell_its_limits_apart(lower, upper, digits, words):
    assert fmt_interval(lower, upper, digits) == words


def england_millions(periods) -> list[tuple]:
    """England's total from ten million people: 66.61%, 66.76%, 66.91% …"""
    return [
        (ENGLAND, period, 6_661_000 + 15_000 * i, 10_000_000) for i, period in enumerate(periods)
    ]


def test_englands_interval_is_not_written_as_the_same_number_twice(client, site, make_user):
    analyst = make_user("national_analyst")
    geo = helpers.geography(site)
    ind = helpers.indicator()
    upload = helpers.upload(
        ind, analyst, rows_for(geo) + england_millions(["2022", "2023", "2024"])
    )
    sign_in(client, analyst)
    page = client.get(f"{reverse('outcomes:national')}?indicator={ind.code}").content.decode()
    section = page.split('id="england"')[1].split("</section>")[0]
    assert "In 2024 the value for England was 66.9% (95% CI 66.88 to 66.94)" in section
    assert "66.9 to 66.9" not in page
    # The table and its download keep their own columns of limits, as before.
    csv = client.get(
        f"{reverse('outcomes:national')}?indicator={ind.code}&table=england&export=csv"
    ).content.decode()
    assert csv.splitlines()[3].startswith("2024,6691000,10000000,66.9,66.9,66.9")
    # The upload's page writes each row's limits the same way.
    detail = client.get(reverse("outcomes:upload-detail", args=[upload.pk])).content.decode()
    assert "66.88 to 66.94" in detail and "66.9 to 66.9" not in detail


# --- 2. Back to the list of indicators ----------------------------------------------------


def back_link(page: str) -> tuple[str, str]:
    nav = page.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    href, words = re.search(r'<a class="nhsuk-back-link" href="([^"]*)">(.*?)</a>', nav).groups()
    return href, re.sub(r"<[^>]+>", "", words)


@pytest.mark.parametrize("role", ["site_lead", "national_analyst"])
def test_the_back_link_of_a_sites_indicator_page_goes_to_its_list_of_indicators(
    client, site, make_user, role
):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, make_user("national_analyst"), rows_for(geo))
    sign_in(client, make_user(role))
    site_page = reverse("outcomes:site", args=[site.slug])
    listing = client.get(site_page).content.decode()
    indicator_page = reverse("outcomes:site-indicator", args=[site.slug, ind.code])
    # Where the user chose the indicator: the site's list of indicators.
    indicators = listing.split('id="indicators"')[1].split("</ul>")[0]
    assert f'href="{indicator_page}"' in indicators
    page = client.get(indicator_page).content.decode()
    assert back_link(page) == (f"{site_page}#indicators", "Back to Indicators")
    # The trail on wider screens ends at the same place, after the site.
    nav = page.split('aria-label="Breadcrumb"')[1].split("</ol>")[0]
    trail = re.findall(r'<a class="nhsuk-breadcrumb__link" href="([^"]*)">([^<]*)</a>', nav)
    assert trail[-2:] == [(site_page, site.name), (f"{site_page}#indicators", "Indicators")]
