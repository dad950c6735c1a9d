"""The rewards centre: today's missions, how far each one is, and claiming the coins.

A mission played in one half of the loop pays for the other, and the screen says so beside it:
reading pays for game power-ups, playing pays toward the next episode. The rules (which missions
today, progress, claim once) are `coinloop.core.missions`; this screen only shows and asks.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coinloop.areas.missions import MissionRefused
from coinloop.core.missions import Board, MissionView, describe
from coinloop.tui.screens.base import CoinloopScreen


class MissionsScreen(CoinloopScreen):
    WHERE = "Missions"
    HELP = ("The rewards centre: today's missions (drawn from economy.toml's table, new each day), how far each "
            "one is, and the coins waiting. Reading pays coins for the games, playing pays toward episodes. A "
            "mission pays once, when claimed here.")
    CSS_PATH = "missions.tcss"
    BINDINGS = [
        Binding("enter", "claim", "Claim", id="missions.claim", priority=True),   # above the list's own enter
        Binding("c", "claim_all", "Claim all", id="missions.claim_all"),
        Binding("r", "read", "Read", id="missions.read"),
        Binding("p", "play", "Play", id="missions.play"),
        Binding("escape,b", "back", "Back", id="back"),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="missions"):
            yield Static(id="missions-head")
            yield OptionList(id="missions-list")
            yield Static(id="missions-note")

    def on_mount(self) -> None:
        self.subscribe_balance(lambda _e: self.refresh_view())
        self.refresh_view()
        self.query_one("#missions-list", OptionList).focus()

    # --- view -------------------------------------------------------------------------------------
    def refresh_view(self) -> None:
        board = self.session.missions.board()
        self.board = board
        head = Text.assemble(("Today's missions", "bold"), f" · {board.day:%a %d %b} · ",
                             (f"{board.done} of {len(board.missions)} done", "bold"))
        if board.waiting_coins:
            head.append(f" · {board.waiting_coins} coins waiting", "bold yellow")
        self.query_one("#missions-head", Static).update(head)
        menu = self.query_one("#missions-list", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options([Option(self._row(v), id=v.mission.id) for v in board.missions])
        if board.missions:
            menu.highlighted = highlighted if highlighted is not None and highlighted < len(board.missions) else 0
        note = ("New missions tomorrow. Each pays once, when you claim it here." if board.missions
                else "No missions today: economy.toml's [missions] has none.")
        self.query_one("#missions-note", Static).update(note)
        self.refresh_bindings()

    def _row(self, v: MissionView) -> Text:
        m = v.mission
        mark, style = ("✓", "green") if v.claimed else ("★", "bold yellow") if v.done else ("○", "")
        state = ("claimed" if v.claimed else "ready: Enter claims" if v.done else f"{v.progress}/{m.count}")
        line = Text.assemble((f"{mark} ", style), (describe(m), "bold" if v.waiting else ""))
        right = Text.assemble(f"  +{m.reward}  ", (state, style or "dim"))
        line.pad_right(max(1, 44 - line.cell_len))
        line.append_text(right)
        why = self._pays_for(v)
        if why:
            line.append("\n    ")
            line.append(why, "italic dim")
        return line

    def _pays_for(self, v: MissionView) -> str:
        """The point of the mission: what its coins buy in the OTHER half of the loop."""
        econ, reward = self.session.economy, v.mission.reward
        if v.half == "story":
            prices = [p for g in econ.games.values() for p in g.powerups.values()]
            if not prices:
                return "reading pays for the games"
            cheapest = min(prices)
            n = reward // cheapest
            return f"reading pays for the games: +{reward} buys {n} power-up{'' if n == 1 else 's'} ({cheapest} each)"
        if v.half == "game":
            price = self._next_price()
            return f"playing pays for the story: +{reward} toward a {price}-coin episode"
        return ""

    def _next_price(self) -> int:
        s = self.session
        goal = s.loop.goal()
        if goal is not None:
            return goal.price
        locked = [row.price for row in s.loop.continue_rows() if row.locked]
        return min(locked) if locked else s.economy.episodes.price_base

    # --- actions ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        board: Board | None = getattr(self, "board", None)
        if action == "claim_all":
            return board is not None and board.waiting_coins > 0
        return True

    def action_claim(self) -> None:
        menu = self.query_one("#missions-list", OptionList)
        if menu.highlighted is None:
            return
        option = menu.get_option_at_index(menu.highlighted)
        self._claim(option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._claim(event.option.id or "")

    def _claim(self, mission_id: str) -> None:
        try:
            done = self.session.missions.claim(mission_id)
        except MissionRefused as exc:
            self.notify(f"Not claimed: {exc}", severity="warning", markup=False)
        else:
            self.notify(f"Mission claimed: +{done.reward} coins", markup=False)
        self.refresh_view()

    def action_claim_all(self) -> None:
        claimed = self.session.missions.claim_all()
        if claimed:
            self.notify(f"Claimed {len(claimed)} mission(s): +{sum(c.reward for c in claimed)} coins")
        self.refresh_view()

    def action_read(self) -> None:
        self.router.open_stories()

    def action_play(self) -> None:
        self.router.open_arcade()
