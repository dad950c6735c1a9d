"""The playtest's numbers, gathered once for the dashboard and the report, and the report itself
(Markdown or one self-contained HTML page). No Textual here: the charts come in as SVG text drawn by
the caller (`coinloop.analytics.charts`, matplotlib), so this module stays cheap to import.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from collections import Counter
from typing import Any, Iterator

from coinloop.analytics import behaviour, queries
from coinloop.analytics import provenance as paid_by
from coinloop.core import provenance as rule
from coinloop.analytics.events import Skipped
from coinloop.analytics.saves import Playtest
from coinloop.analytics.simfile import SimResult


@dataclass(frozen=True)
class PlaytestData:
    saves: list[str]
    overview: queries.Overview
    funnel: behaviour.Funnel
    time: behaviour.TimeSplit
    games: list[behaviour.GameStats]
    economy: Any = None          # coinloop.economy.model.Economy in force (None: not given)
    sim: SimResult | None = None
    events_loaded: bool = True   # False in the dashboard's first, ledger-only step
    provenance: rule.Matrix = field(default_factory=dict)   # spend category -> earn category -> coins
    per_save: list["SaveTotals"] = dataclasses.field(default_factory=list)   # with a sim file only
    malformed: int = 0           # events skipped as malformed (`analytics.events`)
    events_read: int = 0         # well-formed events the funnel, time and games read (0: none, or none there)
    simulated: dict[str, str] = field(default_factory=dict)   # save name -> "simulated: ..." (simulate --record)

    def named(self, save: str) -> str:
        """A save's name as every view shows it: with its "simulated" tag when simulate --record wrote it."""
        tag = self.simulated.get(save)
        return f"{save} [{tag}]" if tag else save

    @property
    def skipped_line(self) -> str:
        n = self.malformed
        return f"{n} malformed event{'s' if n != 1 else ''} skipped" if n else ""

    @property
    def nothing_readable(self) -> bool:
        """Every event malformed and no ledger entry: nothing in these saves could be read."""
        return self.malformed > 0 and not any(s.days for s in self.overview.balances) and not self.events_read


@dataclass(frozen=True)
class SaveTotals:
    """One save's own numbers, for its "you" row beside the simulator's per-player rows."""
    save: str
    final_balance: int | None
    coins_in: int
    coins_out: int
    paywalls_hit: int
    passed_by: dict[str, int]
    left: int


def save_totals(pt: Playtest) -> list[SaveTotals]:
    out = []
    for name, conn in pt.saves:
        one = Playtest([(name, conn)], owned=False)
        flows = queries.faucets_sinks(one)
        (series,) = queries.balance_by_day(one)
        funnel = behaviour.paywall_funnel(one).totals
        out.append(SaveTotals(name, series.total[-1] if series.total else None,
                              sum(f.coins_in for f in flows), sum(f.coins_out for f in flows),
                              funnel.shown, dict(funnel.passed_by), funnel.left))
    return out


def collect(pt: Playtest, economy: Any = None, sim: SimResult | None = None) -> PlaytestData:
    *_, data = stages(pt, economy, sim)
    return data


def stages(pt: Playtest, economy: Any = None, sim: SimResult | None = None) -> Iterator[PlaytestData]:
    """The data in two steps: first the ledger's (cheap at any size through `queries.daily_rows`), then
    with the events' (funnel, time, games: their cost follows the number of events). The dashboard
    shows the first at once and fills in the rest."""
    data = PlaytestData(pt.names, queries.overview(pt), behaviour.Funnel([], Counter(), Counter(), 0),
                        behaviour.TimeSplit(0, 0, 0, 0), [], economy, sim, events_loaded=False,
                        provenance=paid_by.matrix(pt), simulated=pt.tags())
    yield data
    skipped = Skipped()
    funnel = behaviour.paywall_funnel(pt, skipped)
    time = behaviour.time_split(pt, skipped)
    games = behaviour.game_stats(pt, economy, skipped)
    read = sum(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] for _n, conn in pt.saves) - len(skipped)
    yield dataclasses.replace(data, funnel=funnel, time=time, games=games, events_loaded=True,
                              per_save=save_totals(pt) if sim is not None else [],
                              malformed=len(skipped), events_read=read)


# --- tables (the dashboard's tables and the report's are these) ----------------------------------

@dataclass(frozen=True)
class TableData:
    title: str
    headers: list[str]
    rows: list[list[str]]


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


def flows_table(d: PlaytestData) -> TableData:
    rows = [[f.category, str(f.paid_in), str(f.bonus_in), str(f.paid_out), str(f.bonus_out),
             f"{f.coins_in - f.coins_out:+d}"] for f in d.overview.flows]
    return TableData("Faucets and sinks by category",
                     ["category", "in: paid", "in: bonus", "out: paid", "out: bonus", "net"], rows)


def labels_table(d: PlaytestData) -> TableData:
    rows = [[r.label, r.category, f"+{r.earned}" if r.earned else "", f"-{r.spent}" if r.spent else "",
             str(r.entries)] for r in d.overview.labels]
    return TableData("Where coins came from and went", ["source", "category", "earned", "spent", "entries"], rows)


def funnel_table(d: PlaytestData) -> TableData:
    rows = []
    for r in d.funnel.rows + ([d.funnel.totals] if d.funnel.rows else []):
        where = "all paywalls" if r.series == "all" else f"{r.series} #{r.number}"
        by = ", ".join(f"{k} {v}" for k, v in sorted(r.passed_by.items())) or "-"
        med = r.median_seconds
        rows.append([where, str(r.shown), str(r.chose_path), str(r.passed), str(r.left), by,
                     "-" if med is None else minutes(med)])
    return TableData("Paywall funnel (per save and episode: shown -> earn path chosen -> passed / left)",
                     ["paywall", "shown", "chose", "passed", "left", "passed by", "median to pass"], rows)


def earn_mix_table(d: PlaytestData) -> TableData:
    paths = sorted(set(d.funnel.paths_chosen) | set(d.funnel.passed_by))
    rows = [[p, str(d.funnel.paths_chosen.get(p, 0)), str(d.funnel.passed_by.get(p, 0))] for p in paths]
    return TableData("Earn-path mix at the paywall", ["path", "chosen", "passed by"], rows)


def time_table(d: PlaytestData) -> TableData:
    t = d.time
    return TableData("Reading vs playing", ["activity", "time"], [
        ["reading episodes", minutes(t.reading_seconds)], ["playing mini-games", minutes(t.playing_seconds)],
        [f"play sessions ({t.sessions})", minutes(t.session_seconds)]])


def games_table(d: PlaytestData) -> TableData:
    rows = [[g.game, str(g.plays), str(g.best_score), f"{g.mean_score:.1f}", str(g.coins), f"{g.mean_coins:.1f}",
             "-" if g.max_per_play is None else str(g.max_per_play), "-" if g.daily_cap is None else str(g.daily_cap),
             str(g.capped_plays)] for g in d.games]
    return TableData("Game scores and rewards vs caps",
                     ["game", "plays", "best", "mean score", "coins", "mean coins", "cap/play", "cap/day", "capped"],
                     rows)


def num(value: float) -> str:
    """A count for people: thousands separated, at most one decimal, never 1.37994e+06."""
    if value != value or value in (float("inf"), float("-inf")):
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"


def sim_table(d: PlaytestData) -> TableData | None:
    """Each simulated persona per player (means over its players) beside each save, one player each."""
    if d.sim is None:
        return None
    rows = []
    for p in d.sim.personas:
        n = max(p.players, 1)
        by = ", ".join(f"{k} {num(v / n)}" for k, v in sorted(p.passed_by.items())) or "-"
        last = num(p.median[-1]) if p.median else "-"
        rows.append([f"sim: {p.name}", num(p.players), last, num(sum(p.coins_in.values()) / n),
                     num(sum(p.coins_out.values()) / n), num(p.paywalls_hit / n), by, f"{100 * p.churned / n:.0f}%"])
    for s in d.per_save:
        rows.append([f"you: {s.save}", "1", "-" if s.final_balance is None else num(s.final_balance),
                     num(s.coins_in), num(s.coins_out), num(s.paywalls_hit),
                     ", ".join(f"{k} {num(v)}" for k, v in sorted(s.passed_by.items())) or "-",
                     f"{100 * s.left / s.paywalls_hit:.0f}% of paywalls left" if s.paywalls_hit else "-"])
    return TableData(f"You vs the simulated players, per player ({d.sim.path})",
                     ["who", "players", "final (median) balance", "coins in", "coins out", "paywalls hit",
                      "passed by", "churned / left"], rows)


RETENTION_DAYS = (1, 7, 30)


def retention_table(d: PlaytestData) -> TableData | None:
    """D1/D7/D30 per simulated persona that has a retention curve ("-" where the run was shorter)."""
    if d.sim is None or not any(p.retention for p in d.sim.personas):
        return None
    rows = [[f"sim: {p.name}", *(f"{100 * p.retention[k]:.1f}%" if k < len(p.retention) else "-"
                                 for k in RETENTION_DAYS)] for p in d.sim.personas if p.retention]
    return TableData(f"Retention (simulated): share of players active on day N ({d.sim.path})",
                     ["who", *(f"D{k}" for k in RETENTION_DAYS)], rows)


def economy_table(d: PlaytestData) -> TableData | None:
    if d.economy is None:
        return None
    rows = []

    def walk(prefix: str, value: Any) -> None:
        if dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(f"{prefix}.{f.name}" if prefix else f.name, getattr(value, f.name))
        elif isinstance(value, dict) or hasattr(value, "items"):
            for k, v in value.items():
                walk(f"{prefix}.{k}", v)
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            for item in value:
                walk(f"{prefix}.{getattr(item, 'id', '?')}", item)
        else:
            rows.append([prefix, ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)])

    walk("", d.economy)
    return TableData(f"Economy in force ({getattr(d.economy, 'source', '?')})", ["key", "value"], rows)


def provenance_table(d: PlaytestData) -> TableData:
    """Coins on each link earn category -> spend category, and the two headline shares as the last rows."""
    spends, earns, coins = paid_by.links(d.provenance)
    rows = [[e, *map(str, per_spend), str(sum(per_spend))] for e, per_spend in zip(earns, coins)]
    if rows:
        rows.append(["total", *(str(sum(col)) for col in zip(*coins)), str(sum(map(sum, coins)))])
    for key, value in rule.shares(d.provenance).items():
        label, side = rule.SHARE_TEXT[key]
        rows.append([label, (f"no {side} spending yet" if value is None else f"{value:.0%}"),
                     *[""] * len(spends)])
    return TableData("Which coins paid for what (earned in -> spent on, oldest coins first)",
                     ["earned in / spent on", *spends, "total"], rows)


def _share_cell(value: float | None, side: str) -> str:
    return f"no {side} spending yet" if value is None else f"{value:.0%}"


def shares_table(d: PlaytestData) -> TableData | None:
    """The two headline shares of this playtest beside each simulated persona's (with `--sim`)."""
    if d.sim is None or not any(p.shares for p in d.sim.personas):
        return None
    keys = list(rule.SHARE_TEXT)
    mine = rule.shares(d.provenance)
    rows = [["you: " + ", ".join(d.saves), *(_share_cell(mine[k], rule.SHARE_TEXT[k][1]) for k in keys)]]
    rows += [[f"sim {p.name}", *(_share_cell(p.shares.get(k), rule.SHARE_TEXT[k][1]) for k in keys)]
             for p in d.sim.personas if p.shares]
    return TableData("Which coins paid for what: you vs the simulated personas",
                     ["who", *(rule.SHARE_TEXT[k][0] for k in keys)], rows)


def all_tables(d: PlaytestData) -> list[TableData]:
    out = [flows_table(d), provenance_table(d), shares_table(d), labels_table(d), funnel_table(d),
           earn_mix_table(d), time_table(d), games_table(d), sim_table(d), retention_table(d),
           economy_table(d)]
    return [t for t in out if t is not None]


# --- rendering ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\\[\]|])")     # a backslash, link and image brackets, a table cell's end
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def md_text(text: str) -> str:
    """Stored text (a source, a series id, a persona name) as literal Markdown: HTML escaped (a raw
    `<script>` would run in a CommonMark renderer), no link or image (brackets escaped), no cell break,
    control characters replaced, one line."""
    text = _CONTROL.sub("\ufffd", str(text).replace("\r\n", " ").replace("\n", " "))
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=True)


def _md_cell(text: str) -> str:
    return md_text(text)


def to_markdown(d: PlaytestData) -> str:
    names = ", ".join(md_text(d.named(s)) for s in d.saves)
    lines = ["# coinloop playtest report", "",
             f"Saves: {names} · generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", ""]
    if d.malformed:
        lines += [f"**{d.skipped_line}** (wrong types or not JSON; every other event is counted)", ""]
    for s in d.overview.balances:
        if s.days:
            lines.append(f"- {md_text(d.named(s.save))}: balance {s.total[0]} on {s.days[0]} -> {s.total[-1]} on {s.days[-1]} "
                         f"({len(s.days)} days with entries)")
    lines.append("")
    for t in all_tables(d):
        lines += [f"## {md_text(t.title)}", "", "| " + " | ".join(map(_md_cell, t.headers)) + " |",
                  "|" + "|".join(" --- " for _ in t.headers) + "|"]
        lines += ["| " + " | ".join(map(_md_cell, r)) + " |" for r in t.rows] or []
        if not t.rows:
            lines.append("| " + " | ".join(["(none)"] + [""] * (len(t.headers) - 1)) + " |")
        lines.append("")
    return "\n".join(lines)


CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #1d1d1f; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f3f3f3; }
figure { margin: 1em 0; } figure svg { width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
.meta { color: #555; }
"""


def _html_table(t: TableData) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in t.headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in t.rows)
    if not t.rows:
        body = f'<tr><td colspan="{len(t.headers)}">(none)</td></tr>'
    return f"<h2>{esc(t.title)}</h2>\n<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"


def to_html(d: PlaytestData, charts: list[tuple[str, str]] | None = None) -> str:
    """One self-contained page: inline CSS, inline SVG charts (title, svg text), no scripts, no links."""
    esc = html.escape
    parts = ["<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
             "img-src data:; font-src data:\">",
             f"<title>coinloop playtest report</title><style>{CSS}</style></head><body>",
             "<h1>coinloop playtest report</h1>",
             f"<p class=\"meta\">Saves: {esc(', '.join(d.named(s) for s in d.saves))} · generated "
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC</p>"]
    if d.malformed:
        parts.append(f"<p class=\"meta\"><strong>{esc(d.skipped_line)}</strong> (wrong types or not JSON; "
                     "every other event is counted)</p>")
    if charts:
        parts.append("<h2>Charts</h2>")
        for title, svg in charts:
            parts.append(f'<figure class="chart" data-chart="{esc(title)}">{_strip_external(svg)}'
                         f"<figcaption>{esc(title)}</figcaption></figure>")
    parts += [_html_table(t) for t in all_tables(d)]
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _strip_external(svg: str) -> str:
    """Textual's SVG pulls a web font from a CDN; the report must not touch the network."""
    import re

    svg = re.sub(r"@font-face\s*\{[^}]*\}", "", svg)
    return re.sub(r"<\?xml[^>]*\?>", "", svg)



def thesis_html(title: str, meta: str, tables: list[TableData], chart_svg: str) -> str:
    """`coinloop thesis` as one self-contained page (the playtest report's CSS, inline SVG, no scripts):
    the arms' retention chart, then the tables (built by sim/thesis.py's `report_tables`)."""
    esc = html.escape
    parts = ["<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
             "img-src data:; font-src data:\">",
             f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{esc(title)}</h1>",
             f"<p class=\"meta\">{esc(meta)} · generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC</p>",
             f'<figure class="chart" data-chart="retention per arm">{_strip_external(chart_svg)}'
             "<figcaption>Retention per arm</figcaption></figure>"]
    parts += [_html_table(t) for t in tables]
    parts.append("</body></html>\n")
    return "\n".join(parts)
