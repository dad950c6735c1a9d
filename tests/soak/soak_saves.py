"""Save campaigns: kill -9 during a save's creation, several processes creating one new save at once.

`make soak` runs 300 kills and 100 four-process races; tests/unit/test_save_crash.py runs a small
seeded sample of the same functions in `make test`.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

START = 40

_CREATOR = textwrap.dedent(
    f"""
    import sys
    from coinloop.economy.model import WalletConfig
    from coinloop.save import Wallet
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        w = Wallet.open(sys.argv[1], config=WalletConfig(starting_balance={START}))
        print("ok", w.balance().total, len(w.history(limit=None)), flush=True)
    except BaseException as exc:
        print("error", type(exc).__name__, exc, flush=True)
        raise SystemExit(1)
    """
)


def _spawn(path: Path) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", _CREATOR, str(path)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    return p


def _go(p: subprocess.Popen) -> None:
    assert p.stdin is not None
    p.stdin.write("go\n")
    p.stdin.flush()


def opens_normally(path: Path) -> str | None:
    """None when the save opens, holds exactly the starting entry and verifies; else what is wrong."""
    from coinloop.economy.model import WalletConfig
    from coinloop.errors import SaveError
    from coinloop.save import Wallet
    from coinloop.save.chain import verify

    try:
        w = Wallet.open(path, config=WalletConfig(starting_balance=0))
    except SaveError as exc:
        return str(exc)
    try:
        history = w.history(limit=None)
        if [(e.source, e.amount) for e in history] != [("start", START)]:
            return f"unexpected entries {[(e.source, e.amount) for e in history]}"
        report = verify(w.conn)
        return None if report.ok else "; ".join(report.problems)
    finally:
        w.close()


@dataclass
class KillResult:
    tries: int = 0
    absent: int = 0          # killed before the save was published: no save, as promised
    opened: int = 0          # the save exists and opens normally
    mid_build: int = 0       # killed while its temp file existed (the dangerous window)
    window_ms: float = 0.0   # kills land uniformly in [0, window]: 1.2x a measured creation
    bricked: list[str] = field(default_factory=list)


def _creation_time(folder: Path) -> float:
    """Median seconds from "go" to an opened new save, measured now (the machine's load varies)."""
    times = []
    for i in range(3):
        p = _spawn(folder / f"calibrate{i}.db")
        t0 = time.perf_counter()
        _go(p)
        assert p.stdout is not None and p.stdout.readline().startswith("ok")
        times.append(time.perf_counter() - t0)
        p.communicate()
    return sorted(times)[1]


def kill_during_creation(tries: int, seed: int) -> KillResult:
    """kill -9 a process at a random moment of its first Wallet.open of a new save, `tries` times."""
    rng = random.Random(seed)
    result = KillResult()
    with tempfile.TemporaryDirectory(prefix="coinloop-kill-") as tmp:
        window = 1.2 * _creation_time(Path(tmp))
        result.window_ms = window * 1000
        for i in range(tries):
            folder = Path(tmp) / f"t{i}"
            folder.mkdir()
            path = folder / "s.db"
            p = _spawn(path)
            _go(p)
            time.sleep(rng.uniform(0, window))
            p.kill()
            p.communicate()
            result.tries += 1
            result.mid_build += any(f.name.startswith(".coinloop-new-") for f in folder.iterdir())
            if not path.exists():
                result.absent += 1
                continue
            problem = opens_normally(path)
            if problem:
                result.bricked.append(f"try {i}: {problem}")
            else:
                result.opened += 1
    return result


@dataclass
class RaceResult:
    rounds: int = 0
    failures: list[str] = field(default_factory=list)


def new_save_race(rounds: int, procs: int = 4) -> RaceResult:
    """`procs` processes open one NEW save at the same moment; all must succeed and see one save."""
    result = RaceResult()
    with tempfile.TemporaryDirectory(prefix="coinloop-race-") as tmp:
        for r in range(rounds):
            path = Path(tmp) / f"race{r}.db"
            ps = [_spawn(path) for _ in range(procs)]
            for p in ps:
                _go(p)
            outs = [p.communicate(timeout=120) for p in ps]
            result.rounds += 1
            for p, (out, err) in zip(ps, outs):
                if p.returncode != 0 or out.split()[:3] != ["ok", str(START), "1"]:
                    result.failures.append(f"round {r}: {out.strip()} {err.strip()[-200:]}")
            problem = opens_normally(path)
            if problem:
                result.failures.append(f"round {r}: after the race: {problem}")
            leftovers = [f.name for f in Path(tmp).iterdir() if f.name.startswith(".coinloop-new-")]
            if leftovers:
                result.failures.append(f"round {r}: temp files left: {leftovers}")
    return result


def soak() -> list[tuple[str, bool, str]]:
    kill = kill_during_creation(300, seed=8)
    race = new_save_race(100)
    from tests.unit.test_save_refusal import refusal_campaign

    tried: list[int] = []
    stray = refusal_campaign(tried)
    return [
        ("kill -9 during save creation", not kill.bricked,
         f"{kill.tries} tries: bricked = {len(kill.bricked)}, no save = {kill.absent}, opened = {kill.opened},"
         f" killed mid-build = {kill.mid_build} (kills spread over {kill.window_ms:.0f} ms)"
         + (f"; first: {kill.bricked[0]}" if kill.bricked else "")),
        ("4 processes open one new save", not race.failures,
         f"{race.rounds} rounds: failures = {len(race.failures)}" + (f"; first: {race.failures[0]}" if race.failures else "")),
        ("refused saves leave the folder as it was", not stray,
         f"{len(tried)} refusals (every bad-file case x Wallet.open, read-only open, CLI balance/grant/"
         f"export): not refused or folder changed = {len(stray)}"
         + (f"; first: {stray[0]}" if stray else "")),
    ]
