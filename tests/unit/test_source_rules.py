"""Two house rules over src/ (issue 19 §5): no file over 400 lines (a module that grows past it splits by
job), and every `# noqa` and `# type: ignore` names its codes and says why (`# noqa: ANN001 - a Session`,
`# type: ignore[misc]  # why`), so a silenced check is a decision someone can read, not a leftover."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "coinloop"
MAX_LINES = 400

_NOQA = re.compile(r"#\s*noqa\b(?P<rest>.*)", re.IGNORECASE)
_NOQA_OK = re.compile(r"^:\s*[A-Z]+[0-9]+(\s*,\s*[A-Z]+[0-9]+)*\s+-\s+\S")       # codes, " - ", a reason
_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)")
_IGNORE_OK = re.compile(r"^\[[a-z-]+(\s*,\s*[a-z-]+)*\]\s*#\s*\S")                # codes, then a comment


def long_files(src: Path = SRC) -> list[str]:
    out = []
    for path in sorted(src.rglob("*.py")):
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            out.append(f"{path.relative_to(src.parent)}: {n} lines")
    return out


def unexplained(text: str, name: str) -> list[str]:
    """`name:line: comment` for each noqa / type: ignore comment without its codes and a reason."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type != tokenize.COMMENT:
            continue
        comment = tok.string
        ignore = _IGNORE.search(comment)
        noqa = _NOQA.search(comment)
        bad = (ignore is not None and not _IGNORE_OK.match(ignore.group("rest"))) or \
              (noqa is not None and not _NOQA_OK.match(noqa.group("rest")))
        if bad:
            out.append(f"{name}:{tok.start[0]}: {comment}")
    return out


def test_no_file_in_src_is_over_400_lines():
    assert long_files() == [], "split these by job:\n" + "\n".join(long_files())


def test_every_noqa_and_type_ignore_in_src_says_why():
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(SRC.rglob("*.py"))}
    found = [line for path, text in texts.items() if "noqa" in text.lower() or "type:" in text   # tokenize only those
             for line in unexplained(text, str(path.relative_to(SRC.parent)))]
    assert found == [], "fix these or give each its codes and a reason:\n" + "\n".join(found)


def test_the_rules_catch_a_long_file_and_a_bare_silencer(tmp_path):
    pkg = tmp_path / "coinloop"
    pkg.mkdir()
    (pkg / "short.py").write_text("x = 1\n" * MAX_LINES)
    (pkg / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    assert long_files(pkg) == ["coinloop/long.py: 401 lines"]
    text = (
        "a = f()  # noqa\n"
        "b = f()  # noqa: E731\n"
        "c = f()  # noqa: ANN001 - a Session\n"
        "d = f()  # type: ignore\n"
        "e = f()  # type: ignore[attr-defined]\n"
        "g = f()  # type: ignore[misc]  # App[object] -> CoinloopApp\n"
        "h = f()  # type: ignore[override]  # noqa: N802 - the base's constant\n"
        "s = '# noqa'  # a string is not a comment\n"
    )
    assert unexplained(text, "m.py") == ["m.py:1: # noqa", "m.py:2: # noqa: E731", "m.py:4: # type: ignore",
                                         "m.py:5: # type: ignore[attr-defined]"]
