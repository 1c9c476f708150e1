"""Field cleaners for exports and pages: `str -> str` functions, composed by the readers.

Export fields carry HTML fragments ("<p>", "<li>", "&amp;"), cut markers
("… [+3590 chars]") and placeholders ("[Removed]", "Unknown"). These cleaners
remove them with a real HTML parser (the standard library's), never by guessing
with regular expressions over markup.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
_CUT_MARKER = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\s*\d[\d,.]*\s*(?:chars?|characters)\]\s*$", re.IGNORECASE)
_PLACEHOLDERS = {"", "unknown", "n/a", "na", "none", "null", "nan", "undefined", "-", "—", "–", "[removed]", "removed"}

# tags that end a line (paragraph or list item) and tags whose content is never text
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote",
           "section", "article", "header", "footer", "figure", "figcaption", "pre", "hr", "dd", "dt", "dl", "aside"}
_INVISIBLE = {"script", "style", "noscript", "template", "iframe", "svg", "head", "object"}


class _TextOnly(HTMLParser):
    """Collect the text of an HTML fragment: entities decoded, tags dropped, blocks on their own lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _INVISIBLE:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _INVISIBLE:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def has_markup(text: str) -> bool:
    """Return True when `text` holds HTML tags or character entities."""
    return bool(_TAG.search(text) or _ENTITY.search(text))


def without_markup(text: str) -> str:
    """Return `text` with HTML tags removed and entities decoded; block elements become line breaks.

    Escaped markup ("&lt;p&gt;") is decoded and then removed too. Text without markup
    is returned unchanged.
    """
    for _ in range(2):  # a second pass for markup that was itself escaped
        if _TAG.search(text):
            parser = _TextOnly()
            parser.feed(text)
            parser.close()
            text = "".join(parser.parts)
        elif _ENTITY.search(text):
            text = html.unescape(text)
        else:
            break
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def has_cut_marker(text: str) -> bool:
    """Return True when `text` ends with a news-API cut marker such as "… [+3590 chars]"."""
    return bool(_CUT_MARKER.search(text))


def without_cut_marker(text: str) -> str:
    """Return `text` without its trailing "[+N chars]" marker; an ellipsis shows the text was cut."""
    if not _CUT_MARKER.search(text):
        return text
    return _CUT_MARKER.sub("", text).rstrip() + "…"


def is_placeholder(value: str | None) -> bool:
    """Return True for empty values and stand-ins for them ("Unknown", "N/A", "[Removed]", ...)."""
    return value is None or " ".join(str(value).split()).casefold() in _PLACEHOLDERS


def without_overlap(lead: str, body: str) -> tuple[str, str]:
    """Return (lead, body) with one of them emptied when it merely repeats the start of the other.

    News-API exports give a description and a cut `content` that often begins with the
    same sentence; keeping both would count that sentence twice.
    """
    def key(text: str) -> str:
        return re.sub(r"\W+", " ", text.rstrip("…. ")).casefold().strip()

    a, b = key(lead), key(body)
    if not a or not b:
        return lead, body
    if b.startswith(a):
        return "", body
    if a.startswith(b):
        return lead, ""
    return lead, body


def starts_with_title(text: str, title: str, *, lines: int = 6) -> bool:
    """Return True when one of the first `lines` lines of `text` holds `title` (so it need not be added)."""
    wanted = " ".join(title.split()).casefold()
    head = [" ".join(line.split()).casefold() for line in text.split("\n")[:lines * 2] if line.strip()][:lines]
    return any(wanted in line or (len(line) > 15 and line in wanted) for line in head)
