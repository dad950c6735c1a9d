"""No import cycle inside src/coinloop, counting imports inside functions (a lazy import that dodges a
cycle at start-up is still a cycle) and the package `__init__` every import of a submodule runs.
Imports under `if TYPE_CHECKING:` do not count: they never run.

ast rather than grimp: grimp leaves out the implicit edge to a submodule's package `__init__`, which is
how `economy -> games -> economy.config` closes.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def modules(src: Path) -> dict[str, Path]:
    found = {}
    for path in src.rglob("*.py"):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _targets(node: ast.Import | ast.ImportFrom, importer: str, mods: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = importer.split(".")
            if mods[importer].name != "__init__.py":
                package = package[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join(package + ([base] if base else []))
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
    out = []
    for name in names:
        while name and name not in mods:      # `from pkg.mod import func` -> pkg.mod
            name = name.rpartition(".")[0]
        if name:
            out.append(name)
    return out


class _Imports(ast.NodeVisitor):
    def __init__(self, importer: str, mods: dict[str, Path]) -> None:
        self.importer, self.mods, self.found = importer, mods, set()

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        self.found.update(_targets(node, self.importer, self.mods))

    visit_ImportFrom = visit_Import  # noqa: N815 - ast.NodeVisitor dispatches on this exact name


def graph(src: Path) -> dict[str, set[str]]:
    mods = modules(src)
    edges = {}
    for name, path in mods.items():
        visitor = _Imports(name, mods)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        deps = set(visitor.found)
        for dep in visitor.found:             # importing a.b.c runs a/__init__ and a/b/__init__ first
            parts = dep.split(".")
            deps.update(".".join(parts[:i]) for i in range(1, len(parts)))
        # A submodule's own packages are already running when it runs, so the implicit edge to them is not
        # a dependency; an explicit import of one of them (`from pkg.serve import CONFIG` inside
        # pkg/serve/guard.py) is, and closes a cycle when that package imports the submodule.
        edges[name] = {d for d in deps if d in mods and d != name
                       and (d in visitor.found or not name.startswith(d + "."))}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def test_src_has_no_import_cycle():
    found = cycles(graph(SRC))
    assert found == [], "import cycles in src/ (one line each):\n" + "\n".join(" <-> ".join(c) for c in found)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_lazy_import_that_closes_a_cycle_is_a_cycle(tmp_path):
    src = _tree(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg.b import g\n",
        "b.py": "def g():\n    from . import a\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.d import X\n",
        "d.py": "import pkg.c\n",
    })
    assert cycles(graph(src)) == [["pkg.a", "pkg.b"]]


def test_a_submodule_import_runs_its_package_init(tmp_path):
    src = _tree(tmp_path, {
        "__init__.py": "",
        "econ/__init__.py": "from pkg.econ.config import load\n",
        "econ/config.py": "def load():\n    from pkg.games import REGISTRY\n",
        "games/__init__.py": "from pkg.games.base import Game\n",
        "games/base.py": "from pkg.econ.model import M\n",
        "econ/model.py": "M = 1\n",
    })
    assert cycles(graph(src)) == [["pkg.econ", "pkg.econ.config", "pkg.games", "pkg.games.base"]]


def test_a_submodule_that_imports_its_own_package_closes_a_cycle(tmp_path):
    """The package imports the submodule and the submodule imports a name from the package: a cycle (the
    serve package had one). The implicit edge from a submodule to its package alone is not."""
    src = _tree(tmp_path, {
        "__init__.py": "",
        "serve/__init__.py": "from pkg.serve.guard import guard\nPORT = 1\n",
        "serve/guard.py": "def guard():\n    from pkg.serve import PORT\n",
        "quiet/__init__.py": "from pkg.quiet.part import f\n",
        "quiet/part.py": "from pkg.quiet.other import g\n",
        "quiet/other.py": "g = 1\n",
    })
    assert cycles(graph(src)) == [["pkg.serve", "pkg.serve.guard"]]
