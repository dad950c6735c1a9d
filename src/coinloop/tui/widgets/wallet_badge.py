"""The wallet badge in the top bar of every screen: balance, and each change flashed briefly."""

from __future__ import annotations

from textual.widgets import Static

from coinloop.wallet import Entry

FLASH_SECONDS = 2.0


class WalletBadge(Static):
    DEFAULT_CSS = """
    WalletBadge { width: auto; padding: 0 1; background: $warning 20%; color: $text; text-style: bold; }
    WalletBadge.-gain { background: $success 40%; }
    WalletBadge.-loss { background: $error 40%; }
    """

    def on_mount(self) -> None:
        self.tooltip = None
        self._flash: str = ""
        self._delta = 0
        self._timer = None
        self._show()
        self.app.balance_signal.subscribe(self, self._changed)  # type: ignore[attr-defined]

    def _show(self) -> None:
        bal = self.app.session.wallet.balance()  # type: ignore[attr-defined]
        self.tooltip = f"{bal.paid} paid + {bal.bonus} bonus"
        flash = f" {self._flash}" if self._flash else ""
        self.update(f"◎ {bal.total}{flash}")

    def _changed(self, entry: Entry) -> None:
        # changes that land within one flash add up: a pack's paid + bonus coins show as one "+360"
        self._delta += entry.amount
        self._flash = f"{self._delta:+d}"
        self.set_class(self._delta > 0, "-gain")
        self.set_class(self._delta < 0, "-loss")
        self._show()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(FLASH_SECONDS, self._clear)

    def _clear(self) -> None:
        self._flash = ""
        self._delta = 0
        self.remove_class("-gain", "-loss")
        self._show()
