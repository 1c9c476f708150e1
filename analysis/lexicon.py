"""Compile a codebook's patterns once and find every match, with its span, in a text.

Fixed phrases, their inflections and globs go into one Aho-Corasick automaton
(pyahocorasick), so a paragraph is scanned once whatever the size of the
codebook; regexes run separately. Matches are then filtered by word
boundaries, exclusions, negation and proximity, and reduced to evidence.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
from nltk.stem.snowball import SnowballStemmer

from .codebook import Codebook, Pattern

_STEMMER = SnowballStemmer("english")
_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ies", "ied", "ying", "ment", "ments", "ly")
_HYPHENS = str.maketrans({c: "-" for c in "‐‑‒–—"} | {"’": "'", "‘": "'"})
_PLAIN = [(chr(code), plain) for code, plain in _HYPHENS.items()]  # the same, as (character, replacement) pairs
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_CLAUSE_BREAKS = ".;!?"  # characters that end a clause: negation cues before the last are not read
_WORD_SPAN = 12  # characters read back per word wanted, before reading all the text (`_last_words`)
NEGATION_REACH = 80  # characters before a match read for negation cues


@dataclass(frozen=True)
class Hit:
    """One match of one pattern: frame index, pattern index (-1 for exclusions), span, weight."""

    frame: int
    pattern: int
    start: int
    end: int


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Return the Snowball (Porter 2) stem of a lower-case word."""
    return _STEMMER.stem(word)


def word_forms(word: str) -> set[str]:
    """Return `word` and its regular inflections that share its Snowball stem.

    "ban" -> bans, banned, banning; "chips" -> chip; "restrictions" -> restriction.
    """
    word = word.lower()
    base = stem(word)
    roots = {word, base}
    for suffix in ("ies", "es", "s", "ed", "ing", "ment", "ments", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            roots.add(word[: -len(suffix)])
    roots |= {root[:-1] for root in list(roots) if root.endswith(("e", "y"))}
    forms = set(roots)
    for root in roots:
        for suffix in _SUFFIXES:
            forms.add(root + suffix)
            if len(root) > 2 and root[-1] not in "aeiouwxy" and root[-2] in "aeiou":
                forms.add(root + root[-1] + suffix)  # ban -> banned
        forms.add(root + "y")
        forms.add(root + "e")
    return {form for form in forms if len(form) >= 2 and stem(form) == base}


def _names(phrase: str) -> set[str]:
    """Return the lower-case words of `phrase` written with a capital letter: names, which do not inflect."""
    out = set()
    for token in phrase.translate(_HYPHENS).split():
        if any(c.isupper() for c in token):
            out |= {token.lower(), token.lower().replace("-", "")}
            out |= {part.lower() for part in token.split("-") if any(c.isupper() for c in part)}
    return out


def _surface_forms(phrase: str, *, inflect: bool) -> set[str]:
    """Return the lower-case surface strings a phrase pattern matches.

    With `inflect`, every word matches its inflections except words written with a capital
    letter ("National Security Council", "Uyghur"): names and acronyms match as written or with a
    plural "s" only, so a three-word name is eight keys, not thousands.
    """
    names = _names(phrase)
    phrase = phrase.lower().translate(_HYPHENS)
    variants = {phrase}
    if "-" in phrase:
        variants |= {phrase.replace("-", " "), phrase.replace("-", "")}
    if " " in phrase:
        variants |= {v.replace(" ", "-") for v in variants}
    if not inflect:
        return variants
    out: set[str] = set()
    for variant in variants:
        words = variant.split(" ")
        options = [[w, w + "s"] if w in names and w.isalpha() else  # names take only a plural: Uyghur -> Uyghurs
                   sorted(word_forms(w)) if w.isalpha() and len(w) > 2 else [w] for w in words]
        out |= {" ".join(combo) for combo in itertools.product(*options)}
    return out


class Matcher:
    """All patterns of a codebook, compiled; `hits(text)` returns the surviving matches."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self._cache: dict[str, tuple[Hit, ...]] = {}
        self._automaton = ahocorasick.Automaton()
        self._regexes: list[tuple[int, int, re.Pattern]] = []
        self._near: list[tuple[int, int, Pattern]] = []
        keys: dict[str, list[tuple[int, int, bool]]] = {}
        near_terms: dict[str, int] = {}

        def add(frame: int, index: int, pattern: Pattern) -> None:
            if pattern.kind == "regex":
                self._regexes.append((frame, index, re.compile(pattern.value, re.IGNORECASE)))
                return
            if pattern.kind == "near":
                self._near.append((frame, index, pattern))
                for term in itertools.chain(*pattern.value):
                    near_terms.setdefault(term, len(near_terms))
                return
            for key, prefix in _keys(pattern):
                keys.setdefault(key, []).append((frame, index, prefix))

        for f, frame in enumerate(codebook.frames):
            for i, pattern in enumerate(frame.patterns):
                add(f, i, pattern)
            for pattern in frame.exclude:
                add(f, -1, pattern)
        # near-terms are matched as pseudo-frame -2, indexed by term number
        self._near_rules = [(frame, index, tuple(near_terms[t] for t in p.value[0]), tuple(near_terms[t] for t in p.value[1]), p.within)
                            for frame, index, p in self._near]
        for term, number in near_terms.items():
            kind = "glob" if "*" in term else "phrase"
            for key, prefix in _keys(Pattern(kind=kind, value=term, inflect=True)):
                keys.setdefault(key, []).append((-2, number, prefix))
        self._keys = keys  # key -> [(frame, pattern, prefix)], in the order targets are checked (the batch engine reads it)
        self._near_terms = near_terms
        self._automaton_built = False  # built on first use of `hits` (the batch engine does not need it)
        self._empty = not keys

    def _build_automaton(self) -> None:
        for key, targets in self._keys.items():
            self._automaton.add_word(key, (len(key), tuple(targets)))
        if self._keys:
            self._automaton.make_automaton()
        self._automaton_built = True

    def hits(self, text: str) -> list[Hit]:
        """Return the matches in `text` that count: bounded, not excluded, not negated, one per overlap in a frame (heaviest).

        Results are cached per text (cross-validation and stance features ask for the same paragraphs often).
        """
        cached = self._cache.get(text)
        if cached is None:
            cached = self._cache[text] = tuple(self._hits(text))
            if len(self._cache) > 50_000:
                self._cache.pop(next(iter(self._cache)))
        return list(cached)

    def _hits(self, text: str) -> list[Hit]:
        low = lowered(text)
        raw: list[Hit] = []
        near_hits: dict[int, list[tuple[int, int]]] = {}
        if not self._automaton_built:
            self._build_automaton()
        if not self._empty:
            for end, (length, targets) in self._automaton.iter(low):
                start = end - length + 1
                if start > 0 and (low[start - 1].isalnum() or low[start - 1] == "_"):
                    continue
                stop = end + 1
                for frame, index, prefix in targets:
                    if prefix:
                        while stop < len(low) and (low[stop].isalnum() or low[stop] == "_"):
                            stop += 1
                    elif stop < len(low) and (low[stop].isalnum() or low[stop] == "_"):
                        continue
                    if frame == -2:
                        near_hits.setdefault(index, []).append((start, stop))
                    else:
                        raw.append(Hit(frame, index, start, stop))
        for frame, index, regex in self._regexes:
            raw.extend(Hit(frame, index, m.start(), m.end()) for m in regex.finditer(text) if m.end() > m.start())
        if near_hits:
            raw.extend(self._proximity_hits(near_hits, low))
        return self._filtered(raw, low)

    def _proximity_hits(self, found: dict[int, list[tuple[int, int]]], low: str) -> list[Hit]:
        """Return hits of `near` rules: a left-term and a right-term match at most `within` words apart."""
        word_starts: list[int] | None = None
        out = []
        for frame, index, left_ids, right_ids, within in self._near_rules:
            left = [span for term in left_ids for span in found.get(term, ())]
            if not left:
                continue
            right = [span for term in right_ids for span in found.get(term, ())]
            if not right:
                continue
            if word_starts is None:
                word_starts = [m.start() for m in _WORD.finditer(low)]
            for a in left:
                for b in right:
                    first, second = (a, b) if a[0] <= b[0] else (b, a)
                    if first[1] <= second[0]:
                        between = bisect_left(word_starts, second[0]) - bisect_left(word_starts, first[1])
                        if between <= within:
                            out.append(Hit(frame, index, first[0], second[1]))
        return out

    def _filtered(self, raw: list[Hit], low: str) -> list[Hit]:
        if not raw:
            return raw
        excluded = [h for h in raw if h.pattern == -1]
        kept = [h for h in raw if h.pattern != -1 and not any(e.frame == h.frame and e.start < h.end and h.start < e.end for e in excluded)]
        kept = [h for h in kept if not (self.codebook.frames[h.frame].patterns[h.pattern].negatable and self._negated(low, h.start))]
        # within a frame, nested or overlapping matches count once: the heaviest wins, then the first, then the longest
        frames = self.codebook.frames
        kept.sort(key=lambda h: (h.frame, -frames[h.frame].patterns[h.pattern].weight, h.start, -(h.end - h.start)))
        result: list[Hit] = []
        for frame, group in itertools.groupby(kept, key=lambda h: h.frame):
            chosen: list[Hit] = []
            for hit in group:
                if not any(hit.start < c.end and c.start < hit.end for c in chosen):
                    chosen.append(hit)
            result.extend(sorted(chosen, key=lambda h: (h.start, -(h.end - h.start))))
        return result

    def _negated(self, low: str, start: int) -> bool:
        """Return whether a negation cue is among the last `negation_window` words before `start` in its clause."""
        reach = low[max(0, start - NEGATION_REACH):start]
        before = reach[max(map(reach.rfind, _CLAUSE_BREAKS)) + 1:]  # the clause's words before the match
        words = _last_words(before, self.codebook.negation_window)
        cues = self.codebook.negation_cues
        return any(w in cues or (w.endswith("n't") and "n't" in cues) for w in words)


def _last_words(text: str, count: int) -> list[str]:
    """Return `_WORD.findall(text)[-count:]`, reading only the end of `text` when that holds them.

    A scan from inside `text` finds the same words after its first, which may be the tail of a longer word."""
    if count > 0 and len(text) > _WORD_SPAN * count:
        tail = _WORD.findall(text, len(text) - _WORD_SPAN * count)[1:]
        if len(tail) >= count:
            return tail[-count:]
    return _WORD.findall(text)[-count:]


def lowered(text: str) -> str:
    """Return `text` lower-cased with dashes and curly apostrophes made plain, offsets unchanged."""
    if text.isascii():  # no dash or curly apostrophe to make plain, and every letter lower-cases to one
        return text.lower()
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; keep offsets aligned
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    for dash, plain in _PLAIN:  # (str.translate reads a dict per character: far slower on short texts)
        if dash in low:
            low = low.replace(dash, plain)
    return low


def _keys(pattern: Pattern) -> list[tuple[str, bool]]:
    """Return (automaton key, is-prefix) pairs for a phrase or glob pattern."""
    if pattern.kind == "phrase":
        return [(form, False) for form in _surface_forms(pattern.value, inflect=pattern.inflect)]
    value = pattern.value.lower().translate(_HYPHENS)
    if value.endswith("*") and "*" not in value[:-1]:
        return [(value[:-1], True)]
    # an inner '*' cannot be a fixed key: fall back to the prefix before it, checked by regex later
    raise ValueError(f"glob {pattern.value!r}: only a trailing '*' is supported")
