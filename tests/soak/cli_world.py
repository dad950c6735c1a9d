"""The hostile files a CLI fuzz run picks from (issue 26 §10), built once in a temporary folder.

`World(root)` holds a project root (COINLOOP_HOME) with a copy of the content and two saves, and every
hostile input the issue names: paths longer than PATH_MAX and NAME_MAX, a 255-byte save name whose
-wal is too long, a symlink loop, a FIFO, /dev/zero, a folder, TOML files with a UTF-8 BOM, a
personas.toml nested 5,000 deep, a persona with 7,000 at_paywall steps, and --sim files with
Infinity, NaN, huge integers and 200,000 nested brackets.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

from tests.conftest import CONTENT

PATH_MAX = 4096
NAME_MAX = 255


def make_save(path: Path, content: Path, events: int = 3) -> Path:
    """A real save with ledger entries and a few events of every kind the analytics read."""
    from coinloop.clock import FixedClock
    from coinloop.session import Session

    s = Session.open(path, content, clock=FixedClock())
    w = s.wallet
    w.earn(30, "game:catch")
    w.earn(5, "[/]hostile [@click=app.quit]source")
    for i in range(events):
        w.log_event("paywall_shown", series="s", number=i + 1)
        w.log_event("game_end", game="catch", score=10 * i, coins=3)
        w.log_event("unlock", series="s", number=i + 1, method="coins")
    w.log_event("paywall_path", series="s", number=1, path="$\\frac{$ <script>[/]")   # TeX, HTML, markup
    w.log_event("game_end", game="=cmd|' /C calc'!A0 $x^$", score=1, coins=1)    # a formula, TeX
    s.close()
    return path


class World:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.content = self.home / "content"
        shutil.copytree(CONTENT, self.content)
        (self.home / "saves").mkdir()
        self.cache = root / "cache"
        self.work = root / "work"
        self.work.mkdir()
        self.save = make_save(self.home / "saves" / "alice.db", self.content)
        self.bob = make_save(self.home / "saves" / "bob.db", self.content)
        f = root / "files"
        f.mkdir()
        self.files = f
        self.hardlink = f / "alice-link.db"
        os.link(self.save, self.hardlink)
        (f / "loop-a.db").symlink_to(f / "loop-b.db")
        (f / "loop-b.db").symlink_to(f / "loop-a.db")
        self.loop = f / "loop-a.db"
        self.fifo = f / "fifo"
        os.mkfifo(self.fifo)
        self.folder = f / "folder"
        self.folder.mkdir()
        self.long_name = f / ("n" * 300 + ".db")
        self.name255 = f / ("w" * (NAME_MAX - 3) + ".db")      # fits; its -wal does not
        deep = f
        while len(str(deep)) < PATH_MAX + 200:
            deep = deep / ("d" * 200)
        self.long_path = deep / "x.db"
        self.empty = f / "empty.toml"
        self.empty.write_text("")
        self.junk = f / "junk.bin"
        self.junk.write_bytes(bytes(range(256)) * 4)
        self.foreign = f / "foreign.db"
        with sqlite3.connect(self.foreign) as c:
            c.execute("CREATE TABLE t (x)")
        c.close()
        economy = (self.content / "economy.toml").read_text(encoding="utf-8")
        personas = (self.content / "personas.toml").read_text(encoding="utf-8")
        self.bom_economy = f / "bom-economy.toml"
        self.bom_economy.write_bytes(b"\xef\xbb\xbf" + economy.encode())
        self.bom_personas = f / "bom-personas.toml"
        self.bom_personas.write_bytes(b"\xef\xbb\xbf" + personas.encode())
        self.nested_personas = f / "nested-personas.toml"
        self.nested_personas.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
        self.long_paywall = f / "paywall-personas.toml"
        steps = "at_paywall = [" + '"ad", ' * 7000 + '"leave"]'
        self.long_paywall.write_text(re.sub(r"at_paywall = \[[^\]]*\]", steps, personas, count=1))
        self.sims = self._sims(f)
        self.bad_economy = f / "bad-economy.toml"
        self.bad_economy.write_text(economy.replace("[", "[[", 1))

    def restore(self) -> None:
        """Make the two saves again (a run wrote over one)."""
        for p in (self.save, self.bob):
            for side in ("", "-wal", "-shm", "-journal"):
                Path(f"{p}{side}").unlink(missing_ok=True)
            make_save(p, self.content)
        self.hardlink.unlink()
        os.link(self.save, self.hardlink)

    def _sims(self, f: Path) -> list[Path]:
        good = {"meta": {"players": 1}, "personas": {"p": {"players": 1, "balance_by_day": {"median": [1, 2]}}}}
        texts = {
            "inf": json.dumps(good).replace("[1, 2]", "[Infinity, 2]"),
            "nan": json.dumps(good).replace("[1, 2]", "[NaN, 2]"),
            "huge": json.dumps(good).replace('"players": 1,', '"players": 1' + "0" * 400 + ","),
            "deep": '{"personas": ' + "[" * 200_000 + "]" * 200_000 + "}",
            "neg": json.dumps(good).replace("[1, 2]", "[-1e308, 1e308]"),
            "good": json.dumps(good),
            "markup": json.dumps({**good, "personas": {"<script>x</script>[/]": good["personas"]["p"]}}),
        }
        out = []
        for name, text in texts.items():
            p = f / f"sim-{name}.json"
            p.write_text(text)
            out.append(p)
        return out

    def env(self) -> dict[str, str]:
        return {"COINLOOP_HOME": str(self.home), "COINLOOP_CACHE": str(self.cache), "NO_COLOR": "1",
                "COLUMNS": "100"}

    # --- the value pools ---------------------------------------------------------------------------

    def inputs(self) -> list[str]:
        """Files given to --economy, --personas, --compare, --sim and positional save paths."""
        return [str(p) for p in (self.long_path, self.long_name, self.name255, self.loop, self.fifo, self.folder,
                                 self.empty, self.junk, self.foreign, self.bom_economy, self.bom_personas,
                                 self.nested_personas, self.long_paywall, self.bad_economy, self.save,
                                 self.files / "missing.toml", self.content / "economy.toml", *self.sims)] \
            + ["/dev/zero", "/dev/null", "", "-", "a\x00b"]

    def saves(self) -> list[str]:
        return ["alice", "bob", "nobody", "x" * 65, "w" * (NAME_MAX - 3), "a/../../etc", "\x1b[31m", "[/]",
                str(self.save), str(self.hardlink), str(self.loop), str(self.long_path), str(self.long_name),
                str(self.name255), str(self.fifo), str(self.folder), str(self.foreign), str(self.junk), "/dev/zero",
                str(self.files / "new.db")]

    def outputs(self) -> list[str]:
        saves = self.home / "saves"
        return [str(p) for p in (self.save, self.bob, self.hardlink, Path(f"{self.save}-wal"),
                                 Path(f"{self.save}-shm"), saves / "carol.db", saves / "x.db-journal", self.foreign,
                                 self.loop, self.folder, self.long_path, self.long_name, self.fifo,
                                 self.files / "nofolder" / "x", self.work / "out.txt")] + ["-", "/dev/null", ""]

    def contents(self) -> list[str]:
        return [str(p) for p in (self.content, self.folder, self.long_path.parent, self.loop, self.fifo,
                                 self.files / "missing")]
