"""Sentences for stance scoring, and which of them may hold a codebook word: one pass over a paragraph for each.

`sentence_spans` is `PunktSentenceTokenizer().span_tokenize` for the untrained
tokenizer (no abbreviations, collocations, sentence starters or orthographic
statistics), with Punkt's decision at each candidate break worked out for those
empty parameters (`_sentbreak`), without NLTK's per-token objects.
tests/test_stance_text.py compares it with NLTK on the shared corpus and on
generated edge cases.

`Needles` tells, from one Aho-Corasick scan of the lower-cased paragraph, which
sentences may match a pattern of codebook words, so the pattern runs only there.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from functools import lru_cache

from nltk.tokenize.punkt import PunktLanguageVars, PunktSentenceTokenizer, PunktToken

from .engine_regex import case_escapes


def _raw(pattern):
    """The compiled pattern inside NLTK's `redos` wrapper (same matches; the wrapper adds a time limit per call)."""
    return getattr(pattern, "_rx", pattern)


_LANG = PunktLanguageVars()
_CONTEXT = _raw(_LANG.period_context_re())
_WORDS = _raw(_LANG._word_tokenizer_re())
_REALIGN = _raw(_LANG.re_boundary_realignment)
_ENDS = tuple(_LANG.sent_end_chars)
_PUNCTUATION = PunktSentenceTokenizer.PUNCTUATION
_CLOSERS = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")  # the characters `_REALIGN` opens with
assert _REALIGN.pattern.startswith('["\\\')\\]}\\u2018\\u2019\\u201c\\u201d\\xab\\xbb]+?'), "NLTK changed its realignment"
_ELLIPSIS, _NUMERIC, _INITIAL = (_raw(p) for p in (PunktToken._RE_ELLIPSIS, PunktToken._RE_NUMERIC, PunktToken._RE_INITIAL))


# "said. The", "fell! Markets": an ASCII word of two letters or more, its end mark, spaces, a token (not opening with a
# period, which could make ". . ." one token). The first token is "said." (or "fell" then "!"), a break that no rule
# undoes, and a token follows: Punkt breaks here.
_PLAIN_BREAK = re.compile(r"[A-Za-z]{2,}(?:[?!] +\S|\. +[^\s.])")


def _breaks(context: str) -> bool:
    """`_sentbreak`, deciding the commonest shape of context at once."""
    return True if _PLAIN_BREAK.match(context) else _sentbreak(context)


@lru_cache(maxsize=50_000)
def _sentbreak(context: str) -> bool:
    """`PunktSentenceTokenizer().text_contains_sentbreak(context)`: a token marked as a break with a token after it.

    With empty parameters Punkt's first pass marks ".", "?", "!" and every word ending in one
    period as a break (ellipses are not); its second pass can only unmark a break after an
    initial ("J.") or a number ("1720.") when the next token is punctuation or lower case, or,
    after an initial, upper case. Every other heuristic needs learned parameters. The cache is
    keyed on the few characters around one candidate break, not on texts.
    """
    tokens = []
    for line in context.split("\n"):
        if line.strip():
            tokens += _WORDS.findall(line)
    for k in range(len(tokens) - 1):
        token = tokens[k]
        if token in _ENDS:
            pass
        elif _ELLIPSIS.match(token) or not token.endswith(".") or token.endswith(".."):
            continue
        if token.endswith("."):
            kind = _NUMERIC.sub("##number##", token.lower())
            kind = kind[:-1] if len(kind) > 1 and kind[-1] == "." else kind
            initial = _INITIAL.match(token)
            if initial or kind == "##number##":
                following = tokens[k + 1]
                if following in _PUNCTUATION or following[0].islower() or (initial and following[0].isupper()):
                    continue
        return True
    return False


_LAST_SPACE = re.compile(f".*[{re.escape(string.whitespace)}]", re.DOTALL)  # greedy: ends just after the last one


def _last_space(text: str, start: int, stop: int) -> int:
    """NLTK's `_get_last_whitespace_index(text[start:stop])`: the index of its last ASCII whitespace, 0 when none."""
    found = _LAST_SPACE.match(text, start, stop)
    return found.end() - 1 - start if found else 0


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, stop) of each sentence of `text`, as `PunktSentenceTokenizer().span_tokenize(text)`."""
    contexts, previous, before, stop = [], None, 0, 0  # NLTK's _match_potential_end_contexts
    for match in _CONTEXT.finditer(text):
        at = match.start()
        space = _last_space(text, stop, at)
        start = space + stop + 1 if space else before
        if previous is not None and stop <= start:
            contexts.append((previous, text[before:stop] + previous.group() + previous.group("after_tok")))
        previous, before, stop = match, start, at
    if previous is not None:
        contexts.append((previous, text[before:stop] + previous.group() + previous.group("after_tok")))
    slices, last = [], 0  # _slices_from_text
    for match, context in contexts:
        if _breaks(context):
            slices.append((last, match.end()))
            last = match.start("next_tok") if match.group("next_tok") else match.end()
    slices.append((last, len(text.rstrip())))
    spans, realign, final = [], 0, len(slices) - 1  # _realign_boundaries
    for k, (start, stop) in enumerate(slices):
        start += realign
        if k == final:
            if text[start:stop]:
                spans.append((start, stop))
            continue
        following = slices[k + 1]
        opening = following[0] < following[1] and text[following[0]] in _CLOSERS  # the only way _REALIGN can match
        found = _REALIGN.match(text[following[0]:following[1]]) if opening else None
        if found:
            spans.append((start, following[0] + len(found.group(0).rstrip())))
            realign = found.end()
        else:
            realign = 0
            if text[start:stop]:
                spans.append((start, stop))
    return spans


def sentences(text: str) -> list[str]:
    """Return the sentences of a paragraph (Punkt without trained abbreviations), blank ones left out."""
    return [s for s in (text[a:b] for a, b in sentence_spans(text)) if s.strip()]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_STOPWORDS = frozenset({"the", "a", "an", "of", "to", "in", "on", "at", "and", "or", "its", "it", "for", "by"})


class Needles:
    """A necessary test, run once per paragraph, for patterns of codebook words: which sentences may match each.

    `words` maps a pattern's name to the words it was built from (a word matching as itself, case
    aside, with runs of whitespace for its spaces and optional hyphens: `stance._alternation`). A
    match holds every piece of its word between spaces and hyphens; one piece per word (the
    longest, stopwords last) is looked for in the lower-cased paragraph. A pattern with a word
    without an ASCII piece may match anywhere; so may every pattern in a paragraph that lower-casing
    does not map character for character, or that holds a character matching an ASCII letter only
    case-insensitively (dotless i, long s, Kelvin sign: `engine_regex.case_escapes`).
    """

    def __init__(self, words: dict[str, tuple[str, ...]]):
        import ahocorasick

        self.names = frozenset(words)
        self.anywhere: set[str] = set()
        needles: dict[str, set[str]] = {}
        for name, listed in words.items():
            for word in listed:
                pieces = [p.lower() for p in re.split("[ -]", word) if p]
                if not pieces or not any(p.isascii() for p in pieces):
                    self.anywhere.add(name)
                    continue
                best = max((p for p in pieces if p.isascii()), key=lambda p: (p not in _STOPWORDS, len(p)))
                needles.setdefault(best, set()).add(name)
        self._automaton = ahocorasick.Automaton()
        for needle, names in needles.items():
            self._automaton.add_word(needle, (len(needle) - 1, frozenset(names)))
        if needles:
            self._automaton.make_automaton()

    def hits(self, text: str) -> list[tuple[int, int, frozenset]] | None:
        """Return the needles found in `text`, each as (last index, (length - 1, pattern names)); None: any pattern may match anywhere."""
        low = text.lower()
        if len(low) != len(text) or "Σ" in text or (not text.isascii() and any(map(case_escapes, set(_NON_ASCII.findall(text))))):
            return None
        return list(self._automaton.iter(low)) if len(self._automaton) else []

    def anywhere_in(self, hits: list | None, name: str) -> bool:
        """Return whether pattern `name` may match somewhere in the paragraph of `hits`."""
        return hits is None or name in self.anywhere or any(name in names for _, (_, names) in hits)

    def within(self, hits: list | None, spans: list[tuple[int, int]]) -> list[frozenset]:
        """Return, for each (start, stop) span of the paragraph of `hits`, the names of the patterns that may match in it."""
        if hits is None:
            return [self.names] * len(spans)
        found = [frozenset(self.anywhere)] * len(spans)  # shared until a needle adds to it: most spans hold none
        if hits:
            starts = [start for start, _ in spans]
            for last, (extra, names) in hits:
                k = bisect_right(starts, last - extra) - 1
                if k >= 0 and last < spans[k][1]:
                    found[k] = found[k] | names
        return found


_ATOM = re.compile(r"\[-\\s\]\?|\\s\+|\\.|.", re.DOTALL)  # the pieces `stance._alternation` builds words from


def _key(atom: str) -> str | None:
    """What an atom matches, as a key: atoms with different keys never match the same character; None: may overlap anything."""
    if atom == r"\s+":
        return atom
    char = atom[-1] if len(atom) == 2 and atom[0] == "\\" else atom if len(atom) == 1 else ""
    return char.lower() if len(char) == 1 and char.isascii() and char.isprintable() and not char.isspace() else None


def factored(parts: list[str]) -> str:
    """An alternation of `parts` (tried in this order) with common leading atoms factored out, matching exactly as `a|b|...`.

    Python's re enters every alternative at every start; here only those sharing the first
    character. An alternative moves up to join an earlier group only past alternatives whose
    first atom never matches the same character, so the first to succeed at a place is the same.
    A shared `\\s+` is factored only when every alternative goes on with a non-space literal.
    """
    return "|".join(_factor([_ATOM.findall(p) for p in parts]))


def _factor(alts: list[list[str]]) -> list[str]:
    groups: list[tuple[str | None, list[list[str]]]] = []
    for atoms in alts:
        key = _key(atoms[0]) if atoms else None
        for g in range(len(groups) - 1, -1, -1):
            if key is not None and groups[g][1][0] and groups[g][1][0][0] == atoms[0]:
                groups[g][1].append(atoms)
                break
            if key is None or any(_key(other[0]) in (None, key) if other else True for other in groups[g][1]):
                groups.append((key, [atoms]))
                break
        else:
            groups.append((key, [atoms]))
    out = []
    for key, members in groups:
        if len(members) > 1 and key == r"\s+" and not all(len(m) > 1 and _key(m[1]) not in (None, key) for m in members):
            out.extend("".join(m) for m in members)  # a \s+ whose length could matter: leave these whole
        elif len(members) > 1:
            inner = _factor([m[1:] for m in members])
            out.append(members[0][0] + ("(?:" + "|".join(inner) + ")" if len(inner) > 1 else inner[0]))
        else:
            out.append("".join(members[0]))
    return out
