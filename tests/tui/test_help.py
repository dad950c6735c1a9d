"""`?` and F1 open one help screen on every screen: what the screen is for (its HELP text) and its keys
(read from the screen's own bindings)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.screen import Screen

import coinloop.tui.screens as screens_pkg
from coinloop.tui.screens.arcade import ArcadeScreen
from coinloop.tui.screens.confirm import ConfirmScreen
from coinloop.tui.screens.games import WordsScreen
from coinloop.tui.screens.help import HelpScreen
from coinloop.tui.screens.hub import HubScreen
from coinloop.tui.screens.wallet import WalletScreen
from tests.conftest import make_app, sync


def screen_classes() -> list[type[Screen]]:
    found = []
    for info in pkgutil.walk_packages(screens_pkg.__path__, screens_pkg.__name__ + "."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_screen_class_says_what_it_is_for():
    classes = screen_classes()
    assert len(classes) >= 20 and HubScreen in classes and WordsScreen in classes
    missing = [c.__qualname__ for c in classes if not isinstance(c.__dict__.get("HELP"), str)
               or len(c.__dict__["HELP"]) < 30]
    assert missing == []


def help_text(app) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return "\n".join(str(w.render()) for w in screen.query("Static"))


@sync
async def test_question_mark_and_f1_open_help_on_every_kind_of_screen():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # a plain screen, a list, a game, a modal (the class test above covers every screen's text)
        cases = [None, ArcadeScreen(), WalletScreen(), WordsScreen(realtime=False), ConfirmScreen("Sure?", "Really.")]
        for i, pushed in enumerate(cases):
            if pushed is not None:
                await app.push_screen(pushed)
                await pilot.pause()
            under = app.screen
            await pilot.press("question_mark" if i % 2 == 0 else "f1")
            await pilot.pause()
            shown = help_text(app)
            assert type(under).HELP in shown.replace("\n", " ") or type(under).HELP.split(":")[0] in shown
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is under                     # any key closes it, nothing else happens


@sync
async def test_help_lists_the_screens_keys_and_does_not_type_in_words():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = WordsScreen(realtime=False)
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        shown = help_text(app)
        assert "Help · Arcade › Words" in shown
        assert "Guess" in shown and "Reveal a letter" in shown and "End run" in shown
        await pilot.press("a")                                 # closes help; the key is not typed
        await pilot.pause()
        assert app.screen is screen and screen.game.current == ""
        hub_help = HelpScreen.for_screen(app.screen_stack[0])
        assert hub_help.about == HubScreen.HELP and hub_help.keys
