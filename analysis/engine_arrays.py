"""Array helpers of the batch frame engine (`engine_frames.BatchMatcher`): overlaps, exclusions, near-rule pairs.

Each works on parallel numpy arrays of hits (paragraph, frame, pattern, start, end) sorted as the engine sorts
them, and gives what `lexicon.Matcher` decides hit by hit, for a whole chunk at once.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

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


def _heaviest(para, frame, start, end, weight) -> np.ndarray:
    """Return a keep-mask: within a (paragraph, frame), of overlapping matches only the heaviest (then first, longest) stays.

    Hits arrive sorted by (paragraph, frame, start, longest first). Where no hit starts before the
    furthest end seen so far in its group the answer is "keep"; runs of overlapping hits are resolved as `Matcher._filtered`.
    """
    group = para * 1_000_000 + frame
    new = np.concatenate([[True], group[1:] != group[:-1]])
    gid = np.cumsum(new) - 1
    big = np.int64(1) << 32
    reach = np.maximum.accumulate(gid * big + end)
    previous = np.concatenate([[-1], reach[:-1]])
    clash = ~new & (gid * big + start < previous)
    keep = np.ones(para.size, dtype=bool)
    if clash.any():  # resolve each run of overlapping hits (runs never overlap one another)
        run = np.cumsum(~clash) - 1
        bounds = np.flatnonzero(~clash).tolist() + [para.size]
        starts, ends, weights = start.tolist(), end.tolist(), weight.tolist()
        clashing = np.unique(run[clash])
        size = np.diff(np.asarray(bounds))[clashing]
        pair = np.asarray(bounds)[clashing[size == 2]]  # the common run of two: the heavier stays, else the first
        keep[np.where(weight[pair + 1] > weight[pair], pair, pair + 1)] = False
        for g in clashing[size > 2].tolist():
            lo, hi = bounds[g], bounds[g + 1]
            if min(weights[lo:hi]) == max(weights[lo:hi]):  # equal weights: the first (then longest) wins, in one scan
                last_end = -1
                for k in range(lo, hi):
                    if starts[k] < last_end:
                        keep[k] = False
                    else:
                        last_end = ends[k]
                continue
            chosen: list[tuple[int, int]] = []
            for _, a, _, k in sorted(zip([-w for w in weights[lo:hi]], starts[lo:hi], [s - e for s, e in zip(starts[lo:hi], ends[lo:hi])], range(lo, hi))):
                b = ends[k]
                for s, e in chosen:
                    if a < e and s < b:
                        keep[k] = False
                        break
                else:
                    chosen.append((a, b))
    return keep


def _side(ids: np.ndarray, by_term: np.ndarray, term_bounds: np.ndarray, mask: np.ndarray, para: np.ndarray,
          rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (indices, order) of the matches of one side of a rule in the candidate paragraphs: term by term, each in scan order."""
    chosen, order = [], []
    for k, t in enumerate(ids.tolist()):
        where = by_term[term_bounds[t]:term_bounds[t + 1]]
        where = where[mask[para[where]]]
        chosen.append(where)
        order.append(k * (rank.size + 1) + rank[where])
    indices, ranks = np.concatenate(chosen), np.concatenate(order)
    by_para = np.lexsort((ranks, para[indices]))
    return indices[by_para], ranks[by_para]


def _side_matrix(sides: list[np.ndarray], n_terms: int) -> sparse.csr_matrix:
    matrix = np.zeros((n_terms, max(len(sides), 1)), dtype=np.float32)
    for r, ids in enumerate(sides):
        matrix[ids, r] = 1.0
    return sparse.csr_matrix(matrix)


def _pairs(left_para: np.ndarray, right_para: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return index pairs (i, j) with left_para[i] == right_para[j] (both sorted by paragraph)."""
    lo = np.searchsorted(right_para, left_para, side="left")
    hi = np.searchsorted(right_para, left_para, side="right")
    counts = hi - lo
    i = np.repeat(np.arange(left_para.size), counts)
    j = np.repeat(lo, counts) + (np.arange(i.size) - np.repeat(np.cumsum(counts) - counts, counts))
    return i, j


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


def _rows_part(rows: list[tuple], *, source: int) -> tuple:
    """Return hit columns (para, frame, pattern, start, end, source, order...) from tuples (para, frame, pattern, start, end, o1, o2)."""
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return (empty,) * 9
    array = np.array(rows, dtype=np.int64)
    return (array[:, 0], array[:, 1], array[:, 2], array[:, 3], array[:, 4], np.full(len(rows), source, np.int64),
            array[:, 5], array[:, 6], np.zeros(len(rows), np.int64))


def _table_of(per_text: list[list[Hit]]) -> dict[str, np.ndarray]:
    rows = [(p, h.frame, h.pattern, h.start, h.end) for p, hits in enumerate(per_text) for h in hits]
    array = np.array(rows, dtype=np.int64).reshape(-1, 5)
    return {k: array[:, i] for i, k in enumerate(("para", "frame", "pattern", "start", "end"))}
