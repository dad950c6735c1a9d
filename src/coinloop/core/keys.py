"""Every ledger source, idempotency key, daily-counter kind and save key, built in ONE place.

A ledger source is `kind:detail` (`game:reflex`, `unlock:contract-bride/4`); `core/taxonomy.py` maps each
kind to its category. The app's areas, the rules core and the simulator all call these functions, so a
rename here renames it everywhere (and the model = game test compares the two ledgers entry by entry).
Imports nothing of coinloop's: the lowest layer. The keys of a day, an episode or a prompt are memoised
(`lru_cache`: pure functions of a few small values that every save and simulated player asks again, and
formatting a date or an int costs more than the lookup); a key unique to one play or purchase is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache

# --- sources without detail -------------------------------------------------------------------------
START = "start"                  # the starting balance (also its key)
EXPIRE = "expire"                # expired bonus coins
CHECKIN = "checkin"              # the daily check-in (also its daily-counter kind)
VIP_DAILY = "vip:daily"          # the VIP pass's daily coins
DESIGNER_GRANT = "designer:grant"

# --- daily-counter kinds (the save's `daily` table) -------------------------------------------------
ADS = "ads"
VIP = "vip"
PLAYER_KINDS = (ADS, CHECKIN, VIP)   # the counters every earn rule may look at
READ = "read"            # episodes finished for the first time (missions)
SERIES_DONE = "series"   # series finished (their last unfinished episode finished)
PROMPTS = "prompts"      # episode prompts answered (count; coins: what they paid)
MISSIONS = "missions"    # missions claimed (count; coins: what they paid)
MISSION_KINDS = (READ, SERIES_DONE, PROMPTS, ADS, CHECKIN, MISSIONS)   # + each game's play and best counters


# --- games ------------------------------------------------------------------------------------------
def game_source(game_id: str) -> str:
    """A game's rewards (also its daily-counter kind)."""
    return f"game:{game_id}"


def best_kind(game_id: str) -> str:
    """The daily counter whose count is today's best score in a game (raised by the difference)."""
    return f"best:{game_id}"


def play_id(game_id: str, started: datetime, n: int) -> str:
    """The `n`th play of a save (1-based), started at `started`: the app's arcade and the simulator."""
    # the fields by hand, as strftime's %Y%m%d%H%M%S writes them (an unpadded year): several times faster
    return "%s-%d%02d%02d%02d%02d%02d-%d" % (game_id, started.year, started.month, started.day, started.hour,
                                            started.minute, started.second, n)


def play_key(play_id: str) -> str:
    return f"play:{play_id}"


def powerup_source(game_id: str, name: str) -> str:
    return f"powerup:{game_id}/{name}"


def powerup_key(play_id: str, n: int) -> str:
    """The `n`th power-up bought in one play (0-based)."""
    return f"powerup:{play_id}/{n}"


def continue_source(game_id: str) -> str:
    return f"continue:{game_id}"


def continue_key(play_id: str, continues_used: int) -> str:
    return f"continue:{play_id}/{continues_used}"


# --- ads --------------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def episode_ad_source(series: str, number: int) -> str:
    return f"ad:{series}/{number}"


@lru_cache(maxsize=4096)
def episode_ad_key(series: str, number: int, block: int) -> str:
    return f"ad:{series}/{number}/{block}"


def place_ad_source(where: str) -> str:
    """An ad outside episodes: `where` is a place (hub, paywall)."""
    return f"ad:{where}"


@lru_cache(maxsize=4096)
def place_ad_key(where: str, today: date, slot: int, resets: int = 0) -> str:
    """One key per ad slot of the day; a designer's cap reset (`resets`) starts a new series of slots."""
    key = f"ad:{where}/{today.isoformat()}/{slot}"
    return f"{key}/r{resets}" if resets else key


# --- the story --------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def checkin_key(today: date) -> str:
    return f"checkin:{today.isoformat()}"


@lru_cache(maxsize=4096)
def unlock_source(series: str, number: int) -> str:
    """One episode's unlock (also its key: an episode is bought once)."""
    return f"unlock:{series}/{number}"


def batch_source(series: str, numbers: Sequence[int]) -> str:
    span = f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])
    return f"unlock-batch:{series}/{span}"


def batch_key(series: str, numbers: Sequence[int]) -> str:
    return f"unlock-batch:{series}/{','.join(map(str, numbers))}"


@lru_cache(maxsize=4096)
def premium_source(series: str, number: int) -> str:
    return f"premium:{series}/{number}"


@lru_cache(maxsize=4096)
def premium_key(series: str, number: int, block: int) -> str:
    return f"premium:{series}/{number}/{block}"


@lru_cache(maxsize=4096)
def choice_source(series: str, number: int) -> str:
    return f"choice:{series}/{number}"


@lru_cache(maxsize=4096)
def choice_key(series: str, number: int, block: int) -> str:
    return f"choice:{series}/{number}/{block}"


# --- shop and VIP -----------------------------------------------------------------------------------
def pack_source(pack_id: str) -> str:
    return f"shop:{pack_id}"


def pack_bonus_source(pack_id: str) -> str:
    return f"shop:{pack_id}:bonus"


def purchase_key(purchase_id: str) -> str:
    return f"purchase:{purchase_id}"


def purchase_bonus_key(purchase_id: str) -> str:
    return f"{purchase_key(purchase_id)}:bonus"


@lru_cache(maxsize=4096)
def vip_daily_key(today: date) -> str:
    return f"vip:{today.isoformat()}"


VIP_PURCHASE = "vip_purchase:"   # a VIP purchase moves no coins: its marker is a save key, not a ledger key


def vip_purchase_key(purchase_id: str) -> str:
    return f"{VIP_PURCHASE}{purchase_id}"


# --- missions ----------------------------------------------------------------------------------------
def mission_source(kind: str, mission_id: str) -> str:
    """A claimed mission's coins: `mission:<kind>/<id>` (the kind says which half of the loop earned them)."""
    return f"mission:{kind}/{mission_id}"


@lru_cache(maxsize=4096)
def mission_key(mission_id: str, today: date) -> str:
    """A mission is claimed once a day. Memoised: a pure function of (mission, day), and every save and
    simulated player of a day asks for the same few (the board and `claimable` ask after every session)."""
    return f"mission:{today.isoformat()}/{mission_id}"


MISSION_SEED = "mission_seed"   # save key: what seeds the save's daily draw (unset: the save's name)


def sim_mission_seed(index: int) -> str:
    """A simulated player's daily-missions seed (a recorded save stores it under MISSION_SEED)."""
    return f"player-{index}"


# Keys whose reuse a rule checks (a re-read episode's ad, a replayed purchase or continue); the other
# keys (unlock:, choice:, checkin: ...) are guarded by state of their own (unlocks, picks, streak).
CHECKED_KEYS = ("ad:", "purchase:", "vip:", "continue:", "powerup:", "mission:")


# --- the save's key-value state <-> PlayerState fields ---------------------------------------------
# PlayerState field -> the save key it is stored under (`areas/_record.load_player` reads these, the
# rules' `Remember` rows write them).
LAST_AD = "last_ad_ts"
CHECKIN_STREAK = "checkin_streak"
WAIT_TOKENS = "wait_tokens"
VIP_UNTIL = "vip_until"
AUTO_UNLOCK = "auto_unlock"        # the player's auto-unlock toggle (true/false)
PURCHASED = "first_purchase_done"  # a pack was bought: the first-purchase offer is gone
STATE_KEYS = {"last_ad": LAST_AD, "checkin_streak": CHECKIN_STREAK, "tokens": WAIT_TOKENS, "vip_until": VIP_UNTIL,
              "auto_unlock": AUTO_UNLOCK, "purchased": PURCHASED}
CAPS_RESETS = "caps_reset_count"   # how often a designer reset today's caps (new ad slots)
ADS_SHOWN = "ads_shown"            # ad breaks shown so far: the next one shows creative N mod count

# A save written by `simulate --record` (not a person's playtest): {persona, seed, index, economy}.
# Every view that names a save reads it to show a "simulated" tag; replay and fit read the truth from it.
SIM_PLAYER = "simulated_player"


def best_score_key(game_id: str) -> str:
    """The save key of a game's best score (`save.records.best_scores` / `record_score`)."""
    return f"arcade:best:{game_id}"
