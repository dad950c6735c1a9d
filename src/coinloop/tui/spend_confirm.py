"""A second look before a big spend: above `wallet.confirm_spend_over` (economy.toml) a ConfirmScreen
says what it costs, the balance after, and how many paid (bought) coins it would use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from coinloop.tui.app import CoinloopApp


def paid_coins_used(session: Any, amount: int) -> int:
    bal = session.balance()
    if session.economy.wallet.spend_order == "paid_first":
        return min(bal.paid, amount)
    return max(0, min(bal.paid, amount - bal.bonus))


def needs_confirm(session: Any, amount: int) -> bool:
    over = session.economy.wallet.confirm_spend_over
    return bool(over) and amount > over and session.balance().total >= amount


def confirm_spend(screen: Screen, amount: int, what: str, then: Callable[[], None], *, always: bool = False) -> None:
    """Run `then()` at once for a small spend (or one the wallet cannot pay: it refuses by itself);
    ask first when `amount` is above the threshold, or `always`."""
    session = cast("CoinloopApp", screen.app).session
    if not (needs_confirm(session, amount) or (always and session.balance().total >= amount)):
        then()
        return
    from coinloop.tui.screens.confirm import ConfirmScreen

    total = session.balance().total
    paid = paid_coins_used(session, amount)
    note = f"This uses {paid} paid (bought) coins." if paid else ""

    def answer(yes: bool | None) -> None:
        if yes:
            then()

    screen.app.push_screen(ConfirmScreen(f"Spend {amount} coins?", f"{what}\nBalance: {total} → {total - amount} coins",
                                         note=note, yes="Spend", no="Cancel"), answer)
