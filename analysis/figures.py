"""Charts for the reports (matplotlib). Each returns a Figure; `save` writes PNG, SVG and the table.

Palettes are colour-blind safe: cividis for sequential values and the Okabe-Ito
colours for categories.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.cluster.hierarchy import leaves_list, linkage  # noqa: E402

from .atomic import replacing, write_csv  # noqa: E402

OKABE_ITO = ["#0072B2", "#D55E00", "#999999", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
STANCE_COLOURS = {"favor": "#0072B2", "support": "#0072B2", "against": "#D55E00", "oppose": "#D55E00", "neutral": "#BBBBBB"}


def save(figure: plt.Figure, table: pd.DataFrame, folder: Path, name: str) -> dict[str, Path]:
    """Write `figure` as PNG and SVG and `table` as CSV under `folder`; return the three paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for suffix in ("png", "svg"):
        path = folder / f"{name}.{suffix}"
        with replacing(path) as tmp:
            figure.savefig(tmp, format=suffix, dpi=150, bbox_inches="tight", metadata={"Date": None} if suffix == "svg" else None)
        out[suffix] = path
    out["csv"] = write_csv(table, folder / f"{name}.csv")
    return out


def similarity_order(matrix: pd.DataFrame) -> list:
    """Return the row labels of `matrix` ordered so similar rows sit together (average-linkage clustering)."""
    if len(matrix) < 3:
        return list(matrix.index)
    return list(matrix.index[leaves_list(linkage(matrix.fillna(0).to_numpy(), method="average", metric="euclidean"))])


def frame_heatmap(shares: pd.DataFrame, labels: dict[str, str], *, by: str = "outlet") -> plt.Figure:
    """Return a heatmap of paragraph shares (group x frame), each cell annotated with share and count."""
    share = shares.pivot(index=by, columns="frame", values="share")
    count = shares.pivot(index=by, columns="frame", values="paragraphs_with_frame")
    totals = shares.groupby(by)["paragraphs"].first()
    order = similarity_order(share)
    columns = [c for c in labels if c in share.columns]
    share, count = share.loc[order, columns], count.loc[order, columns]
    height = max(2.5, 0.45 * len(order) + 1.8)
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
    figure.colorbar(image, ax=axis, label="% of the outlet's paragraphs", shrink=0.8)
    axis.set_title("Frames by outlet: share of paragraphs (count below)", fontsize=10)
    figure.tight_layout()
    return figure


def stance_bars(shares: pd.DataFrame, labels: list[str], *, by: str = "outlet", title: str = "") -> plt.Figure:
    """Return horizontal stacked bars of stance label shares per group, with paragraph counts."""
    table = shares.pivot(index=by, columns="label", values="share").reindex(columns=labels).fillna(0)
    totals = shares.groupby(by)["paragraphs"].first()
    table = table.sort_values(labels[0])
    figure, axis = plt.subplots(figsize=(8, max(2.2, 0.4 * len(table) + 1.4)))
    left = np.zeros(len(table))
    for label in labels:
        values = table[label].to_numpy()
        axis.barh(range(len(table)), values, left=left, color=STANCE_COLOURS.get(label, OKABE_ITO[len(left) % 8]), label=label)
        left += values
    axis.set_yticks(range(len(table)), [f"{o} (n={totals[o]})" for o in table.index], fontsize=8)
    axis.set_xlim(0, 1)
    axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axis.legend(ncol=len(labels), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    axis.set_title(title, fontsize=10, pad=22)
    figure.tight_layout()
    return figure


def count_bars(counts: pd.Series, *, title: str, xlabel: str) -> plt.Figure:
    """Return a horizontal bar chart of counts (e.g. articles per outlet), largest at the top."""
    counts = counts.sort_values()
    figure, axis = plt.subplots(figsize=(7, max(2.0, 0.35 * len(counts) + 1.2)))
    axis.barh(range(len(counts)), counts.to_numpy(), color=OKABE_ITO[0])
    axis.set_yticks(range(len(counts)), [str(i) for i in counts.index], fontsize=8)
    for i, value in enumerate(counts.to_numpy()):
        axis.text(value, i, f" {value}", va="center", fontsize=7)
    axis.set_xlabel(xlabel)
    axis.set_title(title, fontsize=10)
    figure.tight_layout()
    return figure
