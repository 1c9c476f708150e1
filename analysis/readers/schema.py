"""Export schemas: which columns of a `.csv`/`.jsonl` export feed which article field.

Column names are compared case-insensitively, with spaces, dots and dashes read as
underscores (so `publishedAt`, `source.name` and `Source Name` all work). Two
common schemas are recognised by their column names:

- news-API style: `source` (or `source_name`), `author`, `title`, `description`,
  `url`, `publishedAt`, `content` (cut, ending "… [+3590 chars]");
- media-monitoring style: `media_name`, `publish_date`, `title`, `url`, `text`
  (and `language` where present).

Other exports work through aliases (`headline`, `body`, `publication`, ...) or a
column-mapping file, `columns.yaml`, beside the export or in a folder above it:

    title: headline_text
    text: [lead, body_text]    # several columns: joined as paragraphs, in this order
    outlet: publication
    date: pub_date
    dayfirst: true             # numeric dates are day/month/year (03/02/2025 is 3 February)

Fields: outlet, title, description, text, author, date, url, language, syndicated_from.
Without `dayfirst`, numeric dates are read day-first only where the column shows it
(a day above 12, or dots as in 03.02.2025).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

MAPPING_NAMES = ("columns.yaml", "columns.yml")
FIELDS = ("outlet", "title", "description", "text", "author", "date", "url", "language", "syndicated_from")
# most specific first: the first alias present feeds the field
ALIASES: dict[str, tuple[str, ...]] = {
    "outlet": ("source_name", "media_name", "outlet", "publication", "publisher", "site_name", "sitename",
               "newspaper", "source_title", "source", "media", "site"),
    "title": ("title", "headline", "heading"),
    "description": ("description", "summary", "standfirst", "abstract", "lead", "excerpt", "subtitle", "dek"),
    "text": ("full_text", "fulltext", "article_text", "body_text", "text", "body", "maintext", "story_text",
             "content", "article"),
    "author": ("author", "authors", "byline", "creator", "writer"),
    "date": ("publishedat", "published_at", "publish_date", "publication_date", "pub_date", "pubdate",
             "published", "date", "datetime", "date_published"),
    "url": ("url", "link", "permalink", "article_url", "story_url"),
    "language": ("language", "lang"),
    "syndicated_from": ("syndicated_from", "original_outlet", "republished_from"),
}


class MappingError(ValueError):
    """Raised when a column-mapping file cannot be used (bad YAML, unknown field, not column names)."""


@dataclass(frozen=True)
class Mapping:
    """A column-mapping file: field -> the export's column names, and how to read numeric dates."""

    fields: dict[str, tuple[str, ...]]
    dayfirst: bool | None = None


@dataclass(frozen=True)
class Columns:
    """How one export's columns feed the article fields."""

    schema: str  # news-API | media-monitoring | column names | columns.yaml
    fields: dict[str, tuple[str, ...]]  # field -> the export's column names (several only for text)
    missing: tuple[str, ...] = ()  # "field -> column" pairs the mapping names but the export lacks
    dayfirst: bool | None = None  # from the mapping; None: decided by the date column


def column_key(name: str) -> str:
    """Return a column name's comparison key: lower case, spaces, dots and dashes as underscores."""
    return re.sub(r"[\s.\-]+", "_", str(name).strip().lower()).strip("_")


def load_mapping(path: Path) -> Mapping:
    """Return the mapping of a columns.yaml file; raise MappingError naming the file and the problem."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise MappingError(f"{Path(path).name}: not readable YAML ({type(error).__name__})") from None
    if not isinstance(data, dict) or not data:
        raise MappingError(f"{Path(path).name}: expected field: column pairs, e.g. 'text: body'")
    mapping: dict[str, tuple[str, ...]] = {}
    dayfirst = data.pop("dayfirst", None)
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise MappingError(f"{Path(path).name}: dayfirst must be true or false, not {dayfirst!r}")
    for field, columns in data.items():
        if field not in FIELDS:
            raise MappingError(f"{Path(path).name}: unknown field {field!r} (fields: {', '.join(FIELDS)})")
        columns = columns if isinstance(columns, list) else [columns]
        if not columns or not all(isinstance(c, (str, int)) and str(c).strip() for c in columns):
            raise MappingError(f"{Path(path).name}: field {field!r} must name a column or a list of columns")
        if len(columns) > 1 and field != "text":
            raise MappingError(f"{Path(path).name}: only 'text' may join several columns, not {field!r}")
        mapping[field] = tuple(str(c) for c in columns)
    if not mapping:
        raise MappingError(f"{Path(path).name}: maps no field to a column")
    return Mapping(mapping, dayfirst)


def columns_for(names: list[str], *, mapping: Mapping | None = None) -> Columns | None:
    """Return how the export's column `names` feed the fields, or None when no text column is found.

    A `mapping` (from `load_mapping`) wins for the fields it names; aliases fill the rest.
    """
    by_key = {}
    for name in names:
        by_key.setdefault(column_key(name), name)
    fields: dict[str, tuple[str, ...]] = {}
    missing = []
    mapped = mapping.fields if mapping else {}
    for field, columns in mapped.items():
        present = tuple(by_key[column_key(c)] for c in columns if column_key(c) in by_key)
        missing += [f"{field} -> {c}" for c in columns if column_key(c) not in by_key]
        if present:
            fields[field] = present
    taken = {c for cs in fields.values() for c in cs}
    for field, aliases in ALIASES.items():
        if field in fields or field in mapped:
            continue
        hit = next((by_key[a] for a in aliases if a in by_key and by_key[a] not in taken), None)
        if hit:
            fields[field] = (hit,)
            taken.add(hit)
    if "text" not in fields and "description" not in fields:
        return None
    keys = set(by_key)
    if mapping:
        schema = "columns.yaml"
    elif {"content", "description"} <= keys and ("publishedat" in keys or "urltoimage" in keys or "source" in keys or "source_name" in keys):
        schema = "news-API"
    elif "media_name" in keys or {"publish_date", "text"} <= keys:
        schema = "media-monitoring"
    else:
        schema = "column names"
    return Columns(schema, fields, tuple(missing), mapping.dayfirst if mapping else None)
