"""Dot charts: shares with their 95% intervals (by group, or one outlet against the rest) and shares by part of the article."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import OKABE_ITO, SERIES_COLOURS, group_label, pooled, wrap


def share_intervals(table: pd.DataFrame, labels: dict[str, str], *, by: str = "outlet", which: str = "paragraph",
                    order: list | None = None, per_row: int = 5) -> plt.Figure:
    """Return small multiples, one panel per frame: each group's share as a dot with its 95% interval as a whisker.

    `table` is `stats.shares_with_intervals(...)`; `which` is "paragraph" or "article".
    The dashed line in each panel is the share over all groups. Groups keep `order`
    (default: largest first), a pooled "other" group in grey.
    """
    share, low, high = f"{which}_share", f"{which}_low", f"{which}_high"
    count, total = ("paragraphs_with_frame", "paragraphs") if which == "paragraph" else ("articles_with_frame", "articles")
    frames_ = [f for f in labels if f in set(table["frame"])]
    order = order or list(table.groupby(by)[total].first().sort_values(ascending=False, kind="stable").index)
    sizes = table.groupby(by)[total].first()
    columns = min(per_row, len(frames_))
    rows = -(-len(frames_) // columns)
    height = max(1.6, 0.24 * len(order) + 0.9)
    figure, axes = plt.subplots(rows, columns, figsize=(2.1 * columns + 1.8, height * rows + 0.6), sharey=True, squeeze=False)
    y = np.arange(len(order))[::-1]
    for axis, frame in zip(axes.flat, frames_):
        part = table[table["frame"] == frame].set_index(by).reindex(order)
        colours = [OKABE_ITO[2] if pooled(g) else OKABE_ITO[0] for g in order]
        errors = np.vstack([(part[share] - part[low]).clip(lower=0), (part[high] - part[share]).clip(lower=0)]).astype(float)
        axis.errorbar(part[share], y, xerr=np.nan_to_num(errors), fmt="none", ecolor="#555555", elinewidth=1, capsize=2)
        axis.scatter(part[share], y, c=colours, s=18, zorder=3)
        overall = part[count].sum() / part[total].sum() if part[total].sum() else np.nan
        axis.axvline(overall, color=OKABE_ITO[1], linestyle="--", linewidth=1)
        axis.set_title(wrap(labels[frame], 22), fontsize=8)
        axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        axis.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
        axis.tick_params(labelsize=7)
        axis.set_xlim(left=0)
        axis.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    for axis in axes.flat[len(frames_):]:
        axis.set_visible(False)
    for axis in axes[:, 0]:
        axis.set_yticks(y, [group_label(g, int(sizes[g])) for g in order], fontsize=7)
    figure.suptitle(f"Share of {which}s carrying each frame, with 95% bootstrap intervals (resampling articles); "
                    "dashed: all outlets", fontsize=9)
    figure.tight_layout()
    return figure


def outlet_vs_rest_dots(table: pd.DataFrame, labels: dict[str, str], *, outlet: str, by: str = "outlet") -> plt.Figure:
    """Return, per frame, the outlet's paragraph share and the rest of the corpus's, each with its 95% interval.

    `table` is `stats.shares_with_intervals(...)` over two groups: `outlet` and any other name (the rest).
    """
    frames_ = [f for f in labels if f in set(table["frame"])]
    groups = [outlet] + [g for g in dict.fromkeys(table[by]) if g != outlet]
    figure, axis = plt.subplots(figsize=(8, 0.42 * len(frames_) + 1.6))
    y = np.arange(len(frames_))[::-1]
    for number, (group, offset) in enumerate(zip(groups, (0.14, -0.14))):
        part = table[table[by] == group].set_index("frame").reindex(frames_)
        errors = np.vstack([(part["paragraph_share"] - part["paragraph_low"]).clip(lower=0),
                            (part["paragraph_high"] - part["paragraph_share"]).clip(lower=0)]).astype(float)
        n = int(part["paragraphs"].iloc[0]) if len(part) else 0
        articles = int(part["articles"].iloc[0]) if len(part) else 0
        extra = ": one article, no interval" if articles == 1 else ""
        axis.errorbar(part["paragraph_share"], y + offset, xerr=np.nan_to_num(errors), fmt="os"[number], color=OKABE_ITO[number],
                      markersize=5, capsize=2, elinewidth=1, label=f"{group} ({articles} articles, {n} paragraphs{extra})")
    axis.set_yticks(y, [wrap(labels[f], 40) for f in frames_], fontsize=8)
    axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    axis.set_xlim(left=0)
    axis.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    axis.legend(ncol=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    axis.set_title("Share of paragraphs carrying each frame, with 95% bootstrap intervals", fontsize=9, pad=24)
    figure.tight_layout()
    return figure


def position_dots(table: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Return, per frame, the share of paragraphs carrying it in each part of the article (one marker per part).

    `table` is `aggregate.position_shares(...)`; parts without paragraphs are not drawn.
    """
    frames_ = [f for f in labels if f in set(table["frame"])]
    parts = list(dict.fromkeys(table["part"]))
    totals = table.groupby("part")["paragraphs"].first()
    figure, axis = plt.subplots(figsize=(8, 0.42 * len(frames_) + 1.6))
    y = np.arange(len(frames_))[::-1]
    offsets = np.linspace(-0.24, 0.24, len(parts)) if len(parts) > 1 else [0.0]
    for number, (part, offset) in enumerate(zip(parts, offsets)):
        values = table[table["part"] == part].set_index("frame").reindex(frames_)["share"]
        axis.scatter(values, y + offset, color=SERIES_COLOURS[number % len(SERIES_COLOURS)], marker="osD^"[number % 4], s=26,
                     label=f"{part} (n={int(totals[part])})", zorder=3)
    for row in y:
        axis.axhline(row - 0.5, color="#EEEEEE", linewidth=0.6)
    axis.set_yticks(y, [wrap(labels[f], 40) for f in frames_], fontsize=8)
    axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    axis.set_xlim(left=0)
    axis.set_ylim(-0.6, len(frames_) - 0.4)
    axis.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    axis.legend(ncol=min(4, len(parts)), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=7)
    axis.set_title("Share of paragraphs carrying the frame, by part of the article", fontsize=9, pad=24)
    figure.tight_layout()
    return figure
