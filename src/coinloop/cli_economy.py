"""`coinloop economy show [--json]`: the economy at a glance (core/overview.py), instant, no simulation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from coinloop.cli import content_option, economy_option, friendly

if TYPE_CHECKING:
    from coinloop.core.overview import Overview
    from coinloop.economy.model import Economy


def build(content: Path | None, economy_path: Path | None) -> tuple["Overview", "Economy"]:
    from coinloop.economy import load_economy
    from coinloop.paths import default_content
    from coinloop.sim.catalog import economy_overview
    from coinloop.story.library import load_library

    folder = content or default_content()
    economy = load_economy(economy_path or folder / "economy.toml")
    return economy_overview(load_library(folder, economy, strict=True), economy), economy


@click.group()
def economy() -> None:
    """What economy.toml means, before simulating anything."""


@economy.command()
@content_option
@economy_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@friendly
def show(content: Path | None, economy_path: Path | None, as_json: bool) -> None:
    """Series costs, earn paths at their caps, days of free play per series, first-paywall shortfall."""
    from coinloop.core.overview import READING_DAY

    ov, econ = build(content, economy_path)
    if as_json:
        click.echo(json.dumps({"economy": econ.source, **ov.to_dict()}, indent=2))
        return
    click.echo(render(ov, econ.source, READING_DAY))


def render(ov: "Overview", source: str, reading_day: str) -> str:
    def days(v: int | None) -> str:
        return "never" if v is None else f"{v} d"

    lines = [f"economy: {source}", "", "Series (coins)"]
    lines.append(f"  {'series':<16} {'eps':>4} {'free':>4} {'1st':>4} {'one by one':>10} {'batch':>6} "
                 f"{'free eps pay':>12} {'1st short':>9} {'days, all paths':>15}")
    for s in ov.series:
        lines.append(f"  {s.id[:16]:<16} {s.episodes:>4} {s.free:>4} {s.first_price:>4} {s.one_by_one:>10} "
                     f"{s.batch:>6} {s.free_rewards:>12} {s.first_shortfall:>9} {days(s.days_all):>15}")
        curve = ", ".join(map(str, s.prices[:12])) + (" ..." if len(s.prices) > 12 else "")
        lines.append(f"    price curve: {curve or 'nothing locked'}")
        lines.append("    days on one path alone: " + ", ".join(f"{k} {days(v)}" for k, v in s.days_alone.items()))
    lines += ["", "Earn paths at their caps"]
    for p in ov.paths:
        rate = f", {p.per_minute:g} coins/min" if p.per_minute else ""
        table = f" (streak days: {', '.join(map(str, p.by_day))})" if p.by_day else ""
        paid = " [paid]" if p.paid else ""
        lines.append(f"  {p.label:<56} {p.per_day:>5}/day{rate}{paid}{table}")
        if p.assumes:
            lines.append(f"    assumes {p.assumes}")
    lines += ["", f"Sinks inside games, beside a day of reading ({ov.reading_day} coins: {reading_day})"]
    for k in ov.sinks:
        ups = ", ".join(f"{n} {c}" for n, c in k.powerups.items()) or "none"
        lines.append(f"  {k.game:<8} power-ups: {ups}; continues: {', '.join(map(str, k.continues)) or 'none'}")
    if ov.warnings:
        lines += ["", "Warnings"] + [f"  warning: {w}" for w in ov.warnings]
    return "\n".join(lines)
