"""Charts stay readable with 3 outlets and with 150 (pooled to the largest), use colour-blind-safe colours, and save PNG+SVG+CSV."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import aggregate, figures, stats

FRAMES = [f"frame_{i}" for i in range(10)]
LABELS = {f: f"A fairly long frame label number {i}" for i, f in enumerate(FRAMES)}
SAFE = {c.lower() for c in figures.OKABE_ITO} | {"#bbbbbb", "#999999"}


def corpus(outlets: int, *, seed: int = 0):
    """Return (scoped, frames, stance) of a synthetic corpus with `outlets` outlets and dated articles."""
    rng = np.random.default_rng(seed)
    paragraphs, frames, stance = [], [], []
    for o in range(outlets):
        for a in range(int(rng.integers(1, 6))):
            date = pd.Timestamp("2025-01-20") + pd.Timedelta(days=int(rng.integers(0, 40)))
            for k in range(int(rng.integers(3, 12))):
                pid = f"o{o}a{a}p{k}"
                paragraphs.append((pid, f"o{o}a{a}", k, "headline" if k == 0 else "body", "text", f"Outlet {o:03d} Daily", date, "t", None))
                frames += [(pid, f, 1.0, "lexicon", "") for f in FRAMES if rng.random() < 0.12]
                stance.append((pid, "deepseek", rng.choice(["favor", "against", "neutral"]), 0.1, "lexicon"))
    scoped = pd.DataFrame(paragraphs, columns=["paragraph_id", "article_id", "position", "role", "text", "outlet", "date", "title", "url"])
    return (scoped, pd.DataFrame(frames, columns=["paragraph_id", "frame", "score", "method", "evidence"]),
            pd.DataFrame(stance, columns=["paragraph_id", "target", "label", "score", "method"]))


@pytest.fixture(scope="module", params=[3, 150], ids=["3-outlets", "150-outlets"])
def pooled(request):
    scoped, frames, stance = corpus(request.param)
    groups, _ = aggregate.pool_outlets(scoped, min_paragraphs=5, max_outlets=25)
    return groups, frames, stance


def _no_overlap(labels) -> bool:
    boxes = sorted((t.get_window_extent() for t in labels if t.get_text()), key=lambda b: b.y0)
    return all(upper.y0 >= lower.y1 - 0.5 for lower, upper in zip(boxes, boxes[1:]))


def _colours(figure) -> set[str]:
    found = set()
    for axis in figure.axes:
        for artist in [*axis.patches, *axis.lines, *axis.collections]:
            colours = artist.get_facecolor() if hasattr(artist, "get_facecolor") else []
            for colour in np.atleast_2d(colours):
                if len(colour) == 4 and colour[3] > 0:
                    found.add(matplotlib.colors.to_hex(colour[:3]))
    return found


def test_heatmap_rows_are_readable_and_pooled_last(pooled):
    groups, frames, _ = pooled
    shares = aggregate.frame_shares(groups, frames, FRAMES)
    figure = figures.frame_heatmap(shares, LABELS)
    figure.canvas.draw()
    axis = figure.axes[0]
    assert len(axis.get_yticklabels()) == groups["outlet"].nunique() <= 26
    assert _no_overlap(axis.get_yticklabels())
    if "other" in set(groups["outlet"]):
        assert axis.get_yticklabels()[-1].get_text().startswith("other")
    assert figures.heatmap_order(shares)[-1] == "other" or "other" not in set(groups["outlet"])
    plt.close(figure)


def test_interval_small_multiples_have_one_panel_per_frame_and_every_outlet(pooled):
    groups, frames, _ = pooled
    intervals = stats.shares_with_intervals(aggregate.article_frame_counts(groups, frames, FRAMES), FRAMES, n_resamples=100)
    figure = figures.share_intervals(intervals, LABELS, order=aggregate.group_order(groups))
    figure.canvas.draw()
    panels = [a for a in figure.axes if a.get_visible()]
    assert len(panels) == len(FRAMES)
    assert len(panels[0].get_yticklabels()) == groups["outlet"].nunique()
    assert _no_overlap(panels[0].get_yticklabels())
    assert _colours(figure) <= SAFE
    plt.close(figure)


def test_time_chart_draws_a_few_named_outlets_and_pools_the_rest(pooled):
    groups, frames, _ = pooled
    table = aggregate.frames_over_time(groups, frames, FRAMES)
    figure = figures.frames_over_time(table, LABELS, lines=6)
    legend = figure.legends[0]
    names = [t.get_text() for t in legend.get_texts()]
    assert len(names) <= 7 and ("other outlets" in names) == (groups["outlet"].nunique() > 6)
    visible = [a for a in figure.axes if a.get_visible()]
    assert len(visible) == len(FRAMES) + 1 and all(a.has_data() for a in visible)  # no empty panel
    assert _colours(figure) <= SAFE
    plt.close(figure)


def test_cooccurrence_position_and_stance_charts(pooled):
    groups, frames, stance = pooled
    figure = figures.cooccurrence_heatmap(aggregate.frame_cooccurrence(groups, frames, FRAMES), LABELS)
    assert len(figure.axes[0].texts) == len(FRAMES) * (len(FRAMES) + 1) // 2  # the lower triangle, annotated
    plt.close(figure)
    figure = figures.position_dots(aggregate.position_shares(groups, frames, FRAMES), LABELS)
    assert len(figure.axes[0].get_yticklabels()) == len(FRAMES) and _colours(figure) <= SAFE
    plt.close(figure)
    shares = aggregate.stance_shares(groups, stance, "deepseek", ["favor", "against", "neutral"])
    figure = figures.stance_bars(shares, ["favor", "against", "neutral"], title="t")
    assert _colours(figure) <= SAFE and len(figure.axes[0].get_yticklabels()) == groups["outlet"].nunique()
    plt.close(figure)


def test_residual_heatmap_marks_clear_differences():
    per_article = pd.DataFrame({"article_id": list("abcd"), "outlet": list("AABB"), "paragraphs": [10] * 4,
                                "frame_0": [8, 7, 1, 0], "frame_1": [1, 0, 7, 8]})
    residuals = stats.residual_table(per_article, ["frame_0", "frame_1"])
    figure = figures.residual_heatmap(residuals, {f: LABELS[f] for f in ["frame_0", "frame_1"]})
    bold = [t for t in figure.axes[0].texts if t.get_fontweight() == "bold"]
    assert len(bold) == 4  # every cell lies beyond +-2
    plt.close(figure)


def test_save_writes_png_svg_and_the_table(tmp_path):
    table = pd.DataFrame({"outlet": ["A", "B"], "articles": [3, 1]})
    figure = figures.count_bars(table.set_index("outlet")["articles"], title="t", xlabel="articles")
    written = figures.save(figure, table, tmp_path, "counts")
    assert {p.suffix for p in written.values()} == {".png", ".svg", ".csv"}
    assert all(p.stat().st_size > 0 for p in written.values())
    assert pd.read_csv(written["csv"]).equals(table)


def test_the_same_chart_saved_twice_gives_the_same_svg(tmp_path):
    table = pd.DataFrame({"outlet": ["A", "B"], "articles": [3, 1]})
    svgs = []
    for run in ("one", "two"):
        figure = figures.count_bars(table.set_index("outlet")["articles"], title="t", xlabel="articles")
        svgs.append(figures.save(figure, table, tmp_path / run, "counts")["svg"].read_bytes())
        plt.close(figure)
    assert svgs[0] == svgs[1]
