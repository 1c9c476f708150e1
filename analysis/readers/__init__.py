"""Readers: one module per input format, each turning one file into document records.

`readers.read(path, rel)` dispatches on the file's extension and returns a `Read`:
the documents found (one for a `.txt` or `.html` file, one per usable row of a
`.csv`, `.jsonl` or `.json` export) and the report rows for whatever was skipped
or repaired on the way. A reader never raises for bad content: a bad file or row
becomes a report row and the good rows of the same file are kept.

Document records are what `ingest` consumes: `source_path` is the file's path
relative to RAW, or "path#row-N" for the N-th row of an export (stable, so article
ids are too); `meta` holds the fields the source itself gives (page metadata,
export columns), with dates already parsed.
"""

from __future__ import annotations

from pathlib import Path

from . import html, schema, table, text
from .base import Document, Read, report_row

__all__ = ["Document", "Read", "read", "report_row", "SUFFIXES", "EXPORT_SUFFIXES"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
EXPORT_SUFFIXES = (".csv", ".jsonl", ".json")
SUFFIXES = ARTICLE_SUFFIXES + EXPORT_SUFFIXES


def read(path: Path, rel: str, *, columns: schema.Mapping | None = None) -> Read:
    """Return the documents and report rows of the file at `path` (`rel`: its path relative to RAW).

    `columns` is a column mapping (`readers.schema.load_mapping`) for exports whose
    column names are not recognised. Raises ValueError for an unsupported extension.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".txt":
        return text.read(path, rel)
    if suffix in (".html", ".htm"):
        return html.read(path, rel)
    if suffix in EXPORT_SUFFIXES:
        return table.read(path, rel, columns=columns)
    raise ValueError(f"{rel}: unsupported file type {suffix or '(none)'}")
