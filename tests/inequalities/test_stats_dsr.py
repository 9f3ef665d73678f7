"""dsr(): directly standardised rates, Dobson limits, ESP 2013 joined on a band key (§4)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.errors import InputError
from inequalities.stats import ESP2013, ESP2013_BANDS, ESP2013_WEIGHTS, dsr

RESULT = ["value", "lower95", "upper95", "lower99_8", "upper99_8", "confidence", "method"]


def three_bands():
    return pd.DataFrame(
        {
            "numerator": [4, 12, 30],
            "denominator": [1000, 3000, 5000],
            "standard_population": [2000, 3000, 5000],
        }
    )


def test_esp2013_table():
    assert len(ESP2013_BANDS) == 19
    assert sum(ESP2013_WEIGHTS) == 100_000
    assert ESP2013["0-4"] == 5000
    assert ESP2013["45-49"] == 7000
    assert ESP2013["90+"] == 1000


def test_three_band_dsr_with_a_standard_column():
    out = dsr(three_bands(), standard=None)
    assert list(out.columns) == ["total_count", "total_pop", *RESULT, "note"]
    row = out.iloc[0]
    # DSR = (2000*4/1000 + 3000*12/3000 + 5000*30/5000) / 10000 * 1e5 = 50/10000*1e5 = 500
    # Var = (2000^2*4/1000^2 + 3000^2*12/3000^2 + 5000^2*30/5000^2) / 10000^2 = 58e-8
    # O = 46; m*sqrt(Var/O) = 1e5*sqrt(1.260870e-8) = 11.228845
    # Byar's O = 46 at 95%: (33.674767, 61.358969)
    #   -> 500 + 11.228845*(33.674767 - 46) = 361.6019; 500 + 11.228845*15.358969 = 672.4635
    # at 99.8%: (27.823964, 71.088050) -> 295.9041, 781.7098
    assert row["total_count"] == 46
    assert row["total_pop"] == 9000
    assert row["value"] == pytest.approx(500.0)
    assert row["lower95"] == pytest.approx(361.6019, abs=1e-4)
    assert row["upper95"] == pytest.approx(672.4635, abs=1e-4)
    assert row["lower99_8"] == pytest.approx(295.9041, abs=1e-4)
    assert row["upper99_8"] == pytest.approx(781.7098, abs=1e-4)
    assert row["method"] == "Dobson"
    assert pd.isna(row["note"])


def esp_frame(x=1, n=1000, bands=ESP2013_BANDS):
    return pd.DataFrame({"age_band": list(bands), "numerator": x, "denominator": n})


def test_esp2013_all_bands_one_death_per_thousand():
    out = dsr(esp_frame()).iloc[0]
    # every band rate 0.001 -> DSR 100 per 100,000.
    # Var = sum(w^2) * 1/1000^2 / 100000^2 = 585,000,000 / 1e6 / 1e10 = 5.85e-8; O = 19
    # m*sqrt(Var/O) = 1e5*sqrt(3.078947e-9) = 5.548826; Byar's O = 19: (11.433981, 29.672346)
    # -> 100 + 5.548826*(11.433981 - 19) = 58.0175; 100 + 5.548826*10.672346 = 159.2190
    assert out["value"] == pytest.approx(100.0)
    assert out["lower95"] == pytest.approx(58.0175, abs=1e-4)
    assert out["upper95"] == pytest.approx(159.2190, abs=1e-4)
    assert out["lower99_8"] == pytest.approx(40.4583, abs=1e-4)
    assert out["upper99_8"] == pytest.approx(198.4651, abs=1e-4)


def test_band_labels_are_matched_by_key_in_any_order_and_spelling():
    spelled = ["0\u20134", "05-09", "10 to 14", " 15 - 19", *ESP2013_BANDS[4:18], "90 and over"]
    shuffled = esp_frame(bands=spelled).iloc[::-1]
    expected = dsr(esp_frame())
    got = dsr(shuffled)
    for column in ["value", "lower95", "upper95"]:
        assert got.loc[0, column] == pytest.approx(expected.loc[0, column])
    lower_bounds = esp_frame(bands=[str(a) for a in range(0, 95, 5)])
    assert dsr(lower_bounds).loc[0, "value"] == pytest.approx(100.0)


def test_split_90_plus_band_is_refused_with_advice():
    bands = [*ESP2013_BANDS[:18], "90-94", "95+"]
    with pytest.raises(InputError, match=r"add the 90-94 and 95\+ rows together.*rows 19 and 20"):
        dsr(esp_frame(bands=bands))


def test_unknown_band_label_names_rows():
    bands = list(ESP2013_BANDS)
    bands[3] = "15-20"
    with pytest.raises(InputError, match=r"not ESP 2013 bands \('15-20'.*row 4\."):
        dsr(esp_frame(bands=bands))


def test_group_missing_a_band_is_named():
    full = esp_frame().assign(area="E1")
    short = esp_frame().assign(area="E2").iloc[:-1]
    with pytest.raises(InputError, match=r"group \('E2',\).*lacks 90\+"):
        dsr(pd.concat([full, short]), group_by="area")


def test_truncated_standard_shared_by_all_groups_is_fine():
    under_75 = ESP2013_BANDS[:15]
    data = pd.concat(
        [esp_frame(bands=under_75).assign(area=a, numerator=k) for a, k in (("A", 1), ("B", 2))]
    )
    out = dsr(data, group_by="area")
    # rates 0.001 and 0.002 in every band -> 100 and 200 whatever the weights
    assert out["value"].tolist() == pytest.approx([100.0, 200.0])
    assert out["total_count"].tolist() == [15, 30]


def test_rows_of_one_band_are_added_together():
    male = esp_frame(x=1, n=600).assign(sex="m")
    female = esp_frame(x=0, n=400).assign(sex="f")
    together = dsr(pd.concat([male, female]))
    assert together.loc[0, "total_pop"] == 19_000
    assert together.loc[0, "value"] == pytest.approx(dsr(esp_frame()).loc[0, "value"])
    assert together.loc[0, "upper95"] == pytest.approx(dsr(esp_frame()).loc[0, "upper95"])


def test_fewer_than_ten_events_gives_na_with_a_note():
    data = esp_frame(x=0).assign(numerator=[1] * 9 + [0] * 10)
    out = dsr(data).iloc[0]
    assert out["total_count"] == 9
    assert np.isnan(out["value"]) and np.isnan(out["lower95"]) and np.isnan(out["upper99_8"])
    assert out["note"] == "dsr NA for total count < 10"
    ten = dsr(esp_frame(x=0).assign(numerator=[1] * 10 + [0] * 9)).iloc[0]
    assert not np.isnan(ten["value"])


def test_missing_events_count_as_zero():
    data = three_bands().astype({"numerator": float})
    data.loc[0, "numerator"] = np.nan
    out = dsr(data, standard=None).iloc[0]
    # (3000*12/3000 + 5000*30/5000)/10000*1e5 = 42/10000*1e5 = 420
    assert out["total_count"] == 42
    assert out["value"] == pytest.approx(420.0)


def test_invalid_populations_name_rows():
    bad = three_bands().assign(denominator=[1000, 0, np.nan])
    with pytest.raises(InputError, match=r"'denominator' is missing in row 3"):
        dsr(bad, standard=None)
    with pytest.raises(InputError, match=r"'denominator' is zero or negative in row 2"):
        dsr(bad.iloc[:2], standard=None)
    with pytest.raises(InputError, match=r"'standard_population' is negative in row 1"):
        dsr(three_bands().assign(standard_population=[-1, 2, 3]), standard=None)
    with pytest.raises(InputError, match=r"Column 'standard_population' is missing"):
        dsr(three_bands().drop(columns="standard_population"), standard=None)
    with pytest.raises(InputError, match=r"Column 'age_band' is missing"):
        dsr(three_bands())
    with pytest.raises(InputError, match=r"Option standard must be one of .*, not 'who'\."):
        dsr(three_bands(), standard="who")


def frequency_frame():
    # band A: n 1000, w 6000; persons with 1 event: 8, with 2 events: 3 -> 14 events
    # band B: n 2000, w 4000; persons with 1 event: 10, with 3 events: 2 -> 16 events
    return pd.DataFrame(
        {
            "age_band": ["A", "A", "B", "B"],
            "events": [1, 2, 1, 3],
            "numerator": [8, 3, 10, 2],
            "denominator": [1000, 1000, 2000, 2000],
            "standard_population": [6000, 6000, 4000, 4000],
        }
    )


def test_non_independent_events_widen_the_interval():
    out = dsr(frequency_frame(), standard=None, frequency="events").iloc[0]
    # DSR = (6000*14/1000 + 4000*16/2000)/10000 * 1e5 = (84 + 32)/10000*1e5 = 1160
    # Var = [36*(1*8 + 4*3) + 4*(1*10 + 9*2)] / 1e8 = (720 + 112)/1e8 = 8.32e-6; O = 30
    # m*sqrt(Var/O) = 52.662447; Byar's O = 30: (20.236939, 42.828372)
    # -> 1160 + 52.662447*(20.236939 - 30) = 645.8533; 1160 + 52.662447*12.828372 = 1835.5735
    assert out["total_count"] == 30
    assert out["total_pop"] == 3000
    assert out["value"] == pytest.approx(1160.0)
    assert out["lower95"] == pytest.approx(645.8533, abs=1e-4)
    assert out["upper95"] == pytest.approx(1835.5735, abs=1e-4)
    assert out["lower99_8"] == pytest.approx(414.2463, abs=1e-4)
    assert out["upper99_8"] == pytest.approx(2272.1520, abs=1e-4)
    assert out["method"] == "Dobson, with confidence adjusted for non-independent events"
    # Treating the 30 events as independent (Var = (36*14 + 4*16)/1e8) gives the narrower
    # (735.1853, 1718.1939).
    events = frequency_frame().iloc[[0, 2]].assign(numerator=[14, 16])
    naive = dsr(events, standard=None).iloc[0]
    assert naive["value"] == pytest.approx(1160.0)
    assert naive["lower95"] == pytest.approx(735.1853, abs=1e-4)
    assert naive["upper95"] == pytest.approx(1718.1939, abs=1e-4)


def test_frequency_rows_must_share_population_and_standard():
    bad = frequency_frame().assign(denominator=[1000, 999, 2000, 2000])
    with pytest.raises(InputError, match=r"'denominator' differs between the frequency rows.*'A'"):
        dsr(bad, standard=None, frequency="events")
    bad = frequency_frame().assign(standard_population=[6000, 5000, 4000, 4000])
    with pytest.raises(InputError, match=r"'standard_population' differs within one"):
        dsr(bad, standard=None, frequency="events")
    with pytest.raises(InputError, match=r"frequency needs the column 'age_band' named by"):
        dsr(frequency_frame().drop(columns="age_band"), standard=None, frequency="events")


band_counts = st.lists(st.integers(0, 60), min_size=19, max_size=19)


@settings(max_examples=40, deadline=None)
@given(band_counts, band_counts)
def test_grouping_equals_each_group_alone_and_limits_widen(first, second):
    data = pd.concat(
        [
            esp_frame(n=5000).assign(area="p", numerator=first),
            esp_frame(n=8000).assign(area="q", numerator=second),
        ]
    )
    grouped = dsr(data, group_by="area").set_index("area")
    for name, part in data.groupby("area"):
        alone = dsr(part.drop(columns="area")).iloc[0]
        row = grouped.loc[name]
        for column in ["value", "lower95", "upper95", "lower99_8", "upper99_8"]:
            assert row[column] == pytest.approx(alone[column], rel=1e-12, nan_ok=True)
        if row["total_count"] >= 10:
            assert row["lower99_8"] < row["lower95"] < row["value"]
            assert row["value"] < row["upper95"] < row["upper99_8"]
