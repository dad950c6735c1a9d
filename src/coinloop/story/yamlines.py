"""YAML with line numbers: mappings remember the file line of each key, so errors can point at it.

A SafeLoader (the C one when PyYAML has libyaml) whose mappings are `LineDict`s. Content is data,
never code: no tags beyond the safe ones are accepted.
"""

from __future__ import annotations

from typing import Any

import yaml

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A dict that knows the 0-based line of itself (`line`) and of each key (`lines`)."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []


class _LineLoader(_Base):
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


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load(text: str) -> Any:
    """Parse YAML text; raises YamlProblem(line0, message) with the 0-based line inside `text`."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
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
