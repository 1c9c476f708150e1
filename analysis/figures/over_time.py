"""Frames over time: small multiples of each outlet's share per period, with the dated volume."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import SERIES_COLOURS, pooled, wrap


def frames_over_time(table: pd.DataFrame, labels: dict[str, str], *, by: str = "outlet", lines: int = 6,
                     per_row: int = 4, focus: float = 0.95) -> plt.Figure:
    """Return small multiples over time: paragraphs per period, then one panel per frame with each outlet's share.

    `table` is `aggregate.frames_over_time(...)`. The `lines` largest groups get
    their own colour and marker; the rest are drawn together in grey as "other
    outlets". Marker area grows with the paragraphs behind the point, and lines
    break over periods without paragraphs, so a lone short article does not
    draw a long line to 100%. The time axis spans the periods holding the
    central `focus` share of dated paragraphs; the first panel says how many
    paragraphs fall outside (they stay in the table).
    """
    frames_ = [f for f in labels if f in set(table["frame"])]
    periods = pd.DatetimeIndex(sorted(table["period"].unique()))
    step = periods.to_series().diff().min() if len(periods) > 1 else pd.Timedelta(days=1)
    every = pd.date_range(periods.min(), periods.max(), freq=step) if len(periods) > 1 else periods
    volume = table.drop_duplicates(["period", by]).pivot(index="period", columns=by, values="paragraphs").fillna(0)
    ranked = list(volume.sum().sort_values(ascending=False, kind="stable").index)
    named = [g for g in ranked if not pooled(g)][:lines]
    rest = [g for g in ranked if g not in named]
    grouped = table.assign(_g=table[by].where(table[by].isin(named), "other outlets"))
    sums = grouped.groupby(["period", "_g", "frame"], as_index=False)[["paragraphs", "paragraphs_with_frame"]].sum()
    sums["share"] = sums["paragraphs_with_frame"] / sums["paragraphs"]
    series = named + (["other outlets"] if rest else [])
    style = {g: (SERIES_COLOURS[i % len(SERIES_COLOURS)] if g != "other outlets" else "#999999", "osD^vP*X"[i % 8])
             for i, g in enumerate(series)}
    panels = len(frames_) + 1
    columns = min(per_row, panels)
    rows = -(-panels // columns)
    legend_rows = -(-len(series) // 4)
    head = 0.45 + 0.17 * legend_rows  # inches above the panels for the title and the legend
    width, height = 3.2 * columns, 2.3 * rows + head + 0.4
    figure, axes = plt.subplots(rows, columns, figsize=(width, height), sharex=True, squeeze=False)
    # fixed margins instead of a layout engine: the engine measured every date tick of every panel (seconds per chart)
    figure.subplots_adjust(left=0.5 / width, right=1 - 0.15 / width, bottom=0.4 / height, top=1 - head / height,
                           hspace=0.45, wspace=0.28)
    x = matplotlib.dates.date2num(volume.index.to_pydatetime())
    bottom = np.zeros(len(volume))
    for g in series:
        values = volume[[c for c in volume.columns if c == g or (g == "other outlets" and c in rest)]].sum(axis=1).to_numpy()
        axes.flat[0].bar(x, values, bottom=bottom, width=0.8 * step / pd.Timedelta(days=1), color=style[g][0], align="center")
        bottom += values
    axes.flat[0].set_title("Dated paragraphs per period", fontsize=8)
    cumulative = np.cumsum(bottom) / max(bottom.sum(), 1)
    first = int(np.searchsorted(cumulative, (1 - focus) / 2, side="right"))
    last = int(min(np.searchsorted(cumulative, 1 - (1 - focus) / 2, side="left"), len(x) - 1))
    outside = int(bottom[:first].sum() + bottom[last + 1:].sum())
    if outside:
        axes.flat[0].text(0.98, 0.95, f"{outside} paragraph(s) dated outside\nthe range shown (see table)", fontsize=6.5,
                          ha="right", va="top", transform=axes.flat[0].transAxes)
    days = step / pd.Timedelta(days=1)
    axes.flat[0].set_xlim(x[first] - 0.6 * days, x[last] + 0.6 * days)
    shown = volume.index[first:last + 1]
    ticks = matplotlib.dates.date2num(shown[:: max(1, -(-len(shown) // 5))].to_pydatetime())
    style_of = "%b %Y" if days >= 28 else "%d %b"
    tick_labels = [matplotlib.dates.num2date(t).strftime(style_of) for t in ticks]
    biggest = max(float(sums["paragraphs"].max()), 1.0)
    for axis, frame in zip(axes.flat[1:], frames_):
        part = sums[sums["frame"] == frame]
        for g in series:
            line = part[part["_g"] == g].set_index("period").reindex(every)
            when = matplotlib.dates.date2num(line.index.to_pydatetime())
            axis.plot(when, line["share"], color=style[g][0], linewidth=1)
            axis.scatter(when, line["share"], s=4 + 60 * line["paragraphs"].fillna(0) / biggest, color=style[g][0],
                         marker=style[g][1], zorder=3, linewidths=0)
        axis.set_title(wrap(labels[frame], 34), fontsize=8)
        axis.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    in_view = sums[sums["period"].between(every[0] + first * step, every[0] + last * step)] if len(periods) > 1 else sums
    ceiling = min(1.0, max(0.1, float(in_view["share"].max()) if len(in_view) else 1.0))
    for axis in axes.flat[1:panels]:
        axis.set_ylim(0, ceiling * 1.08)
    for axis in axes.flat[:panels]:
        axis.tick_params(labelsize=7)
        axis.set_xticks(ticks, tick_labels)  # fixed ticks: computed once, not by a date locator on every panel
        axis.grid(axis="y", color="#DDDDDD", linewidth=0.5)
    for axis in axes.flat[panels:]:
        axis.set_visible(False)
    handles = [matplotlib.lines.Line2D([], [], color=style[g][0], marker=style[g][1], label=g) for g in series]
    figure.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1.0), ncol=min(4, len(series)), fontsize=7, frameon=False,
                  title="Share of each outlet's paragraphs carrying the frame, per period (marker area: paragraphs)",
                  title_fontsize=9)
    return figure
