"""A bounded, seeded fuzz of every `coinloop` command (issue 26 §10): hostile paths, huge integers,
bad sweeps and Dask addresses, FIFOs, /dev/zero, BOMs, deep nesting (`cli_world.World`).

Each run goes through click's CliRunner in this process with a wall-clock alarm (`TIMEOUT` s): an
exception other than SystemExit is a traceback, the alarm is a hang. The dashboard runs headless and
quits once it is idle, so its loading worker runs too. `make test` runs a seeded sample
(tests/unit/test_cli_fuzz.py); `make soak` runs thousands (tests/soak/soak_cli_fuzz.py).
"""

from __future__ import annotations

import os
import random
import signal
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from tests.soak.cli_world import World

TIMEOUT = 20.0
INTS = ["0", "1", "-1", "3", str(2**63), str(2**63 - 1), str(-2**63 - 1), "9" * 400, "1e3", "nan", "abc", ""]
SWEEPS = ["episodes.price_base=nan", "episodes.price_base=inf", "episodes.price_base=-inf",
          "episodes.price_base=99999999999999999999", "episodes.price_base=1e400", "episodes.price_base=20,30",
          "episodes.price_base=", "=", "nope=1", "episodes=1", "episodes.price_base=-1", "wallet.starting_balance=1e20",
          "episodes.price_base=" + "9" * 5000]
DASKS = ["tls://127.0.0.1:1", "inproc://", "inproc://x", "tcp://", "ucx://", "::::", "tcp://[::1", "", "\x00"]
TEXTS = ["", "game:", "[/]", "[@click=app.quit]x", "\x1b]0;t\x07", "x" * 10_000, "a\x00b"]
DURATIONS = ["1d", "+3h", "0", "-1d", "9" * 400 + "d", "nan", "inf d", "1e400h", "", "1x"]


class Hang(BaseException):
    """The alarm went off: the run did not finish within TIMEOUT seconds."""


@dataclass
class Outcome:
    argv: list[str]
    kind: str            # "ok", "refused", "traceback", "hang", "clobbered" (a save is no longer a save)
    detail: str = ""


@dataclass
class Tally:
    runs: int = 0
    kinds: Counter = field(default_factory=Counter)
    causes: Counter = field(default_factory=Counter)   # "ExcType at file:line" of each traceback
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, o: Outcome) -> None:
        self.runs += 1
        self.kinds[o.kind] += 1
        if o.kind in ("traceback", "hang", "clobbered", "crash"):
            self.causes[o.detail] += 1
            self.examples.setdefault(o.detail, [str(a)[:80] for a in o.argv])

    def summary(self) -> str:
        return (f"{self.runs} runs: {self.kinds['traceback']} tracebacks ({len(self.causes)} causes), "
                f"{self.kinds['hang']} hangs, {self.kinds['crash']} crashes, {self.kinds['clobbered']} saves overwritten, "
                f"{self.kinds['ok']} ok, {self.kinds['refused']} refused")


def commands(w: World) -> dict[str, Callable[[random.Random], list[str]]]:
    """argv generators, one per command; each picks a few hostile options."""
    def pick(rng: random.Random, pool: list[str]) -> str:
        return rng.choice(pool)

    def opts(rng: random.Random, table: dict[str, list[str]], k: int) -> list[str]:
        out: list[str] = []
        for name in rng.sample(sorted(table), min(k, len(table))):
            out += [name, pick(rng, table[name])]
        return out

    saves, ins, outs, contents = w.saves(), w.inputs(), w.outputs(), w.contents()
    ok_saves = ["alice", str(w.save)]

    def wallet(rng: random.Random) -> list[str]:
        sub = rng.choice(["balance", "history", "grant", "export", "verify"])
        table = {"--save": saves + ok_saves * 3, "--content": contents}
        if sub == "history":
            table |= {"--limit": INTS, "--source": TEXTS}
        if sub == "export":
            table |= {"-o": outs, "--format": ["csv", "json", "xml"]}
        if sub == "verify":
            table = {"--save": saves + ok_saves * 3}
        argv = ["wallet", sub, *opts(rng, table, rng.randint(1, 3))]
        if sub == "grant":
            argv.append(pick(rng, INTS))
        if sub in ("balance", "history", "grant") and rng.random() < 0.5:
            argv.append("--json")
        return argv

    def clock(rng: random.Random) -> list[str]:
        sub = rng.choice(["show", "advance", "reset"])
        argv = ["clock", sub, *opts(rng, {"--save": saves + ok_saves, "--content": contents}, rng.randint(0, 2))]
        return argv + ([pick(rng, DURATIONS)] if sub == "advance" else [])

    def simulate(rng: random.Random) -> list[str]:
        table = {"--seed": INTS, "--economy": ins, "--personas": ins, "--content": contents, "--dask": DASKS,
                 "--compare": ins, "--sweep": SWEEPS, "--json": outs, "--csv": outs, "--players": INTS,
                 "--days": INTS, "--bot-plays": INTS}
        argv = ["simulate", "--players", "20", "--days", "3", "--bot-plays", "10", "--workers", "1"]
        return argv + opts(rng, table, rng.randint(1, 3))

    def analytics(rng: random.Random, cmd: list[str], extra: dict[str, list[str]]) -> list[str]:
        if rng.random() < 0.3:            # a well-formed run over the saves' hostile text
            return cmd + ["--save", rng.choice(ok_saves), "--save", "bob"] + \
                (["-o", str(w.work / "out.txt")] if "-o" in extra else [])
        table = {"--save": saves + ok_saves * 3, **extra}
        argv = cmd + opts(rng, table, rng.randint(1, 3))
        if rng.random() < 0.3:
            argv.append(pick(rng, saves if rng.random() < 0.5 else ok_saves))
        return argv

    return {
        "content check": lambda rng: ["content", "check"] + ([pick(rng, contents + ins)] if rng.random() < .9 else []),
        "wallet": wallet,
        "clock": clock,
        "simulate": simulate,
        "telemetry export": lambda rng: analytics(rng, ["telemetry", "export"],
                                                  {"-o": outs, "--format": ["csv", "jsonl", "x"]}),
        "report": lambda rng: analytics(rng, ["report"] + (["--no-charts"] if rng.random() < 0.8 else []),
                                        {"-o": outs, "--format": ["md", "html"], "--sim": ins, "--content": contents}),
        "play": lambda rng: ["play", *opts(rng, {"--save": saves + ok_saves, "--content": contents,
                                                 "--economy": ins}, rng.randint(1, 2))],
        "demo": lambda rng: ["demo", *opts(rng, {"--content": contents, "--economy": ins}, rng.randint(1, 2))],
        "personas fit": lambda rng: ["personas", "fit", *[pick(rng, saves + ok_saves) for _ in range(rng.randint(1, 3))],
                                     "-o", pick(rng, outs), "--bot-plays", "10", "--calibration-players", "20",
                                     *opts(rng, {"--content": contents, "--economy": ins, "--personas": ins,
                                                 "--days": INTS, "--groups": INTS, "--sim-json": outs},
                                           rng.randint(0, 2)),
                                     *(["--each"] if rng.random() < 0.3 else [])],
        "dashboard": lambda rng: analytics(rng, ["dashboard"], {"--sim": ins, "--content": contents,
                                                                "--tab": ["coins", "tables", "x"]}),
    }


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    def ring(_sig: int, _frame: object) -> None:
        raise Hang()
    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def headless_apps() -> Iterator[None]:
    """Textual apps run headless and quit once idle (the dashboard's loading worker runs first)."""
    from textual.app import App

    real_run = App.run

    def run(self: App, *args: object, **kwargs: object) -> object:
        async def pilot(p: object) -> None:
            await self.workers.wait_for_complete()
            await p.pause()                          # type: ignore[attr-defined]
            self.exit()
        return real_run(self, headless=True, auto_pilot=pilot, size=(100, 30))  # type: ignore[arg-type]

    App.run = run  # type: ignore[method-assign]
    try:
        yield
    finally:
        App.run = real_run  # type: ignore[method-assign]


def cause(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if "coinloop" in f.filename and "click" not in f.filename] or frames
    f = mine[-1] if mine else None
    where = f"{Path(f.filename).name}:{f.lineno}" if f else "?"
    return f"{type(exc).__name__} at {where}"


def run_one(argv: list[str], w: World, timeout: float = TIMEOUT) -> Outcome:
    from click.testing import CliRunner

    from coinloop.cli import cli

    runner = CliRunner(env=w.env())
    cwd = os.getcwd()
    os.chdir(w.work)
    try:
        with headless_apps(), alarm(timeout):
            result = runner.invoke(cli, argv, catch_exceptions=True)
    except Hang:
        return Outcome(argv, "hang", f"hang in {argv[0]} {argv[1] if len(argv) > 1 else ''}")
    finally:
        os.chdir(cwd)
    exc = result.exception
    clobbered = [p.name for p in (w.save, w.bob) if p.read_bytes()[:16] != b"SQLite format 3\x00"]
    if clobbered:
        w.restore()
        return Outcome(argv, "clobbered", f"output written over {', '.join(clobbered)}")
    if isinstance(exc, Hang):
        return Outcome(argv, "hang", f"hang in {argv[0]}")
    if exc is not None and not isinstance(exc, SystemExit):
        return Outcome(argv, "traceback", cause(exc))
    if "Traceback" in result.output or "WorkerFailed" in result.output:
        return Outcome(argv, "traceback", f"printed traceback in {argv[0]}")
    return Outcome(argv, "ok" if result.exit_code == 0 else "refused", result.output[-200:])


MEMORY_LIMIT = 3 * 2**30


def limit_memory() -> None:
    """A run that reads without bound (/dev/zero) ends in MemoryError, counted as a traceback, instead
    of taking the machine down. Process-wide: call it in a process of its own."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def case(w: World, seed: int, i: int, only: list[str] | None = None) -> list[str]:
    """Run `i` of campaign `seed`: each run has its own generator, so a campaign can resume anywhere."""
    rng = random.Random(f"{seed}/{i}")
    gens = commands(w)
    return gens[rng.choice(only or sorted(gens))](rng)


def campaign(w: World, runs: int, seed: int, only: list[str] | None = None, start: int = 0) -> Iterator[Outcome]:
    for i in range(start, runs):
        yield run_one(case(w, seed, i, only), w)


def run_chunked(runs: int, seed: int, only: list[str] | None = None, chunk: int = 500) -> Tally:
    """The campaign in child processes of `chunk` runs each (memory-limited); a child that dies (a
    signal, an exit without its summary) is counted as a crash of the run it was on, and the campaign
    goes on from the next run."""
    import json
    import subprocess
    import sys

    tally = Tally()
    i = 0
    while i < runs:
        end = min(runs, i + chunk)
        proc = subprocess.run([sys.executable, "-m", "tests.soak.cli_fuzz", str(seed), str(i), str(end),
                               *(only or [])], capture_output=True, text=True, timeout=TIMEOUT * chunk)
        done = i
        for line in proc.stdout.splitlines():
            if line.startswith("{"):
                rec = json.loads(line)
                tally.add(Outcome(rec["argv"], rec["kind"], rec["detail"]))
                done = rec["i"] + 1
        if proc.returncode != 0 and done < end:
            tally.add(Outcome(["?"], "crash", f"process died ({proc.returncode}) at run {done}"))
            done += 1
        i = max(done, i + 1)
    return tally


def _child(argv: list[str]) -> None:
    import json
    import tempfile

    seed, start, end, only = int(argv[0]), int(argv[1]), int(argv[2]), argv[3:] or None
    limit_memory()
    with tempfile.TemporaryDirectory() as d:
        w = World(Path(d))
        for i in range(start, end):
            o = run_one(case(w, seed, i, only), w)
            print(json.dumps({"i": i, "kind": o.kind, "detail": o.detail if o.kind != "ok" and o.kind != "refused"
                              else "", "argv": [a[:100] for a in o.argv]}), flush=True)


if __name__ == "__main__":
    import sys

    _child(sys.argv[1:])
