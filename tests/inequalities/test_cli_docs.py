"""Every worked example in docs/inequalities.md runs, and prints what the page shows.

In the page's ```console blocks, a line starting ``$ inequalities`` is a command (run from
the repository root; ``{tmp}`` becomes a temporary folder); the lines after it, up to the
next command or a ``...`` line, are the first lines of its standard output.
"""

import re
import shlex
from pathlib import Path

import pytest

from inequalities.cli import main

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "inequalities.md"


def examples() -> list[tuple[str, list[str]]]:
    found = []
    for block in re.findall(r"```console\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S):
        command = None
        expected: list[str] = []
        stopped = False
        for line in block.splitlines():
            if line.startswith("$ inequalities "):
                if command:
                    found.append((command, expected))
                command, expected, stopped = line[2:], [], False
            elif command and line == "...":
                stopped = True
            elif command and not stopped:
                expected.append(line)
        if command:
            found.append((command, expected))
    return found


EXAMPLES = examples()


def test_the_guide_has_an_example_for_every_subcommand():
    used = {shlex.split(command)[1] for command, _ in EXAMPLES}
    subcommands = {"proportion", "rate", "mean", "dsr", "isr", "quantile", "sii", "funnel"}
    subcommands |= {"spc", "disclose", "profile", "lookup"}
    assert subcommands <= used


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_worked_example(command, expected, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    argv = shlex.split(command.replace("{tmp}", str(tmp_path)))[1:]
    status = main(argv)
    out, err = capsys.readouterr()
    if status == 2 and "Reference file" in err:
        pytest.skip("reference files are not in data/reference")
    assert status == 0, err
    assert out.splitlines()[: len(expected)] == expected
