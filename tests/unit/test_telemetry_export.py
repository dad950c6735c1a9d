"""`coinloop telemetry export`: one row per event, the resource shape, read-only over saves."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone

from click.testing import CliRunner

from coinloop.analytics import export
from coinloop.analytics.saves import Playtest
from coinloop.cli import cli
from coinloop.clock import FixedClock
from coinloop.save import Wallet
from tests.analytics_fixture import build_fixture_save


def _jsonl(save):
    result = CliRunner().invoke(cli, ["telemetry", "export", "--save", str(save), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_resource_events_in_the_industry_shape(tmp_path):
    rows = _jsonl(build_fixture_save(tmp_path / "fx.db"))
    resource = [r for r in rows if r["event"] == "resource"]
    assert len(resource) == 15            # 14 ledger rows; the mixed batch unlock is two events
    batch = [r for r in resource if r["name"].startswith("unlock-batch:")]
    assert [(r["flow"], r["currency"], r["amount"]) for r in batch] == [("sink", "paid", 20), ("sink", "bonus", 50)]
    assert {r["item_type"] for r in batch} == {"unlock"} and batch[0]["item_id"] == "contract-bride/5-6"
    shop = [(r["currency"], r["amount"]) for r in resource if r["category"] == "shop"]
    assert shop == [("paid", 100), ("bonus", 20)]  # a pack crediting paid and bonus coins: two events
    game = [r for r in resource if r["item_type"] == "game"]
    assert [(r["flow"], r["item_id"], r["amount"]) for r in game] == [("source", "reflex", 35), ("source", "catch", 40)]
    assert sum(r["amount"] if r["flow"] == "source" else -r["amount"] for r in resource) == 111


def test_other_event_families_and_time_order(tmp_path):
    rows = _jsonl(build_fixture_save(tmp_path / "fx.db"))
    families = {r["name"]: r["event"] for r in rows if r["event"] != "resource"}
    assert families["episode_open"] == families["beat_reached"] == families["game_end"] == "progression"
    assert families["paywall_shown"] == families["paywall_path"] == families["paywall_left"] == "paywall"
    assert families["session_start"] == families["session_end"] == "session"
    assert families["ad_watched"] == "ad" and families["purchase"] == "business" and families["checkin"] == "design"
    end = next(r for r in rows if r["name"] == "game_end" and r["game"] == "catch")
    assert (end["score"], end["reward"]) == (50, 40)
    assert [r["ts"] for r in rows] == sorted(r["ts"] for r in rows)
    assert len(rows) == 15 + 21           # 12 events on day 1, 9 on day 2


def test_csv_has_the_documented_columns(tmp_path):
    save = build_fixture_save(tmp_path / "fx.db")
    out = tmp_path / "t.csv"
    result = CliRunner().invoke(cli, ["telemetry", "export", str(save), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert tuple(rows[0]) == export.FIELDS
    assert rows[0]["event"] in ("resource", "session") and len(rows) == 36


def test_export_streams_rows(tmp_path):
    """The export is a generator: the first row arrives before the rest are read."""
    with Playtest.open([build_fixture_save(tmp_path / "fx.db")]) as pt:
        it = export.rows(pt)
        first = next(it)
        assert first["ts"] == "2026-03-02T20:00:00+00:00"


def test_export_over_a_live_save_creates_nothing_and_never_creates_saves(tmp_path):
    save = build_fixture_save(tmp_path / "fx.db")
    # the game is running on it: -wal and -shm exist
    live = Wallet.open(save, clock=FixedClock(datetime(2026, 3, 4, tzinfo=timezone.utc)))
    live.log_event("session_start")
    listing = sorted(p.name for p in tmp_path.iterdir())
    assert _jsonl(save)[-1]["name"] == "session_start"   # reads the live WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
    live.close()
    missing = CliRunner().invoke(cli, ["telemetry", "export", str(tmp_path / "nope.db")])
    assert missing.exit_code == 1 and "no such save" in missing.output
    assert not (tmp_path / "nope.db").exists()


def test_export_refuses_to_write_over_a_save(tmp_path):
    save = build_fixture_save(tmp_path / "fx.db")
    data = save.read_bytes()
    result = CliRunner().invoke(cli, ["telemetry", "export", str(save), "-o", str(save)])
    assert result.exit_code == 1 and "being read" in result.output
    assert save.read_bytes() == data


def test_dashboard_command_refuses_missing_and_foreign_saves_before_starting(tmp_path):
    (tmp_path / "notes.db").write_text("not sqlite")
    for path, message in ((tmp_path / "ghost.db", "no such save"), (tmp_path / "notes.db", "not a coinloop save")):
        result = CliRunner().invoke(cli, ["dashboard", str(path)])
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "ghost.db").exists()
