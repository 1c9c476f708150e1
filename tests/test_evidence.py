"""Evidence is highlighted, and article text is always shown as text, never as markup."""

from __future__ import annotations

import pandas as pd

from analysis import codebook, evidence
from analysis.paths import DEFAULT_CODEBOOK

BOOK = codebook.load(DEFAULT_CODEBOOK)


def test_highlighted_wraps_spans_and_escapes_everything_else():
    text = "<script>alert(1)</script> a Sputnik moment"
    out = evidence.highlighted(text, [(text.index("Sputnik"), len(text), "sputnik_moment")])
    assert out == '&lt;script&gt;alert(1)&lt;/script&gt; a <mark title="sputnik_moment">Sputnik moment</mark>'


def test_examples_html_escapes_text_titles_and_outlets():
    examples = pd.DataFrame({
        "paragraph_id": ["p1"], "outlet": ["<b>Evil</b>"], "date": [pd.Timestamp("2025-01-27")],
        "title": ['<img src=x onerror="alert(1)">'], "url": ["javascript:alert(1)"], "role": ["body"],
        "text": ["DeepSeek was a Sputnik moment <img src=x onerror=alert(2)>"], "score": [2.0], "evidence": [""],
    })
    page = evidence.examples_html(examples, BOOK, "sputnik_moment")
    assert "<img" not in page and "<b>Evil" not in page and "javascript:" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert '<mark title="sputnik_moment">Sputnik</mark>' in page


def test_frame_examples_are_the_highest_scoring_paragraphs():
    scoped = pd.DataFrame({"paragraph_id": ["p1", "p2", "p3"], "outlet": ["A", "B", "C"], "date": [pd.NaT] * 3,
                           "title": ["t"] * 3, "url": [None] * 3, "role": ["body"] * 3, "text": ["x", "y", "z"]})
    frames = pd.DataFrame({"paragraph_id": ["p1", "p2", "p3"], "frame": ["market_shock"] * 3, "score": [2.0, 5.0, 3.0],
                           "method": ["lexicon"] * 3, "evidence": ["e"] * 3})
    assert evidence.frame_examples(scoped, frames, "market_shock", limit=2)["paragraph_id"].tolist() == ["p2", "p3"]
