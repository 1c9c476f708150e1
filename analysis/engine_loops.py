"""Compiled loops of the batch frame engine (`engine_frames.BatchMatcher`), for the work numpy would do in many passes.

Each loop walks the raw matches or the hits of a whole chunk once, in machine code (numba, compiled on
first use and cached on disk beside this file), and gives exactly what the numpy and Python code it
replaces gave: the same rows in the same order. Inputs and outputs are flat numpy arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit

START_MARK, END_MARK = 0x80, 0x40


@njit(cache=True, nogil=True)
def automaton_input(codes, wordish, alphabet, end_marks):
    """Return (the bytes the automaton scans, word: is each byte a word character, with one False past the end).

    Each byte is its code in `alphabet` (or itself, without `end_marks`), with START_MARK where a word starts
    and, with `end_marks`, END_MARK where one ends."""
    n = codes.size
    word = np.zeros(n + 1, dtype=np.bool_)
    for i in range(n):
        word[i] = wordish[codes[i]]
    out = np.empty(n, dtype=np.uint8)
    previous = False
    for i in range(n):
        is_word = word[i]
        if end_marks:
            byte = alphabet[codes[i]]
            if is_word and not word[i + 1]:
                byte |= END_MARK
        else:
            byte = codes[i]
        if is_word and not previous:
            byte |= START_MARK
        out[i] = byte
        previous = is_word
    return out, word


@njit(cache=True, nogil=True)
def expanded_matches(kid, ms, me, word, para_start, key_first, key_count, key_len, t_frame, t_index, t_ext, t_needend,
                     t_start):
    """Return the raw key matches expanded to their targets that pass the word-boundary tests, in three groups:

    - hits (frame >= -1): para, frame, pattern, start, end, and the order keys end, -key length, target offset;
    - near terms (frame -2): para, term, start, end and the same order keys;
    - regex conditions (frame -3 anchors, -4 required literals): kind, regex, para, start.

    Offsets are within the paragraph; matches come in the automaton's order, targets in the key's order."""
    n = kid.size
    total = 0
    for m in range(n):
        total += key_count[kid[m]]
    h = np.empty((8, total), dtype=np.int64)
    q = np.empty((7, total), dtype=np.int64)
    r = np.empty((4, total), dtype=np.int64)
    nh = nq = nr = 0
    for m in range(n):
        k, begin, end = kid[m], ms[m], me[m]
        start_ok = begin == 0 or not word[begin - 1]
        end_ok = not word[end]
        para = np.searchsorted(para_start, begin, side="right") - 1
        base = para_start[para]
        extended = -1
        for offset in range(key_count[k]):
            t = key_first[k] + offset
            if not (start_ok or not t_start[t]) or not (end_ok or not t_needend[t]):
                continue
            finish = end
            if t_ext[t]:
                if extended < 0:
                    extended = end
                    while word[extended]:
                        extended += 1
                finish = extended
            frame = t_frame[t]
            if frame >= -1:
                h[0, nh], h[1, nh], h[2, nh], h[3, nh], h[4, nh] = para, frame, t_index[t], begin - base, finish - base
                h[5, nh], h[6, nh], h[7, nh] = end - base, -key_len[k], offset
                nh += 1
            elif frame == -2:
                q[0, nq], q[1, nq], q[2, nq], q[3, nq] = para, t_index[t], begin - base, finish - base
                q[4, nq], q[5, nq], q[6, nq] = end - base, -key_len[k], offset
                nq += 1
            else:
                r[0, nr], r[1, nr], r[2, nr], r[3, nr] = frame, t_index[t], para, begin - base
                nr += 1
    return h[:, :nh], q[:, :nq], r[:, :nr]
