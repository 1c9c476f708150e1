"""Ingest: a folder of raw articles to the `articles`, `paragraphs` and `ingest_report` tables.

`ingest.corpus(raw)` reads every supported file under `raw` (recursively), matches
it to manifest rows, removes page furniture, segments paragraphs, links duplicate
copies and identifies languages. Nothing is silently lost: every skipped or
repaired file or row is a row of the returned report.

Tables returned (columns as in design.md):
- articles: article_id, outlet, title, author, date, url, source_path,
  syndicated_from, duplicate_of, language, inferred (comma-separated fields
  inferred from the text rather than given by the manifest)
- paragraphs: paragraph_id, article_id, position, role, text
- report: source_path, row, action (skipped | repaired | unmatched), reason
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import py3langid
from tqdm.auto import tqdm

from . import furniture, segment
from .decode import UndecodableError, decoded_text
from .keys import article_id, normalized_text, paragraph_id, text_hash
from .manifest import MANIFEST_NAMES, ManifestError, matched_rows, parsed_date, read_manifest
from .outlets import canonical_outlets, outlet_from_domain

TEXT_SUFFIXES = (".txt",)
ARTICLE_COLUMNS = ["article_id", "outlet", "title", "author", "date", "url", "source_path",
                   "syndicated_from", "duplicate_of", "language", "inferred"]
PARAGRAPH_COLUMNS = ["paragraph_id", "article_id", "position", "role", "text"]
REPORT_COLUMNS = ["source_path", "row", "action", "reason"]
UNKNOWN_OUTLET = "unknown"


@dataclass
class Corpus:
    """The ingested corpus: tidy tables plus counts for the run summary."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    report: pd.DataFrame
    files_read: int
    furniture_dropped: Counter = field(default_factory=Counter)

    def summary(self) -> dict:
        """Return the one-screen run summary as a plain dict (also written beside the tables)."""
        by_reason = self.report.groupby(["action", "reason"]).size() if len(self.report) else pd.Series(dtype=int)
        return {
            "files_read": self.files_read,
            "articles": len(self.articles),
            "outlets": int(self.articles["outlet"].nunique()) if len(self.articles) else 0,
            "paragraphs": len(self.paragraphs),
            "duplicates_linked": int(self.articles["duplicate_of"].notna().sum()) if len(self.articles) else 0,
            "report_rows": {f"{a}: {_reason_kind(r)}": int(n) for (a, r), n in _grouped_kinds(self.report).items()} if len(by_reason) else {},
            "furniture_lines_dropped": dict(self.furniture_dropped.most_common()),
        }


def _reason_kind(reason: str) -> str:
    return reason.split(" (")[0].split(":")[0]


def _grouped_kinds(report: pd.DataFrame) -> Counter:
    return Counter((a, r) for a, r in zip(report["action"], report["reason"].map(_reason_kind)))


@dataclass
class _Document:
    source_path: str
    text: str
    meta: dict = field(default_factory=dict)


def corpus(raw: Path, *, near_duplicate: float = 0.8, progress: bool = True) -> Corpus:
    """Return the ingested corpus of every supported file under `raw`.

    `near_duplicate` is the share of an article's paragraphs that must also occur in an
    earlier article for it to be linked to that article with `duplicate_of`.
    """
    raw = Path(raw)
    if not raw.is_dir():
        raise FileNotFoundError(f"{raw}: input folder does not exist")
    report: list[dict] = []
    candidates = sorted(p for p in raw.rglob("*") if not any(part.startswith(".") for part in p.relative_to(raw).parts))
    manifests = [p for p in candidates if p.name.lower() in MANIFEST_NAMES and p.is_file()]
    inputs: list[Path] = []
    for path in candidates:
        rel = path.relative_to(raw).as_posix()
        if path in manifests or path.name.upper().startswith("README"):
            continue  # manifests are read below; a README documents the folder, it is not an article
        if path.is_dir():
            if path.suffix.lower() in TEXT_SUFFIXES:
                report.append(_row(rel, "skipped", "a folder, not a file, despite its text extension"))
            continue
        if path.suffix.lower() in TEXT_SUFFIXES:
            inputs.append(path)
        else:
            report.append(_row(rel, "skipped", f"unsupported file type {path.suffix or '(none)'}"))

    documents: list[_Document] = []
    for path in tqdm(inputs, desc="reading", unit="file", disable=not progress):
        rel = path.relative_to(raw).as_posix()
        try:
            decoded = decoded_text(path.read_bytes())
        except UndecodableError as error:
            report.append(_row(rel, "skipped", str(error)))
            continue
        except OSError as error:
            report.append(_row(rel, "skipped", f"unreadable: {error.strerror or error}"))
            continue
        if decoded.guessed:
            report.append(_row(rel, "repaired", f"not UTF-8: decoded as {decoded.encoding} (detected)"))
        documents.append(_Document(rel, decoded.text))

    _attach_manifests(documents, manifests, raw, report)
    articles, paragraphs, dropped = _segmented(documents, report, progress=progress)
    if len(articles):
        articles["duplicate_of"] = _duplicate_links(articles, paragraphs, threshold=near_duplicate)
        for original, copy in articles.loc[articles["duplicate_of"].notna(), ["duplicate_of", "source_path"]].itertuples(index=False):
            source = articles.loc[articles["article_id"] == original, "source_path"].iloc[0]
            report.append(_row(copy, "repaired", f"duplicate of {source}: linked with duplicate_of"))
    return Corpus(
        articles=articles[ARTICLE_COLUMNS].reset_index(drop=True),
        paragraphs=paragraphs[PARAGRAPH_COLUMNS].reset_index(drop=True),
        report=pd.DataFrame(report, columns=REPORT_COLUMNS).astype({"row": "Int64"}),
        files_read=len(inputs),
        furniture_dropped=dropped,
    )


def _row(source_path: str, action: str, reason: str, row: int | None = None) -> dict:
    return {"source_path": source_path, "row": row, "action": action, "reason": reason}


def _attach_manifests(documents: list[_Document], manifests: list[Path], raw: Path, report: list[dict]) -> None:
    """Copy manifest metadata onto the documents it names; report rows and files left unmatched."""
    by_path = {d.source_path: d for d in documents}
    if not manifests:
        return
    unmatched_files: set[str] | None = None
    for manifest_path in manifests:
        rel_manifest = manifest_path.relative_to(raw).as_posix()
        try:
            manifest = read_manifest(manifest_path)
        except (ManifestError, ValueError, UndecodableError) as error:
            report.append(_row(rel_manifest, "skipped", f"manifest unusable: {error}"))
            continue
        folder = manifest_path.parent.relative_to(raw).as_posix()
        local = [p for p in by_path if folder in ("", ".") or p.startswith(folder + "/")]
        relative = {(p[len(folder) + 1:] if folder not in ("", ".") else p): p for p in local}
        matches, rows, files = matched_rows(manifest, list(relative))
        for match in matches:
            record = manifest.loc[match.row]
            document = by_path[relative[match.file]]
            document.meta.update({k: record[k] for k in ("outlet", "title", "author", "url", "syndicated_from") if record[k]})
            date, problem = parsed_date(record["date"])
            if date is not None:
                document.meta["date"] = date
            if problem:
                report.append(_row(rel_manifest, "repaired", f"{problem} for {document.source_path}: date left empty", int(record["manifest_row"])))
            if match.how != "exact":
                report.append(_row(rel_manifest, "repaired", f"row matched to {document.source_path} by {match.how} file name", int(record["manifest_row"])))
        for row in rows:
            name = manifest.at[row, "filename"] or "(no file name)"
            report.append(_row(rel_manifest, "unmatched", f"manifest row names no file: {name}", int(manifest.at[row, "manifest_row"])))
        leftover = {relative[f] for f in files}
        unmatched_files = leftover if unmatched_files is None else unmatched_files & leftover
    for path in sorted(unmatched_files or ()):
        report.append(_row(path, "unmatched", "no manifest row names this file: metadata taken from the text only"))


_SYNDICATED = re.compile(r"(?:appeared|published)(?: first)? (?:in|on|by) (?:the )?(?P<name>[A-Z][\w&'’. -]{1,60}?)(?: \(| ?,| ?\.|$| on | the most)")


def _segmented(documents: list[_Document], report: list[dict], *, progress: bool) -> tuple[pd.DataFrame, pd.DataFrame, Counter]:
    """Segment every document into paragraphs, learning each outlet's boilerplate first."""
    spellings = canonical_outlets(d.meta.get("outlet") for d in documents)
    lines_by_outlet: dict[str, list[list[str]]] = defaultdict(list)
    for document in documents:
        document.meta["outlet"] = spellings.get(document.meta.get("outlet") or "", None)
        lines = frozenset(l for l in map(normalized_text, document.text.split("\n")) if l)
        lines_by_outlet[document.meta["outlet"] or UNKNOWN_OUTLET].append(lines)
    # identical copies of one article must not make its own lines look like boilerplate
    boilerplate = {outlet: frozenset(furniture.repeated_lines(list(dict.fromkeys(articles))))
                   for outlet, articles in lines_by_outlet.items()}

    article_rows, paragraph_rows = [], []
    dropped: Counter = Counter()
    for document in tqdm(documents, desc="segmenting", unit="article", disable=not progress):
        meta = document.meta
        seg = segment.paragraphs(document.text, title=meta.get("title"), boilerplate=boilerplate[meta["outlet"] or UNKNOWN_OUTLET])
        dropped.update(reason for reason, _ in seg.dropped)
        if not seg.paragraphs:
            why = "empty file" if not document.text.strip() else "no content left after removing page furniture"
            report.append(_row(document.source_path, "skipped", why))
            continue
        aid = article_id(document.source_path)
        inferred = _inferred_metadata(meta, seg)
        headline = next((t for role, t in seg.paragraphs if role == "headline"), None)
        body = " ".join(t for _, t in seg.paragraphs)
        article_rows.append({
            "article_id": aid,
            "outlet": meta.get("outlet") or UNKNOWN_OUTLET,
            "title": meta.get("title") or headline,
            "author": meta.get("author"),
            "date": meta.get("date"),
            "url": meta.get("url"),
            "source_path": document.source_path,
            "syndicated_from": meta.get("syndicated_from"),
            "duplicate_of": None,
            "language": _language(body),
            "inferred": ",".join(inferred) or None,
        })
        paragraph_rows.extend(
            {"paragraph_id": paragraph_id(aid, position), "article_id": aid, "position": position, "role": role, "text": text}
            for position, (role, text) in enumerate(seg.paragraphs)
        )
    articles = pd.DataFrame(article_rows, columns=ARTICLE_COLUMNS)
    articles["date"] = pd.to_datetime(articles["date"])
    return articles, pd.DataFrame(paragraph_rows, columns=PARAGRAPH_COLUMNS), dropped


def _inferred_metadata(meta: dict, seg: segment.Segmented) -> list[str]:
    """Fill fields the manifest left empty from clear evidence in the furniture; return their names."""
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
    return inferred


def _language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language (py3langid's model ships in the package)."""
    return py3langid.classify(text[:5000])[0] if text.strip() else "und"


def _duplicate_links(articles: pd.DataFrame, paragraphs: pd.DataFrame, *, threshold: float) -> pd.Series:
    """Return, per article, the id of an earlier article holding >= `threshold` of its paragraphs."""
    hashes = paragraphs.assign(h=paragraphs["text"].map(text_hash)).groupby("article_id")["h"].agg(set)
    order = articles.sort_values(["date", "source_path"], na_position="last")["article_id"]
    seen: dict[str, list[str]] = defaultdict(list)
    links: dict[str, str] = {}
    for aid in order:
        mine = hashes.get(aid, set())
        overlap: Counter = Counter(other for h in mine for other in seen[h])
        best = next(((other, n) for other, n in overlap.most_common(1)), None)
        if best and mine and best[1] / len(mine) >= threshold:
            links[aid] = links.get(best[0], best[0])
        else:
            for h in mine:
                seen[h].append(aid)
    return articles["article_id"].map(links)
