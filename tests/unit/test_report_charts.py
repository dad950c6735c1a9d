"""The report's charts (issue 24 item 6): real SVG charts, not terminal screenshots; integer ticks for
counts; legends with swatches beside the plot; the funnel read top-down; nothing fetched."""

from __future__ import annotations

import re

import pytest

from coinloop.analytics import charts, report
from coinloop.analytics.saves import Playtest
from coinloop.analytics.simfile import load_sim
from tests.analytics_fixture import build_fixture_save
from tests.conftest import CONTENT

SIM = CONTENT.parent / "tests" / "report" / "sim_fixture.json"


@pytest.fixture(scope="module")
def svgs(tmp_path_factory):
    path = build_fixture_save(tmp_path_factory.mktemp("c") / "alice.db")
    with Playtest.open([path]) as pt:
        return dict(charts.render_svgs(report.collect(pt, None, load_sim(SIM))))


def texts(svg: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if t.strip()]


def test_every_chart_is_a_plain_svg_with_its_words_as_text(svgs):
    assert list(svgs) == [title for title, _ in charts.CHARTS]
    for svg in svgs.values():
        assert svg.lstrip().startswith("<svg") and "<script" not in svg and "http://" not in svg.split(">", 1)[1]
        assert "@font-face" not in svg and "url(" not in svg.replace("url(#", "")   # no font or image to fetch
    assert "Faucets: coins in" in texts(svgs["Faucets vs sinks by category"])
    assert {"you: alice", "sim whale (median)"} <= set(texts(svgs["Balance over time"]))


def test_counts_get_integer_ticks(svgs):
    """Defect: integer counts got fractional ticks (0.17, 88.5)."""
    for title in ("Faucets vs sinks by category", "Paywall funnel and earn-path mix"):
        numbers = [t for t in texts(svgs[title]) if re.fullmatch(r"[−-]?[\d.,]+", t)]
        assert numbers and all("." not in n for n in numbers), (title, numbers)


def test_legends_have_a_swatch_for_each_entry(svgs):
    """Defect: the "paid" legend entry had no swatch."""
    svg = svgs["Faucets vs sinks by category"]
    for name in ("paid", "bonus"):
        assert texts(svg).count(name) == 2            # one legend per panel
    legends = re.findall(r'<g id="legend_\d+">(.*?)</g>\s*</g>', svg, flags=re.S)
    assert len(legends) == 2 and all(leg.count("<path") >= 2 for leg in legends)   # a swatch per entry


def test_the_funnel_reads_top_down(svgs):
    svg = svgs["Paywall funnel and earn-path mix"]

    def y(label: str) -> float:
        return float(re.search(rf'<text[^>]* y="([\d.]+)"[^>]*>{label}</text>', svg).group(1))

    assert y("shown") < y("chose a way forward") < y("passed")      # first stage on top


def test_the_retention_chart_names_each_persona_and_reads_in_percent(svgs):
    """Issue 21: the report shows each simulated persona's retention curve, share active in %."""
    words = texts(svgs["Retention (simulated)"])
    assert {"sim casual", "sim whale"} <= set(words)
    assert {"0%", "100%"} <= set(words) and all(not re.fullmatch(r"0?\.\d+", w) for w in words)
