"""Layer contracts, checked on every import statement in src/coinloop (TYPE_CHECKING imports included,
as import-linter counts them):

1. Textual only in the skin: nothing outside tui/, cli*.py and serve imports textual.
2. The TUI never reaches into the wallet: tui/ may import only the value types the areas hand it
   (`Entry`, `InsufficientFunds`) from coinloop.save, never the Wallet, its records or its store.
3. Areas take their collaborators, not the Session: areas/ never imports coinloop.session.
4. Screens see view models, not the save: nothing in tui/ reads `<x>.wallet` (the economy's wallet
   settings, `economy.wallet`, aside). Balance changes come through `session.on_balance_change`,
   telemetry through `session.telemetry`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "coinloop"


@dataclass(frozen=True)
class Rule:
    name: str
    importers: tuple[str, ...]           # module prefixes the rule applies to ("" = every module)
    forbidden: str                       # a top-level package or a coinloop module prefix
    exempt: tuple[str, ...] = ()         # importer prefixes left out
    allowed_names: frozenset[str] = field(default_factory=frozenset)   # `from forbidden import NAME` allowed


RULES = (
    Rule("no Textual outside the TUI", ("coinloop",), "textual",
         exempt=("coinloop.tui", "coinloop.cli", "coinloop.serve")),
    Rule("tui does not import the wallet", ("coinloop.tui",), "coinloop.save",
         allowed_names=frozenset({"Entry", "InsufficientFunds"})),
    Rule("areas do not import the session", ("coinloop.areas",), "coinloop.session"),
)


def module_name(path: Path, src: Path = SRC) -> str:
    rel = path.relative_to(src.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def violations(path: Path, rule: Rule, src: Path = SRC) -> list[str]:
    """`path:line: imports X` for every import in `path` that breaks `rule`."""
    importer = module_name(path, src)
    if not any(_under(importer, p) for p in rule.importers) or any(_under(importer, p) for p in rule.exempt):
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _under(alias.name, rule.forbidden):
                    found.append(f"{path.relative_to(src.parent)}:{node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, importer, path.name == "__init__.py")
            if module == rule.forbidden and all(a.name in rule.allowed_names for a in node.names):
                continue
            if _under(module, rule.forbidden):
                names = ", ".join(a.name for a in node.names)
                found.append(f"{path.relative_to(src.parent)}:{node.lineno}: imports {module} ({names})")
    return found


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_layer_contract(rule: Rule):
    offenders = [v for path in sorted(SRC.rglob("*.py")) for v in violations(path, rule)]
    assert offenders == [], f"{rule.name}:\n" + "\n".join(offenders)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "coinloop"
    for name, text in files.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return src


def _check(src: Path) -> dict[str, list[str]]:
    return {r.name: [v for p in sorted(src.rglob("*.py")) for v in violations(p, r, src)] for r in RULES}


def test_each_rule_catches_a_bad_import(tmp_path):
    src = _tree(tmp_path, {
        "story/x.py": "def f():\n    from textual.app import App\n",
        "tui/screens/y.py": "from coinloop.save import Wallet\nfrom coinloop.save.records import get_daily\n",
        "areas/z.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..session import Session\n",
    })
    found = _check(src)
    assert found["no Textual outside the TUI"] == ["coinloop/story/x.py:2: imports textual.app (App)"]
    assert found["tui does not import the wallet"] == [
        "coinloop/tui/screens/y.py:1: imports coinloop.save (Wallet)",
        "coinloop/tui/screens/y.py:2: imports coinloop.save.records (get_daily)",
    ]
    assert found["areas do not import the session"] == ["coinloop/areas/z.py:3: imports coinloop.session (Session)"]


def test_allowed_imports_pass(tmp_path):
    src = _tree(tmp_path, {
        "tui/app.py": "import textual\nfrom coinloop.save import Entry, InsufficientFunds\nfrom coinloop.session import Session\n",
        "cli.py": "from textual.app import App\n",
        "areas/story.py": "from coinloop.save import records\n",
    })
    assert _check(src) == {r.name: [] for r in RULES}


# --- 4. screens do not read the save ------------------------------------------------------------------

def wallet_reads(path: Path, src: Path = SRC) -> list[str]:
    """`path:line: reads X.wallet` for every `.wallet` attribute in tui/ (the app included)."""
    importer = module_name(path, src)
    if not _under(importer, "coinloop.tui"):
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [f"{path.relative_to(src.parent)}:{node.lineno}: reads {ast.unparse(node)}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "wallet"
            and not (isinstance(node.value, ast.Attribute) and node.value.attr == "economy")]   # economy.wallet: config


def test_screens_do_not_read_the_save():
    offenders = [v for path in sorted(SRC.rglob("*.py")) for v in wallet_reads(path)]
    assert offenders == [], "\n".join(offenders)


def test_the_wallet_read_rule_catches_a_read(tmp_path):
    src = _tree(tmp_path, {
        "tui/screens/a.py": "def f(self):\n    return self.session.wallet.balance().total\n",
        "tui/screens/b.py": "def f(self):\n    track.paywall_left(self.session.wallet, 's', 1)\n"
                            "    return self.session.economy.wallet.confirm_spend_over\n",
        "tui/app.py": "def f(self, s):\n    s.wallet.on_change(self.g)\n",
        "areas/c.py": "def f(self):\n    return self.wallet.balance()\n",
    })
    found = [v for p in sorted(src.rglob("*.py")) for v in wallet_reads(p, src)]
    assert found == ["coinloop/tui/app.py:2: reads s.wallet",
                     "coinloop/tui/screens/a.py:2: reads self.session.wallet",
                     "coinloop/tui/screens/b.py:2: reads self.session.wallet"]
