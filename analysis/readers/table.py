"""Tabular exports (`.csv`, `.jsonl`, `.json`): one article per row.

The columns are matched to article fields by `schema.columns_for` (news-API and
media-monitoring exports are recognised; others need aliases or a columns.yaml).
Each row's title, description and text become the article text (headline,
standfirst, body), cleaned of HTML fragments, entities and cut markers. A row is
identified as "path#row-N": for CSV, N counts data rows after the header; for
JSONL, N is the line number; for JSON, the position in the list of articles.

A row with no usable text, or that cannot be parsed, is reported and skipped;
the other rows of the file are kept. Repairs that touch many rows (cut content,
HTML removed) are reported once per file, with the rows they concern.
"""

from __future__ import annotations

import ast
import csv
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Iterator

from ..keys import normalized_text
from ..manifest import NUMERIC_DATE, day_first, parsed_date
from . import clean, schema
from .base import Document, Read, report_row
from .text import decoded_file

csv.field_size_limit(2**31 - 1)  # whole articles sit in one field
_LIST_KEYS = ("articles", "results", "data", "stories", "items", "documents", "records")


def read(path: Path, rel: str, *, columns: schema.Mapping | None = None) -> Read:
    """Return one document per usable row of the export at `path`, and the report rows."""
    result = Read()
    text = decoded_file(path, rel, result)
    if text is None:
        return result
    suffix = Path(path).suffix.lower()
    records = list(_records(text, suffix, rel, result))
    if not records:
        if not any(r["action"] == "skipped" for r in result.report):
            result.report.append(report_row(rel, "skipped", "empty export: no rows"))
        return result
    names = list(dict.fromkeys(k for _, record in records for k in record))
    plan = schema.columns_for(names, mapping=columns)
    if plan is None:
        shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
        wanted = [f"{field} -> {c}" for field, cs in columns.fields.items() for c in cs] if columns else []
        why = (f"columns.yaml names no text column of this export ({', '.join(wanted)})" if columns
               else f"no text column recognised (columns: {shown}): add a columns.yaml mapping, see README")
        result.report.append(report_row(rel, "skipped", f"unrecognised export schema: {why}"))
        return result
    for pair in plan.missing:
        result.report.append(report_row(rel, "repaired", f"column missing: columns.yaml maps {pair}, which this export lacks; field left empty"))
    repaired: dict[tuple[str, str], list[int]] = defaultdict(list)
    dates = [_value(record, plan.fields.get("date"), field="date") for _, record in records]
    dayfirst = plan.dayfirst if plan.dayfirst is not None else day_first(dates)
    ambiguous = [row for (row, _), date in zip(records, dates) if dayfirst is None and _is_ambiguous(date)]
    if ambiguous:
        result.report.append(report_row(rel, "repaired", f"ambiguous dates: day/month dates read month-first in {len(ambiguous)} "
                                                         f"row(s) ({_ranges(ambiguous)}); set dayfirst in columns.yaml if they are day-first"))
    for row, record in records:
        document, repairs, problem = _document(record, plan, rel, row, dayfirst=bool(dayfirst))
        for repair in repairs if document is not None else ():
            repaired[repair].append(row)
        if problem:
            result.report.append(report_row(rel, *problem, row))
        if document is not None:
            result.documents.append(document)
    for (kind, detail), rows in repaired.items():
        result.report.append(report_row(rel, "repaired", f"{kind}: {detail} in {len(rows)} row(s) ({_ranges(rows)})"))
    result.report.sort(key=lambda r: (r["row"] is None, r["row"] or 0))
    return result


def _records(text: str, suffix: str, rel: str, result: Read) -> Iterator[tuple[int, dict]]:
    """Yield (row number, {column: value}) for every parseable row; report the others."""
    if suffix == ".csv":
        yield from _csv_records(text, rel, result)
    elif suffix == ".jsonl":
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                result.report.append(report_row(rel, "skipped", f"malformed row: not valid JSON ({error.msg})", number))
                continue
            if not isinstance(record, dict):
                result.report.append(report_row(rel, "skipped", f"malformed row: a JSON {type(record).__name__}, not an object", number))
                continue
            yield number, _flat(record)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            result.report.append(report_row(rel, "skipped", f"malformed JSON: {error.msg} (line {error.lineno})"))
            return
        if isinstance(data, dict):
            data = next((data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)), [data])
        if not isinstance(data, list):
            result.report.append(report_row(rel, "skipped", "malformed JSON: neither a list of articles nor an object holding one"))
            return
        for number, record in enumerate(data, start=1):
            if isinstance(record, dict):
                yield number, _flat(record)
            else:
                result.report.append(report_row(rel, "skipped", f"malformed row: a JSON {type(record).__name__}, not an object", number))


def _csv_records(text: str, rel: str, result: Read) -> Iterator[tuple[int, dict]]:
    """Yield (data row number, {column: value}) for every well-formed CSV row; report the others.

    A broken row (an unclosed quote swallows every line after it) is reported and
    parsing starts again on the line after the one where that row began, so the
    rows after it are kept.
    """
    lines = [line + "\n" for line in text.replace("\x00", "").split("\n")]
    try:  # only the delimiter is sniffed: from a header line the Sniffer misjudges quoting
        delimiter = csv.Sniffer().sniff(lines[0], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    header = next(csv.reader([lines[0]], delimiter=delimiter))
    if not any(h.strip() for h in header):
        return
    header = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    start, number = 1, 0
    while start < len(lines):
        reader = csv.reader(io.StringIO("".join(lines[start:])), delimiter=delimiter, strict=True)
        before = 0  # lines consumed before the current row
        try:
            for values in reader:
                number += 1
                before = reader.line_num
                if not any(v.strip() for v in values):
                    if values:  # a line of bare delimiters: a row that lost its content
                        result.report.append(report_row(rel, "skipped", "empty row", number))
                    else:
                        number -= 1  # a blank line is not a row
                    continue
                if len(values) > len(header):
                    result.report.append(report_row(rel, "skipped", f"malformed row: {len(values)} fields, header has {len(header)}", number))
                    continue
                yield number, dict(zip(header, values + [""] * (len(header) - len(values))))
            return
        except csv.Error as error:
            number += 1
            result.report.append(report_row(rel, "skipped", f"malformed row: {error}; parsing resumed on the next line", number))
            start += before + 1


def _flat(record: dict, prefix: str = "") -> dict:
    """Return a JSON object with nested objects flattened to dotted keys ({"source": {"name": x}} -> source.name)."""
    flat = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _value(record: dict, columns: tuple[str, ...] | None, *, field: str) -> str:
    """Return a field's text from its column(s): lists joined, markup kept for the cleaners."""
    if not columns:
        return ""
    parts = []
    for column in columns:
        value = record.get(column)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v is not None) if field != "text" else "\n\n".join(str(v) for v in value if v)
        if value is None or (isinstance(value, float) and value != value):
            continue
        value = str(value)
        if field == "outlet" and value.lstrip().startswith("{"):
            value = _name_from_object(value)
        parts.append(value)
    return "\n\n".join(p for p in parts if p.strip())


def _name_from_object(value: str) -> str:
    """A news-API `source` column written out as an object: "{'id': None, 'name': 'BBC News'}" -> "BBC News"."""
    for parse in (json.loads, ast.literal_eval):
        try:
            data = parse(value)
        except (ValueError, SyntaxError, json.JSONDecodeError):
            continue
        if isinstance(data, dict):
            return str(data.get("name") or data.get("title") or "")
    return value


_MARKUP = ("HTML markup removed", "tags and entities in fields cleaned")
_CUT = ("content cut by the export", "[+N chars] marker removed, text incomplete")


def _document(record: dict, plan: schema.Columns, rel: str, row: int, *, dayfirst: bool) -> tuple[Document | None, list[tuple], tuple | None]:
    """Return (document or None, repairs done as (kind, detail), (action, reason) to report or None) for one row."""
    repairs = []
    fields = {}
    for field in schema.FIELDS:
        raw = _value(record, plan.fields.get(field), field=field).replace("\r\n", "\n").replace("\r", "\n")
        if clean.has_markup(raw):
            raw = clean.without_markup(raw)
            repairs.append(_MARKUP)
        if field in ("text", "description") and clean.has_cut_marker(raw):
            raw = clean.without_cut_marker(raw)
            repairs.append(_CUT)
        if field not in ("text", "description"):
            raw = normalized_text(raw)
        fields[field] = None if clean.is_placeholder(raw) else raw.strip()
    description, body = clean.without_overlap(fields["description"] or "", fields["text"] or "")
    if not description and not body:
        what = "only a title" if fields["title"] else "title, description and text empty"
        return None, list(dict.fromkeys(repairs)), ("skipped", f"no usable text: {what}")
    meta = {k: fields[k] for k in ("outlet", "title", "author", "url", "syndicated_from") if fields[k]}
    if fields["author"]:
        meta["author"] = _without_by(fields["author"])
    if fields["language"] and len(fields["language"]) == 2 and fields["language"].isalpha():  # ISO 639-1, as py3langid gives
        meta["language"] = fields["language"].lower()
    problem = None
    if fields["date"]:
        date, why = parsed_date(fields["date"], dayfirst=dayfirst)
        if date is not None:
            meta["date"] = date
        elif why:
            problem = ("repaired", f"unparseable date: {fields['date']!r}, date left empty")
    title = fields["title"] if fields["title"] and not clean.starts_with_title(f"{description}\n{body}", fields["title"], lines=1) else None
    text = "\n\n".join(part for part in (title, description, body) if part)
    return Document(f"{rel}#row-{row}", text, meta, file=rel, row=row), list(dict.fromkeys(repairs)), problem


def _is_ambiguous(date: str) -> bool:
    found = NUMERIC_DATE.match(date)
    return bool(found) and found[2] != "." and found[1] != found[3] and int(found[1]) <= 12 and int(found[3]) <= 12


def _without_by(author: str) -> str:
    return author[3:].strip() if author[:3].casefold() == "by " else author


def _ranges(rows: list[int], *, limit: int = 8) -> str:
    """Return rows as compact ranges: [1, 2, 3, 7] -> "rows 1-3, 7"."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    shown = [f"{a}-{b}" if a != b else str(a) for a, b in spans[:limit]]
    return ("row " if len(rows) == 1 else "rows ") + ", ".join(shown) + (", …" if len(spans) > limit else "")
