"""The audit log page reads in people's words: record kinds by name, changes as old → new."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from tests.conftest import page_html

pytestmark = pytest.mark.django_db


def _event(object_type: str, changes: dict | None = None, site=None) -> None:
    with transaction.atomic():
        record(
            actor=None,
            verb=AuditEvent.Verb.UPDATE,
            object_type=object_type,
            object_id=1,
            object_label="A record",
            site=site,
            changes=changes or {},
        )


def _kind_options(html: str) -> list[str]:
    select = re.search(r'<select name="object_type".*?</select>', html, re.S).group(0)
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)][1:]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_record_kinds_are_named_for_people_sorted_and_told_apart(make_user, site):
    for object_type in (
        "outcomes.OutcomeReport",
        "hours.HoursEntry",
        "hours.Payment",
        "grants.Payment",
        "places reference data",
        "hours.FinanceExport",
    ):
        _event(object_type, site=site)
    options = _kind_options(page_html(make_user("national_admin"), reverse("audit:log")))
    # Signing in records an event about the user too.
    assert [option for option in options if option != "User"] == [
        "Finance export",
        "Hours entry",
        "Outcome report",
        "Payment (grants)",
        "Payment (hours)",
        "Places reference data",
    ]


def test_site_lead_sees_the_same_names_for_their_sites_kinds(make_user, site):
    _event("hours.HoursEntry", site=site)
    options = _kind_options(page_html(make_user("site_lead"), reverse("audit:log")))
    assert "Hours entry" in options
    assert "HoursEntry" not in options


def test_filtering_by_a_named_kind_still_works(make_user, site):
    _event("hours.Payment", {"amount": [None, "12.50"]}, site=site)
    _event("grants.Payment", {"amount": [None, "99.00"]}, site=site)
    html = page_html(
        make_user("national_admin"), reverse("audit:log") + "?object_type=grants.Payment"
    )
    assert "99.00" in html and "12.50" not in html


def test_changes_read_as_old_to_new_with_tidy_numbers(make_user, site):
    _event(
        "hours.ExpenseClaim",
        {
            "status": ["Draft", "Submitted"],
            "total": [None, "4.80000000000000"],
            "reason": [None, "Receipt missing"],
            "rate": ["1.12500", "2"],
        },
        site=site,
    )
    text = _text(page_html(make_user("site_lead"), reverse("audit:log")))
    assert "Status: Draft → Submitted" in text
    assert "Total: (none) → 4.80" in text
    assert "Reason: (none) → Receipt missing" in text
    assert "Rate: 1.125 → 2" in text
    assert "[" not in text.split("Changes", 1)[-1].split("No events")[0]
    assert "None" not in text


def test_the_stored_changes_are_not_rewritten(site):
    _event("hours.ExpenseClaim", {"total": [None, "4.80000000000000"]}, site=site)
    assert AuditEvent.objects.get().changes == {"total": [None, "4.80000000000000"]}


def test_other_kinds_of_change_are_readable(make_user, site):
    _event(
        "places reference data",
        {
            "target_areas": {"added": ["E01000001", "E01000002"]},
            "rows": 12,
            "active": [True, False],
        },
        site=site,
    )
    text = _text(page_html(make_user("national_admin"), reverse("audit:log")))
    assert "Target areas: added: E01000001, E01000002" in text
    assert "Rows: 12" in text
    assert "Active: Yes → No" in text


def test_a_change_named_after_a_reverse_relation_is_shown(make_user, site):
    """Sites record changes to their related lists under the relation's name, which has no
    verbose name of its own (this once made the whole log fail)."""
    _event("programme.Site", {"local_priorities": [[], ["Blood pressure checks"]]}, site=site)
    text = _text(page_html(make_user("national_admin"), reverse("audit:log")))
    assert "Local priorities:" in text
