"""Economy targets, checked like tests: content/targets.toml.

A designer writes what the economy should do, per persona or overall, as a bound on a metric:

    [[targets]]
    description = "binge viewers meet paywalls"
    persona = "binge"            # a persona id of personas.toml, or "overall" (the default)
    metric = "walls_per_player"
    at_least = 3                 # and/or at_most; or between = [low, high]
    tolerance = 0.5              # optional: the bound is loosened by this much

Simulated metrics are read from a simulation summary (`sim/report.py`: each group's "intervals", 95% t
intervals from sim/stats.py). Static metrics (`STATIC`) are computed from economy.toml and the content
alone (`core/overview.py`), need no simulation and are exact.

A verdict is "pass" when the whole interval lies inside the (loosened) bounds, "fail" when it lies wholly
outside, "unsure" when it straddles a bound (more players would decide). A target whose metric cannot
be measured in this run (no player finished the series) is "unsure" with a note.

The API (stable, other modules call it): `load_targets(path, personas=, series=) -> Targets`,
`parse_targets(text, path, ...)`, `evaluate(targets, summary, overview=None) -> list[Verdict]`,
`evaluate_static(targets, overview)`, `failed(verdicts)`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from coinloop.errors import ConfigError
from coinloop.textfile import array_error, array_headers, toml_data

MAX_BYTES = 64 * 1024
KEYS = ("description", "persona", "metric", "series", "at_least", "at_most", "between", "tolerance")
OVERALL = "overall"

# Simulated metrics: name -> (what it is, per-series?). Names are the keys of a group summary's
# "intervals" (sim/report.py); a per-series metric is read as "name:series".
SIMULATED: dict[str, tuple[str, bool]] = {
    "retention_d1": ("share of players active on day 1 (day 0 = install)", False),
    "retention_d7": ("share of players active on day 7", False),
    "retention_d28": ("share of players active on day 28", False),
    "retention_d30": ("share of players active on day 30 (needs --days 31)", False),
    "conversion": ("share of players who ever pay", False),
    "revenue_per_player": ("US dollars per player", False),
    "arpdau": ("US dollars per active player-day", False),
    "walls_per_player": ("paywalls met short of coins, per player", False),
    "walls_passed_per_player": ("paywalls passed after being short, per player", False),
    "walls_passed_share": ("share of the paywalls met that the player got past", False),
    "purchases_per_player": ("shop or VIP purchases per player", False),
    "purchases_per_wall": ("purchases per paywall met", False),
    "story_spend_paid_by_games": ("share of coins spent on stories that were earned in games", False),
    "game_spend_paid_by_stories": ("share of coins spent in games that were earned in stories", False),
    "ad_viewers_per_dau": ("share of active player-days with a rewarded ad", False),
    "minutes_reading": ("minutes reading per active player-day", False),
    "minutes_playing": ("minutes playing per active player-day", False),
    "active_days": ("days active per player", False),
    "coins_unspent": ("coins left in the wallet at the end of the run, per player", False),
    "left_for_good": ("share of players who left for good", False),
    "finish_all_share": ("share of players who finished every series", False),
    "days_to_finish_all": ("days to finish every series (players who did)", False),
    "finish_share": ("share of players who finished the series", True),
    "days_to_finish": ("days from starting the series to finishing it (players who did)", True),
}

# Static metrics: exact, from economy.toml and the content (core/overview.py), no simulation. Without
# `series` they take the value of the series that bites least (the minimum over series).
STATIC: dict[str, str] = {
    "first_paywall_shortfall": "coins a new player is short at the first paywall after the starting coins "
                               "and everything the free episodes pay (0 = passable without earning)",
    "checkin_days_to_pay_series": "days of daily check-in alone to pay for the whole series one by one",
    "all_paths_days_to_pay_series": "days of every free earn path at its caps to pay for the whole series",
}
METRICS = (*SIMULATED, *STATIC)


@dataclass(frozen=True)
class Target:
    metric: str
    persona: str = OVERALL
    series: str | None = None
    at_least: float | None = None
    at_most: float | None = None
    tolerance: float = 0.0
    description: str = ""
    line: int = 0

    @property
    def static(self) -> bool:
        return self.metric in STATIC

    @property
    def key(self) -> str:
        """The name the metric is read under ("days_to_finish:contract-bride")."""
        return f"{self.metric}:{self.series}" if self.series else self.metric

    def bound_text(self, f: Callable[[float], str] = "{:g}".format, gap: str = " ") -> str:
        """The range as written for a reader, each number through `f` (">= 0.3 ±0.02", "20..60")."""
        tol = f" ±{f(self.tolerance)}" if self.tolerance else ""
        if self.at_least is not None and self.at_most is not None:
            return f"{f(self.at_least)}..{f(self.at_most)}{tol}"
        if self.at_least is not None:
            return f">={gap}{f(self.at_least)}{tol}"
        return f"<={gap}{f(self.at_most or 0)}{tol}"


@dataclass(frozen=True)
class Targets:
    path: str
    targets: tuple[Target, ...]

    @property
    def simulated(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if not t.static)

    @property
    def static(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.static)


@dataclass(frozen=True)
class Verdict:
    target: Target
    value: float | None
    low: float | None          # the 95% interval (low == high == value for a static target)
    high: float | None
    status: str                # "pass", "fail" or "unsure"
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["target"] = {k: v for k, v in d["target"].items() if k != "line"}
        for key in ("value", "low", "high"):      # "never" (a static days count beyond a year): JSON has no inf
            if d[key] is not None and math.isinf(d[key]):
                d[key] = None
        d["bound"] = self.target.bound_text()
        return d


# --- parsing -----------------------------------------------------------------------------------------

def parse_targets(text: str, path: str | Path = "targets.toml", *, personas: Iterable[str] | None = None,
                  series: Iterable[str] | None = None) -> Targets:
    """The targets of one file, or a ConfigError `path:line: message` on the first problem. `personas`
    and `series` (when given) are the ids a target may name."""
    path = Path(path)
    lines = text.splitlines()
    data = toml_data(text, path)
    headers = array_headers(lines, "targets")
    persona_ids = None if personas is None else list(personas)
    series_ids = None if series is None else list(series)

    err = array_error(path, lines, headers, "targets")

    if set(data) - {"targets"} or not isinstance(data.get("targets"), list) or not data["targets"]:
        extra = sorted(set(data) - {"targets"})
        raise ConfigError(path, 1, "expected [[targets]] tables and nothing else"
                          + (f" (found: {', '.join(extra)[:80]})" if extra else ""))
    out = []
    for i, table in enumerate(data["targets"]):
        out.append(_target(i, table, err, persona_ids, series_ids, headers[i] if i < len(headers) else 1))
    return Targets(str(path), tuple(out))


def _number(i: int, table: dict[str, Any], key: str, err: Any) -> float | None:
    v = table.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise err(i, key, f"expected a number, got {str(v)[:40]!r}")
    return float(v)


def _target(i: int, table: dict[str, Any], err: Any, personas: list[str] | None, series: list[str] | None,
            line: int) -> Target:
    for key in table:
        if key not in KEYS:
            raise err(i, key, f"unknown key (expected one of: {', '.join(KEYS)})")
    metric = table.get("metric")
    if not isinstance(metric, str) or not metric.strip():
        raise err(i, "metric" if "metric" in table else None, "'metric' must be text, one of: " + ", ".join(METRICS))
    if metric not in METRICS:
        raise err(i, "metric", f"unknown metric {metric[:40]!r} (known: {', '.join(METRICS)})")
    description = table.get("description", "")
    if not isinstance(description, str):
        raise err(i, "description", "'description' must be text")
    persona = table.get("persona", OVERALL)
    if not isinstance(persona, str):
        raise err(i, "persona", "'persona' must be text")
    if metric in STATIC and "persona" in table and persona != OVERALL:
        raise err(i, "persona", f"{metric} is computed from the economy alone: it has no persona")
    if persona != OVERALL and personas is not None and persona not in personas:
        raise err(i, "persona", f"unknown persona {persona[:40]!r} (known: {', '.join([OVERALL, *personas])})")
    sid = table.get("series")
    per_series = metric in STATIC or SIMULATED.get(metric, ("", False))[1]
    if sid is not None:
        if not isinstance(sid, str) or not sid:
            raise err(i, "series", "'series' must be a series id")
        if not per_series:
            raise err(i, "series", f"{metric} is not per series")
        if series is not None and sid not in series:
            raise err(i, "series", f"unknown series {sid[:40]!r} (known: {', '.join(series)})")
    elif metric in SIMULATED and per_series:
        raise err(i, None, f"{metric} needs series = \"ID\"" + (f" (one of: {', '.join(series)})" if series else ""))
    low, high = _number(i, table, "at_least", err), _number(i, table, "at_most", err)
    if "between" in table:
        pair = table["between"]
        if low is not None or high is not None:
            raise err(i, "between", "use between or at_least / at_most, not both")
        if (not isinstance(pair, list) or len(pair) != 2
                or any(isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) for v in pair)):
            raise err(i, "between", "expected [low, high], two numbers")
        low, high = float(pair[0]), float(pair[1])
    if low is None and high is None:
        raise err(i, None, "needs a bound: at_least, at_most or between = [low, high]")
    if low is not None and high is not None and low > high:
        raise err(i, "between" if "between" in table else "at_most", f"the range is empty: {low:g} is above {high:g}")
    tolerance = _number(i, table, "tolerance", err) or 0.0
    if tolerance < 0:
        raise err(i, "tolerance", "must not be negative")
    return Target(metric, persona, sid, low, high, tolerance, description.strip(), line)


def load_targets(path: str | Path, *, personas: Iterable[str] | None = None,
                 series: Iterable[str] | None = None) -> Targets:
    from coinloop.textfile import designer_text

    path = Path(path)
    if not path.exists():
        raise ConfigError(path, 1, "targets file not found")
    text = designer_text(path, MAX_BYTES)
    return parse_targets(text, path, personas=personas, series=series)


# --- evaluation --------------------------------------------------------------------------------------

def judge(target: Target, value: float | None, low: float | None, high: float | None, note: str = "") -> Verdict:
    """pass: the interval lies inside the bounds (loosened by the tolerance); fail: wholly outside;
    unsure: it straddles a bound. No interval (an exact, static value): the value decides."""
    if value is None:
        return Verdict(target, None, None, None, "unsure", note or "not measured in this run")
    lo = value if low is None else low
    hi = value if high is None else high
    floor = None if target.at_least is None else target.at_least - target.tolerance
    ceil = None if target.at_most is None else target.at_most + target.tolerance
    if (floor is not None and hi < floor) or (ceil is not None and lo > ceil):
        status = "fail"
    elif (floor is not None and lo < floor) or (ceil is not None and hi > ceil):
        status = "unsure"
    else:
        status = "pass"
    return Verdict(target, value, low, high, status, note)


def evaluate(targets: Targets | Sequence[Target], summary: dict[str, Any] | None,
             overview: Any = None) -> list[Verdict]:
    """A verdict per target, in file order. `summary` is a simulation result (api.simulate's first value);
    `overview` a core.overview.Overview for the static targets (left "unsure" when not given)."""
    items = targets.targets if isinstance(targets, Targets) else tuple(targets)
    out = []
    for t in items:
        if t.static:
            out.append(_static(t, overview))
        else:
            out.append(_simulated(t, summary))
    return out


def evaluate_static(targets: Targets | Sequence[Target], overview: Any) -> list[Verdict]:
    items = targets.targets if isinstance(targets, Targets) else tuple(targets)
    return [_static(t, overview) for t in items if t.static]


def _simulated(t: Target, summary: dict[str, Any] | None) -> Verdict:
    if summary is None:
        return Verdict(t, None, None, None, "unsure", "needs a simulation")
    group = summary["overall"] if t.persona == OVERALL else summary.get("personas", {}).get(t.persona)
    if group is None:
        return Verdict(t, None, None, None, "unsure", f"no {t.persona} players in this run")
    iv = group.get("intervals", {}).get(t.key)
    if iv is None:
        return Verdict(t, None, None, None, "unsure", f"{t.key} not in this run's summary")
    if iv["mean"] is None:
        note = "needs --days 31" if t.metric == "retention_d30" else "no player to measure it on"
        return Verdict(t, None, None, None, "unsure", note)
    if iv["low"] is None or iv["high"] is None:
        return Verdict(t, iv["mean"], None, None, "unsure", f"measured on {iv.get('n', 1)} player(s) only")
    return judge(t, iv["mean"], iv["low"], iv["high"])


def static_value(metric: str, series: str | None, overview: Any) -> tuple[float | None, str]:
    """(value, series it came from) of a static metric: the named series, else the one that bites least."""
    rows = [s for s in overview.series if series is None or s.id == series]
    if not rows:
        return None, ""
    def value(s: Any) -> float | None:
        if metric == "first_paywall_shortfall":
            return float(s.first_shortfall) if s.first_price else None
        days = s.days_alone.get("checkin") if metric == "checkin_days_to_pay_series" else s.days_all
        return math.inf if days is None else float(days)
    values = [(v, s.id) for s in rows if (v := value(s)) is not None]
    if not values:
        return None, ""
    return min(values)


def _static(t: Target, overview: Any) -> Verdict:
    if overview is None:
        return Verdict(t, None, None, None, "unsure", "needs the economy overview")
    value, sid = static_value(t.metric, t.series, overview)
    if value is None:
        return Verdict(t, None, None, None, "unsure", "no locked episode to measure")
    note = "" if t.series else f"least in {sid}"
    if math.isinf(value):
        note = "never (beyond a year)"
    return judge(t, value, value, value, note)


def failed(verdicts: Iterable[Verdict]) -> list[Verdict]:
    return [v for v in verdicts if v.status == "fail"]


def check_targets(content_dir: Path) -> list[ConfigError]:
    """`coinloop content check`'s hook: the errors of content_dir/targets.toml (none when absent),
    checked against the folder's persona ids and series ids."""
    path = Path(content_dir) / "targets.toml"
    if not path.exists():
        return []
    personas = _ids(content_dir)
    series = sorted(p.name for p in (Path(content_dir) / "series").iterdir() if p.is_dir()) \
        if (Path(content_dir) / "series").is_dir() else None
    try:
        load_targets(path, personas=personas, series=series)
    except ConfigError as exc:
        return [exc]
    return []


def _ids(content_dir: Path) -> list[str] | None:
    from coinloop.sim.personas import load_personas

    path = Path(content_dir) / "personas.toml"
    if not path.exists():
        return None
    try:
        return [p.id for p in load_personas(path)]
    except ConfigError:
        return None     # personas.toml's own errors are reported by its own check
