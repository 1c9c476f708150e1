"""Heatmaps: frames by outlet, adjusted residuals, frames found together; and the similarity order of their rows."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import colourbar, pooled, wrap


def similarity_order(matrix: pd.DataFrame, *, last: tuple = ()) -> list:
    """Return the row labels of `matrix` ordered so similar rows sit together (average-linkage clustering).

    Rows named in `last` (a pooled "other" group) are kept apart at the end.
    """
    tail = [r for r in matrix.index if r in last]
    matrix = matrix.drop(index=tail)
    if len(matrix) < 3:
        return list(matrix.index) + tail
    from scipy.cluster.hierarchy import leaves_list, linkage  # imported on first use (a second to load)

    return list(matrix.index[leaves_list(linkage(matrix.fillna(0).to_numpy(), method="average", metric="euclidean"))]) + tail


def heatmap_order(shares: pd.DataFrame, *, by: str = "outlet") -> list:
    """Return the groups of a frame_shares table in the heatmap's order: similar profiles together, pooled last."""
    share = shares.pivot(index=by, columns="frame", values="share")
    return similarity_order(share, last=tuple(r for r in share.index if pooled(r)))


def frame_heatmap(shares: pd.DataFrame, labels: dict[str, str], *, by: str = "outlet") -> plt.Figure:
    """Return a heatmap of paragraph shares (group x frame), each cell annotated with share and count."""
    share = shares.pivot(index=by, columns="frame", values="share")
    count = shares.pivot(index=by, columns="frame", values="paragraphs_with_frame")
    totals = shares.groupby(by)["paragraphs"].first()
    order = heatmap_order(shares, by=by)
    columns = [c for c in labels if c in share.columns]
    share, count = share.loc[order, columns], count.loc[order, columns]
    height = max(3.6, 0.45 * len(order) + 2.0)
    figure, axis = plt.subplots(figsize=(max(7.0, 0.95 * len(columns) + 3), height))
    image = axis.imshow(share.to_numpy(dtype=float) * 100, cmap="cividis", aspect="auto", vmin=0)
    axis.set_xticks(range(len(columns)), [labels[c] for c in columns], rotation=35, ha="right", fontsize=8)
    axis.set_yticks(range(len(order)), [f"{o} (n={totals[o]})" for o in order], fontsize=8)
    if len(order) <= 40:
        top = np.nanmax(share.to_numpy(dtype=float)) if share.size else 0
        for i in range(len(order)):
            for j in range(len(columns)):
                value = share.iat[i, j]
                axis.text(j, i, f"{value:.0%}\n{int(count.iat[i, j])}", ha="center", va="center", fontsize=6.5,
                          color="black" if value > 0.6 * top else "white")
    colourbar(figure, image, axis, "% of paragraphs")
    axis.set_title("Frames by outlet: share of paragraphs (count below)", fontsize=10)
    figure.tight_layout()
    return figure


def residual_heatmap(residuals: pd.DataFrame, labels: dict[str, str], *, order: list | None = None,
                     by: str = "outlet") -> plt.Figure:
    """Return the adjusted residuals (group x frame) on a diverging purple-orange scale, each cell annotated.

    `residuals` is `stats.residual_table(...)`. Orange: the outlet uses the frame more
    than expected, purple: less; cells beyond +-2 are in bold.
    """
    matrix = residuals.pivot(index=by, columns="frame", values="residual")
    columns = [c for c in labels if c in matrix.columns]
    matrix = matrix.loc[order or list(matrix.index), columns]
    values = matrix.to_numpy(dtype=float)
    limit = max(3.0, float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 3.0)
    figure, axis = plt.subplots(figsize=(max(7.0, 0.95 * len(columns) + 3), max(3.6, 0.45 * len(matrix) + 2.0)))
    image = axis.imshow(values, cmap="PuOr_r", vmin=-limit, vmax=limit, aspect="auto")
    if len(matrix) <= 40:
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                if np.isfinite(values[i, j]):
                    axis.text(j, i, f"{values[i, j]:+.1f}", ha="center", va="center", fontsize=7,
                              fontweight="bold" if abs(values[i, j]) >= 2 else "normal",
                              color="white" if abs(values[i, j]) > 0.65 * limit else "black")
    axis.set_xticks(range(len(columns)), [labels[c] for c in columns], rotation=35, ha="right", fontsize=8)
    axis.set_yticks(range(len(matrix)), [str(o) for o in matrix.index], fontsize=8)
    colourbar(figure, image, axis, "adjusted residual")
    axis.set_title("Which outlet uses which frame more (orange) or less (purple) than expected\n"
                   "(adjusted residuals; beyond ±2, in bold: clearly more or less)", fontsize=10)
    figure.tight_layout()
    return figure


def cooccurrence_heatmap(table: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Return the frame x frame co-occurrence matrix (lower triangle): colour = Jaccard, text = paragraphs with both.

    `table` is `aggregate.frame_cooccurrence(...)`. The diagonal (in grey) gives each frame's paragraphs.
    """
    ids = [f for f in labels if f in set(table["frame"])]
    both = table.pivot(index="frame", columns="other_frame", values="paragraphs_both").loc[ids, ids].to_numpy()
    jaccard = table.pivot(index="frame", columns="other_frame", values="jaccard").loc[ids, ids].to_numpy(dtype=float)
    below = np.tril(np.ones_like(jaccard, dtype=bool), k=-1)
    shown = np.where(below, jaccard, np.nan)
    size = 0.62 * len(ids) + 2.8
    figure, axis = plt.subplots(figsize=(size + 1.2, size))
    top = np.nanmax(shown) if below.any() and np.isfinite(shown).any() else 1.0
    image = axis.imshow(np.nan_to_num(shown * 100, nan=np.nan), cmap="cividis", vmin=0, vmax=max(top * 100, 1))
    for i in range(len(ids)):
        for j in range(i + 1):
            if i == j:
                axis.add_patch(matplotlib.patches.Rectangle((j - 0.5, i - 0.5), 1, 1, color="#EEEEEE"))
                axis.text(j, i, f"{both[i, j]}", ha="center", va="center", fontsize=7, fontweight="bold")
            else:
                axis.text(j, i, f"{both[i, j]}", ha="center", va="center", fontsize=7,
                          color="black" if shown[i, j] > 0.6 * top else "white")
    names = [wrap(labels[f], 24) for f in ids]
    axis.set_xticks(range(len(ids)), names, rotation=40, ha="right", fontsize=7)
    axis.set_yticks(range(len(ids)), names, fontsize=7)
    axis.spines[["top", "right"]].set_visible(False)
    colourbar(figure, image, axis, "Jaccard (%): paragraphs with both / with either")
    axis.set_title("Frames found in the same paragraph (number of paragraphs; diagonal: paragraphs with the frame)", fontsize=9)
    figure.tight_layout()
    return figure
