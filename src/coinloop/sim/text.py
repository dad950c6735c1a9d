"""Plain-text renderings of a simulation result (the CLI's output; the TUI renders its own table)."""

from __future__ import annotations

import io
from typing import Any

from coinloop import csvcells
from coinloop.core import provenance
from coinloop.sim.player import PASSED_BY


def render(result: dict[str, Any]) -> str:
    meta = result["meta"]
    lines = [f"{meta['players']} players x {meta['days']} days, seed {meta['seed']}, economy {meta['economy']}",
             "bot plays per score table: " + ", ".join(f"{k} {v}" for k, v in meta["bot_plays"].items()), ""]
    series = meta["series"]
    head = f"{'persona':<10}{'players':>8}" + "".join(f"{'fin ' + s[:10]:>16}{'days':>9}" for s in series)
    head += f"{'walls':>7}{'churn':>7}{'$/plr':>7}{'$/payer':>8}{'unspent':>8}"
    lines.append(head)
    for name, p in [*result["personas"].items(), ("overall", result["overall"])]:
        row = f"{name:<10}{p['players']:>8}"
        for s in series:
            d = p["days_to_finish"][s]
            days = "-" if d["median"] is None else f"{d['median']}/{d['p90']}"
            row += f"{p['finish_share'][s] * 100:>15.0f}%{days:>9}"
        pw = p["paywalls"]
        row += (f"{pw['hit']:>7}{pw['churned']:>7}{p['revenue_per_player']:>7.2f}{p['revenue_per_payer']:>8.2f}"
                f"{p['unspent_median']:>8}")
        lines.append(row)
    lines.append("")
    lines.append("walls passed by: " + "   ".join(
        f"{name}: " + " ".join(f"{k} {p['paywalls']['passed_by'].get(k, 0)}" for k in PASSED_BY)
        for name, p in result["personas"].items()))
    o = result["overall"]
    lines.append("coins in:  " + "  ".join(f"{k} {v}" for k, v in o["coins_in"].items() if v))
    lines.append("coins out: " + "  ".join(f"{k} {v}" for k, v in o["coins_out"].items() if v))
    lines.append("(days = median/p90 days to finish; unspent = median balance left at the end)")
    lines += ["", "which coins paid for what, per persona (share of spending on that side):",
              f"{'persona':<10}{'story spend paid by games':>27}{'game spend paid by stories':>28}"]
    for name, p in [*result["personas"].items(), ("overall", result["overall"])]:
        shares = p["provenance"]["shares"]
        lines.append(f"{name:<10}" + "".join(f"{_share(shares[k], side):>{w}}" for k, side, w in (
            ("story_spend_paid_by_games", "story", 27), ("game_spend_paid_by_stories", "game", 28))))
    lines += ["", "overall:"] + [("  " + line).rstrip() for line in provenance.lines(o["provenance"])]
    return "\n".join(lines)


def _share(value: float | None, side: str) -> str:
    return f"no {side} spending yet" if value is None else f"{value:.1%}"



def render_deltas(a: str, b: str, deltas: dict[str, Any]) -> str:
    lines = [f"== {b} vs {a}: mean per player, delta with 95% interval (paired by seed)"]
    for name, metrics in deltas.items():
        lines.append(f"  {name}")
        for key, m in metrics.items():
            lines.append(f"    {key:<24}{m['a']:>10.3f} -> {m['b']:>10.3f}   {m['delta']:>+9.3f}"
                         f"  [{m['low']:+.3f}, {m['high']:+.3f}]")
    return "\n".join(lines)


def deltas_csv(a: str, deltas: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    w = csvcells.writer(out, lineterminator="\n")
    w.writerow(["base", "variant", "persona", "metric", "a", "b", "delta", "low", "high"])
    for d in deltas:
        for name, metrics in d["delta"].items():
            for key, m in metrics.items():
                w.writerow([a, d["label"], name, key, m["a"], m["b"], m["delta"], m["low"], m["high"]])
    return out.getvalue()
