"""content/series/* -> a Library of Series. The index is lazy: start-up reads file names, series.yaml
and each episode's front matter; an episode body is parsed the first time it is opened.

`check_content` is the eager twin used by `coinloop content check`: it parses everything and returns
every error it finds, each located as `path:line: message`.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from coinloop.core import rules
from coinloop.core.catalog import free_count
from coinloop.core.rules import PRICE_KEYS, series_prices
from coinloop.datarecord import datarecord
from coinloop.economy.model import MAX_COINS, Economy, EpisodesConfig
from coinloop.errors import ConfigError, ConfigErrors, ConfigWarning
from coinloop.story import yamlines
from coinloop.story.frontmatter import _located, _show, read_title
from coinloop.story.limits import MAX_TITLE_CHARS, ContentError
from coinloop.textfile import control_errors, read_text

if TYPE_CHECKING:
    from coinloop.story.beats import Episode

EPISODE_FILE = re.compile(r"^(\d{1,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
SERIES_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
SERIES_KEYS = ("title", "logline", "genre", "free_episodes", "prices")
MAX_SERIES = 200
MAX_EPISODES = 500             # per series
MAX_SERIES_YAML_BYTES = 64 * 1024
TEXT_LIMITS = {"title": MAX_TITLE_CHARS, "logline": 300, "genre": 40}
Parsed = dict  # Path -> (Episode | None, list[ContentError]): the checker's mode, see load_library


@datarecord
class EpisodeInfo:
    number: int
    slug: str
    title: str
    path: Path


@datarecord(frozen=False)
class Series:
    id: str
    title: str
    path: Path
    episodes: tuple[EpisodeInfo, ...]
    logline: str = ""
    genre: str = ""
    free_episodes: int | None = None       # None: economy episodes.free_episodes
    prices: dict[str, int] = field(default_factory=dict)   # overrides of price_base/step/max
    premium_cost_max: int | None = None
    _cache: dict[int, Episode] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.episodes)

    @property
    def numbers(self) -> list[int]:
        return [e.number for e in self.episodes]

    def info(self, number: int) -> EpisodeInfo:
        for info in self.episodes:
            if info.number == number:
                return info
        raise KeyError(f"{self.id} has no episode {number}")

    def episode(self, number: int) -> Episode:
        """The parsed episode (cached). Raises ConfigErrors when its file is broken."""
        if number not in self._cache:
            from coinloop.story.format import load_episode   # the parser loads with the first episode read

            info = self.info(number)
            episode, errors = load_episode(info.path, number=number, slug=info.slug,
                                           premium_cost_max=self.premium_cost_max)
            if errors or episode is None:
                raise ConfigErrors(list(errors))
            self._cache[number] = episode
        return self._cache[number]

    def free_count(self, cfg: EpisodesConfig) -> int:
        return free_count(self.price_config(cfg), len(self.episodes))

    def price_config(self, cfg: EpisodesConfig) -> EpisodesConfig:
        """The economy's episode pricing with this series' overrides applied (the rule lives in core)."""
        return series_prices(cfg, self.free_episodes, self.prices)


@datarecord(frozen=False)
class Library:
    root: Path
    series: dict[str, Series]
    errors: list[ConfigError] = field(default_factory=list)

    def __iter__(self) -> Iterator[Series]:
        return iter(self.series.values())

    def __len__(self) -> int:
        return len(self.series)

    def get(self, series_id: str) -> Series:
        try:
            return self.series[series_id]
        except KeyError:
            raise KeyError(f"no series {series_id!r}") from None


@datarecord
class ContentSummary:
    series: int
    episodes: int
    words: int
    minutes: int

    def __str__(self) -> str:
        return (f"{self.series} series, {self.episodes} episodes, {self.words:,} words, "
                f"~{self.minutes} min reading")


# --- loading --------------------------------------------------------------------------------------

def load_library(content_dir: str | Path, economy: Economy | None = None, *, strict: bool = False,
                 parsed: Parsed | None = None) -> Library:
    """Index content_dir/series/*. strict=True raises ConfigErrors listing every index error;
    otherwise broken series are left out and their errors kept in `library.errors`.

    With `parsed` (a dict, filled in), every episode is parsed in full instead of reading only its
    front matter: the checker's mode, which reads each file once."""
    economy = economy or Economy()
    root = Path(content_dir)
    series_dir = root / "series"
    errors: list[ConfigError] = []
    found: dict[str, Series] = {}
    if not series_dir.is_dir():
        errors.append(ContentError(series_dir, None, "no series folder (expected content/series/<id>/)"))
    else:
        folders = [entry for entry in sorted(os.scandir(series_dir), key=lambda e: e.name)
                   if not entry.name.startswith(".") and _is_dir(entry)]
        for count, entry in enumerate(folders, 1):
            if count > MAX_SERIES:
                errors.append(ContentError(Path(entry.path) / "series.yaml", 1, f"more than {MAX_SERIES} series: "
                                           "this one and the ones after it are left out"))
                break
            series, series_errors = _load_series(Path(entry.path), economy, parsed)
            errors.extend(series_errors)
            if series is not None and not series_errors:
                found[series.id] = series
    if strict and errors:
        raise ConfigErrors(errors)
    return Library(root, found, errors)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop: not a folder we can use
        return False


def _load_series(folder: Path, economy: Economy, parsed: Parsed | None = None) -> tuple[Series | None, list[ConfigError]]:
    errors: list[ConfigError] = []
    meta_path = folder / "series.yaml"
    meta: dict[str, Any] = {}
    if not SERIES_ID.match(folder.name):
        errors.append(ContentError(folder, None, f"bad series folder name {folder.name!r}: use lowercase "
                                                 "letters, digits and '-' (it is the series id)"))
    if not meta_path.is_file() and not meta_path.is_symlink():
        errors.append(ContentError(meta_path, None, "missing series.yaml (every series folder needs one "
                                                    "with at least 'title: ...')"))
    else:
        meta = _read_series_yaml(meta_path, errors)
    episodes: list[EpisodeInfo] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        name = entry.name
        if name.startswith(".") or name == "series.yaml":
            continue
        m = EPISODE_FILE.match(name)
        path = Path(entry.path)
        try:
            if not entry.is_file():
                continue
        except OSError as exc:  # a symlink to itself, or a loop: one line, no traceback
            if m or name.endswith(".md"):
                errors.append(ContentError(path, 1, f"cannot read file: {exc.strerror or exc}"))
            continue
        if not m:
            if name.endswith(".md") or name.endswith(".markdown"):
                errors.append(ContentError(path, 1, f"bad episode file name {name!r} (expected NN-slug.md: "
                                                    "a number, '-', lowercase words joined by '-', e.g. 01-the-wedding.md)"))
            elif name.endswith((".yaml", ".yml")):
                errors.append(ContentError(path, 1, f"unexpected file {name!r} (the series file is series.yaml)"))
            continue
        if len(episodes) >= MAX_EPISODES:
            errors.append(ContentError(path, 1, f"more than {MAX_EPISODES} episodes in one series: split it"))
            break
        if parsed is None:
            title, title_errors = read_title(path)
        else:
            from coinloop.story.format import load_episode   # the checker's mode parses every file in full

            episode, title_errors = load_episode(path, number=int(m.group(1)), slug=m.group(2),
                                                 premium_cost_max=economy.choices.premium_cost_max)
            parsed[path] = (episode, title_errors)
            title = episode.title if episode is not None else None
        errors.extend(title_errors)
        episodes.append(EpisodeInfo(int(m.group(1)), m.group(2), title or m.group(2), path))
    errors.extend(_numbering_errors(episodes, meta_path))
    if errors or "title" not in meta:
        return None, errors
    return Series(
        id=folder.name, title=meta["title"], path=folder, episodes=tuple(episodes),
        logline=meta.get("logline", ""), genre=meta.get("genre", ""),
        free_episodes=meta.get("free_episodes"), prices=meta.get("prices", {}),
        premium_cost_max=economy.choices.premium_cost_max,
    ), errors


def _numbering_errors(episodes: list[EpisodeInfo], meta_path: Path) -> list[ConfigError]:
    errors: list[ConfigError] = []
    if not episodes:
        return [ContentError(meta_path, 1, "series has no episodes (add files named 01-slug.md, 02-slug.md, ...)")]
    episodes.sort(key=lambda e: (e.number, e.path.name))
    seen: dict[int, EpisodeInfo] = {}
    expected = 1
    for info in episodes:
        if info.number in seen:
            errors.append(ContentError(info.path, 1, f"duplicate episode number {info.number:02d} "
                                                     f"(also {seen[info.number].path.name})"))
            continue
        seen[info.number] = info
        if info.number == 0:
            errors.append(ContentError(info.path, 1, "episode numbers start at 01"))
            continue
        if info.number != expected:
            missing = f"{expected:02d}" if info.number == expected + 1 else f"{expected:02d}-{info.number - 1:02d}"
            errors.append(ContentError(info.path, 1, f"gap in numbering: episode {missing} is missing "
                                                     f"before {info.number:02d}"))
        expected = info.number + 1
    return errors


def _read_series_yaml(path: Path, errors: list[ConfigError]) -> dict[str, Any]:
    try:
        text = read_text(path, MAX_SERIES_YAML_BYTES)
    except ConfigError as exc:
        errors.append(_located(exc))
        return {}
    controls = control_errors(text.replace("\r\n", "\n").split("\n"), path)
    if controls:
        errors.extend(_located(e) for e in controls)
        return {}
    try:
        data = yamlines.load(text)
    except yamlines.YamlProblem as exc:
        errors.append(ContentError(path, min(exc.line + 1, max(1, text.rstrip().count("\n") + 1)), exc.message))
        return {}
    if not isinstance(data, yamlines.LineDict):
        errors.append(ContentError(path, 1, "series.yaml must be 'key: value' lines, starting with 'title: ...'"))
        return {}

    def err(key: Any, message: str, mapping: yamlines.LineDict = data) -> None:
        errors.append(ContentError(path, mapping.lines.get(key, mapping.line) + 1, message))

    meta: dict[str, Any] = {}
    for key, line in data.duplicates:
        errors.append(ContentError(path, line + 1, f"duplicate key '{key}'"))
    for key, value in data.items():
        if key not in SERIES_KEYS:
            err(key, f"unknown key '{key}' (expected {', '.join(SERIES_KEYS)})")
        elif key in ("title", "logline", "genre"):
            if not isinstance(value, str) or not value.strip():
                err(key, f"{key} must be text, got {_show(value)}")
            elif len(value.strip()) > TEXT_LIMITS[key]:
                err(key, f"{key} is {len(value.strip())} characters: at most {TEXT_LIMITS[key]}")
            else:
                meta[key] = value.strip()
        elif key == "free_episodes":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_EPISODES:
                err(key, f"free_episodes must be a whole number (0 to {MAX_EPISODES}), got {_show(value)}")
            else:
                meta[key] = value
        elif key == "prices":
            meta[key] = _read_prices(value, data, err)
    if "title" not in data:
        errors.append(ContentError(path, 1, "missing title (add 'title: ...')"))
    return meta


def _read_prices(value: Any, data: yamlines.LineDict, err: Any) -> dict[str, int]:
    if not isinstance(value, yamlines.LineDict):
        err("prices", f"prices must be keys base, step, max, got {_show(value)}")
        return {}
    prices: dict[str, int] = {}
    for key, amount in value.items():
        if key not in PRICE_KEYS:
            err(key, f"unknown key 'prices.{key}' (expected {', '.join(PRICE_KEYS)})", value)
        elif isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_COINS:
            err(key, f"prices.{key} must be a whole number of coins (0 to {MAX_COINS:,}), got {_show(amount)}", value)
        else:
            prices[key] = amount
    if "base" in prices and "max" in prices and prices["max"] < prices["base"]:
        err("max", f"prices.max ({prices['max']}) is below prices.base ({prices['base']})", value)
    return prices


# --- checking everything --------------------------------------------------------------------------

def check_content(content_dir: str | Path, economy: Economy | None = None,
                  warnings: list[ConfigWarning] | None = None) -> tuple[list[ConfigError], ContentSummary]:
    """Index and parse every episode (each file read and parsed once, broken series included); return
    every error and a summary of what loaded. With `warnings` (a list, filled in): every content value
    that shadows an economy.toml number (story/shadows.py)."""
    economy = economy or Economy()
    parsed: Parsed = {}
    library = load_library(content_dir, economy, parsed=parsed)
    loaded = [parsed[info.path][0] for s in library for info in s.episodes if info.path in parsed]
    if warnings is not None:
        from coinloop.story.shadows import shadow_warnings

        warnings.extend(shadow_warnings(((p, e) for p, (e, _) in parsed.items() if e is not None), economy))
    words = sum(e.words for e in loaded if e is not None)
    minutes = round(rules.reading_seconds(words, economy.episodes.reading_wpm) / 60)
    return _dedupe(library.errors), ContentSummary(len(library), sum(e is not None for e in loaded), words, minutes)


def _dedupe(errors: list[ConfigError]) -> list[ConfigError]:
    seen: set[str] = set()
    out: list[ConfigError] = []
    for e in errors:
        if str(e) not in seen:
            seen.add(str(e))
            out.append(e)
    return out
