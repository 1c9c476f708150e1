"""Batch frame matching: a chunk of paragraphs matched in one pass, with exactly the rules of `lexicon.Matcher`.

`Matcher.hits(text)` scans one paragraph at a time in Python. `BatchMatcher`
gives the same hits for a list of paragraphs at a fraction of the cost:

1. the paragraphs are joined (with "\\n", a non-word character, between them)
   and mapped to one ASCII byte per character: lower-cased, dashes and curly
   apostrophes made plain (as `lexicon.lowered`), other non-ASCII characters
   replaced by "_" (word characters) or "\\x02" (others). No key holds either,
   so matches, word boundaries and offsets are those of the lowered text;
2. one Aho-Corasick pass (`ahocorasick_rs`, Rust) over the bytes returns every
   overlapping key match; word boundaries, glob extension and the expansion
   to (frame, pattern) targets are numpy operations on those arrays;
3. regexes run only at the positions or in the paragraphs where their literal
   conditions (`engine_regex.plan`) were found by the same pass; `near` rules
   only in paragraphs holding a term of each side;
4. exclusions, negation, "longest match per frame", weights, thresholds and
   evidence follow, vectorised where the rules allow and per hit in Python
   where they need the text (negation, evidence).

A codebook whose keys cannot be handled this way (a key with a non-ASCII
character or "_") falls back to `Matcher` paragraph by paragraph: slower,
same output.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left

import ahocorasick_rs
import numpy as np
import pandas as pd
from scipy import sparse

from . import engine_regex
from .lexicon import _HYPHENS, NEGATION_REACH, Hit, Matcher, lowered

FRAME_COLUMNS = ["paragraph_id", "frame", "score", "method", "evidence"]
_WORD_BYTES = re.compile(rb"\w+(?:'\w+)*")  # lexicon._WORD on the ASCII image ("’" is already "'")
_WORDISH = np.zeros(256, dtype=bool)
for _code in range(128):
    _WORDISH[_code] = chr(_code).isalnum() or chr(_code) == "_"
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A"):ord("Z") + 1] += 32
_NONWORD, _WORDCHAR = 2, ord("_")


def _useful(regex_plan: engine_regex.RegexPlan) -> engine_regex.RegexPlan:
    """Return the plan without conditions too common to pay (short words): the regex then runs on more text, never less."""
    def strong(strings, word_start: bool = False) -> bool:  # one or two letters match too often
        return all(len(s) >= 3 or (len(s) == 2 and word_start) or not any(c.isalpha() for c in s) for s in strings)

    anchors, required = regex_plan.anchors, regex_plan.required
    if anchors and not strong(anchors, regex_plan.word_start):
        anchors = None
    if required and not strong(required):
        required = None
    return engine_regex.RegexPlan(anchors, regex_plan.word_start, required, regex_plan.word_end)


def _marked(key: str, *, first: bool) -> bytes:
    """Return `key` as bytes with the high bit set on characters that start a word (the first one only if `first`)."""
    out = bytearray(key.encode("ascii", "replace"))
    for i, char in enumerate(key):
        if (char.isalnum() or char == "_") and (first if i == 0 else not (key[i - 1].isalnum() or key[i - 1] == "_")):
            out[i] |= 0x80
    return bytes(out)


def _substitute(code: int) -> int:
    """Return the ASCII byte standing for the non-ASCII character `code` in the lowered image."""
    char = chr(code)
    low = char.lower() if len(char.lower()) == 1 else char
    low = low.translate(_HYPHENS)
    if low.isascii():
        return ord(low)
    return _WORDCHAR if (low.isalnum() or low == "_") else _NONWORD


class BatchMatcher:
    """The patterns of a `Matcher`, compiled for chunks of paragraphs; `hits(texts)` equals `[matcher.hits(t) for t in texts]`."""

    def __init__(self, matcher: Matcher):
        self.matcher = matcher
        self.codebook = book = matcher.codebook
        self._subs: dict[int, int] = {}
        self._escapes: dict[int, bool] = {}
        keys: dict[str, list[tuple[int, int, int, bool, bool, bool]]] = {}
        # per target: frame (-2 near term, -3 regex anchor, -4 regex filter), index, extended end, needs end boundary, needs start
        for key, targets in matcher._keys.items():
            rows, extended = [], False
            for frame, index, prefix in targets:
                extended |= prefix
                rows.append((frame, index, int(extended), not extended, True, False))
            keys[key] = rows
        self._plans = [_useful(engine_regex.plan(regex.pattern, regex.flags)) for _, _, regex in matcher._regexes]
        for number, regex_plan in enumerate(self._plans):
            for literal in regex_plan.anchors or ():
                keys.setdefault(literal, []).append((-3, number, 0, regex_plan.word_end, regex_plan.word_start, False))
            for literal in regex_plan.required or ():
                keys.setdefault(literal, []).append((-4, number, 0, False, False, False))
        self.exact = all(k.isascii() and not set(k) & {"_", "\x02", "\n"} for k in keys)
        # Byte keys: a character that starts a word carries the high bit, in keys and in the text image, so a key
        # that must start a word only matches there (most raw matches inside words never leave the automaton).
        entries: dict[bytes, tuple[str, list]] = {}
        for key, rows in keys.items():
            anywhere = [r for r in rows if not (r[0] >= -2 or r[4])]
            if key and (key[0].isalnum()):
                entries[_marked(key, first=True)] = (key, rows)
                if anywhere:
                    entries[_marked(key, first=False)] = (key, anywhere)
            else:
                entries[_marked(key, first=False)] = (key, rows)
        self._key_list = [entry[0] for entry in entries.values()]
        counts = np.array([len(entry[1]) for entry in entries.values()], dtype=np.int64)
        self._key_first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self._key_count = counts
        self._key_len = np.array([len(k) for k in self._key_list], dtype=np.int64)
        flat = [row for entry in entries.values() for row in entry[1]]
        self._t_frame = np.array([r[0] for r in flat], dtype=np.int64)
        self._t_index = np.array([r[1] for r in flat], dtype=np.int64)
        self._t_ext = np.array([r[2] for r in flat], dtype=bool)
        self._t_needend = np.array([r[3] for r in flat], dtype=bool)
        self._t_start = np.array([r[4] if r[0] < -2 else True for r in flat], dtype=bool)
        self._key_ext = np.zeros(len(self._key_list), dtype=bool)
        np.logical_or.at(self._key_ext, np.repeat(np.arange(len(self._key_list)), counts), self._t_ext)
        owner = np.repeat(np.arange(len(self._key_list)), counts)
        self._key_free = np.zeros(len(self._key_list), dtype=bool)  # a target needs no word start
        np.logical_or.at(self._key_free, owner, ~self._t_start)
        self._key_open = np.zeros(len(self._key_list), dtype=bool)  # a target needs no word end
        np.logical_or.at(self._key_open, owner, ~self._t_needend)
        self._ac = ahocorasick_rs.BytesAhoCorasick(list(entries)) if entries and self.exact else None
        frames = book.frames
        self._negatable = {(f, i) for f, frame in enumerate(frames) for i, p in enumerate(frame.patterns) if p.negatable}
        self._negatable_at = np.zeros((len(frames), max([len(f.patterns) for f in frames], default=0) + 1), dtype=bool)
        for f, i in self._negatable:
            self._negatable_at[f, i] = True
        self._weights = [np.array([p.weight for p in frame.patterns], dtype=float) for frame in frames]
        self._weight_at = np.zeros((len(frames), max([len(f.patterns) for f in frames], default=0) + 1))
        for f, ws in enumerate(self._weights):
            self._weight_at[f, :len(ws)] = ws
        self._dyadic = all(float(w * 2 ** 20).is_integer() and abs(w) < 2 ** 20 for ws in self._weights for w in ws)
        self._texts = [[p.text for p in frame.patterns] for frame in frames]
        rules = matcher._near_rules
        self._n_terms = len(matcher._near_terms)
        self._rule_left = [np.array(r[2], dtype=np.int64) for r in rules]
        self._rule_right = [np.array(r[3], dtype=np.int64) for r in rules]
        n_terms = max(self._n_terms, 1)
        self._left_matrix = _side_matrix(self._rule_left, n_terms)  # terms x rules: 1 where the term is on that side
        self._right_matrix = _side_matrix(self._rule_right, n_terms)

    # ---- the ASCII image -------------------------------------------------------------------------------
    def _image(self, joined: str) -> tuple[bytes, np.ndarray]:
        """Return the lowered ASCII image of `joined` (one byte per character) and the offsets of case-escaping characters."""
        raw = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        if raw.size == len(joined):  # pure ASCII
            return _LOWER[raw].tobytes(), np.empty(0, dtype=np.int64)
        continuation = np.flatnonzero((raw & 0xC0) == 0x80)
        byte_at = np.flatnonzero(raw >= 0xC0)  # the first byte of each non-ASCII character
        lead = byte_at - np.searchsorted(continuation, byte_at)  # its character offset
        chars = np.delete(raw, continuation)
        padded = np.concatenate([raw, np.zeros(3, dtype=np.uint8)])
        b0, b1, b2, b3 = (padded[byte_at + k].astype(np.uint32) for k in range(4))
        code = np.where(b0 >= 0xF0, ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F),
                        np.where(b0 >= 0xE0, ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F),
                                 ((b0 & 0x1F) << 6) | (b1 & 0x3F)))
        unique, inverse = np.unique(code, return_inverse=True)
        subs = np.array([self._sub(int(c)) for c in unique], dtype=np.uint8)
        chars[lead] = subs[inverse]
        escaping = np.array([self._escape(int(c)) for c in unique], dtype=bool)
        return _LOWER[chars].tobytes(), lead[escaping[inverse]]

    def _sub(self, code: int) -> int:
        value = self._subs.get(code)
        if value is None:
            value = self._subs[code] = _substitute(code)
        return value

    def _escape(self, code: int) -> bool:
        value = self._escapes.get(code)
        if value is None:
            value = self._escapes[code] = engine_regex.case_escapes(chr(code))
        return value

    # ---- hits ------------------------------------------------------------------------------------------
    def hits(self, texts: list[str]) -> list[list[Hit]]:
        """Return, for each text, exactly `Matcher.hits(text)`."""
        table = self.hit_table(texts)
        out: list[list[Hit]] = [[] for _ in texts]
        for p, f, i, s, e in zip(*(table[k].tolist() for k in ("para", "frame", "pattern", "start", "end"))):
            out[p].append(Hit(f, i, s, e))
        return out

    def hit_table(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Return the counting hits of `texts` as arrays para, frame, pattern, start, end (ordered as `Matcher.hits`)."""
        if not self.exact:
            return _table_of([self.matcher._hits(t) for t in texts])
        n = len(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        para_start = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64) if n else np.zeros(0, np.int64)
        joined = "\n".join(texts)
        image, escaping = self._image(joined)
        escaped = np.unique(np.searchsorted(para_start, escaping, side="right") - 1) if escaping.size else np.zeros(0, np.int64)
        parts = []  # (para, frame, pattern, start, end, source, order1, order2, order3)
        near = regex_marks = None
        if self._ac is not None and image:
            codes = np.frombuffer(image, dtype=np.uint8)
            word = _WORDISH[codes]
            starts_word = word.copy()
            starts_word[1:] &= ~word[:-1]
            found = self._ac.find_matches_as_indexes((codes | (starts_word.astype(np.uint8) << 7)).tobytes(), overlapping=True)
            flat = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64, count=3 * len(found))
            kid, ms, me = flat[0::3], flat[1::3], flat[2::3]
            word = np.concatenate([word, [False]])
            start_ok = (ms == 0) | ~word[np.maximum(ms - 1, 0)]
            end_ok = ~word[me]
            useful = (start_ok | self._key_free[kid]) & (end_ok | self._key_open[kid])  # some target can pass
            kid, ms, me, start_ok, end_ok = kid[useful], ms[useful], me[useful], start_ok[useful], end_ok[useful]
            stop_ext = me.copy()
            extend = self._key_ext[kid]
            if extend.any():
                nonword = np.flatnonzero(~word)
                stop_ext[extend] = nonword[np.searchsorted(nonword, me[extend])]
            counts = self._key_count[kid]
            match = np.repeat(np.arange(kid.size), counts)
            offset = np.arange(match.size) - np.repeat(np.cumsum(counts) - counts, counts)
            target = self._key_first[kid][match] + offset
            ok = (start_ok[match] | ~self._t_start[target]) & (end_ok[match] | ~self._t_needend[target])
            match, offset, target = match[ok], offset[ok], target[ok]
            begin, finish = ms[match], np.where(self._t_ext[target], stop_ext[match], me[match])
            para = np.searchsorted(para_start, begin, side="right") - 1
            base = para_start[para]
            frame, index = self._t_frame[target], self._t_index[target]
            order = (me[match] - base, -self._key_len[kid[match]], offset)
            is_hit = frame >= -1
            parts.append((para[is_hit], frame[is_hit], index[is_hit], (begin - base)[is_hit], (finish - base)[is_hit],
                          np.zeros(is_hit.sum(), np.int64), *(o[is_hit] for o in order)))
            is_near = frame == -2
            near = (para[is_near], index[is_near], (begin - base)[is_near], (finish - base)[is_near], *(o[is_near] for o in order))
            is_regex = frame <= -3
            regex_marks = (frame[is_regex], index[is_regex], para[is_regex], (begin - base)[is_regex])
        parts.append(self._regex_hits(texts, regex_marks, escaped))
        if near is not None and near[0].size and self._rule_left:
            parts.append(self._near_hits(image, para_start, near))
        return self._filtered(texts, parts)

    def _regex_hits(self, texts, marks, escaped) -> tuple:
        """Return regex hits: each regex at its anchor positions, or on the paragraphs holding its literals, else everywhere."""
        rows: list[tuple[int, int, int, int, int, int, int]] = []
        n = len(texts)
        escaped_set = set(escaped.tolist())
        if marks is not None:
            kinds, numbers, paras, starts = marks
            order = np.lexsort((starts, paras, kinds, numbers))
            kinds, numbers, paras, starts = kinds[order], numbers[order], paras[order], starts[order]
        for number, ((frame, index, regex), regex_plan) in enumerate(zip(self.matcher._regexes, self._plans)):
            anchored: list[tuple[int, int, int]] = []  # (paragraph, first, last) slices of `listed` anchor positions
            listed: list[int] = []
            if marks is None:
                candidates = list(range(n)) if not (regex_plan.anchors or regex_plan.required) else []
            else:
                lo, mid, hi = np.searchsorted(numbers, [number, number, number + 1], side="left")
                mid = lo + np.searchsorted(kinds[lo:hi], -3, side="left")  # kinds -4 (required) sort before -3 (anchors)
                required_paras = np.unique(paras[lo:mid]) if regex_plan.required else None
                if regex_plan.anchors:
                    anchor_paras, anchor_starts = paras[mid:hi], starts[mid:hi]
                    if required_paras is not None:
                        inside = np.isin(anchor_paras, required_paras)
                        anchor_paras, anchor_starts = anchor_paras[inside], anchor_starts[inside]
                    firsts = np.flatnonzero(np.concatenate([[True], anchor_paras[1:] != anchor_paras[:-1]])) if anchor_paras.size else anchor_paras
                    listed = anchor_starts.tolist()
                    anchored = list(zip(anchor_paras[firsts].tolist(), firsts.tolist(), firsts[1:].tolist() + [len(listed)]))
                    candidates = []
                elif required_paras is not None:
                    candidates = required_paras.tolist()
                else:
                    candidates = list(range(n))
            if escaped_set:
                candidates = sorted(set(candidates) | escaped_set)
                anchored = [a for a in anchored if a[0] not in escaped_set]
            for p in candidates:  # the whole paragraph
                for k, m in enumerate(m for m in regex.finditer(texts[p]) if m.end() > m.start()):
                    rows.append((p, frame, index, m.start(), m.end(), number, k))
            match = regex.match
            for p, first, last in anchored:  # only where a match can start
                text, end, k = texts[p], 0, 0
                for position in listed[first:last]:
                    if position >= end:
                        m = match(text, position)
                        if m is not None and m.end() > m.start():
                            end = m.end()
                            rows.append((p, frame, index, position, end, number, k))
                            k += 1
        return _rows_part(rows, source=1)

    def _near_hits(self, image: bytes, para_start: np.ndarray, near) -> tuple:
        """Return the hits of `near` rules from the near-term matches (as `Matcher._proximity_hits`, vectorised)."""
        para, term, start, stop, o1, o2, o3 = near
        order = np.lexsort((o3, o2, o1, para))  # each paragraph's term matches in scan order
        para, term, start, stop = para[order], term[order], start[order], stop[order]
        codes = np.frombuffer(image, dtype=np.uint8)
        word = _WORDISH[codes]
        before = np.concatenate([[False], word[:-1]])
        joined_by_apostrophe = np.concatenate([[False, False], (codes[1:-1] == ord("'")) & word[:-2]])
        word_starts = np.flatnonzero(word & ~before & ~joined_by_apostrophe)  # starts of lexicon._WORD matches
        base = para_start[para]
        start_words = np.searchsorted(word_starts, base + start)  # words starting before each span start
        stop_words = np.searchsorted(word_starts, base + stop)
        columns = [np.zeros(0, np.int64)] * 8
        rules = self.matcher._near_rules
        rank = np.arange(para.size, dtype=np.int64)
        by_term = np.argsort(term, kind="stable")
        term_bounds = np.searchsorted(term[by_term], np.arange(max(self._n_terms, 1) + 1), side="left")
        n_paras, n_terms = int(para.max()) + 1, max(self._n_terms, 1)
        presence = sparse.csr_matrix((np.ones(para.size, dtype=np.float32), (para, term)), shape=(n_paras, n_terms))
        candidate = ((presence @ self._left_matrix) > 0).multiply((presence @ self._right_matrix) > 0).tocsc()

        for r, (left_ids, right_ids) in enumerate(zip(self._rule_left, self._rule_right)):
            rows = candidate.indices[candidate.indptr[r]:candidate.indptr[r + 1]]
            if not rows.size:
                continue
            mask = np.zeros(n_paras, dtype=bool)
            mask[rows] = True
            frame, index, _, _, within = rules[r]
            left = _side(left_ids, by_term, term_bounds, mask, para, rank)
            right = _side(right_ids, by_term, term_bounds, mask, para, rank)
            a, b = _pairs(para[left[0]], para[right[0]])
            ia, ib = left[0][a], right[0][b]
            a_first = start[ia] <= start[ib]
            f, g = np.where(a_first, ia, ib), np.where(a_first, ib, ia)
            good = (stop[f] <= start[g]) & (start_words[g] - stop_words[f] <= within)
            if not good.any():
                continue
            n = int(good.sum())
            columns = [np.concatenate(pair) for pair in zip(columns, (
                para[f][good], np.full(n, frame), np.full(n, index), start[f][good], stop[g][good],
                np.full(n, r), left[1][a][good], right[1][b][good]))]
        para_, frame_, index_, start_, stop_, rule_, rank_a, rank_b = columns
        return para_, frame_, index_, start_, stop_, np.full(para_.size, 2, np.int64), rule_, rank_a, rank_b

    # ---- exclusions, negation, longest per frame ----------------------------------------------------------
    def _filtered(self, texts: list[str], parts: list[tuple]) -> dict[str, np.ndarray]:
        para, frame, pattern, start, end, source, o1, o2, o3 = (np.concatenate(c) for c in zip(*parts))
        order = np.lexsort((o3, o2, o1, source, start - end, start, frame, para))
        para, frame, pattern, start, end = para[order], frame[order], pattern[order], start[order], end[order]
        keep = pattern >= 0
        if not keep.all():
            keep &= ~_excluded(para, frame, pattern, start, end)
        if self._negatable:
            candidates = keep & (pattern >= 0)
            candidates[candidates] = self._negatable_at[frame[candidates], pattern[candidates]]
            for m in np.flatnonzero(candidates).tolist():
                p, at = int(para[m]), int(start[m])
                window = max(0, at - NEGATION_REACH)  # `_negated` reads at most this far back
                if self.matcher._negated(lowered(texts[p][window:at]), at - window):
                    keep[m] = False
        para, frame, pattern, start, end = para[keep], frame[keep], pattern[keep], start[keep], end[keep]
        if para.size:
            keep = _heaviest(para, frame, start, end, self._weight_at[frame, pattern])
            para, frame, pattern, start, end = para[keep], frame[keep], pattern[keep], start[keep], end[keep]
        return {"para": para, "frame": frame, "pattern": pattern, "start": start, "end": end}

    # ---- frame rows ----------------------------------------------------------------------------------------
    def frames(self, paragraph_ids, texts: list[str], *, method: str = "lexicon") -> pd.DataFrame:
        """Return the rows of `LexiconTagger.predict` (`FRAME_COLUMNS`) for these paragraphs."""
        return pd.DataFrame(self.rows(paragraph_ids, texts, method=method), columns=FRAME_COLUMNS)

    def rows(self, paragraph_ids, texts: list[str], *, method: str = "lexicon") -> list[tuple]:
        """Return frame rows (paragraph_id, frame, score, method, evidence) of these paragraphs, in order."""
        table = self.hit_table(texts)
        para, frame, pattern, start, end = (table[k] for k in ("para", "frame", "pattern", "start", "end"))
        if not para.size:
            return []
        n_frames = len(self.codebook.frames)
        group = para * n_frames + frame
        cut = np.flatnonzero(np.diff(group)) + 1
        first = np.concatenate([[0], cut])
        last = np.concatenate([cut, [group.size]])
        scores = self._scores(group, frame, pattern, first)
        thresholds = np.array([f.threshold for f in self.codebook.frames])
        passing = np.flatnonzero(scores >= thresholds[frame[first]])
        ids = list(paragraph_ids)
        frame_ids = self.codebook.frame_ids
        pats, starts, ends = pattern.tolist(), start.tolist(), end.tolist()
        rows = []
        for g in passing.tolist():
            lo, hi = int(first[g]), int(last[g])
            p, f = int(para[lo]), int(frame[lo])
            text, names = texts[p], self._texts[f]
            evidence = "; ".join(f"{names[pats[k]]} => {text[starts[k]:ends[k]]}" for k in range(lo, hi))
            rows.append((ids[p], frame_ids[f], round(float(scores[g]), 4), method, evidence))
        return rows

    def _scores(self, group, frame, pattern, first) -> np.ndarray:
        """Return the summed weight of the distinct patterns of each (paragraph, frame) group."""
        if self._dyadic:  # sums of these weights are exact in any order
            n_patterns = max(len(w) for w in self._weights) + 1
            pairs, at = np.unique(group * n_patterns + pattern, return_index=True)
            weights = np.array([self._weights[f][p] for f, p in zip(frame[at].tolist(), pattern[at].tolist())])
            which = np.searchsorted(first, at, side="right") - 1
            return np.bincount(which, weights=weights, minlength=first.size)
        out = []
        bounds = first.tolist() + [group.size]
        for g in range(first.size):
            lo, hi = bounds[g], bounds[g + 1]
            weights = self._weights[int(frame[lo])]
            out.append(sum(weights[p] for p in {int(x) for x in pattern[lo:hi]}))
        return np.array(out, dtype=float)


def _heaviest(para, frame, start, end, weight) -> np.ndarray:
    """Return a keep-mask: within a (paragraph, frame), of overlapping matches only the heaviest (then first, longest) stays.

    Hits arrive sorted by (paragraph, frame, start, longest first). Where no hit starts before the
    furthest end seen so far in its group the answer is "keep"; groups with an overlap are resolved as `Matcher._filtered`.
    """
    group = para * 1_000_000 + frame
    new = np.concatenate([[True], group[1:] != group[:-1]])
    gid = np.cumsum(new) - 1
    big = np.int64(1) << 32
    reach = np.maximum.accumulate(gid * big + end)
    previous = np.concatenate([[-1], reach[:-1]])
    clash = ~new & (gid * big + start < previous)
    keep = np.ones(para.size, dtype=bool)
    if clash.any():
        bounds = np.flatnonzero(new).tolist() + [para.size]
        starts_of = np.flatnonzero(new)
        for g in np.unique(gid[clash]).tolist():
            lo, hi = int(starts_of[g]), bounds[g + 1]
            chosen: list[tuple[int, int]] = []
            for k in sorted(range(lo, hi), key=lambda k: (-weight[k], start[k], start[k] - end[k])):
                if any(start[k] < e and s < end[k] for s, e in chosen):
                    keep[k] = False
                else:
                    chosen.append((start[k], end[k]))
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
