"""The command palette (ctrl+p on every screen): every route and designer action, with its key.

`ROUTES` is a small table the lead can extend in one line; screens that may not exist yet (the
dashboard, the simulator) are listed by module and class name and offered only when they import.
Series, episodes, games and economy files are listed from the content, the game registry and the
content folder, so a new one appears without touching this file.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Iterator

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from coinloop.tui.app import CoinloopApp


@dataclass(frozen=True)
class Command:
    name: str
    key: str                             # where and how to reach it without the palette ("" if only here)
    help: str
    run: Callable[["CoinloopApp"], Any]
    discover: bool = True                # shown when the palette opens with nothing typed


# --- how commands get where they go: through the one router (`app.router`) -----------------------

def via(router_method: str, *args: Any) -> Callable[["CoinloopApp"], None]:
    def run(app: "CoinloopApp") -> None:
        getattr(app.router, router_method)(*args)
    return run


def push(module: str, cls: str) -> Callable[["CoinloopApp"], None]:
    """Open a screen (imported on first use) through the router."""
    def run(app: "CoinloopApp") -> None:
        app.router.open(getattr(importlib.import_module(module), cls)())
    return run


def home(app: "CoinloopApp") -> None:
    while len(app.screen_stack) > 1:
        app.pop_screen()


def screen_exists(module: str, cls: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), cls)
    except ImportError:
        return False


def _game(game_id: str) -> Callable[["CoinloopApp"], None]:
    return via("play_game", game_id)


def _time_menu(app: "CoinloopApp") -> None:
    from coinloop.tui.screens.time_travel import TimeTravelScreen

    app.push_screen(TimeTravelScreen(), lambda travel: travel and app.workbench.travel(travel))


_S = "coinloop.tui.screens."
ROUTES: list[Command] = [
    Command("Home", "esc until the hub", "the hub: continue watching and every earn path", home),
    Command("Read: series list", "r on the hub", "every series and episode",
            via("open_stories")),
    Command("Arcade", "a on the hub", "play mini-games to earn coins",
            via("open_arcade")),
    Command("Daily check-in", "c on the hub", "claim today's streak reward",
            via("earn", "checkin")),
    Command("Watch a rewarded ad", "d on the hub", "ad cap and cooldown apply",
            via("watch_ad")),
    Command("Shop", "s on the hub", "coin packs and the VIP pass (simulated money)",
            via("earn", "shop")),
    Command("Wallet", "w on the hub", "where coins came from and went",
            via("open_wallet")),
    Command("Dashboard", "D on the hub", "telemetry of this save: flows, funnels, curves",
            lambda app: app.action_dashboard()),
]
# Screens other helpers add; listed only once they exist. One line each: (name, key, help, module, class).
OPTIONAL_SCREENS: list[tuple[str, str, str, str, str]] = [
    ("Simulate", "m on the hub", "run the economy over simulated players", _S + "simulate", "SimulateScreen"),
]


def designer_commands() -> list[Command]:
    from coinloop.tui.screens.time_travel import KEYS
    from coinloop.tui.workbench import TRAVELS

    out = [Command("Time travel…", "t on the hub", "move this save's clock: +1h, +1d, next check-in/unlock/ad",
                   _time_menu)]
    for tid, (label, help_) in TRAVELS.items():
        out.append(Command(label, f"t {KEYS[tid]} on the hub", help_,
                           lambda app, tid=tid: app.workbench.travel(tid)))
    out += [
        Command("Grant 100 test coins", "", "recorded in the ledger as designer:grant",
                lambda app: app.workbench.grant(100)),
        Command("Reset today's caps", "", "ad cap and cooldown, game daily caps (recorded as designer:reset_caps)",
                lambda app: app.workbench.reset_caps()),
    ]
    return out


def commands(app: "CoinloopApp") -> Iterator[Command]:
    """Everything the palette offers right now, routes first."""
    yield from ROUTES
    for name, key, help_, module, cls in OPTIONAL_SCREENS:
        if screen_exists(module, cls):
            yield Command(name, key, help_, push(module, cls))
    from coinloop.games import GAMES

    for n, game_id in enumerate(GAMES, start=1):
        yield Command(f"Play {game_id}", f"a then {n}", f"the {game_id} mini-game", _game(game_id), discover=False)
    yield from designer_commands()
    session = app.session
    for path in sorted(session.content_dir.glob("economy*.toml")) + sorted(session.content_dir.glob("economies/*.toml")):
        current = path.resolve() == session.economy_path.resolve()
        yield Command(f"Switch economy: {path.name}" + (" (in use)" if current else ""), "--economy PATH",
                      f"load {path} (validated first; the save is untouched)",
                      lambda app, p=path: app.workbench.switch_economy(p), discover=False)
    story = session.story
    for series in story.series_list():
        yield Command(f"Open series: {series.title}", "r, then enter", f"{series.episodes} episodes, "
                      f"{series.unlocked} unlocked", lambda app, sid=series.id: _open_next(app, sid), discover=False)
        for row in story.episode_rows(series.id):
            lock = "" if row.unlocked else f" (locked, {row.price} coins)"
            yield Command(f"Open {series.title} episode {row.number}: {row.title}{lock}", "r, then enter",
                          "read it, or its paywall when locked",
                          _episode(series.id, row.number), discover=False)


def _episode(series_id: str, number: int) -> Callable[["CoinloopApp"], None]:
    """Read it, or its paywall when locked."""
    return via("open_episode", series_id, number)


def _open_next(app: "CoinloopApp", series_id: str) -> None:
    rows = app.session.story.episode_rows(series_id)
    target = next((r.number for r in rows if r.state != "read"), rows[-1].number if rows else 1)
    _episode(series_id, target)(app)


def _display(command: Command) -> Text:
    text = Text(command.name)
    if command.key:
        text.append(f"  {command.key}", style="dim")
    return text


class WorkbenchCommands(Provider):
    """Routes and designer actions, on every screen (App.COMMANDS)."""

    _listed: list[Command] | None = None

    async def startup(self) -> None:
        """Build the list once per opening of the palette (search runs on every key typed)."""
        self._listed = self._commands()

    def _commands(self) -> list[Command]:
        if self._listed is not None:
            return self._listed
        try:
            return list(commands(self.app))  # type: ignore[arg-type]  # the palette only opens in a CoinloopApp
        except Exception:  # noqa: BLE001 - the palette must open even when content is mid-edit
            return list(ROUTES) + designer_commands()

    async def discover(self) -> Hits:
        for command in self._commands():
            if command.discover:
                yield DiscoveryHit(_display(command), partial(command.run, self.app), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(f"{command.name} {command.key}")
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), partial(command.run, self.app),
                          text=command.name, help=f"{command.help}  ·  {command.key}" if command.key else command.help)
