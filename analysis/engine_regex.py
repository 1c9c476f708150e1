"""Cheap literal conditions for a codebook regex, so the batch engine runs it only where it can match.

For a regex, `plan(pattern)` finds (from Python's own parse of it):

- `anchors`: lower-case ASCII strings one of which every match starts with
  (`\\b(took|taken)\\b...` -> took, taken), and whether a match must start a word;
- `required`: lower-case ASCII strings one of which every match contains.

Both are necessary conditions, never sufficient: the batch engine finds them
with the same Aho-Corasick pass as the phrases, then runs the real regex at
those positions (`pattern.match(text, pos)`) or on those paragraphs
(`finditer`), so its matches are exactly those of `finditer` on every
paragraph. A regex with neither runs on every paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

try:  # Python 3.11+: the regex parser is re._parser (sre_parse before)
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]

_LIMIT = 64  # most strings a product of alternatives may give; beyond it a condition is dropped (still correct, less selective)
_UNION_LIMIT = 4096  # most strings in one set of alternatives
_REPEATS = tuple(getattr(_c, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_c, name))
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)


@lru_cache(maxsize=4096)
def parsed(pattern: str, flags: int = re.IGNORECASE):
    """Return Python's own parse of `pattern` (a read-only tree: `plan`, `repeats`, `alternatives` and the screen all
    read it, so a codebook's regex is parsed once); raise `re.error` as `re.compile` would."""
    return _sre.parse(pattern, flags)


@dataclass(frozen=True)
class RegexPlan:
    """Literal conditions of one regex: `anchors` (match starts), `word_start`, `required` (match contains)."""

    anchors: frozenset[str] | None
    word_start: bool
    required: frozenset[str] | None
    word_end: bool = False


def plan(pattern: str, flags: int = re.IGNORECASE) -> RegexPlan:
    """Return the literal conditions of `pattern` (see the module docstring)."""
    try:
        items = list(parsed(pattern, flags))
    except re.error:
        return RegexPlan(None, False, None)
    prefix = _prefix(items)
    anchors, word_start, word_end = (frozenset(prefix[0]), prefix[1], prefix[2]) if prefix else (None, False, False)
    required = _required(items)
    return RegexPlan(anchors, word_start, frozenset(required) if required else None, word_end)


def _char(code: int) -> str | None:
    char = chr(code)
    return char.lower() if char.isascii() and char != "_" else None


def _product(left: set[str], right: set[str]) -> set[str] | None:
    if len(left) * len(right) > _LIMIT:
        return None
    return {a + b for a in left for b in right}


def _exact(items) -> set[str] | None:
    """Return every string the sequence `items` matches, when it is a small set of literals, else None."""
    current = {""}
    for op, av in items:
        options = _exact_item(op, av)
        if options is None:
            return None
        current = _product(current, options)
        if current is None:
            return None
    return current


def _branch_union(branches, of) -> set[str] | None:
    """Return the union of `of(branch)` over the branches of an alternation; None if any is None or it grows too large."""
    out: set[str] = set()
    for branch in branches:
        options = of(list(branch))
        if options is None:
            return None
        out |= options
    return out if len(out) <= _UNION_LIMIT else None


def _exact_item(op, av) -> set[str] | None:
    if op is _c.LITERAL:
        char = _char(av)
        return {char} if char is not None else None
    if op is _c.SUBPATTERN:
        return _exact(list(av[-1]))
    if op is _c.BRANCH:
        return _branch_union(av[1], _exact)
    if op in _REPEATS and av[1] == 1 and av[0] in (0, 1):
        options = _exact(list(av[2]))
        if options is None:
            return None
        return options | {""} if av[0] == 0 else options
    if op is _c.IN and all(kind is _c.LITERAL for kind, _ in av):
        chars = {_char(code) for _, code in av}
        return None if None in chars else chars
    return None


def _prefix(items) -> tuple[set[str], bool, bool] | None:
    """Return (strings every match of `items` starts with, must a match start a word, must those strings end one), or None."""
    index, boundary = 0, False
    while index < len(items) and (items[index][0] is _c.AT or (items[index][0] in (_c.ASSERT, _c.ASSERT_NOT) and items[index][1][0] < 0)):
        boundary |= items[index][1] is _c.AT_BOUNDARY  # a lookbehind consumes nothing: skipped, no boundary claimed
        index += 1
    current: set[str] = {""}
    inner_word_start, whole, following = False, False, None
    for position in range(index, len(items)):
        op, av = items[position]
        options = _exact_item(op, av)
        if options is not None:
            extended = _product(current, options)
            if extended is None:
                break
            current = extended
            continue
        sub = _prefix_item(op, av)
        if sub is not None:
            extended = _product(current, sub[0])
            if extended is not None:
                inner_word_start = current == {""} and sub[1]
                current = extended
        else:
            whole, following = True, items[position]
        break
    else:
        whole = True
    if not current or "" in current:
        return None
    starts_word = all(s[0].isalnum() for s in current)
    ends_word = whole and following is not None and all(s[-1].isalnum() for s in current) and _no_word_char(*following)
    return current, starts_word and (boundary or inner_word_start), ends_word


def _no_word_char(op, av) -> bool:
    """True when the item can only match (or assert) a position followed by a non-word character."""
    if op is _c.AT:
        return av is _c.AT_BOUNDARY
    if op is _c.LITERAL:
        return not (chr(av).isalnum() or chr(av) == "_")
    if op is _c.IN:
        return all((kind is _c.LITERAL and not (chr(value).isalnum() or chr(value) == "_"))
                   or (kind is _c.CATEGORY and value is _c.CATEGORY_SPACE) for kind, value in av)
    if op in _REPEATS and av[0] >= 1:
        first = list(av[2])
        return len(first) >= 1 and _no_word_char(*first[0])
    return False


def _prefix_item(op, av) -> tuple[set[str], bool] | None:
    if op is _c.SUBPATTERN:
        sub = _prefix(list(av[-1]))
        return (sub[0], sub[1]) if sub else None
    if op is _c.BRANCH:
        out: set[str] = set()
        word_start = True
        for branch in av[1]:
            sub = _prefix(list(branch))
            if sub is None:
                return None
            out |= sub[0]
            word_start &= sub[1]
        return (out, word_start) if len(out) <= _UNION_LIMIT else None
    if op in _REPEATS and av[0] >= 1:
        sub = _prefix(list(av[2]))
        return (sub[0], sub[1]) if sub else None
    return None


def _required(items) -> set[str] | None:
    """Return strings one of which every match of `items` contains (the most selective found), or None."""
    best: set[str] | None = None

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if not candidate or "" in candidate:
            return
        if best is None or (min(map(len, candidate)), -len(candidate)) > (min(map(len, best)), -len(best)):
            best = candidate

    run: set[str] | None = None
    for op, av in items:
        options = _exact_item(op, av)
        if options is not None:
            extended = _product(run or {""}, options)
            if extended is None:
                consider(run)
                run = options
            else:
                run = extended
            continue
        consider(run)
        run = None
        consider(_required_item(op, av))
    consider(run)
    return best


def _required_item(op, av) -> set[str] | None:
    if op is _c.SUBPATTERN:
        return _required(list(av[-1]))
    if op is _ATOMIC and _ATOMIC is not None:
        return _required(list(av))
    if op is _c.BRANCH:
        return _branch_union(av[1], _required)
    if op in _REPEATS and av[0] >= 1:
        return _required(list(av[2]))
    return None


def _repetitions(pattern: str, flags: int) -> list[tuple[int, int, list]] | None:
    """Return every repetition in `pattern`, nested ones too, as (least, most, repeated items); None if it does not parse."""
    try:
        tree = parsed(pattern, flags)
    except re.error:
        return None
    found: list[tuple[int, int, list]] = []

    def walk(items) -> None:
        for op, av in items:
            if op in _REPEATS:
                found.append((av[0], av[1], list(av[2])))
                walk(av[2])
            elif op is _c.SUBPATTERN:
                walk(av[-1])
            elif op is _c.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (_c.ASSERT, _c.ASSERT_NOT):
                walk(av[1])
            elif _ATOMIC is not None and op is _ATOMIC:
                walk(av)

    walk(list(tree))
    return found


def repeats(pattern: str, flags: int = re.IGNORECASE) -> bool:
    """True when `pattern` holds a repetition (`*`, `+`, `?`, `{m,n}`): its matches are then not a short list of strings."""
    found = _repetitions(pattern, flags)
    return found is None or bool(found)


_ONE_CHARACTER = (_c.IN, _c.LITERAL, _c.NOT_LITERAL, _c.ANY)  # what a character class may parse as


def repeats_characters_only(pattern: str, flags: int = re.IGNORECASE) -> bool:
    """True when every repetition in `pattern` that may repeat more than once repeats a single character or class
    (`\\d+`, `\\s?`, `(\\.\\d+)?`, not `(\\w+\\s+){0,3}`): Hyperscan then tracks where its matches start at little cost."""
    found = _repetitions(pattern, flags)
    return found is not None and all(most <= 1 or (len(body) == 1 and body[0][0] in _ONE_CHARACTER) for _, most, body in found)


@lru_cache(maxsize=None)
def case_escapes(char: str) -> bool:
    """True when a regex (case-insensitive) may match `char` where the lower-cased text shows something else.

    E.g. dotless "ı" matches "i" and "ſ" matches "s" under re.IGNORECASE; a paragraph holding such a
    character has every regex run on it in full.
    """
    from .lexicon import _HYPHENS

    low = char.lower() if len(char.lower()) == 1 else char
    low = low.translate(_HYPHENS)
    if (char.isalnum() or char == "_") != (low.isalnum() or low == "_"):
        return True
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if low != letter and re.fullmatch(letter, char, re.IGNORECASE):
            return True
    return False


class LiteralTest:
    """A cheap necessary test for a case-insensitive regex: `maybe(text)` is False only when it cannot match.

    The test looks for the regex's required words (`plan`) in the lower-cased text with one
    Aho-Corasick scan; a text holding a character that `case_escapes` always passes.
    """

    def __init__(self, regex: re.Pattern):
        import ahocorasick

        found = plan(regex.pattern, regex.flags)
        needles = found.required or found.anchors
        self.always = not needles
        self._automaton = ahocorasick.Automaton()
        for needle in needles or ():
            self._automaton.add_word(needle, needle)
        if needles:
            self._automaton.make_automaton()

    def maybe(self, text: str) -> bool:
        if self.always:
            return True
        for _ in self._automaton.iter(text.lower()):
            return True
        return not text.isascii() and any(case_escapes(c) for c in set(text) if ord(c) > 127)


@dataclass(frozen=True)
class Alternatives:
    """A regex that is a list of literal strings between optional word boundaries (`\\b(US|U\\.S\\.|America)\\b`).

    `strings` are lower-case, in the order Python's backtracking tries them, with None where any character but a
    newline matches (`.`); `lead` and `trail`: the regex asserts a word boundary before, after the string."""

    strings: tuple[tuple[str | None, ...], ...]
    lead: bool
    trail: bool


_ALTERNATIVES_LIMIT = 256
_LOOKALIKES = set("-'_")  # the engine's image shows other characters as these (dashes, curly apostrophes, non-ASCII letters)


def alternatives(pattern: str, flags: int = re.IGNORECASE) -> Alternatives | None:
    """Return `pattern` as literal alternatives (see `Alternatives`), or None when it is anything more.

    Its match at a position is then the first string, in order, that the text holds there with the boundaries
    it asserts: what `pattern.match(text, position)` returns, found without running the regex."""
    try:
        items = list(parsed(pattern, flags))
    except re.error:
        return None
    if not flags & re.IGNORECASE or flags & (re.VERBOSE | re.DOTALL | re.ASCII | re.LOCALE):
        return None
    lead = bool(items) and items[0] == (_c.AT, _c.AT_BOUNDARY)
    trail = len(items) > int(lead) and items[-1] == (_c.AT, _c.AT_BOUNDARY)
    strings = _ordered(items[int(lead):len(items) - int(trail)])
    if not strings or any(not s for s in strings):
        return None
    return Alternatives(tuple(strings), lead, trail)


def _ordered(items) -> list[tuple[str | None, ...]] | None:
    """Return every string the sequence `items` matches, in backtracking order, or None (too many, or not literal)."""
    current: list[tuple[str | None, ...]] = [()]
    for op, av in items:
        options = _ordered_item(op, av)
        if options is None or len(current) * len(options) > _ALTERNATIVES_LIMIT:
            return None
        current = [a + b for a in current for b in options]  # the earlier item varies slowest, as backtracking tries them
    return current


def _ordered_item(op, av) -> list[tuple[str | None, ...]] | None:
    if op is _c.LITERAL:
        char = chr(av)
        return [(char.lower(),)] if char.isascii() and char not in _LOOKALIKES and char != "\n" else None
    if op is _c.ANY:
        return [(None,)]
    if op is _c.IN and all(kind is _c.LITERAL for kind, _ in av):  # one character: the order of the set is no matter
        options = [_ordered_item(kind, code) for kind, code in av]
        return None if None in options else [option[0] for option in options]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] in (0, 1) and av[1] == 1:  # x? (greedy: x first) or x?? (lazy)
        inner = _ordered(list(av[2]))
        if inner is None:
            return None
        if av[0] == 1:
            return inner
        return inner + [()] if op is _c.MAX_REPEAT else [()] + inner
    if op is _c.SUBPATTERN:
        _, add_flags, del_flags, inner = av
        return _ordered(list(inner)) if not (add_flags or del_flags) else None
    if op is _c.BRANCH:
        out: list[tuple[str | None, ...]] = []
        for branch in av[1]:
            options = _ordered(list(branch))
            if options is None or len(out) + len(options) > _ALTERNATIVES_LIMIT:
                return None
            out += options
        return out
    return None
