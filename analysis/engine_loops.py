"""Compiled loops of the batch frame engine (`engine_frames.BatchMatcher`), for the work numpy would do in many passes.

Each loop walks the characters, the raw matches or the hits of a whole chunk once, in machine code
(numba: compiled when `make` installs the project, or else on first use, and cached on disk beside
this file). Together with the rest of the engine they give exactly the hits of `lexicon.Matcher`, which
the tests check. Inputs and outputs are flat numpy arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit

START_MARK, END_MARK = 0x80, 0x40


@njit(cache=True, nogil=True)
def non_ascii(codes):
    """Return the code points of `codes` (one per character) at or above 128, in order."""
    count = 0
    for c in codes:
        if c >= 128:
            count += 1
    out = np.empty(count, dtype=np.uint32)
    x = 0
    for c in codes:
        if c >= 128:
            out[x] = c
            x += 1
    return out


@njit(cache=True, nogil=True)
def utf8_code_points(data, offsets):
    """Return the code points of the UTF-8 strings data[offsets[p]:offsets[p + 1]] (valid UTF-8, as Arrow holds it)
    joined by "\n", and the offset where each string starts among them."""
    n = offsets.size - 1
    out = np.empty(offsets[n] - offsets[0] + max(n - 1, 0), dtype=np.uint32)
    para_start = np.empty(n, dtype=np.int64)
    x = 0
    for p in range(n):
        if p:
            out[x] = 10
            x += 1
        para_start[p] = x
        i, end = offsets[p], offsets[p + 1]
        while i < end:
            b = np.uint32(data[i])
            if b < 0x80:
                out[x] = b
                i += 1
            elif b < 0xE0:
                out[x] = ((b & 0x1F) << 6) | (data[i + 1] & 0x3F)
                i += 2
            elif b < 0xF0:
                out[x] = ((b & 0x0F) << 12) | ((data[i + 1] & 0x3F) << 6) | (data[i + 2] & 0x3F)
                i += 3
            else:
                out[x] = ((b & 0x07) << 18) | ((data[i + 1] & 0x3F) << 12) | ((data[i + 2] & 0x3F) << 6) | (data[i + 3] & 0x3F)
                i += 4
            x += 1
    return out[:x], para_start


@njit(cache=True, nogil=True)
def chunk_images(codes, lower, table, subs, screens, escapes, wordish, alphabet, end_marks, with_screen):
    """Return the images of a chunk's characters (`codes`, one code point each), one byte per character:

    - image: ASCII lower-cased by `lower`, the others by `subs` (`table` holds their code points, sorted);
    - screen: the image with non-ASCII spaces and digits as `screens` gives them (0: as in the image); without
      `with_screen` (no regex to screen), the image itself;
    - marked: what the key search scans: each image byte's code in `alphabet` (without `end_marks`, the caller's
      `alphabet` leaves image bytes as they are), with START_MARK where a word starts and, with `end_marks`, END_MARK
      where one ends;
    - word: whether each image byte is a word character, with one False past the end;
    - escaping: the offsets of characters `escapes` flags (a regex may read them as another letter)."""
    n = codes.size
    image = np.empty(n, dtype=np.uint8)
    screen = np.empty(n, dtype=np.uint8) if with_screen else image
    marked = np.empty(n, dtype=np.uint8)
    word = np.zeros(n + 1, dtype=np.bool_)
    end_mark = END_MARK if end_marks else 0
    n_escaping = 0
    previous = np.uint8(0)
    held = np.uint8(0)  # the previous byte's mark, written once the next byte shows whether a word ends there
    for i in range(n):  # one pass: a byte's mark is written when the next byte is read (a word ends on it or not)
        c = codes[i]
        if c < 128:
            byte = lower[c]
            if with_screen:
                screen[i] = byte
        else:
            j = np.searchsorted(table, c)
            byte = subs[j]
            if with_screen:
                screen[i] = screens[j] if screens[j] else byte
            n_escaping += escapes[j]
        image[i] = byte
        is_word = np.uint8(wordish[byte])
        word[i] = is_word
        if i:
            marked[i - 1] = held | (end_mark * (previous & ~is_word & 1))
        held = alphabet[byte] | (START_MARK * (is_word & ~previous & 1))
        previous = is_word
    if n:
        marked[n - 1] = held | (end_mark * previous)
    escaping = np.empty(n_escaping, dtype=np.int64)
    x = 0
    if n_escaping:
        for i in range(n):
            if codes[i] >= 128 and escapes[np.searchsorted(table, codes[i])]:
                escaping[x] = i
                x += 1
    return image, screen, marked, word, escaping


@njit(cache=True, nogil=True)
def expanded_matches(found, word, para_start, key_first, key_count, key_len, t_frame, t_index, t_ext, t_needend,
                     t_start):
    """Return the raw key matches (`found`: key, start, end of each, one after the other) expanded to their targets
    that pass the word-boundary tests, in three groups:

    - hits (frame >= -1): para, frame, pattern, start, end, and the order keys end, -key length, target offset;
    - near terms (frame -2): para, term, start, end and the same order keys;
    - regex conditions (frame -3 anchors, -4 required literals): kind, regex, para, start.

    Offsets are within the paragraph; matches come in the automaton's order, targets in the key's order."""
    n = found.size // 3
    sizes = np.zeros(3, dtype=np.int64)  # at most this many of each group: every target of every match
    for m in range(n):
        k = found[3 * m]
        for t in range(key_first[k], key_first[k] + key_count[k]):
            sizes[0 if t_frame[t] >= -1 else 1 if t_frame[t] == -2 else 2] += 1
    h = np.empty((8, sizes[0]), dtype=np.int64)
    q = np.empty((7, sizes[1]), dtype=np.int64)
    r = np.empty((4, sizes[2]), dtype=np.int64)
    nh = nq = nr = 0
    para = 0
    for m in range(n):
        k, begin, end = found[3 * m], found[3 * m + 1], found[3 * m + 2]
        start_ok = begin == 0 or not word[begin - 1]
        end_ok = not word[end]
        if begin < para_start[para]:  # the automaton reports matches by their end: paragraphs rarely go back
            para = 0
        while para + 1 < para_start.size and para_start[para + 1] <= begin:
            para += 1
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


@njit(cache=True, nogil=True)
def _grown(table, used):
    """Return `table` with room for at least one more column than `used` (doubling)."""
    if used < table.shape[1]:
        return table
    bigger = np.empty((table.shape[0], 2 * table.shape[1] + 16), dtype=table.dtype)
    bigger[:, :used] = table[:, :used]
    return bigger


@njit(cache=True, nogil=True)
def _word_counts(codes, word, base, size, counts):
    """Fill counts[j] (j < size) with how many words (`lexicon._WORD` matches: "china's" is one) start before
    offset j of the paragraph starting at `base`."""
    count = 0
    before = base > 0 and word[base - 1]  # the two characters before, as the loop carries them
    apostrophe = base > 1 and codes[base - 1] == 39 and word[base - 2]  # "'" after a word character
    for x in range(size):
        j = base + x
        counts[x] = count
        is_word = word[j]  # (False past the end)
        count += is_word and not before and not apostrophe  # no branches: the loop stays fast on any text
        apostrophe = j < codes.size and codes[j] == 39 and before
        before = is_word


@njit(cache=True, nogil=True)
def _side_matches(term, lo, hi, r, n, left_position, right_position, left_at, left_rank, right_at, right_rank):
    """Fill `left_at` and `left_rank` with the matches in term[lo:hi] of the terms on rule `r`'s left side
    (`left_position[r, t]`: the term's place in that side, or -1), in scan order, rank = place * (n + 1) + match index;
    and the same for the right side. Return how many on each side. (The ranks order the pairs: `_filtered` sorts.)"""
    n_left = n_right = 0
    for a in range(lo, hi):
        t = term[a]
        k = left_position[r, t]
        if k >= 0:
            left_at[n_left], left_rank[n_left] = a, k * (n + 1) + a
            n_left += 1
        k = right_position[r, t]
        if k >= 0:
            right_at[n_right], right_rank[n_right] = a, k * (n + 1) + a
            n_right += 1
    return n_left, n_right


@njit(cache=True, nogil=True)
def near_rule_hits(para, term, start, stop, codes, word, para_start, term_rules_ptr, term_rules, term_sides, left_position,
                   right_position, rule_frame, rule_index, rule_within):
    """Return the hits of `near` rules as rows para, frame, pattern, start, end, rule, left rank, right rank.

    The near-term matches (para, term, start, stop) come sorted by paragraph, each paragraph's in scan order. A rule
    holds in a paragraph for each left-term and right-term match, one ending before the other starts, at most
    `within` words apart. Ranks are a term's place in its side times (matches + 1) plus the match's place in scan
    order. `term_rules` lists, per term (CSR), the rules it belongs to, `term_sides` on which side (1 left, 2 right,
    3 both); `left_position[r, t]` is term t's place on rule r's left side, or -1 (and so on the right)."""
    n = para.size
    n_rules = rule_frame.size
    out = np.empty((8, 64), dtype=np.int64)
    used = 0
    has_left = np.full(n_rules, -1, dtype=np.int64)  # the paragraph (its first match) that last showed a left term
    has_right = np.full(n_rules, -1, dtype=np.int64)
    candidates = np.empty(n_rules, dtype=np.int64)
    block = 0  # the most near-term matches in one paragraph
    lo = 0
    while lo < n:
        hi = lo
        while hi < n and para[hi] == para[lo]:
            hi += 1
        block = max(block, hi - lo)
        lo = hi
    left_at, left_rank = np.empty(block, dtype=np.int64), np.empty(block, dtype=np.int64)
    right_at, right_rank = np.empty(block, dtype=np.int64), np.empty(block, dtype=np.int64)
    longest = 0
    for p in range(para_start.size):
        longest = max(longest, (para_start[p + 1] if p + 1 < para_start.size else codes.size + 1) - para_start[p])
    words = np.empty(longest + 1, dtype=np.int32)  # word counts in a paragraph (a span of it), made when a rule may hold there
    lo = 0
    while lo < n:
        hi = lo
        while hi < n and para[hi] == para[lo]:
            hi += 1
        n_candidates = 0
        for i in range(lo, hi):
            t = term[i]
            for x in range(term_rules_ptr[t], term_rules_ptr[t + 1]):
                r = term_rules[x]
                if term_sides[x] & 1 and has_left[r] != lo:
                    has_left[r] = lo
                    if has_right[r] == lo:
                        candidates[n_candidates] = r
                        n_candidates += 1
                if term_sides[x] & 2 and has_right[r] != lo:
                    has_right[r] = lo
                    if has_left[r] == lo:
                        candidates[n_candidates] = r
                        n_candidates += 1
        first = 0  # the word counts are made from the first match end to the last match start: where pairs read them
        if n_candidates:
            first, last = stop[lo], start[lo]
            for i in range(lo, hi):
                first, last = min(first, stop[i]), max(last, start[i])
            _word_counts(codes, word, para_start[para[lo]] + first, last - first + 1, words)
        for c in range(n_candidates):
            r = candidates[c]
            within = rule_within[r]
            n_left, n_right = _side_matches(term, lo, hi, r, n, left_position, right_position, left_at, left_rank, right_at, right_rank)
            for x in range(n_left):
                a = left_at[x]
                for y in range(n_right):
                    b = right_at[y]
                    if start[a] <= start[b]:
                        f, g = a, b
                    else:
                        f, g = b, a
                    if stop[f] > start[g] or words[start[g] - first] - words[stop[f] - first] > within:
                        continue
                    out = _grown(out, used)
                    out[0, used], out[1, used], out[2, used] = para[lo], rule_frame[r], rule_index[r]
                    out[3, used], out[4, used], out[5, used] = start[f], stop[g], r
                    out[6, used], out[7, used] = left_rank[x], right_rank[y]
                    used += 1
        lo = hi
    return out[:, :used]


@njit(cache=True, nogil=True)
def heaviest_kept(para, frame, start, end, weight):
    """Return a keep-mask: within a (paragraph, frame), of overlapping matches only the heaviest (then first, longest) stays.

    Hits arrive sorted by (paragraph, frame, start, longest first). A run of hits each starting before the furthest
    end seen so far in its group is resolved as `Matcher._filtered` does: by weight (heaviest first), start, length
    (longest first) and arrival, each hit kept unless it overlaps one kept before it."""
    n = para.size
    keep = np.ones(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    chosen_start, chosen_end = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    lo = 0
    while lo < n:
        reach = end[lo]
        hi = lo + 1
        while hi < n and para[hi] == para[lo] and frame[hi] == frame[lo] and start[hi] < reach:
            reach = max(reach, end[hi])
            hi += 1
        if hi - lo > 1:  # a run of overlapping hits: lo .. hi-1
            size = hi - lo
            for x in range(size):  # insertion sort of the run by (-weight, start, start - end, arrival)
                k = lo + x
                y = x
                while y > 0 and _before(weight, start, end, k, order[y - 1]):
                    order[y] = order[y - 1]
                    y -= 1
                order[y] = k
            kept = 0
            for x in range(size):
                k = order[x]
                for c in range(kept):
                    if start[k] < chosen_end[c] and chosen_start[c] < end[k]:
                        keep[k] = False
                        break
                if keep[k]:
                    chosen_start[kept], chosen_end[kept] = start[k], end[k]
                    kept += 1
        lo = hi
    return keep


@njit(cache=True, nogil=True)
def _before(weight, start, end, a, b):
    """True when hit a sorts before hit b by (-weight, start, start - end, index)."""
    if weight[a] != weight[b]:
        return weight[a] > weight[b]
    if start[a] != start[b]:
        return start[a] < start[b]
    if start[a] - end[a] != start[b] - end[b]:
        return start[a] - end[a] < start[b] - end[b]
    return a < b


@njit(cache=True, nogil=True)
def alternative_hits(codes, word, para_start, paras, starts, chars, bounds, lead, trail):
    """Return the matches of a regex of literal alternatives (`engine_regex.alternatives`) as rows para, start, end, k.

    `paras`, `starts`: where a match may start (sorted by paragraph, then offset in it). `chars` holds the strings one
    after the other (`bounds`: where each starts; -1 for any character but a newline), in the regex's order. At each
    start at or after the end of the paragraph's last match, the first string there whose boundaries hold is the
    match (`regex.match`); k counts the paragraph's matches."""
    n = paras.size
    out = np.empty((4, n), dtype=np.int64)
    used = 0
    i = 0
    while i < n:
        p = paras[i]
        base = para_start[p]
        end, k, last = 0, 0, -1
        while i < n and paras[i] == p:
            position = starts[i]
            i += 1
            if position == last or position < end:
                continue
            last = position
            at = base + position
            if lead and (at > 0 and word[at - 1]) == word[at]:
                continue
            for s in range(bounds.size - 1):
                size = bounds[s + 1] - bounds[s]
                if at + size > codes.size:
                    continue
                same = True
                for j in range(size):
                    char = chars[bounds[s] + j]
                    byte = codes[at + j]
                    if (char < 0 and byte == 10) or (char >= 0 and byte != char):
                        same = False
                        break
                if same and trail and word[at + size - 1] == word[at + size]:
                    same = False
                if same:
                    out[0, used], out[1, used], out[2, used], out[3, used] = p, position, position + size, k
                    used += 1
                    k += 1
                    end = position + size
                    break
    return out[:, :used]


@njit(cache=True, nogil=True)
def regex_conditions(kinds, numbers, paras, starts, n_regexes, uses_required):
    """Return the regex conditions found by the automaton, grouped by regex: (anchor paragraphs, anchor starts,
    anchor bounds, required paragraphs, required bounds).

    Anchors (kind -3) of regex r are rows anchor_bounds[r]:anchor_bounds[r + 1], sorted by paragraph, then start;
    where `uses_required[r]`, only those in paragraphs holding one of its required literals (kind -4). The
    paragraphs holding a required literal of regex r, each once and in order, are required_bounds[r]:[r + 1]."""
    n = kinds.size
    groups = 2 * n_regexes
    counts = np.zeros(groups + 1, dtype=np.int64)
    for i in range(n):
        counts[2 * numbers[i] + (1 if kinds[i] == -3 else 0) + 1] += 1
    for g in range(groups):
        counts[g + 1] += counts[g]
    place = counts[:groups].copy()
    g_para, g_start = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    for i in range(n):  # a counting sort by (regex, kind): each group keeps the automaton's order (by match end)
        g = 2 * numbers[i] + (1 if kinds[i] == -3 else 0)
        x = place[g]
        place[g] += 1
        y = x  # then by (paragraph, start) within the group: an insertion, as ends and starts nearly agree
        while y > counts[g] and (g_para[y - 1] > paras[i] or (g_para[y - 1] == paras[i] and g_start[y - 1] > starts[i])):
            g_para[y], g_start[y] = g_para[y - 1], g_start[y - 1]
            y -= 1
        g_para[y], g_start[y] = paras[i], starts[i]
    required = np.empty(n, dtype=np.int64)
    required_bounds = np.zeros(n_regexes + 1, dtype=np.int64)
    anchor_para, anchor_start = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    anchor_bounds = np.zeros(n_regexes + 1, dtype=np.int64)
    n_required = n_anchors = 0
    for r in range(n_regexes):
        first = n_required
        for x in range(counts[2 * r], counts[2 * r + 1]):
            if n_required == first or required[n_required - 1] != g_para[x]:
                required[n_required] = g_para[x]
                n_required += 1
        required_bounds[r + 1] = n_required
        y = first
        for x in range(counts[2 * r + 1], counts[2 * r + 2]):
            if uses_required[r]:
                while y < n_required and required[y] < g_para[x]:
                    y += 1
                if y == n_required or required[y] != g_para[x]:
                    continue
            anchor_para[n_anchors], anchor_start[n_anchors] = g_para[x], g_start[x]
            n_anchors += 1
        anchor_bounds[r + 1] = n_anchors
    return anchor_para[:n_anchors], anchor_start[:n_anchors], anchor_bounds, required[:n_required], required_bounds


def warm_up() -> None:
    """Compile (or load from the disk cache) every loop of this module for the argument types the engine passes
    (`engine_frames.warm_up` calls it)."""
    none = np.zeros(0, dtype=np.int64)  # no matches: each loop is typed and compiled, and runs no iteration
    utf8_code_points(np.frombuffer(b"", dtype=np.uint8), np.frombuffer(bytes(8), dtype=np.int64))  # read-only, as Arrow's
    flags = np.zeros(0, dtype=np.bool_)
    bytes_ = np.zeros(256, dtype=np.uint8)
    codes = np.frombuffer(" ".encode("utf-32-le"), dtype=np.uint32)  # read-only, as the engine's code points
    matrix = np.zeros((1, 1), dtype=np.int64)
    non_ascii(codes)
    image, screen, marked, word, escaping = chunk_images(codes, bytes_, np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint8),
                                                         np.zeros(0, dtype=np.uint8), flags, np.zeros(256, dtype=np.bool_), bytes_, True, True)
    expanded_matches(none, word, none, none, none, none, none, none, flags, flags, flags)
    near_rule_hits(none, none, none, none, image, word, none, none, none, none, matrix, matrix, none, none, none)
    heaviest_kept(none, none, none, none, np.zeros(0))
    alternative_hits(image, word, none, none, none, none, np.zeros(1, dtype=np.int64), True, True)
    regex_conditions(none, none, none, none, 0, flags)
    evidence_utf8(codes, none, none, none, none, none, codes, np.zeros(1, dtype=np.int64), codes, codes, none)


@njit(cache=True, nogil=True)
def _utf8(out, x, c):
    """Write code point c at out[x:] in UTF-8; return the next offset, or -1 for a lone surrogate (UTF-8 has none)."""
    if c < 0x80:
        out[x] = c
        return x + 1
    if c < 0x800:
        out[x], out[x + 1] = 0xC0 | (c >> 6), 0x80 | (c & 0x3F)
        return x + 2
    if c < 0x10000:
        if 0xD800 <= c < 0xE000:
            return -1
        out[x], out[x + 1], out[x + 2] = 0xE0 | (c >> 12), 0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F)
        return x + 3
    out[x], out[x + 1], out[x + 2], out[x + 3] = 0xF0 | (c >> 18), 0x80 | ((c >> 12) & 0x3F), 0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F)
    return x + 4


@njit(cache=True, nogil=True)
def evidence_utf8(codes, para_start, para, start, end, label, label_codes, label_bounds, link, separator, group_end):
    """Return the evidence strings of groups of hits ("label => matched text; ..." per group, `evidence_format`) as
    the buffers of an Arrow string array: UTF-8 bytes and group offsets (empty offsets if a text holds a lone
    surrogate, which UTF-8 cannot hold).

    Hit h is the text codes[para_start[para[h]] + start[h]:... + end[h]] matched by the pattern whose label is
    label_codes[label_bounds[label[h]]:label_bounds[label[h] + 1]]; groups end at the hit offsets `group_end`."""
    size = 0
    for h in range(para.size):
        size += label_bounds[label[h] + 1] - label_bounds[label[h]] + link.size + end[h] - start[h] + separator.size
    out = np.empty(4 * size, dtype=np.uint8)
    offsets = np.zeros(group_end.size + 1, dtype=np.int64)
    x = 0
    h = 0
    for g in range(group_end.size):
        while h < group_end[g]:
            for i in range(label_bounds[label[h]], label_bounds[label[h] + 1]):
                x = _utf8(out, x, label_codes[i])
                if x < 0:
                    return out[:0], offsets[:0]
            for i in range(link.size):
                x = _utf8(out, x, link[i])
            base = para_start[para[h]]
            for i in range(base + start[h], base + end[h]):
                x = _utf8(out, x, codes[i])
                if x < 0:
                    return out[:0], offsets[:0]
            h += 1
            if h < group_end[g]:
                for i in range(separator.size):
                    x = _utf8(out, x, separator[i])
        offsets[g + 1] = x
    return out[:x], offsets
