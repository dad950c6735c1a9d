"""The economy at a glance (issue 27): the overview screen, and a live edit of economy.toml changing it."""

from __future__ import annotations

from coinloop.tui.screens.economy import EconomyScreen
from coinloop.tui.screens.hub import HubScreen
from tests.conftest import QUICK_SAMPLE, make_app, sync
from tests.tui.test_live_reload import _app, _edit, _until, _watching


def text(screen, selector: str) -> str:
    from textual.widgets import Static

    widget = screen.query_one(selector, Static)
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


@sync
async def test_e_on_the_hub_opens_the_overview_of_the_economy_in_force():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HubScreen)
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EconomyScreen)
        ov = app.session.economy_overview()
        series = text(screen, "#economy-series")
        for s in ov.series:
            assert s.title[:20] in series and str(s.one_by_one) in series
        assert "check-in" in text(screen, "#economy-paths")
        assert "economy.toml" in text(screen, "#economy-source")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HubScreen)


@sync
async def test_editing_economy_toml_changes_the_overview_and_says_what_changed(tmp_path):
    app, content = _app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await _watching(app, pilot)
        await app.push_screen(EconomyScreen())
        await pilot.pause()
        screen = app.screen
        before = {s.id: s.one_by_one for s in screen.overview.series}
        _edit(content / "economy.toml", "price_base = 40", "price_base = 45")
        await _until(pilot, lambda: {s.id: s.one_by_one for s in screen.overview.series} != before)
        after = {s.id: s.one_by_one for s in screen.overview.series}
        sid = next(iter(after))
        assert after[sid] > before[sid]
        await pilot.pause()
        changed = text(screen, "#economy-changes")
        assert f"{sid} one by one: {before[sid]} -> {after[sid]}" in changed.replace("\n", " ")


@sync
async def test_each_save_reruns_the_quick_simulation_against_the_previous_economy_and_o_silences_it(tmp_path):
    """Issue 27 §2: a valid save starts a quick seeded re-simulation paired with the economy before it; the
    panel shows the headline metrics per persona and the overall change with intervals; `o` turns it off."""
    from coinloop.tui.widgets.quick_sim import QuickSim

    app, content = _app(tmp_path)
    app.workbench.quick_sample = QUICK_SAMPLE
    async with app.run_test(size=(120, 36)) as pilot:
        await _watching(app, pilot)
        await app.push_screen(EconomyScreen())
        await pilot.pause()
        quick = app.screen.query_one(QuickSim)
        await _until(pilot, lambda: quick.result is not None, timeout=60)
        await pilot.pause()
        first = quick.result
        assert first.before is None and set(first.personas) >= {"overall"}
        assert "the economy in force" in text(app.screen, "#economy-quick")
        # the designer's targets (content/targets.toml) judged on this run: one verdict each
        from coinloop.sim.targets import load_targets

        assert len(quick.verdicts) == len(load_targets(content / "targets.toml").targets)
        assert "Targets:" in text(app.screen, "#economy-quick") and "pass" in text(app.screen, "#economy-quick")
        _edit(content / "economy.toml", "price_base = 40", "price_base = 55")
        await _until(pilot, lambda: quick.result is not first, timeout=60)
        await pilot.pause()
        second = quick.result
        assert second.before is not None and quick.runs == 2
        shown = text(app.screen, "#economy-quick")
        assert "since the previous economy (95%)" in shown
        # the same players under a dearer economy: the same seeds, so the change is paired
        overall = {h.label: h for h in second.personas["overall"]}
        assert overall["$/plr"].delta is not None
        await pilot.press("o")
        await pilot.pause()
        assert app.workbench.quick_sim is False and "off: press o" in text(app.screen, "#economy-quick")
        _edit(content / "economy.toml", "price_base = 55", "price_base = 45")
        await _until(pilot, lambda: app.workbench.reloads >= 2, timeout=60)
        await pilot.pause()
        assert quick.runs == 2          # silenced: the save did not start a run
        await pilot.press("o")          # back on: the economy in force is simulated again
        await _until(pilot, lambda: quick.runs == 3 and quick.result is not second and quick.status == "done", timeout=60)


def test_quick_run_is_cancelled_between_chunks(tmp_path, monkeypatch):
    """The next edit stops a run still going: `cancelled` is polled after every chunk of players."""
    from pathlib import Path

    import pytest

    from coinloop.economy.load import load_economy
    from coinloop.sim.quick import Cancelled, Sample, quick_run

    monkeypatch.setenv("COINLOOP_CACHE", str(tmp_path / "cache"))
    economy = load_economy(Path("content/economy.toml"))
    seen: list[int] = []
    with pytest.raises(Cancelled):
        quick_run(Path("content"), economy, economy, sample=Sample(players=100, days=3, bot_plays=10),
                  cancelled=lambda: len(seen) >= 2, progress=seen.append)
    assert sum(seen) == 50          # two chunks of 25 players, then it stopped


@sync
async def test_a_broken_targets_file_is_named_with_its_line_in_the_quick_panel(tmp_path):
    from coinloop.tui.widgets.quick_sim import QuickSim

    app, content = _app(tmp_path)
    app.workbench.quick_sample = QUICK_SAMPLE
    (content / "targets.toml").write_text('[[targets]]\nmetric = "no_such_metric"\nat_least = 1\n')
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(EconomyScreen())
        quick = app.screen.query_one(QuickSim)
        await _until(pilot, lambda: quick.result is not None, timeout=60)
        await pilot.pause()
        assert quick.verdicts == [] and "targets.toml:2" in quick.targets_error
        assert "targets.toml:2" in text(app.screen, "#economy-quick")


@sync
async def test_at_80_columns_each_target_not_passed_is_one_line_with_its_numbers_first():
    """A target's description never wraps its interval onto a line of its own: the verdict and the
    numbers come first, the description is cut with an ellipsis."""
    from coinloop.tui.widgets.quick_sim import QuickSim

    app = make_app()
    app.workbench.quick_sample = QUICK_SAMPLE
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(EconomyScreen())
        await pilot.pause()
        quick = app.screen.query_one(QuickSim)
        for _ in range(600):
            if quick.result is not None and quick.verdicts:
                break
            await pilot.pause(0.1)
        await pilot.pause()
        shown = [v for v in quick.verdicts if v.status != "pass"]
        assert shown, "the tiny sample leaves some target unsure or failed"
        lines = text(app.screen, "#economy-quick").splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Targets:"))
        after = [line for line in lines[start + 1:] if line.strip()]
        assert len(after) == len(shown)                     # one line each, nothing wrapped below
        for line, v in zip(after, shown):
            assert line.startswith(f"  {v.status} ")
            if v.value is not None and v.low is not None:
                assert f"{v.value:.3g} [{v.low:.3g}, {v.high:.3g}]" in line
