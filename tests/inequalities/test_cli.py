"""The inequalities command line: a round trip for every subcommand, and its errors."""

import datetime
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from inequalities.cli import main

DATA = Path(__file__).parent / "data"
ESP_BANDS = [f"{age}-{age + 4}" for age in range(0, 90, 5)] + ["90+"]


def run_cli(capsys, *argv):
    """(exit status, stdout, stderr) of an in-process run."""
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def csv_output(capsys, *argv) -> pd.DataFrame:
    status, out, err = run_cli(capsys, *argv)
    assert status == 0, err
    return pd.read_csv(io.StringIO(out))


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def counts_csv(tmp_path):
    frame = pd.DataFrame(
        {"area": ["A", "A", "B"], "num": [10, 5, 0], "den": [100, 50, 20]}
    )  # A: 15 / 150, B: 0 / 20
    return write_csv(tmp_path / "counts.csv", frame)


# --- one round trip per subcommand ------------------------------------------------------------


def test_proportion(capsys, counts_csv):
    table = csv_output(
        capsys, "proportion", counts_csv, "--numerator", "num", "--denominator", "den",
        "--group-by", "area", "--multiplier", "100",
    )  # fmt: skip
    assert list(table.area) == ["A", "B"]
    assert table.value.tolist() == pytest.approx([10.0, 0.0])
    assert {"lower95", "upper95", "lower99_8", "upper99_8", "method"} <= set(table.columns)
    assert table.method.tolist() == ["Wilson", "Wilson"]


def test_rate_with_one_confidence_level(capsys, counts_csv):
    table = csv_output(
        capsys, "rate", counts_csv, "--numerator", "num", "--denominator", "den",
        "--group-by", "area", "--confidence", "95",
    )  # fmt: skip
    assert table.value.tolist() == pytest.approx([10_000.0, 0.0])
    assert "lower99_8" not in table.columns
    assert table.method.tolist() == ["Byars", "Exact"]


def test_mean(capsys, tmp_path):
    path = write_csv(tmp_path / "m.csv", pd.DataFrame({"g": ["a"] * 3, "score": [1, 2, 6]}))
    table = csv_output(capsys, "mean", path, "--value", "score", "--group-by", "g")
    assert table.value.tolist() == [3.0]
    assert table.lower95[0] < 3 < table.upper95[0]


def test_dsr_with_the_built_in_standard_and_a_column(capsys, tmp_path):
    frame = pd.DataFrame(
        {"band": ESP_BANDS, "deaths": [10] * 19, "pop": [1000] * 19, "std": [1] * 19}
    )
    path = write_csv(tmp_path / "d.csv", frame)
    table = csv_output(
        capsys, "dsr", path, "--numerator", "deaths", "--denominator", "pop", "--age-band", "band"
    )
    assert table.value[0] == pytest.approx(1000.0)  # 1% in every band, per 100,000
    table = csv_output(
        capsys, "dsr", path, "--numerator", "deaths", "--denominator", "pop",
        "--age-band", "band", "--standard-population", "std",
    )  # fmt: skip
    assert table.value[0] == pytest.approx(1000.0)


def test_isr(capsys, tmp_path):
    frame = pd.DataFrame(
        {"numerator": [30], "denominator": [1000], "ref_numerator": [20], "ref_denominator": [1000]}
    )
    path = write_csv(tmp_path / "i.csv", frame)
    table = csv_output(capsys, "isr", path, "--refvalue", "100")
    assert table.value[0] == pytest.approx(150.0)  # O = 30, E = 20


def test_quantile_invert_and_no_invert(capsys, tmp_path):
    frame = pd.DataFrame({"lsoa": list("abcdefghij"), "score": range(10, 0, -1)})
    path = write_csv(tmp_path / "q.csv", frame)
    table = csv_output(capsys, "quantile", path, "--value", "score", "--quantiles", "5")
    assert table["quantile"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    table = csv_output(
        capsys, "quantile", path, "--value", "score", "--quantiles", "5", "--no-invert"
    )
    assert table["quantile"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_sii(capsys, tmp_path):
    frame = pd.DataFrame(
        {
            "q": [1, 2, 3, 4, 5],
            "pop": [1000] * 5,
            "value": [0.30, 0.25, 0.22, 0.20, 0.15],
            "lower95": [0.27, 0.22, 0.20, 0.18, 0.13],
            "upper95": [0.33, 0.28, 0.25, 0.23, 0.17],
        }
    )
    path = write_csv(tmp_path / "s.csv", frame)
    argv = ["sii", path, "--quantile", "q", "--population", "pop", "--value-type", "proportion",
            "--draws", "2000", "--seed", "3", "--multiplier", "100"]  # fmt: skip
    table = csv_output(capsys, *argv)
    # Equal populations: ranks 0.1 ... 0.9, slope of the values = -0.175 -> -17.5 points.
    assert table.sii[0] == pytest.approx(-17.5)
    for column in ("sii_lower95", "sii_upper95", "rii", "rii_lower95", "rii_upper95"):
        assert column in table.columns
    assert csv_output(capsys, *argv).equals(table)  # the same seed, the same limits


def test_funnel(capsys, counts_csv):
    table = csv_output(capsys, "funnel", counts_csv, "--numerator", "num", "--denominator", "den")
    assert set(table.columns) >= {"baseline", "significance"}


@pytest.fixture
def spc_csv(tmp_path):
    start = datetime.date(2024, 1, 1)
    rows = []
    for chart in ("A", "B"):
        for i in range(20):
            value = 50 + (i % 4) + (15 if chart == "B" and i == 19 else 0)
            rows.append(
                {"unit": chart, "month": start + datetime.timedelta(days=31 * i), "n": value}
            )
    return write_csv(tmp_path / "spc.csv", pd.DataFrame(rows))


def test_spc_points_carry_their_chart_icons(capsys, spc_csv):
    table = csv_output(
        capsys, "spc", spc_csv, "--date", "month", "--value", "n", "--group-by", "unit",
        "--target", "45",
    )  # fmt: skip
    assert len(table) == 40
    assert {"mean", "lpl", "upl", "point_type", "variation_icon", "assurance_icon"} <= set(
        table.columns
    )
    b = table[table.unit == "B"]
    assert b.point_type.iloc[-1] == "special_cause_improvement"
    assert set(b.variation_icon) == {"improvement_high"}
    assert b.assurance_icon.nunique() == 1


def test_spc_charts(capsys, spc_csv):
    table = csv_output(
        capsys, "spc", spc_csv, "--date", "month", "--value", "n", "--group-by", "unit", "--charts"
    )
    assert table.unit.tolist() == ["A", "B"]
    assert "variation_icon" in table.columns


def test_disclose(capsys, tmp_path):
    frame = pd.DataFrame({"area": ["A", "B", "C"], "count": [3, 22, 8]})
    path = write_csv(tmp_path / "c.csv", frame)
    table = csv_output(capsys, "disclose", path, "--counts", "count")
    assert pd.isna(table["count"][0])  # 3 is hidden
    assert table["count"][1:].tolist() == [20, 10]  # rounded to the nearest 5


def test_profile_to_stdout(capsys):
    status, out, err = run_cli(
        capsys, "profile", DATA / "profile_people.csv", "--spec", DATA / "profile_spec.yaml",
        "--lookup", DATA / "profile_lookup.csv",
    )  # fmt: skip
    assert status == 0
    table = pd.read_csv(io.StringIO(out))
    england = table[(table.indicator_id == "HYP") & (table.area_level == "england")]
    assert england.iloc[0][["numerator", "denominator"]].tolist() == [10, 16]
    assert "1 record has an LSOA that is not in the lookup" in err


def test_profile_out_dir_writes_parquet_csv_and_sql(capsys, tmp_path):
    status, _, err = run_cli(
        capsys, "profile", DATA / "profile_people.csv", "--spec", DATA / "profile_spec.yaml",
        "--lookup", DATA / "profile_lookup.csv", "--out-dir", tmp_path / "out",
    )  # fmt: skip
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "profile.csv",
        "profile.parquet",
        "profile.sql",
    ]
    assert "wrote" in err
    back = pd.read_parquet(tmp_path / "out" / "profile.parquet")
    assert (back.row_type == "sii").any()


def test_profile_sql_only_in_the_spark_dialect(capsys):
    status, out, _ = run_cli(
        capsys, "profile", DATA / "profile_people.csv", "--spec", DATA / "profile_spec.yaml",
        "--lookup", DATA / "profile_lookup.csv", "--sql-only", "--dialect", "spark",
    )  # fmt: skip
    assert status == 0
    assert "GROUPING SETS" in out and "`hyp` = 1" in out


def test_lookup_builds_from_reference_files(capsys, tmp_path):
    out = tmp_path / "lookup.parquet"
    status, _, err = run_cli(capsys, "lookup", "--out", out)
    if status == 2 and "was not found" in err:
        pytest.skip("reference files are not in data/reference")
    assert status == 0, err
    lookup = pd.read_parquet(out)
    assert len(lookup) == 32_844
    assert lookup.region.nunique() == 9 and lookup.icb.nunique() == 42
    assert set(lookup.core20) == {0, 1}


# --- input and output -------------------------------------------------------------------------


def test_stdin_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("numerator,denominator\n1,4\n"))
    table = csv_output(capsys, "proportion", "-")
    assert table.value.tolist() == [0.25]


def test_out_parquet_and_parquet_input(capsys, tmp_path, counts_csv):
    out = tmp_path / "out.parquet"
    status, stdout, _ = run_cli(
        capsys, "proportion", counts_csv, "--numerator", "num", "--denominator", "den",
        "--out", out,
    )  # fmt: skip
    assert status == 0 and stdout == ""
    written = pd.read_parquet(out)
    assert len(written) == 3
    again = csv_output(capsys, "proportion", out, "--numerator", "num", "--denominator", "den")
    assert again.value.tolist() == pytest.approx(written.value.tolist())


def test_out_csv(capsys, tmp_path, counts_csv):
    out = tmp_path / "out.csv"
    assert run_cli(capsys, "rate", counts_csv, "--numerator", "num", "--denominator", "den",
                   "--out", out)[0] == 0  # fmt: skip
    assert pd.read_csv(out).value.tolist() == pytest.approx([10_000, 10_000, 0])


def test_comma_and_repeated_group_by(capsys, tmp_path):
    frame = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "y", "x"], "c": ["p"] * 3,
                          "numerator": [1, 2, 3], "denominator": [4, 4, 4]})  # fmt: skip
    path = write_csv(tmp_path / "g.csv", frame)
    table = csv_output(capsys, "proportion", path, "--group-by", "a,b", "--group-by", "c")
    assert list(table.columns[:3]) == ["a", "b", "c"] and len(table) == 3


# --- errors: stderr, status 2, no traceback ---------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["proportion", "{missing}"], "does not exist"),
        (["proportion", "{counts}", "--numerator", "nope"], "Column 'nope' is missing"),
        (
            [
                "proportion",
                "{counts}",
                "--numerator",
                "num",
                "--denominator",
                "den",
                "--confidence",
                "0.5",
            ],
            "Confidence level 0.5 is outside",
        ),
        (["rate", "{counts}", "--numerator", "num", "--denominator", "den"], "zero or negative"),
        (["proportion", "{bad_csv}"], "not readable CSV"),
        (["proportion", "{empty}"], "is empty"),
        (["proportion", "{fake_parquet}"], "is not a Parquet file"),
        (["proportion", "{folder}"], "is a folder"),
        (["mean", "{counts}", "--value", "num", "--out", "{folder}/no/out.csv"], "does not exist"),
        (["disclose", "{counts}"], "Name the count columns"),
        (["disclose", "{counts}", "--counts", "num", "--rounding", "five"], "whole number"),
        (["profile", "{people}", "--spec", "{missing}", "--lookup", "{lookup}"], "does not exist"),
        (
            ["profile", "{people}", "--spec", "{bad_spec}", "--lookup", "{lookup}"],
            "Indicator 'X' numerator uses column 'nope', which is not in the extract",
        ),
        (["sii", "{counts}"], "Column 'quantile' is missing"),
        (["spc", "{counts}"], "date"),
    ],
)
def test_user_errors_exit_2_without_traceback(capsys, tmp_path, argv, message):
    (tmp_path / "bad.csv").write_text('a,b\n1,"2\n')
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "fake.parquet").write_text("not parquet")
    (tmp_path / "bad.yaml").write_text('indicators:\n  - id: X\n    numerator: "nope = 1"\n')
    (tmp_path / "folder").mkdir()
    names = {
        "missing": tmp_path / "missing.csv",
        "counts": write_csv(tmp_path / "c.csv", pd.DataFrame({"num": [1], "den": [0]})),
        "bad_csv": tmp_path / "bad.csv",
        "empty": tmp_path / "empty.csv",
        "fake_parquet": tmp_path / "fake.parquet",
        "folder": tmp_path / "folder",
        "people": DATA / "profile_people.csv",
        "lookup": DATA / "profile_lookup.csv",
        "bad_spec": tmp_path / "bad.yaml",
    }
    status, out, err = run_cli(capsys, *[a.format(**names) for a in argv])
    assert status == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert err.startswith("inequalities ")


def test_usage_errors_exit_2(capsys):
    status, _, err = run_cli(capsys, "proportion")
    assert status == 2 and "required" in err
    status, _, err = run_cli(capsys, "nonsense")
    assert status == 2 and "invalid choice" in err
    assert run_cli(capsys, "--help")[0] == 0


def test_empty_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    status, _, err = run_cli(capsys, "proportion", "-")
    assert status == 2 and "Standard input is empty" in err


# --- a real process ---------------------------------------------------------------------------


def test_python_m_inequalities_in_a_subprocess(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "inequalities", "proportion", "-", "--multiplier", "100"],
        input="numerator,denominator\n1,4\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert pd.read_csv(io.StringIO(done.stdout)).value.tolist() == [25.0]
    failed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "inequalities", "rate", str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert failed.returncode == 2
    assert "does not exist" in failed.stderr and "Traceback" not in failed.stderr


def test_profile_extract_from_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO((DATA / "profile_people.csv").read_text()))
    table = csv_output(
        capsys, "profile", "-", "--spec", DATA / "profile_spec.yaml",
        "--lookup", DATA / "profile_lookup.csv",
    )  # fmt: skip
    assert table.iloc[0][["numerator", "denominator"]].tolist() == [10, 16]


def test_method_warnings_go_to_stderr(capsys, tmp_path):
    rows = [
        {"g": g, "q": q, "population": 100, "value": 0.1 * q, "lower95": 0.1 * q - 0.05,
         "upper95": 0.1 * q + 0.05}
        for g in ("complete", "short") for q in range(1, 6) if not (g == "short" and q == 5)
    ]  # fmt: skip
    path = write_csv(tmp_path / "s.csv", pd.DataFrame(rows))
    status, out, err = run_cli(
        capsys, "sii", path, "--quantile", "q", "--group-by", "g", "--draws", "1000", "--seed", "1"
    )
    assert status == 0
    assert pd.read_csv(io.StringIO(out)).g.tolist() == ["complete"]
    assert err.startswith("warning: SII not calculated for group ('short',)")
