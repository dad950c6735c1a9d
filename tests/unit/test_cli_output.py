"""Both exports (`wallet export`, `telemetry export`) write through one helper (`cli.write_output`):
never onto the save they read, one line when the file cannot be written, and a reader that leaves
early (`| head`) is not an error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coinloop.cli import cli
from coinloop.session import Session
from tests.conftest import CONTENT

EXPORTS = {
    "wallet": lambda save, *extra: ["wallet", "export", "--save", str(save), *extra],
    "telemetry": lambda save, *extra: ["telemetry", "export", str(save), *extra],
}


@pytest.fixture
def save(tmp_path) -> Path:
    path = tmp_path / "big.db"
    s = Session.open(path, CONTENT)
    for _ in range(2000):                 # well past a pipe's 64 KiB buffer in either format
        s.wallet.earn(1, "designer:grant")
    s.close()
    return path


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_never_writes_over_the_save_it_reads(save, kind):
    data = save.read_bytes()
    result = CliRunner().invoke(cli, EXPORTS[kind](save, "-o", str(save)))
    assert result.exit_code == 1, result.output
    assert result.output.strip() == f"{save}: is one of the saves being read; choose another output file"
    assert save.read_bytes() == data


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_to_a_missing_folder_is_one_line(save, tmp_path, kind):
    out = tmp_path / "nofolder" / "x.out"
    result = CliRunner().invoke(cli, EXPORTS[kind](save, "-o", str(out)))
    assert result.exit_code == 1
    assert result.output.strip() == f"{out}: cannot write: No such file or directory"


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_reader_that_leaves_early_is_not_an_error(save, kind):
    coinloop = str(Path(sys.executable).with_name("coinloop"))
    proc = subprocess.Popen([coinloop, *EXPORTS[kind](save)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and len(proc.stdout.read(100)) == 100
    proc.stdout.close()                    # `| head -c 100`
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and err == b""
