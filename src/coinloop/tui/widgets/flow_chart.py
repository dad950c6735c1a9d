"""The dashboard's flow view: earn categories -> spend categories, coins on each link.

One horizontal bar per spend category (unlocks, power-ups, expiry ...), stacked by the earn category
whose coins paid for it (oldest coins first: `coinloop.core.provenance`), and the two headline shares
under it. Works for one save and a playtest group alike (the matrices are summed).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from coinloop.analytics import provenance as paid_by
from coinloop.core import provenance as rule

# one colour per earn category, stable across saves and runs (plotext takes RGB tuples)
COLOURS = {"game": (80, 200, 120), "in-episode ad": (220, 120, 200), "story prompt": (170, 110, 230),
           "hub ad": (240, 170, 60), "paywall ad": (240, 210, 90), "check-in": (90, 170, 230),
           "VIP daily": (230, 90, 90), "shop pack": (230, 180, 40), "shop bonus": (200, 150, 60),
           "start": (150, 150, 150), "designer": (110, 110, 110), "other": (90, 90, 90)}


def draw(plt: Any, matrix: rule.Matrix) -> None:
    """Draw the flow onto a cleared plotext module (a PlotextPlot's `plt`)."""
    spends, earns, coins = paid_by.links(matrix)
    if not spends:
        return
    plt.stacked_bar(spends, coins, labels=earns, color=[COLOURS.get(e, (90, 90, 90)) for e in earns],
                    orientation="horizontal", width=0.6)


def _cell(value: float | None, side: str) -> str:
    return f"no {side} spending yet" if value is None else f"{value:.0%}"


def shares_text(matrix: rule.Matrix, sim: Any = None) -> Text:
    """The playtest's two headline shares, and each simulated persona's when a `--sim` file has them."""
    parts = []
    for key, value in rule.shares(matrix).items():
        label, side = rule.SHARE_TEXT[key]
        parts.append(f"{label}: " + _cell(value, side))
    lines = ["   ".join(parts)]
    for p in (sim.personas if sim is not None else []):
        if p.shares:
            lines.append(f"sim {p.name}: " + " · ".join(
                _cell(p.shares.get(k), side) for k, (_label, side) in rule.SHARE_TEXT.items()))
    return Text("\n".join(lines))   # content (persona names) shown literally
