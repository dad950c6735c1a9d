"""`make mutation` (python -m tests.mutation): run mutmut, then print a score per module and the survivors.

What is mutated is `[tool.mutmut] only_mutate` in pyproject.toml (add a module there; a glob that
matches nothing, like src/coinloop/core/* before the rules core exists, is skipped). Which tests run is
`pytest_add_cli_args_test_selection` (the unit tests): mutmut first records which of those tests
reach each function, then runs each mutant against only those tests, so every module meets its own
targeted selection without a hand-kept map.

A run starts from a fresh mutants/ folder unless --keep is given: mutmut caches verdicts per function
and would not re-test a survivor against tests written since, so only a fresh run is the honest score.
Full diffs of the survivors go to mutants/survivors.txt.

--survivors re-tests only the last run's survivors (and mutants no test reached) against the current
tests, keeping mutants/ and every other verdict: new tests only add kills, so this gives the score
after new tests in minutes instead of a full run. mutmut records which tests reach each function for
the new tests only. The full run stays the reference score.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KILLED = {"killed", "timeout", "caught by type check"}   # a hang is a detected mutant too


def configured_modules() -> list[str]:
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    return list(cfg["only_mutate"])


def existing_files(pattern: str) -> list[Path]:
    return sorted(p for p in ROOT.glob(pattern) if p.suffix == ".py" and p.name != "__init__.py")


def module_name(path: Path) -> str:
    """src/coinloop/save/wallet.py -> coinloop.save.wallet (the prefix of its mutant names)."""
    return ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)


def select(wanted: list[str]) -> list[Path]:
    files: list[Path] = []
    for pattern in configured_modules():
        found = existing_files(pattern)
        if not found:
            print(f"skipped: {pattern} (no such module yet)")
        files += [f for f in found if f not in files]
    if wanted:
        files = [f for f in files if any(w in str(f.relative_to(ROOT)) for w in wanted)]
        if not files:
            sys.exit(f"no configured module matches {' '.join(wanted)} (see [tool.mutmut] only_mutate)")
    return files


def run_mutmut(files: list[Path], jobs: int, everything: bool) -> int:
    names = [] if everything else [f"{module_name(f)}.*" for f in files]
    cmd = [str(Path(sys.executable).parent / "mutmut"), "run", "--max-children", str(jobs), *names]
    print("$", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT).returncode


def survivor_names(files: list[Path]) -> list[str]:
    """Mutants of `files` that survived the last run or that no test reached."""
    from mutmut.stats import status_by_exit_code

    names = []
    for f in files:
        meta = ROOT / "mutants" / f.relative_to(ROOT).with_suffix(".py.meta")
        if meta.exists():
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            names += [k for k, c in codes.items() if status_by_exit_code[c] in ("survived", "no tests")]
    return names


def rerun_survivors(files: list[Path], jobs: int) -> int:
    names = survivor_names(files)
    if not names:
        print("no survivors to re-test (run a full `make mutation` first)")
        return 0
    cmd = [str(Path(sys.executable).parent / "mutmut"), "run", "--max-children", str(jobs), *names]
    print(f"$ mutmut run --max-children {jobs} <{len(names)} survivors>", flush=True)
    return subprocess.run(cmd, cwd=ROOT).returncode


def report(files: list[Path]) -> int:
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    rows, survivors = [], {}
    for f in files:
        meta = ROOT / "mutants" / f.relative_to(ROOT).with_suffix(".py.meta")
        if not meta.exists():
            rows.append((f, Counter()))
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counts = Counter(status_by_exit_code[c] for c in codes.values())
        rows.append((f, counts))
        survivors[f] = sorted((k for k, c in codes.items() if status_by_exit_code[c] in ("survived", "no tests")),
                              key=lambda k: (k.rsplit("_", 1)[0], int(k.rsplit("_", 1)[1])))

    print(f"\n{'module':<34} {'mutants':>7} {'killed':>7} {'timeout':>7} {'survived':>8} {'no test':>7} {'score':>7}")
    for f, c in rows:
        tested = sum(n for s, n in c.items() if s not in ("not checked", "skipped"))
        killed = sum(c[s] for s in KILLED)
        score = f"{100 * killed / tested:6.1f}%" if tested else "    n/a"
        print(f"{str(f.relative_to(ROOT / 'src' / 'coinloop')):<34} {tested:>7} {c['killed'] + c['caught by type check']:>7}"
              f" {c['timeout']:>7} {c['survived']:>8} {c['no tests']:>7} {score:>7}")

    out = ROOT / "mutants" / "survivors.txt"
    lines_out = []
    for f, names in survivors.items():
        if not names:
            continue
        print(f"\nsurviving mutants in {f.relative_to(ROOT)} ({len(names)}):")
        for name in names:
            try:
                diff = get_diff_for_mutant(name, path=f.relative_to(ROOT))
            except Exception as exc:  # noqa: BLE001 - a report line, never a crash
                diff = f"(no diff: {exc})"
            print(f"  {name.split('.')[-1]}: {summary(diff)}")
            lines_out += [f"# {name}", diff, ""]
    if lines_out:
        out.write_text("\n".join(lines_out), encoding="utf-8")
        print(f"\nfull diffs: {out.relative_to(ROOT)}  (or: .venv/bin/mutmut show <name>)")
    return 0


def summary(diff: str, width: int = 110) -> str:
    """The changed part of a one-line mutant: `old → new` with a little context."""
    minus = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    plus = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    if len(minus) != 1 or len(plus) != 1:
        return f"{len(minus)} line(s) -> {len(plus)} line(s)"
    old, new = minus[0], plus[0]
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    ctx = max(0, start - 25)
    text = (f"{'…' if ctx else ''}{old[ctx:start]}[{old[start:len(old) - end]} → {new[start:len(new) - end]}]"
            f"{old[len(old) - end:][:25]}")
    return text if len(text) <= width else text[:width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make mutation", description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*",
                        help="only modules whose path contains one of these, e.g. save/ core/rules.py")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ and mutmut's cached verdicts")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested in parallel (default 2)")
    parser.add_argument("--report-only", action="store_true", help="only print the report of the last run")
    parser.add_argument("--survivors", action="store_true",
                        help="re-test only the last run's survivors against the current tests (keeps mutants/)")
    args = parser.parse_args(argv)

    files = select(args.modules)
    if args.survivors:
        start = time.monotonic()
        code = rerun_survivors(files, args.jobs)
        print(f"\nsurvivors re-tested in {time.monotonic() - start:.0f} s (exit {code})")
    elif not args.report_only:
        if not args.keep:
            shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        start = time.monotonic()
        code = run_mutmut(files, args.jobs, everything=not args.modules)
        print(f"\nmutmut finished in {time.monotonic() - start:.0f} s (exit {code})")
    return report(files)


if __name__ == "__main__":
    sys.exit(main())
