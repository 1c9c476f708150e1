"""Metadata manifests (`manifest.csv` / `metadata.csv`): read them and match their rows to files.

Real manifests are messy: truncated or re-typed file names, rows with no file,
files with no row, outlet typos, missing or impossible dates. Rows are matched
exactly, then by normalised name, then by prefix, then by a reported fuzzy match.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import datetime
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from .decode import decoded_text

MANIFEST_NAMES = ("manifest.csv", "metadata.csv")
FIELDS = ("filename", "outlet", "title", "author", "date", "url", "syndicated_from")
_COLUMN_ALIASES = {
    "filename": ("filename", "file", "file_name", "path", "filepath", "source_path"),
    "outlet": ("outlet", "source", "source_name", "media_name", "publication", "publisher", "site"),
    "title": ("title", "headline"),
    "author": ("author", "authors", "byline"),
    "date": ("date", "published", "publish_date", "publishedat", "published_at", "pubdate"),
    "url": ("url", "link"),
    "syndicated_from": ("syndicated_from", "original_outlet", "republished_from"),
}
FUZZY_CUTOFF = 85


class ManifestError(ValueError):
    """Raised when a manifest cannot be used at all (e.g. it names no file column)."""


def read_manifest(path: Path) -> pd.DataFrame:
    """Return the manifest at `path` with columns `FIELDS` plus `manifest_row` (1-based data row).

    Rows with the wrong number of fields are left out and listed, with their row
    number and the reason, in `frame.attrs["problems"]`.

    Column names are recognised case-insensitively through common aliases
    (source -> outlet, publish_date -> date, ...). Raises `ManifestError` when no
    file-name column exists.
    """
    text = decoded_text(Path(path).read_bytes()).text
    records = list(csv.reader(io.StringIO(text)))
    header, problems, good, numbers = (records[0] if records else []), [], [], []
    for number, record in enumerate(records[1:], start=1):
        if not any(field.strip() for field in record):
            continue
        if len(record) != len(header):
            problems.append((number, f"row has {len(record)} fields, the header has {len(header)}: row skipped"))
            continue
        good.append(record)
        numbers.append(number)
    raw = pd.DataFrame(good, columns=header, dtype=str)
    lowered = {re.sub(r"[\s-]+", "_", c.strip().lower()): c for c in raw.columns}
    frame = pd.DataFrame(index=raw.index)
    for name, aliases in _COLUMN_ALIASES.items():
        column = next((lowered[a] for a in aliases if a in lowered), None)
        frame[name] = raw[column].str.strip() if column else ""
    if not any(a in lowered for a in _COLUMN_ALIASES["filename"]):
        raise ManifestError(f"{path}: no file-name column (expected one of {', '.join(_COLUMN_ALIASES['filename'])})")
    frame["manifest_row"] = numbers
    frame = frame.replace({"": None})
    frame.attrs["problems"] = problems  # (manifest_row, reason) of rows that could not be read
    return frame


def name_key(name: str) -> str:
    """Return a file name's matching key: NFC, case-folded, quotes unified, no extension or punctuation."""
    stem = Path(unicodedata.normalize("NFC", name)).name
    stem = re.sub(r"\.(txt|html?|csv|jsonl)$", "", stem, flags=re.IGNORECASE)
    return re.sub(r"[\W_]+", "", stem.casefold())


@dataclass(frozen=True)
class Match:
    """One manifest row matched to one file, and how."""

    row: int  # index into the manifest frame
    file: str  # file path relative to RAW
    how: str  # exact | normalised | prefix | fuzzy (score)


def matched_rows(manifest: pd.DataFrame, files: list[str]) -> tuple[list[Match], list[int], list[str]]:
    """Return (matches, unmatched row indexes, unmatched files) pairing manifest rows with files.

    Each row matches at most one file and each file at most one row. Files are
    paths relative to RAW; a row's `filename` may be a base name or a relative path.
    """
    free_files = dict.fromkeys(files)
    matches: list[Match] = []
    pending = [i for i in manifest.index if manifest.at[i, "filename"]]
    unnamed = [i for i in manifest.index if not manifest.at[i, "filename"]]

    def claim(stage: str, pick) -> None:
        for row in list(pending):
            hit = pick(str(manifest.at[row, "filename"]), [f for f in free_files])
            if hit:
                file, how = hit
                matches.append(Match(row, file, how or stage))
                pending.remove(row)
                del free_files[file]

    claim("exact", lambda n, fs: next(((f, None) for f in fs if f == n or Path(f).name == n), None))
    claim("normalised", lambda n, fs: next(((f, None) for f in fs if name_key(f) == name_key(n)), None))
    claim("prefix", lambda n, fs: _prefix_match(n, fs))
    claim("fuzzy", lambda n, fs: _fuzzy_match(n, fs))
    return matches, sorted(pending + unnamed), list(free_files)


def _prefix_match(name: str, files: list[str]) -> tuple[str, None] | None:
    """Exported names are often cut at a fixed length: one key must start the other."""
    key = name_key(name)
    hits = [f for f in files if min(len(key), len(name_key(f))) >= 20 and (name_key(f).startswith(key) or key.startswith(name_key(f)))]
    return (hits[0], None) if len(hits) == 1 else None


def _fuzzy_match(name: str, files: list[str]) -> tuple[str, str] | None:
    if not files:
        return None
    keys = {name_key(f): f for f in files}
    best = process.extractOne(name_key(name), list(keys), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if best is None:
        return None
    return keys[best[0]], f"fuzzy (similarity {best[1]:.0f})"


NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})\b")


def day_first(values) -> bool | None:
    """Return whether a column's numeric dates put the day first (13/02/2025), the month (02/13/2025), or None if unclear.

    Dotted dates (03.02.2025) are read day-first: that is how they are written.
    """
    verdict = None
    for value in values:
        found = NUMERIC_DATE.match(str(value or ""))
        if not found:
            continue
        first, second = int(found[1]), int(found[3])
        if found[2] == "." or first > 12:
            return True
        if second > 12:
            verdict = False
    return verdict


def parsed_date(value: str | None, *, dayfirst: bool | None = None) -> tuple[pd.Timestamp | None, str | None]:
    """Return (date, problem): the parsed date, or None with why it could not be parsed.

    The day is the local calendar day as published: a time with an offset (07:15 +08:00)
    keeps its own day, it is not converted to UTC first. ISO dates and dates with month
    names are unambiguous. A numeric day/month date ("03/02/2025") is read day-first
    when `dayfirst` (see `day_first`) or when it can only be day-first; otherwise
    month-first, as in US exports.
    """
    if value is None or not str(value).strip():
        return None, None
    text = str(value).strip()
    try:  # ISO 8601, as APIs write it: the fast path
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return _local_day(pd.Timestamp(stamp)), None
    found = NUMERIC_DATE.match(text)
    first = bool(found) and (dayfirst or (dayfirst is None and day_first([text]) is True))
    stamp = pd.to_datetime(text, errors="coerce", format="mixed", dayfirst=first)
    if pd.isna(stamp):
        return None, f"unparseable date {value!r}"
    return _local_day(stamp), None


def _local_day(stamp: pd.Timestamp) -> pd.Timestamp:
    """Return the calendar day of `stamp` where it was published: the offset is dropped, not converted to UTC.

    "2025-01-28T07:15:00+08:00" is a Beijing morning paper of 28 January, not of the 27th (UTC).
    """
    return (stamp.tz_localize(None) if stamp.tzinfo else stamp).normalize()
