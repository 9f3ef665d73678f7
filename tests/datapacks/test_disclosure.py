"""Disclosure control of pack figures: hand-worked tables, the publish gate, and properties
over random data (no published count is small, unrounded or recoverable)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core20.datapacks import actions
from core20.datapacks.disclosure import (
    THRESHOLD,
    UnprotectedFigures,
    check_protected,
    problems,
    protect_rows,
)
from core20.datapacks.models import DataPack
from tests.datapacks.helpers import make_pack, places_content

DECILE_COUNTS = st.dictionaries(
    st.integers(min_value=1, max_value=10), st.integers(min_value=0, max_value=400), min_size=1
)


def _shown(rows):
    return {r["category"]: r["people"] for r in rows}


def test_a_small_count_is_hidden_and_so_is_its_complement():
    # 3 is hidden (primary); with the total shown, 55 - 40 would give it away, so the
    # smallest other count (12) is hidden too (secondary); 40 and 55 are already multiples of 5.
    rows = protect_rows(
        [{"category": str(d), "people": n} for d, n in ((1, 3), (2, 12), (3, 40))],
        counts=["people"],
    )
    assert _shown(rows) == {"1": None, "2": None, "3": 40, "Total": 55}
    status = {r["category"]: r["people_status"] for r in rows}
    assert status["1"].startswith("primary")
    assert status["2"].startswith("secondary")
    assert status["3"] == "rounded to nearest 5"


def test_counts_are_rounded_to_the_nearest_five_and_zero_is_kept():
    rows = protect_rows(
        [{"category": str(d), "people": n} for d, n in ((1, 1002), (2, 0), (3, 13))],
        counts=["people"],
    )
    assert _shown(rows) == {"1": 1000, "2": 0, "3": 15, "Total": 1015}


def test_the_gate_names_every_unsafe_count(site):
    content = places_content(site, {1: 1000, 2: 2000})
    rows = content["sections"][0]["tables"][0]["rows"]
    rows[0]["people"] = 3  # a small count put back after protection
    rows[1]["people"] = 2001  # not rounded
    del rows[2]["people_status"]  # never protected
    with pytest.raises(UnprotectedFigures) as caught:
        check_protected(content)
    text = " ".join(caught.value.messages)
    assert "cannot be published" in text
    assert "row “1”" in text and "3 is a small count" in text
    assert "2001 is not rounded to the nearest 5" in text
    assert "has not been through disclosure control" in text


@given(DECILE_COUNTS)
@settings(max_examples=60, deadline=None)
def test_protected_tables_never_show_a_small_or_recoverable_count(counts):
    rows = protect_rows(
        [{"category": str(k), "people": v} for k, v in counts.items()], counts=["people"]
    )
    cells = [r for r in rows if r["category"] != "Total"]
    total = next(r for r in rows if r["category"] == "Total")
    for row in rows:
        value = row["people"]
        assert value is None or value == 0 or (value > THRESHOLD and value % 5 == 0)
    for row in cells:
        if 0 < counts[int(row["category"])] <= THRESHOLD:
            assert row["people"] is None
    hidden = [r for r in cells if r["people"] is None]
    if total["people"] is not None:
        # One hidden cell under a published total could be recovered by subtraction.
        assert len(hidden) != 1
    table = {"key": "deciles", "counts": ["people"], "rows": rows}
    assert problems({"sections": [{"key": "places", "tables": [table]}]}) == []


@given(raw=DECILE_COUNTS, protect=st.booleans())
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_publishing_refuses_exactly_the_packs_with_unsafe_counts(raw, protect, site, make_user):
    lead = make_user("site_lead") if not hasattr(site, "_lead") else site._lead
    site._lead = lead
    pack = make_pack(site, counts={1: 10})
    rows = [{"category": str(k), "people": v} for k, v in raw.items()]
    if protect:
        rows = protect_rows(rows, counts=["people"])
    else:
        # As if someone skipped disclosure control but labelled the counts anyway.
        rows = [{**r, "people_status": "unchanged"} for r in rows]
    pack.content["sections"][0]["tables"][0]["rows"] = rows
    pack.save()
    unsafe = [
        r["people"]
        for r in rows
        if r["people"] is not None and (0 < r["people"] <= THRESHOLD or r["people"] % 5)
    ]
    if unsafe:
        assert not protect
        with pytest.raises(UnprotectedFigures):
            actions.publish(pack=pack, by=lead)
        assert DataPack.objects.get(pk=pack.pk).status == DataPack.Status.READY
    else:
        actions.publish(pack=pack, by=lead)
        assert DataPack.objects.get(pk=pack.pk).status == DataPack.Status.PUBLISHED
