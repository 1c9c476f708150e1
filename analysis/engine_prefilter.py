"""Where in a chunk each codebook regex can match: one Hyperscan pass, so Python's `re` is tried only there.

Hyperscan (Intel's multi-regex matcher, in C) scans the chunk's lowered ASCII
image (`engine_frames.BatchMatcher._images`) once for the screened regexes and
reports where each match ends. The image keeps the word class of every
character, and here non-ASCII spaces and digits become " " and "0" (as `\\s`
and `\\d` see them) and the regex's own non-ASCII characters become the bytes
the image has for them: so every match Python's `re` finds in a paragraph also
ends at a reported place, and the batch engine runs the real regex only in
those paragraphs and only before the last reported end. Regexes are compiled
in Hyperscan's prefilter mode (`HS_FLAG_PREFILTER`: a looser pattern whose
matches are a superset, cheaper to scan) or, where that mode refuses one, as
they are; a long bounded gap of one character class ("[^.]{0,100}") is
scanned as an unbounded one, also a superset and cheaper for Hyperscan. For
some regexes the scan also reports where each match starts (`starting`, see
`RegexPrefilter`), so Python's search need not begin at the paragraph's start. A
regex Hyperscan cannot compile is not screened; nor is one anchored to a whole
text (`\\A`, `\\Z`), turning a flag off inline (`(?-i:...)`) or escaping a
non-ASCII character.
"""

from __future__ import annotations

import re
import threading
from typing import NamedTuple

import hyperscan
import numpy as np

from .engine_regex import _ONE_CHARACTER, _c, _sre, parsed

_FLAGS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_MULTILINE  # "^" and "$" then match at every line: a superset
# anchors to a whole text; flags turned off inline (case matters again); an escaped non-ASCII character
_UNSCREENED = re.compile(r"\\[AZ]|\(\?[a-zA-Z]*-|\\[^\x00-\x7f]")


def _image_pattern(pattern: str, substitute) -> bytes:
    """Return `pattern` (`_relaxed`) with each non-ASCII character written as the escaped image byte standing for it."""
    return "".join(char if char.isascii() else f"\\x{substitute(ord(char)):02x}" for char in _relaxed(pattern)).encode("ascii")


_CLASS_GAP = re.compile(r"(?<!\\)(\[\^?[^\]\[\\]+\])\{0,\d\d+\}")  # "[^.]{0,100}": a long bounded gap of one character class


def _relaxed(pattern: str) -> str:
    """Return `pattern` with each long bounded gap of one character class ("[^.]{0,100}") made unbounded ("[^.]*").

    Its matches are then a superset, which is all a screen needs, and Hyperscan scans it faster (its engines for
    large bounded repeats cost more than a plain loop). Kept only if Python's own parse of the result differs from
    that of `pattern` in those repeats' upper bounds alone; else `pattern` is returned as it is."""
    relaxed = _CLASS_GAP.sub(r"\1*", pattern)
    if relaxed == pattern:
        return pattern
    try:
        before, after = parsed(pattern), parsed(relaxed)
    except re.error:
        return pattern
    return relaxed if _tree(before, unbound=True) == _tree(after) else pattern


def _tree(value, unbound: bool = False):
    """Return a parsed regex as nested tuples (comparable), with `unbound`: every repetition of one character class
    from 0 to 10 or more times made unbounded (as `_CLASS_GAP` finds them)."""
    if isinstance(value, (list, tuple, _sre.SubPattern)):
        items = [_tree(item, unbound) for item in value]
        if unbound and len(items) == 2 and items[0] in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, body = items[1]
            if low == 0 and high >= 10 and len(body) == 1 and body[0][0] in _ONE_CHARACTER:
                items[1] = (0, _c.MAXREPEAT, body)
        return tuple(items)
    return value


def _database(expressions: list[bytes], flags: list[int]) -> hyperscan.Database:
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions), flags=flags)
    return database


def _compiles(expression: bytes, flags: int) -> bool:
    try:
        _database([expression], [flags])
    except hyperscan.error:
        return False
    return True


class Screen(NamedTuple):
    """Where a chunk's screened regexes can match (`RegexPrefilter.screen`).

    `last_ends`: {regex number: {paragraph: the last end (in the paragraph) of a match there}}; a paragraph absent
    from a regex's dict holds no match of it. `starts`: for the regexes the screen finds starts of (`starting`),
    {regex number: {paragraph: (the ends of its matches there in order, and for each the least start of a match
    ending there or later)}}: a match of the real regex that ends after a place starts at or after the least start
    of the first end past that place."""

    last_ends: dict[int, dict[int, int]]
    starts: dict[int, dict[int, tuple[list[int], list[int]]]]


class RegexPrefilter:
    """Those of `patterns` (number: regex) that Hyperscan can screen (`numbers`), compiled into one database; of those
    numbered in `starting`, the ones it compiles as they are and reports the start of each match for (`starting`).

    A start costs Hyperscan little for a regex that repeats single characters only (`engine_regex.
    repeats_characters_only`) and saves most of Python's search where no literal anchors a regex: it then begins
    where the screen saw a match begin, not at the paragraph's start."""

    def __init__(self, patterns: dict[int, str], substitute, starting: frozenset[int] | set[int] = frozenset()):
        screened = {number: _image_pattern(pattern, substitute) for number, pattern in patterns.items()
                    if not _UNSCREENED.search(pattern)}
        tries = {number: ((_FLAGS | hyperscan.HS_FLAG_SOM_LEFTMOST,) if number in starting else ())
                 + (_FLAGS | hyperscan.HS_FLAG_PREFILTER, _FLAGS) for number in screened}
        self.numbers, expressions = list(screened), list(screened.values())
        flags = [tries[number][0] for number in screened]
        try:  # usually every regex compiles in its first mode: one compilation
            self._database = _database(expressions, flags) if expressions else None
        except hyperscan.error:  # else each is tried alone, in each of its modes in turn
            expressions, flags, self.numbers = [], [], []
            for number, expression in screened.items():
                for mode in tries[number]:
                    if _compiles(expression, mode):
                        expressions.append(expression)
                        flags.append(mode)
                        self.numbers.append(number)
                        break
            self._database = _database(expressions, flags) if expressions else None
        self.starting = {number for number, mode in zip(self.numbers, flags) if mode & hyperscan.HS_FLAG_SOM_LEFTMOST}
        self._starting = np.array([number in self.starting for number in self.numbers], dtype=bool)
        self.screens = self._database is not None  # whether a chunk's screen image is read at all
        self._threads = threading.local()  # Hyperscan scratch space: one per thread (Dask workers scan in threads)

    def screen(self, image, para_start: np.ndarray) -> Screen:
        """Return where in the chunk (`image`: its screen image; `para_start`: each paragraph's first offset) each
        screened regex can match."""
        out = Screen({number: {} for number in self.numbers}, {number: {} for number in self.starting})
        if self._database is None or not len(image):
            return out
        found: list[int] = []

        def note(expression: int, start: int, end: int, flags: int, context) -> None:
            found.append(expression)
            found.append(start)
            found.append(end)

        scratch = getattr(self._threads, "scratch", None)
        if scratch is None:
            scratch = self._threads.scratch = hyperscan.Scratch(self._database)
        self._database.scan(image, match_event_handler=note, scratch=scratch)
        if not found:
            return out
        flat = np.array(found, dtype=np.int64)
        which, start, end = flat[0::3], flat[1::3], flat[2::3]
        para = np.searchsorted(para_start, end - 1, side="right") - 1
        start, end = np.maximum(start - para_start[para], 0), end - para_start[para]  # (a match may start in the paragraph before)
        order = np.lexsort((end, para, which))
        which, para, start, end = which[order], para[order], start[order], end[order]
        group = np.concatenate([[True], (which[1:] != which[:-1]) | (para[1:] != para[:-1])])  # the first of each (regex, paragraph)
        firsts = np.flatnonzero(group)
        bounds = np.append(firsts, which.size)
        regex_bounds = np.append(np.flatnonzero(np.concatenate([[True], which[firsts][1:] != which[firsts][:-1]])), firsts.size)
        paras, last_ends = para[firsts].tolist(), end[bounds[1:] - 1].tolist()
        for lo, hi in zip(regex_bounds[:-1].tolist(), regex_bounds[1:].tolist()):  # each regex: its paragraphs' last ends
            out.last_ends[self.numbers[int(which[firsts[lo]])]] = dict(zip(paras[lo:hi], last_ends[lo:hi]))
        if self.starting:  # the least start of each group's matches, from its last end backwards
            gid, span = np.cumsum(group) - 1, int(start.max()) + 1
            least = (np.minimum.accumulate((start + gid * span)[::-1])[::-1] - gid * span).tolist()
            ends, starting = end.tolist(), self._starting[which[firsts]].tolist()
            for g, (lo, hi) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
                if starting[g]:
                    out.starts[self.numbers[int(which[lo])]][paras[g]] = (ends[lo:hi], least[lo:hi])
        return out
