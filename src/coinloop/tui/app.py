"""The Textual app: wires the Session to the screens. Thin on purpose."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.app import App
from textual.signal import Signal

from coinloop.session import Session
from coinloop.tui.screens.hub import HubScreen
from coinloop.wallet import Entry

STYLES = Path(__file__).parent / "styles"


class CoinloopApp(App[None]):
    TITLE = "coinloop"
    CSS_PATH = [STYLES / "app.tcss"]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, session: Session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.balance_signal: Signal[Entry] = Signal(self, "balance")
        self._thread_id = threading.get_ident()
        session.wallet.on_change(self._wallet_changed)

    def _wallet_changed(self, entry: Entry) -> None:
        if threading.get_ident() == self._thread_id:
            self.balance_signal.publish(entry)
        else:
            self.call_from_thread(self.balance_signal.publish, entry)

    def get_default_screen(self) -> HubScreen:
        return HubScreen()
