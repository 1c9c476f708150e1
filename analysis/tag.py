"""Frame taggers: paragraphs in, one row per (paragraph, frame) found out.

Taggers follow scikit-learn's conventions (`__init__` stores arguments, `fit`
returns self, learned state ends in `_`) so the lexicon tagger and a trained
classifier can be swapped, stacked and cross-validated with the same code.

Output columns (`FRAME_COLUMNS`): paragraph_id, frame, score, method, evidence
(the matched spans as "pattern => matched text" strings, `; `-joined).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from .codebook import Codebook
from .engine_frames import FRAME_COLUMNS, BatchMatcher
from .engine_text import ChunkText
from .evidence_format import evidence_text
from .lexicon import Hit, Matcher

CHUNK = 20_000  # paragraphs matched in one batch (memory stays flat, numpy stays efficient)
BATCH_FROM = 1_000  # fewer paragraphs are matched one by one: compiling the batch engine (~3.5 s) would cost more


class NotFittedError(RuntimeError):
    """Raised when a tagger is used before `fit`."""


class LexiconTagger:
    """Tag frames by the codebook's patterns: a frame is present when its score reaches its threshold."""

    method = "lexicon"

    def __init__(self, codebook: Codebook, batch_from: int | None = None):
        self.codebook = codebook
        self.batch_from = batch_from  # `predict` uses the batch engine from this many paragraphs (None: `BATCH_FROM`)

    def fit(self, paragraphs: pd.DataFrame | None = None, labels: pd.DataFrame | None = None) -> "LexiconTagger":
        """Compile the codebook (nothing is learned from data); return self. The batch engine is compiled on first use."""
        self.matcher_ = Matcher(self.codebook)
        self._batch: BatchMatcher | None = None
        return self

    @property
    def batch_(self) -> BatchMatcher:
        """The codebook compiled for whole chunks of paragraphs (`engine_frames.BatchMatcher`), built once."""
        matcher = self._check_fitted()
        if self._batch is None:
            self._batch = BatchMatcher(matcher)
        return self._batch

    def _check_fitted(self) -> Matcher:
        if not hasattr(self, "matcher_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted: call fit() first")
        return self.matcher_

    def scores(self, text: str) -> dict[int, tuple[float, list[Hit]]]:
        """Return {frame index: (score, hits)} for every frame with at least one match in `text`."""
        matcher = self._check_fitted()
        by_frame: dict[int, list[Hit]] = defaultdict(list)
        for hit in matcher.hits(text):
            by_frame[hit.frame].append(hit)
        out = {}
        for frame_index, hits in by_frame.items():
            patterns = self.codebook.frames[frame_index].patterns
            distinct = {h.pattern for h in hits}
            out[frame_index] = (sum(patterns[p].weight for p in distinct), hits)
        return out

    def predict(self, paragraphs: pd.DataFrame) -> pd.DataFrame:
        """Return one row per (paragraph, frame) present, with score and evidence (`FRAME_COLUMNS`).

        `paragraphs` needs columns `paragraph_id` and `text`. Paragraphs are matched in batches
        (`engine_frames.BatchMatcher`); the rows equal those of `predict_each`, which matches fewer than
        `batch_from` paragraphs instead unless the batch engine is already compiled.
        """
        self._check_fitted()
        small = BATCH_FROM if self.batch_from is None else self.batch_from
        if self._batch is None and len(paragraphs) < small:
            return self.predict_each(paragraphs)
        which, tables = [], []
        for at, chunk in _chunks(paragraphs["text"]):
            para, table = self.batch_.rows(chunk, method=self.method)
            which.append(para + at)
            tables.append(table)
        rows = pa.concat_tables(tables).to_pandas() if tables else pd.DataFrame()
        if not len(rows):
            return pd.DataFrame({column: [] for column in FRAME_COLUMNS})
        rows.insert(0, "paragraph_id", _taken(paragraphs["paragraph_id"], np.concatenate(which)))
        return rows

    def predict_each(self, paragraphs: pd.DataFrame) -> pd.DataFrame:
        """Return `predict`'s rows computed paragraph by paragraph with `scores` (the reference semantics; slow)."""
        self._check_fitted()
        frames = self.codebook.frames
        rows = []
        for pid, text in zip(paragraphs["paragraph_id"], paragraphs["text"]):
            for frame_index, (score, hits) in sorted(self.scores(text).items()):
                frame = frames[frame_index]
                if score >= frame.threshold:
                    evidence = evidence_text((frame.patterns[h.pattern].text, text[h.start:h.end]) for h in hits)
                    rows.append((pid, frame.id, round(score, 4), self.method, evidence))
        return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def _chunks(column: pd.Series) -> Iterator[tuple[int, ChunkText]]:
    """Yield (first row, chunk) for the text column, CHUNK paragraphs at a time: read from its Arrow array when pandas
    holds it as one (its UTF-8 is then decoded without a Python string per paragraph), else from its strings."""
    if column.dtype == "str" and not column.hasnans:
        array = pa.array(column)
        array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
        for at in range(0, len(array), CHUNK):
            yield at, ChunkText.of_arrow(array.slice(at, CHUNK))
        return
    texts = column.tolist()
    for at in range(0, len(texts), CHUNK):
        yield at, ChunkText.of_strings(texts[at:at + CHUNK])


def _taken(ids: pd.Series, rows: np.ndarray) -> pd.Series:
    """Return ids[rows] with the dtype `predict_each` gives them (pandas infers it from the values)."""
    if ids.dtype == "str" or ids.dtype == np.int64:  # the dtype pandas infers from such values is the column's own
        return ids.take(rows).reset_index(drop=True)
    return pd.Series(ids.to_numpy(dtype=object)[rows].tolist())


_FITTED: dict[int, tuple[Codebook, LexiconTagger]] = {}


def fitted_tagger(codebook: Codebook) -> LexiconTagger:
    """Return a fitted lexicon tagger for `codebook`, compiled once per codebook object."""
    held = _FITTED.get(id(codebook))
    if held is None or held[0] is not codebook:
        held = _FITTED[id(codebook)] = (codebook, LexiconTagger(codebook).fit())
    return held[1]


def spans(text: str, codebook: Codebook, *, frame: str | None = None) -> list[tuple[int, int, str]]:
    """Return (start, end, frame id) of every counting match in `text`, for highlighting evidence."""
    tagger = fitted_tagger(codebook)
    ids = codebook.frame_ids
    return [(h.start, h.end, ids[h.frame]) for h in tagger.matcher_.hits(text) if frame is None or ids[h.frame] == frame]
