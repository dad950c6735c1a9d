"""YAML with line numbers: mappings remember the file line of each key, so errors can point at it.

A SafeLoader (the C one when PyYAML has libyaml) whose mappings are `LineDict`s. Content is data,
never code: no tags beyond the safe ones are accepted.

Start-up reads every episode's front matter and every series.yaml, which are nearly always plain
`key: value` lines. Those are read by `_plain_mapping`, which accepts only lines whose meaning in YAML
is certain (a plain word key; a value YAML reads as that same text, or a decimal int) and gives
exactly what the YAML loader gives; anything else goes to PyYAML, imported on first use (importing it
is a large part of start-up). tests/unit/test_yamlines_fast.py compares the two on generated input.
"""

from __future__ import annotations

import re
from typing import Any


class LineDict(dict):
    """A dict that knows the 0-based line of itself (`line`) and of each key (`lines`)."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# --- the fast path: `key: value` lines whose YAML meaning is certain ----------------------------------

_KEY_LINE = re.compile(r"([a-z][a-z0-9_]*):(?: +(.*))?")
# the words PyYAML's resolver reads as bool or null (YAML 1.1): such values and keys go to PyYAML
_NOT_TEXT = frozenset("yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF "
                      "null Null NULL".split())
_INT = re.compile(r"0|[1-9][0-9]*")


def _plain_value(raw: str) -> tuple[bool, Any]:
    """(True, what YAML reads) for a value whose meaning is certain, else (False, None)."""
    value = raw.rstrip(" ")
    if not value:
        return True, None
    first = value[0]
    if first == '"' or first == "'":
        inner = value[1:-1]
        if len(value) >= 2 and value[-1] == first and first not in inner and "\\" not in inner:
            return True, inner
        return False, None
    if first.isdigit():
        return (True, int(value)) if _INT.fullmatch(value) else (False, None)
    if not (first.isalpha() or first in "(“‘«¿¡$€£") or value in _NOT_TEXT:
        return False, None
    if value[-1] == ":" or ": " in value or " #" in value:
        return False, None
    return True, value


def _plain_mapping(text: str) -> LineDict | None:
    """The LineDict YAML would give for `text` when every line is `key: value` (or blank), else None."""
    mapping = LineDict()
    first = None
    for i, line in enumerate(text.split("\n")):
        # str.isprintable() refuses tabs, \r, the other line breaks, no-break spaces, the BOM, surrogates
        # and every control character: a subset of what YAML reads as plain text (a regex class for
        # YAML's own set costs more to compile than the whole fast path saves)
        if not line.isprintable():
            return None
        if not line.strip(" "):
            continue
        m = _KEY_LINE.fullmatch(line)
        if m is None or m.group(1) in _NOT_TEXT:
            return None
        ok, value = _plain_value(m.group(2) or "")
        if not ok:
            return None
        key = m.group(1)
        if first is None:
            first = i
        if key in mapping:
            mapping.duplicates.append((key, i))
        mapping[key] = value
        mapping.lines[key] = i
    if first is None:
        return None
    mapping.line = first
    return mapping


# --- PyYAML ------------------------------------------------------------------------------------------

_LOADER: Any = None


def _loader() -> Any:
    global _LOADER
    if _LOADER is None:
        import yaml

        class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # a class picked at run time
            pass

        def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
            loader.flatten_mapping(node)
            mapping = LineDict()
            mapping.line = node.start_mark.line
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        None, None, "a key must be a plain word", key_node.start_mark) from None
                value = loader.construct_object(value_node, deep=True)
                if key in mapping:
                    mapping.duplicates.append((key, key_node.start_mark.line))
                mapping[key] = value
                mapping.lines[key] = key_node.start_mark.line
            return mapping

        _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        _LOADER = _LineLoader
    return _LOADER


def load(text: str) -> Any:
    """Parse YAML text; raises YamlProblem(line0, message) with the 0-based line inside `text`."""
    fast = _plain_mapping(text)
    if fast is not None:
        return fast
    return load_yaml(text)


def load_yaml(text: str) -> Any:
    """`load` through PyYAML always (the fast path's reference)."""
    loader = _loader()
    import yaml

    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line if mark is not None else 0
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and exc.context not in problem:
            problem = f"{exc.problem} ({exc.context})"
        raise YamlProblem(line, f"bad YAML: {problem}") from None
    except yaml.YAMLError as exc:  # ReaderError and friends: unprintable characters
        raise YamlProblem(text.count("\n", 0, getattr(exc, "position", 0) or 0),
                          f"bad YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise YamlProblem(0, "bad YAML: nested too deeply") from None
