"""Ingest: a folder of raw articles to the `articles`, `paragraphs` and `ingest_report` tables.

`ingest.corpus(raw)` reads every supported file under `raw` (recursively: `.txt`,
`.html`, and `.csv`/`.jsonl`/`.json` exports with one article per row, see
`analysis.readers`), matches files to manifest rows, removes page furniture,
segments paragraphs, links duplicate copies and identifies languages. Nothing is
silently lost: every skipped or repaired file or row is a row of the returned report.

Tables returned (columns as in design.md):
- articles: article_id, outlet, title, author, date, url, source_path ("path", or
  "path#row-N" for a row of an export), syndicated_from, duplicate_of, language,
  inferred (comma-separated fields taken from the text rather than given by the
  manifest, page metadata or export columns)
- paragraphs: paragraph_id, article_id, position, role, text
- report: source_path, row, action (skipped | repaired | unmatched), reason
  ("kind: details"; the summary counts rows by action and kind)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import py3langid
from tqdm.auto import tqdm

from . import duplicates, furniture, infer, readers, segment
from .decode import UndecodableError
from .keys import article_id, normalized_text, paragraph_id
from .manifest import MANIFEST_NAMES, ManifestError, day_first, matched_rows, parsed_date, read_manifest
from .outlets import canonical_outlets
from .readers import Document, report_row
from .readers.clean import is_placeholder
from .readers.schema import MAPPING_NAMES, Mapping, MappingError, load_mapping

ARTICLE_COLUMNS = ["article_id", "outlet", "title", "author", "date", "url", "source_path",
                   "syndicated_from", "duplicate_of", "language", "inferred"]
PARAGRAPH_COLUMNS = ["paragraph_id", "article_id", "position", "role", "text"]
REPORT_COLUMNS = ["source_path", "row", "action", "reason"]
UNKNOWN_OUTLET = "unknown"
UNDETERMINED_LANGUAGE = "und"
_MANIFEST_FIELDS = ("outlet", "title", "author", "url", "syndicated_from")


@dataclass
class Corpus:
    """The ingested corpus: tidy tables plus counts for the run summary."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    report: pd.DataFrame
    files_read: int
    furniture_dropped: Counter = field(default_factory=Counter)
    formats: Counter = field(default_factory=Counter)  # ".csv rows" -> n, ".txt files" -> n, ...

    def summary(self) -> dict:
        """Return the one-screen run summary as a plain dict (also written beside the tables)."""
        articles = self.articles
        return {
            "files_read": self.files_read,
            "inputs": dict(sorted(self.formats.items())),
            "articles": len(articles),
            "outlets": int(articles["outlet"].nunique()) if len(articles) else 0,
            "paragraphs": len(self.paragraphs),
            "duplicates_linked": int(articles["duplicate_of"].notna().sum()) if len(articles) else 0,
            "languages": {k: int(v) for k, v in articles["language"].value_counts().items()} if len(articles) else {},
            "inferred_fields": dict(Counter(f for v in articles["inferred"].dropna() for f in v.split(",")).most_common()),
            "report_rows": {f"{a}: {k}": int(n) for (a, k), n in sorted(_grouped_kinds(self.report).items(), key=lambda kv: -kv[1])},
            "furniture_lines_dropped": dict(self.furniture_dropped.most_common()),
        }


def reason_kind(reason: str) -> str:
    """Return the kind of a report reason: the part before its first colon or bracket."""
    return reason.split(" (")[0].split(":")[0]


def _grouped_kinds(report: pd.DataFrame) -> Counter:
    return Counter((a, reason_kind(r)) for a, r in zip(report["action"], report["reason"]))


def corpus(raw: Path, *, near_duplicate: float = 0.8, progress: bool = True) -> Corpus:
    """Return the ingested corpus of every supported file under `raw`.

    `near_duplicate` (0-1) is the similarity at which an article is linked to an earlier
    one with `duplicate_of`: the share of its paragraphs found in the earlier article, or
    the Jaccard similarity of their word 3-shingles (see `analysis.duplicates`).
    Raises FileNotFoundError when `raw` is not a folder, ValueError for a threshold outside (0, 1].
    """
    raw = Path(raw)
    if not 0 < near_duplicate <= 1:
        raise ValueError(f"near_duplicate must be a similarity in (0, 1], not {near_duplicate}")
    if not raw.is_dir():
        raise FileNotFoundError(f"{raw}: input folder does not exist")
    report: list[dict] = []
    candidates = sorted(p for p in raw.rglob("*") if not any(part.startswith(".") for part in p.relative_to(raw).parts))
    manifests = [p for p in candidates if p.name.lower() in MANIFEST_NAMES and p.is_file()]
    mappings = _column_mappings([p for p in candidates if p.name.lower() in MAPPING_NAMES and p.is_file()], raw, report)
    inputs: list[Path] = []
    for path in candidates:
        rel = path.relative_to(raw).as_posix()
        if path in manifests or path in mappings or path.name.upper().startswith("README"):
            continue  # manifests and column mappings describe inputs; a README documents the folder
        if path.is_dir():
            if path.suffix.lower() in readers.SUFFIXES:
                report.append(report_row(rel, "skipped", "a folder, not a file, despite its file extension"))
            continue
        if path.suffix.lower() in readers.SUFFIXES:
            inputs.append(path)
        else:
            report.append(report_row(rel, "skipped", f"unsupported file type {path.suffix or '(none)'}"))

    documents: list[Document] = []
    formats: Counter = Counter()
    for path in tqdm(inputs, desc="reading", unit="file", disable=not progress):
        rel = path.relative_to(raw).as_posix()
        read = readers.read(path, rel, columns=_mapping_for(path, raw, mappings))
        documents.extend(read.documents)
        report.extend(read.report)
        suffix = path.suffix.lower()
        formats[f"{suffix} files"] += 1
        if suffix in readers.EXPORT_SUFFIXES:
            formats[f"{suffix} rows read"] += len(read.documents) + sum(1 for r in read.report if r["row"] is not None and r["action"] == "skipped")

    _attach_manifests(documents, manifests, raw, report)
    articles, paragraphs, dropped = _segmented(documents, report, near_duplicate=near_duplicate, progress=progress)
    if len(articles):
        _link_duplicates(articles, paragraphs, report, threshold=near_duplicate)
    return Corpus(
        articles=articles[ARTICLE_COLUMNS].reset_index(drop=True),
        paragraphs=paragraphs[PARAGRAPH_COLUMNS].reset_index(drop=True),
        report=pd.DataFrame(report, columns=REPORT_COLUMNS).astype({"row": "Int64"}),
        files_read=len(inputs),
        furniture_dropped=dropped,
        formats=formats,
    )


def _column_mappings(paths: list[Path], raw: Path, report: list[dict]) -> dict[Path, Mapping | None]:
    """Return {mapping file: its mapping, or None when unusable (reported)} for every columns.yaml."""
    mappings: dict[Path, Mapping | None] = {}
    for path in paths:
        try:
            mappings[path] = load_mapping(path)
        except MappingError as error:
            mappings[path] = None
            report.append(report_row(path.relative_to(raw).as_posix(), "skipped",
                                     f"column mapping unusable: {error}; exports below it read by their column names"))
    return mappings


def _mapping_for(path: Path, raw: Path, mappings: dict[Path, Mapping | None]) -> Mapping | None:
    """Return the column mapping nearest above `path` (its folder first, then up to RAW)."""
    if not mappings or path.suffix.lower() not in readers.EXPORT_SUFFIXES:
        return None
    for folder in [path.parent, *path.parent.parents]:
        for name in MAPPING_NAMES:
            if folder / name in mappings:
                return mappings[folder / name]
        if folder == raw:
            break
    return None


def _attach_manifests(documents: list[Document], manifests: list[Path], raw: Path, report: list[dict]) -> None:
    """Copy manifest metadata onto the documents it names; report rows and files left unmatched.

    A manifest row describes a file: for a `.txt` or `.html` article its values win over
    the page's own metadata; for an export they fill what each row leaves empty.
    """
    if not manifests:
        return
    by_file: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        by_file[document.file].append(document)
    unmatched_files: set[str] | None = None
    for manifest_path in manifests:
        rel_manifest = manifest_path.relative_to(raw).as_posix()
        try:
            manifest = read_manifest(manifest_path)
        except (ManifestError, ValueError, UndecodableError) as error:
            report.append(report_row(rel_manifest, "skipped", f"manifest unusable: {error}"))
            continue
        for number, reason in manifest.attrs.get("problems", []):
            report.append(report_row(rel_manifest, "skipped", f"manifest {reason}", number))
        folder = manifest_path.parent.relative_to(raw).as_posix()
        local = [p for p in by_file if folder in ("", ".") or p.startswith(folder + "/")]
        relative = {(p[len(folder) + 1:] if folder not in ("", ".") else p): p for p in local}
        matches, rows, files = matched_rows(manifest, list(relative))
        dayfirst = day_first(manifest["date"])
        placeholders: Counter = Counter()
        for match in matches:
            record = manifest.loc[match.row]
            manifest_row = int(record["manifest_row"])
            values = {}
            for key in _MANIFEST_FIELDS:
                if record[key] and is_placeholder(record[key]):
                    placeholders[(key, record[key])] += 1
                elif record[key]:
                    values[key] = record[key]
            date, problem = parsed_date(record["date"], dayfirst=dayfirst)
            if date is not None:
                values["date"] = date
            path = relative[match.file]
            for document in by_file[path]:
                if document.row is None:
                    document.meta.update(values)
                else:
                    document.meta.update({k: v for k, v in values.items() if not document.meta.get(k)})
            if problem:
                report.append(report_row(rel_manifest, "repaired", f"unparseable date: {record['date']!r} for {path}, date left empty", manifest_row))
            if match.how != "exact":
                report.append(report_row(rel_manifest, "repaired", f"row matched by {match.how} file name: {path}", manifest_row))
        for (key, value), n in sorted(placeholders.items()):
            report.append(report_row(rel_manifest, "repaired", f"placeholder value treated as empty: {key} {value!r} in {n} row(s)"))
        for row in rows:
            name = manifest.at[row, "filename"] or "(no file name)"
            report.append(report_row(rel_manifest, "unmatched", f"manifest row names no file: {name}", int(manifest.at[row, "manifest_row"])))
        leftover = {relative[f] for f in files}
        unmatched_files = leftover if unmatched_files is None else unmatched_files & leftover
    for path in sorted(unmatched_files or ()):
        if all(d.row is None for d in by_file[path]):  # an export's rows carry their own metadata
            report.append(report_row(path, "unmatched", "no manifest row names this file: metadata taken from the text only"))


def _segmented(documents: list[Document], report: list[dict], *, near_duplicate: float,
               progress: bool) -> tuple[pd.DataFrame, pd.DataFrame, Counter]:
    """Segment every document into paragraphs, learning each outlet's boilerplate first."""
    spellings = canonical_outlets(d.meta.get("outlet") for d in documents)
    boilerplate = _learned_boilerplate(documents, spellings, threshold=near_duplicate)
    article_rows, paragraph_rows = [], []
    dropped: Counter = Counter()
    for document in tqdm(documents, desc="segmenting", unit="article", disable=not progress):
        meta = document.meta
        meta["outlet"] = spellings.get(meta.get("outlet") or "", None)
        seg = segment.paragraphs(document.text, title=meta.get("title"), boilerplate=boilerplate.get(meta["outlet"] or UNKNOWN_OUTLET, frozenset()))
        dropped.update(reason for reason, _ in seg.dropped)
        if not seg.paragraphs:
            why = "empty file" if not document.text.strip() else "no content left after removing page furniture"
            report.append(report_row(document.file, "skipped", why, document.row))
            continue
        aid = article_id(document.source_path)
        inferred = infer.metadata(meta, seg)
        if "outlet" in inferred:
            meta["outlet"] = canonical_outlets([meta["outlet"]])[meta["outlet"]]
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
            "language": meta.get("language") or language(body),
            "inferred": ",".join(inferred) or None,
            "_file": document.file,
            "_row": document.row or 0,
        })
        paragraph_rows.extend(
            {"paragraph_id": paragraph_id(aid, position), "article_id": aid, "position": position, "role": role, "text": text}
            for position, (role, text) in enumerate(seg.paragraphs)
        )
    articles = pd.DataFrame(article_rows, columns=ARTICLE_COLUMNS + ["_file", "_row"])
    articles["date"] = pd.to_datetime(articles["date"])
    # inferred outlets may merge with given ones ("the guardian" from a dateline, "The Guardian" given)
    articles["outlet"] = articles["outlet"].map(canonical_outlets(articles["outlet"]))
    return articles, pd.DataFrame(paragraph_rows, columns=PARAGRAPH_COLUMNS), dropped


def _learned_boilerplate(documents: list[Document], spellings: dict[str, str], *, threshold: float) -> dict[str, frozenset[str]]:
    """Return {outlet: lines recurring across many of its articles}, counting copies of one article once.

    Copies of one story (the same article exported on several days) must not make its
    own lines look like the outlet's boilerplate.
    """
    lines_by_outlet: dict[str, list[list[str]]] = defaultdict(list)
    for document in documents:
        outlet = spellings.get(document.meta.get("outlet") or "", None) or UNKNOWN_OUTLET
        lines_by_outlet[outlet].append([l for l in map(normalized_text, document.text.split("\n")) if l])
    learned = {}
    for outlet, articles in lines_by_outlet.items():
        if len(articles) < 3:
            continue
        copies = duplicates.links(articles, threshold=threshold)
        distinct = [frozenset(lines) for index, lines in enumerate(articles) if index not in copies]
        learned[outlet] = frozenset(furniture.repeated_lines(distinct))
    return learned


def language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language (py3langid's model ships in the package), "und" for no text."""
    return py3langid.classify(text[:5000])[0] if text.strip() else UNDETERMINED_LANGUAGE


def _link_duplicates(articles: pd.DataFrame, paragraphs: pd.DataFrame, report: list[dict], *, threshold: float) -> None:
    """Set `duplicate_of` on every copy (the earliest dated article is the original) and report it."""
    order = articles.sort_values(["date", "_file", "_row"], na_position="last").index
    texts = paragraphs.groupby("article_id", sort=False)["text"].agg(list)
    found = duplicates.links([texts.get(articles.at[i, "article_id"], []) for i in order], threshold=threshold)
    for position, link in found.items():
        copy, original = order[position], order[link.original]
        articles.at[copy, "duplicate_of"] = articles.at[original, "article_id"]
        how = link.how if link.how == "identical text" else f"{link.how} {link.similarity:.0%}"
        report.append(report_row(articles.at[copy, "_file"], "repaired",
                                 f"duplicate copy: of {articles.at[original, 'source_path']} ({how}), linked with duplicate_of",
                                 int(articles.at[copy, "_row"]) or None))
