"""The economy at a glance, from economy.toml and the content alone (no simulation, so instant).

What a spreadsheet would answer: what each series costs, what each earn path can pay in a day at its
caps, how many days of free play a series takes on each path alone and on all of them together, what a
new player is short at the first paywall, and what the sinks inside games cost beside what a day of
reading pays. Pure: an Economy and the content as SeriesSpecs in, frozen values out (the CLI, the
overview screen and the live reload all print these). Every figure is an upper bound at the caps,
with the assumption named beside it (`assumes`), never a prediction of what players will do: that is
the simulator's job.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

from coinloop.core.catalog import SeriesSpec
from coinloop.core.missions import daily_coins as missions_daily_coins
from coinloop.economy.model import Economy

HORIZON_DAYS = 365          # "days to afford" beyond this prints as "never" (a path that pays ~nothing)


@dataclass(frozen=True)
class EarnPath:
    id: str
    label: str
    per_day: int                        # coins a day at its caps (check-in: at the top of the streak)
    per_minute: float | None            # coins per minute of the player's time, where time is the cost
    by_day: tuple[int, ...] = ()        # check-in: coins on streak day 1, 2, ... (the table)
    paid: bool = False                  # needs money (VIP)
    assumes: str = ""


@dataclass(frozen=True)
class SeriesCost:
    id: str
    title: str
    episodes: int
    free: int
    prices: tuple[int, ...]             # each locked episode's price, in order (the curve)
    one_by_one: int
    batch: int                          # unlock all the locked episodes at once, with the discount
    free_rewards: int                   # coins its free episodes pay (prompts + in-episode ads)
    first_price: int                    # the first paywall's price (0 when nothing is locked)
    first_shortfall: int                # a new player's shortfall there (0 = passable without earning)
    days_alone: dict[str, int | None]   # path id -> days of free play to afford one_by_one (None: never)
    days_all: int | None                # every free path together


@dataclass(frozen=True)
class Sink:
    game: str
    powerups: dict[str, int]
    continues: tuple[int, ...]


@dataclass(frozen=True)
class Overview:
    series: tuple[SeriesCost, ...]
    paths: tuple[EarnPath, ...]
    sinks: tuple[Sink, ...]
    reading_day: int                    # coins a day of reading pays (see READING_DAY)
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


READING_DAY = ("reading every free episode of every series in one day: each prompt answered once, each "
               "in-episode ad watched while the shared daily ad cap allows")


def earn_paths(econ: Economy, game_ids: Iterable[str]) -> tuple[EarnPath, ...]:
    streak = tuple(econ.checkin.streak_rewards)
    ads = econ.ads
    out = [
        EarnPath("checkin", "check-in", streak[-1] if streak else 0, None, streak,
                 assumes="claimed every day (the streak table's last value repeats)"),
        EarnPath("ads", "ads", ads.daily_cap * ads.reward,
                 round(ads.reward * 60 / ads.seconds, 1) if ads.seconds else None,
                 assumes=f"{ads.daily_cap} ads of {ads.seconds} s, {ads.cooldown_seconds} s apart "
                         "(hub, paywall and in-episode ads share the cap)"),
    ]
    for gid in game_ids:
        g = econ.game(gid)
        plays = math.ceil(g.daily_cap / g.max_per_play) if g.max_per_play else 0
        out.append(EarnPath(f"game:{gid}", f"game: {gid}", g.daily_cap, None,
                            assumes=f"{plays} plays at the {g.max_per_play}-coin per-play cap reach the daily cap"))
    cfg = econ.missions
    most, mean = missions_daily_coins(cfg)
    if most:
        out.append(EarnPath("missions", "missions", most, None,
                            assumes=f"{min(cfg.per_day, len(cfg.pool))} of {len(cfg.pool)} missions drawn a day, "
                                    f"every one completed (the best draw; an average draw pays {mean:.0f})"))
    out.append(EarnPath("vip", "VIP daily", econ.vip.daily_coins, None, paid=True,
                        assumes=f"a ${econ.vip.price_usd:.2f} pass, {econ.vip.days} days"))
    return tuple(out)


def days_to_afford(cost: int, by_day: list[int] | tuple[int, ...], per_day: int) -> int | None:
    """Days until the running sum reaches `cost`: `by_day` for the first days, then `per_day` a day."""
    if cost <= 0:
        return 0
    total = 0
    for day in range(1, HORIZON_DAYS + 1):
        total += by_day[day - 1] if day <= len(by_day) else per_day
        if total >= cost:
            return day
    return None


def _free_rewards(econ: Economy, spec: SeriesSpec, ads_left: int) -> tuple[int, int]:
    """(coins, ads used) that reading this series' free episodes pays, within `ads_left` paid ads."""
    coins = used = 0
    for ep in spec.episodes:
        if not spec.is_free(ep.number):
            continue
        coins += sum(reward for _block, reward, _costs in ep.choices)
        for _block, _seconds, reward in ep.ads:
            if used < ads_left and reward > 0:
                coins += reward
                used += 1
    return coins, used


def overview(econ: Economy, specs: dict[str, SeriesSpec], titles: dict[str, str] | None = None,
             game_ids: Iterable[str] = ()) -> Overview:
    titles = titles or {}
    paths = earn_paths(econ, list(game_ids) or sorted(econ.games))
    free_paths = [p for p in paths if not p.paid]
    all_by_day = [sum((p.by_day[d] if d < len(p.by_day) else p.per_day) for p in free_paths)
                  for d in range(max((len(p.by_day) for p in free_paths), default=0))]
    all_per_day = sum(p.per_day for p in free_paths)
    series = []
    ads_left = econ.ads.daily_cap
    reading_day = 0
    for sid, spec in specs.items():
        locked = [n for n in spec.numbers if not spec.is_free(n)]
        prices = tuple(spec.price(n) for n in locked)
        free_coins, _ = _free_rewards(econ, spec, econ.ads.daily_cap)
        day_coins, used = _free_rewards(econ, spec, ads_left)
        ads_left -= used
        reading_day += day_coins
        first = prices[0] if prices else 0
        cost = sum(prices)
        series.append(SeriesCost(
            sid, titles.get(sid, sid), len(spec.numbers), spec.free, prices, cost,
            spec.batch_price(locked) if locked else 0, free_coins, first,
            max(0, first - econ.wallet.starting_balance - free_coins) if locked else 0,
            {p.id: days_to_afford(cost, p.by_day, p.per_day) for p in free_paths},
            days_to_afford(cost, all_by_day, all_per_day)))
    sinks = tuple(Sink(gid, dict(econ.game(gid).powerups), tuple(econ.game(gid).continue_prices))
                  for gid in (list(game_ids) or sorted(econ.games)))
    return Overview(tuple(series), paths, sinks, reading_day, tuple(_warnings(econ, series, free_paths)))


def _warnings(econ: Economy, series: list[SeriesCost], paths: list[EarnPath]) -> list[str]:
    out = []
    for s in series:
        if s.first_price and s.first_shortfall == 0:
            out.append(f"{s.id}: the first paywall ({s.first_price} coins) is passable with the "
                       f"{econ.wallet.starting_balance} starting coins and the {s.free_rewards} its free "
                       "episodes pay, without earning anything: the cliffhanger does not bite")
        for p in paths:
            if s.one_by_one and p.per_day >= s.one_by_one:
                out.append(f"{s.id}: {p.label} alone pays for the whole series ({s.one_by_one} coins) "
                           f"in one day ({p.per_day} a day at its caps)")
    return out


def change_lines(old: Overview | None, new: Overview) -> list[str]:
    """What changed between two overviews, "key: old -> new", for the live reload's notice."""
    if old is None:
        return []
    out = []
    before = {s.id: s for s in old.series}
    for s in new.series:
        was = before.get(s.id)
        if was is None:
            continue
        for name in ("one_by_one", "batch", "first_shortfall", "days_all"):
            a, b = getattr(was, name), getattr(s, name)
            if a != b:
                out.append(f"{s.id} {name.replace('_', ' ')}: {_n(a)} -> {_n(b)}")
    paths = {p.id: p for p in old.paths}
    for p in new.paths:
        if p.id in paths and paths[p.id].per_day != p.per_day:
            out.append(f"{p.id} per day: {paths[p.id].per_day} -> {p.per_day}")
    return out


def _n(value: int | None) -> str:
    return "never" if value is None else str(value)
