"""Every occurrence of every key of the batch engine in a chunk's bytes, as one flat array (a compiled search).

An Aho-Corasick library (`ahocorasick_rs`) returned the same matches as one Python tuple each: for the
bundled codebook's 100,000 inflected keys, building those tuples cost more than the search. Here the search
is compiled (numba) and writes its matches straight into an array, in the order of an overlapping
Aho-Corasick search (by end, then start), which the rest of the engine relies on:

- a key starting with a word-start mark (`engine_loops.START_MARK`: nearly all) can only occur where a word
  starts, so its occurrences are found by walking a trie of those keys from each such place;
- the few others (regex literals that may start inside a word) go into a small Aho-Corasick automaton with a
  full transition table, which reads each byte once.

The tests check the result against `ahocorasick_rs`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .engine_loops import START_MARK

BYTE, FIRST, LAST, KEY = range(4)  # the columns of a trie node's row
DENSE_CELLS = 1 << 18  # at most this many cells (1 MB) of dense trie rows


@njit(cache=True, nogil=True)
def _common(key_bytes, key_bounds, a, b):
    """Return the length of the common prefix of keys a and b."""
    a_lo, a_size = key_bounds[a], key_bounds[a + 1] - key_bounds[a]
    b_lo, b_size = key_bounds[b], key_bounds[b + 1] - key_bounds[b]
    common = 0
    while common < a_size and common < b_size and key_bytes[a_lo + common] == key_bytes[b_lo + common]:
        common += 1
    return common


@njit(cache=True, nogil=True)
def trie_tables(key_bytes, key_bounds, order):
    """Return the trie of the keys (key i is key_bytes[key_bounds[i]:key_bounds[i + 1]], distinct and non-empty; `order`
    lists them sorted) as (classes, dense, table).

    Nodes are numbered level by level (the root 0, then its children, and so on), each node's children consecutive
    and sorted by byte: node v's children are table[v, FIRST]:table[v, LAST], table[c, BYTE] is the byte leading to
    child c and table[c, KEY] the key ending there (-1: none). One row per node, so a step of a walk reads one or two
    cache lines, and the levels near the root, where every walk starts, stay together in the cache. Those levels
    (as many as fit in DENSE_CELLS) also have dense rows, where most walks end: dense[v, classes[byte]] is twice the
    child of node v for that byte, plus 1 if a key ends there (so most steps read no row), or -1."""
    n_keys = order.size
    shared = np.zeros(n_keys, dtype=np.int64)  # the length each sorted key shares with its predecessor: its first nodes
    nodes = 1
    for x in range(n_keys):  # one node per distinct prefix
        k = order[x]
        if x:
            shared[x] = _common(key_bytes, key_bounds, order[x - 1], k)
        nodes += key_bounds[k + 1] - key_bounds[k] - shared[x]
    parent = np.zeros(nodes, dtype=np.int64)  # first numbered in sorted-key (depth-first) order
    depth = np.zeros(nodes, dtype=np.int64)
    byte = np.zeros(nodes, dtype=np.uint8)
    owner = np.full(nodes, -1, dtype=np.int64)
    longest = 0
    for x in range(n_keys):
        longest = max(longest, key_bounds[order[x] + 1] - key_bounds[order[x]])
    path = np.zeros(longest + 1, dtype=np.int64)  # the nodes of the previous key's prefixes (root first)
    made = 1
    for x in range(n_keys):
        k = order[x]
        lo, size = key_bounds[k], key_bounds[k + 1] - key_bounds[k]
        for d in range(shared[x], size):
            parent[made], depth[made], byte[made] = path[d], d + 1, key_bytes[lo + d]
            path[d + 1] = made
            made += 1
        owner[path[size]] = k
    per_level = np.zeros(longest + 2, dtype=np.int64)  # renumber level by level, keeping the sorted order in each
    for v in range(nodes):
        per_level[depth[v] + 1] += 1
    for d in range(longest + 1):
        per_level[d + 1] += per_level[d]
    renamed = np.empty(nodes, dtype=np.int64)
    for v in range(nodes):
        renamed[v] = per_level[depth[v]]
        per_level[depth[v]] += 1
    classes = np.zeros(256, dtype=np.int64)  # the column of each byte in the dense rows (0: no key holds it)
    width = 1
    for i in range(key_bytes.size):
        if classes[key_bytes[i]] == 0:
            classes[key_bytes[i]] = width
            width += 1
    n_dense = 1  # the shallowest levels whose dense rows fit in DENSE_CELLS
    for d in range(longest + 1):
        if per_level[d] * width > DENSE_CELLS:
            break
        n_dense = per_level[d]
    table = np.zeros((nodes, 4), dtype=np.int32)
    table[:, KEY] = -1
    dense = np.full((n_dense, width), -1, dtype=np.int32)
    for v in range(nodes):
        w = renamed[v]
        table[w, KEY] = owner[v]
        if v:
            table[w, BYTE] = byte[v]
            p = renamed[parent[v]]
            if table[p, LAST] == 0:
                table[p, FIRST] = w
            table[p, LAST] = w + 1
            if p < n_dense:
                dense[p, classes[byte[v]]] = 2 * w + (owner[v] >= 0)
    return classes, dense, table


@njit(cache=True, nogil=True)
def automaton_tables(key_bytes, key_bounds, keys):
    """Return the Aho-Corasick automaton of `keys` (numbers of keys as in `trie_tables`) as (classes, step, first, key_at,
    next_out, key_len). States are rows of `width` columns, one per byte class (`classes[byte]`; bytes no key holds
    share column 0), and the search holds a state as the offset of its row: step[offset + column] is the next
    state's offset (a single load per byte), first[offset] the state of the longest key ending there (0: none).
    Per state: `key_at` the key ending there (-1: none), `next_out` the nearest state on its failure chain where a
    key ends (0: none), so the keys ending at a place are found longest first, and `key_len`."""
    classes = np.zeros(256, dtype=np.int64)
    width = 1
    for x in range(keys.size):
        for i in range(key_bounds[keys[x]], key_bounds[keys[x] + 1]):
            if classes[key_bytes[i]] == 0:
                classes[key_bytes[i]] = width
                width += 1
    size = 1
    for x in range(keys.size):
        size += key_bounds[keys[x] + 1] - key_bounds[keys[x]]
    goto = np.full((size, width), -1, dtype=np.int32)
    key_at = np.full(size, -1, dtype=np.int64)
    key_len = np.zeros(size, dtype=np.int64)
    states = 1
    for x in range(keys.size):
        k = keys[x]
        state = 0
        for i in range(key_bounds[k], key_bounds[k + 1]):
            c = classes[key_bytes[i]]
            if goto[state, c] < 0:
                goto[state, c] = states
                states += 1
            state = goto[state, c]
        key_at[state], key_len[state] = k, key_bounds[k + 1] - key_bounds[k]
    fail = np.zeros(states, dtype=np.int32)
    next_out = np.zeros(states, dtype=np.int32)
    queue = np.empty(states, dtype=np.int32)
    head, tail = 0, 0
    for c in range(width):
        child = goto[0, c]
        if child < 0:
            goto[0, c] = 0
        else:
            queue[tail] = child
            tail += 1
    while head < tail:  # breadth first: a state's failure row is complete before its children need it
        state = queue[head]
        head += 1
        back = fail[state]
        next_out[state] = back if key_at[back] >= 0 else next_out[back]
        for c in range(width):
            child = goto[state, c]
            if child < 0:
                goto[state, c] = goto[back, c]
            else:
                fail[child] = goto[back, c]
                queue[tail] = child
                tail += 1
    step = np.empty(states * width, dtype=np.int64)  # the next state, times `width` (the offset of its row)
    first = np.zeros(states * width, dtype=np.int64)  # at a row's offset: the state of the longest key ending there
    for state in range(states):
        first[state * width] = state if key_at[state] >= 0 else next_out[state]
        for c in range(width):
            step[state * width + c] = goto[state, c] * width
    return classes, step, first, key_at[:states].copy(), next_out, key_len[:states].copy()


@njit(cache=True, nogil=True)
def _put(out, used, k, start, end):
    """Put match (k, start, end) into out[:3 * used], ordered by end, then start (matches come nearly in order)."""
    y = used
    while y > 0 and (out[3 * y - 1] > end or (out[3 * y - 1] == end and out[3 * y - 2] > start)):
        out[3 * y], out[3 * y + 1], out[3 * y + 2] = out[3 * y - 3], out[3 * y - 2], out[3 * y - 1]
        y -= 1
    out[3 * y], out[3 * y + 1], out[3 * y + 2] = k, start, end


@njit(cache=True, nogil=True)
def key_matches(data, classes, dense, table, scan, byte_class, step, first, key_at, next_out, key_len, out):
    """Write every occurrence of every key in `data` into `out` as triples key, start, end (end exclusive), ordered by
    end, then start: the order of an overlapping Aho-Corasick search. Return how many, or -1 if `out` is too small.

    Keys starting with a word-start mark are walked in the trie (`trie_tables`) from each byte that starts one; the
    others (if `scan`) run through the automaton (`automaton_tables`)."""
    n = data.size
    n_dense = dense.shape[0]
    used = 0
    for i in range(n):
        if data[i] & START_MARK:
            node, j = 0, i
            while j < n:
                b = data[j]
                if node < n_dense:
                    cell = dense[node, classes[b]]
                    if cell < 0:
                        break
                    node = cell >> 1
                    ends = cell & 1
                else:
                    c, last = table[node, FIRST], table[node, LAST]
                    node = -1
                    while c < last:  # children are sorted by byte
                        if table[c, BYTE] >= b:
                            if table[c, BYTE] == b:
                                node = c
                            break
                        c += 1
                    if node < 0:
                        break
                    ends = table[node, KEY] >= 0
                j += 1
                if ends:
                    if 3 * used + 3 > out.size:
                        return -1
                    _put(out, used, table[node, KEY], i, j)
                    used += 1
    if not scan:
        return used
    walked = used  # then the automaton, in a loop of its own (no walk's branches to mispredict), after the walks' matches
    offset = 0
    for i in range(n):
        offset = step[offset + byte_class[data[i]]]
        s = first[offset]
        while s > 0:
            if 3 * used + 3 > out.size:
                return -1
            out[3 * used], out[3 * used + 1], out[3 * used + 2] = key_at[s], i + 1 - key_len[s], i + 1
            used += 1
            s = next_out[s]
    if used > walked and walked:  # merge the two ordered runs
        merged = np.empty(3 * used, dtype=np.int64)
        a, b, x = 0, walked, 0
        while a < walked or b < used:
            if b == used or (a < walked and (out[3 * a + 2] < out[3 * b + 2] or (out[3 * a + 2] == out[3 * b + 2] and out[3 * a + 1] < out[3 * b + 1]))):
                merged[3 * x:3 * x + 3] = out[3 * a:3 * a + 3]
                a += 1
            else:
                merged[3 * x:3 * x + 3] = out[3 * b:3 * b + 3]
                b += 1
            x += 1
        out[:3 * used] = merged
    return used


class KeySearch:
    """Byte keys (distinct, non-empty), compiled for `matches`."""

    def __init__(self, keys: list[bytes]):
        bounds = np.concatenate([[0], np.cumsum([len(key) for key in keys])]).astype(np.int64)
        data = np.frombuffer(b"".join(keys), dtype=np.uint8)
        walked = sorted((key, k) for k, key in enumerate(keys) if key[0] & START_MARK)
        others = np.array([k for k, key in enumerate(keys) if not key[0] & START_MARK], dtype=np.int64)
        self._tables = (*trie_tables(data, bounds, np.array([k for _, k in walked], dtype=np.int64)),
                        others.size > 0, *automaton_tables(data, bounds, others))
        self._room = 64  # matches per 256 bytes the output has room for; grows when a chunk needs more

    def matches(self, data: np.ndarray) -> np.ndarray:
        """Return the flat triples key, start, end of every key occurrence in `data` (as `key_matches`)."""
        while True:
            out = np.empty(3 * (data.size * self._room // 256 + 64), dtype=np.int64)
            used = key_matches(data, *self._tables, out)
            if used >= 0:
                return out[:3 * used]
            self._room *= 2


def warm_up() -> None:
    """Compile (or load) the loops for the argument types `KeySearch` passes."""
    KeySearch([b"a", bytes([ord("b") | START_MARK])]).matches(np.zeros(1, dtype=np.uint8))  # writable, as chunk images
