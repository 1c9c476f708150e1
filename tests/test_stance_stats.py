"""Stance shares with article-bootstrap intervals and over time, recomputable from stance.parquet."""

from __future__ import annotations

import pandas as pd

from analysis import stance_stats

LABELS = ["favor", "against", "neutral"]


def _tiny():
    scoped = pd.DataFrame({
        "paragraph_id": [f"a{a}-p{p}" for a in range(6) for p in range(2)],
        "article_id": [f"a{a}" for a in range(6) for _ in range(2)],
        "outlet": ["X"] * 6 + ["Y"] * 6,
        "date": pd.to_datetime(["2025-01-27"] * 4 + ["2025-02-10"] * 8),
        "position": [0, 1] * 6, "role": ["body"] * 12, "text": ["t"] * 12,
    })
    labels = ["favor", "favor", "against", "neutral", "favor", "neutral"] + ["against"] * 4 + ["neutral", "favor"]
    stance = pd.DataFrame({"paragraph_id": scoped["paragraph_id"], "target": "deepseek", "label": labels, "score": 0.0, "method": "lexicon"})
    return scoped, stance


def test_intervals_hold_the_counts_and_contain_the_share():
    scoped, stance = _tiny()
    table = stance_stats.stance_intervals(scoped, stance, "deepseek", LABELS, n_resamples=300).set_index(["outlet", "label"])
    assert table.loc[("X", "favor"), ["articles", "paragraphs", "n"]].tolist() == [3, 6, 3]
    assert table.loc[("X", "favor"), "share"] == 0.5
    assert table.loc[("Y", "against"), "n"] == 4
    assert ((table["low"] <= table["share"]) & (table["share"] <= table["high"])).all()


def test_stance_over_time_is_normalised_by_each_period():
    scoped, stance = _tiny()
    table = stance_stats.stance_over_time(scoped, stance, "deepseek", LABELS, unit="W").set_index(["period", "label"])
    first = pd.Timestamp("2025-01-27")
    assert table.loc[(first, "favor"), ["paragraphs", "n"]].tolist() == [4, 2]
    assert table.groupby(level="period")["share"].sum().round(6).eq(1.0).all()


def test_charts_draw_every_group_and_say_what_they_leave_out():
    scoped, stance = _tiny()
    dots = stance_stats.interval_chart(stance_stats.stance_intervals(scoped, stance, "deepseek", LABELS, n_resamples=100), LABELS)
    assert [t.get_text() for t in dots.axes[0].get_yticklabels()] == ["X (n=6)", "Y (n=6)"]
    lines = stance_stats.over_time_chart(stance_stats.stance_over_time(scoped, stance, "deepseek", LABELS, unit="W"), LABELS,
                                         title="t", min_paragraphs=5)
    assert "1 period(s) with fewer than 5 paragraphs not drawn" in lines.axes[0].get_title()
