"""Mutated episode files parse into an Episode or into located ContentErrors, never another exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coinloop.story.format import ContentError, Episode, parse_episode
from coinloop.story.player import EpisodePlayer

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "series" / "tiny" / "01-the-vault.md"
SEED = FIXTURE.read_text(encoding="utf-8")

FRAGMENTS = ["---", "```", "```ad", "```choice", "```add", "options:", "  - text: x", "    reply: y",
             "    cost: -1", "    cost: 999", "reward: ten", "prompt:", "title:", ":", "[", "{", "}", "- ",
             "# ", "> ", "1. ", "    ", "\t", "<div>", "*", "&amp;", "!!python/name:os.system", "\r",
             "\x00", "\u2028", "\ufeff", "é", "", "\n", "\n\n", "yes", "null", "*anchor", "&anchor x"]


@st.composite
def mutated(draw) -> str:
    lines = SEED.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "replace", "chars"]))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "insert":
            lines.insert(i, draw(st.sampled_from(FRAGMENTS)))
        elif op == "delete" and lines:
            del lines[i: i + draw(st.integers(1, 4))]
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif op == "replace" and lines:
            lines[i] = draw(st.sampled_from(FRAGMENTS)) + draw(st.text(max_size=8))
        elif lines:
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + draw(st.text(max_size=5)) + lines[i][j:]
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_give_an_episode_or_located_errors(text):
    episode, errors = parse_episode(text, "ep.md", premium_cost_max=100)
    if errors:
        assert episode is None
        line_count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        for error in errors:
            assert isinstance(error, ContentError)
            assert error.path == "ep.md" and error.message
            assert error.line is not None and 1 <= error.line <= line_count + 1
    else:
        assert isinstance(episode, Episode) and episode.beats
        assert episode.beats[-1].kind == "text"
        player = EpisodePlayer(episode)
        while player.advance() is not None:
            pass
        assert player.finished and player.progress == 1.0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text):
    episode, errors = parse_episode(text, "ep.md")
    assert (episode is None) == bool(errors)
