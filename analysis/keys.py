"""Stable keys for paragraphs and articles, shared by ingest, gold codings and reports."""

from __future__ import annotations

import hashlib
import unicodedata


def normalized_text(text: str) -> str:
    """Return `text` in NFC form with all runs of whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def text_hash(text: str) -> str:
    """Return a 16-hex-digit hash of the normalised paragraph text (the gold-set key)."""
    return hashlib.sha1(normalized_text(text).encode("utf-8")).hexdigest()[:16]


def article_id(source_key: str) -> str:
    """Return a stable article id derived from the article's source key (path or path#row)."""
    return "a" + hashlib.sha1(source_key.encode("utf-8")).hexdigest()[:12]


def paragraph_id(article: str, position: int) -> str:
    """Return the stable id of the paragraph at `position` in article `article`."""
    return f"{article}-p{position:04d}"
