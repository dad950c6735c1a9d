"""Domain code never imports Textual: only tui/ and cli.py may (the TUI is a thin skin)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "coinloop"
ALLOWED = {"cli.py"}


def _imports_textual(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "textual" for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            lines.append(node.lineno)
    return lines


def test_only_tui_imports_textual():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "tui" or str(rel) in ALLOWED:
            continue
        offenders += [f"{rel}:{n}" for n in _imports_textual(path)]
    assert offenders == []


def test_checker_detects_an_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from textual.app import App\n")
    assert _imports_textual(bad) == [2]
