"""The playtest report in a real browser: headless Chromium opens the HTML offline, the dashboard's
charts and the tables are there (the DOM is real text here), nothing is fetched, and a screenshot is
kept for a person to look at."""

from __future__ import annotations

from click.testing import CliRunner

from coinloop.cli import cli
from tests.analytics_fixture import build_fixture_save
from tests.conftest import CONTENT

SIM = CONTENT.parent / "tests" / "report" / "sim_fixture.json"


def test_report_opens_offline_with_its_charts(report_browser, tmp_path):
    saves = [build_fixture_save(tmp_path / "alice.db"), build_fixture_save(tmp_path / "bob.db")]
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", *map(str, saves), "--sim", str(SIM), "-o", str(out)])
    assert result.exit_code == 0, result.output

    page = report_browser.new_page(viewport={"width": 1300, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    charts = page.eval_on_selector_all("figure.chart", "els => els.map(e => e.dataset.chart)")
    assert charts == ["Faucets vs sinks by category", "Balance over time", "Paywall funnel and earn-path mix",
                      "Reading vs playing, game rewards vs caps", "Which coins paid for what (earned in -> spent on)"]
    svg_text = page.eval_on_selector_all("figure.chart svg", "els => els.map(e => e.textContent.replaceAll(\"\\u00a0\", \" \"))")
    assert "Faucets: coins in" in svg_text[0] and "Sinks: coins out" in svg_text[0]
    assert "sim whale (median)" in svg_text[1] and "you: alice" in svg_text[1]
    assert "Which coins paid for what" in svg_text[4] and "unlock" in svg_text[4]   # the flow chart (issue 20)
    sizes = page.eval_on_selector_all("figure.chart svg", "els => els.map(e => e.getBoundingClientRect().height)")
    assert all(h > 300 for h in sizes)               # drawn, not collapsed
    body = page.inner_text("body")
    assert "batch unlocks" in body and "You vs the simulated players" in body and "episodes.price_base" in body
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    print(f"report screenshot: {tmp_path / 'report.png'}")
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert [u for u in requests if not u.startswith("file://")] == []   # self-contained: nothing fetched
    page.close()
