"""Seeded mutation fuzzer over the bundled content and economy.toml.

Each case copies nothing: it mutates one file of a scratch copy of content/ (byte flips, line
deletions and duplications, number swaps, unicode, Rich markup, control characters), runs what
`coinloop content check` runs and what start-up runs (the strict index, then every episode the app
would open), and restores the file. Counted: tracebacks (any exception), hangs (a case over
HANG_SECONDS, cut by SIGALRM), rejections without a line, and simple_blocks/markdown-it disagreements.

`python -m tests.soak.content_fuzz --cases 10000 [--seed N]` (make soak); a few hundred in make test.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from coinloop.cli_content import check_folder
from coinloop.economy.check import check_economy
from coinloop.economy.model import Economy
from coinloop.errors import CoinloopError
from coinloop.story.blocks import markdown_blocks, simple_blocks
from coinloop.story.format import split_lines
from coinloop.story.library import load_library

CONTENT = Path(__file__).resolve().parents[2] / "content"
HANG_SECONDS = 5.0
NUMBERS = [b"0", b"-1", b"9223372036854775808", b"18446744073709551616", b"1e308", b"nan", b"inf", b"-inf",
           b"0.0", b"1000001", b"99999999999999999999999", b"3.5", b"0x10", b"1_000", b"-0"]
UNICODE = ["\u2028", "\u2029", "\ufeff", "\u00a0", "\u202e", "\u0301", "\U0001f480", "\u0085", "\ud800",
           "\u200b", "Ω", "\uffff"]
MARKUP = ["[/b]", "[/]", "[link=https://evil.example]", "[bold red]", "[@click=app.quit]", "\\[", "[b]x[/i]",
          "[/link]", "[ ", "]"]
CONTROLS = ["\x1b]0;pwned\x07", "\x1b[2J", "\x00", "\x07", "\x08", "\x9b31m", "\x7f", "\r", "\x0c", "\x1b",
            "\x85", "\t"]
MARKDOWN = ["# ", "> ", "- ", "* ", "1. ", "    ", "```", "~~~", "---", "===", "<div>", "| a |", "[x]: y",
            "***", "```ad", "```choice", "  - text: x", "reward: ", "title: ", ": ", "&a ", "*a", "!!python/object "]


@dataclass
class Report:
    cases: int = 0
    rejected: int = 0
    accepted: int = 0
    tracebacks: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    without_line: list[str] = field(default_factory=list)
    block_mismatches: list[str] = field(default_factory=list)
    slowest: float = 0.0

    def summary(self) -> str:
        return (f"content fuzz: {self.cases} cases ({self.rejected} rejected, {self.accepted} accepted): "
                f"tracebacks = {len(self.tracebacks)}, hangs = {len(self.hangs)}, rejections without a line = "
                f"{len(self.without_line)}, block scanner mismatches = {len(self.block_mismatches)}, "
                f"slowest case {self.slowest * 1000:.0f} ms")


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang()


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three mutations of a file's bytes."""
    for _ in range(rng.randint(1, 3)):
        lines = data.split(b"\n")
        kind = rng.randrange(9)
        i = rng.randrange(len(lines))
        if kind == 0 and data:                              # byte flip
            pos = rng.randrange(len(data))
            data = data[:pos] + bytes([rng.randrange(256)]) + data[pos + 1:]
            continue
        if kind == 1 and len(lines) > 1:                    # line deletion
            del lines[i]
        elif kind == 2:                                     # line duplication
            lines.insert(i, lines[i] * rng.choice((1, 1, 1, 50)))
        elif kind == 3:                                     # number swap
            numbers = list(re.finditer(rb"-?\d+(?:\.\d+)?", data))
            if numbers:
                m = rng.choice(numbers)
                data = data[:m.start()] + rng.choice(NUMBERS) + data[m.end():]
                continue
        else:                                               # 4-8: unicode, markup, control, markdown
            pool = {4: UNICODE, 5: MARKUP, 6: CONTROLS, 7: MARKDOWN, 8: MARKDOWN}[kind]
            piece = rng.choice(pool).encode("utf-8", "surrogatepass")
            line = lines[i]
            at = rng.randrange(len(line) + 1) if kind != 7 else 0   # markdown goes at the line start
            lines[i] = line[:at] + piece + line[at:]
        data = b"\n".join(lines)
    return data


def _lines_ok(errors, root: Path) -> list[str]:
    bad = []
    for e in errors:
        if not e.line or e.line < 1:
            bad.append(str(e))
            continue
        path = Path(e.path)
        if path.is_file():
            count = path.read_bytes().count(b"\n") + 1
            if e.line > count:
                bad.append(f"{e} (file has {count} lines)")
    return bad


def run_case(root: Path, target: Path, original: bytes, rng: random.Random, report: Report, label: str) -> None:
    target.write_bytes(mutate(original, rng))
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        errors, warnings, _summary = check_folder(root)
        bad = _lines_ok(errors, root) + [str(w) for w in warnings if not w.line]
        if errors:
            report.rejected += 1
            report.without_line += [f"{label}: {b}" for b in bad]
        else:
            report.accepted += 1
        # start-up: the economy, the strict index, then every episode the app would open
        economy = check_economy(root / "economy.toml").economy or Economy()
        try:
            library = load_library(root, economy, strict=True)
            for series in library:
                if series.path == target.parent or target.suffix == ".toml":
                    for info in series.episodes:
                        series.episode(info.number)
        except CoinloopError:
            pass
        if target.suffix == ".md":
            _compare_blocks(target, report, label)
    except Hang:
        report.hangs.append(label)
    except Exception as exc:  # noqa: BLE001 - what the fuzzer counts
        report.tracebacks.append(f"{label}: {type(exc).__name__}: {exc}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        report.slowest = max(report.slowest, time.perf_counter() - start)
        target.write_bytes(original)


def _compare_blocks(target: Path, report: Report, label: str) -> None:
    try:
        text = target.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return
    lines = split_lines(text)
    simple = simple_blocks(lines)
    if simple is not None and simple != markdown_blocks(lines):
        report.block_mismatches.append(label)


def run(cases: int, seed: int = 0) -> Report:
    rng = random.Random(seed)
    report = Report()
    previous = signal.signal(signal.SIGALRM, _alarm)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(CONTENT, root, ignore=shutil.ignore_patterns("games"))
        shutil.copytree(CONTENT / "games", root / "games") if (CONTENT / "games").exists() else None
        targets = sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml", ".toml") and p.name != "README.md")
        originals = {p: p.read_bytes() for p in targets}
        try:
            for case in range(cases):
                target = rng.choice(targets)
                report.cases += 1
                run_case(root, target, originals[target], random.Random(rng.random()), report,
                         f"seed {seed} case {case} {target.relative_to(root)}")
        finally:
            signal.signal(signal.SIGALRM, previous)
    return report


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    report = run(args.cases, args.seed)
    print(report.summary(), f"in {time.perf_counter() - start:.0f} s")
    for name in ("tracebacks", "hangs", "without_line", "block_mismatches"):
        for line in getattr(report, name)[:10]:
            print(f"  {name}: {line}")
    return 1 if report.tracebacks or report.hangs or report.without_line or report.block_mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
