"""Analysts' plausible mistakes: each one line on stderr, status 2, no traceback."""

import io
import warnings
from pathlib import Path

import pandas as pd
import pytest

from inequalities.cli import main
from inequalities.disclosure import disclose

EXAMPLES = Path(__file__).parent / "data" / "examples"
PRACTICES = EXAMPLES / "practices.csv"


def run_cli(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status, out, err, start):
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert err.startswith(start), err


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        (["proportion", PRACTICES, "--bogus"], "inequalities proportion: error: unrecognized"),
        (["rate", PRACTICES, "extra.csv"], "inequalities rate: error: unrecognized arguments"),
        (["lookup", "data.csv"], "inequalities lookup: error: unrecognized arguments: data.csv"),
        (["proportion", PRACTICES, "--multiplier", "abc"], "inequalities proportion: error: "),
        (["isr", PRACTICES, "--kind", "bogus"], "inequalities isr: error: argument --kind"),
        (["sii", PRACTICES, "--value-type", "percent"], "inequalities sii: error: argument"),
        (["proportion"], "inequalities proportion: error: the following arguments are required"),
        (["frobnicate", PRACTICES], "inequalities: error: argument COMMAND: invalid choice"),
    ],
)
def test_usage_mistakes_are_one_line_naming_the_subcommand(capsys, argv, start):
    status, out, err = run_cli(capsys, *argv)
    assert_one_line_error(status, out, err, start)
    assert "--help" in err


def test_negative_digits_are_refused(capsys):
    status, out, err = run_cli(capsys, "proportion", PRACTICES, "--digits", "-1")
    assert_one_line_error(status, out, err, "inequalities proportion: error: argument --digits")


def test_a_group_column_named_twice_counts_once(capsys):
    status, out, err = run_cli(
        capsys, "proportion", PRACTICES, "--group-by", "icb", "--group-by", "icb,icb"
    )
    assert status == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert table.icb.tolist() == ["North", "South"]
    assert table.numerator.tolist() == [661, 1017]


def test_a_count_column_named_twice_counts_once(capsys):
    status, out, err = run_cli(
        capsys, "disclose", EXAMPLES / "small_counts.csv", "--counts", "people,people"
    )
    assert status == 0 and err == ""
    assert list(pd.read_csv(io.StringIO(out)).columns) == [
        "ward",
        "ethnicity",
        "people",
        "people_status",
    ]


@pytest.mark.parametrize("column", ["month", "value"])
def test_spc_refuses_grouping_by_its_date_or_value_column(capsys, column):
    status, out, err = run_cli(
        capsys, "spc", EXAMPLES / "monthly.csv", "--date", "month", "--group-by", column
    )
    assert_one_line_error(status, out, err, "inequalities spc: error: ")
    assert f"Column {column!r} is the chart's" in err


def test_quantile_refuses_to_overwrite_its_value_column(capsys):
    status, out, err = run_cli(
        capsys, "quantile", EXAMPLES / "lsoa_scores.csv", "--value", "imd_score",
        "--column", "imd_score",
    )  # fmt: skip
    assert_one_line_error(status, out, err, "inequalities quantile: error: ")
    assert "would overwrite the input column 'imd_score'" in err


def test_the_same_confidence_level_twice_is_refused(capsys):
    status, out, err = run_cli(capsys, "proportion", PRACTICES, "--confidence", "95", "0.95")
    assert_one_line_error(status, out, err, "inequalities proportion: error: Confidence level")
    assert "given twice" in err


def test_disclosing_a_disclosed_table_again_gives_no_warning():
    once = disclose(pd.read_csv(EXAMPLES / "small_counts.csv"), counts=["people"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        twice = disclose(once, counts=["people"])
    assert list(twice.columns) == ["ward", "ethnicity", "people", "people_status"]
    assert twice.people.tolist() == once.people.tolist()
