"""Features for the trained frame taggers: codebook evidence in a paragraph and around it.

Everything here is computed from paragraph texts and the codebook only, never
from labels, so the same functions serve training and prediction. Frames in
news depend on context (a paragraph about chips in an article about export
controls), hence the neighbour, article and headline blocks of `context_features`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .tag import LexiconTagger

CONTEXT_COLUMNS = ("article_id", "position")


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


def has_context(paragraphs: pd.DataFrame) -> bool:
    """Return whether `paragraphs` says where each paragraph sits (article_id and position columns)."""
    return all(c in paragraphs.columns for c in CONTEXT_COLUMNS)


def context_features(paragraphs: pd.DataFrame, lexical: np.ndarray) -> np.ndarray:
    """Return a (paragraphs x 4*frames + 2) array: the lexicon scores around each paragraph.

    Blocks, in order: previous paragraph, next paragraph (same article, by position),
    the article's mean, the article's headline (role "headline"), then relative position
    (0 first .. 1 last) and a headline/standfirst/caption flag. `lexical` is
    `lexicon_features` of the same rows. Without article_id and position every
    context column is 0, so a bare table of texts still works.
    """
    n, k = lexical.shape
    out = np.zeros((n, 4 * k + 2))
    if not has_context(paragraphs) or n == 0:
        return out
    table = pd.DataFrame({"article": paragraphs["article_id"].to_numpy(), "position": paragraphs["position"].to_numpy(),
                          "row": np.arange(n)})
    roles = paragraphs["role"].to_numpy() if "role" in paragraphs.columns else np.full(n, "body", dtype=object)
    for _, article in table.sort_values(["article", "position"], kind="stable").groupby("article", sort=False):
        rows = article["row"].to_numpy()
        scores = lexical[rows]
        out[rows[1:], 0:k] = scores[:-1]
        out[rows[:-1], k:2 * k] = scores[1:]
        out[rows, 2 * k:3 * k] = scores.mean(axis=0)
        heads = rows[roles[rows] == "headline"]
        if len(heads):
            out[rows, 3 * k:4 * k] = lexical[heads].max(axis=0)
        out[rows, 4 * k] = np.arange(len(rows)) / max(1, len(rows) - 1)
    out[:, 4 * k + 1] = np.isin(roles, ["headline", "standfirst", "caption"])
    return out
