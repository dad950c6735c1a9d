"""Ad creatives for the simulated rewarded ads: `content/ads.toml`, several, shown in turn.

```toml
[[creative]]
sponsor = "Harbor Light Tea"                        # the advertiser's name (1-40 characters)
line = "Steep the drama. Every cup a cliffhanger."     # its one line (1-80 characters)
```

Rotation is deterministic: the Nth ad a save shows uses creative N mod the count (`pick`). The file is
optional (a missing file means the one built-in creative); `coinloop content check` validates it with
`path:line: message` for every error at once: unknown keys, missing or empty fields, text too long,
control characters, too many creatives. Text is shown literally (no markup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coinloop.datarecord import datarecord
from coinloop.economy.tomllines import KeyLines
from coinloop.errors import ConfigError, ConfigErrors
from coinloop.textfile import exists, read_text, toml_data

FILE = "ads.toml"
MAX_BYTES = 64 * 1024
MAX_CREATIVES = 50
LIMITS = {"sponsor": 40, "line": 80}


@datarecord
class Creative:
    sponsor: str
    line: str


BUILT_IN = (Creative("Harbor Light Tea", "Steep the drama. Every cup a cliffhanger."),)


def pick(creatives: tuple[Creative, ...], n: int) -> Creative:
    """The creative for the save's `n`-th ad (0-based): each in turn, then round again."""
    pool = creatives or BUILT_IN
    return pool[max(0, n) % len(pool)]


def load_ads(content_dir: Path) -> tuple[Creative, ...]:
    """The creatives of `content_dir/ads.toml` (BUILT_IN when there is no such file). ConfigErrors
    (every error) when the file is broken."""
    path = Path(content_dir) / FILE
    if not exists(path):
        return BUILT_IN
    errors: list[ConfigError] = []
    try:
        text = read_text(path, MAX_BYTES)
        data = toml_data(text, path)
    except ConfigError as exc:
        raise ConfigErrors([exc]) from None
    lines = KeyLines(text)
    creatives = _creatives(data, path, lines, errors)
    if errors:
        raise ConfigErrors(errors)
    return creatives


def check_ads(content_dir: Path) -> list[ConfigError]:
    """`coinloop content check`'s hook: every error of ads.toml (none when absent or clean)."""
    try:
        load_ads(content_dir)
    except ConfigErrors as exc:
        return list(exc.errors)
    return []


def _creatives(data: dict[str, Any], path: Path, lines: KeyLines, errors: list[ConfigError]
               ) -> tuple[Creative, ...]:
    for key in data:
        if key != "creative":
            errors.append(ConfigError(path, lines.line_of(key), f"unknown key '{key}' (expected [[creative]] tables)"))
    raw = data.get("creative")
    if not isinstance(raw, list) or not raw:
        errors.append(ConfigError(path, lines.line_of("creative"), "no [[creative]] table: add at least one"))
        return ()
    if len(raw) > MAX_CREATIVES:
        errors.append(ConfigError(path, lines.line_of(f"creative[{MAX_CREATIVES}]"),
                                  f"{len(raw)} creatives: at most {MAX_CREATIVES}"))
    out = []
    for i, table in enumerate(raw[:MAX_CREATIVES]):
        where = f"creative[{i}]"
        if not isinstance(table, dict):
            errors.append(ConfigError(path, lines.line_of(where), "a creative is a [[creative]] table"))
            continue
        for key in table:
            if key not in LIMITS:
                errors.append(ConfigError(path, lines.line_of(f"{where}.{key}"),
                                          f"creative {i + 1}: unknown key '{key}' (expected sponsor, line)"))
        fields = {}
        for key, limit in LIMITS.items():
            value = table.get(key)
            at = lines.line_of(f"{where}.{key}")
            if not isinstance(value, str) or not value.strip():
                errors.append(ConfigError(path, at, f"creative {i + 1}: '{key}' must be a non-empty string"))
            elif len(value) > limit:
                errors.append(ConfigError(path, at, f"creative {i + 1}: '{key}' is {len(value)} characters "
                                                    f"(at most {limit})"))
            elif any(not ch.isprintable() for ch in value):
                errors.append(ConfigError(path, at, f"creative {i + 1}: '{key}' contains a control character"))
            else:
                fields[key] = value.strip()
        if len(fields) == len(LIMITS):
            out.append(Creative(**fields))
    return tuple(out)
