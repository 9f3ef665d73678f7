"""Option messages in Python terms for Python callers, and integer counts staying integers."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from inequalities.cli import main
from inequalities.disclosure import disclose
from inequalities.errors import InputError
from inequalities.spc import spc
from inequalities.stats import dsr, funnel, isr, proportion, quantile, rate
from inequalities.stats.sii import sii

EXAMPLES = Path(__file__).parent / "data" / "examples"


# --- the Python API keeps its keyword names ----------------------------------------------------


def quintiles() -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / "quintiles.csv").query("icb == 'North'")


def monthly() -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / "monthly.csv").rename(columns={"month": "date"})


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: sii(quintiles(), quantile="quintile", transform=True),
            "Option transform applies only to rates and proportions (value_type 1 or 2).",
        ),
        (
            lambda: sii(quintiles(), quantile="quintile", value_type=1, transform=True, se="x"),
            "Option transform needs 95% confidence limits (lower95, upper95), "
            "not a standard error column (se).",
        ),
        (
            lambda: spc(monthly(), fix_after_n_points=5),
            "Option fix_after_n_points must be a whole number of at least 12 (Making Data "
            "Count), not 5.",
        ),
        (
            lambda: spc(monthly(), trend_length=2),
            "Option trend_length must be a whole number of at least 3, not 2.",
        ),
        (
            lambda: funnel(pd.read_csv(EXAMPLES / "practices.csv"), kind="rate", rate_type="dsr"),
            "Funnels of DSRs (rate_type 'dsr') need option rate naming the column of DSR values.",
        ),
        (
            lambda: funnel(pd.read_csv(EXAMPLES / "practices.csv"), years_of_data=0),
            "Option years_of_data must be a positive number, not 0.",
        ),
        (
            lambda: disclose(pd.DataFrame({"n": [1]}), counts="n", rounding=0),
            "Option rounding must be a whole number of 1 or more, or None, not 0.",
        ),
        (
            lambda: disclose(pd.DataFrame({"n": [1]}), counts="n", threshold=-1),
            "Option threshold must be a whole number of 0 or more, not -1.",
        ),
        (
            lambda: quantile(pd.DataFrame({"v": [1.0]}), value="v", column="v"),
            "Option column 'v' would overwrite the input column 'v'; give the new quantile "
            "column another name.",
        ),
    ],
)
def test_python_callers_read_keyword_names(call, message):
    with pytest.raises(InputError) as caught:
        call()
    assert str(caught.value) == message


def test_an_option_error_carries_its_keywords_for_a_front_end_to_name():
    with pytest.raises(InputError) as caught:
        spc(monthly(), fix_after_n_points=5)
    error = caught.value
    assert error.options == ("fix_after_n_points",)
    worded = error.worded(lambda keyword: "--" + keyword.replace("_", "-"))
    assert worded.startswith("Option --fix-after-n-points must be a whole number of at least 12")


def test_a_plain_message_is_used_as_it_is_even_with_braces():
    error = InputError("Rate 'r' must be a pair, not {'a': 1}.")
    assert str(error) == error.worded(str.upper) == "Rate 'r' must be a pair, not {'a': 1}."
    assert error.options == ()


# --- summed integer counts stay integers -------------------------------------------------------


def counts(**columns) -> pd.DataFrame:
    return pd.DataFrame({"area": ["A", "A", "B"], **columns})


def test_grouped_integer_counts_sum_to_integers():
    out = proportion(counts(numerator=[1, 2, 3], denominator=[10, 10, 10]), group_by="area")
    assert out["numerator"].dtype == np.int64 and out["denominator"].dtype == np.int64
    assert out["numerator"].tolist() == [3, 3]
    assert out["value"].tolist() == pytest.approx([0.15, 0.3])
    out = rate(counts(numerator=[1, 2, 3], denominator=[10.5, 10, 10]), group_by="area")
    assert out["numerator"].dtype == np.int64
    assert out["denominator"].dtype == np.float64  # person-years stay as they were


def test_nullable_integer_counts_keep_missing_sums_missing():
    data = counts(numerator=pd.array([1, None, 3], dtype="Int64"), denominator=[10, 10, 10])
    out = proportion(data, group_by="area")
    assert str(out["numerator"].dtype) == "Int64"
    assert out["numerator"].isna().tolist() == [True, False]
    assert out["numerator"].iloc[1] == 3
    assert np.isnan(out["value"].iloc[0])


def test_float_counts_stay_floats():
    out = proportion(counts(numerator=[1.0, 2, 3], denominator=[10.0, 10, 10]), group_by="area")
    assert out["numerator"].dtype == np.float64


def test_standardised_counts_are_integers_when_their_inputs_are():
    bands = pd.read_csv(EXAMPLES / "deaths_by_age.csv")
    out = dsr(bands, group_by="area")
    assert out["total_count"].dtype == np.int64 and out["total_pop"].dtype == np.int64
    admissions = pd.read_csv(EXAMPLES / "admissions_by_age.csv")
    out = isr(admissions, group_by="area")
    assert out["observed"].dtype == np.int64
    assert out["expected"].dtype == np.float64


def run_cli(capsys, *argv) -> str:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def test_cli_prints_summed_counts_as_integers(capsys):
    out = run_cli(capsys, "proportion", EXAMPLES / "practices.csv", "--group-by", "icb")
    assert out.splitlines()[1].startswith("North,661,1070,")


def test_cli_reads_whole_numbers_with_blanks_as_counts(capsys, tmp_path, monkeypatch):
    text = "area,numerator,denominator,score\nA,3,10,1.0\nA,,5,\nB,4,8,2.0\nB,1,2,3.0\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    out = run_cli(capsys, "proportion", "-", "--group-by", "area")
    assert [line.split(",")[:3] for line in out.splitlines()[1:]] == [
        ["A", "", "15"],
        ["B", "5", "10"],
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    out = run_cli(capsys, "rate", "-", "--digits", "1")
    rows = [line.split(",")[:4] for line in out.splitlines()[1:]]
    # written as whole numbers: counts; written with decimals ("1.0"): left as they were
    assert rows == [["A", "3", "10", "1.0"], ["A", "", "5", ""], ["B", "4", "8", "2.0"],
                    ["B", "1", "2", "3.0"]]  # fmt: skip


def test_cli_reads_parquet_integers_with_nulls_as_counts(capsys, tmp_path):
    """As written by Spark or DuckDB: an int64 column with nulls and no pandas metadata."""
    path = tmp_path / "counts.parquet"
    frame = counts(numerator=pd.array([1, None, 3], dtype="Int64"), denominator=[10, 10, 10])
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path)
    assert pd.read_parquet(path)["numerator"].dtype == np.float64  # what pandas alone gives
    out = run_cli(capsys, "proportion", path)
    assert [line.split(",")[1] for line in out.splitlines()[1:]] == ["1", "", "3"]
