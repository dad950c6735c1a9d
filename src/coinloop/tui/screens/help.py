"""The help screen every screen opens with `?` or F1 (the app's binding, so it works everywhere): what
the screen is for (its `HELP` text, one or two sentences) and its keys, read from the screen's own
active bindings at the moment help was asked for (so a key that is off just now shows as such).

Every screen class under `tui/screens` carries a `HELP` text (a test walks them)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual import events

HELP_KEYS = "question_mark,f1"
GENERIC = ("focus_next", "focus_previous", "copy_text")


def help_binding() -> Binding:
    """The app-level binding both apps (the game, the dashboard) carry."""
    return Binding(HELP_KEYS, "help", "Help", id="app.help", show=False)


def screen_title(screen: Screen) -> str:
    where = getattr(screen, "WHERE", "") or ""
    return where if isinstance(where, str) and where else type(screen).__name__.removesuffix("Screen")


def keys_table(screen: Screen) -> list[tuple[str, str, bool]]:
    """(keys, what they do, usable now) for each action bound on `screen` and the app, then one row
    with the keys of the focused widget (a list's arrows, enter); a key with no description is left out."""
    by_action: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    descriptions: dict[str, str] = {}
    widget_keys: list[str] = []
    for node, binding, enabled, _tooltip in screen.active_bindings.values():
        if not binding.description or binding.action in ("help", "app.help"):
            continue
        key = screen.app.get_key_display(binding)
        if node is not screen and node is not screen.app:      # the focused widget's own keys
            if key not in widget_keys:
                widget_keys.append(key)
            continue
        descriptions.setdefault(binding.action, binding.description)
        if key not in (k for k, _ in by_action[binding.action]):
            by_action[binding.action].append((key, enabled))
    # the screen's and the app's keys first, Textual's own keys on every screen (focus, copy) after them
    actions = sorted(by_action, key=lambda action: any(g in action for g in GENERIC))
    rows = [(" / ".join(k for k, _ in by_action[a]), descriptions[a], any(e for _, e in by_action[a]))
            for a in actions]
    if widget_keys:
        rows.append((" ".join(widget_keys[:8]), "in the focused list or field", True))
    return rows


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    HELP = "This help: what the screen under it is for and its keys. The arrows scroll its keys; any other key closes it."
    BINDINGS = [Binding("escape", "close", "Close help", id="help.close")]

    def __init__(self, title: str, about: str, keys: list[tuple[str, str, bool]]) -> None:
        super().__init__()
        self.title_text, self.about, self.keys = title, about, keys

    @classmethod
    def for_screen(cls, screen: Screen) -> "HelpScreen":
        about = getattr(screen, "HELP", "") or "No help text for this screen yet."
        return cls(screen_title(screen), str(about), keys_table(screen))

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text(f"Help · {self.title_text}", style="bold"), id="help-title")
            yield Static(Text(self.about), id="help-about")
            with VerticalScroll(id="help-keys"):
                yield Static(self._keys_text(), id="help-keys-text")
            yield Static(Text("? or F1: help on every screen · ↑↓ scroll · any other key closes",
                              style="dim"), id="help-foot")

    def _keys_text(self) -> Text:
        text = Text()
        width = min(12, max((len(k) for k, _, _ in self.keys[:-1] or self.keys), default=4))
        for i, (keys, what, enabled) in enumerate(self.keys):
            if i:
                text.append("\n")
            text.append(f"{keys:>{width}}" if len(keys) <= width else keys, style="bold" if enabled else "bold dim")
            text.append(f"  {what}" + ("" if enabled else " (not now)"), style="" if enabled else "dim")
        return text

    def on_key(self, event: "events.Key") -> None:   # the arrows scroll the keys; any other key closes
        event.stop()
        scroll = {"up": "scroll_up", "down": "scroll_down", "pageup": "scroll_page_up",
                  "pagedown": "scroll_page_down"}.get(event.key)
        if scroll:
            getattr(self.query_one("#help-keys", VerticalScroll), scroll)(animate=False)
            return
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
