"""The evidence string of a frames row, written by the taggers and read back by the report pages.

"pattern => matched text; pattern => matched text": one item per counting match, in
text order, each matched text cut from the paragraph itself.
"""

from __future__ import annotations

from collections.abc import Iterable

LINK = " => "      # between a pattern and the text it matched
SEPARATOR = "; "   # between items


def evidence_text(items: Iterable[tuple[str, str]]) -> str:
    """Return the evidence string of (pattern text, matched text) items."""
    return SEPARATOR.join(f"{pattern}{LINK}{matched}" for pattern, matched in items)
