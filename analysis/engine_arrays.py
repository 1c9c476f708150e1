"""Array helpers of the batch frame engine (`engine_frames.BatchMatcher`): word characters, ordering, exclusions.

Each works on parallel numpy arrays of hits (paragraph, frame, pattern, start, end) sorted as the engine sorts
them, and gives what `lexicon.Matcher` decides hit by hit, for a whole chunk at once.
"""

from __future__ import annotations

import numpy as np

from .lexicon import Hit

_WORDISH = np.zeros(256, dtype=bool)  # ASCII word characters (str.isalnum or "_"), by byte
for _code in range(128):
    _WORDISH[_code] = chr(_code).isalnum() or chr(_code) == "_"


def lex_order(*keys: np.ndarray) -> np.ndarray:
    """Return the stable order of rows sorted by `keys`, most significant first (`np.lexsort` with the keys reversed).

    Integer keys are packed, as many as fit in 62 bits, into int64 words sorted stably from the least significant
    word (timsort: near-linear on the nearly sorted arrays the engine produces): far cheaper than one pass per key.
    """
    if not keys[0].size:
        return np.zeros(0, dtype=np.int64)
    words: list[np.ndarray] = []
    packed, used = np.zeros(keys[0].size, dtype=np.int64), 0
    for key in keys:
        low = int(key.min())
        width = max(1, int(key.max()) - low + 1).bit_length()
        if used + width > 62 and used:
            words.append(packed)
            packed, used = np.zeros(keys[0].size, dtype=np.int64), 0
        if width > 62:
            return np.lexsort(keys[::-1])
        packed = (packed << width) | (key.astype(np.int64) - low)
        used += width
    words.append(packed)
    order = np.argsort(words[-1], kind="stable")
    for word in reversed(words[:-1]):
        order = order[np.argsort(word[order], kind="stable")]
    return order


def _excluded(para, frame, pattern, start, end) -> np.ndarray:
    """Return a mask of the pattern hits that overlap an exclusion hit of the same paragraph and frame."""
    big = np.int64(1) << 32
    group = para * (int(frame.max()) + 1) + frame
    ex = pattern < 0
    ex_group, ex_start, ex_end = group[ex], start[ex], end[ex]
    order = np.lexsort((ex_start, ex_group))
    ex_group, ex_start, ex_end = ex_group[order], ex_start[order], ex_end[order]
    _, gid = np.unique(ex_group, return_inverse=True)
    reach = np.maximum.accumulate(gid * big + ex_end) - gid * big  # furthest exclusion end so far, per group
    key = ex_group * big + ex_start
    last = np.searchsorted(key, group * big + end, side="left") - 1  # last exclusion starting before the hit ends
    valid = last >= 0
    last = np.maximum(last, 0)
    hit = valid & (ex_group[last] == group) & (reach[last] > start)
    return hit & ~ex


def _table_of(per_text: list[list[Hit]]) -> dict[str, np.ndarray]:
    rows = [(p, h.frame, h.pattern, h.start, h.end) for p, hits in enumerate(per_text) for h in hits]
    array = np.array(rows, dtype=np.int64).reshape(-1, 5)
    return {k: array[:, i] for i, k in enumerate(("para", "frame", "pattern", "start", "end"))}
