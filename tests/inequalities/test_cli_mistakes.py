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


# --- the engine's option messages, in the CLI's own option names -------------------------------

QUINTILES = EXAMPLES / "quintiles.csv"
MONTHLY = EXAMPLES / "monthly.csv"
SMALL_COUNTS = EXAMPLES / "small_counts.csv"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["sii", QUINTILES, "--quantile", "quintile", "--transform"],
            "Option --transform applies only to rates and proportions (--value-type 1 or 2).",
        ),
        (
            ["sii", QUINTILES, "--quantile", "quintile", "--transform", "--value-type", "rate",
             "--se", "lower95"],
            "Option --transform needs 95% confidence limits (--lower95, --upper95), "
            "not a standard error column (--se).",
        ),
        (
            ["sii", QUINTILES, "--quantile", "quintile", "--draws", "10"],
            "Option --draws must be a whole number of at least 1,000, not 10.",
        ),
        (
            ["sii", QUINTILES, "--quantile", "quintile", "--multiplier", "0"],
            "Option --multiplier must be a finite, non-zero number, not 0.0.",
        ),
        (
            ["sii", QUINTILES, "--quantile", "quintile", "--upper95", "high"],
            "name a standard error column with option --se.",
        ),
        (
            ["spc", MONTHLY, "--date", "month", "--fix-after-n-points", "5"],
            "Option --fix-after-n-points must be a whole number of at least 12",
        ),
        (
            ["spc", MONTHLY, "--date", "month", "--trend-length", "2"],
            "Option --trend-length must be a whole number of at least 3, not 2.",
        ),
        (
            ["spc", MONTHLY, "--date", "month", "--shift-length", "1"],
            "Option --shift-length must be a whole number of at least 3, not 1.",
        ),
        (
            ["spc", MONTHLY, "--date", "month", "--target", "inf"],
            "Option --target must be a finite number, not inf.",
        ),
        (
            ["spc", MONTHLY, "--date", "month", "--rebase", "2024-01-01,soon"],
            "Option --rebase has values that are not dates: 'soon'.",
        ),
        (
            ["disclose", SMALL_COUNTS, "--counts", "people", "--threshold", "-1"],
            "Option --threshold must be a whole number of 0 or more, not -1.",
        ),
        (
            ["disclose", SMALL_COUNTS, "--counts", "people", "--rounding", "0"],
            "--rounding must be a whole number of 1 or more, or 'none', not '0'.",
        ),
        (
            ["funnel", PRACTICES, "--kind", "rate", "--rate-type", "dsr"],
            "Funnels of DSRs (--rate-type 'dsr') need option --rate naming the column",
        ),
        (
            ["funnel", PRACTICES, "--years-of-data", "0"],
            "Option --years-of-data must be a positive number, not 0.0.",
        ),
        (
            ["quantile", EXAMPLES / "lsoa_scores.csv", "--value", "imd_score", "--quantiles", "0"],
            "Option --quantiles must be at least 1, not 0.",
        ),
        (
            ["quantile", EXAMPLES / "lsoa_scores.csv", "--value", "imd_score",
             "--column", "imd_score"],
            "Option --column 'imd_score' would overwrite the input column 'imd_score'",
        ),
        (
            ["isr", EXAMPLES / "admissions_by_age.csv", "--refvalue", "0"],
            "Option --refvalue must be a positive number, not 0.0.",
        ),
        (
            ["proportion", PRACTICES, "--multiplier", "-1"],
            "Option --multiplier must be a positive number, not -1.0.",
        ),
        (
            ["dsr", EXAMPLES / "deaths_by_age.csv", "--standard", "column", "--standard-population",
             "numerator", "--age-band", "band", "--frequency", "numerator"],
            "Option --frequency needs the column 'band' named by --age-band",
        ),
    ],
)  # fmt: skip
def test_option_mistakes_name_the_cli_options_not_python_keywords(capsys, argv, message):
    status, out, err = run_cli(capsys, *argv)
    assert_one_line_error(status, out, err, f"inequalities {argv[0]}: error: ")
    assert message in err
    # no Python spellings: keyword=value, snake_case option names, None/True/False
    for python in ("=", "_length", "fix_after", "value_type", "years_of", "None", "True", "False"):
        assert python not in err, err


# --- a header without rows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "argv"),
    [
        ("numerator,denominator", ["proportion"]),
        ("numerator,denominator", ["rate"]),
        ("value", ["mean"]),
        ("age_band,numerator,denominator", ["dsr"]),
        ("numerator,denominator,ref_numerator,ref_denominator", ["isr"]),
        ("value", ["quantile"]),
        ("quantile,population,value,lower95,upper95", ["sii"]),
        ("numerator,denominator", ["funnel"]),
        ("date,value", ["spc"]),
        ("people", ["disclose", "--counts", "people"]),
    ],
)
def test_a_header_without_rows_is_refused_by_every_subcommand(capsys, tmp_path, header, argv):
    path = tmp_path / "header_only.csv"
    path.write_text(header + "\n")
    status, out, err = run_cli(capsys, argv[0], path, *argv[1:])
    assert_one_line_error(status, out, err, f"inequalities {argv[0]}: error: Input ")
    assert err.endswith("has no rows (only a header).\n"), err


def test_no_rows_on_standard_input_or_in_parquet_are_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("numerator,denominator\n"))
    status, out, err = run_cli(capsys, "proportion", "-")
    assert_one_line_error(status, out, err, "inequalities proportion: error: Input on standard")
    assert "has no rows" in err
    empty = tmp_path / "empty.parquet"
    pd.DataFrame({"numerator": pd.Series([], dtype="int64")}).to_parquet(empty)
    status, out, err = run_cli(capsys, "mean", empty, "--value", "numerator")
    assert_one_line_error(status, out, err, "inequalities mean: error: Input ")
    assert "has no rows" in err


def test_spc_rebases_periods_numbered_rather_than_dated(tmp_path, capsys):
    """Periods 1-24 with --rebase 12: a new segment from period 12, whose mean is its own
    (periods 12-24 of 10 + period mod 3: 142 / 13); a date there is a clear mistake."""
    data = tmp_path / "periods.csv"
    data.write_text("date,value\n" + "".join(f"{i},{10 + i % 3}\n" for i in range(1, 25)))
    status, out, err = run_cli(capsys, "spc", data, "--rebase", "12")
    assert status == 0, err
    chart = pd.read_csv(io.StringIO(out))
    assert chart.loc[chart["date"] < 12, "segment"].eq(1).all()
    assert chart.loc[chart["date"] >= 12, "segment"].eq(2).all()
    assert chart.loc[chart["date"] == 12, "mean"].item() == pytest.approx(142 / 13)
    assert_one_line_error(
        *run_cli(capsys, "spc", data, "--rebase", "2024-01-01"),
        "inequalities spc: error: Option --rebase has values that are not numbers, as the "
        "periods in column 'date' are: '2024-01-01'.",
    )
