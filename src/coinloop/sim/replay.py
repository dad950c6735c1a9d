"""Replay a save: what the player did (its events and ledger, in order) re-run through the rules core.

`read_save` (sim/replay_read.py) turns one save (a read-only connection) into `Step`s, the player's
actions in the order they happened.

`rerun` drives a `ModelPlayer` (the simulator's player over the rules core) with those steps under any
economy, so every earn and spend is re-priced and every cap and timer re-applied. Under the save's own
economy it must reproduce the save's ledger row for row (`identity`). Under another one, the first step
the rules refuse although the player did it (short at an unlock, no wait token left, an episode no
longer free) is where the recorded path ends: `Divergence` says on which day, at which episode, and
why; `sim/replay_continue.py` carries on from there with a persona.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coinloop.core import coins, earn, keys
from coinloop.core import story as core_story
from coinloop.core.catalog import SeriesSpec
from coinloop.core.state import Outcome, PlayerState, Refusal
from coinloop.core.taxonomy import classify
from coinloop.economy.model import Economy
from coinloop.sim.model import ModelPlayer
from coinloop.sim.replay_read import Row, SaveRecord, Step, read_save

if TYPE_CHECKING:
    from coinloop.core.catalog import EpisodeSpec

__all__ = ["Divergence", "Rerun", "Row", "SaveRecord", "Step", "identity", "iter_categories", "read_save", "rerun"]

# --- re-running ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Divergence:
    step: int                 # index of the first step the rules refused
    day: int                  # 1-based day of the save
    episode: str              # "series/number" the player was at
    why: str


@dataclass
class Rerun:
    model: ModelPlayer
    steps: int = 0                         # steps replayed before the divergence (all of them when none)
    divergence: Divergence | None = None
    first_difference: Divergence | None = None   # first step whose coins differ from the recorded ones
    capped: int = 0                        # recorded earns now paid less or nothing (a cap reached earlier)
    first_capped: Divergence | None = None # the first of them: day, episode, which cap
    usd: float = 0.0                       # money spent on the replayed part
    notes: list[str] = field(default_factory=list)
    read: dict[str, set[int]] = field(default_factory=dict)   # episodes opened per series, first-opened order
    wall: tuple[str, int] | None = None    # the last paywall shown (where a one-key top-up buys)


MUST = ("unlock", "batch", "token", "grant", "auto", "choice", "powerup", "continue", "pack", "topup", "vip", "read")


def rerun(save: SaveRecord, economy: Economy, specs: dict[str, SeriesSpec]) -> Rerun:
    """The save's steps under `economy` until the first one the rules refuse although the player did it."""
    model = ModelPlayer(economy, specs, save.first, mission_seed=save.mission_seed or save.name)
    out = Rerun(model)
    at = "no episode yet"
    recorded = save.ledger
    for i, step in enumerate(save.steps):
        if step.ts > model.now:
            model.now = step.ts
        before = len(model.ledger)
        if step.kind in ("read", "unlock", "token", "grant", "auto", "wall"):
            at = f"{step.args[0]}/{step.args[1]}"
        if step.kind == "wall":
            out.wall = step.args
        result = _apply(model, step, specs, out)
        if isinstance(result, Refusal) and step.kind in MUST:
            out.divergence = Divergence(i, save.day_of(step.ts), at, _why(step, result))
            break
        moved = model.ledger[before:]
        if out.first_difference is None and [(m.amount, m.source) for m in moved] != \
                [(r[0], r[3]) for r in recorded[before:before + len(moved)]]:
            out.first_difference = Divergence(i, save.day_of(step.ts), at, _diff(step, moved,
                                                                                 recorded[before:before + len(moved)]))
        cap = _capped_now(step, result)
        if cap:
            out.capped += 1
            if out.first_capped is None:
                out.first_capped = Divergence(i, save.day_of(step.ts), at, cap)
        out.steps = i + 1
    if out.divergence is None and out.first_difference is None and len(model.ledger) != len(recorded):
        out.first_difference = Divergence(out.steps, save.days, at, "the replay booked "
                                          f"{len(model.ledger)} ledger rows, the save holds {len(recorded)}")
    if out.divergence is not None and out.first_difference is None:
        out.first_difference = out.divergence
    return out


def _apply(model: ModelPlayer, step: Step, specs: dict[str, SeriesSpec], out: Rerun) -> Outcome | Refusal | None:
    k, a = step.kind, step.args
    econ = model.economy
    if k in ("session", "path"):
        return None
    if k == "wall":          # a paywall shown: the first one starts the first free unlock's clock
        return model.paywall_shown()
    if k == "toggle":
        return model.set_auto_unlock(a[0])
    if k == "auto":
        series, number, _method = a
        if series not in specs or number not in specs[series].numbers:
            return None
        # the rules decide again: an unlocking VIP pass opens it free, else the toggle pays when coins cover it
        return model.auto_unlock(series, number)
    if k == "checkin":
        return model.check_in()
    if k == "choice":
        series, number, block, option = a
        ep = _episode(specs, series, number)
        choice = next((c for c in ep.choices if c[0] == block), None) if ep else None
        if choice is None or not 0 <= option < len(choice[2]):
            out.notes.append(f"{series}/{number}: choice {block} is not in this content; left out")
            return None
        return model.answer_choice(series, number, block, option, choice[2][option], choice[1])
    if k == "episode_ad":
        series, number, block = a
        ep = _episode(specs, series, number)
        ads = {b: reward for b, _secs, reward in ep.ads} if ep else {}
        if block not in ads:                                  # an unpaid ad: its first ad block
            block = next(iter(ads), -1)
        if block < 0:
            return None
        return model.episode_ad(series, number, block, ads[block])
    if k == "place_ad":
        state = model.settle()
        return model.commit(earn.complete_ad(state, econ, econ.ads.reward, keys.place_ad_source(a[0]),
                                             earn.hub_ad_key(state, model.now.date(), a[0]), model.now))
    if k == "unlock":
        if a[0] not in specs or a[1] not in specs[a[0]].numbers:
            return None
        return model.unlock(*a)
    if k == "batch":
        return model.batch_unlock(a[0]) if a[0] in specs else None
    if k == "token":
        return model.unlock_with_token(*a) if a[0] in specs else None
    if k == "grant":
        if a[0] not in specs:
            return None
        return model.run(lambda st: core_story.grant(st, specs[a[0]], a[1], a[2]))
    if k == "read":
        series, number = a
        if series not in specs or number not in specs[series].numbers:
            return None
        spec = specs[series]
        if spec.is_free(number) or model.state.is_unlocked(series, number):
            out.read.setdefault(series, set()).add(number)
            return None
        return Refusal("short", f"{series} episode {number} is locked here (price {spec.price(number)})")
    if k == "pack":
        if a[0] not in {p.id for p in econ.packs}:
            return Refusal("unknown", f"pack {a[0]!r} is not sold in this economy")
        result = model.buy_pack(*a)
        if isinstance(result, Outcome) and not result.already:
            out.usd += float(result.value or 0)     # what was paid (the first-purchase discount applied)
        return result
    if k == "topup":
        if out.wall is None or out.wall[0] not in specs or out.wall[1] not in specs[out.wall[0]].numbers:
            # no paywall known to top up at: the recorded pack, bought as in the shop
            return _apply(model, Step(step.id, step.ts, "pack", a, step.paid), specs, out)
        # the paywall's one key under this economy: its covering pack (at the first-purchase price), then the unlock
        result = model.top_up_and_unlock(out.wall[0], out.wall[1], a[1])
        if isinstance(result, Outcome) and not result.already:
            out.usd += float(result.value or 0)
        return result
    if k == "vip":
        result = model.buy_vip(a[0])
        if isinstance(result, Outcome):
            out.usd += econ.vip.price_usd
        return result
    if k == "vip_daily":
        return model.claim_vip_daily()
    if k == "mission":
        return model.claim_mission(a[0])
    if k == "finish":
        if a[0] not in specs or a[1] not in specs[a[0]].numbers:
            return None
        return model.finish_episode(*a)
    if k == "designer":
        amount, coin_type, source = a

        def designer(st: PlayerState) -> Outcome | Refusal:
            moved = (coins.earn(st, econ.wallet, amount, source, model.now, coin_type=coin_type) if amount > 0
                     else coins.spend(st, econ.wallet, -amount, source))
            return moved if isinstance(moved, Refusal) else Outcome(moved[0], (moved[1],))

        return model.run(designer)
    if k in ("play", "powerup", "continue") and a[0] not in econ.games:
        out.notes.append(f"{a[0]}: no such game in this economy; its play left out")
        return None
    if k == "play":
        return model.finish_play(*a)
    if k == "powerup":
        game, play, name = a
        if name not in econ.game(game).powerups:
            return Refusal("unknown", f"{game} sells no power-up {name!r} in this economy")
        return model.buy_powerup(game, play, name)
    if k == "continue":
        return model.buy_continue(*a)
    return None


def _capped_now(step: Step, result: Outcome | Refusal | None) -> str:
    """Why a recorded earn pays less now (a cap or cooldown reached earlier), or ""."""
    if not step.paid or step.kind not in ("play", "episode_ad", "place_ad", "vip_daily"):
        return ""
    if isinstance(result, Refusal):
        return f"{step.kind.replace('_', ' ')}: {result.message}"
    if step.kind == "play" and isinstance(result, Outcome):
        cap = getattr(result.value, "capped_by", "")
        if cap and cap != step.capped:
            return f"a {step.args[0]} play now held by the {cap.replace('_', '-')} cap (recorded: " \
                   f"{step.capped.replace('_', '-') + ' cap' if step.capped else 'uncapped'})"
    return ""


def _episode(specs: dict[str, SeriesSpec], series: str, number: int) -> "EpisodeSpec | None":
    spec = specs.get(series)
    if spec is None or number not in spec.numbers:
        return None
    return spec.episodes[spec.numbers.index(number)] if spec.episodes else None


def _why(step: Step, refusal: Refusal) -> str:
    what = {"unlock": "unlocking", "auto": "the auto-unlock", "topup": "the top-up",
            "batch": "the batch unlock", "token": "a wait-to-unlock", "grant": "the unlock",
            "choice": "a premium choice", "powerup": "a power-up", "continue": "a continue", "pack": "a pack",
            "vip": "the VIP pass", "read": "reading"}.get(step.kind, step.kind)
    return f"{what}: {refusal.message}"


def _diff(step: Step, moved: list[Any], recorded: list[Row]) -> str:
    now = ", ".join(f"{m.amount:+d} {m.source}" for m in moved) or "nothing"
    then = ", ".join(f"{r[0]:+d} {r[3]}" for r in recorded) or "nothing"
    return f"{step.kind}: now {now}; recorded {then}"


def identity(save: SaveRecord, run: Rerun) -> tuple[bool, int]:
    """(the replay booked exactly the save's ledger, how many leading rows agree)."""
    mine = [(m.amount, m.paid, m.bonus, m.source, m.key) for m in run.model.ledger]
    same = next((i for i, (a, b) in enumerate(zip(mine, save.ledger)) if a != b), min(len(mine), len(save.ledger)))
    return mine == save.ledger, same


def iter_categories(rows: list[Row]) -> Iterator[tuple[str, int]]:
    """(category of a coin in / item type of a coin out, signed amount) per ledger row."""
    for amount, _paid, _bonus, source, _key in rows:
        src = classify(source)
        yield (src.category if amount > 0 else src.item_type), amount
