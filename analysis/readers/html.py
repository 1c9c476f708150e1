"""HTML pages (`.html`, `.htm`): the main text only, with title, date and more from the page's metadata.

Main-text extraction is trafilatura's (navigation, scripts, footers and comments
are left out); it runs offline on the page's own bytes. Metadata comes from the
page's markup (`<title>`, Open Graph and `article:` meta tags, JSON-LD, the
canonical link): title, date, author, outlet (site name) and url.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ..keys import normalized_text
from ..manifest import parsed_date
from . import clean
from .base import Document, Read, report_row
from .text import decoded_file

# trafilatura logs every page it finds too short; ingest reports such pages itself
logging.getLogger("trafilatura").setLevel(logging.ERROR)
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$")


def read(path: Path, rel: str) -> Read:
    """Return the one document of an HTML page: its main text, and its metadata in `meta`."""
    result = Read()
    page = decoded_file(path, rel, result)
    if page is None:
        return result
    import trafilatura  # imported on the first HTML page: corpora of text files and exports never need it

    extracted = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
        deduplicate=False, url=None,
        # only the page's own markup and URL give the date; no guessing from the text
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(extracted, "text", None) or "").strip() if extracted is not None else ""
    if not text:
        result.report.append(report_row(rel, "skipped", "no main text found in the HTML page"))
        return result
    meta = page_metadata(extracted)
    title = meta.get("title")
    if title and not clean.starts_with_title(text, title):
        text = f"{title}\n\n{text}"  # the headline sat outside the main-text container
    result.documents.append(Document(rel, text, meta))
    problem = meta.pop("_date_problem", None)
    if problem:
        result.report.append(report_row(rel, "repaired", f"unparseable date: {problem} in the page metadata, date left empty"))
    return result


def page_metadata(extracted) -> dict:
    """Return {title, date, author, outlet, url} from trafilatura's extraction, leaving out empty fields."""
    meta: dict = {}
    for field, attribute in (("title", "title"), ("author", "author"), ("url", "url")):
        value = getattr(extracted, attribute, None)
        if value and str(value).strip():
            meta[field] = normalized_text(str(value))
    site = (getattr(extracted, "sitename", None) or "").strip()
    if site and not _DOMAIN.match(site):
        meta["outlet"] = normalized_text(site)
    elif site or getattr(extracted, "hostname", None):
        meta["site_domain"] = (site or extracted.hostname).casefold().removeprefix("www.")
    if getattr(extracted, "date", None):
        date, problem = parsed_date(extracted.date)
        if date is not None:
            meta["date"] = date
        elif problem:
            meta["_date_problem"] = repr(extracted.date)
    return meta
