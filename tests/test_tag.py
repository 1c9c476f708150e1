"""analysis/tag.py: the lexicon tagger's scikit-learn interface, scores, thresholds and evidence."""

import pandas as pd
import pytest

from analysis.codebook import parse
from analysis.engine_frames import BatchMatcher
from analysis.tag import FRAME_COLUMNS, LexiconTagger, NotFittedError, spans

CODEBOOK = parse({
    "frames": [
        {"id": "export_controls", "label": "Export controls", "description": "US chip restrictions.", "threshold": 2,
         "patterns": [{"phrase": "export controls", "weight": 2}, "chips", {"glob": "ban*"},
                      {"phrase": "effective", "negatable": True}]},
        {"id": "open_source", "label": "Open source", "description": "Openness.",
         "patterns": ["open-source", {"phrase": "open", "weight": 0.5}, {"phrase": "share", "inflect": True, "weight": 0.5}],
         "exclude": ["OpenAI"]},
    ],
}, source="tag-test.yaml")


def paragraphs(*texts) -> pd.DataFrame:
    return pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(texts))], "text": list(texts)})


def predicted(*texts) -> list[tuple]:
    frame = LexiconTagger(CODEBOOK).fit().predict(paragraphs(*texts))
    return [tuple(row) for row in frame.itertuples(index=False)]


def test_fit_returns_the_tagger_and_init_only_stores_arguments():
    tagger = LexiconTagger(CODEBOOK)
    assert tagger.codebook is CODEBOOK
    assert not hasattr(tagger, "matcher_")
    assert tagger.fit() is tagger
    assert hasattr(tagger, "matcher_")


def test_few_paragraphs_are_tagged_one_by_one_without_compiling_the_batch_engine_and_give_its_rows(monkeypatch):
    from analysis import tag

    compiled = []
    monkeypatch.setattr(tag, "BatchMatcher", lambda matcher: compiled.append(matcher) or BatchMatcher(matcher))
    table = paragraphs("export controls on chips, a ban", "open-source, not OpenAI", "nothing", "not effective export controls")
    few = LexiconTagger(CODEBOOK).fit().predict(table)
    assert compiled == [] and len(few) == 3
    batch = LexiconTagger(CODEBOOK, batch_from=len(table)).fit()
    pd.testing.assert_frame_equal(batch.predict(table), few)
    assert len(compiled) == 1
    pd.testing.assert_frame_equal(batch.predict(table.iloc[:1]), few.iloc[:1])  # compiled once: used for any size now
    assert len(compiled) == 1 and batch.batch_ is batch.batch_


def test_predict_before_fit_raises_not_fitted_error():
    with pytest.raises(NotFittedError, match="not fitted: call fit"):
        LexiconTagger(CODEBOOK).predict(paragraphs("export controls"))


def test_scores_before_fit_raises_not_fitted_error():
    with pytest.raises(NotFittedError):
        LexiconTagger(CODEBOOK).scores("export controls")


def test_the_batch_engine_before_fit_raises_not_fitted_error():
    with pytest.raises(NotFittedError):
        LexiconTagger(CODEBOOK).batch_


def test_predict_returns_the_frame_columns():
    frame = LexiconTagger(CODEBOOK).fit().predict(paragraphs("export controls", "nothing"))
    assert list(frame.columns) == FRAME_COLUMNS == ["paragraph_id", "frame", "score", "method", "evidence"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("New export controls.", [("p0", "export_controls", 2.0, "lexicon", "export controls => export controls")]),
        ("A ban on chips.", [("p0", "export_controls", 2.0, "lexicon", "ban* => ban; chips => chips")]),
        ("Chips, chips and more chips.", []),  # one pattern repeated: weight 1 < threshold 2
        ("Bans and bans.", []),
        ("Export controls on chips.", [("p0", "export_controls", 3.0, "lexicon",
                                        "export controls => Export controls; chips => chips")]),
        ("It is open.", []),  # 0.5 < 1
        ("It is open, and they share.", [("p0", "open_source", 1.0, "lexicon", "open => open; share => share")]),
        ("They shared an open model.", [("p0", "open_source", 1.0, "lexicon", "share => shared; open => open")]),
        ("The open-source model.", [("p0", "open_source", 1.0, "lexicon", "open-source => open-source")]),
        ("Nothing relevant here.", []),
    ],
    ids=["weight-reaches-threshold", "weights-add-over-patterns", "repeats-count-once", "glob-repeats-count-once",
         "score-above-threshold", "below-threshold", "half-weights-add", "inflected", "single-pattern", "no-match"],
)
def test_frame_is_present_when_distinct_pattern_weights_reach_the_threshold(text, expected):
    assert predicted(text) == expected


def test_repeated_matches_are_all_evidence_but_score_once():
    assert predicted("Chips ban, chips ban.") == [
        ("p0", "export_controls", 2.0, "lexicon", "chips => Chips; ban* => ban; chips => chips; ban* => ban")]


def test_excluded_matches_do_not_score():
    assert predicted("OpenAI will share it.") == []
    assert predicted("OpenAI is open and will share it.") == [
        ("p0", "open_source", 1.0, "lexicon", "open => open; share => share")]


def test_negated_matches_do_not_score():
    assert predicted("Chips controls are not effective.") == []
    assert predicted("Chips controls are effective.") == [
        ("p0", "export_controls", 2.0, "lexicon", "chips => Chips; effective => effective")]


def test_one_paragraph_can_carry_several_frames():
    assert predicted("A ban on chips for the open-source model.") == [
        ("p0", "export_controls", 2.0, "lexicon", "ban* => ban; chips => chips"),
        ("p0", "open_source", 1.0, "lexicon", "open-source => open-source"),
    ]


def test_rows_keep_paragraph_ids():
    frame = LexiconTagger(CODEBOOK).fit().predict(pd.DataFrame(
        {"paragraph_id": ["a1-p0003", "a1-p0007"], "text": ["export controls", "open-source"]}, index=[10, 20]))
    assert list(zip(frame["paragraph_id"], frame["frame"])) == [("a1-p0003", "export_controls"), ("a1-p0007", "open_source")]


def test_empty_paragraph_table_gives_an_empty_frame_table():
    frame = LexiconTagger(CODEBOOK).fit().predict(paragraphs())
    assert frame.empty and list(frame.columns) == FRAME_COLUMNS


def test_evidence_holds_the_matched_text_as_written():
    ((_, _, _, _, evidence),) = predicted("Washington’s EXPORT-CONTROLS bite.")
    assert evidence == "export controls => EXPORT-CONTROLS"


def test_near_evidence_names_the_rule_and_the_span():
    codebook = parse({"frames": [{"id": "f", "label": "F", "description": "d",
                                  "patterns": [{"near": [["chips"], ["ban*"]], "within": 3}]}]})
    frame = LexiconTagger(codebook).fit().predict(paragraphs("A ban on Nvidia chips."))
    assert frame.to_dict("records") == [{"paragraph_id": "p0", "frame": "f", "score": 1.0, "method": "lexicon",
                                         "evidence": "chips ~3~ ban* => ban on Nvidia chips"}]


@pytest.mark.parametrize(
    ("text", "frame", "expected"),
    [
        ("A ban on chips", None, [(2, 5, "export_controls"), (9, 14, "export_controls")]),
        ("A ban on open-source chips", None, [(2, 5, "export_controls"), (21, 26, "export_controls"), (9, 20, "open_source")]),
        ("A ban on open-source chips", "open_source", [(9, 20, "open_source")]),
        ("A ban on open-source chips", "market_shock", []),
        ("OpenAI", None, []),
    ],
    ids=["one-frame", "two-frames", "filtered", "unknown-frame", "excluded"],
)
def test_spans_give_offsets_of_counting_matches(text, frame, expected):
    assert spans(text, CODEBOOK, frame=frame) == expected

