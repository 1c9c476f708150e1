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
