"""Shares and counts behind the charts equal counts recomputed from the tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import aggregate, codebook
from analysis.paths import DEFAULT_CODEBOOK


@pytest.fixture()
def tiny():
    articles = pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4"],
        "outlet": ["X", "X", "Y", "Y"],
        "date": pd.to_datetime(["2025-01-27", None, "2025-01-28", "2025-01-28"]),
        "title": ["t1", "t2", "t3", "t3 copy"],
        "url": [None] * 4,
        "duplicate_of": [None, None, None, "a3"],
        "language": ["en", "en", "en", "en"],
    })
    paragraphs = pd.DataFrame({
        "paragraph_id": ["a1-p0", "a1-p1", "a2-p0", "a3-p0", "a3-p1", "a4-p0"],
        "article_id": ["a1", "a1", "a2", "a3", "a3", "a4"],
        "position": [0, 1, 0, 0, 1, 0], "role": ["body"] * 6, "text": ["x"] * 6,
    })
    frames = pd.DataFrame({
        "paragraph_id": ["a1-p0", "a1-p1", "a3-p0", "a4-p0", "a1-p0"],
        "frame": ["market_shock", "market_shock", "market_shock", "market_shock", "cost_efficiency"],
        "score": [2.0] * 5, "method": ["lexicon"] * 5, "evidence": [""] * 5,
    })
    return articles, paragraphs, frames


def test_duplicate_copies_are_left_out_by_default_and_counted(tiny):
    articles, paragraphs, _ = tiny
    scoped, left_out = aggregate.scoped_paragraphs(articles, paragraphs)
    assert sorted(scoped["paragraph_id"]) == ["a1-p0", "a1-p1", "a2-p0", "a3-p0", "a3-p1"]
    assert left_out == {"duplicate copies": 1}
    every, none_left = aggregate.scoped_paragraphs(articles, paragraphs, count_duplicates=True)
    assert len(every) == 6 and none_left == {}


def test_articles_in_other_languages_are_left_out_with_a_reason(tiny):
    articles, paragraphs, _ = tiny
    articles = articles.assign(language=["en", "de", "en", "en"])
    scoped, left_out = aggregate.scoped_paragraphs(articles, paragraphs)
    assert "a2-p0" not in set(scoped["paragraph_id"])
    assert left_out == {"duplicate copies": 1, "not in the codebook's language (en)": 1}


def test_frame_shares_hold_counts_and_zero_rows(tiny):
    articles, paragraphs, frames = tiny
    scoped, _ = aggregate.scoped_paragraphs(articles, paragraphs)
    shares = aggregate.frame_shares(scoped, frames, ["market_shock", "cost_efficiency"]).set_index(["outlet", "frame"])
    assert shares.loc[("X", "market_shock")].tolist() == [3, 2, pytest.approx(2 / 3)]
    assert shares.loc[("Y", "market_shock")].tolist() == [2, 1, 0.5]
    assert shares.loc[("Y", "cost_efficiency")].tolist() == [2, 0, 0.0]


def test_frame_shares_equal_counts_recomputed_from_the_shared_corpus(shared_paths):
    articles, paragraphs = pd.read_parquet(shared_paths.articles), pd.read_parquet(shared_paths.paragraphs)
    frames = pd.read_parquet(shared_paths.frames)
    book = codebook.load(DEFAULT_CODEBOOK)
    scoped, _ = aggregate.scoped_paragraphs(articles, paragraphs)
    shares = aggregate.frame_shares(scoped, frames, book.frame_ids)
    outlet_of = scoped.set_index("paragraph_id")["outlet"]
    kept = frames[frames["paragraph_id"].isin(outlet_of.index)]
    recomputed = kept.assign(outlet=kept["paragraph_id"].map(outlet_of)).groupby(["outlet", "frame"]).size()
    table = shares.set_index(["outlet", "frame"])["paragraphs_with_frame"]
    assert table[table > 0].sort_index().to_dict() == recomputed.sort_index().to_dict()
    assert shares.groupby("outlet")["paragraphs"].first().to_dict() == scoped.groupby("outlet").size().to_dict()


def test_stance_shares_count_labels_per_outlet(tiny):
    articles, paragraphs, _ = tiny
    scoped, _ = aggregate.scoped_paragraphs(articles, paragraphs)
    stance = pd.DataFrame({"paragraph_id": ["a1-p0", "a1-p1", "a3-p0"], "target": ["deepseek"] * 3,
                           "label": ["favor", "against", "favor"], "score": [0.5, -0.5, 0.4], "method": ["lexicon"] * 3})
    table = aggregate.stance_shares(scoped, stance, "deepseek", ["favor", "against", "neutral"]).set_index(["outlet", "label"])
    assert table.loc[("X", "favor"), "n"] == 1 and table.loc[("X", "favor"), "share"] == 0.5
    assert table.loc[("Y", "neutral"), "n"] == 0 and table.loc[("Y", "favor"), "share"] == 1.0


def test_corpus_overview_counts_articles_paragraphs_and_copies(tiny):
    articles, paragraphs, _ = tiny
    table = aggregate.corpus_overview(articles, paragraphs).set_index("outlet")
    assert table.loc["X", ["articles", "paragraphs", "duplicate_copies"]].tolist() == [2, 3, 0]
    assert table.loc["Y", ["articles", "paragraphs", "duplicate_copies"]].tolist() == [2, 3, 1]


@pytest.fixture()
def scoped_small():
    """Two articles of outlet X (one dated 27 Jan, one undated), one of Y (3 Feb), one of Z; frames a, b."""
    scoped = pd.DataFrame({
        "paragraph_id": ["x1-0", "x1-1", "x1-2", "x1-3", "x1-4", "x2-0", "x2-1", "y1-0", "y1-1", "y1-2", "z1-0"],
        "article_id": ["x1"] * 5 + ["x2"] * 2 + ["y1"] * 3 + ["z1"],
        "position": [0, 1, 2, 3, 4, 0, 1, 0, 1, 2, 0],
        "role": ["headline", "body", "caption", "body", "body", "headline", "body", "headline", "body", "body", "body"],
        "text": ["t"] * 11,
        "outlet": ["X"] * 7 + ["Y"] * 3 + ["Z"],
        "date": pd.to_datetime(["2025-01-27"] * 5 + [None] * 2 + ["2025-02-03"] * 3 + ["2025-02-04"]),
        "title": ["t"] * 11, "url": [None] * 11,
    })
    frames = pd.DataFrame({
        "paragraph_id": ["x1-1", "x1-1", "x1-3", "x1-4", "x2-1", "y1-1", "y1-2", "z1-0"],
        "frame": ["a", "b", "a", "b", "a", "b", "b", "a"],
        "score": [1.0] * 8, "method": ["lexicon"] * 8, "evidence": [""] * 8,
    })
    return scoped, frames


def test_small_outlets_are_pooled_as_other_and_listed(scoped_small):
    scoped, _ = scoped_small
    pooled, table = aggregate.pool_outlets(scoped, min_paragraphs=3)
    assert set(pooled["outlet"]) == {"X", "Y", "other"}
    assert pooled.loc[pooled["outlet"] == "other", "outlet_name"].tolist() == ["Z"]
    assert table.to_dict("records") == [{"outlet": "Z", "articles": 1, "paragraphs": 1, "reason": "fewer than 3 paragraphs"}]
    top, beyond = aggregate.pool_outlets(scoped, min_paragraphs=1, max_outlets=1)
    assert set(top["outlet"]) == {"X", "other"} and list(beyond["outlet"]) == ["Y", "Z"]
    assert aggregate.group_order(top) == ["X", "other"]
    clash, _ = aggregate.pool_outlets(scoped.replace({"outlet": {"Y": "other"}}), min_paragraphs=2)
    assert "other (pooled)" in set(clash["outlet"]) and "other" in set(clash["outlet"])


def test_article_frame_counts_hold_paragraphs_per_article(scoped_small):
    scoped, frames = scoped_small
    table = aggregate.article_frame_counts(scoped, frames, ["a", "b"]).set_index("article_id")
    assert table.loc["x1", ["paragraphs", "a", "b"]].tolist() == [5, 2, 2]
    assert table.loc["y1", ["paragraphs", "a", "b"]].tolist() == [3, 0, 2]


def test_cooccurrence_counts_paragraphs_with_both_frames(scoped_small):
    scoped, frames = scoped_small
    table = aggregate.frame_cooccurrence(scoped, frames, ["a", "b"]).set_index(["frame", "other_frame"])
    assert table.loc[("a", "b"), "paragraphs_both"] == 1 and table.loc[("a", "a"), "paragraphs_both"] == 4
    assert table.loc[("a", "b"), "share_of_frame"] == pytest.approx(1 / 4)
    assert table.loc[("b", "a"), "share_of_frame"] == pytest.approx(1 / 4)
    assert table.loc[("a", "b"), "jaccard"] == pytest.approx(1 / 7)  # 4 with a, 4 with b, 1 with both


def test_frames_over_time_are_normalised_by_each_outlets_volume(scoped_small):
    scoped, frames = scoped_small
    table = aggregate.frames_over_time(scoped, frames, ["a", "b"], unit="W").set_index(["period", "outlet", "frame"])
    week = pd.Timestamp("2025-01-27")
    assert table.loc[(week, "X", "a")].tolist() == [5, 2, pytest.approx(0.4)]  # the undated article x2 is left out
    assert table.loc[(pd.Timestamp("2025-02-03"), "Y", "b"), "share"] == pytest.approx(2 / 3)
    assert aggregate.dated_articles(scoped) == 3
    assert aggregate.time_unit(scoped["date"]) == "D" and aggregate.time_unit(pd.Series(pd.to_datetime(["2025-01-01", "2025-05-01"]))) == "W"


def test_position_shares_split_headline_lead_later_and_captions(scoped_small):
    scoped, frames = scoped_small
    parts = aggregate.article_parts(scoped, lead=1)
    assert parts.tolist() == ["headline, standfirst", "lead", "caption", "later", "later", "headline, standfirst", "lead",
                              "headline, standfirst", "lead", "later", "lead"]
    table = aggregate.position_shares(scoped, frames, ["a", "b"], lead=1).set_index(["frame", "part"])
    assert table.loc[("a", "lead")].tolist() == [4, 3, 0.75]
    assert table.loc[("b", "later")].tolist() == [3, 2, pytest.approx(2 / 3)]


def test_stance_within_each_frame_counts_a_paragraph_under_each_of_its_frames(scoped_small):
    scoped, frames = scoped_small
    stance = pd.DataFrame({"paragraph_id": ["x1-1", "x1-3", "y1-1"], "target": ["deepseek"] * 3,
                           "label": ["favor", "against", "favor"], "score": [1.0, -1.0, 1.0], "method": ["lexicon"] * 3})
    table = aggregate.stance_by_frame(scoped, frames, stance, "deepseek", ["favor", "against"], ["a", "b"]).set_index(["frame", "label"])
    assert table.loc[("a", "favor"), ["paragraphs", "n"]].tolist() == [2, 1]
    assert table.loc[("b", "favor"), ["paragraphs", "n"]].tolist() == [2, 2]
