"""Supervised stance: a classifier trained on coded paragraphs, with the lexicon method's interface.

Features: TF-IDF n-grams of the sentences about the target (the whole paragraph
when none names it) plus the lexicon method's signals (its score, VADER's
compound, cue counts). Trained per target on coded labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .classify import lexicon_features
from .codebook import Codebook
from .stance import STANCE_COLUMNS, LexiconStance, vader
from .tag import fitted_tagger


class SupervisedStance:
    """Logistic regression over target sentences and lexicon signals, for one stance target."""

    method = "supervised"

    def __init__(self, codebook: Codebook, target: str, *, C: float = 2.0, signal_weight: float = 1.0, frame_weight: float = 1.0):
        self.codebook = codebook
        self.target = codebook.target(target)
        self.C = C
        self.signal_weight = signal_weight
        self.frame_weight = frame_weight

    def _signals(self, texts: list[str]) -> tuple[list[str], np.ndarray]:
        focus, signals = [], []
        for text in texts:
            chosen = self.lexicon_.target_sentences(text)
            joined = " ".join(chosen) if chosen else text
            focus.append(joined)
            _, score, _ = self.lexicon_.label_of(text)
            signals.append([score, vader().compound(joined), len(self.lexicon_.positive_.findall(joined)),
                            -len(self.lexicon_.negative_.findall(joined)), float(bool(chosen))])
        return focus, np.asarray(signals, dtype=float)

    def _features(self, paragraphs: pd.DataFrame, *, fitting: bool = False):
        focus, signals = self._signals(paragraphs["text"].tolist())
        words = self.vectorizer_.fit_transform(focus) if fitting else self.vectorizer_.transform(focus)
        frames = lexicon_features(paragraphs, self.frames_)  # which frames the paragraph uses, per the codebook
        return sparse.hstack([words, sparse.csr_matrix(signals * self.signal_weight), sparse.csr_matrix(frames * self.frame_weight)]).tocsr()

    def fit(self, paragraphs: pd.DataFrame, labels: pd.Series) -> "SupervisedStance":
        """Learn from paragraphs (column `text`) and their coded labels (aligned); return self."""
        unknown = set(labels) - set(self.target.labels)
        if unknown:
            raise ValueError(f"labels {sorted(unknown)} are not labels of target {self.target.id!r} {list(self.target.labels)}")
        self.lexicon_ = LexiconStance(self.target).fit()
        self.frames_ = fitted_tagger(self.codebook)
        self.vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, strip_accents="unicode")
        features = self._features(paragraphs, fitting=True)
        self.classes_ = sorted(set(labels))
        if len(self.classes_) == 1:
            self.model_ = None
        else:
            self.model_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000).fit(features, labels.to_numpy())
        return self

    def predict(self, paragraphs: pd.DataFrame) -> pd.DataFrame:
        """Return one row per paragraph (`STANCE_COLUMNS`); score is P(first label) - P(second label)."""
        if not hasattr(self, "model_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit(paragraphs, labels) first")
        if len(paragraphs) == 0:
            return pd.DataFrame(columns=STANCE_COLUMNS)
        positive, negative = self.target.labels[0], self.target.labels[1]
        if self.model_ is None:
            labels = [self.classes_[0]] * len(paragraphs)
            scores = [0.0] * len(paragraphs)
        else:
            probs = self.model_.predict_proba(self._features(paragraphs))
            classes = list(self.model_.classes_)
            labels = [classes[i] for i in probs.argmax(axis=1)]
            column = {c: probs[:, i] for i, c in enumerate(classes)}
            zero = np.zeros(len(paragraphs))
            scores = np.round(column.get(positive, zero) - column.get(negative, zero), 4)
        evidence = [" | ".join(self.lexicon_.target_sentences(t)) for t in paragraphs["text"]]
        return pd.DataFrame({"paragraph_id": paragraphs["paragraph_id"].to_numpy(), "target": self.target.id, "label": labels,
                             "score": scores, "method": self.method, "evidence": evidence})[STANCE_COLUMNS]


def stance_model(codebook: Codebook, target: str, method: str = "lexicon"):
    """Return an unfitted stance model for `target`: lexicon or supervised."""
    spec = codebook.target(target)
    if method == "lexicon":
        if spec.frame:  # scoped to a frame (export controls): cue words alone decide
            return LexiconStance(spec, threshold=0.01, sentiment_weight=0.0, cue_weight=1.0)
        return LexiconStance(spec, codebook=codebook)
    if method == "supervised":
        return SupervisedStance(codebook, target)
    raise ValueError(f"unknown stance method {method!r}: choose lexicon or supervised")
