"""The explorer's logic: filters, trial patterns and what they change; the notebook only wires widgets."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import codebook, explore
from analysis.codebook import CodebookError
from analysis.paths import DEFAULT_CODEBOOK, PROJECT_ROOT
from analysis.session import open_run
from analysis.tag import fitted_tagger

BOOK = codebook.load(DEFAULT_CODEBOOK)


@pytest.fixture(scope="module")
def small():
    scoped = pd.DataFrame({
        "paragraph_id": ["p1", "p2", "p3", "p4"], "article_id": ["a1", "a1", "a2", "a3"], "position": [0, 1, 0, 0],
        "role": ["body"] * 4, "outlet": ["X", "X", "Y", "Y"],
        "date": pd.to_datetime(["2025-01-27", "2025-01-27", "2025-02-10", None]), "title": ["t1", "t1", "t2", "t3"],
        "url": ["https://example.org/1", "https://example.org/1", None, None],
        "text": ["The chip war escalated as Washington tightened export controls.",
                 "DeepSeek was a Sputnik moment, investors said.",
                 "Analysts called it a new chip war between rivals.",
                 "The app topped the download charts."],
    })
    frames = fitted_tagger(BOOK).predict(scoped)
    stance = pd.DataFrame({"paragraph_id": ["p1", "p2", "p3", "p4"], "target": ["deepseek"] * 4,
                           "label": ["neutral", "favor", "neutral", "favor"], "score": [0.0, 0.5, 0.0, 0.3], "method": ["lexicon"] * 4})
    return scoped, frames, stance


def test_filters_combine_outlet_frame_dates_and_stance(small):
    scoped, frames, stance = small
    pick = lambda **kw: explore.filter_paragraphs(scoped, frames, stance, **kw)["paragraph_id"].tolist()  # noqa: E731
    assert pick(outlet="Y") == ["p3", "p4"]
    assert pick(frame="sputnik_moment") == ["p2"]
    assert pick(dates=(pd.Timestamp("2025-02-01"), None)) == ["p3"]  # a date range leaves undated paragraphs out
    assert pick(dates=(None, pd.Timestamp("2025-01-27"))) == ["p1", "p2"]  # the last day counts whole
    assert pick(stance_label=("deepseek", "favor"), outlet="Y") == ["p4"]
    assert pick() == ["p1", "p2", "p3", "p4"]
    assert "sputnik_moment" in explore.filter_paragraphs(scoped, frames, stance, outlet="X").set_index("paragraph_id").loc["p2", "frames"]


@pytest.mark.parametrize("typed, kind, value", [
    ("chip war", "phrase", "chip war"),
    ("sanction*", "glob", "sanction*"),
    (r"regex: \bH20\b", "regex", r"\bH20\b"),
    ("{near: [[chips], [ban*]], within: 5}", "near", (("chips",), ("ban*",))),
    ("{phrase: loophole, negatable: true, weight: 2}", "phrase", "loophole"),
])
def test_trial_patterns_are_typed_as_the_codebook_writes_them(typed, kind, value):
    pattern = explore.parse_pattern(typed, BOOK)
    assert (pattern.kind, pattern.value) == (kind, value)


def test_a_broken_trial_pattern_is_explained_like_a_codebook_error():
    assert explore.parse_pattern("   ", BOOK) is None
    with pytest.raises(CodebookError, match="broken regex"):
        explore.parse_pattern("regex: (unclosed", BOOK)


def test_a_pattern_counted_alone_shows_what_it_matches_per_outlet(small):
    scoped, frames, _ = small
    matched, counts = explore.trial(scoped, frames, BOOK, explore.parse_pattern("chip war", BOOK))
    assert matched["paragraph_id"].tolist() == ["p1", "p3"]
    assert [scoped.set_index("paragraph_id").loc[p, "text"][s:e] for p, spans in zip(matched["paragraph_id"], matched["spans"])
            for s, e in spans] == ["chip war", "chip war"]
    assert counts.set_index("outlet").loc["all outlets", ["before", "after", "change"]].tolist() == [0, 2, 2]


def test_a_pattern_added_to_a_frame_shows_how_its_counts_change(small):
    scoped, frames, _ = small
    before = set(frames.loc[frames["frame"] == "market_shock", "paragraph_id"])
    pattern = explore.parse_pattern("{phrase: chip war, weight: 5}", BOOK)
    matched, counts = explore.trial(scoped, frames, BOOK, pattern, frame="market_shock")
    table = counts.set_index("outlet")
    gained = set(matched.loc[matched["gained"], "paragraph_id"])
    assert gained == {"p1", "p3"} - before and gained
    assert table.loc["all outlets", "after"] == len(before | {"p1", "p3"})
    assert (table["change"] == table["after"] - table["before"]).all()
    assert table.loc["all outlets", "before"] == len(before)


def test_the_explorer_notebook_only_wires_widgets_and_runs(seed_paths):
    cells = json.loads((PROJECT_ROOT / "notebooks" / "explorer.ipynb").read_text(encoding="utf-8"))["cells"]
    code = [("".join(c["source"])) for c in cells if c["cell_type"] == "code"]
    namespace: dict = {}
    exec(code[0], namespace)  # the parameters cell
    namespace.update(processed=str(seed_paths.processed), reports=str(seed_paths.reports), codebook=str(seed_paths.codebook))
    for source in code[1:]:
        exec(source, namespace)
    assert "widgets.interactive_output(explorer.view" in "".join(code)
    run = open_run(processed=str(seed_paths.processed), reports=str(seed_paths.reports), codebook=str(seed_paths.codebook))
    explorer = explore.Explorer(run)
    assert explorer.filtered(outlet=None).shape[0] == len(run.scoped)
    assert explorer.outlet_options()[0] == (explore.ANY, None) and len(explorer.date_options()) >= 1
