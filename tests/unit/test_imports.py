"""The two import rules import-linter cannot state (its contracts, in pyproject.toml, hold the rest):

1. The TUI takes only value types from the save: tui/ may import `Entry` and `InsufficientFunds` from
   coinloop.save, never the Wallet or anything else its package re-exports (import-linter sees modules,
   not names, and `from coinloop.save import Wallet` is an import of the package).
2. Screens see view models, not the save: nothing in tui/ reads `<x>.wallet` (the economy's wallet
   settings, `economy.wallet`, aside). Balance changes come through `session.on_balance_change`,
   telemetry through `session.telemetry`: no exemption.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "coinloop"
SAVE_NAMES_FOR_TUI = frozenset({"Entry", "InsufficientFunds"})


def module_name(path: Path, src: Path = SRC) -> str:
    rel = path.relative_to(src.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _in_tui(path: Path, src: Path) -> bool:
    name = module_name(path, src)
    return name == "coinloop.tui" or name.startswith("coinloop.tui.")


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def save_names(path: Path, src: Path = SRC) -> list[str]:
    """`path:line: imports X from coinloop.save` for every name outside SAVE_NAMES_FOR_TUI (tui/ only)."""
    if not _in_tui(path, src):
        return []
    importer = module_name(path, src)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(node, importer, path.name == "__init__.py")
            bad = [a.name for a in node.names if module == "coinloop.save" and a.name not in SAVE_NAMES_FOR_TUI]
        elif isinstance(node, ast.Import):
            bad = [a.name for a in node.names if a.name == "coinloop.save"]   # `import coinloop.save`: all of it
        else:
            continue
        found += [f"{path.relative_to(src.parent)}:{node.lineno}: imports {name} from coinloop.save" for name in bad]
    return found


def wallet_reads(path: Path, src: Path = SRC) -> list[str]:
    """`path:line: reads X.wallet` for every `.wallet` attribute in tui/ (the app included)."""
    if not _in_tui(path, src):
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [f"{path.relative_to(src.parent)}:{node.lineno}: reads {ast.unparse(node)}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "wallet"
            and not (isinstance(node.value, ast.Attribute) and node.value.attr == "economy")]   # economy.wallet: config


def _scan(check, src: Path = SRC) -> list[str]:
    return [v for path in sorted(src.rglob("*.py")) for v in check(path, src)]


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "coinloop"
    for name, text in files.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return src


def test_the_tui_takes_only_value_types_from_the_save():
    assert _scan(save_names) == []


def test_screens_do_not_read_the_save():
    assert _scan(wallet_reads) == []


def test_the_save_names_rule_catches_a_wallet_import(tmp_path):
    src = _tree(tmp_path, {
        "tui/screens/y.py": "def f():\n    from coinloop.save import Entry, Wallet\n",
        "tui/screens/z.py": "from ...save import lots\nimport coinloop.save\n",
        "tui/app.py": "from coinloop.save import Entry, InsufficientFunds\n",
        "areas/story.py": "from coinloop.save import Wallet\n",
    })
    assert _scan(save_names, src) == [
        "coinloop/tui/screens/y.py:2: imports Wallet from coinloop.save",
        "coinloop/tui/screens/z.py:1: imports lots from coinloop.save",
        "coinloop/tui/screens/z.py:2: imports coinloop.save from coinloop.save",
    ]


def test_the_wallet_read_rule_catches_a_read(tmp_path):
    src = _tree(tmp_path, {
        "tui/screens/a.py": "def f(self):\n    return self.session.wallet.balance().total\n",
        "tui/screens/b.py": "def f(self):\n    track.paywall_left(self.session.wallet, 's', 1)\n"
                            "    return self.session.economy.wallet.confirm_spend_over\n",
        "tui/app.py": "def f(self, s):\n    s.wallet.on_change(self.g)\n",
        "areas/c.py": "def f(self):\n    return self.wallet.balance()\n",
    })
    assert _scan(wallet_reads, src) == ["coinloop/tui/app.py:2: reads s.wallet",
                                        "coinloop/tui/screens/a.py:2: reads self.session.wallet",
                                        "coinloop/tui/screens/b.py:2: reads self.session.wallet"]
