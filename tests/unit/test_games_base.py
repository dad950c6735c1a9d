"""The shared game interface: registry, daily seeds, reproducibility, power-ups and continues.

The rule that the domain never imports Textual lives in test_imports.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coinloop.games import GAMES, REGISTRY, GameError, daily_seed, make_game

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_every_registered_game_has_help_and_its_powerups_priced(economy):
    assert len(REGISTRY) >= 4
    for game_id, entry in REGISTRY.items():
        cls = entry.logic
        assert cls.id == game_id and GAMES[game_id] is cls
        assert cls.title and cls.blurb and cls.rules and cls.keys
        for name in cls.powerups:
            assert name in economy.game(game_id).powerups, (game_id, name)
            assert name in entry.economy["powerups"], (game_id, name)       # the default prices it too
            assert cls.powerup_help[name]


@pytest.mark.parametrize("game_id", sorted(REGISTRY))
def test_a_game_missing_from_economy_toml_gets_its_registry_default(tmp_path, game_id):
    from coinloop.economy.check import game_defaults
    from coinloop.economy.load import load_economy

    toml = (CONTENT / "economy.toml").read_text(encoding="utf-8")
    if f"[games.{game_id}]" in toml:                  # a new game may have no table yet: nothing to cut
        start = toml.index(f"[games.{game_id}]")
        end = toml.index("[", toml.index(f"[games.{game_id}.powerups]") + 1)
        toml = toml[:start] + toml[end:]
    (tmp_path / "economy.toml").write_text(toml, encoding="utf-8")
    economy = load_economy(tmp_path / "economy.toml")
    assert "[games." + game_id not in toml                 # filled in by the loader, not by economy.game()
    assert economy.games[game_id] == game_defaults()[game_id]
    assert economy.game(game_id).max_per_play == REGISTRY[game_id].economy["max_per_play"]
    for name in REGISTRY[game_id].logic.powerups:
        assert economy.game(game_id).powerups[name] > 0


def test_daily_seed_is_stable_per_day_and_game():
    d = date(2026, 3, 2)
    assert daily_seed("reflex", d) == daily_seed("reflex", date(2026, 3, 2))
    assert daily_seed("reflex", d) != daily_seed("reflex", date(2026, 3, 3))
    assert daily_seed("reflex", d) != daily_seed("memory", d)
    # hashlib, not hash(): the value is fixed across processes and Python versions
    assert daily_seed("reflex", d) == 0xF4BE5A083962AC16


@pytest.mark.parametrize("game_id", sorted(GAMES))
def test_same_seed_same_game(game_id):
    a, b = make_game(game_id, 42, CONTENT), make_game(game_id, 42, CONTENT)
    for _ in range(45):
        a.tick(1 / 30)
        b.tick(1 / 30)
    assert a.view() == b.view()


def test_unknown_game_and_action_are_refused():
    with pytest.raises(GameError):
        make_game("pong", 1, CONTENT)
    with pytest.raises(GameError):
        make_game("reflex", 1).act("jump")


def play_to_a_loss(game) -> None:
    """Lose through the game's own rules: let rounds time out, burn the flips, guess wrong words."""
    for _ in range(2000):
        if game.over:
            return
        if game.id == "memory":
            a = 0
            b = next(i for i, card in enumerate(game.cards) if card != game.cards[a])
            game.act(f"flip:{a}")
            game.act(f"flip:{b}")
        elif game.id == "words":
            wrong = next(w for w in sorted(game.words.allowed) if w != game.answer)
            for letter in wrong:
                game.act(f"type:{letter}")
            game.act("submit")
        elif game.id == "catch":               # steer the basket under the lowest bomb
            bombs = [d for d in game.drops if d.kind == "bomb"]
            target = max(bombs, key=lambda d: d.y).x - 1 if bombs else game.x
            if target != game.x:
                game.act("left" if target < game.x else "right")
            game.tick(0.1)
        else:                                  # reflex: every round runs out without a press
            game.tick(0.1)
    raise AssertionError(f"{game.id} did not end")


@pytest.mark.parametrize("game_id", sorted(GAMES))
def test_powerup_refused_when_over_and_continue_only_after_failure(game_id):
    game = make_game(game_id, 3, CONTENT)
    assert not game.can_continue and game.can_use_powerup(game.powerups[0])
    with pytest.raises(GameError):
        game.apply_continue()
    with pytest.raises(GameError):
        game.use_powerup("nope")
    play_to_a_loss(game)
    assert game.over and not game.won
    assert not game.can_use_powerup(game.powerups[0])
    with pytest.raises(GameError):
        game.use_powerup(game.powerups[0])
    assert game.can_continue
    game.apply_continue()
    assert not game.over and game.continues_used == 1
