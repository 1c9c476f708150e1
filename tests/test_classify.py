"""The supervised and hybrid taggers share the lexicon tagger's interface and learn from codings."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import classify, codebook
from analysis.paths import DEFAULT_CODEBOOK
from analysis.tag import FRAME_COLUMNS, NotFittedError

BOOK = codebook.load(DEFAULT_CODEBOOK)


def _training():
    texts = ([f"Nvidia shares plunged {n}% on Wall Street as investors sold tech stocks." for n in range(10, 30)]
             + [f"DeepSeek stores user data on servers in China, raising privacy concerns number {n}." for n in range(20)]
             + [f"The weather in Hangzhou was mild on day {n}." for n in range(20)])
    paragraphs = pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(texts))], "text": texts})
    labels = pd.DataFrame(0, index=paragraphs.index, columns=BOOK.frame_ids)
    labels.loc[:19, "market_shock"] = 1
    labels.loc[20:39, "security_risk"] = 1
    return paragraphs, labels


@pytest.mark.parametrize("method", ["supervised", "hybrid"])
def test_trained_taggers_learn_and_predict_with_the_lexicon_interface(method):
    paragraphs, labels = _training()
    model = classify.tagger(BOOK, method).fit(paragraphs, labels)
    new = pd.DataFrame({"paragraph_id": ["n1", "n2", "n3"],
                        "text": ["Tech stocks tumbled on Wall Street as investors panicked.",
                                 "Regulators fear DeepSeek sends user data to China.",
                                 "It rained in Hangzhou."]})
    out = model.predict(new)
    assert list(out.columns) == FRAME_COLUMNS and set(out["method"]) == {method}
    assert set(zip(out["paragraph_id"], out["frame"])) == {("n1", "market_shock"), ("n2", "security_risk")}
    assert out["score"].between(0, 1).all()


def test_predict_before_fit_fails_clearly():
    with pytest.raises(NotFittedError, match="not fitted"):
        classify.SupervisedTagger(BOOK).predict(pd.DataFrame({"paragraph_id": ["p"], "text": ["x"]}))


def test_labels_must_cover_every_frame():
    paragraphs, labels = _training()
    with pytest.raises(ValueError, match="labels lack column"):
        classify.SupervisedTagger(BOOK).fit(paragraphs, labels.drop(columns="ip_distillation"))


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown frame method 'bert'"):
        classify.tagger(BOOK, "bert")


def test_lexicon_features_are_scores_over_thresholds():
    paragraphs = pd.DataFrame({"paragraph_id": ["p"], "text": ["A Sputnik moment and a wake-up call for Silicon Valley."]})
    from analysis.tag import LexiconTagger

    features = classify.lexicon_features(paragraphs, LexiconTagger(BOOK).fit())
    assert features.shape == (1, len(BOOK.frames))
    assert features[0, BOOK.frame_ids.index("sputnik_moment")] >= 1.0
