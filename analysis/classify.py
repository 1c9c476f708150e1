"""Supervised frame tagging: a scikit-learn classifier trained on coded paragraphs.

Features are TF-IDF word n-grams plus the lexicon tagger's per-frame scores, so
the model learns both from the coders' decisions and from the codebook. It has
the lexicon tagger's interface (`fit` / `predict` returning `FRAME_COLUMNS`
rows), so the two are swapped by a parameter; `HybridTagger` averages them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from .codebook import Codebook
from .tag import FRAME_COLUMNS, LexiconTagger, NotFittedError


def pattern_features(paragraphs: pd.DataFrame, tagger: LexiconTagger) -> sparse.csr_matrix:
    """Return a sparse (paragraphs x patterns) 0/1 matrix: which codebook pattern matched where."""
    offsets = np.cumsum([0] + [len(f.patterns) for f in tagger.codebook.frames])
    rows, cols = [], []
    for row, text in enumerate(paragraphs["text"]):
        for hit in tagger.matcher_.hits(text):
            rows.append(row)
            cols.append(offsets[hit.frame] + hit.pattern)
    data = np.ones(len(rows))
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(paragraphs), offsets[-1]))
    matrix.data[:] = 1.0  # repeated hits of one pattern count once
    return matrix


def lexicon_features(paragraphs: pd.DataFrame, tagger: LexiconTagger) -> np.ndarray:
    """Return a (paragraphs x frames) array of lexicon scores divided by each frame's threshold, capped at 2."""
    thresholds = np.array([f.threshold for f in tagger.codebook.frames])
    out = np.zeros((len(paragraphs), len(thresholds)))
    for row, text in enumerate(paragraphs["text"]):
        for frame, (score, _) in tagger.scores(text).items():
            out[row, frame] = min(2.0, score / thresholds[frame])
    return out


class SupervisedTagger:
    """Logistic regression per frame on TF-IDF n-grams and lexicon scores.

    `fit(paragraphs, labels)`: paragraphs with a `text` column; labels a 0/1 DataFrame
    with one column per frame id (rows aligned with paragraphs). `predict` returns one
    row per (paragraph, frame) whose probability reaches `threshold`.
    """

    method = "supervised"

    def __init__(self, codebook: Codebook, *, threshold: float = 0.5, C: float = 4.0, lexicon_weight: float = 1.0, pattern_weight: float = 0.5):
        self.codebook = codebook
        self.threshold = threshold
        self.C = C
        self.lexicon_weight = lexicon_weight
        self.pattern_weight = pattern_weight

    def _features(self, paragraphs: pd.DataFrame, *, fitting: bool = False):
        texts = paragraphs["text"].tolist()
        words = self.vectorizer_.fit_transform(texts) if fitting else self.vectorizer_.transform(texts)
        lexical = sparse.csr_matrix(lexicon_features(paragraphs, self.lexicon_) * self.lexicon_weight)
        patterns = pattern_features(paragraphs, self.lexicon_) * self.pattern_weight
        return sparse.hstack([words, lexical, patterns]).tocsr()

    def fit(self, paragraphs: pd.DataFrame, labels: pd.DataFrame) -> "SupervisedTagger":
        """Learn one classifier per frame from coded paragraphs; return self."""
        ids = self.codebook.frame_ids
        missing = [f for f in ids if f not in labels.columns]
        if missing:
            raise ValueError(f"labels lack column(s) for frame(s): {', '.join(missing)}")
        self.lexicon_ = LexiconTagger(self.codebook).fit()
        self.vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, strip_accents="unicode")
        features = self._features(paragraphs, fitting=True)
        y = labels[ids].to_numpy()
        self.constant_ = {i: int(y[0, i]) for i in range(len(ids)) if y[:, i].min() == y[:, i].max()}
        y_fit = y.copy()
        for i in self.constant_:  # a frame never (or always) coded: keep it learnable, answer the constant
            y_fit[0, i] = 1 - y_fit[0, i]
        base = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, solver="liblinear")
        self.model_ = OneVsRestClassifier(base).fit(features, y_fit)
        return self

    def probabilities(self, paragraphs: pd.DataFrame) -> np.ndarray:
        """Return a (paragraphs x frames) array of frame probabilities."""
        if not hasattr(self, "model_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted: call fit(paragraphs, labels) first")
        if len(paragraphs) == 0:
            return np.zeros((0, len(self.codebook.frames)))
        probs = self.model_.predict_proba(self._features(paragraphs))
        for i, value in self.constant_.items():
            probs[:, i] = float(value)
        return probs

    def predict(self, paragraphs: pd.DataFrame) -> pd.DataFrame:
        """Return `FRAME_COLUMNS` rows for frames whose probability reaches the threshold."""
        return _rows(paragraphs, self.probabilities(paragraphs), self.threshold, self.method, self.codebook, self.lexicon_)


class HybridTagger(SupervisedTagger):
    """The mean of the supervised probability and the lexicon's verdict (1 when the frame's threshold is met)."""

    method = "hybrid"

    def __init__(self, codebook: Codebook, *, threshold: float = 0.5, C: float = 4.0, lexicon_weight: float = 1.0,
                 pattern_weight: float = 0.5, lexicon_share: float = 0.3):
        super().__init__(codebook, threshold=threshold, C=C, lexicon_weight=lexicon_weight, pattern_weight=pattern_weight)
        self.lexicon_share = lexicon_share

    def probabilities(self, paragraphs: pd.DataFrame) -> np.ndarray:
        supervised = super().probabilities(paragraphs)
        lexical = (lexicon_features(paragraphs, self.lexicon_) >= 1.0).astype(float)
        return (1 - self.lexicon_share) * supervised + self.lexicon_share * lexical


def _rows(paragraphs: pd.DataFrame, probs: np.ndarray, threshold: float, method: str, codebook: Codebook, lexicon: LexiconTagger) -> pd.DataFrame:
    ids = codebook.frame_ids
    rows = []
    for (pid, text), p in zip(zip(paragraphs["paragraph_id"], paragraphs["text"]), probs):
        present = np.flatnonzero(p >= threshold)
        if not len(present):
            continue
        scored = lexicon.scores(text)
        for i in present:
            hits = scored.get(i, (0, []))[1]
            frame = codebook.frames[i]
            evidence = "; ".join(f"{frame.patterns[h.pattern].text} => {text[h.start:h.end]}" for h in hits)
            rows.append((pid, ids[i], round(float(p[i]), 4), method, evidence))
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def tagger(codebook: Codebook, method: str = "lexicon"):
    """Return an unfitted tagger for `method`: lexicon, supervised or hybrid."""
    choices = {"lexicon": LexiconTagger, "supervised": SupervisedTagger, "hybrid": HybridTagger}
    if method not in choices:
        raise ValueError(f"unknown frame method {method!r}: choose one of {', '.join(choices)}")
    return choices[method](codebook)
