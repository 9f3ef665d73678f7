"""Every worked example in docs/inequalities.md runs, and prints what the page shows.

In the page's ```console blocks, a line starting ``$ inequalities`` is a command (run from
the repository root; ``{tmp}`` becomes a temporary folder); the lines after it, up to the
next command or a ``...`` line, are its standard output: all of it, or with ``...`` its
first lines. A command shown with no output writes nothing there (it writes ``--out`` or
``--out-dir`` instead, which must then exist). Output whose first line is
``inequalities <subcommand>: error: ...`` is an error example: that is its standard error, and
it exits with status 2. Lines such as ``uv run inequalities --help`` (without ``$``) must run
and exit 0 too.
"""

import re
import shlex
from pathlib import Path

import pytest

from inequalities.cli import main

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "inequalities.md"


def console_blocks() -> list[str]:
    return re.findall(r"```console\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def examples() -> list[tuple[str, list[str], bool]]:
    """(command, expected output lines, whether the output goes on after them)."""
    found = []
    for block in console_blocks():
        command = None
        expected: list[str] = []
        stopped = False
        for line in block.splitlines():
            if line.startswith("$ inequalities "):
                if command:
                    found.append((command, expected, stopped))
                command, expected, stopped = line[2:], [], False
            elif command and line == "...":
                stopped = True
            elif command and not stopped:
                expected.append(line)
        if command:
            found.append((command, expected, stopped))
    return found


EXAMPLES = examples()
HELP_LINES = [
    line.removeprefix("uv run ")
    for block in console_blocks()
    for line in block.splitlines()
    if line.startswith("uv run inequalities ")
]


def test_the_guide_is_parsed():
    assert len(EXAMPLES) >= 15
    assert "inequalities --help" in HELP_LINES


def test_the_guide_has_an_example_for_every_subcommand():
    used = {shlex.split(command)[1] for command, _, _ in EXAMPLES}
    subcommands = {"proportion", "rate", "mean", "dsr", "isr", "quantile", "sii", "funnel"}
    subcommands |= {"spc", "disclose", "profile", "lookup"}
    assert subcommands <= used


@pytest.mark.parametrize(
    ("command", "expected", "goes_on"), EXAMPLES, ids=[c[:60] for c, _, _ in EXAMPLES]
)
def test_worked_example(command, expected, goes_on, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    argv = shlex.split(command.replace("{tmp}", str(tmp_path)))[1:]
    status = main(argv)
    out, err = capsys.readouterr()
    if status == 2 and "Reference file" in err:
        pytest.skip("reference files are not in data/reference")
    if expected and re.match(r"inequalities( \w+)?: error: ", expected[0]):
        assert (status, out, err.splitlines()) == (2, "", expected)
        return
    assert status == 0, err
    if goes_on:
        assert out.splitlines()[: len(expected)] == expected
        assert len(out.splitlines()) > len(expected)
    else:
        assert out.splitlines() == expected
    if not expected:
        for option in ("--out", "--out-dir"):
            if option in argv:
                assert Path(argv[argv.index(option) + 1]).exists(), f"{option} wrote nothing"


@pytest.mark.parametrize("line", HELP_LINES)
def test_help_lines_run(line, capsys):
    assert main(shlex.split(line)[1:]) == 0
    assert capsys.readouterr().out.startswith("usage: inequalities")
