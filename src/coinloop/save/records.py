"""The save's other tables: unlocked episodes, reading progress, choice picks, daily counters.

Plain functions over a Wallet's save store (`wallet.store`, see store.py): they never touch the
connection themselves. Writes run inside `store.transaction()` (the same one as `wallet.transaction()`),
so an unlock and the spend that paid for it commit together or not at all.
"""

from __future__ import annotations

from datetime import date

from coinloop.core.keys import best_score_key
from coinloop.datarecord import datarecord
from coinloop.save.wallet import Wallet


# --- unlocks --------------------------------------------------------------------------------------

def unlocked(wallet: Wallet, series: str) -> dict[int, str]:
    """Episode number -> unlock method for one series."""
    rows = wallet.store.execute("SELECT number, method FROM unlocks WHERE series = ?", (series,))
    return {n: m for n, m in rows}


def record_unlock(wallet: Wallet, series: str, number: int, method: str) -> bool:
    """Record an unlock; False when it was already unlocked (nothing changes)."""
    with wallet.store.transaction():
        cur = wallet.store.execute(
            "INSERT OR IGNORE INTO unlocks (series, number, method, ts) VALUES (?, ?, ?, ?)",
            (series, number, method, wallet.store.now_iso()),
        )
        return cur.rowcount == 1


# --- progress -------------------------------------------------------------------------------------

@datarecord
class Progress:
    beat: int
    finished: bool


def get_progress(wallet: Wallet, series: str, number: int) -> Progress | None:
    row = wallet.store.execute(
        "SELECT beat, finished FROM progress WHERE series = ? AND number = ?", (series, number)
    ).fetchone()
    return Progress(row[0], bool(row[1])) if row else None


def all_progress(wallet: Wallet, series: str) -> dict[int, Progress]:
    rows = wallet.store.execute("SELECT number, beat, finished FROM progress WHERE series = ?", (series,))
    return {n: Progress(b, bool(f)) for n, b, f in rows}


def save_progress(wallet: Wallet, series: str, number: int, beat: int, finished: bool) -> None:
    with wallet.store.transaction():
        wallet.store.execute(
            "INSERT INTO progress (series, number, beat, finished, ts) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(series, number) DO UPDATE SET beat = excluded.beat, "
            "finished = MAX(progress.finished, excluded.finished), ts = excluded.ts",
            (series, number, beat, int(finished), wallet.store.now_iso()),
        )


def get_picks(wallet: Wallet, series: str, number: int) -> dict[int, int]:
    rows = wallet.store.execute(
        "SELECT block, option FROM picks WHERE series = ? AND number = ?", (series, number))
    return {b: o for b, o in rows}


def record_pick(wallet: Wallet, series: str, number: int, block: int, option: int) -> bool:
    with wallet.store.transaction():
        cur = wallet.store.execute(
            "INSERT OR IGNORE INTO picks (series, number, block, option, ts) VALUES (?, ?, ?, ?, ?)",
            (series, number, block, option, wallet.store.now_iso()),
        )
        return cur.rowcount == 1


# --- daily counters -------------------------------------------------------------------------------

@datarecord
class Daily:
    count: int
    amount: int
    last_ts: str | None


def get_daily(wallet: Wallet, day: date, kind: str) -> Daily:
    row = wallet.store.execute(
        "SELECT count, amount, last_ts FROM daily WHERE day = ? AND kind = ?", (day.isoformat(), kind)
    ).fetchone()
    return Daily(*row) if row else Daily(0, 0, None)


def add_daily(wallet: Wallet, day: date, kind: str, count: int = 1, amount: int = 0) -> Daily:
    with wallet.store.transaction():
        wallet.store.execute(
            "INSERT INTO daily (day, kind, count, amount, last_ts) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(day, kind) DO UPDATE SET count = count + excluded.count, "
            "amount = amount + excluded.amount, last_ts = excluded.last_ts",
            (day.isoformat(), kind, count, amount, wallet.store.now_iso()),
        )
        return get_daily(wallet, day, kind)


def last_daily(wallet: Wallet, kind: str) -> tuple[date, Daily] | None:
    row = wallet.store.execute(
        "SELECT day, count, amount, last_ts FROM daily WHERE kind = ? ORDER BY day DESC LIMIT 1", (kind,)
    ).fetchone()
    return (date.fromisoformat(row[0]), Daily(*row[1:])) if row else None


def daily_days(wallet: Wallet, kind: str, limit: int = 31) -> list[date]:
    rows = wallet.store.execute(
        "SELECT day FROM daily WHERE kind = ? ORDER BY day DESC LIMIT ?", (kind, limit))
    return [date.fromisoformat(r[0]) for r in rows]


def clear_daily(wallet: Wallet, day: date, kind: str, prefix: str) -> dict[str, int]:
    """Delete one day's counters of `kind` and of every kind starting with `prefix`; returns what they
    held ({kind: count}). The designer's "reset today's caps" (designer.py)."""
    where = "day = ? AND (kind = ? OR substr(kind, 1, ?) = ?)"   # a prefix, not a LIKE pattern
    args = (day.isoformat(), kind, len(prefix), prefix)
    with wallet.store.transaction():
        cleared = {k: n for k, n in wallet.store.all(f"SELECT kind, count FROM daily WHERE {where}", args)}
        wallet.store.execute(f"DELETE FROM daily WHERE {where}", args)
    return cleared


# --- best scores ----------------------------------------------------------------------------------

def best_scores(wallet: Wallet, game_ids: tuple[str, ...]) -> dict[str, int]:
    """The best score of each game played (a game never finished has no entry)."""
    out = {}
    for game_id in game_ids:
        value = wallet.get_state(best_score_key(game_id))
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            out[game_id] = value
    return out


def record_score(wallet: Wallet, game_id: str, score: int) -> bool:
    """Keep `score` as the game's best when it beats the last one; True when it did (a first score
    counts, 0 included). Runs in the caller's transaction when there is one."""
    with wallet.store.transaction():
        best = best_scores(wallet, (game_id,)).get(game_id)
        if best is not None and score <= best:
            return False
        wallet.set_state(best_score_key(game_id), max(0, int(score)))
        return True
