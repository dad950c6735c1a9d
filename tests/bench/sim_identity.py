"""Proof that a simulator speed-up changes no output: `coinloop simulate --json` (and `coinloop thesis
--json`) byte for byte, on a base source tree and on this one.

    python -m tests.bench.sim_identity BASE_DIR [--only N,...] [--keep DIR]

BASE_DIR is a source tree of the commit to hold against (`git worktree add /tmp/base <commit>` or
`git archive <commit> | tar -x -C /tmp/base`); it runs with this interpreter and PYTHONPATH=BASE_DIR/src.
Both sides read the same content/ (this tree's) and the same economy files, so the JSON's paths agree.
The base runs on 1 worker, this tree on 2: every identical pair also proves 1 vs 2 workers. Bonus
expiry on is a copy of economy.toml with `bonus_expiry_days = 3`; "prices" one with a higher first
price. Prints IDENTICAL / DIFFERENT per configuration and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]
CONTENT = HERE / "content"


def _economies(tmp: Path) -> dict[str, Path]:
    """The economy variants the configurations name: "prices" (first price 35), "expiry" (bonus coins
    expire after 3 days)."""
    text = (CONTENT / "economy.toml").read_text()
    prices, n = re.subn(r"(?m)^price_base = \d+", "price_base = 35", text)
    expiry, m = re.subn(r"(?m)^bonus_expiry_days = 0\b", "bonus_expiry_days = 3", text)
    if not (n and m):
        sys.exit("sim_identity: economy.toml has no `price_base = N` or `bonus_expiry_days = 0` line to vary")
    out = {"prices": tmp / "econ_prices.toml", "expiry": tmp / "econ_expiry.toml"}
    out["prices"].write_text(prices)
    out["expiry"].write_text(expiry)
    return out


def configurations(econ: dict[str, Path]) -> list[list[str]]:
    """11 runs: seeds 1-6, 14 to 60 days, a --compare, bonus expiry on, a thesis with split wallets."""
    return [
        ["simulate", "-n", "300", "-d", "30", "-s", "1"],
        ["simulate", "-n", "300", "-d", "30", "-s", "2"],
        ["simulate", "-n", "400", "-d", "14", "-s", "3"],
        ["simulate", "-n", "200", "-d", "60", "-s", "4"],
        ["simulate", "-n", "300", "-d", "30", "-s", "5", "--compare", str(econ["prices"])],
        ["simulate", "-n", "300", "-d", "30", "-s", "1", "--economy", str(econ["expiry"])],
        ["simulate", "-n", "300", "-d", "45", "-s", "2", "--economy", str(econ["expiry"]),
         "--compare", str(econ["prices"])],
        ["simulate", "-n", "200", "-d", "30", "-s", "3", "--sweep", "episodes.price_base=20,40"],
        ["simulate", "-n", "1300", "-d", "14", "-s", "6"],   # 6 chunks: a worker runs several of one run
        ["thesis", "--arms", "shared,split", "-n", "200", "-d", "31", "-s", "4"],
        ["thesis", "--arms", "shared,drama-only,games-only", "-n", "150", "-d", "20", "-s", "5",
         "--economy", str(econ["expiry"])],
    ]


def _run(tree: Path, args: list[str], workers: int, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    cmd = [sys.executable, "-c", "import sys; from coinloop.cli import main; sys.argv[0] = 'coinloop'; main()",
           *args, "--content", str(CONTENT), "-w", str(workers), "--json", str(out)]
    return subprocess.Popen(cmd, env=env, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", type=Path, help="the base source tree (with src/)")
    ap.add_argument("--only", default="", help="comma-separated configuration numbers (1-based)")
    ap.add_argument("--keep", type=Path, help="write the JSON files here (default: a temporary folder)")
    opts = ap.parse_args(argv)
    base = opts.base.resolve()
    if not (base / "src" / "coinloop").is_dir():
        sys.exit(f"sim_identity: {base} has no src/coinloop")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = opts.keep or Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        confs = configurations(_economies(tmp))
        pick = {int(x) for x in opts.only.split(",") if x} or set(range(1, len(confs) + 1))
        bad = 0
        for i, args in enumerate(confs, 1):
            if i not in pick:
                continue
            a, b = tmp / f"{i}-base.json", tmp / f"{i}-new.json"
            procs = [_run(base, args, 1, a), _run(HERE, args, 2, b)]   # the two sides at once
            errors = [p.communicate()[1] for p in procs]
            label = " ".join(x if not x.startswith("/") else Path(x).name for x in args)
            if any(p.returncode for p in procs):
                print(f"FAILED     {i}: {label}: " + " | ".join(e.decode()[-300:] for e in errors))
                bad += 1
                continue
            same = a.read_bytes() == b.read_bytes()
            bad += not same
            digest = hashlib.sha256(b.read_bytes()).hexdigest()[:12]
            print(f"{'IDENTICAL' if same else 'DIFFERENT'}  {i}: {label}  ({b.stat().st_size:,} bytes, "
                  f"sha256 {digest})", flush=True)
        print(f"{len(pick) - bad} of {len(pick)} configurations byte-identical (base 1 worker, this tree 2)")
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
