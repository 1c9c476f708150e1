"""The pipeline's stages as functions of `Paths`: ingest (`data`) and tagging (`tag`).

Each stage writes its tables atomically and records the fingerprint of what it
read; rerunning a stage whose inputs did not change is skipped.
"""

from __future__ import annotations

import hashlib

from . import codebook as codebooks
from . import provenance, tables
from .atomic import write_csv, write_json, write_parquet
from .paths import Paths

# The tag methods (as in `training`, which is slow to import: the stage imports it only for trained methods).
FRAME_METHODS = ("lexicon", "supervised", "hybrid")
STANCE_METHODS = ("lexicon", "supervised")


def _same_inputs(record_path, key: str) -> bool:
    previous = tables.info(record_path)
    return previous.get("inputs_key") == key


def run_ingest(paths: Paths, *, force: bool = False, progress: bool = True, near_duplicate: float = 0.8) -> dict:
    """Ingest RAW into articles/paragraphs/ingest_report under PROCESSED; return the run summary.

    `near_duplicate` (0-1) is the similarity at which an article is linked to an earlier copy
    (see `ingest.corpus`). A progress bar shows on long ingests unless `progress` is False.
    """
    fingerprint, count = provenance.input_fingerprint(paths.raw)
    key = hashlib.sha256(f"{fingerprint}|{near_duplicate}|{_code_version()}".encode()).hexdigest()
    outputs = (paths.articles, paths.paragraphs, paths.ingest_report)
    if not force and all(p.exists() for p in outputs) and _same_inputs(paths.ingest_summary, key):
        summary = tables.info(paths.ingest_summary)
        summary["skipped_unchanged"] = True
        return summary
    from . import ingest  # imported here: the tag and report stages import this module without needing the readers

    corpus = ingest.corpus(paths.raw, near_duplicate=near_duplicate, progress=progress)
    write_parquet(corpus.articles, paths.articles)
    write_parquet(corpus.paragraphs, paths.paragraphs, row_group_size=tables.CHUNK_ROWS)  # one tag unit per row group
    write_csv(corpus.report, paths.ingest_report)
    summary = corpus.summary() | {"near_duplicate": near_duplicate, "input_fingerprint": fingerprint, "input_files": count, "inputs_key": key}
    write_json(summary, paths.ingest_summary)
    return summary


def run_tag(paths: Paths, *, force: bool = False, frame_method: str = "lexicon", stance_method: str = "lexicon",
            progress: bool = True) -> dict:
    """Tag frames and stance for PROCESSED's paragraphs with the codebook; return the run record.

    The streamed tag step shows a progress bar on corpora of several chunks unless `progress` is False.

    Trained methods (frame: supervised, hybrid; stance: supervised) learn from the gold
    codings whose articles are found in RAW or GOLD_CORPUS.
    """
    for name, value, allowed in (("frame method", frame_method, FRAME_METHODS), ("stance method", stance_method, STANCE_METHODS)):
        if value not in allowed:
            raise ValueError(f"unknown {name} {value!r}: choose one of {', '.join(allowed)}")
    book = codebooks.load(paths.codebook)  # a bad codebook stops here, before any work
    if not paths.paragraphs.exists():
        tables.load(paths, "paragraphs")  # raises MissingTableError naming the stage to run
    ingest_key = tables.info(paths.ingest_summary).get("inputs_key", "")
    gold_key = _gold_version(paths.gold) if "lexicon" != frame_method or "lexicon" != stance_method else ""
    key = hashlib.sha256(f"{ingest_key}|{book.sha256}|{_code_version()}|{frame_method}|{stance_method}|{gold_key}".encode()).hexdigest()
    if not force and paths.frames.exists() and paths.stance.exists() and _same_inputs(paths.tag_info, key):
        return tables.info(paths.tag_info) | {"skipped_unchanged": True}
    parameters = {"frame_method": frame_method, "stance_method": stance_method}
    if frame_method == "lexicon" and stance_method == "lexicon":
        from . import engine

        # streamed in chunks (memory does not grow with the corpus), on local processes or a Dask cluster
        settings = engine.settings()
        if settings["engine"] == "dask":
            from . import engine_dask

            counts = engine_dask.dask_tag(paths.paragraphs, paths.frames, paths.stance, book, scheduler=settings["scheduler"],
                                          progress=progress)
        else:
            counts = engine.stream_tag(paths.paragraphs, paths.frames, paths.stance, book, workers=settings["workers"],
                                       progress=progress)
    else:  # trained methods learn from the whole coded set first: not streamed
        from . import training

        paragraphs = tables.load(paths, "paragraphs")
        coded = None
        if gold_key:
            coded = training.training_set(book, gold_dir=paths.gold, corpora=[paths.raw, paths.gold_corpus])
        frames = training.fitted_frame_tagger(book, frame_method, coded).predict(paragraphs)
        stances = training.tagged_stance(paragraphs, frames, book, stance_method, coded)
        write_parquet(frames, paths.frames)
        write_parquet(stances, paths.stance)
        if coded is not None:
            parameters["training_paragraphs"] = len(coded)
        counts = {"paragraphs": len(paragraphs), "frame_rows": len(frames), "stance_rows": len(stances)}
    record = provenance.record(raw=paths.raw, codebook=book, parameters=parameters)
    record |= {"paragraphs": counts["paragraphs"], "frame_rows": counts["frame_rows"], "stance_rows": counts["stance_rows"],
               "inputs_key": key}
    write_json(record, paths.tag_info)
    return record


def _gold_version(folder) -> str:
    """Return a hash of the gold codings, so new codings retrain the models."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.csv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _code_version() -> str:
    """Return a hash of the package's source, so changed code invalidates cached outputs."""
    from pathlib import Path

    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")) + sorted(root.rglob("*.yaml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def summary_text(summary: dict) -> str:
    """Return the one-screen ingest summary printed at the end of `make data`."""
    inputs = summary.get("inputs") or {}
    files = ", ".join(f"{n} {kind.removesuffix(' files')}" for kind, n in inputs.items() if kind.endswith(" files"))
    rows = sum(n for kind, n in inputs.items() if kind.endswith(" rows read"))
    lines = [
        f"files read      {summary.get('files_read', summary.get('input_files'))}" + (f" ({files})" if files else "")
        + (f", {rows} export rows" if rows else ""),
        f"articles        {summary.get('articles')} from {summary.get('outlets')} outlets",
        f"paragraphs      {summary.get('paragraphs')}",
        f"duplicates      {summary.get('duplicates_linked')} linked with duplicate_of (statistics count each story once)",
    ]
    languages = summary.get("languages") or {}
    if languages:
        shown = list(languages.items())
        lines.append("languages       " + ", ".join(f"{k} {v}" for k, v in shown[:8]) + (f", {len(shown) - 8} more" if len(shown) > 8 else ""))
    inferred = summary.get("inferred_fields") or {}
    if inferred:
        lines.append("from the text   " + ", ".join(f"{k} {v}" for k, v in inferred.items()) + " (column inferred)")
    report = summary.get("report_rows") or {}
    if report:
        lines.append("skipped / repaired / unmatched (see ingest_report.csv):")
        lines += [f"  {n:4d}  {reason}" for reason, n in sorted(report.items(), key=lambda kv: -kv[1])]
    dropped = summary.get("furniture_lines_dropped") or {}
    if dropped:
        lines.append("page furniture lines removed: " + ", ".join(f"{k} {v}" for k, v in dropped.items()))
    if summary.get("skipped_unchanged"):
        lines.append("(inputs unchanged since the last run: tables kept as they were)")
    return "\n".join(lines)


def tag_summary_text(record: dict) -> str:
    """Return the short summary printed at the end of `make tag`."""
    text = (f"tagged {record.get('paragraphs')} paragraphs with codebook {record['codebook']['name']} "
            f"v{record['codebook']['version']}: {record.get('frame_rows')} frame rows, {record.get('stance_rows')} stance rows")
    return text + ("\n(inputs and codebook unchanged: tables kept as they were)" if record.get("skipped_unchanged") else "")
