"""Every single-value edit of the bundled economy.toml: the checker refuses it with its key and line,
or the game runs every rule path with it without an exception.

`python -m tests.soak.economy_edits` (in `make soak-content`) runs them all and prints the figures;
tests/unit/test_economy_edits.py runs a seeded sample (`sample`) that edits every value line.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from coinloop.clock import FixedClock
from coinloop.core import rules
from coinloop.economy.check import check_economy_text
from coinloop.economy.model import Economy
from coinloop.session import Session
from coinloop.story.library import load_library

CONTENT = Path(__file__).resolve().parents[2] / "content"
ECONOMY = CONTENT / "economy.toml"
_ASSIGN = re.compile(r"^(\s*[A-Za-z0-9_]+\s*=\s*)(\[[^\]]*\]|\"[^\"]*\"|[^#\s]+)(.*)$")

NUMBERS = ["0", "1", "-1", "0.5", "1e-9", "2", "1000", "999999", "1000001", "9223372036854775807",
           "9223372036854775808", "18446744073709551616", "1e308", "1.8e308", "nan", "inf", "-inf", "-0.0",
           '"10"', "true", "[]", "{}"]
LISTS = ["[]", "[0]", "[1]", "[-1]", "[1, 0]", "[9223372036854775808]", "[1e308]", "[nan]", '["x"]',
         "[" + ", ".join(["1"] * 400) + "]", "5"]
TEXTS = ['""', '" "', '"x"', '"' + "x" * 500 + '"', "0", "true", '"[/b]"', '"bonus_first"', '"keep"']
BOOLS = ["false", "true", "0", '"true"']


def edits() -> list[tuple[int, str, str]]:
    """(line number, original value, new value) for every value line of the bundled file."""
    out = []
    for number, line in enumerate(ECONOMY.read_text(encoding="utf-8").split("\n"), 1):
        m = _ASSIGN.match(line)
        if not m:
            continue
        value = m.group(2)
        pool = LISTS if value.startswith("[") else TEXTS if value.startswith('"') else \
            BOOLS if value in ("true", "false") else NUMBERS
        out += [(number, value, new) for new in pool if new != value]
    return out


def sample(share: float, seed: int) -> list[tuple[int, str, str]]:
    """A seeded `share` of each value line's edits (at least one per line), plus one edit for each new
    value the draw left out, so every value line and every replacement value is tried; in `edits()` order."""
    every = edits()
    by_line: dict[int, list[tuple[int, str, str]]] = {}
    by_value: dict[str, list[tuple[int, str, str]]] = {}
    for edit in every:
        by_line.setdefault(edit[0], []).append(edit)
        by_value.setdefault(edit[2], []).append(edit)
    rng = random.Random(seed)
    chosen = {e for group in by_line.values() for e in rng.sample(group, max(1, round(len(group) * share)))}
    for value, group in by_value.items():
        if not any(e[2] == value for e in chosen):
            chosen.add(rng.choice(group))
    return [e for e in every if e in chosen]


def apply(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    m = _ASSIGN.match(lines[number - 1])
    assert m is not None
    lines[number - 1] = m.group(1) + new + m.group(3)
    return "\n".join(lines)


def exercise(economy: Economy) -> None:
    """Build a Session on an in-memory save and walk every rule path the economy feeds."""
    clock = FixedClock()
    session = Session.open(None, CONTENT, clock=clock, economy=economy)
    try:
        wallet = session.wallet
        story, arcade, earn = session.story, session.arcade, session.earn
        library = load_library(CONTENT, economy, strict=True)
        story.use_library(library)
        episodes = sum(len(series.numbers) for series in library)
        wallet.earn(rules_budget(economy, episodes), "designer:grant", key="grant")
        for series in story.library:
            cfg = series.price_config(economy.episodes)
            prices = [rules.episode_price(cfg, n) for n in series.numbers]
            assert all(isinstance(p, int) and p >= 0 for p in prices)
            rules.batch_price(cfg, series.numbers)
            story.paywall(series.id, series.numbers[-1])
            story.unlock(series.id, series.numbers[-1])
            story.batch_unlock(series.id)
        for game_id in arcade.game_ids:
            cfg = economy.game(game_id)
            for score in (0, 1, 37, 10**6):
                rules.game_reward(cfg, score, 0)
            play = arcade.start_play(game_id)
            arcade.finish_play(play.id, game_id, 10**6)
            used = 0
            while arcade.continue_price(game_id, used) is not None:
                arcade.buy_continue(play.id, game_id, used)
                used += 1
            for name in cfg.powerups:
                arcade.buy_powerup(play.id, game_id, name)
            arcade.daily_left(game_id)
        for _day in range(len(economy.checkin.streak_rewards) + 2):
            earn.checkin_status()
            earn.check_in()
            earn.ad_status()
            earn.watch_hub_ad()
            clock.advance(economy.ads.cooldown_seconds + 1)
            earn.watch_hub_ad()
            tokens = earn.wait_tokens()
            if tokens.available:
                earn.use_wait_token()
            earn.wait_tokens()
            clock.advance(days=1)
        for i, pack in enumerate(economy.packs):
            earn.buy_pack(pack.id, f"p{i}")
        earn.buy_vip("vip")
        earn.claim_vip_daily()
        clock.advance(days=economy.vip.days + 1)
        earn.vip_status()
        clock.advance(hours=economy.wait_unlock.hours_per_unlock * (economy.wait_unlock.cap + 1))
        earn.wait_tokens()
        wallet.balance()
    finally:
        session.close()


def rules_budget(economy: Economy, episodes: int) -> int:
    """Enough coins for every spend `exercise` makes on a library of `episodes` episodes (prices are
    bounded by the checker's ranges)."""
    games = sum(sum(g.continue_prices) + sum(g.powerups.values()) for g in economy.games.values())
    return episodes * max(economy.episodes.price_max, economy.episodes.price_base) + games + 1


@dataclass
class Report:
    edits: int = 0
    accepted: int = 0
    refused: int = 0
    refused_without_line: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)


def run(chosen: list[tuple[int, str, str]] | None = None) -> Report:
    """Check and walk `chosen` edits (all of them by default)."""
    text = ECONOMY.read_text(encoding="utf-8")
    report = Report()
    for number, old, new in edits() if chosen is None else chosen:
        report.edits += 1
        where = f"line {number}: {old} -> {new[:40]}"
        result = check_economy_text(apply(text, number, new), "economy.toml")
        if result.economy is None:
            report.refused += 1
            if any(not e.line for e in result.errors):
                report.refused_without_line.append(where)
            continue
        report.accepted += 1
        try:
            exercise(result.economy)
        except Exception as exc:  # noqa: BLE001 - the figure we report
            report.crashes.append(f"{where}: {type(exc).__name__}: {exc}")
    return report


if __name__ == "__main__":
    r = run()
    print(f"economy single-value edits: {r.edits} tried, {r.accepted} accepted, {r.refused} refused; "
          f"accepted but crash = {len(r.crashes)}, refused without a line = {len(r.refused_without_line)}")
    for line in r.crashes[:20]:
        print("  crash:", line)
    sys.exit(1 if r.crashes or r.refused_without_line else 0)
