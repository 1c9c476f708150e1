"""Batch frame matching: a chunk of paragraphs matched in one pass, with exactly the rules of `lexicon.Matcher`.

`Matcher.hits(text)` scans one paragraph at a time in Python. `BatchMatcher`
gives the same hits for a list of paragraphs (or an `engine_text.ChunkText`,
read from Arrow) at a fraction of the cost:

1. the paragraphs are joined (with "\\n", a non-word character, between them)
   as code points (`engine_text`) and mapped to one ASCII byte per character:
   lower-cased, dashes and curly apostrophes made plain (as `lexicon.lowered`),
   other non-ASCII characters
   replaced by "_" (word characters) or "\\x02" (others). No key holds either,
   so matches, word boundaries and offsets are those of the lowered text;
2. one compiled search (`engine_search`, numba) over the bytes returns every
   overlapping key match as one array (what an Aho-Corasick search returns).
   Keys and text carry marks on the characters that start and end a word, so
   most matches inside longer words are never reported; word boundaries, glob
   extension and the expansion to (frame, pattern) targets are one compiled
   loop (`engine_loops`) over them;
3. regexes run only at the positions or in the paragraphs where their literal
   conditions (`engine_regex.plan`) were found by the same pass, and (for
   regexes with repetitions) only in paragraphs where one Hyperscan pass over
   the chunk found a match (`engine_prefilter`); a regex that is a list of
   literal strings (`\\b(US|U\\.S\\.|America)\\b`) is matched at its anchors by a
   compiled loop; `near` rules only in paragraphs holding a term of each side,
   also by a compiled loop;
4. exclusions, negation, "longest match per frame", weights, thresholds and
   evidence follow, vectorised or compiled where the rules allow (evidence is
   written from the chunk's code points) and per hit in Python where they need
   the text (negation).

A codebook whose keys cannot be handled this way (a key with a non-ASCII
character or "_") falls back to `Matcher` paragraph by paragraph: slower,
same output.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pyarrow as pa

from . import engine_loops, engine_regex, engine_rules, engine_search
from .engine_arrays import _WORDISH, _excluded, _table_of, lex_order
from .engine_loops import END_MARK, START_MARK
from .engine_prefilter import RegexPrefilter
from .engine_search import KeySearch
from .engine_text import ChunkText, code_points
from .evidence_format import LINK, SEPARATOR, evidence_text
from .lexicon import _HYPHENS, NEGATION_REACH, Hit, Matcher, lowered

FRAME_COLUMNS = ["paragraph_id", "frame", "score", "method", "evidence"]
_ROWS = pa.schema([("frame", pa.large_string()), ("score", pa.float64()), ("method", pa.large_string()),
                   ("evidence", pa.large_string())])  # `BatchMatcher.rows`: the columns after paragraph_id
_WORD_BYTES = re.compile(rb"\w+(?:'\w+)*")  # lexicon._WORD on the ASCII image ("’" is already "'")
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A"):ord("Z") + 1] += 32
_NONWORD, _WORDCHAR = 2, ord("_")


def _alphabet(keys) -> np.ndarray | None:
    """Return a table from image byte to a 6-bit code (each character of a key its own code; any other character the
    code of its word class), or None when the keys hold too many distinct characters for 6 bits.

    The two spare bits then mark the characters that start a word and those that end one."""
    chars = sorted(set("".join(keys)))
    if len(chars) > 62:
        return None
    table = np.where(_WORDISH, 63, 62).astype(np.uint8)  # any other word character / non-word character
    for code, char in enumerate(chars):
        table[ord(char)] = code
    return table


def _marked(key: str, alphabet: bytes | None, *, first: bool, last: bool) -> bytes:
    """Return `key` as automaton bytes: characters that start a word carry the start mark (the first one only if
    `first`) and, with a 6-bit `alphabet` (as a `bytes.translate` table), characters that end a word the end mark
    (the last one only if `last`)."""
    word = [char.isalnum() or char == "_" for char in key]
    raw = key.encode("ascii", "replace")
    out = bytearray(raw if alphabet is None else raw.translate(alphabet))
    for i, is_word in enumerate(word):
        if is_word and (first if i == 0 else not word[i - 1]):
            out[i] |= START_MARK
        if alphabet is not None and is_word and (last if i == len(key) - 1 else not word[i + 1]):
            out[i] |= END_MARK
    return bytes(out)


def _substitute(code: int) -> int:
    """Return the ASCII byte standing for the non-ASCII character `code` in the lowered image."""
    char = chr(code)
    low = char.lower() if len(char.lower()) == 1 else char
    low = low.translate(_HYPHENS)
    if low.isascii():
        return ord(low)
    return _WORDCHAR if (low.isalnum() or low == "_") else _NONWORD


def _screen_class(code: int) -> int:
    """Return the byte the prefilter image has for a non-ASCII space (" ") or digit ("0"), else 0 (the image's own byte)."""
    char = chr(code)
    return ord(" ") if char.isspace() else ord("0") if char.isdecimal() else 0


def _screen_byte(code: int) -> int:
    """Return the byte the prefilter image has for the non-ASCII character `code`."""
    return _screen_class(code) or _substitute(code)


def warm_up() -> None:
    """Compile (or load from numba's disk cache) the engine's compiled loops, once per process.

    Called when a matcher is built, so the cost is paid before the paragraphs come, and worker processes forked
    afterwards inherit the machine code instead of each loading it on its first chunk; `make` calls it once after
    installing, so the compiled code is cached before the first run."""
    if getattr(warm_up, "done", False):
        return
    engine_loops.warm_up()
    engine_search.warm_up()
    warm_up.done = True


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
        whole_plans = [engine_regex.plan(regex.pattern, regex.flags) for _, _, regex in matcher._regexes]
        self._plans = [engine_rules.useful(regex_plan) for regex_plan in whole_plans]
        first_of: dict[tuple, int] = {}  # a regex another frame repeats is matched once: {repeat's number: first's number}
        self.repeats = {number: first_of.setdefault((regex.pattern, regex.flags), number)
                        for number, (_, _, regex) in enumerate(matcher._regexes)}
        self.repeats = {number: first for number, first in self.repeats.items() if first != number}
        self.alternatives = {}  # regex number: (chars, bounds, lead, trail) for `engine_loops.alternative_hits`
        for number, (_, _, regex) in enumerate(matcher._regexes):
            literal = engine_regex.alternatives(regex.pattern, regex.flags)
            if literal is not None and self._plans[number].anchors:
                chars = [-1 if c is None else ord(c) for string in literal.strings for c in string]
                bounds = np.concatenate([[0], np.cumsum([len(string) for string in literal.strings])]).astype(np.int64)
                self.alternatives[number] = (np.array(chars, dtype=np.int64), bounds, literal.lead, literal.trail)
        # a regex without repetitions matches a short list of strings: its anchors are as good as a scan for it
        screened = {number: regex.pattern for number, (_, _, regex) in enumerate(matcher._regexes)
                    if engine_regex.repeats(regex.pattern, regex.flags) and number not in self.alternatives
                    and number not in self.repeats}
        # a screened regex `useful` left no word-start anchor for, and that repeats single characters only: the screen
        # finds where its matches start too, for Python's search to begin there (see below)
        starting = {number for number, (_, _, regex) in enumerate(matcher._regexes) if number in screened
                    and not (self._plans[number].anchors and self._plans[number].word_start)
                    and engine_regex.repeats_characters_only(regex.pattern, regex.flags)}
        self._prefilter = RegexPrefilter(screened, _screen_byte, starting)
        for number in self._prefilter.numbers:  # the screen is the stronger filter: their required literals are not searched,
            # nor anchors that may start inside a word (only a scan of every byte finds them): the regex is then searched
            # in the paragraphs the screen found, before the last match it found there, from the first start it found
            # (`starting`); else from its anchors at word starts, even short ones ("a"): tried there only, they cost less
            regex_plan = self._plans[number] if number in self._prefilter.starting else whole_plans[number]
            self._plans[number] = dataclasses.replace(regex_plan, required=None,
                                                      anchors=regex_plan.anchors if regex_plan.word_start else None)
        self.uses_required = np.array([bool(regex_plan.required) for regex_plan in self._plans], dtype=np.bool_)
        for number, regex_plan in enumerate(self._plans):
            if number in self.repeats:  # (its hits are the first's)
                continue
            for literal in regex_plan.anchors or ():
                keys.setdefault(literal, []).append((-3, number, 0, regex_plan.word_end, regex_plan.word_start, False))
            for literal in regex_plan.required or ():
                keys.setdefault(literal, []).append((-4, number, 0, False, False, False))
        self.exact = all(k.isascii() and not set(k) & {"_", "\x02", "\n"} for k in keys)
        # Byte keys: a character that starts a word carries the start mark, in keys and in the text image, and (when the
        # keys' characters fit in 6 bits) a character that ends one the end mark: a key that must start or end a word
        # only matches there (most raw matches inside words never leave the automaton). A key some of whose targets
        # need no boundary also goes in unmarked there, with those targets only.
        self._alphabet = _alphabet(keys) if self.exact else None
        translation = None if self._alphabet is None else self._alphabet.tobytes()
        entries: dict[bytes, tuple[str, list]] = {}
        for key, rows in keys.items():
            free = [not (r[0] >= -2 or r[4]) for r in rows]  # needs no word start
            open_end = [not r[3] for r in rows]  # needs no word end
            starts = [True, False] if key and key[0].isalnum() else [False]
            ends = [True, False] if self._alphabet is not None and key and key[-1].isalnum() else [False]
            for first in starts:
                for last in ends:
                    chosen = [r for r, f, o in zip(rows, free, open_end)
                              if (first or f or len(starts) == 1) and (last or o or len(ends) == 1)]
                    if chosen:
                        entries[_marked(key, translation, first=first, last=last)] = (key, chosen)
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
        self._search = None
        if self.exact:
            warm_up()
        if entries and self.exact:
            self._search = KeySearch(list(entries))
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
        self._names = np.array([p.text for frame in frames for p in frame.patterns], dtype=object)  # evidence labels
        self._label_codes = code_points("".join(self._names.tolist()))  # the labels' code points, for compiled evidence
        self._label_bounds = np.concatenate([[0], np.cumsum([len(name) for name in self._names.tolist()])]).astype(np.int64)
        self._name_at = np.concatenate([[0], np.cumsum([len(frame.patterns) for frame in frames])[:-1]]).astype(np.int64)
        self._frame_ids = pa.array(book.frame_ids, pa.large_string())
        self._thresholds = np.array([frame.threshold for frame in frames], dtype=float)
        self.near_tables = engine_rules.near_tables(matcher._near_rules, len(matcher._near_terms))

    # ---- the ASCII image -------------------------------------------------------------------------------
    def _images(self, codes: np.ndarray) -> tuple[np.ndarray, ...]:
        """Return the images of the code points `codes` (`engine_loops.chunk_images`): image, screen (what the regex
        prefilter scans: non-ASCII spaces and digits made " " and "0", as `\\s` and `\\d` see them), marked, word,
        escaping."""
        table = np.unique(engine_loops.non_ascii(codes))
        subs = np.array([self._sub(int(c)) for c in table], dtype=np.uint8)
        screens = np.array([_screen_class(int(c)) for c in table], dtype=np.uint8)
        escapes = np.array([self._escape(int(c)) for c in table], dtype=np.bool_)
        end_marks = self._alphabet is not None
        return engine_loops.chunk_images(codes, _LOWER, table, subs, screens, escapes, _WORDISH,
                                         self._alphabet if end_marks else _LOWER, end_marks, self._prefilter.screens)

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

    def hit_table(self, texts: list[str] | ChunkText) -> dict[str, np.ndarray]:
        """Return the counting hits of `texts` as arrays para, frame, pattern, start, end (ordered as `Matcher.hits`),
        and (except for codebooks the per-paragraph matcher runs) the chunk's code points and paragraph starts, codes
        and para_start (the texts joined by "\\n")."""
        if not self.exact:
            return _table_of([self.matcher._hits(t) for t in texts])
        if not isinstance(texts, ChunkText):
            texts = ChunkText.of_strings(texts)
        points, para_start = texts.codes, texts.para_start
        codes, screen, marked, word, escaping = self._images(points)
        escaped = np.unique(np.searchsorted(para_start, escaping, side="right") - 1) if escaping.size else np.zeros(0, np.int64)
        parts = []  # (para, frame, pattern, start, end, source, order1, order2, order3)
        near = regex_marks = None
        if self._search is not None and codes.size:
            hits, near, marks = engine_loops.expanded_matches(
                self._search.matches(marked), word, para_start, self._key_first, self._key_count, self._key_len,
                self._t_frame, self._t_index, self._t_ext, self._t_needend, self._t_start)
            parts.append((*hits[:5], np.zeros(hits.shape[1], np.int64), *hits[5:]))
            near = tuple(near)
            regex_marks = tuple(marks)
        scanned = (codes, word, para_start) if regex_marks is not None else None
        parts.append(engine_rules.regex_hits(self, texts, regex_marks, escaped, self._prefilter.screen(screen, para_start), scanned))
        if near is not None and near[0].size and self.matcher._near_rules:
            parts.append(engine_rules.near_hits(self, codes, word, para_start, near))
        return self._filtered(texts, parts) | {"codes": points, "para_start": para_start}  # the chunk, for evidence

    # ---- exclusions, negation, longest per frame ----------------------------------------------------------
    def _filtered(self, texts: ChunkText, parts: list[tuple]) -> dict[str, np.ndarray]:
        para, frame, pattern, start, end, source, o1, o2, o3 = (np.concatenate(c) for c in zip(*parts))
        order = lex_order(para, frame, start, start - end, source, o1, o2, o3)
        para, frame, pattern, start, end = para[order], frame[order], pattern[order], start[order], end[order]
        keep = pattern >= 0
        if not keep.all():
            keep &= ~_excluded(para, frame, pattern, start, end)
        if self._negatable:
            candidates = keep & (pattern >= 0)
            candidates[candidates] = self._negatable_at[frame[candidates], pattern[candidates]]
            negatable = np.flatnonzero(candidates)
            strings = texts.strings_at(set(para[negatable].tolist()))  # (these paragraphs only, made at once)
            for m in negatable.tolist():
                p, at = int(para[m]), int(start[m])
                window = max(0, at - NEGATION_REACH)  # `_negated` reads at most this far back
                if self.matcher._negated(lowered(strings[p][window:at]), at - window):
                    keep[m] = False
        para, frame, pattern, start, end = para[keep], frame[keep], pattern[keep], start[keep], end[keep]
        if para.size:
            keep = engine_loops.heaviest_kept(para, frame, start, end, self._weight_at[frame, pattern])
            para, frame, pattern, start, end = para[keep], frame[keep], pattern[keep], start[keep], end[keep]
        return {"para": para, "frame": frame, "pattern": pattern, "start": start, "end": end}

    # ---- frame rows ----------------------------------------------------------------------------------------
    def rows(self, texts: list[str] | ChunkText, *, method: str = "lexicon") -> tuple[np.ndarray, pa.Table]:
        """Return the frame rows of these paragraphs, paragraph by paragraph, frame by frame: each row's paragraph (an
        index into `texts`) and an Arrow table of the other `FRAME_COLUMNS` (frame, score, method, evidence)."""
        table = self.hit_table(texts)
        para, frame, pattern, start, end = (table[k] for k in ("para", "frame", "pattern", "start", "end"))
        if not para.size:
            return np.zeros(0, np.int64), _ROWS.empty_table()
        group = para * len(self.codebook.frames) + frame
        first, sizes = _bounds(group)
        scores = self._scores(group, frame, pattern, first)
        passing = scores >= self._thresholds[frame[first]]
        shown = np.repeat(passing, sizes)  # the hits of passing groups: their evidence
        lead = first[passing]
        evidence = self._evidence(table, texts, para[shown], self._name_at[frame[shown]] + pattern[shown], start[shown],
                                  end[shown], np.cumsum(sizes[passing]))
        return para[lead], pa.table([
            pa.DictionaryArray.from_arrays(frame[lead].astype(np.int32), self._frame_ids).cast(pa.large_string()),
            pa.array(_rounded(scores[passing]), pa.float64()),
            pa.DictionaryArray.from_arrays(np.zeros(lead.size, np.int32), pa.array([method], pa.large_string())).cast(pa.large_string()),
            evidence,
        ], schema=_ROWS)

    def evidence(self, texts: list[str] | ChunkText) -> dict[tuple[int, int], str]:
        """Return {(paragraph index, frame index): evidence} for every frame with a counting match, whatever its score
        (the evidence the trained taggers show for the frames they predict)."""
        table = self.hit_table(texts)
        para, frame, pattern, start, end = (table[k] for k in ("para", "frame", "pattern", "start", "end"))
        if not para.size:
            return {}
        first, sizes = _bounds(para * len(self.codebook.frames) + frame)
        shown = self._evidence(table, texts, para, self._name_at[frame] + pattern, start, end, np.cumsum(sizes))
        return dict(zip(zip(para[first].tolist(), frame[first].tolist()), shown.to_pylist()))

    def _evidence(self, table: dict, texts, para, label, start, end, group_end) -> pa.LargeStringArray:
        """Return "pattern => matched text; ..." for each group of hits (groups end at the offsets `group_end`; `label`:
        each hit's pattern as a flat index into `_names`), written from the chunk's code points when `hit_table` kept
        them (and no text holds a lone surrogate, which UTF-8 cannot hold), else from Python strings."""
        if "codes" in table:
            data, offsets = engine_loops.evidence_utf8(table["codes"], table["para_start"], para, start, end, label,
                                                       self._label_codes, self._label_bounds, _LINK, _SEPARATOR, group_end)
            if offsets.size:
                return pa.LargeStringArray.from_buffers(group_end.size, pa.py_buffer(offsets), pa.py_buffer(data))
        return pa.array(_evidence(texts, para, self._names[label], start, end, group_end), pa.large_string())

    def _scores(self, group, frame, pattern, first) -> np.ndarray:
        """Return the summed weight of the distinct patterns of each (paragraph, frame) group."""
        if self._dyadic:  # sums of these weights are exact in any order
            n_patterns = max(len(w) for w in self._weights) + 1
            pairs, at = np.unique(group * n_patterns + pattern, return_index=True)
            weights = self._weight_at[frame[at], pattern[at]]
            which = np.searchsorted(first, at, side="right") - 1
            return np.bincount(which, weights=weights, minlength=first.size)
        out = []
        bounds = first.tolist() + [group.size]
        for g in range(first.size):
            lo, hi = bounds[g], bounds[g + 1]
            weights = self._weights[int(frame[lo])]
            out.append(sum(weights[p] for p in {int(x) for x in pattern[lo:hi]}))
        return np.array(out, dtype=float)


def _bounds(group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the first row and the size of each run of equal values in `group` (hits sorted by paragraph, frame)."""
    first = np.concatenate([[0], np.flatnonzero(np.diff(group)) + 1])
    return first, np.diff(np.concatenate([first, [group.size]]))


def _rounded(values: np.ndarray) -> list[float]:
    """Return `[round(x, 4) for x in values]`, skipping Python's `round` where numpy shows `x` already has 4 decimals.

    np.round(x, 4) == x means x is the double nearest some k / 10**4, and then round(x, 4) returns x itself.
    """
    out = values.tolist()
    for k in np.flatnonzero(np.round(values, 4) != values).tolist():
        out[k] = round(out[k], 4)
    return out


_LINK, _SEPARATOR = code_points(LINK), code_points(SEPARATOR)


def _evidence(texts, para, names, start, end, group_end) -> list[str]:
    """Return "pattern => matched text; ..." for each group of hits (groups end at the offsets `group_end`)."""
    spans = list(map(str.__getitem__, [texts[p] for p in para.tolist()], map(slice, start.tolist(), end.tolist())))
    bounds = [0, *group_end.tolist()]
    return [evidence_text(zip(names[lo:hi], spans[lo:hi])) for lo, hi in zip(bounds, bounds[1:])]
