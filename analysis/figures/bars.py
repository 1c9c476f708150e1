"""Bar charts: counts (articles per outlet) and stacked stance shares, by group or in one panel per target."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import OKABE_ITO, SERIES_COLOURS, STANCE_COLOURS, pooled


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


def stance_bars(shares: pd.DataFrame, labels: list[str], *, by: str = "outlet", title: str = "",
                names: dict | None = None, keep_order: bool = False) -> plt.Figure:
    """Return horizontal stacked bars of stance label shares per group, with paragraph counts.

    `names` maps group values to display names (frame ids to labels); groups are
    sorted by the first label's share unless `keep_order` (then the table's order, top down).
    """
    order = list(dict.fromkeys(shares[by]))
    table = shares.pivot(index=by, columns="label", values="share").reindex(columns=labels).fillna(0)
    totals = shares.groupby(by)["paragraphs"].first()
    table = table.loc[order[::-1]] if keep_order else table.sort_values(labels[0])
    table = table.loc[[g for g in table.index if pooled(g)] + [g for g in table.index if not pooled(g)]]  # pooled at the bottom
    figure, axis = plt.subplots(figsize=(8, max(2.2, 0.4 * len(table) + 1.4)))
    left = np.zeros(len(table))
    for number, label in enumerate(labels):
        values = table[label].to_numpy()
        axis.barh(range(len(table)), values, left=left, color=STANCE_COLOURS.get(label, OKABE_ITO[number % 8]), label=label)
        left += values
    names = names or {}
    axis.set_yticks(range(len(table)), [f"{names.get(o, o)} (n={totals[o]})" for o in table.index], fontsize=8)
    axis.set_xlim(0, 1)
    axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axis.legend(ncol=len(labels), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    axis.set_title(title, fontsize=10, pad=22)
    figure.tight_layout()
    return figure


def stance_panels(table: pd.DataFrame, labels: dict[str, list[str]], *, by: str = "outlet", order: list | None = None,
                  title: str = "") -> plt.Figure:
    """Return one panel of stacked stance bars per target, groups top down in `order` (default: the table's).

    `table` is `aggregate.stance_shares_by_target(...)` (a `target` column beside the
    stance_shares columns); `labels` gives each target's labels in order.
    """
    targets = [t for t in labels if (table["target"] == t).any()]
    rows = [table.loc[table["target"] == t, by].nunique() for t in targets]
    figure, axes = plt.subplots(len(targets), 1, figsize=(8, sum(0.38 * r + 1.0 for r in rows) + 0.4), squeeze=False,
                                gridspec_kw={"height_ratios": [r + 2 for r in rows]}, layout="constrained")
    for axis, target in zip(axes[:, 0], targets):
        part = table[table["target"] == target]
        groups = [g for g in (order or list(dict.fromkeys(part[by]))) if g in set(part[by])][::-1]
        share = part.pivot(index=by, columns="label", values="share").reindex(index=groups, columns=labels[target]).fillna(0)
        totals = part.groupby(by)["paragraphs"].first()
        left = np.zeros(len(share))
        for number, label in enumerate(labels[target]):
            axis.barh(range(len(share)), share[label], left=left, label=label,
                      color=STANCE_COLOURS.get(label, SERIES_COLOURS[number % len(SERIES_COLOURS)]))
            left += share[label].to_numpy()
        axis.set_yticks(range(len(share)), [f"{g} (n={totals[g]})" for g in share.index], fontsize=8)
        axis.set_xlim(0, 1)
        axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        axis.tick_params(axis="x", labelsize=7)
        axis.legend(ncol=len(labels[target]), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=7,
                    title=f"toward {target}", title_fontsize=8, alignment="left")
    if title:
        figure.suptitle(title, fontsize=10)
    return figure
