"""Stance with honest uncertainty: label shares with article-bootstrap intervals, and stance over time.

The unit of resampling is the article (its paragraphs are not independent), as for
frame shares (`stats.bootstrap_interval`). Shares are of the paragraphs scored for
the target: every paragraph for DeepSeek, the export-controls paragraphs for export controls.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from . import aggregate, stats  # noqa: E402
from .figures.style import STANCE_COLOURS  # noqa: E402


def label_rows(stance: pd.DataFrame, target: str) -> pd.DataFrame:
    """Return the target's stance rows shaped like frame rows (paragraph_id, frame=label), for counting."""
    rows = stance[stance["target"] == target]
    return pd.DataFrame({"paragraph_id": rows["paragraph_id"].to_numpy(), "frame": rows["label"].to_numpy()})


def stance_intervals(scoped: pd.DataFrame, stance: pd.DataFrame, target: str, labels: list[str], *, by: str = "outlet",
                     n_resamples: int = 2000, confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Return one row per (group, label): articles, paragraphs (scored), n, share, low, high (bootstrap over articles)."""
    scored = scoped[scoped["paragraph_id"].isin(stance.loc[stance["target"] == target, "paragraph_id"])]
    if scored.empty:
        return pd.DataFrame(columns=[by, "label", "articles", "paragraphs", "n", "share", "low", "high"])
    per_article = aggregate.article_frame_counts(scored, label_rows(stance, target), labels, by=by)
    intervals = stats.shares_with_intervals(per_article, labels, by=by, n_resamples=n_resamples, confidence=confidence, seed=seed)
    return intervals.rename(columns={"frame": "label", "paragraphs_with_frame": "n", "paragraph_share": "share",
                                     "paragraph_low": "low", "paragraph_high": "high"})[[by, "label", "articles", "paragraphs", "n", "share", "low", "high"]]


def stance_over_time(scoped: pd.DataFrame, stance: pd.DataFrame, target: str, labels: list[str], *, unit: str | None = None) -> pd.DataFrame:
    """Return one row per (period, label) over dated scored paragraphs: paragraphs, n, share."""
    scored = scoped[scoped["paragraph_id"].isin(stance.loc[stance["target"] == target, "paragraph_id"])].assign(corpus="all")
    table = aggregate.frames_over_time(scored, label_rows(stance, target), labels, unit=unit, by="corpus")
    return table.rename(columns={"frame": "label", "paragraphs_with_frame": "n"})[["period", "label", "paragraphs", "n", "share"]]


def interval_chart(table: pd.DataFrame, labels: list[str], *, by: str = "outlet", title: str = "") -> plt.Figure:
    """Return dot-and-whisker shares of each non-neutral label per group, with 95% intervals."""
    shown = [label for label in labels[:-1]]  # the last label is neutral: the rest of the bar
    groups = list(dict.fromkeys(table.sort_values([by])[by]))
    figure, axis = plt.subplots(figsize=(8, 0.4 * len(groups) + 1.6))
    offsets = np.linspace(-0.15, 0.15, len(shown))
    for offset, label in zip(offsets, shown):
        rows = table[table["label"] == label].set_index(by).reindex(groups)
        y = np.arange(len(groups)) + offset
        low = (rows["share"] - rows["low"]).clip(lower=0).fillna(0)
        high = (rows["high"] - rows["share"]).clip(lower=0).fillna(0)
        axis.errorbar(rows["share"], y, xerr=[low, high], fmt="o", ms=4, capsize=2, color=STANCE_COLOURS.get(label, "#555555"), label=label)
    counts = table.groupby(by)["paragraphs"].first()
    axis.set_yticks(range(len(groups)), [f"{g} (n={counts[g]})" for g in groups], fontsize=8)
    axis.invert_yaxis()
    axis.set_xlim(0, 1)
    axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axis.set_xlabel("share of scored paragraphs (95% interval, articles resampled)")
    axis.legend(loc="lower right", fontsize=8, frameon=False)
    axis.set_title(title, fontsize=10)
    figure.tight_layout()
    return figure


def over_time_chart(table: pd.DataFrame, labels: list[str], *, title: str = "", min_paragraphs: int = 10) -> plt.Figure:
    """Return the share of each label among the period's scored paragraphs over time, dots sized by volume.

    Periods with fewer than `min_paragraphs` scored paragraphs are not drawn (too few to read
    a share from); the subtitle says how many were left out.
    """
    kept = table[table["paragraphs"] >= min_paragraphs]
    dropped = table.loc[table["paragraphs"] < min_paragraphs, "period"].nunique()
    figure, axis = plt.subplots(figsize=(8, 3.4))
    for label in labels:
        rows = kept[kept["label"] == label].sort_values("period")
        colour = STANCE_COLOURS.get(label, "#555555")
        axis.plot(rows["period"], rows["share"], color=colour, lw=1.2, label=label)
        axis.scatter(rows["period"], rows["share"], s=6 + 2 * np.sqrt(rows["paragraphs"].to_numpy(dtype=float)), color=colour, zorder=3)
    if dropped:
        title = f"{title}\n({dropped} period(s) with fewer than {min_paragraphs} paragraphs not drawn)"
    axis.set_ylim(0, 1)
    axis.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axis.set_ylabel("share of the period's paragraphs")
    axis.legend(ncol=len(labels), fontsize=8, frameon=False, loc="upper left")
    axis.set_title(title, fontsize=10)
    figure.autofmt_xdate()
    figure.tight_layout()
    return figure
