"""Replay a save: what the player did (its events and ledger, in order) re-run through the rules core.

`read_save` turns one save (a read-only connection) into `Step`s, the player's actions in the order they
happened: each event the areas log is one action (`game_end` a play with its score, `unlock` an unlock
with its method, `choice` a pick, `ad_watched` an ad ...), and the ledger rows no event stands for
(the VIP pass's daily coins, a designer's grant) are put back where their ledger id says they happened.
The starting grant and bonus expiry are not actions: the rules apply them (`ModelPlayer`).

`rerun` drives a `ModelPlayer` (the simulator's player over the rules core) with those steps under any
economy, so every earn and spend is re-priced and every cap and timer re-applied. Under the save's own
economy it must reproduce the save's ledger row for row (`identity`). Under another one, the first step
the rules refuse although the player did it (short at an unlock, no wait token left, an episode no
longer free) is where the recorded path ends: `Divergence` says on which day, at which episode, and
why; `sim/replay_continue.py` carries on from there with a persona.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coinloop.core import coins, earn, keys
from coinloop.core import story as core_story
from coinloop.core.catalog import SeriesSpec
from coinloop.core.state import Outcome, PlayerState, Refusal
from coinloop.core.taxonomy import Event, classify
from coinloop.economy.model import Economy
from coinloop.errors import SaveError
from coinloop.save.provenance import matrix as saved_matrix
from coinloop.sim.model import ModelPlayer

Row = tuple[int, int, int, str, "str | None"]      # amount, paid, bonus, source, key: what identity compares
MIN_STEPS = 1                                      # a save with fewer recorded actions has nothing to replay
NO_EVENT = ("vip", "designer")                     # ledger kinds no event stands for: replayed from the ledger


@dataclass(frozen=True)
class Step:
    id: int              # the event id (or -ledger id for a ledger-only step): where it came from
    ts: datetime
    kind: str            # checkin choice episode_ad place_ad unlock token batch grant pack vip vip_daily
    #                      play powerup continue read session wall designer
    args: tuple[Any, ...] = ()
    paid: bool = True    # False: the action happened but paid nothing when recorded (an ad over the cap)
    capped: str = ""     # a play: the cap that held its reward when recorded ("", "per_play", "daily")


@dataclass
class SaveRecord:
    """One save as the replay reads it."""
    name: str
    steps: list[Step]
    ledger: list[Row]
    first: datetime
    last: datetime
    usd: float                                  # money the player spent (simulated purchases)
    walls: int                                  # paywalls shown
    passed: dict[str, int]                      # how walls were passed (the paywall's chosen paths)
    provenance: dict[str, dict[str, int]]       # the save's spend x earn matrix
    mark: dict[str, Any] | None = None          # the `simulate --record` mark, when it is a simulated save
    skipped: int = 0                            # malformed events left out

    @property
    def days(self) -> int:
        return (self.last.date() - self.first.date()).days + 1

    @property
    def horizon(self) -> int:
        """Days a continuation runs to: the save's span, or the run's length for a simulated save (whose
        player may have left early under the recorded economy, not under another)."""
        days = self.mark.get("days") if self.mark else None
        return max(self.days, days if isinstance(days, int) and 0 < days <= 3650 else 0)

    def day_of(self, ts: datetime) -> int:
        """1-based day of the save's life."""
        return (ts.date() - self.first.date()).days + 1


MAX_INT = 10**9        # a number read from a save beyond this is malformed (scores, numbers, blocks)


def _ts(text: object) -> datetime:
    """An aware timestamp (ValueError otherwise: a naive one cannot be ordered against the others)."""
    if not isinstance(text, str):
        raise ValueError("not a timestamp")
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError("a timestamp without a time zone")
    return when


def _text(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > 200 or not value.isprintable():
        raise ValueError("not a short printable text")
    return value


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -1 <= value <= MAX_INT:
        raise ValueError("not a whole number in range")
    return value


def read_save(conn: sqlite3.Connection, name: str) -> SaveRecord:
    """The save's actions in order; SaveError (one line) when it cannot be read or holds nothing. A
    malformed event (not JSON, a field of the wrong type, a number out of range, a timestamp without a
    zone) is left out and counted; a malformed ledger row refuses the save (its ledger is the truth)."""
    try:
        raw = conn.execute("SELECT id, ts, amount, paid, bonus, source, key FROM ledger ORDER BY id").fetchall()
        events = conn.execute("SELECT id, ts, type, data FROM events ORDER BY id").fetchall()
        mark_row = conn.execute("SELECT value FROM state WHERE key = ?", (keys.SIM_PLAYER,)).fetchone()
        prov = saved_matrix(conn)
    except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
        raise SaveError(f"{name}: cannot read its ledger and events ({str(exc)[:120]})") from None
    try:
        ledger = [(r[0], _ts(r[1]), _amount(r[2]), _amount(r[3]), _amount(r[4]), _text(r[5]),
                   None if r[6] is None else _text(r[6])) for r in raw]
    except (ValueError, TypeError) as exc:
        raise SaveError(f"{name}: a damaged ledger row ({str(exc)[:80]}): not replayed") from None
    try:
        mark = json.loads(mark_row[0]) if mark_row else None
    except (ValueError, TypeError):
        mark = None
    book = _Book(ledger)
    steps: list[tuple[int, Step]] = []          # (lowest ledger index it owns or -1, step)
    skipped, usd = 0, 0.0
    walls, passed = 0, dict[str, int]()
    for eid, ts, type_, data in events:
        before = set(book.used)
        try:
            d = json.loads(data)
            if not isinstance(d, dict):
                raise ValueError("not an object")
            when = _ts(ts)
            step = _event_step(eid, when, str(type_), d, book)
            price = d.get("usd", 0) if type_ == Event.PURCHASE else 0
            if isinstance(price, bool) or not isinstance(price, (int, float)) or not 0 <= price <= 10_000:
                raise ValueError("not a price")
            path = _text(d["path"])[:20] if type_ == Event.PAYWALL_PATH else ""
        except (ValueError, TypeError, KeyError, IndexError, OverflowError):
            book.used = before                  # a left-out event owns no ledger row
            skipped += 1
            continue
        usd += price
        walls += type_ == Event.PAYWALL_SHOWN
        if path:
            passed[path] = passed.get(path, 0) + 1
        if step is not None:
            owned = book.used - before
            steps.append((min(owned) if owned else -1, step))
    # ledger rows no event stands for, put back by their ledger position
    extra = [(i, Step(-row[0], row[1], "vip_daily" if row[5] == keys.VIP_DAILY else "designer",
                      (row[2], "paid" if row[3] else "bonus", row[5])))
             for i, row in enumerate(ledger) if i not in book.used and classify(row[5]).kind in NO_EVENT]
    merged = _merge(steps, extra)
    if not ledger and not merged:
        raise SaveError(f"{name}: an empty save (no ledger entry, no event): nothing to replay")
    stamps = [r[1] for r in ledger] + [s.ts for s in merged]
    return SaveRecord(name, merged, [(r[2], r[3], r[4], r[5], r[6]) for r in ledger], min(stamps), max(stamps),
                      round(usd, 2), walls, passed, prov, mark if isinstance(mark, dict) else None, skipped)


def _amount(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INT:
        raise ValueError("not a coin amount")
    return value


class _Book:
    """The save's ledger rows, each owned by at most one event (by its key, or the next of its source)."""

    def __init__(self, ledger: list[Any]) -> None:
        self.ledger = ledger
        self.by_key = {str(row[6]): i for i, row in enumerate(ledger) if row[6]}
        self.by_source: dict[str, list[int]] = {}
        for i, row in enumerate(ledger):
            self.by_source.setdefault(row[5], []).append(i)
        self.used: set[int] = set()

    def take(self, source: str) -> str | None:
        """The next unowned row of `source`: its key."""
        for i in self.by_source.get(source, ()):
            if i not in self.used:
                self.used.add(i)
                return str(self.ledger[i][6]) if self.ledger[i][6] else ""
        return None

    def own(self, *keys_: str) -> None:
        for k in keys_:
            if k in self.by_key:
                self.used.add(self.by_key[k])

    def free(self, key: str) -> bool:
        return key in self.by_key and self.by_key[key] not in self.used


def _merge(steps: list[tuple[int, Step]], extra: list[tuple[int, Step]]) -> list[Step]:
    """Events in their order; each ledger-only step goes before the first event that owns a later ledger
    row or happened later."""
    out: list[Step] = []
    pending = list(extra)
    for first, step in steps:
        while pending and ((first >= 0 and pending[0][0] < first) or pending[0][1].ts < step.ts):
            out.append(pending.pop(0)[1])
        out.append(step)
    out.extend(s for _i, s in pending)
    return out


def _event_step(eid: int, ts: datetime, type_: str, d: dict[str, Any], book: _Book) -> Step | None:
    """The action one event stands for (None: an event that is not an action), marking its ledger rows."""
    s = lambda k: _text(d[k])  # noqa: E731
    n = lambda k: _int(d[k])  # noqa: E731
    if type_ == Event.SESSION_START:
        return Step(eid, ts, "session")
    if type_ == Event.CHECKIN:
        book.own(keys.checkin_key(ts.date()))
        return Step(eid, ts, "checkin")
    if type_ == Event.CHOICE:
        series, number, block = s("series"), n("number"), n("block")
        book.own(keys.choice_key(series, number, block), keys.premium_key(series, number, block))
        return Step(eid, ts, "choice", (series, number, block, n("option")))
    if type_ in (Event.AD_WATCHED, Event.AD_UNPAID):
        source = s("source")
        src = classify(source)
        paid = type_ == Event.AD_WATCHED
        if src.series:
            series, episode = source.split(":", 1)[1].rsplit("/", 1)
            block = -1
            if paid:
                key = book.take(source)
                if key:
                    block = int(key.rsplit("/", 1)[1])
            return Step(eid, ts, "episode_ad", (series, int(episode), block), paid)
        if paid:
            book.take(source)
        return Step(eid, ts, "place_ad", (src.item_id,), paid)
    if type_ == Event.UNLOCK:
        series, method = s("series"), s("method")
        if method == "batch":
            book.own(*[k for k in book.by_key if k.startswith(f"unlock-batch:{series}/") and book.free(k)][:1])
            return Step(eid, ts, "batch", (series,))
        number = n("number")
        if method == "coins":
            book.own(keys.unlock_source(series, number))
            return Step(eid, ts, "unlock", (series, number))
        if method == "wait":
            return Step(eid, ts, "token", (series, number))
        return Step(eid, ts, "grant", (series, number, method))
    if type_ == Event.PURCHASE:
        pack = s("pack")
        if pack == "vip":
            return Step(eid, ts, "vip", (f"replay-{eid}",))
        key = book.take(keys.pack_source(pack)) or f"purchase:replay-{eid}"
        purchase_id = key.removeprefix("purchase:")
        book.own(keys.purchase_bonus_key(purchase_id))
        return Step(eid, ts, "pack", (pack, purchase_id))
    if type_ == Event.GAME_END:
        play = s("play")
        book.own(keys.play_key(play))
        capped = d.get("capped_by") or ""
        return Step(eid, ts, "play", (s("game"), play, n("score")), capped=_text(capped)[:20] if capped else "")
    if type_ == Event.POWERUP:
        play = s("play")
        book.own(next((k for k in (keys.powerup_key(play, i) for i in range(64)) if book.free(k)), ""))
        return Step(eid, ts, "powerup", (s("game"), play, s("name")))
    if type_ == Event.CONTINUE:
        play, used = s("play"), n("n") - 1
        book.own(keys.continue_key(play, used))
        return Step(eid, ts, "continue", (s("game"), play, used))
    if type_ == Event.EPISODE_OPEN:
        return Step(eid, ts, "read", (s("series"), n("number")))
    if type_ == Event.PAYWALL_SHOWN:
        return Step(eid, ts, "wall", (s("series"), n("number")))
    if type_ == Event.PAYWALL_PATH:
        return Step(eid, ts, "path", (s("path")[:20],))
    return None


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
    walls: int = 0                         # paywalls met on the replayed part
    usd: float = 0.0                       # money spent on the replayed part
    passed: dict[str, int] = field(default_factory=dict)     # walls passed, by the recorded path
    notes: list[str] = field(default_factory=list)
    read: dict[str, set[int]] = field(default_factory=dict)   # episodes opened per series, first-opened order


MUST = ("unlock", "batch", "token", "grant", "choice", "powerup", "continue", "pack", "vip", "read")


def rerun(save: SaveRecord, economy: Economy, specs: dict[str, SeriesSpec]) -> Rerun:
    """The save's steps under `economy` until the first one the rules refuse although the player did it."""
    model = ModelPlayer(economy, specs, save.first)
    out = Rerun(model)
    at = "no episode yet"
    recorded = save.ledger
    for i, step in enumerate(save.steps):
        if step.ts > model.now:
            model.now = step.ts
        before = len(model.ledger)
        if step.kind in ("read", "unlock", "token", "grant", "wall"):
            at = f"{step.args[0]}/{step.args[1]}"
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
    if k in ("session", "wall", "path"):
        out.walls += k == "wall"
        if k == "path":
            out.passed[a[0]] = out.passed.get(a[0], 0) + 1
        return None
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
        if isinstance(result, Outcome):
            out.usd += econ.pack(a[0]).usd
        return result
    if k == "vip":
        result = model.buy_vip(a[0])
        if isinstance(result, Outcome):
            out.usd += econ.vip.price_usd
        return result
    if k == "vip_daily":
        return model.claim_vip_daily()
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


def _episode(specs: dict[str, SeriesSpec], series: str, number: int):  # noqa: ANN202 - an EpisodeSpec or None
    spec = specs.get(series)
    if spec is None or number not in spec.numbers:
        return None
    return spec.episodes[spec.numbers.index(number)] if spec.episodes else None


def _why(step: Step, refusal: Refusal) -> str:
    what = {"unlock": "unlocking", "batch": "the batch unlock", "token": "a wait-to-unlock", "grant": "the unlock",
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
