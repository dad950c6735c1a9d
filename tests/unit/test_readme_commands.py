"""Every command line the README shows works (issue 10, defect 2).

The README's shell blocks and its command table are parsed; each `coinloop ...` synopsis is turned
into a concrete, harmless command line (placeholders filled with a throwaway save, the bundled
content, small numbers; optional parts included) and run in-process. Commands that would start the
TUI run with --help, which still parses every option given before it. `make TARGET` lines are
checked with `make -n` (the target exists and its recipe resolves, nothing is run).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli import cli

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
# these start the TUI, a server or a long run (each has its own tests; `personas fit` needs played saves):
# run with --help instead, which
# still parses every option name given before it
TUI_COMMANDS = {"", "play", "demo", "dashboard", "serve", "simulate", "report", "personas", "thesis"}
SAVE_GROUPS = {"wallet", "clock"}           # commands over a save: always a throwaway one here


def readme_commands() -> tuple[list[str], list[str]]:
    """(coinloop synopses, make targets) found in README.md's sh blocks and tables."""
    text = README.read_text(encoding="utf-8")
    coinloop, make = [], []
    for block in re.findall(r"```(?:sh|bash|console|shell)\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip().removeprefix("$ ")
            if line.startswith("coinloop"):
                coinloop.append(line)
            elif line.startswith("make "):
                make += line.split()[1:2]
            elif line.startswith(("PYTHON=", "COINLOOP_")) and " make " in line:
                make += line.split(" make ", 1)[1].split()[:1]
    for row in re.findall(r"^\|.*$", text, flags=re.M):       # table rows: every `coinloop ...` span
        for cell in re.findall(r"`(coinloop[^`]*)`", row):
            coinloop.append(cell.replace("\\|", "|"))
    return coinloop, sorted(set(make))


PLACEHOLDERS = {
    "NAME|PATH": "{save}", "NAME": "{save}", "PATH": "{save}", "...": "{save}", "DIR": "{content}",
    "AMOUNT": "5", "N": "3", "PREFIX": "game:", "FILE": "{out}", "DURATION": "1d",
}


def concrete(synopsis: str) -> list[str]:
    """'coinloop wallet [--save ...] balance [--json]' -> ['wallet', '--save', '{save}', 'balance', '--json']."""
    text = synopsis.removeprefix("coinloop").strip()
    text = re.sub(r"\[([^\[\]]*)\]", r"\1", text)            # optional parts: include them
    words = []
    for word in shlex.split(text):
        if word in PLACEHOLDERS:
            words.append(PLACEHOLDERS[word])
        elif "|" in word and word not in PLACEHOLDERS:       # a choice like csv|json: take the first
            words.append(word.split("|")[0])
        else:
            words.append(word)
    return words


COINLOOP, MAKE = readme_commands()


def test_the_readme_lists_commands():
    assert len(COINLOOP) >= 5 and "test" in MAKE


@pytest.mark.parametrize("synopsis", COINLOOP)
def test_readme_command_line_runs(synopsis, tmp_path):
    values = {"save": str(tmp_path / "readme.db"), "content": str(ROOT / "content"), "out": str(tmp_path / "out")}
    args = [w.format(**values) for w in concrete(synopsis)]
    runner = CliRunner()
    if not (tmp_path / "readme.db").exists():
        runner.invoke(cli, ["wallet", "grant", "5", "--save", values["save"]])   # a save to read from
    if args and args[0] in SAVE_GROUPS and "--save" not in args:
        args += ["--save", values["save"]]                   # never the real saves/default.db
    first = next((a for a in args if not a.startswith("-")), "")
    if first in TUI_COMMANDS or (args and args[0] == "--save"):
        args = args + ["--help"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, f"coinloop {' '.join(args)}\n{result.output}"
    assert "Traceback" not in result.output


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", MAKE)
def test_readme_make_target_exists(target):
    done = subprocess.run(["make", "-n", "-C", str(ROOT), target], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
