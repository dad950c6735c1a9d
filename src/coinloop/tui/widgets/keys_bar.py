"""KeysBar: the keyboard help line at the bottom of every screen, drawn as ONE widget.

It shows the same thing as Textual's Footer (the screen's active bindings that have `show=True`,
grouped by action), but renders them as a single line of text instead of one widget per key. The
Footer rebuilt all its key widgets on every bindings change at start-up, which cost more than the
rest of the hub together (see the README's design notes and `make bench`).
"""

from __future__ import annotations

from collections import defaultdict

from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


class KeysBar(Static):
    COMPONENT_CLASSES = {"keys-bar--key"}
    DEFAULT_CSS = """
    KeysBar { dock: bottom; height: 1; width: 1fr; background: $footer-background;
        color: $footer-foreground; padding: 0 1; }
    KeysBar > .keys-bar--key { color: $footer-key-foreground; text-style: bold; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        self.update(self.keys_text(screen))

    def keys_text(self, screen: Screen) -> Text:
        by_action: dict[str, list] = defaultdict(list)
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled))
        key_style = self.get_component_rich_style("keys-bar--key")
        text = Text(no_wrap=True, overflow="ellipsis")
        for entries in by_action.values():
            binding, enabled = entries[0]
            dim = "" if enabled else "dim"
            text.append(self.app.get_key_display(binding), style=key_style + Style(dim=True) if dim else key_style)
            text.append(f" {binding.description}  ", style=dim)
        if self.app.ENABLE_COMMAND_PALETTE:
            text.append("^p", style=key_style)
            text.append(" palette", style="dim")
        return text
