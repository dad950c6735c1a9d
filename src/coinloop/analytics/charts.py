"""The report's charts as inline SVG, drawn with matplotlib's SVG backend (no Textual, no screenshots).

A stakeholder opening a shared HTML file expects real charts: readable axes, integer ticks for
counts, legends beside the plot (never over a bar), bars that line up with their labels, and the
paywall funnel read top-down. Text stays `<text>` (svg.fonttype "none") in a generic sans-serif
family, so the page needs no font from anywhere and passes the report's `default-src 'none'` CSP.
The terminal dashboard keeps its plotext look; these are the report's own.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from coinloop.analytics.report import PlaytestData

PAID, BONUS = "#2f6fb0", "#e0a526"          # the same two coin colours as the dashboard
CHOSEN, PASSED = "#7a7a7a", "#3b9c5a"
SIZE = (10.5, 3.6)                          # inches; 100 dpi in the SVG's viewBox


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("svg", force=True)
    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "coinloop",   # text as text; stable ids
        "text.parse_math": False,     # a save's text is text: "$x$" in a source is not TeX (a bad one raised)
        "font.family": "sans-serif", "font.size": 10, "axes.spines.top": False, "axes.spines.right": False,
        "axes.titlesize": 11, "axes.titleweight": "bold", "legend.frameon": False,
    })
    import matplotlib.pyplot as plt

    return plt


def _integer_axis(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    fig.clf()
    import matplotlib.pyplot as plt

    plt.close(fig)
    text = re.sub(r"<\?xml[^>]*\?>\s*", "", buf.getvalue())
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)   # creator/date: not ours to ship


def _empty(ax: Any, what: str) -> None:
    ax.text(0.5, 0.5, f"no {what} yet", ha="center", va="center", transform=ax.transAxes, color="#777")
    ax.set_xticks([])
    ax.set_yticks([])


def _hbars(ax: Any, labels: list[str], series: list[tuple[str, list[float], str]], title: str, unit: str) -> None:
    """Stacked horizontal bars, first label on top, legend below the axes (never over a bar)."""
    ax.set_title(title, loc="left")
    if not labels:
        _empty(ax, unit)
        return
    ys = list(range(len(labels)))
    left = [0.0] * len(labels)
    for name, values, colour in series:
        ax.barh(ys, values, left=left, color=colour, label=name, height=0.6)
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(ys, labels)
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    _integer_axis(ax.xaxis)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=len(series))


def _grouped(ax: Any, labels: list[str], series: list[tuple[str, list[float], str]], title: str, unit: str,
             integer: bool = True) -> None:
    """Grouped vertical bars centred on their labels, legend outside on the right."""
    ax.set_title(title, loc="left")
    if not labels:
        _empty(ax, unit)
        return
    width = 0.8 / len(series)
    for i, (name, values, colour) in enumerate(series):
        offset = (i - (len(series) - 1) / 2) * width
        ax.bar([x + offset for x in range(len(labels))], values, width=width, color=colour, label=name)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylabel(unit)
    if integer:
        _integer_axis(ax.yaxis)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))


def flows_chart(d: PlaytestData) -> str:
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=SIZE)
    for ax, title, pick in ((left, "Faucets: coins in", lambda f: (f.paid_in, f.bonus_in)),
                            (right, "Sinks: coins out", lambda f: (f.paid_out, f.bonus_out))):
        rows = [f for f in d.overview.flows if sum(pick(f))]
        _hbars(ax, [f.category for f in rows], [("paid", [pick(f)[0] for f in rows], PAID),
                                                ("bonus", [pick(f)[1] for f in rows], BONUS)], title, "coins")
    fig.tight_layout()
    return _svg(fig)


def balance_chart(d: PlaytestData) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=SIZE)
    ax.set_title("Balance at the close of each day (day 1 = the first day played)", loc="left")
    drawn = False
    for s in d.overview.balances:
        if s.total:
            ax.plot(range(1, len(s.total) + 1), s.total, marker="o", markersize=3, label=f"you: {s.save}")
            drawn = True
    for p in (d.sim.personas if d.sim else []):
        if p.median:
            xs = range(1, len(p.median) + 1)
            line = ax.plot(xs, p.median, linestyle="--", label=f"sim {p.name} (median)")[0]
            if len(p.p10) == len(p.median) == len(p.p90):
                ax.fill_between(xs, p.p10, p.p90, color=line.get_color(), alpha=0.12, linewidth=0)
            drawn = True
    if not drawn:
        _empty(ax, "ledger entries")
    else:
        ax.set_xlabel("day")
        ax.set_ylabel("coins")
        _integer_axis(ax.xaxis)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return _svg(fig)


def paywall_chart(d: PlaytestData) -> str:
    from coinloop.analytics.behaviour import FUNNEL_PATHS

    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=SIZE)
    t = d.funnel.totals
    left.set_title("Paywall funnel (encounters, top-down)", loc="left")
    stages = [("shown", t.shown), ("chose a way forward", t.chose_path), ("passed", t.passed)]
    if t.shown:
        ys = range(len(stages))
        left.barh(ys, [v for _, v in stages], color=[CHOSEN, CHOSEN, PASSED], height=0.6)
        left.set_yticks(list(ys), [name for name, _ in stages])
        left.invert_yaxis()
        for y, (_, v) in zip(ys, stages):
            left.text(v, y, f" {v}", va="center")
        left.set_xlabel(f"encounters ({t.left} left without passing)")
        _integer_axis(left.xaxis)
    else:
        _empty(left, "paywalls")
    paths = [p for p in FUNNEL_PATHS if d.funnel.paths_chosen.get(p) or d.funnel.passed_by.get(p)]
    paths += sorted((set(d.funnel.paths_chosen) | set(d.funnel.passed_by)) - set(paths))
    _grouped(right, paths, [("chosen", [d.funnel.paths_chosen.get(p, 0) for p in paths], CHOSEN),
                            ("passed by", [d.funnel.passed_by.get(p, 0) for p in paths], PASSED)],
             "Ways forward: chosen / passed by", "encounters")
    fig.tight_layout()
    return _svg(fig)


def play_chart(d: PlaytestData) -> str:
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=SIZE)
    minutes = [round(d.time.reading_seconds / 60, 1), round(d.time.playing_seconds / 60, 1)]
    if any(minutes):
        _hbars(left, ["reading", "playing"], [("minutes", minutes, PAID)], "Minutes reading vs playing", "minutes")
        left.get_legend().remove()
    else:
        left.set_title("Minutes reading vs playing", loc="left")
        _empty(left, "reading or playing")
    _grouped(right, [g.game for g in d.games],
             [("mean coins per play", [round(g.mean_coins, 1) for g in d.games], BONUS),
              ("cap per play", [g.max_per_play or 0 for g in d.games], CHOSEN)],
             "Mean coins per play vs cap", "coins", integer=False)
    fig.tight_layout()
    return _svg(fig)


# one colour per earn category (the provenance flow), stable across saves and runs
EARN_COLOURS = {"game": "#3b9c5a", "in-episode ad": "#c05aa8", "story prompt": "#8e5fd0", "hub ad": "#e0902a",
                "paywall ad": "#e6c24a", "check-in": "#2f6fb0", "VIP daily": "#c94a4a", "shop pack": "#b8860b",
                "shop bonus": "#d2a85a", "start": "#9a9a9a", "designer": "#6e6e6e", "other": "#505050"}


def flow_chart(d: PlaytestData) -> str:
    """Which coins paid for what (issue 20): one bar per spend category, stacked by the earn category whose
    coins paid for it (oldest coins first), with the two headline shares under the axes."""
    from coinloop.analytics.provenance import links
    from coinloop.core import provenance as rule

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=SIZE)
    spends, earns, coins = links(d.provenance)
    _hbars(ax, spends, [(e, [float(c) for c in row], EARN_COLOURS.get(e, "#505050")) for e, row in zip(earns, coins)],
           "Which coins paid for what: spent on (bars), earned in (colours)", "coins")
    if spends:
        ax.get_legend().remove()
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    shares = rule.shares(d.provenance)
    ax.text(0, -0.45 if spends else 0.1, "\n".join(
        f"{label}: " + ("no " + side + " spending yet" if shares[k] is None else f"{shares[k]:.0%}")
        for k, (label, side) in rule.SHARE_TEXT.items()), transform=ax.transAxes, color="#333")
    fig.tight_layout()
    return _svg(fig)


def retention_chart(d: PlaytestData) -> str | None:
    """Share of each simulated persona's players active on day 0..D (issue 21); None without a curve."""
    curves = [p for p in (d.sim.personas if d.sim else []) if p.retention]
    if not curves:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=SIZE)
    ax.set_title("Retention (simulated): share of players active on each day", loc="left")
    for p in curves:
        ax.plot(range(len(p.retention)), [100 * v for v in p.retention], marker="o", markersize=3,
                label=f"sim {p.name}")
    return _active_by_day(fig, ax, "day (0 = the day the player started)")


def _active_by_day(fig: Any, ax: Any, xlabel: str) -> str:
    """A retention chart's axes (days across, % of players active up to 100%) and legend; its SVG."""
    from matplotlib.ticker import PercentFormatter

    ax.set_xlabel(xlabel)
    ax.set_ylabel("players active")
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    _integer_axis(ax.xaxis)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return _svg(fig)


ARM_STYLES = {"shared": ("#2f6fb0", "-"), "split": ("#e0a526", "--"), "drama-only": ("#b0413e", "-."),
              "games-only": ("#3b9c5a", ":")}


def arms_retention_chart(curves: dict[str, list[float]]) -> str:
    """The thesis (`coinloop thesis`): share of the same simulated players active on each day, per arm."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=SIZE)
    ax.set_title("Retention per product (simulated, same players in every arm)", loc="left")
    if not any(curves.values()):
        _empty(ax, "retention")
        return _svg(fig)
    for arm, curve in curves.items():
        colour, style = ARM_STYLES.get(arm, ("#555555", "-"))
        ax.plot(range(len(curve)), [100 * v for v in curve], color=colour, linestyle=style, linewidth=1.8,
                label=arm)
    return _active_by_day(fig, ax, "day (0 = the install day)")


CHARTS: list[tuple[str, Callable[["PlaytestData"], str | None]]] = [
    ("Faucets vs sinks by category", flows_chart),
    ("Balance over time", balance_chart),
    ("Paywall funnel and earn-path mix", paywall_chart),
    ("Reading vs playing, game rewards vs caps", play_chart),
    ("Which coins paid for what (earned in -> spent on)", flow_chart),
    ("Retention (simulated)", retention_chart),     # only with a --sim file that has retention curves
]


def render_svgs(d: PlaytestData) -> list[tuple[str, str]]:
    """(title, inline SVG) per chart, in the report's order; a chart with nothing to draw (None) is left out."""
    drawn = [(title, draw(d)) for title, draw in CHARTS]
    return [(title, svg) for title, svg in drawn if svg is not None]
