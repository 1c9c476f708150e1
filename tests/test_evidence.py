"""Evidence is highlighted, and article text is always shown as text, never as markup."""

from __future__ import annotations

import html
from urllib.parse import unquote

import pandas as pd
import pytest

from analysis import aggregate, codebook, evidence
from analysis.evidence_format import evidence_text
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


def _cell_data():
    scoped = pd.DataFrame({
        "paragraph_id": ["p1", "p2", "p3"], "outlet": ["The <Daily>", "The <Daily>", "other"],
        "outlet_name": ["The <Daily>", "The <Daily>", "Tiny Gazette"], "date": [pd.Timestamp("2025-01-28"), pd.NaT, pd.NaT],
        "title": ["T1", "T2", "T3"], "url": ["https://example.org/a?x=1&y=2", None, None], "role": ["body"] * 3,
        "text": ["A Sputnik moment for America.", "Another Sputnik moment.", "A Sputnik moment, says the Gazette."],
    })
    frames = pd.DataFrame({"paragraph_id": ["p1", "p2", "p3"], "frame": ["sputnik_moment"] * 3, "score": [2.0, 3.0, 2.0],
                           "method": ["lexicon"] * 3, "evidence": ["sputnik => Sputnik"] * 3})
    return scoped, frames


def test_every_heatmap_cell_links_to_a_section_with_its_paragraphs():
    scoped, frames = _cell_data()
    shares = aggregate.frame_shares(scoped, frames, BOOK.frame_ids)
    labels = {f.id: f.label for f in BOOK.frames}
    matrix = evidence.linked_matrix_html(shares, labels, order=["The <Daily>", "other"], page="04_evidence.html")
    sections = evidence.cell_sections_html(scoped, frames, BOOK, order=["The <Daily>", "other"], limit=1)
    link = evidence.cell_link("The <Daily>", "sputnik_moment")
    assert f"href='{html.escape(link, quote=True)}'" in matrix and "<Daily>" not in matrix and "&lt;Daily&gt;" in matrix
    assert f"id='{html.escape(evidence.cell_anchor('The <Daily>', 'sputnik_moment'), quote=True)}'" in sections
    assert unquote(link.split("#", 1)[1]) == evidence.cell_anchor("The <Daily>", "sputnik_moment")
    assert matrix.count("href=") == 2  # only cells with paragraphs link; zero cells stay plain
    assert "showing 1 of 2" in sections  # past the limit the section says how many there are
    assert 'Another <mark title="sputnik_moment">Sputnik</mark>' in sections  # highest score first, matched words marked
    assert "Tiny Gazette" in sections  # a pooled outlet's paragraphs name their real outlet
    assert "href=\"https://example.org/a?x=1&amp;y=2\"" in evidence.cell_sections_html(scoped, frames, BOOK, order=["The <Daily>"])


def test_stance_table_exports_every_stance_row_with_its_paragraph():
    scoped, _ = _cell_data()
    stance = pd.DataFrame({"paragraph_id": ["p1", "p3"], "target": ["deepseek"] * 2, "label": ["favor", "neutral"],
                           "score": [0.4, 0.0], "method": ["lexicon"] * 2, "evidence": ["A Sputnik moment", ""]})
    table = evidence.stance_table(scoped, stance)
    assert len(table) == 2 and {"outlet", "date", "text", "label"} <= set(table.columns)


def test_evidence_spans_locate_the_tagger_s_matches_even_across_semicolons():
    text = "A $500m investment in US AI infrastructure; Microsoft said AI spending would reach $80 billion, AI spending again."
    evidence_text = ("spend|invest ~4~ US|Microsoft => investment in US AI infrastructure; Microsoft; "
                     r"\$\s?\d+ (bn|billion) => $80 billion; AI spending => AI spending; AI spending => AI spending")
    found = evidence.evidence_spans(text, evidence_text, "scaling_paradigm")
    assert [text[s:e] for s, e, _ in found] == ["investment in US AI infrastructure; Microsoft", "$80 billion", "AI spending", "AI spending"]
    assert found[2][0] != found[3][0]  # a repeated match marks the next occurrence, not the same one twice
    assert evidence.evidence_spans(text, "", "x") == [] and evidence.evidence_spans(text, "p => not in the text", "x") == []


def test_examples_are_highlighted_from_the_stored_evidence_without_the_matcher(monkeypatch):
    scoped, frames = _cell_data()
    monkeypatch.setattr(evidence, "_spans", lambda *a, **k: pytest.fail("matcher used although evidence locates the match"))
    page = evidence.examples_html(evidence.frame_examples(scoped, frames, "sputnik_moment"), BOOK, "sputnik_moment")
    assert page.count('<mark title="sputnik_moment">Sputnik</mark>') == 3


def test_evidence_written_by_the_format_is_located_back_in_the_paragraph():
    text = "Chips ban; or not. A ban on chips."
    written = evidence_text([("chips near ban", "Chips ban; or not"), ("ban", "ban"), ("chip*", "chips")])
    assert written == "chips near ban => Chips ban; or not; ban => ban; chip* => chips"
    located = evidence.evidence_spans(text, written, "x")
    assert [(text[s:e], s) for s, e, _ in located] == [("Chips ban; or not", 0), ("ban", 21), ("chips", 28)]
