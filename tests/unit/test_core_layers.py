"""The rules core stays pure and the areas stay adapters: checked on the import graph (ast)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "coinloop"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path in sorted((SRC / folder).glob("*.py")):
        for name in sorted(_imports(path)):
            if name.startswith(forbidden):
                bad.append(f"{path.name} imports {name}")
    return bad


def test_core_has_no_io_no_ui_and_no_clock():
    assert _offenders("core", ("sqlite3", "sqlite_utils", "textual", "coinloop.save", "coinloop.areas",
                               "coinloop.session", "coinloop.story", "coinloop.tui", "time", "os")) == []


def test_areas_take_collaborators_and_never_import_the_session():
    assert _offenders("areas", ("coinloop.session", "coinloop.tui", "textual")) == []


def test_the_checker_sees_a_bad_import(tmp_path, monkeypatch):
    folder = tmp_path / "core"
    folder.mkdir()
    (folder / "bad.py").write_text("import sqlite3\nfrom coinloop.session import Session\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", tmp_path)
    assert _offenders("core", ("sqlite3", "coinloop.session")) == ["bad.py imports coinloop.session",
                                                                   "bad.py imports sqlite3"]
