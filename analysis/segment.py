"""Article text to content paragraphs with roles, plus the metadata clues the furniture held.

`segment.paragraphs(text)` is the one entry point: it drops page furniture (and
says why), collapses duplicated captions, and labels each remaining paragraph
`headline`, `standfirst`, `body` or `caption`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .furniture import furniture_reason, repeated_labels
from .keys import normalized_text

ROLES = ("headline", "standfirst", "body", "caption")

_CAPTION = re.compile(
    r"(^(view image in fullscreen|([\w.]+/ ?)?getty images|image source,)\b)|(\b(photo|photograph|image|picture|illustration)( source)?:\s*\S.{0,80}$)"
    r"|(\((photo|image|picture)[^)]{0,60}\)\s*$)|(/\s*(getty images|reuters|afp|ap|bloomberg)\s*$)",
    re.IGNORECASE,
)
_TERMINAL_STOP = re.compile(r"[.…:;]\s*[\"”’']?\s*$")
_SENTENCE_STOP = re.compile(r"[.…:;?!]\s*[\"”’']?\s*$")
_MAX_HEADLINE_WORDS = 25
_MAX_STANDFIRST_WORDS = 50
_HEADLINE_SEARCH = 6


@dataclass
class Segmented:
    """The paragraphs of one article and what was removed on the way.

    `paragraphs` holds (role, text) pairs in reading order; `dropped` holds
    (reason, text) pairs for every removed line; `clues` maps a metadata field
    (author, date, syndicated_from, email_domain) to the furniture line that shows it.
    """

    paragraphs: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    clues: dict[str, str] = field(default_factory=dict)


def paragraphs(text: str, *, title: str | None = None, boilerplate: frozenset[str] = frozenset()) -> Segmented:
    """Return the content paragraphs of one article's text, with roles, and the dropped lines.

    Each non-empty line is a candidate paragraph. `title` (from a manifest) helps find the
    headline; `boilerplate` holds normalised lines learned as this outlet's furniture.
    """
    out = Segmented()
    kept: list[str] = []
    lines = [line for line in map(normalized_text, text.split("\n")) if line]
    labels = repeated_labels(lines)
    for line in lines:
        reason = (
            furniture_reason(line)
            or ("outlet boilerplate" if line in boilerplate else None)
            or ("repeated label line" if line in labels else None)
        )
        if reason:
            out.dropped.append((reason, line))
            _note_clue(out.clues, reason, line)
        elif kept and line == kept[-1]:
            out.dropped.append(("duplicated line", line))
        else:
            kept.append(line)
    out.paragraphs = _with_roles(kept, title, out.dropped)
    return out


def _note_clue(clues: dict[str, str], reason: str, line: str) -> None:
    field_for = {"byline": "author", "dateline": "date", "syndication note": "syndicated_from", "e-mail sign-off": "email_domain"}
    name = field_for.get(reason)
    if name and name not in clues and not line.lower().startswith(("edited by", "reporting by", "additional reporting")):
        clues[name] = line


def _with_roles(lines: list[str], title: str | None, dropped: list[tuple[str, str]]) -> list[tuple[str, str]]:
    headline_at = _headline_index(lines, title)
    result: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        if headline_at is not None and index < headline_at and len(line.split()) < 4:
            dropped.append(("label before headline", line))
            continue
        if index == headline_at:
            role = "headline"
        elif _CAPTION.search(line):
            role = "caption"
        elif headline_at is not None and index == headline_at + 1 and _is_standfirst(line):
            role = "standfirst"
        else:
            role = "body"
        result.append((role, line))
    return result


def _headline_index(lines: list[str], title: str | None) -> int | None:
    """Return the index of the headline line, or None when the text starts with body copy."""
    if title:
        wanted = normalized_text(title).casefold()
        for index, line in enumerate(lines[:_HEADLINE_SEARCH]):
            if fuzz.ratio(wanted, line.casefold()) >= 90 or fuzz.partial_ratio(wanted, line.casefold()) >= 95 and len(line.split()) <= _MAX_HEADLINE_WORDS:
                return index
    for index, line in enumerate(lines[:_HEADLINE_SEARCH]):
        words = len(line.split())
        if words > _MAX_HEADLINE_WORDS:
            return None  # body copy came first
        if words >= 4 and not _TERMINAL_STOP.search(line) and not _CAPTION.search(line):
            return index
    return None


def _is_standfirst(line: str) -> bool:
    words = len(line.split())
    return not _CAPTION.search(line) and words <= _MAX_STANDFIRST_WORDS and (words <= 35 or not _SENTENCE_STOP.search(line))
