"""Regex and `near` rules of the batch frame engine, for a whole chunk of paragraphs at once.

`regex_hits` runs each regex only where the Aho-Corasick pass found its anchors or required literals
(`engine_regex.plan`); `near_hits` pairs the near-term matches of each rule in the paragraphs holding
both sides. Both return hit columns as `engine_frames.BatchMatcher` merges them, and give exactly the
hits of `lexicon.Matcher`.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np

from . import engine_loops, engine_regex
from .engine_arrays import lex_order
from .engine_prefilter import Screen
from .engine_text import ChunkText


def useful(regex_plan: engine_regex.RegexPlan) -> engine_regex.RegexPlan:
    """Return the plan without conditions too common to pay (short words), or implied by another (required literals
    that are the anchors: a match starting with one contains it): the regex then runs on more text, never less."""
    def strong(strings, word_start: bool = False) -> bool:  # one or two letters match too often
        return all(len(s) >= 3 or (len(s) == 2 and word_start) or not any(c.isalpha() for c in s) for s in strings)

    anchors, required = regex_plan.anchors, regex_plan.required
    if anchors and not strong(anchors, regex_plan.word_start):
        anchors = None
    if required and (not strong(required) or required == anchors):
        required = None
    return engine_regex.RegexPlan(anchors, regex_plan.word_start, required, regex_plan.word_end)


def regex_hits(batch, texts: ChunkText, marks, escaped, screen: Screen, scanned: tuple | None = None) -> tuple:
    """Return regex hits: each regex at its anchor positions, or on the paragraphs holding its literals, else everywhere.

    `screen` (`engine_prefilter.RegexPrefilter.screen`) narrows the screened regexes to the paragraphs where they
    match, and within them to the text before the last match ends (and, where it found starts, from the first
    start on); paragraphs in `escaped` are always searched.
    A regex of literal alternatives (`engine_regex.alternatives`) is matched at its anchors in the chunk's image
    `scanned` = (bytes, word characters, paragraph starts) by a compiled loop, without Python's `re`. A regex that
    another frame repeats (`batch.repeats`) is searched once: its hits are copied to the other frame.
    """
    rows: list[tuple[int, int, int, int, int, int, int]] = []
    compiled: list[np.ndarray] = []
    n = len(texts)
    escaped_set = set(escaped.tolist())
    searches = []  # (number, frame, index, regex, whole paragraphs, anchored slices, anchor positions, screened last ends,
    #               screened start places)
    if marks is not None:
        anchor_para, anchor_start, anchor_bounds, required, required_bounds = engine_loops.regex_conditions(
            *marks, len(batch._plans), batch.uses_required)
    found_in = np.zeros(n, dtype=bool)  # the paragraphs the screen found the regex at hand in
    for number, ((frame, index, regex), regex_plan) in enumerate(zip(batch.matcher._regexes, batch._plans)):
        if number in batch.repeats:
            continue
        anchored: list[tuple[int, int, int]] = []  # (paragraph, first, last) slices of `listed` anchor positions
        listed: list[int] = []
        ends = screen.last_ends.get(number)
        if ends is not None and not (regex_plan.anchors or regex_plan.required):  # those the screen found
            candidates = sorted(ends)
        elif marks is None:
            candidates = list(range(n)) if not (regex_plan.anchors or regex_plan.required) else []
        else:
            required_paras = required[required_bounds[number]:required_bounds[number + 1]] if regex_plan.required else None
            if regex_plan.anchors:  # (in paragraphs holding a required literal, if it has any)
                lo, hi = anchor_bounds[number], anchor_bounds[number + 1]
                anchor_paras, anchor_starts = anchor_para[lo:hi], anchor_start[lo:hi]
                literal = batch.alternatives.get(number)
                if literal is not None and scanned is not None and ends is None:
                    outside = ~np.isin(anchor_paras, escaped) if escaped.size else slice(None)
                    found = engine_loops.alternative_hits(*scanned, anchor_paras[outside], anchor_starts[outside], *literal)
                    compiled.append(np.vstack([found[0], np.full(found.shape[1], frame), np.full(found.shape[1], index),
                                               found[1], found[2], np.full(found.shape[1], number), found[3]]))
                    anchor_paras = anchor_starts = anchor_paras[:0]
                if ends is not None and anchor_paras.size:  # the screen's paragraphs only, before any list is made
                    found_in[:] = False
                    found_in[np.fromiter(ends, dtype=np.int64, count=len(ends))] = True
                    kept = found_in[anchor_paras]
                    anchor_paras, anchor_starts = anchor_paras[kept], anchor_starts[kept]
                firsts = np.flatnonzero(np.concatenate([[True], anchor_paras[1:] != anchor_paras[:-1]])) if anchor_paras.size else anchor_paras
                listed = anchor_starts.tolist()
                anchored = list(zip(anchor_paras[firsts].tolist(), firsts.tolist(), firsts[1:].tolist() + [len(listed)]))
                candidates = []
            elif required_paras is not None:
                candidates = required_paras.tolist()
            else:
                candidates = list(range(n))
        if ends is not None and candidates:  # screened: only paragraphs holding a match (and only before its last end)
            candidates = [p for p in candidates if p in ends]
        if escaped_set:
            candidates = sorted(set(candidates) | escaped_set)
            anchored = [a for a in anchored if a[0] not in escaped_set]
        if candidates or anchored:
            searches.append((number, frame, index, regex, candidates, anchored, listed, ends, screen.starts.get(number, {})))
    needed = {p for search in searches for p in search[4]} | {a[0] for search in searches for a in search[5]}
    strings = texts.strings_at(needed)  # (made at once, for these paragraphs only: Python's `re` reads strings)
    for number, frame, index, regex, candidates, anchored, listed, ends, starts in searches:
        for p in candidates:  # the whole paragraph
            found = regex.finditer(strings[p]) if ends is None or p in escaped_set else _searched(regex, strings[p], ends[p], starts.get(p))
            for k, m in enumerate(m for m in found if m.end() > m.start()):
                rows.append((p, frame, index, m.start(), m.end(), number, k))
        match = regex.match
        for p, first, last in anchored:  # only where a match can start
            text, end, k = strings[p], 0, 0
            stop = len(text) if ends is None else ends[p]
            for position in listed[first:last]:
                if position >= stop:
                    break
                if position >= end:
                    m = match(text, position)
                    if m is not None and m.end() > m.start():
                        end = m.end()
                        rows.append((p, frame, index, position, end, number, k))
                        k += 1
    columns = np.hstack([np.array(rows, dtype=np.int64).reshape(-1, 7).T, *compiled])
    copies = []  # the hits of each repeated regex, given to its repeats
    for number, first in batch.repeats.items():
        copy = columns[:, columns[5] == first]
        copy[1], copy[2], copy[5] = batch.matcher._regexes[number][0], batch.matcher._regexes[number][1], number
        copies.append(copy)
    columns = np.hstack([columns, *copies])
    return (*columns[:5], np.ones(columns.shape[1], np.int64), columns[5], columns[6], np.zeros(columns.shape[1], np.int64))


def _searched(regex, text: str, stop: int, places: tuple[list[int], list[int]] | None = None):
    """Yield `regex.finditer(text)`'s matches, given that none ends after `stop` (no search starts at or after it).

    `places` (`engine_prefilter.Screen.starts`): the ends of the screen's matches in order, and for each the least
    start of a match ending there or later; a search then begins at that start for the first end past its place."""
    position = 0
    while position < stop:
        at = position
        if places is not None:
            ends, least = places
            first = bisect_right(ends, position)  # (a match starting at or after `position` ends after it)
            if first == len(ends):
                return
            at = max(position, least[first])
        m = regex.search(text, at)
        if m is None:
            return
        if m.end() == m.start():  # an empty match: from here on, finditer's own rule (it repeats this empty match)
            yield from regex.finditer(text, m.start())
            return
        yield m
        position = m.end()


def near_hits(batch, codes: np.ndarray, word: np.ndarray, para_start: np.ndarray, near) -> tuple:
    """Return the hits of `near` rules from the near-term matches (as `Matcher._proximity_hits`, compiled).

    `codes`: the chunk's image bytes; `word`: whether each is a word character (one False past the end).
    """
    para, term, start, stop, o1, o2, o3 = near
    order = lex_order(para, o1, o2, o3)  # each paragraph's term matches in scan order
    rules = batch.near_tables
    found = engine_loops.near_rule_hits(para[order], term[order], start[order], stop[order], codes, word, para_start,
                                        rules["term_rules_ptr"], rules["term_rules"], rules["term_sides"], rules["left_position"],
                                        rules["right_position"], rules["frame"], rules["index"], rules["within"])
    para_, frame_, index_, start_, stop_, rule_, rank_a, rank_b = found
    return para_, frame_, index_, start_, stop_, np.full(para_.size, 2, np.int64), rule_, rank_a, rank_b


def near_tables(near_rules: list[tuple], n_terms: int) -> dict[str, np.ndarray]:
    """Return the `near` rules (frame, pattern, left terms, right terms, within) as the flat arrays `near_hits` reads.

    A term listed twice on one side keeps its first place: its second listing would only repeat the same spans,
    of which the overlap rule keeps the first anyway."""
    position = {side: np.full((max(len(near_rules), 1), max(n_terms, 1)), -1, dtype=np.int64) for side in (2, 3)}
    rules_of: list[dict[int, int]] = [{} for _ in range(n_terms)]
    for r, rule in enumerate(near_rules):
        for side, flag in ((2, 1), (3, 2)):
            for k, t in enumerate(rule[side]):
                if position[side][r, t] < 0:
                    position[side][r, t] = k
                rules_of[t][r] = rules_of[t].get(r, 0) | flag
    pointers = np.concatenate([[0], np.cumsum([len(x) for x in rules_of])]).astype(np.int64)
    return {"term_rules_ptr": pointers,
            "term_rules": np.array([r for x in rules_of for r in x], dtype=np.int64),
            "term_sides": np.array([flag for x in rules_of for flag in x.values()], dtype=np.int64),
            "left_position": position[2], "right_position": position[3],
            "frame": np.array([rule[0] for rule in near_rules], dtype=np.int64),
            "index": np.array([rule[1] for rule in near_rules], dtype=np.int64),
            "within": np.array([rule[4] for rule in near_rules], dtype=np.int64)}
