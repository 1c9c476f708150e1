"""Metadata from the text, only where the evidence is clear; otherwise nothing.

`infer.metadata(meta, seg)` fills the fields a manifest, page or export left empty
from what the article itself shows, and returns the names of the fields it filled
(the `inferred` column of `articles`):
- author: a "By …" byline;
- date: a "Published: …" line;
- syndicated_from: "This article originally appeared in …";
- outlet: a sign-off e-mail domain listed in the alias table, a wire-style dateline
  naming a known outlet ("WASHINGTON (Reuters) —", "Hong Kong CNN —"), or the
  page's web domain (HTML pages without a site name).
A dateline naming another outlet than the article's own marks agency copy:
it gives `syndicated_from`.
"""

from __future__ import annotations

import re

from . import segment
from .manifest import parsed_date
from .outlets import alias_table, canonical_outlets, outlet_from_domain, outlet_key

_SYNDICATED = re.compile(r"(?:appeared|published)(?: first)? (?:in|on|by) (?:the )?(?P<name>[A-Z][\w&'’. -]{1,60}?)(?: \(| ?,| ?\.|$| on | the most)")
# "WASHINGTON (Reuters) —", "LONDON, Jan 28 (AFP) -", "Hong Kong CNN —": place in capitals or
# title case, maybe a date, the outlet in brackets or as the last words, then a dash
_PLACE = r"(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?"
_DATELINE_BRACKETS = re.compile(rf"^{_PLACE} \((?P<outlet>[^()]{{2,40}})\) ?(?:—|–|-{{1,2}}) ?\S")
_DATELINE_BARE = re.compile(rf"^(?P<lead>{_PLACE}) ?(?:—|–|-{{1,2}}) \S")
_DATELINE_SEARCH = 3  # body paragraphs after the headline and standfirst where a dateline may stand


def metadata(meta: dict, seg: segment.Segmented) -> list[str]:
    """Fill fields `meta` lacks from clear evidence in the article; return the names of the fields filled."""
    inferred = []
    clues = seg.clues
    if not meta.get("author") and "author" in clues:
        name = re.sub(r"^by\s+", "", clues["author"], flags=re.IGNORECASE)
        meta["author"] = re.split(r"\s+in\s+[A-Z]", name)[0].strip()
        inferred.append("author")
    if not meta.get("date") and "date" in clues:
        date, _ = parsed_date(re.sub(r"^[A-Za-z ]+:\s*", "", clues["date"]).replace(",", " "))
        if date is not None:
            meta["date"] = date
            inferred.append("date")
    if not meta.get("syndicated_from") and "syndicated_from" in clues:
        found = _SYNDICATED.search(clues["syndicated_from"])
        if found:
            meta["syndicated_from"] = canonical_outlets([found["name"].strip()])[found["name"].strip()]
            inferred.append("syndicated_from")
    if not meta.get("outlet") and "email_domain" in clues:
        outlet = outlet_from_domain(clues["email_domain"].rsplit("@", 1)[-1])
        if outlet:
            meta["outlet"] = outlet
            inferred.append("outlet")
    wire = dateline_outlet(seg.paragraphs)
    if wire and not meta.get("outlet"):
        meta["outlet"] = wire
        inferred.append("outlet")
    elif wire and not meta.get("syndicated_from") and outlet_key(wire) != outlet_key(meta["outlet"]):
        meta["syndicated_from"] = wire
        inferred.append("syndicated_from")
    domain = meta.pop("site_domain", None)
    if domain and not meta.get("outlet"):
        meta["outlet"] = outlet_from_domain(domain) or domain
        inferred.append("outlet")
    return inferred


def dateline_outlet(paragraphs: list[tuple[str, str]]) -> str | None:
    """Return the known outlet a wire-style dateline names at the start of the body, or None.

    Only outlets in the alias table count, so "BEIJING (Reuters) —" and "Hong Kong CNN —"
    give an outlet while "The model (R1) — …" does not.
    """
    table = alias_table()
    body = [text for role, text in paragraphs if role in ("body", "standfirst")][:_DATELINE_SEARCH]
    for text in body:
        found = _DATELINE_BRACKETS.match(text)
        if found:
            return table.get(outlet_key(found["outlet"]))
        found = _DATELINE_BARE.match(text)
        if found:
            words = found["lead"].split(", ")[0].split()
            for size in (3, 2, 1):
                if len(words) > size and outlet_key(" ".join(words[-size:])) in table:
                    return table[outlet_key(" ".join(words[-size:]))]
    return None
