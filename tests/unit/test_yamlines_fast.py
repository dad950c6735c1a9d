"""The front matter fast path (`yamlines._plain_mapping`) gives exactly what PyYAML gives, or steps aside."""

from __future__ import annotations

import subprocess
from pathlib import Path
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from coinloop.story import yamlines

KEYS = st.one_of(st.sampled_from(["title", "logline", "genre", "free_episodes", "prices", "on", "no", "y",
                                  "null", "True", "t1_x"]),
                 st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True))
TRICKY = ["", " ", "  ", ":", ": ", " #", "#", "'", '"', "\\", "-", "?", "!", "&", "*", "|", ">", "%", "@", "`",
          "[", "]", "{", "}", ",", "~", ".", "0", "1", "07", "1_0", "yes", "No", "null", "true", "OFF", ".inf",
          "\t", "\r", "\x85", "\u2028", "\ufeff", "\xa0", "“", "é", "2024-01-01", "1e3", "0x1f", "1:30"]
VALUES = st.one_of(
    st.lists(st.sampled_from(TRICKY) | st.text("abcXY z", max_size=4), max_size=6).map("".join),
    st.text(max_size=12),
    st.integers(min_value=0, max_value=10**20).map(str),
)
LINES = st.one_of(
    st.tuples(KEYS, st.sampled_from([": ", ":", ":  ", " : ", ":\t"]), VALUES).map("".join),
    st.sampled_from(["", " ", "# note", "  indented: x", "- item", "---", "..."]),
)


def _reference(text: str):
    try:
        return "ok", yamlines.load_yaml(text)
    except yamlines.YamlProblem as exc:
        return "problem", (exc.line, exc.message)


def _same(fast: yamlines.LineDict, ref) -> None:
    kind, data = ref
    assert kind == "ok", f"the fast path read text that YAML refuses: {data}"
    assert isinstance(data, yamlines.LineDict)
    assert dict(fast) == dict(data)
    assert [type(v) for v in fast.values()] == [type(v) for v in data.values()]
    assert list(fast) == list(data)
    assert fast.lines == data.lines
    assert fast.duplicates == data.duplicates
    assert fast.line == data.line


@settings(max_examples=600, deadline=None)
@given(st.lists(LINES, min_size=0, max_size=6).map("\n".join))
@example("title: The Contract Bride\nlogline: \"Five years: a 'deal' # no\"\ngenre: Revenge Romance\nfree_episodes: 4\n")
@example("title: a\ntitle: b")
@example("\n\ntitle: x: y")
def test_fast_path_reads_what_yaml_reads(text: str) -> None:
    fast = yamlines._plain_mapping(text)
    if fast is not None:
        _same(fast, _reference(text))


def test_fast_path_takes_the_usual_front_matter_and_steps_aside_for_the_rest() -> None:
    usual = "title: “Speak Now” — part 2, it's (finally) here\nlogline: 'Five: years'\nfree_episodes: 4\n"
    fast = yamlines._plain_mapping(usual)
    assert fast is not None
    _same(fast, _reference(usual))
    for text in ["title: [a, b]", "prices:\n  base: 3", "title: 07", "title: yes", "title: a # c",
                 "title: \"a\\tb\"", "on: x", "title:\tx", "- a", "title: -x"]:
        assert yamlines._plain_mapping(text) is None, text


def test_a_content_error_is_located_as_before() -> None:
    """What the fast path hands on keeps PyYAML's located message."""
    try:
        yamlines.load("title: a\nlogline: b: c")
    except yamlines.YamlProblem as exc:
        assert exc.line == 1 and exc.message.startswith("bad YAML: mapping values are not allowed")
    else:
        raise AssertionError("no problem raised")


def test_indexing_the_content_does_not_import_yaml() -> None:
    content = str(Path(__file__).parents[2] / "content")
    code = ("import sys\nfrom coinloop.story.library import load_library\n"
            f"lib = load_library({content!r})\nassert lib.series and not lib.errors, lib.errors\n"
            "print('yaml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
