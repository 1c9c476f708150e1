"""Charts for the reports (matplotlib). Each returns a Figure; `save` writes PNG, SVG and the table.

Palettes are colour-blind safe: cividis for sequential values and the Okabe-Ito
colours for categories.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["text.parse_math"] = False  # outlet names and titles are data: "$" is a dollar, never math
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .atomic import replacing, write_csv  # noqa: E402

DPI = 130  # PNG for the pages; the SVG is the one to publish
OKABE_ITO = ["#0072B2", "#D55E00", "#999999", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
STANCE_COLOURS = {"favor": "#0072B2", "support": "#0072B2", "against": "#D55E00", "oppose": "#D55E00", "neutral": "#BBBBBB"}


def save(figure: plt.Figure, table: pd.DataFrame, folder: Path, name: str) -> dict[str, Path]:
    """Write `figure` as PNG and SVG and `table` as CSV under `folder`; return the three paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    figure.canvas.draw()  # lay out once; both files reuse the tight bounding box instead of drawing twice each
    box = figure.get_tightbbox(figure.canvas.get_renderer()).padded(0.1)
    for suffix in ("png", "svg"):
        path = folder / f"{name}.{suffix}"
        with replacing(path) as tmp:
            figure.savefig(tmp, format=suffix, dpi=DPI, bbox_inches=box, metadata={"Date": None} if suffix == "svg" else None)
        out[suffix] = path
    out["csv"] = write_csv(table, folder / f"{name}.csv")
    return out


def similarity_order(matrix: pd.DataFrame, *, last: tuple = ()) -> list:
    """Return the row labels of `matrix` ordered so similar rows sit together (average-linkage clustering).

    Rows named in `last` (a pooled "other" group) are kept apart at the end.
    """
    from scipy.cluster.hierarchy import leaves_list, linkage  # imported on first use (slow to load)

    tail = [r for r in matrix.index if r in last]
    matrix = matrix.drop(index=tail)
    if len(matrix) < 3:
        return list(matrix.index) + tail
    return list(matrix.index[leaves_list(linkage(matrix.fillna(0).to_numpy(), method="average", metric="euclidean"))]) + tail


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _pooled(name: object) -> bool:
    return str(name).startswith("other")


def _colourbar(figure: plt.Figure, image, axis: plt.Axes, label: str) -> None:
    bar = figure.colorbar(image, ax=axis, fraction=0.035, pad=0.02)
    bar.set_label(label, fontsize=8)
    bar.ax.tick_params(labelsize=7)


def heatmap_order(shares: pd.DataFrame, *, by: str = "outlet") -> list:
    """Return the groups of a frame_shares table in the heatmap's order: similar profiles together, pooled last."""
    share = shares.pivot(index=by, columns="frame", values="share")
    return similarity_order(share, last=tuple(r for r in share.index if _pooled(r)))


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
    _colourbar(figure, image, axis, "% of paragraphs")
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
    _colourbar(figure, image, axis, "adjusted residual")
    axis.set_title("Which outlet uses which frame more (orange) or less (purple) than expected\n"
                   "(adjusted residuals; beyond ±2, in bold: clearly more or less)", fontsize=10)
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
    table = table.loc[[g for g in table.index if _pooled(g)] + [g for g in table.index if not _pooled(g)]]  # pooled at the bottom
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


def _group_label(name: object, n: int) -> str:
    return f"{name} (n={n})"


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
        colours = [OKABE_ITO[2] if _pooled(g) else OKABE_ITO[0] for g in order]
        errors = np.vstack([(part[share] - part[low]).clip(lower=0), (part[high] - part[share]).clip(lower=0)]).astype(float)
        axis.errorbar(part[share], y, xerr=np.nan_to_num(errors), fmt="none", ecolor="#555555", elinewidth=1, capsize=2)
        axis.scatter(part[share], y, c=colours, s=18, zorder=3)
        overall = part[count].sum() / part[total].sum() if part[total].sum() else np.nan
        axis.axvline(overall, color=OKABE_ITO[1], linestyle="--", linewidth=1)
        axis.set_title(_wrap(labels[frame], 22), fontsize=8)
        axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        axis.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
        axis.tick_params(labelsize=7)
        axis.set_xlim(left=0)
        axis.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    for axis in axes.flat[len(frames_):]:
        axis.set_visible(False)
    for axis in axes[:, 0]:
        axis.set_yticks(y, [_group_label(g, int(sizes[g])) for g in order], fontsize=7)
    figure.suptitle(f"Share of {which}s carrying each frame, with 95% bootstrap intervals (resampling articles); "
                    "dashed: all outlets", fontsize=9)
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
    names = [_wrap(labels[f], 24) for f in ids]
    axis.set_xticks(range(len(ids)), names, rotation=40, ha="right", fontsize=7)
    axis.set_yticks(range(len(ids)), names, fontsize=7)
    axis.spines[["top", "right"]].set_visible(False)
    _colourbar(figure, image, axis, "Jaccard (%): paragraphs with both / with either")
    axis.set_title("Frames found in the same paragraph (number of paragraphs; diagonal: paragraphs with the frame)", fontsize=9)
    figure.tight_layout()
    return figure


SERIES_COLOURS = [c for c in OKABE_ITO if c not in ("#999999", "#F0E442")]  # grey is for pooled groups; yellow is faint on white


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
    named = [g for g in ranked if not _pooled(g)][:lines]
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
        axis.set_title(_wrap(labels[frame], 34), fontsize=8)
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
    axis.set_yticks(y, [_wrap(labels[f], 40) for f in frames_], fontsize=8)
    axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    axis.set_xlim(left=0)
    axis.set_ylim(-0.6, len(frames_) - 0.4)
    axis.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    axis.legend(ncol=min(4, len(parts)), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=7)
    axis.set_title("Share of paragraphs carrying the frame, by part of the article", fontsize=9, pad=24)
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
    axis.set_yticks(y, [_wrap(labels[f], 40) for f in frames_], fontsize=8)
    axis.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    axis.set_xlim(left=0)
    axis.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    axis.legend(ncol=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    axis.set_title("Share of paragraphs carrying each frame, with 95% bootstrap intervals", fontsize=9, pad=24)
    figure.tight_layout()
    return figure
