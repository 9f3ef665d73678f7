"""Funding: allocations and spend through the pages and actions, variance against figures
worked out by hand, the national summary and its CSV export."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.oversight import actions, funding, periods
from core20.oversight.models import FundingAllocation, SpendReport
from tests.factories import SiteFactory
from tests.oversight import helpers

pytestmark = pytest.mark.django_db

THIS_YEAR = periods.financial_year_of(periods.today())


def _spend(site, by, quarter, amount, year=None):
    return actions.report_spend(
        site=site,
        financial_year=year or (THIS_YEAR - 1),
        quarter=quarter,
        amount=Decimal(amount),
        by=by,
    )


# ---- variance, by hand ----


def test_variance_and_percent_spent_match_hand_worked_figures(site, people):
    admin, lead = people["admin"], people["lead"]
    last_year = THIS_YEAR - 1
    helpers.allocate(site, admin, "50000.00", year=last_year)
    helpers.allocate(site, admin, "12500.50", year=last_year, purpose="Micro-grants top-up")
    _spend(site, lead, 1, "10000.25")
    _spend(site, lead, 2, "15000.00")
    _spend(site, lead, 3, "7499.75")

    (year,) = funding.site_funding(site)
    # 50,000.00 + 12,500.50 = 62,500.50 allocated; 10,000.25 + 15,000 + 7,499.75 = 32,500.00
    assert year.allocated == Decimal("62500.50")
    assert year.spent == Decimal("32500.00")
    assert year.variance == Decimal("30000.50")
    # 32,500 / 62,500.50 = 0.5199958… → 52.0%
    assert year.percent_spent == Decimal("52.0")
    assert not year.overspent
    assert [q for q, report in year.quarter_rows if report] == [1, 2, 3]


def test_overspend_gives_a_negative_variance(site, people):
    helpers.allocate(site, people["admin"], "1000.00", year=THIS_YEAR - 1)
    _spend(site, people["lead"], 4, "1200.10")
    (year,) = funding.site_funding(site)
    assert year.variance == Decimal("-200.10")
    assert year.percent_spent == Decimal("120.0")  # 1,200.10 / 1,000 = 1.2001
    assert year.overspent
    assert funding.money(year.variance) == "−£200.10"


def test_spend_without_an_allocation_has_no_percentage(site, people):
    _spend(site, people["lead"], 1, "10.00")
    (year,) = funding.site_funding(site)
    assert year.percent_spent is None
    assert year.variance == Decimal("-10.00")


def test_funding_by_site_sums_per_site_for_one_year(site, other_site, people):
    admin = people["admin"]
    helpers.allocate(site, admin, "100.00", year=THIS_YEAR - 1)
    helpers.allocate(site, admin, "999.00", year=THIS_YEAR)  # another year: not counted
    helpers.allocate(other_site, admin, "300.00", year=THIS_YEAR - 1)
    _spend(site, people["lead"], 1, "33.33")
    _spend(other_site, admin, 1, "100.00")
    _spend(other_site, admin, 2, "100.00")
    rows = funding.funding_by_site([site.pk, other_site.pk], THIS_YEAR - 1)
    assert rows[site.pk].variance == Decimal("66.67")
    assert rows[site.pk].percent_spent == Decimal("33.3")
    assert rows[other_site.pk].percent_spent == Decimal("66.7")  # 200 / 300


# ---- allocations ----


def test_national_admin_allocates_through_the_page_and_it_is_audited(client_as, site):
    response = client_as("admin").post(
        reverse("oversight:allocation-create", args=[site.slug]),
        {
            "financial_year": THIS_YEAR,
            "amount": "£75,000.50",
            "purpose": "Core programme funding",
            "notes": "Paid in two parts",
        },
    )
    assert response.status_code == 302
    allocation = FundingAllocation.objects.get()
    assert allocation.amount == Decimal("75000.50")
    assert allocation.site == site
    event = AuditEvent.objects.get(object_type="oversight.FundingAllocation")
    assert event.verb == "create" and event.site_id == site.pk
    assert event.changes["amount"] == [None, "75000.50"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Enter the amount in pounds"),
        ("abc", "The amount must be a number in pounds, like 12500 or 12500.50"),
        ("-5", "The amount must be at least £0.01"),
        ("0", "The amount must be at least £0.01"),
        ("10.505", "The amount can only have pence, like 12500.50"),
        ("100000000000", "The amount is too large"),
    ],
)
def test_allocation_amount_mistakes_are_explained_and_nothing_is_saved(
    client_as, site, amount, message
):
    response = client_as("admin").post(
        reverse("oversight:allocation-create", args=[site.slug]),
        {"financial_year": THIS_YEAR, "amount": amount, "purpose": "Core"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not FundingAllocation.objects.exists()
    assert not AuditEvent.objects.filter(object_type="oversight.FundingAllocation").exists()


def test_allocation_needs_a_purpose_and_a_listed_year(client_as, site):
    response = client_as("admin").post(
        reverse("oversight:allocation-create", args=[site.slug]),
        {"financial_year": "1990", "amount": "10", "purpose": ""},
    )
    html = response.content.decode()
    assert "Enter what the funding is for" in html
    assert "Choose a financial year from the list" in html
    assert not FundingAllocation.objects.exists()


def test_allocations_can_be_changed_and_removed_with_an_audit_trail(client_as, site, people):
    allocation = helpers.allocate(site, people["admin"], "100.00")
    client = client_as("admin")
    response = client.post(
        reverse("oversight:allocation-edit", args=[site.slug, allocation.pk]),
        {"financial_year": allocation.financial_year, "amount": "150", "purpose": "Core"},
    )
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.amount == Decimal("150.00")
    update = AuditEvent.objects.get(verb="update", object_type="oversight.FundingAllocation")
    assert update.changes["amount"] == ["100.00", "150.00"]

    response = client.post(reverse("oversight:allocation-delete", args=[site.slug, allocation.pk]))
    assert response.status_code == 302
    assert not FundingAllocation.objects.exists()
    assert AuditEvent.objects.filter(verb="delete", object_type="oversight.FundingAllocation")


def test_an_allocation_belongs_to_its_site(client_as, site, other_site, people):
    allocation = helpers.allocate(other_site, people["admin"])
    response = client_as("admin").get(
        reverse("oversight:allocation-edit", args=[site.slug, allocation.pk])
    )
    assert response.status_code == 404


def test_only_national_admins_allocate(site, people):
    for name in ("analyst", "lead", "host"):
        with pytest.raises(PermissionDenied):
            helpers.allocate(site, people[name])


# ---- spend ----


def test_site_lead_reports_and_corrects_spend_for_their_own_site(client_as, site, people):
    year, quarter = helpers.last_quarter()
    url = reverse("oversight:spend-report", args=[site.slug])
    client = client_as("lead")
    response = client.post(
        url, {"financial_year": year, "quarter": quarter, "amount": "1,250.00", "notes": "Room"}
    )
    assert response.status_code == 302
    report = SpendReport.objects.get()
    assert (report.amount, report.reported_by) == (Decimal("1250.00"), people["lead"])

    # Reporting the same quarter again replaces the figure; the audit log keeps both.
    page = client.get(url, {"year": year, "quarter": quarter})
    assert 'value="1250.00"' in page.content.decode()
    client.post(url, {"financial_year": year, "quarter": quarter, "amount": "1300", "notes": ""})
    report.refresh_from_db()
    assert report.amount == Decimal("1300.00")
    assert SpendReport.objects.count() == 1
    events = AuditEvent.objects.filter(object_type="oversight.SpendReport").order_by("pk")
    assert [e.verb for e in events] == ["create", "update"]
    assert events[1].changes["amount"] == ["1250.00", "1300.00"]
    assert events[1].site_id == site.pk


def test_site_lead_cannot_report_spend_for_another_site(client_as, other_site, people):
    response = client_as("lead").post(
        reverse("oversight:spend-report", args=[other_site.slug]),
        {"financial_year": THIS_YEAR, "quarter": 1, "amount": "10"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        _spend(other_site, people["lead"], 1, "10")
    assert not SpendReport.objects.exists()


def test_spend_cannot_be_reported_for_a_quarter_that_has_not_started(site, people):
    year, quarter = periods.quarter_of(periods.today())
    next_year, next_quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    with pytest.raises(ValidationError) as caught:
        _spend(site, people["lead"], next_quarter, "10", year=next_year)
    assert "has not started yet" in caught.value.message_dict["quarter"][0]
    assert not SpendReport.objects.exists()


def test_spend_mistakes_are_explained(client_as, site):
    response = client_as("lead").post(
        reverse("oversight:spend-report", args=[site.slug]),
        {"financial_year": THIS_YEAR, "amount": "-1"},
    )
    html = response.content.decode()
    assert "Choose the quarter" in html
    assert "The amount spent cannot be negative" in html
    assert not SpendReport.objects.exists()


# ---- the national summary and CSV ----


def test_summary_and_csv_give_each_sites_figures_and_the_total(client_as, site, people):
    admin = people["admin"]
    odd = SiteFactory(name="=HYPERLINK(1)")  # a name a spreadsheet would run as a formula
    helpers.allocate(site, admin, "1000.00", year=THIS_YEAR - 1)
    helpers.allocate(odd, admin, "500.00", year=THIS_YEAR - 1)
    _spend(site, people["lead"], 1, "250.00")
    _spend(odd, admin, 1, "600.00")

    client = client_as("analyst")
    page = client.get(reverse("oversight:funding-summary"), {"year": THIS_YEAR - 1})
    html = page.content.decode()
    assert "£1,500.00 allocated and £850.00 spent (56.7%)" in html
    assert "1 site has spent more than its allocation" in html

    response = client.get(reverse("oversight:funding-summary-csv"), {"year": THIS_YEAR - 1})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:8] == [
        "Site",
        "Wave",
        "NHS regions",
        "Financial year",
        "Allocated (GBP)",
        "Spent (GBP)",
        "Variance (GBP)",
        "Percent spent",
    ]
    by_site = {row[0]: row for row in rows[1:]}
    label = periods.year_label(THIS_YEAR - 1)
    assert by_site["Home Site"][3:] == [label, "1000.00", "250.00", "750.00", "25.0"]
    assert by_site["'=HYPERLINK(1)"][4:] == ["500.00", "600.00", "-100.00", "120.0"]
    assert by_site["Other Site"][4:] == ["0.00", "0.00", "0.00", ""]
    assert by_site["All sites"][4:] == ["1500.00", "850.00", "650.00", "56.7"]


def test_summary_filters_by_region(client_as, site, other_site, people):
    helpers.allocate(site, people["admin"], "10.00")
    region = site.regions.first()
    response = client_as("admin").get(
        reverse("oversight:funding-summary-csv"), {"region": region.code}
    )
    names = [row[0] for row in csv.reader(io.StringIO(response.content.decode()))]
    assert "Home Site" in names and "Other Site" not in names


def test_report_spend_opens_on_the_next_quarter_to_report_not_a_reported_one(client_as, site):
    """Opening on a quarter already reported filled the form with its amount and notes, which
    went to the next quarter when the lead changed the quarter and saved."""
    last_year, last_quarter = helpers.last_quarter()
    year, quarter = periods.quarter_of(periods.today())
    url = reverse("oversight:spend-report", args=[site.slug])
    client = client_as("lead")

    def opened_on(page) -> tuple[str, str]:
        html = page.content.decode()
        chosen_year = re.search(r'<option value="(\d+)" selected', html).group(1)
        chosen = re.search(r'name="quarter" value="(\d)"[^>]*checked', html).group(1)
        return chosen_year, chosen

    assert opened_on(client.get(url)) == (str(last_year), str(last_quarter))
    client.post(
        url,
        {"financial_year": last_year, "quarter": last_quarter, "amount": "900", "notes": "Room"},
    )
    page = client.get(url)
    assert opened_on(page) == (str(year), str(quarter))
    html = page.content.decode()
    assert 'value="900.00"' not in html and "Room</textarea>" not in html
    # The "Correct" link still opens the reported quarter with its figures.
    correct = client.get(url, {"year": last_year, "quarter": last_quarter}).content.decode()
    assert 'value="900.00"' in correct and "Room</textarea>" in correct
