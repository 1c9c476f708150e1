"""The supervised and hybrid taggers share the lexicon tagger's interface and learn from codings."""

from __future__ import annotations

import numpy as np
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


def _articles(second_paragraphs: list[tuple[str, int]]) -> pd.DataFrame:
    """Two-paragraph articles: a lead paragraph then `text`; the label goes to the second paragraph."""
    rows = []
    for n, (lead, _) in enumerate(second_paragraphs):
        rows.append({"paragraph_id": f"a{n}-p0", "article_id": f"a{n}", "position": 0, "role": "body", "text": lead})
        rows.append({"paragraph_id": f"a{n}-p1", "article_id": f"a{n}", "position": 1, "role": "body",
                     "text": f"The company said it would respond in due course, note {n}."})
    return pd.DataFrame(rows)


def _context_corpus():
    market = "Nvidia shares plunged on Wall Street as investors sold tech stocks and the Nasdaq fell."
    weather = "The weather in Hangzhou was mild and sunny."
    leads = [(market, 1)] * 15 + [(weather, 0)] * 15
    paragraphs = _articles(leads)
    labels = pd.DataFrame(0, index=paragraphs.index, columns=BOOK.frame_ids)
    labels.loc[paragraphs["paragraph_id"].str.startswith(tuple(f"a{n}-" for n in range(15))), "market_shock"] = 1
    return paragraphs, labels, market, weather


def test_context_of_neighbouring_paragraphs_changes_the_prediction():
    paragraphs, labels, market, weather = _context_corpus()
    new = _articles([(market, 1), (weather, 0)]).replace({"article_id": {"a0": "x0", "a1": "x1"}})
    shock = BOOK.frame_ids.index("market_shock")
    # embeddings off: the two second paragraphs differ in a digit, which their embeddings see
    with_context = classify.SupervisedTagger(BOOK, context_weight=1.0, embedding_share=0).fit(paragraphs, labels)
    probs = with_context.probabilities(new)[:, shock]
    assert probs[1] > 0.5 > probs[3]  # the same sentence, after a market paragraph or a weather one
    out = with_context.predict(new)
    assert ("a0-p1", "market_shock") in set(zip(out["paragraph_id"], out["frame"]))
    assert ("a1-p1", "market_shock") not in set(zip(out["paragraph_id"], out["frame"]))
    blind = classify.SupervisedTagger(BOOK, context_weight=0, embedding_share=0).fit(paragraphs, labels).probabilities(new)[:, shock]
    assert blind[1] == pytest.approx(blind[3])  # without context the two are indistinguishable


def test_tagger_trained_with_context_still_tags_a_bare_table_of_texts():
    paragraphs, labels, market, _ = _context_corpus()
    model = classify.SupervisedTagger(BOOK).fit(paragraphs, labels)
    bare = pd.DataFrame({"paragraph_id": ["n1"], "text": [market]})
    out = model.predict(bare)
    assert list(out.columns) == FRAME_COLUMNS and set(out["frame"]) == {"market_shock"}


@pytest.mark.parametrize("truth, scores, expected", [
    ([1, 1, 0, 0], [0.9, 0.3, 0.2, 0.1], 0.3),    # 0.3 must be in, 0.2 out: the threshold nearest 0.5 that does it
    ([1, 0, 0, 0], [0.9, 0.7, 0.6, 0.1], 0.75),   # false positives at 0.6 and 0.7 are cut
    ([0, 0, 0, 0], [0.9, 0.7, 0.6, 0.1], 0.5),    # no positive: keep the default
])
def test_best_thresholds_maximise_f1_and_prefer_the_default_on_ties(truth, scores, expected):
    found = classify.best_thresholds(np.array([truth]).T, np.array([scores]).T)
    assert found.tolist() == [expected]


def test_learnt_thresholds_come_from_the_training_paragraphs_only(monkeypatch):
    paragraphs, labels = _training()
    paragraphs = paragraphs.assign(source_file=[f"f{i % 8}" for i in range(len(paragraphs))])
    seen = []
    original = classify.best_thresholds

    def spying(truth, scores, **options):
        seen.append(len(truth))
        return original(truth, scores, **options)

    monkeypatch.setattr(classify, "best_thresholds", spying)
    model = classify.SupervisedTagger(BOOK, threshold=None).fit(paragraphs, labels)
    assert seen == [len(paragraphs)]  # out-of-fold scores of the training rows, nothing else
    before = model.thresholds_.copy()
    out = model.predict(pd.DataFrame({"paragraph_id": ["n1"], "text": ["Tech stocks tumbled on Wall Street."]}))
    assert (model.thresholds_ == before).all() and set(before) <= set(classify.THRESHOLD_GRID) | {0.5}
    assert set(out["frame"]) == {"market_shock"}


def test_fixed_threshold_applies_to_every_frame():
    paragraphs, labels = _training()
    model = classify.SupervisedTagger(BOOK, threshold=0.7).fit(paragraphs, labels)
    assert model.thresholds_.tolist() == [0.7] * len(BOOK.frames)


def test_word_features_are_stems_so_inflected_forms_share_evidence():
    assert classify.StemBigrams()("Innovative innovations, Café!") == ["innov", "innov", "cafe", "innov innov", "innov cafe"]
    paragraphs, labels = _training()
    model = classify.tagger(BOOK, "supervised").fit(paragraphs, labels)
    vocabulary = model.vectorizer_.vocabulary_
    assert {"plung", "investor", "rais privaci"} <= set(vocabulary) and "plunged" not in vocabulary


def test_embedding_vote_recognises_a_frame_put_in_words_no_training_paragraph_used():
    texts = ([f"The weather in Hangzhou was mild on day {n}." for n in range(20)]
             + [f"The board of directors will meet on day {n} to approve the budget." for n in range(20)])
    paragraphs = pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(texts))], "text": texts})
    labels = pd.DataFrame(0, index=paragraphs.index, columns=BOOK.frame_ids)
    labels.loc[:19, "cost_efficiency"] = 1  # an arbitrary frame for the weather: no codebook term helps
    unseen = pd.DataFrame({"paragraph_id": ["n1", "n2"], "text": ["Clear skies and gentle temperatures greeted residents.",
                                                                  "Company executives gather next week, signing off spending plans."]})
    frame = BOOK.frame_ids.index("cost_efficiency")
    words_only, embeddings_only, voting = (
        classify.SupervisedTagger(BOOK, embedding_share=share).fit(paragraphs, labels).probabilities(unseen)[:, frame]
        for share in (0, 1, 0.5))
    assert embeddings_only[0] > 0.5 > embeddings_only[1]
    assert embeddings_only[0] - embeddings_only[1] > 2 * abs(words_only[0] - words_only[1])
    assert voting == pytest.approx((words_only + embeddings_only) / 2)


def test_without_embedding_share_no_embedding_is_computed(monkeypatch):
    def refuse(texts, **options):
        raise AssertionError("embeddings computed")

    monkeypatch.setattr(classify, "paragraph_embeddings", refuse)
    paragraphs, labels = _training()
    model = classify.SupervisedTagger(BOOK, embedding_share=0).fit(paragraphs, labels)
    assert len(model.predict(paragraphs.head(3))) >= 1


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_embedding_share_outside_zero_to_one_is_refused(share):
    with pytest.raises(ValueError, match="embedding_share must lie between 0 and 1"):
        classify.SupervisedTagger(BOOK, embedding_share=share)
