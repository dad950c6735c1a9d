"""Persona parameters estimated from playtest saves (`coinloop personas fit`).

Input: one observation per save (`analytics/players.py`: sessions, episodes, games and scores, ads,
purchases, days played; passed in as plain objects, this module reads no save). Output: one `Fit` per
group of similar players (Ward clustering, scipy) or per save, each parameter with the number of players
behind it and its uncertainty, ready for `fit_toml.render`.

How each parameter is estimated (the player model is `sim/player.py`'s, so the fit inverts it):
- sessions_per_day, games_per_session: a player's mean per active day / per session (the simulator
  draws a stochastic rounding of the player's rate, whose mean is the rate).
- episodes_per_session: the simulator reads up to a drawn budget; a session that ended at a wall, or when
  nothing was left to read, only says the budget was at least what it read (+1 at a wall). A grid
  maximum likelihood of the rate with those sessions censored.
- skill: the bot score tables (`sim/bots.py`) give the mean score at each skill level; a player's draw
  mixes the two levels around its skill, so its expected score is the straight line between them. The
  skill whose expected scores match the player's mean scores (all its games pooled).
- ad_tolerance: in-episode ad breaks it watched / ad breaks in the episodes it finished.
- reading_wpm: words / (open -> finish seconds, minus the ad breaks watched).
- premium, power-up, VIP chances, checks_in and games: pooled shares over the group.
- interest (the days a player came back on after its install day, within the days it was watched: every
  day, not day 1 alone, whose one binomial of a few dozen players moved interest by 0.08) and wtp_usd
  (who pays within the days observed): calibrated by simulation:
  the simulator runs the fitted persona at candidate values (same seeds each time) and the value whose
  simulated statistic matches the observed one is kept; its interval comes from the observed one's
  95% interval. Everything else keeps the prior persona's value, and says so.
Calibration and the whole run (groups, priors, calibration) are in `sim/fit_run.py`.
A group's individual parameter is { mean, sd } over its players: sd is the spread between players with
each player's own estimation noise taken out (var between - mean of the squared standard errors).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coinloop.sim.bots import LEVELS, ScoreTable
from coinloop.sim.personas import INDIVIDUAL, Dist, Persona

MIN_SESSIONS = 1          # a save with fewer sessions is refused (too little data), named with what is missing
Z95 = 1.96


@dataclass(frozen=True)
class Estimate:
    value: Any            # what goes into personas.toml: a Dist, a number, a bool or a list of games
    n: int                # players behind it (0: the prior's value)
    note: str             # the uncertainty, or why the prior is kept


@dataclass(frozen=True)
class Fit:
    id: str
    name: str
    players: tuple[str, ...]         # the saves in this group
    prior: str                       # the bundled persona whose values fill what saves cannot inform
    values: dict[str, Estimate]

    def persona(self) -> Persona:
        return Persona(id=self.id, name=self.name, **{k: e.value for k, e in self.values.items()})


def too_little(obs: Any) -> str | None:
    """What a save lacks for a fit (None: enough). A save with one short session still counts (dropping
    the players who left early would bias every rate); each parameter says how many players informed it."""
    if len(obs.sessions) < MIN_SESSIONS:
        return f"{obs.name}: {len(obs.sessions)} session(s), a fit needs at least {MIN_SESSIONS}"
    return None


# --- per player ------------------------------------------------------------------------------------

def _mean_se(xs: Sequence[float]) -> tuple[float, float]:
    n = len(xs)
    m = sum(xs) / n
    if n < 2:
        return m, math.inf          # one observation: its noise is unknown
    var = sum((x - m) ** 2 for x in xs) / (n - 1)
    return m, math.sqrt(var / n)


def sessions_rate(obs: Any) -> tuple[float, float]:
    counts: dict[int, int] = {}
    for s in obs.sessions:
        counts[s.day] = counts.get(s.day, 0) + 1
    return _mean_se(list(counts.values()))


def games_rate(obs: Any) -> tuple[float, float]:
    return _mean_se([float(s.fun_games) for s in obs.sessions])


def _round_p(k: int, x: float) -> float:
    """P(stochastic_round(x) == k), smoothed so one odd session never rules a rate out."""
    whole = math.floor(x)
    frac = x - whole
    p = (1 - frac) if k == whole else frac if k == whole + 1 else 0.0
    return 0.97 * p + 0.03 * math.exp(-abs(k - x)) / 2


def _round_at_least(k: int, x: float) -> float:
    whole = math.floor(x)
    frac = x - whole
    p = 1.0 if k <= whole else frac if k == whole + 1 else 0.0
    return 0.97 * p + 0.03 * math.exp(-max(0.0, k - x)) / 2


def episodes_rate(obs: Any) -> tuple[float, float]:
    """Grid maximum likelihood of the episode budget, with walls and the end of the content censored."""
    exact = [s.episodes for s in obs.sessions if not s.blocked and s.content_left]
    atleast = [s.episodes + (1 if s.blocked else 0) for s in obs.sessions if s.blocked or not s.content_left]
    atleast = [k for k in atleast if k > 0]
    top = max(exact + atleast + [1]) + 6
    grid = [i / 20 for i in range(0, top * 20 + 1)]
    ll = [sum(math.log(_round_p(k, x)) for k in exact) + sum(math.log(_round_at_least(k, x)) for k in atleast)
          for x in grid]
    best = max(range(len(grid)), key=lambda i: ll[i])
    inside = [grid[i] for i in range(len(grid)) if ll[i] >= ll[best] - 1.92]    # a 95% likelihood interval
    return grid[best], max(0.05, (inside[-1] - inside[0]) / (2 * Z95))


def table_means(tables: dict[tuple[str, float], ScoreTable], game: str) -> list[float] | None:
    means = []
    for level in LEVELS:
        t = tables.get((game, level))
        if t is None or not t.plays:
            return None
        means.append(sum(t.scores) / t.plays)
    return means


def _expected(means: list[float], skill: float) -> float:
    s = min(LEVELS[-1], max(LEVELS[0], skill))
    for (lo, hi), (a, b) in zip(zip(LEVELS, LEVELS[1:]), zip(means, means[1:])):
        if lo <= s <= hi:
            return a + (b - a) * (s - lo) / (hi - lo)
    return means[-1]


def skill_of(obs: Any, tables: dict[tuple[str, float], ScoreTable]) -> tuple[float, float] | None:
    """The skill whose expected scores (bot tables) match this player's plain plays, and its se."""
    games: list[tuple[str, list[float], list[float]]] = []
    for g, xs in obs.scores.items():
        m = table_means(tables, g)
        if xs and m is not None and m[-1] > m[0]:
            games.append((g, m, xs))
    if not games:
        return None

    def gap(s: float) -> float:       # observed minus expected score sum, in each game's score spread
        return sum((sum(xs) - len(xs) * _expected(m, s)) / max(1e-9, m[-1] - m[0]) for _g, m, xs in games)

    lo, hi = 0.0, 1.0
    if gap(LEVELS[0]) <= 0:
        s = LEVELS[0]
    elif gap(LEVELS[-1]) >= 0:
        s = LEVELS[-1]
    else:
        lo, hi = LEVELS[0], LEVELS[-1]
        for _ in range(30):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if gap(mid) > 0 else (lo, mid)
        s = (lo + hi) / 2
    # se: the mean score's standard error over the local slope of the expected score (a flat stretch of
    # the bot tables, where skill barely moves the score, gives a wide interval, as it should)
    n = sum(len(xs) for *_, xs in games)
    noise = sum(_mean_se(xs)[1] * len(xs) / max(1e-9, m[-1] - m[0]) for _g, m, xs in games) / n
    h = 0.05
    slope = abs(sum(len(xs) * (_expected(m, s + h) - _expected(m, s - h)) / (2 * h) / max(1e-9, m[-1] - m[0])
                    for _g, m, xs in games)) / n
    return s, noise / max(slope, 0.05) if math.isfinite(noise) else math.inf


def ad_rate(obs: Any) -> tuple[float, float] | None:
    if obs.ads_offered < 1:
        return None
    p = min(1.0, obs.ads_watched / obs.ads_offered)
    return p, math.sqrt(max(p * (1 - p), 0.25 / obs.ads_offered) / obs.ads_offered)


def wpm_of(obs: Any) -> tuple[float, float] | None:
    speeds = [w * 60 / s for w, s in obs.reads if s > 0]
    if len(speeds) < 2:
        return None
    return _mean_se(speeds)


# Which features clustering compares: the style of play (episodes per session, games for fun, skill, ad
# acceptance). Sessions per day, paying and days played are left out: over a few days per player they are
# mostly noise (a binary "paid" is an outlier in any scaling), and in the soak's two-persona mix with them
# in, gamers and binge viewers fell into one group; each group still gets its own estimate of them.
CLUSTER_FEATURES = (1, 2, 3, 4)


def features(obs: Any, tables: dict[tuple[str, float], ScoreTable]) -> list[float]:
    """A player's sessions per day, episodes per session, games for fun, skill, ad acceptance, paid (0/1)
    and share of days played: what the nearest prior and (CLUSTER_FEATURES) the clustering compare."""
    skill = skill_of(obs, tables)
    ads = ad_rate(obs)
    return [sessions_rate(obs)[0], episodes_rate(obs)[0], games_rate(obs)[0],
            skill[0] if skill else math.nan, ads[0] if ads else math.nan,
            1.0 if obs.purchases + obs.vip_purchases else 0.0, len(obs.active_days) / max(1, obs.days_observed)]


# --- grouping ----------------------------------------------------------------------------------------

def cluster(rows: list[list[float]], k: int | None = None, max_k: int = 6, min_size: int = 5) -> list[int]:
    """A group number per player: Ward clustering of the standardized features (missing values at the
    feature's median), cut into k groups; with k None the k in 1..max_k with the best silhouette whose
    groups all have min_size players (1 when none separates clearly: silhouette below 0.25)."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist, squareform

    n = len(rows)
    if n < 2 or k == 1:
        return [0] * n
    x = np.array(rows, dtype=float)
    for j in range(x.shape[1]):
        col = x[:, j]
        med = np.nanmedian(col) if np.isfinite(col).any() else 0.0
        col[~np.isfinite(col)] = med
        sd = col.std()
        x[:, j] = (col - col.mean()) / sd if sd > 1e-9 else 0.0
    tree = linkage(x, method="ward")
    if k is not None:
        labels = fcluster(tree, t=min(k, n), criterion="maxclust")
        return _renumber(labels)
    dist = squareform(pdist(x))
    best, best_s = [0] * n, 0.25
    for kk in range(2, min(max_k, n // max(1, min_size)) + 1):
        labels = _renumber(fcluster(tree, t=kk, criterion="maxclust"))
        sizes = [labels.count(c) for c in set(labels)]
        if min(sizes) < min_size or len(sizes) < 2:
            continue
        s = _silhouette(dist, labels)
        if s > best_s:
            best, best_s = labels, s
    return best


def _renumber(labels: Any) -> list[int]:
    order: dict[int, int] = {}
    return [order.setdefault(int(c), len(order)) for c in labels]


def _silhouette(dist: Any, labels: list[int]) -> float:
    total = 0.0
    for i, c in enumerate(labels):
        same = [dist[i][j] for j, d in enumerate(labels) if d == c and j != i]
        if not same:
            continue
        a = sum(same) / len(same)
        b = min(sum(dist[i][j] for j, d in enumerate(labels) if d == o) / labels.count(o)
                for o in set(labels) if o != c)
        total += (b - a) / max(a, b, 1e-12)
    return total / len(labels)


# --- one group -----------------------------------------------------------------------------------------

def _spread(values: list[tuple[float, float]]) -> tuple[float, float, float, int]:
    """(mean, se of the mean, sd between players net of each one's own noise, players behind that sd).
    The sd is taken over the players seen more than once (whose own noise is known): with one day or one
    play, a player's value mixes its trait and its luck in unknown parts."""
    xs = [v for v, _ in values]
    n = len(xs)
    if n < 2:
        return xs[0], values[0][1], 0.0, 0
    m, se = _mean_se(xs)
    seen = [(x, e) for x, e in values if math.isfinite(e)]
    if len(seen) < 2:
        return m, se, 0.0, len(seen)
    mm = sum(x for x, _ in seen) / len(seen)
    var = sum((x - mm) ** 2 for x, _ in seen) / (len(seen) - 1)
    noise = sum(e * e for _, e in seen) / len(seen)
    return m, se, math.sqrt(max(0.0, var - noise)), len(seen)


def _g(x: float) -> str:
    return f"{x:.3g}"


def _normal(key: str, values: list[tuple[float, float]], what: str) -> Estimate:
    lo, hi = INDIVIDUAL[key]
    m, se, sd, k = _spread(values)
    m = min(hi, max(lo, m))
    ci = f"± {_g(Z95 * se)} (95%)" if math.isfinite(se) else "(one observation: no interval)"
    note = f"{len(values)} players: mean {_g(m)} {ci}, sd between players {_g(sd)} (from {k} seen twice+); {what}"
    return Estimate(Dist("normal", round(m, 3), round(min(sd, hi - lo), 3), lo, hi), len(values), note)


def _prior(prior: Persona, key: str, why: str) -> Estimate:
    return Estimate(getattr(prior, key), 0, f"prior ({prior.id}): {why}")


NOT_IDENTIFIED = {
    "patience_minutes": "how long it earns at a wall before leaving needs the earn paths it saw, not fitted",
    "game_liking": "not separable from patience and ad tolerance in the wall choices, not fitted",
    "price_sensitivity": "the slope of buying needs purchases at many prices, not fitted",
    "repeat_boost": "needs repeat purchases, not fitted",
    "cliffhanger_pull": "not fitted (confounded with interest over a few days)",
    "habit": "day-to-day drift needs weeks per player, not fitted",
    "fade": "day-to-day drift needs weeks per player, not fitted",
    "frustration_weight": "not fitted", "refusal_weight": "not fitted", "reward_weight": "not fitted",
    "finished_penalty": "not fitted (few players finish everything)", "gone_below": "not fitted",
    "continue_chance": "a continue is only bought after a lost play with coins to spare: not fitted",
}


def _share(taken: int, offered: int, what: str, prior: Persona, key: str, n: int) -> Estimate:
    if offered < 5:
        return _prior(prior, key, f"{offered} {what} in the saves, too few to estimate")
    p = taken / offered
    se = math.sqrt(max(p * (1 - p), 0.25 / offered) / offered)
    return Estimate(round(p, 3), n, f"{n} players: {taken}/{offered} {what} = {_g(p)} ± {_g(Z95 * se)} (95%)")


def nearest_prior(obs: Sequence[Any], personas: Sequence[Persona], tables: dict) -> Persona:
    """The bundled persona closest to this group (sessions, episodes, games, ads, skill)."""
    rows = [features(o, tables) for o in obs]

    def centre(j: int) -> float:
        xs = [r[j] for r in rows if math.isfinite(r[j])]
        return sum(xs) / len(xs) if xs else math.nan

    me = [centre(j) for j in range(5)]
    scale = (1.0, 2.0, 1.0, 0.3, 0.3)

    def dist(p: Persona) -> float:
        theirs = (p.sessions_per_day.mean, p.episodes_per_session.mean, p.games_per_session.mean,
                  p.skill.mean, p.ad_tolerance.mean)
        return sum(((a - b) / s) ** 2 for a, b, s in zip(me, theirs, scale) if math.isfinite(a))
    return min(personas, key=dist)


def fit_group(obs: Sequence[Any], prior: Persona, tables: dict, *, share: float
              ) -> dict[str, Estimate]:
    n = len(obs)
    v: dict[str, Estimate] = {}
    v["share"] = Estimate(round(share, 4), n, f"{n} players of this group among all fitted")
    played = {g: sum(1 for o in obs if o.scores.get(g)) for g in sorted({g for o in obs for g in o.scores})}
    gamers = sum(1 for o in obs if o.scores)
    games = [g for g, c in played.items() if gamers and c >= 0.25 * gamers]
    v["games"] = (Estimate(games, gamers, f"{gamers} players who played: games played by at least a quarter of "
                                          f"them ({', '.join(f'{g} {c}' for g, c in played.items())})")
                  if games else _prior(prior, "games", "no game played in these saves"))
    v["sessions_per_day"] = _normal("sessions_per_day", [sessions_rate(o) for o in obs], "sessions per active day")
    v["episodes_per_session"] = _normal("episodes_per_session", [episodes_rate(o) for o in obs],
                                        "episodes per session, sessions at a wall counted as 'at least'")
    v["games_per_session"] = _normal("games_per_session", [games_rate(o) for o in obs],
                                     "games before the first episode of a session")
    wpm = [w for w in (wpm_of(o) for o in obs) if w]
    v["reading_wpm"] = (_normal("reading_wpm", wpm, "words / reading time") if len(wpm) >= 2 else
                        _prior(prior, "reading_wpm", "no timed episode reads in the saves"))
    skill = [s for s in (skill_of(o, tables) for o in obs) if s]
    v["skill"] = (_normal("skill", skill, "mean scores against the bot score tables") if len(skill) >= 2 else
                  _prior(prior, "skill", f"{len(skill)} player(s) with game scores, too few"))
    ads = [a for a in (ad_rate(o) for o in obs) if a]
    v["ad_tolerance"] = (_normal("ad_tolerance", ads, "in-episode ad breaks watched / met") if len(ads) >= 2
                         else _prior(prior, "ad_tolerance", "no in-episode ad break met in the saves"))
    for key, why in NOT_IDENTIFIED.items():
        v[key] = _prior(prior, key, why)
    v["premium_chance"] = _share(sum(o.premium_taken for o in obs), sum(o.premium_offered for o in obs),
                                 "premium options taken where offered (a lower bound: only when affordable)",
                                 prior, "premium_chance", n)
    v["powerup_chance"] = _share(sum(o.powerups for o in obs), sum(o.plays for o in obs),
                                 "plays with a power-up (a lower bound: only with coins to spare)", prior,
                                 "powerup_chance", n)
    v["vip_preference"] = _share(sum(o.vip_purchases for o in obs),
                                 sum(o.purchases + o.vip_purchases for o in obs), "purchases that were the VIP pass",
                                 prior, "vip_preference", n)
    checkers = sum(1 for o in obs if o.checkins)
    v["checks_in"] = Estimate(checkers * 2 >= n, n, f"{checkers} of {n} players claimed the daily check-in")
    v["interest"] = _prior(prior, "interest", "calibrated below")
    v["wtp_usd"] = _prior(prior, "wtp_usd", "calibrated below")
    return v
