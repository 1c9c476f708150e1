"""Duplicate and near-duplicate articles: which earlier article each article copies.

Two tests, either of which links a later article to an earlier one:
- paragraph containment: the share of the later article's paragraphs found
  verbatim in the earlier one (a copy with a paragraph added or cut);
- text similarity: the Jaccard similarity of their word 3-shingles (a copy with
  words changed: a re-run of the same story on another day, a corrected title).
Candidates for the second are found with MinHash LSH (datasketch), so the cost
grows with the corpus, not with its square; every candidate is then checked with
the exact Jaccard similarity against the threshold. Up to `EXACT_UP_TO` articles
every earlier article is a candidate: exact, and quicker than loading datasketch
(which imports scipy's integrators, over a second).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from .keys import normalized_text, text_hash

_WORD = re.compile(r"\w+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f]")
_NUM_PERM = 128
EXACT_UP_TO = 100  # articles; up to this many, all pairs are compared exactly (5,000 set comparisons: a fraction of a second)


@dataclass(frozen=True)
class Link:
    """An article found to copy an earlier one."""

    original: int  # index of the earlier article (an original, never itself a copy)
    similarity: float  # 0-1
    how: str  # "identical text" | "paragraphs shared" | "text similarity"


def shingles(text: str, *, size: int = 3) -> set[str]:
    """Return the word `size`-shingles of `text` (case-folded); character 5-grams for unspaced scripts."""
    folded = normalized_text(text).casefold()
    words = _WORD.findall(folded)
    if words and len(_UNSPACED.findall(folded)) > 0.3 * len(folded):  # Chinese, Japanese, Thai: no spaces between words
        chars = "".join(words)
        return {chars[i:i + 5] for i in range(max(1, len(chars) - 4))}
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    """Return |a & b| / |a | b| (0 for two empty sets)."""
    return len(a & b) / len(a | b) if a or b else 0.0


def links(articles: Sequence[Sequence[str]], *, threshold: float) -> dict[int, Link]:
    """Return {index: Link} for every article that copies an earlier one.

    `articles` holds each article's paragraphs, earliest article first. An article
    copies an earlier original when at least `threshold` (0-1) of its paragraphs occur
    in it, or when their word-shingle Jaccard similarity reaches `threshold`. A copy
    is linked to the most similar original (ties: the earliest); copies of copies are
    linked to the original.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"near-duplicate threshold must be in (0, 1], not {threshold}")
    texts = ["\n".join(normalized_text(p) for p in paragraphs) for paragraphs in articles]
    hashes = [{text_hash(p) for p in paragraphs if p.strip()} for paragraphs in articles]
    sets = [shingles(text) for text in texts]
    if len(articles) <= EXACT_UP_TO:
        signatures, lsh = [None] * len(articles), _AllEarlier()
    else:
        from datasketch import MinHash, MinHashLSH

        signatures = MinHash.bulk([[s.encode("utf-8") for s in shingle_set] for shingle_set in sets], num_perm=_NUM_PERM)
        lsh = MinHashLSH(num_perm=_NUM_PERM, params=_lsh_bands(threshold))
    by_paragraph: dict[str, list[int]] = defaultdict(list)
    by_text: dict[str, int] = {}
    found: dict[int, Link] = {}
    for index, text in enumerate(texts):
        if not text.strip():
            continue
        link = _best_link(index, text, hashes, sets, signatures[index], lsh, by_paragraph, by_text, threshold)
        if link is not None:
            found[index] = link
            continue
        by_text.setdefault(text, index)
        for h in hashes[index]:
            by_paragraph[h].append(index)
        if sets[index]:
            lsh.insert(index, signatures[index])
    return found


class _AllEarlier:
    """The candidate index of small corpora: every article inserted so far (the LSH index's `insert` and `query`)."""

    def __init__(self):
        self.inserted: list[int] = []

    def insert(self, index: int, signature) -> None:
        self.inserted.append(index)

    def query(self, signature) -> list[int]:
        return list(self.inserted)


@lru_cache(maxsize=16)
def _lsh_bands(threshold: float) -> tuple[int, int]:
    """Return datasketch's (bands, rows) for `threshold`, computed once (it integrates numerically)."""
    from datasketch import MinHashLSH

    # LSH finds candidates; its threshold sits below ours so that few true pairs are missed
    lsh = MinHashLSH(threshold=min(0.95, max(0.1, threshold - 0.15)), num_perm=_NUM_PERM)
    return lsh.b, lsh.r


def _best_link(index, text, hashes, sets, signature, lsh, by_paragraph, by_text, threshold) -> Link | None:
    if text in by_text:
        return Link(by_text[text], 1.0, "identical text")
    scores: dict[int, tuple[float, str]] = {}
    mine = hashes[index]
    if mine:
        shared = Counter(other for h in mine for other in by_paragraph.get(h, ()))
        for other, n in shared.items():
            scores[other] = (n / len(mine), "paragraphs shared")
    if sets[index]:
        for other in lsh.query(signature):
            similarity = jaccard(sets[index], sets[other])
            if similarity > scores.get(other, (0.0, ""))[0]:
                scores[other] = (similarity, "text similarity")
    best = min(((-score, other, how) for other, (score, how) in scores.items() if score >= threshold), default=None)
    return Link(best[1], -best[0], best[2]) if best else None
