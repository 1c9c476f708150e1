"""Outlet names: one canonical spelling per outlet, via a documented alias table."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

DEFAULT_ALIASES = Path(__file__).parent / "data" / "outlet_aliases.yaml"


def outlet_key(name: str) -> str:
    """Return the comparison key of an outlet name: case-folded, spacing and punctuation collapsed."""
    return re.sub(r"[\W_]+", " ", name.casefold()).strip()


@lru_cache(maxsize=8)
def alias_table(path: Path = DEFAULT_ALIASES) -> dict[str, str]:
    """Return {outlet_key(alias or canonical): canonical name} from the alias YAML file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    table: dict[str, str] = {}
    for canonical, aliases in data.items():
        for name in [canonical, *(aliases or [])]:
            table[outlet_key(str(name))] = str(canonical)
    return table


def canonical_outlets(names: Iterable[str | None], *, aliases: Path = DEFAULT_ALIASES) -> dict[str, str]:
    """Return {spelling: canonical name} for every non-empty spelling in `names`.

    Spellings in the alias table map to its canonical name; others that differ only in
    case or spacing merge into their most frequent spelling, preferring any with capitals
    to an all-lower-case one (ties: the first seen).
    """
    table = alias_table(Path(aliases))
    spellings = [n.strip() for n in names if isinstance(n, str) and n.strip()]
    by_key: dict[str, Counter] = {}
    for spelling in spellings:
        by_key.setdefault(outlet_key(spelling), Counter())[spelling] += 1
    result: dict[str, str] = {}
    for key, counter in by_key.items():
        canonical = table.get(key) or max(counter, key=lambda s: (s != s.lower(), counter[s]))
        for spelling in counter:
            result[spelling] = canonical
    return result


def outlet_from_domain(domain: str, *, aliases: Path = DEFAULT_ALIASES) -> str | None:
    """Return the canonical outlet whose alias table lists `domain` (or its parent domain)."""
    table = alias_table(Path(aliases))
    parts = domain.casefold().split(".")
    for start in range(len(parts) - 1):
        hit = table.get(outlet_key(".".join(parts[start:])))
        if hit:
            return hit
    return None
