"""The command palette (ctrl+p on every screen): every route and designer action, with its key.

The hub's keys come from the hub's own `BINDINGS` (`hub_commands`): one entry per binding, run as that
key would run it on the hub, so a key added to the hub appears here without touching this file.
`ROUTES` holds the few routes that are not a hub key; screens that may not exist yet are listed by
module and class name and offered only when they import. Series, episodes, games and economy files
are listed from the content, the game registry and the content folder.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Iterator, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.binding import Binding

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


def hub_key(binding: "Binding") -> Command:
    """The palette entry of one hub key: it runs the binding's action on the hub, as the key does."""
    async def run(app: "CoinloopApp") -> None:
        await app.run_action(binding.action, app.screen_stack[0])     # the hub is the default screen
    return Command(getattr(binding, "title", "") or binding.description, f"{binding.key_display or binding.key} "
                   "on the hub", binding.tooltip, run)


def hub_commands() -> list[Command]:
    """One entry per binding of the hub, in its order."""
    from textual.binding import Binding

    from coinloop.tui.screens.hub import HubScreen

    return [hub_key(b) for b in HubScreen.BINDINGS if isinstance(b, Binding)]


ROUTES: list[Command] = [
    Command("Home", "esc until the hub", "the hub: continue watching and every earn path", home),
]
# Screens other helpers add; listed only once they exist. One line each: (name, key, help, module, class).
OPTIONAL_SCREENS: list[tuple[str, str, str, str, str]] = []


def _travel(travel_id: str) -> Callable[["CoinloopApp"], Any]:
    return lambda app: app.workbench.travel(travel_id)


def _switch(path: Path) -> Callable[["CoinloopApp"], Any]:
    return lambda app: app.workbench.switch_economy(path)


def _open_series(series_id: str) -> Callable[["CoinloopApp"], Any]:
    return lambda app: _open_next(app, series_id)


def designer_commands() -> list[Command]:
    from coinloop.timetravel import TRAVELS

    out: list[Command] = []
    for t in TRAVELS.values():
        out.append(Command(t.label, f"t {t.key} on the hub", t.help, _travel(t.id)))
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
    yield from hub_commands()
    for name, key, help_, module, cls in OPTIONAL_SCREENS:
        if screen_exists(module, cls):
            yield Command(name, key, help_, push(module, cls))
    from coinloop.tui.screens.games import SLOTS

    for game_id, slot in SLOTS.items():
        yield Command(f"Play {game_id}", f"a then {slot.key}", f"the {game_id} mini-game", _game(game_id), discover=False)
    yield from designer_commands()
    session = app.session
    yield Command(f"Economy in force: {app.workbench.economy_name()}", "",
                  f"{session.economy_path} · opens Economy at a glance (e on the hub) · other files: type 'switch economy' "
                  "(content/economy*.toml, content/economies/*.toml)", push("coinloop.tui.screens.economy", "EconomyScreen"))
    for path in sorted(session.content_dir.glob("economy*.toml")) + sorted(session.content_dir.glob("economies/*.toml")):
        current = path.resolve() == session.economy_path.resolve()
        yield Command(f"Switch economy: {path.name}" + (" (in use)" if current else ""), "--economy PATH",
                      f"load {path} (validated first; the save is untouched)",
                      _switch(path), discover=False)
    story = session.story
    for series in story.series_list():
        yield Command(f"Open series: {series.title}", "r, then enter", f"{series.episodes} episodes, "
                      f"{series.unlocked} unlocked", _open_series(series.id), discover=False)
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
            return list(commands(cast("CoinloopApp", self.app)))
        except Exception:  # noqa: BLE001 - the palette must open even when content is mid-edit
            return list(ROUTES) + hub_commands() + designer_commands()

    async def discover(self) -> Hits:
        for command in self._commands():
            if command.discover:
                yield DiscoveryHit(_display(command), partial(command.run, cast("CoinloopApp", self.app)), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(f"{command.name} {command.key}")
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), partial(command.run, cast("CoinloopApp", self.app)),
                          text=command.name, help=f"{command.help}  ·  {command.key}" if command.key else command.help)
