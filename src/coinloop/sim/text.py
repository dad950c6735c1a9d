"""Plain-text renderings of a simulation result (the CLI's output; the TUI renders its own table)."""

from __future__ import annotations

import io
from typing import Any

from coinloop import csvcells
from coinloop.core import provenance
from coinloop.sim.player_record import PASSED_BY


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:.1f}%"


def _days(d: dict[str, Any]) -> str:
    if d["median"] is None:
        return "-"
    iv = f" [{d['low']:.1f}-{d['high']:.1f}]" if d.get("low") is not None else ""
    return f"{d['median']}/{d['p90']}{iv}"


def render(result: dict[str, Any]) -> str:
    meta = result["meta"]
    lines = [f"{meta['players']} players x {meta['days']} days, seed {meta['seed']}, economy {meta['economy']}",
             "bot score tables (independent of --seed): "
             + ", ".join(f"{k} {v}" for k, v in meta["bot_plays"].items()), ""]
    lines.append(f"{'persona':<10}{'players':>8}{'D1':>7}{'D7':>7}{'D28':>7}{'D30':>7}{'sess':>6}{'read m':>7}"
                 f"{'play m':>7}{'ads/DAU':>8}{'conv':>7}{'$/plr':>7}{'ARPDAU':>8}{'ARPPU':>7}{'pack':>7}{'VIP':>7}"
                 f"{'walls':>7}{'buy/wall':>9}{'left':>7}")
    rows = [*result["personas"].items(), ("overall", result["overall"])]
    for name, p in rows:
        r, a = p["retention"], p["per_active_day"]
        lines.append(
            f"{name:<10}{p['players']:>8}{_pct(r['d1']):>7}{_pct(r['d7']):>7}{_pct(r['d28']):>7}{_pct(r['d30']):>7}"
            f"{a['sessions']:>6.2f}{a['minutes_reading']:>7.1f}{a['minutes_playing']:>7.1f}"
            f"{_pct(p['ad_viewers_per_dau']):>8}{_pct(p['conversion']):>7}{p['revenue_per_player']:>7.3f}"
            f"{p['arpdau']:>8.3f}{p['arppu']['all']:>7.2f}{p['arppu']['packs']:>7.2f}{p['arppu']['vip']:>7.2f}"
            f"{p['walls']['per_player']:>7.2f}{_pct(p['walls']['purchases_per_wall']):>9}"
            f"{_pct(p['left_for_good']):>7}")
    lines.append("")
    series = meta["series"]
    # each series' column is as wide as its id needs: a header never cuts an id
    width = {s: max(24, len(s) + 10) for s in series}
    lines.append(f"{'persona':<10}" + "".join(f"{'finished ' + s:>{width[s]}}{'days (median/p90 [95% mean])':>30}"
                                              for s in series) + f"{'finished all':>14}{'days':>20}")
    for name, p in rows:
        row = f"{name:<10}"
        for s in series:
            row += f"{_pct(p['finish_share'][s]):>{width[s]}}{_days(p['days_to_finish'][s]):>30}"
        row += f"{_pct(p['finish_all_share']):>14}{_days(p['days_to_finish_all']):>20}"
        lines.append(row)
    lines.append("")
    lines.append("walls passed by (all players of the persona, counts): " + "   ".join(
        f"{name}: " + " ".join(f"{k} {p['paywalls']['passed_by'].get(k, 0)}" for k in PASSED_BY)
        for name, p in result["personas"].items()))
    o = result["overall"]
    lines.append("coins in per player [95%]: " + "  ".join(
        f"{k} {v['mean']:.1f} [{v['low']:.1f}, {v['high']:.1f}]" for k, v in o["coins_in_per_player"].items()
        if v["mean"] and v["low"] is not None))
    lines.append("coins out: " + "  ".join(f"{k} {v}" for k, v in o["coins_out"].items() if v))
    lines.append("(D1..D30: share active that day; sess/read m/play m: per active player-day; conv: share who "
                 "ever paid; ARPPU split packs / VIP; walls: paywalls met per player; buy/wall: purchases per wall met; "
                 "left: share of players who left for good; days counted from the day the player started the series)")
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
    lines = [f"== {b} vs {a}: mean per player, delta with 95% t interval (same players, paired by seed)"]
    for name, metrics in deltas.items():
        changed = {k: m for k, m in metrics.items() if not m["no_change"]}
        same = [k for k, m in metrics.items() if m["no_change"]]
        lines.append(f"  {name}")
        for key, m in changed.items():
            iv = f"[{m['low']:+.3f}, {m['high']:+.3f}]" if m.get("low") is not None else "(one pair: no interval)"
            lines.append(f"    {key:<26}{m['a']:>10.3f} -> {m['b']:>10.3f}   {m['delta']:>+9.3f}  {iv}")
        if same:
            lines.append(f"    no change: {', '.join(same)}")
    return "\n".join(lines)


def deltas_csv(a: str, deltas: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    w = csvcells.writer(out, lineterminator="\n")
    w.writerow(["base", "variant", "persona", "metric", "pairs", "a", "b", "delta", "low", "high", "no_change"])
    for d in deltas:
        for name, metrics in d["delta"].items():
            for key, m in metrics.items():
                w.writerow([a, d["label"], name, key, m["n"], m["a"], m["b"], m["delta"], m.get("low", ""),
                            m.get("high", ""), m["no_change"]])
    return out.getvalue()
