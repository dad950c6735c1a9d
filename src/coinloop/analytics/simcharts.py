"""Charts of economy explorations as SVG (the report's matplotlib style, `analytics/charts.py`): a
heatmap of one metric over a two-key sweep, and a tornado of one-at-a-time sensitivities. Plain data
in (labels and numbers), so the simulator's modules never meet matplotlib."""

from __future__ import annotations

import math
from collections.abc import Sequence

from coinloop.analytics.charts import PAID, BONUS, _pyplot, _svg


def heatmap_svg(ys: Sequence[str], xs: Sequence[str], values: Sequence[Sequence[float | None]], *,
                y_label: str, x_label: str, title: str, cell_text: Sequence[Sequence[str]]) -> str:
    """`values[i][j]` at row ys[i] (the first swept key), column xs[j]; each cell carries its text."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(4.5, 1.1 * len(xs) + 2.5), max(2.6, 0.6 * len(ys) + 1.6)))
    grid = [[math.nan if v is None else v for v in row] for row in values]
    image = ax.imshow(grid, cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(xs)), list(xs))
    ax.set_yticks(range(len(ys)), list(ys))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(title, loc="left")
    ax.spines[:].set_visible(False)
    finite = [v for row in grid for v in row if not math.isnan(v)]
    mid = (min(finite) + max(finite)) / 2 if finite else 0.0
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            ax.text(j, i, cell_text[i][j], ha="center", va="center", fontsize=9,
                    color="white" if not math.isnan(v) and v < mid else "black")
    fig.colorbar(image, ax=ax, shrink=0.8)
    return _svg(fig)


def tornado_svg(keys: Sequence[str], sides: Sequence[str], changes: Sequence[Sequence[tuple[float, float, float] | None]],
                *, title: str) -> str:
    """One row per key (first on top); per side (e.g. x0.8, x1.2) a bar of the relative change in percent
    with its 95% interval as a whisker."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8.5, max(2.4, 0.38 * len(keys) + 1.2)))
    colours = (BONUS, PAID)
    height = 0.38
    for s, side in enumerate(sides):
        ys: list[float] = []
        mids: list[float] = []
        errs: list[list[float]] = [[], []]
        for i, row in enumerate(changes):
            cell = row[s] if s < len(row) else None
            if cell is None:
                continue
            mean, low, high = (100 * x for x in cell)
            ys.append(i + (s - (len(sides) - 1) / 2) * height)
            mids.append(mean)
            errs[0].append(max(0.0, mean - low))
            errs[1].append(max(0.0, high - mean))
        ax.barh(ys, mids, height=height, color=colours[s % 2], label=side, xerr=errs,
                error_kw={"ecolor": "#444", "capsize": 2, "elinewidth": 0.8})
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_yticks(range(len(keys)), list(keys))
    ax.invert_yaxis()
    ax.set_xlabel("change in the metric, % (95% interval)")
    ax.set_title(title, loc="left")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if len(keys) > 4 else -0.3), ncol=len(sides))
    return _svg(fig)
