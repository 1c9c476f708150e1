"""Supervised frame tagging: a scikit-learn classifier trained on coded paragraphs.

Features are TF-IDF n-grams of word stems (NLTK's Snowball stemmer, which needs
no data: "innovation" and "innovative" count as one word, which matters with a
few hundred coded paragraphs), the lexicon tagger's per-frame scores and
pattern hits, and the same lexicon scores around the paragraph (neighbours,
article, headline; see `frame_features`), so the model learns both from the
coders' decisions and from the codebook. A second logistic regression reads the
paragraph's sentence embedding (`embeddings`), which recognises a frame put in
words neither the codebook nor the coded articles used; the two models' probabilities
are averaged (soft voting, equal weights by default). Decision thresholds are 0.5 or, on
request, learnt per frame by an inner cross-validation grouped by article on the
training data only. It has the lexicon tagger's interface (`fit` / `predict` returning
`FRAME_COLUMNS` rows), so the two are swapped by a parameter; `HybridTagger`
mixes the supervised probability with the lexicon's verdict.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold
from sklearn.multiclass import OneVsRestClassifier

from .codebook import Codebook
from .embeddings import paragraph_embeddings
from .frame_features import codebook_features, context_features, lexicon_features, pattern_features
from .tag import FRAME_COLUMNS, LexiconTagger, NotFittedError, fitted_tagger

__all__ = ["SupervisedTagger", "HybridTagger", "tagger", "lexicon_features", "pattern_features", "best_thresholds"]

THRESHOLD_GRID = np.round(np.arange(0.15, 0.86, 0.05), 2)


class StemBigrams:
    """Text analyzer: the Snowball stems of a text's words (scikit-learn's default tokens) and their bigrams."""

    _TOKEN = re.compile(r"(?u)\b\w\w+\b")

    def __init__(self):
        self._stemmer = SnowballStemmer("english")
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """Return the Snowball stem of a lower-cased word (remembered: a corpus repeats its words)."""
        found = self._stems.get(word)
        if found is None:
            found = self._stems[word] = self._stemmer.stem(word)
        return found

    def __call__(self, text: str) -> list[str]:
        stems = [self.stem(word) for word in self._TOKEN.findall(strip_accents_unicode(text.lower()))]
        return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:])]


def best_thresholds(truth: np.ndarray, scores: np.ndarray, *, default: float = 0.5) -> np.ndarray:
    """Return, per column, the threshold from `THRESHOLD_GRID` that maximises F1 of `scores >= t` against `truth`.

    Ties go to the threshold nearest `default`; a column with no positive in `truth` keeps `default`.
    """
    out = np.full(truth.shape[1], default)
    order = np.argsort(np.abs(THRESHOLD_GRID - default), kind="stable")
    for j in range(truth.shape[1]):
        y = truth[:, j].astype(bool)
        if not y.any():
            continue
        f1 = [2 * (y & (scores[:, j] >= t)).sum() / (y.sum() + (scores[:, j] >= t).sum()) for t in THRESHOLD_GRID[order]]
        out[j] = THRESHOLD_GRID[order][int(np.argmax(f1))]
    return out


def _groups(paragraphs: pd.DataFrame) -> np.ndarray | None:
    """Return the article of each paragraph (for grouped inner folds), or None when unknown."""
    for column in ("source_file", "article_id"):
        if column in paragraphs.columns:
            return paragraphs[column].astype(str).to_numpy()
    return None


class SupervisedTagger:
    """Logistic regression per frame on TF-IDF n-grams, lexicon scores, pattern hits and context, voting with one on embeddings.

    `fit(paragraphs, labels)`: paragraphs with a `text` column (and, when present,
    article_id, position and role for the context features; source_file or article_id
    group the inner folds); labels a 0/1 DataFrame with one column per frame id (rows
    aligned with paragraphs). `predict` returns one row per (paragraph, frame) whose
    probability reaches that frame's threshold: `threshold` for every frame, or with
    `threshold=None` one per frame learnt by inner grouped cross-validation on the
    training paragraphs (`inner_folds`). The defaults (fixed 0.5, context_weight 0.2)
    were chosen by cross-validation grouped by article on codebook-development articles.
    `embedding_share` is the embedding model's share of the vote (0: no embeddings); its default, equal
    votes, and that model's settings (scikit-learn's defaults, balanced classes) were fixed, not tuned.
    """

    method = "supervised"

    def __init__(self, codebook: Codebook, *, threshold: float | None = 0.5, C: float = 4.0, lexicon_weight: float = 1.0,
                 pattern_weight: float = 0.5, context_weight: float = 0.2, inner_folds: int = 4,
                 embedding_share: float = 0.5):
        if not 0 <= embedding_share <= 1:
            raise ValueError(f"embedding_share must lie between 0 and 1, not {embedding_share!r}")
        self.codebook = codebook
        self.threshold = threshold
        self.C = C
        self.lexicon_weight = lexicon_weight
        self.pattern_weight = pattern_weight
        self.context_weight = context_weight
        self.inner_folds = inner_folds
        self.embedding_share = embedding_share

    def _vectorizer(self) -> TfidfVectorizer:
        """Return the unfitted vectorizer of stem unigrams and bigrams."""
        return TfidfVectorizer(analyzer=StemBigrams(), min_df=2, sublinear_tf=True)

    def _features(self, paragraphs: pd.DataFrame, *, fitting: bool = False) -> tuple[sparse.csr_matrix, np.ndarray | None, np.ndarray]:
        """Return the word-and-codebook feature matrix, the embeddings (None when unused) and the
        paragraphs' own lexicon scores (the hybrid reuses them)."""
        texts = paragraphs["text"].tolist()
        words = self.vectorizer_.fit_transform(texts) if fitting else self.vectorizer_.transform(texts)
        lexical, patterns = codebook_features(paragraphs, self.lexicon_)
        blocks = [words, sparse.csr_matrix(lexical * self.lexicon_weight), patterns * self.pattern_weight]
        if self.context_weight:
            blocks.append(sparse.csr_matrix(context_features(paragraphs, lexical) * self.context_weight))
        embedded = paragraph_embeddings(texts) if self.embedding_share else None
        return sparse.hstack(blocks).tocsr(), embedded, lexical

    def _model(self, features: sparse.csr_matrix, embedded: np.ndarray | None, y: np.ndarray) -> list[OneVsRestClassifier]:
        """Return the fitted voters: one logistic regression per column of `y` on the features, and one on the
        embeddings when they are used (constant columns made learnable)."""
        y = y.copy()
        for i in np.flatnonzero(y.min(axis=0) == y.max(axis=0)):  # a frame never (or always) coded
            y[0, i] = 1 - y[0, i]
        base = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, solver="liblinear")
        voters = [OneVsRestClassifier(base).fit(features, y)]
        if embedded is not None:
            voters.append(OneVsRestClassifier(LogisticRegression(class_weight="balanced", max_iter=3000)).fit(embedded, y))
        return voters

    def _vote(self, voters: list[OneVsRestClassifier], features: sparse.csr_matrix, embedded: np.ndarray | None) -> np.ndarray:
        """Return the voters' probabilities, averaged with the embedding model's share."""
        probs = voters[0].predict_proba(features)
        if len(voters) > 1:
            probs = (1 - self.embedding_share) * probs + self.embedding_share * voters[1].predict_proba(embedded)
        return probs

    def _blend(self, probs: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        """Return the scores thresholds apply to: here the supervised probabilities themselves."""
        return probs

    def _inner_scores(self, features: sparse.csr_matrix, embedded: np.ndarray | None, lexical: np.ndarray, y: np.ndarray,
                      groups: np.ndarray | None) -> np.ndarray:
        """Return out-of-fold scores on the training rows (folds grouped by article when known)."""
        if groups is not None and len(set(groups)) >= 2:
            splits = GroupKFold(n_splits=min(self.inner_folds, len(set(groups)))).split(features, groups=groups)
        else:
            splits = KFold(n_splits=min(self.inner_folds, len(y)), shuffle=True, random_state=0).split(features)
        scores = np.zeros(y.shape)
        for train, test in splits:
            inner, outer = (None, None) if embedded is None else (embedded[train], embedded[test])
            voters = self._model(features[train], inner, y[train])
            scores[test] = self._blend(self._vote(voters, features[test], outer), lexical[test])
        return scores

    def fit(self, paragraphs: pd.DataFrame, labels: pd.DataFrame) -> "SupervisedTagger":
        """Learn one classifier and one decision threshold per frame from coded paragraphs; return self."""
        ids = self.codebook.frame_ids
        missing = [f for f in ids if f not in labels.columns]
        if missing:
            raise ValueError(f"labels lack column(s) for frame(s): {', '.join(missing)}")
        self.lexicon_ = fitted_tagger(self.codebook)
        self.vectorizer_ = self._vectorizer()
        features, embedded, lexical = self._features(paragraphs, fitting=True)
        y = labels[ids].to_numpy()
        self.constant_ = {i: int(y[0, i]) for i in range(len(ids)) if y[:, i].min() == y[:, i].max()}
        self.model_ = self._model(features, embedded, y)
        if self.threshold is not None or len(y) < 2 * self.inner_folds:
            self.thresholds_ = np.full(len(ids), 0.5 if self.threshold is None else self.threshold)
        else:
            self.thresholds_ = best_thresholds(y, self._inner_scores(features, embedded, lexical, y, _groups(paragraphs)))
        return self

    def probabilities(self, paragraphs: pd.DataFrame) -> np.ndarray:
        """Return a (paragraphs x frames) array of frame scores (probabilities for the supervised tagger)."""
        if not hasattr(self, "model_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted: call fit(paragraphs, labels) first")
        if len(paragraphs) == 0:
            return np.zeros((0, len(self.codebook.frames)))
        features, embedded, lexical = self._features(paragraphs)
        probs = self._blend(self._vote(self.model_, features, embedded), lexical)
        for i, value in self.constant_.items():
            probs[:, i] = float(value)
        return probs

    def predict(self, paragraphs: pd.DataFrame) -> pd.DataFrame:
        """Return `FRAME_COLUMNS` rows for frames whose score reaches the frame's threshold (`thresholds_`)."""
        return _rows(paragraphs, self.probabilities(paragraphs), self.thresholds_, self.method, self.codebook, self.lexicon_)


class HybridTagger(SupervisedTagger):
    """A weighted mean of the supervised probability and the lexicon's verdict (1 when the frame's threshold is met)."""

    method = "hybrid"

    def __init__(self, codebook: Codebook, *, threshold: float | None = 0.5, C: float = 4.0, lexicon_weight: float = 1.0,
                 pattern_weight: float = 0.5, context_weight: float = 0.2, inner_folds: int = 4, embedding_share: float = 0.5,
                 lexicon_share: float = 0.3):
        super().__init__(codebook, threshold=threshold, C=C, lexicon_weight=lexicon_weight, pattern_weight=pattern_weight,
                         context_weight=context_weight, inner_folds=inner_folds, embedding_share=embedding_share)
        self.lexicon_share = lexicon_share

    def _blend(self, probs: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        return (1 - self.lexicon_share) * probs + self.lexicon_share * (lexical >= 1.0)


def _rows(paragraphs: pd.DataFrame, probs: np.ndarray, thresholds: np.ndarray, method: str, codebook: Codebook,
          lexicon: LexiconTagger) -> pd.DataFrame:
    """Return `FRAME_COLUMNS` rows of the frames whose score reaches its threshold, with the lexicon's evidence for them."""
    ids = codebook.frame_ids
    present = probs >= thresholds
    chosen = np.flatnonzero(present.any(axis=1))
    texts = paragraphs["text"].tolist()
    evidence = lexicon.batch_.evidence([texts[k] for k in chosen.tolist()])
    pids = paragraphs["paragraph_id"].tolist()
    rows = [(pids[k], ids[i], round(float(probs[k, i]), 4), method, evidence.get((n, i), ""))
            for n, k in enumerate(chosen.tolist()) for i in np.flatnonzero(present[k]).tolist()]
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def tagger(codebook: Codebook, method: str = "lexicon", **options):
    """Return an unfitted tagger for `method`: lexicon, supervised or hybrid (`options` go to the trained ones)."""
    choices = {"lexicon": LexiconTagger, "supervised": SupervisedTagger, "hybrid": HybridTagger}
    if method not in choices:
        raise ValueError(f"unknown frame method {method!r}: choose one of {', '.join(choices)}")
    return choices[method](codebook, **options)
