"""How each earn path of `coinloop.earnpaths` starts in the TUI: one starter per entry.

A starter gets the router and, when started from a paywall, the locked episode (series, number): the
paywall comes back when the path is done, unless the episode got unlocked on the way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable


if TYPE_CHECKING:
    from coinloop.tui.router import Router, Target

Starter = Callable[["Router", "Target | None"], None]


def _game(router: "Router", target: "Target | None") -> None:
    if target is not None:
        router.session.loop.set_goal(*target)      # the arcade and its results show the progress to it
    router.open_arcade(then_paywall=target)


def _ad(router: "Router", target: "Target | None") -> None:
    router.watch_ad(then_paywall=target)


def _checkin(router: "Router", target: "Target | None") -> None:
    from coinloop.tui.screens.checkin import CheckinScreen

    router.open(CheckinScreen(), then_paywall=target)


def _wait(router: "Router", target: "Target | None") -> None:
    if target is None:
        router.app.notify("A free wait-unlock opens a locked episode: pick one in Stories.")
        return
    router.unlock_with_wait(target)


def _shop(router: "Router", target: "Target | None") -> None:
    from coinloop.tui.screens.shop import ShopScreen

    router.open(ShopScreen(), then_paywall=target)


STARTERS: dict[str, Starter] = {"game": _game, "ad": _ad, "checkin": _checkin, "wait": _wait, "shop": _shop}

