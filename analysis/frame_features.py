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


def _distinct_hits(paragraphs: pd.DataFrame, tagger: LexiconTagger) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (paragraph row, frame, pattern) of each distinct pattern matched in each paragraph, sorted.

    The hits come from the batch engine (`BatchMatcher.hit_table`, equal to `Matcher.hits` paragraph by paragraph).
    """
    table = tagger.batch_.hit_table(paragraphs["text"].tolist())
    width = max(len(f.patterns) for f in tagger.codebook.frames) + 1
    keys = np.unique((table["para"] * len(tagger.codebook.frames) + table["frame"]) * width + table["pattern"])
    return keys // width // len(tagger.codebook.frames), keys // width % len(tagger.codebook.frames), keys % width


def codebook_features(paragraphs: pd.DataFrame, tagger: LexiconTagger) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Return (`lexicon_features`, `pattern_features`) of `paragraphs` from one run of the batch engine."""
    frames = tagger.codebook.frames
    offsets = np.cumsum([0] + [len(f.patterns) for f in frames])
    rows, frame, pattern = _distinct_hits(paragraphs, tagger)
    patterns = sparse.csr_matrix((np.ones(rows.size), (rows, offsets[frame] + pattern)), shape=(len(paragraphs), offsets[-1]))
    weights = np.array([p.weight for f in frames for p in f.patterns], dtype=float)
    scores = np.zeros((len(paragraphs), len(frames)))
    np.add.at(scores, (rows, frame), weights[offsets[frame] + pattern])  # in pattern order, as the per-text sum
    return np.minimum(2.0, scores / np.array([f.threshold for f in frames])), patterns


def pattern_features(paragraphs: pd.DataFrame, tagger: LexiconTagger) -> sparse.csr_matrix:
    """Return a sparse (paragraphs x patterns) 0/1 matrix: which codebook pattern matched where."""
    return codebook_features(paragraphs, tagger)[1]


def lexicon_features(paragraphs: pd.DataFrame, tagger: LexiconTagger) -> np.ndarray:
    """Return a (paragraphs x frames) array of lexicon scores divided by each frame's threshold, capped at 2.

    A frame's score is the summed weight of its distinct matched patterns (as `LexiconTagger.scores`).
    """
    return codebook_features(paragraphs, tagger)[0]


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
