"""Files in the wrong format, and the help text: what an analyst meets on a first try.

A file's name says how it is read (``.parquet``: Parquet, anything else: CSV). A file whose
contents do not match, a workbook, text in another encoding, or CSV separated by semicolons
gets one line naming the file and what to do, with exit status 2, never a traceback.
"""

import argparse
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from inequalities.cli import build_parser, main

DATA = Path(__file__).parent / "data"
PRACTICES = DATA / "examples" / "practices.csv"


def run_cli(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def one_line_error(capsys, *argv) -> str:
    status, out, err = run_cli(capsys, *argv)
    assert (status, out) == (2, ""), err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert err.startswith(f"inequalities {argv[0]}: error: "), err
    return err


@pytest.fixture
def practices() -> pd.DataFrame:
    return pd.read_csv(PRACTICES)


def test_a_parquet_file_named_csv_is_named_as_parquet(capsys, tmp_path, practices):
    practices.to_parquet(tmp_path / "practices.csv")
    err = one_line_error(capsys, "proportion", tmp_path / "practices.csv")
    assert "is a Parquet file, but its name does not end in .parquet" in err
    assert "rename it to end in .parquet" in err


def test_a_csv_file_named_parquet_says_so(capsys, tmp_path):
    (tmp_path / "practices.parquet").write_bytes(PRACTICES.read_bytes())
    err = one_line_error(capsys, "rate", tmp_path / "practices.parquet")
    assert "'" + str(tmp_path / "practices.parquet") + "' is not a Parquet file" in err
    assert "rename it to end in .csv" in err


def test_an_excel_workbook_is_refused_with_how_to_save_it_as_csv(capsys, tmp_path, practices):
    pytest.importorskip("openpyxl")
    practices.to_excel(tmp_path / "practices.xlsx", index=False)
    err = one_line_error(capsys, "proportion", tmp_path / "practices.xlsx")
    assert "practices.xlsx' is a spreadsheet workbook, not CSV or Parquet" in err
    assert "'CSV UTF-8 (Comma delimited)'" in err


@pytest.mark.parametrize("name", ["book.csv", "book.xls"])
def test_a_workbook_under_any_name_is_recognised(capsys, tmp_path, name):
    path = tmp_path / name
    if name.endswith(".csv"):  # an .xlsx renamed: a zip archive
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    else:  # the old binary format
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    err = one_line_error(capsys, "mean", path)
    assert "is a spreadsheet workbook" in err


def test_text_that_is_not_utf8_names_the_line(capsys, tmp_path):
    path = tmp_path / "windows.csv"
    path.write_bytes("area,numerator,denominator\nA,1,2\nB \u00a3,3,4\n".encode("cp1252"))
    err = one_line_error(capsys, "proportion", path)
    assert "is not UTF-8 text (line 3, counting the header as line 1)" in err


def test_utf16_text_is_named(capsys, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("numerator,denominator\n1,2\n".encode("utf-16"))
    err = one_line_error(capsys, "proportion", path)
    assert "is UTF-16 text, not UTF-8" in err


@pytest.mark.parametrize(("separator", "called"), [(";", "semicolons"), ("\t", "tabs")])
def test_csv_separated_by_something_else_says_by_what(capsys, tmp_path, separator, called):
    path = tmp_path / "other.csv"
    path.write_text(f"numerator{separator}denominator\n1{separator}2\n")
    err = one_line_error(capsys, "proportion", path)
    assert f"has one column, 'numerator{separator}denominator'".replace("\t", "\\t") in err
    assert f"separated by {called}, not commas" in err


def test_parquet_on_standard_input_is_named(capsys, monkeypatch, practices):
    data = io.BytesIO()
    practices.to_parquet(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.getvalue())))
    err = one_line_error(capsys, "proportion", "-")
    assert "Standard input is Parquet, not CSV: give the file's name instead of '-'." in err


def test_parquet_piped_into_a_real_process_gives_no_traceback(practices):
    data = io.BytesIO()
    practices.to_parquet(data)
    done = subprocess.run(
        [sys.executable, "-m", "inequalities", "proportion", "-"],
        input=data.getvalue(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "inequalities proportion: error: Standard input is Parquet, not CSV: give the file's "
        "name instead of '-'.\n"
    )


def test_csv_with_a_byte_order_mark_on_standard_input_is_read(capsys, monkeypatch):
    text = "\ufeffnumerator,denominator\n1,4\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    status, out, err = run_cli(capsys, "proportion", "-")
    assert status == 0, err
    assert pd.read_csv(io.StringIO(out)).value.tolist() == [0.25]


def test_a_profile_extract_in_the_wrong_format_is_named(capsys, tmp_path):
    pd.read_csv(DATA / "profile_people.csv").to_parquet(tmp_path / "people.csv")
    err = one_line_error(
        capsys, "profile", tmp_path / "people.csv", "--spec", DATA / "profile_spec.yaml",
        "--lookup", DATA / "profile_lookup.csv",
    )  # fmt: skip
    assert "The extract file '" in err
    assert "people.csv' is a Parquet file, but its name does not end in .parquet" in err


def test_a_profile_lookup_workbook_is_named(capsys, tmp_path):
    with zipfile.ZipFile(tmp_path / "lookup.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    err = one_line_error(
        capsys, "profile", DATA / "profile_people.csv", "--spec", DATA / "profile_spec.yaml",
        "--lookup", tmp_path / "lookup.xlsx",
    )  # fmt: skip
    assert "The lookup file '" in err and "lookup.xlsx' is a spreadsheet workbook" in err


def test_out_with_a_workbook_name_is_refused_before_anything_is_written(capsys, tmp_path):
    out = tmp_path / "results.xlsx"
    err = one_line_error(capsys, "proportion", PRACTICES, "--out", out)
    assert "argument --out: '" in err and "would be CSV under a workbook's name" in err
    assert not out.exists()


# --- help ---------------------------------------------------------------------------------------


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (choices,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(choices.choices)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_option_is_explained_and_shows_its_default(name):
    sub = subcommands()[name]
    for action in sub._actions:
        if not action.option_strings or action.dest == "help":
            continue
        option = action.option_strings[0]
        assert action.help, f"inequalities {name} {option} has no help text"
        if action.default not in (None, False):
            assert "default" in action.help, f"inequalities {name} {option} hides its default"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_help_points_to_the_worked_examples(name, capsys):
    assert main([name, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())  # as read, not as wrapped
    assert "docs/inequalities.md" in text
    assert "(default: no rounding)" in text
