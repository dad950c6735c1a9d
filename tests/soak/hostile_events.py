"""A seeded generator of hostile single-event saves (issue 26 §7), and what must hold for each:
`report` (Markdown) and `telemetry export` (CSV) exit 0 without a traceback, and say
"1 malformed event skipped" exactly when `analytics.events.parse` refuses the event.

Each save is a copy of one real save (a ledger, so something is always readable) with ONE event
added as another program could write it: a type the analytics read, data whose fields have the wrong
types (an object for `number`, NaN or Infinity for a score, a string for `unlock.numbers`, 10**30,
a 5,000-deep list), data that is not JSON, not text, or a timestamp that is not one.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TYPES = ("paywall_shown", "paywall_path", "paywall_left", "unlock", "purchase", "game_start", "game_end",
         "episode_open", "beat_reached", "choice", "episode_finish", "session_start", "session_end", "ad_watched",
         "designer:clock", "x")
KEYS = ("series", "number", "numbers", "method", "path", "pack", "game", "score", "coins", "seconds", "capped_by",
        "other")
TIMESTAMPS = ("2026-03-02T20:00:00", "2026-03-02T20:00:00+05:00", "", "2026-13-45T99:99:99", "yesterday",
              "9999-12-31T23:59:59", "0001-01-01T00:00:00", 12345, 1.5)


def hostile_value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.randrange(22)
    if pick == 0 and depth < 2:
        return {rng.choice(KEYS): hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    if pick == 1 and depth < 2:
        return [hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return [float("nan"), float("inf"), float("-inf"), 1e308, -1e308, 10**30, -(10**30), -1, 0, 1, 4, 2.5, True,
            False, None, "", "12", "s", "[/]", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")",
            "\x1b]0;pwned\x07", "x" * 5000][rng.randrange(23)]


def hostile_data(rng: random.Random) -> Any:
    """The event's `data` column: mostly a JSON object with a few wrong-typed fields."""
    kind = rng.randrange(20)
    if kind == 0:
        return "not json {"
    if kind == 1:
        return b"\x00\xffbinary"
    if kind == 2:
        return "[" * 5000 + "]" * 5000
    if kind == 3:
        return json.dumps(hostile_value(rng))
    data = {"series": "contract-bride", "number": rng.randint(1, 6), "game": "catch", "score": 10, "coins": 3}
    for _ in range(rng.randint(1, 3)):
        data[rng.choice(KEYS)] = hostile_value(rng)
    return json.dumps(data)   # NaN and Infinity come out as the bare words, as Python writes them


@dataclass
class Case:
    seed: int
    index: int
    ts: Any
    type: Any
    data: Any

    def describe(self) -> str:
        return f"seed {self.seed} case {self.index}: ts={self.ts!r:.40} type={self.type!r:.30} data={self.data!r:.80}"


def case(seed: int, index: int) -> Case:
    rng = random.Random(f"{seed}/{index}")
    ts = rng.choice(TIMESTAMPS) if rng.random() < 0.2 else "2026-03-02T20:00:00"
    type_ = rng.choice(TYPES) if rng.random() < 0.97 else rng.choice([7, b"unlock"])
    return Case(seed, index, ts, type_, hostile_data(rng))


def write_save(template: Path, dest: Path, c: Case) -> Path:
    shutil.copyfile(template, dest)
    with sqlite3.connect(dest) as conn:
        conn.execute("INSERT INTO events (ts, type, data) VALUES (?, ?, ?)", (c.ts, c.type, c.data))
    conn.close()
    return dest


def expect_malformed(c: Case) -> bool | None:
    """What the one validation function says about the event (read back as SQLite stores it); None
    on a coinloop without it (the campaign's "before" figures)."""
    try:
        from coinloop.analytics.events import parse
    except ImportError:
        return None

    ts = str(c.ts) if isinstance(c.ts, (int, float)) else c.ts   # a TEXT column stores numbers as text
    type_ = str(c.type) if isinstance(c.type, int) else c.type
    return parse(ts, type_, c.data) is None


def check(template: Path, folder: Path, c: Case) -> list[str]:
    """Problems with one case (empty: all held)."""
    from click.testing import CliRunner

    from coinloop.cli import cli
    from tests.soak.cli_fuzz import headless_apps

    save = write_save(template, folder / f"case{c.index}.db", c)
    problems = []
    malformed = expect_malformed(c)
    commands = [["report", "--format", "md", "-o", str(folder / "r.md"), str(save)],
                ["telemetry", "export", "--format", "csv", "-o", str(folder / "t.csv"), str(save)]]
    if c.index % DASHBOARD_EVERY == 0:    # headless, quits once its loading worker is done
        commands.append(["dashboard", "--tab", "tables", str(save)])
    for argv in commands:
        with headless_apps():
            r = CliRunner().invoke(cli, argv)
        if argv[0] == "dashboard" and ("Traceback" in r.output or "Error" in r.output):
            problems.append(f"dashboard: {r.output.strip()[-200:]} ({c.describe()})")
            continue
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            problems.append(f"{argv[0]}: {type(r.exception).__name__}: {str(r.exception)[:100]} ({c.describe()})")
        elif r.exit_code != 0:
            problems.append(f"{argv[0]}: exit {r.exit_code}: {r.output.strip()[:100]} ({c.describe()})")
        elif argv[0] != "dashboard" and malformed is not None and malformed != ("1 malformed event skipped" in r.output) and not (
                argv[0] == "report" and malformed and c.type not in _REPORT_TYPES):
            problems.append(f"{argv[0]}: malformed={malformed} but output {r.output.strip()[:100]!r} ({c.describe()})")
    save.unlink()
    return problems


DASHBOARD_EVERY = 20

# the report reads only these types (the export reads every event)
_REPORT_TYPES = ("paywall_shown", "paywall_path", "paywall_left", "unlock", "purchase", "game_start", "game_end",
                 "episode_open", "beat_reached", "choice", "episode_finish", "session_start", "session_end")


def template_save(folder: Path) -> Path:
    from tests.soak.cli_world import make_save
    from tests.conftest import CONTENT

    return make_save(folder / "template.db", CONTENT)


def run(seed: int, n: int, folder: Path) -> tuple[int, list[str]]:
    """(cases that held, problems) over cases 0..n-1 of `seed`."""
    template = template_save(folder)
    problems: list[str] = []
    ok = 0
    for i in range(n):
        found = check(template, folder, case(seed, i))
        problems += found
        ok += not found
    return ok, problems
