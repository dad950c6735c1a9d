"""The hub: continue watching, the pending cliffhanger, and every earn path, one key each.

The hub's keys are listed once, in `HubScreen.BINDINGS`: the key bar shows them, the command palette
lists every one of them (`coinloop.tui.commands.hub_commands`, name and help from `HubKey`), and the
menu's right-hand column reads its keys from them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from rich.cells import cell_len
from rich.text import Text

from coinloop.datarecord import datarecord
from coinloop.earnpaths import hub_paths

if TYPE_CHECKING:
    from coinloop.core.missions import Board
from coinloop.tui.screens.base import CoinloopScreen
from coinloop.tui.text import plain


@datarecord
class HubKey(Binding):
    """A hub key as the command palette lists it: `title` is its name there, `tooltip` its help."""
    title: str = ""


LABEL_WIDTH = 58        # the menu's label column (wider when a label needs it and the menu has room)
MENU_WIDTH_80 = 76      # the menu's text width at 80 columns, used before its first layout

# The designer's screens, also in the menu (their keys are hidden from the 80-column key bar):
# (menu row id = the binding id after "hub.", label)
DESIGNER_ROWS = (
    ("time", "Time travel · move this save's clock"),
    ("simulate", "Simulate · personas play this economy"),
    ("economy", "Economy at a glance · costs, caps, days to afford"),
    ("dashboard", "Dashboard · flows, balance, paywall funnel"),
)


class HubScreen(CoinloopScreen):
    HELP = ("The hub: the loop's two halves, stories to read and games that earn, with one wallet between them. "
            'Pick a line or press its key.')
    WHERE = "Home"
    STAYS_UNDER_EPISODE = True
    CSS_PATH = "hub.tcss"
    BINDINGS = [
        HubKey("r", "read", "Read", id="hub.read", title="Read: series list", tooltip="every series and episode"),
        *[HubKey(p.hub_key, f"earn('{p.id}')", p.hub_short or p.short, id=f"hub.{p.id}",
                 title=p.hub_label or p.label, tooltip=p.help)
          for p in hub_paths() if p.hub_key],
        # the 80-column key bar is full: k shows on its menu line (Missions · 1/3 done ...) and in ctrl+p
        HubKey("k", "missions", "Missions", id="hub.missions", show=False, title="Missions: the rewards centre",
               tooltip="today's missions: reading pays for the games, playing for the story"),
        HubKey("w", "wallet", "Wallet", id="hub.wallet", tooltip="where coins came from and went"),
        HubKey("t", "time_travel", "Time", id="hub.time", title="Time travel…",
               tooltip="move this save's clock: +1h, +1d, next check-in/unlock/ad"),
        # the 80-column key bar is full: m, e and D are hidden there; the menu and ctrl+p list them
        HubKey("m", "simulate", "Simulate", id="hub.simulate", show=False,
               tooltip="run the economy over simulated players"),
        HubKey("e", "economy", "Economy", id="hub.economy", show=False, title="Economy at a glance",
               tooltip="what economy.toml means: series costs, earn paths at their caps, days to afford"),
        HubKey("D", "app.dashboard", "Dashboard", id="hub.dashboard", show=False,
               tooltip="telemetry of this save: flows, funnels, curves"),
        HubKey("g", "goal", "Back to cliffhanger", id="hub.goal", show=False, title="Back to the cliffhanger",
               tooltip="the pending episode's cliffhanger, then its paywall"),
        HubKey("v", "vip_daily", "VIP coins", id="hub.vip_daily", show=False, title="Collect today's VIP coins",
               tooltip="an active VIP pass pays its daily coins here, at the paywall and in the shop"),
        HubKey("q", "app.quit", "Quit", id="quit", tooltip="leave coinloop (every coin is already saved)"),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="hub"):
            yield Static(id="hub-goal")
            # the menu is mounted when it is filled (`_fill_now`): an empty OptionList cost ~15 ms of
            # the first paint (layout and render of its blank lines), for nothing on screen

    def on_mount(self) -> None:
        self.subscribe_balance(lambda _e: self.refresh_view())
        self._filled = False

    def on_screen_resume(self) -> None:
        """Fill the menu. The first time, when the save is still to be opened (`coinloop play`), only after
        the first paint: the top bar and the key bar show at once, and reading the content index and the
        save comes right after (see `make bench`). With the save already open, at once."""
        if self._filled:
            self.refresh_view()
        elif self.app.ready:
            self._fill()        # the save is already open (tests, the dashboard): one paint, not two
        else:
            self.app.call_after_refresh(self._fill)

    def on_screen_suspend(self) -> None:
        self._fill()            # covered before its first fill (a dialog at start): fill it under the dialog

    def _fill(self) -> None:
        self.app.when_ready(self._fill_now)     # `coinloop play` opens the save after the first paint

    def _fill_now(self) -> None:
        if not self._filled:
            self._filled = True
            menu = OptionList(id="hub-menu")
            self.query_one("#hub", Vertical).mount(menu)
            self.refresh_view()
            menu.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `coinloop play` paints before the save is open: until then the keys show dimmed and do nothing
        if not self.app.ready and action != "app.quit":
            return None
        return True

    # --- view -------------------------------------------------------------------------------------
    def refresh_view(self) -> None:
        menu = next(iter(self.query("#hub-menu").results(OptionList)), None)
        if menu is None:            # not filled yet (`_fill_now` draws it), or the app is closing
            return
        s = self.session
        goal = s.loop.goal()
        banner = self.query_one("#hub-goal", Static)
        banner.set_class(goal is not None, "-shown")
        if goal:
            banner.update(Text.assemble(
                ("Pending cliffhanger: ", "bold"),
                plain(f"{goal.series_title}, episode {goal.number} “{goal.title}” — {goal.progress_text}   "),
                ("g", "bold"), " go back"))
        highlighted = menu.highlighted
        rows: list[tuple[str, str, str] | Option] = [Option(Text("Continue watching", "bold"), id="h:watch", disabled=True)]
        for row in s.loop.continue_rows():
            if row.number is None:
                state = "finished"
                label = f"  {row.series_title} — season finished"
            else:
                free = s.story.is_free(row.series, row.number)
                state = f"🔒 {row.price} coins" if row.locked else "▶ free" if free else "▶ unlocked"
                label = f"  {row.series_title} — Ep {row.number} · {row.title}"
            rows.append((label, state, f"series:{row.series}:{row.number or 0}"))
        rows.append(Option(" ", id="h:gap", disabled=True))
        rows.append(Option(Text("Earn and spend", "bold"), id="h:earn", disabled=True))
        for p in hub_paths():
            rows.append((f"  {p.hub_label or p.label} · {p.offer(s)}", p.hub_key or "", f"earn:{p.id}"))
        if s.missions.enabled:
            rows.append((f"  Missions · {_missions_line(s.missions.board())}", _key("hub.missions"), "missions"))
        if s.earn.vip_daily_ready():
            rows.append((f"  VIP pass · +{s.economy.vip.daily_coins} ready to collect today", _key("hub.vip_daily"),
                         "vip_daily"))
        rows.append(("  Wallet — where coins came from and went", _key("hub.wallet"), "wallet"))
        rows.append(Option(" ", id="h:gap2", disabled=True))
        rows.append(Option(Text("Designer", "bold"), id="h:designer", disabled=True))
        for oid, label in DESIGNER_ROWS:
            rows.append((f"  {label}", _key(f"hub.{oid}"), oid))
        # one column for the keys and states: as wide as the longest label allows, never past the menu
        texts = [r for r in rows if isinstance(r, tuple)]
        room = (menu.scrollable_content_region.width or MENU_WIDTH_80) - max(cell_len(r[1]) for r in texts) - 1
        width = max(LABEL_WIDTH, min(room, max(cell_len(r[0]) for r in texts)))
        menu.clear_options()
        menu.add_options([r if isinstance(r, Option) else Option(_row(r[0], r[1], width), id=r[2]) for r in rows])
        if highlighted is not None and highlighted < menu.option_count:
            menu.highlighted = highlighted
        else:
            menu.highlighted = 1

    # --- actions ----------------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ""
        if oid.startswith("series:"):
            _, series, number = oid.split(":")
            self.router.open_episode(series, int(number))
        elif oid.startswith("earn:"):
            self.action_earn(oid.removeprefix("earn:"))
        elif oid == "wallet":
            self.action_wallet()
        elif oid == "missions":
            self.action_missions()
        elif oid == "vip_daily":
            self.action_vip_daily()
        elif oid == "time":
            self.action_time_travel()
        elif oid == "simulate":
            self.action_simulate()
        elif oid == "economy":
            self.action_economy()
        elif oid == "dashboard":
            self.app.action_dashboard()

    def action_read(self) -> None:
        self.router.open_stories()

    def action_earn(self, path_id: str) -> None:
        self.router.earn(path_id)

    def action_wallet(self) -> None:
        self.router.open_wallet()

    def action_missions(self) -> None:
        from coinloop.tui.screens.missions import MissionsScreen

        self.router.open(MissionsScreen())

    def action_economy(self) -> None:
        from coinloop.tui.screens.economy import EconomyScreen

        self.router.open(EconomyScreen())

    def action_simulate(self) -> None:
        from coinloop.tui.screens.simulate import SimulateScreen

        self.router.open(SimulateScreen())

    def action_time_travel(self) -> None:
        self.router.time_travel_menu()

    def action_goal(self) -> None:
        goal = self.session.loop.goal()
        if goal is None:
            self.notify("No pending cliffhanger")
            return
        self.router.back_to_cliffhanger(goal.series, goal.number)

    def action_vip_daily(self) -> None:
        self.router.collect_vip_daily()


def _missions_line(board: "Board") -> str:
    """The hub's line: "1/3 done · 40 coins waiting"."""
    line = f"{board.done}/{len(board.missions)} done"
    if board.waiting_coins:
        return f"{line} · {board.waiting_coins} coins waiting"
    if board.done == len(board.missions):
        return f"{line} · all claimed, new ones tomorrow"
    left = sum(m.mission.reward for m in board.missions if not m.done)
    return f"{line} · up to {left} coins more today"


def _key(binding_id: str) -> str:
    return next(b.key for b in HubScreen.BINDINGS if isinstance(b, Binding) and b.id == binding_id)


def _row(label: str, right: str, width: int = LABEL_WIDTH) -> Text:
    """A menu line: the label (content text, shown literally) cut to `width` cells, and a right-hand column."""
    text = plain(label)
    if text.cell_len > width:
        text.truncate(width - 1)
        text.append("…")
    text.pad_right(width - text.cell_len + 1)
    text.append(right)
    return text
