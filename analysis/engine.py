"""The tag step in chunks: paragraphs streamed from Parquet, frames and stance streamed back, on 1..N processes.

`tag_chunk` is the unit of work: one chunk of paragraphs in, its frame rows and
its stance rows per target out, with the lexicon methods (the same functions
`LexiconTagger.predict` and `LexiconStance.predict` as everywhere else). Each
paragraph's rows depend on that paragraph alone, so cutting the corpus into
chunks, and running chunks on several processes (or Dask workers, see
`engine_dask`), gives the same rows in the same order.

`stream_tag` reads `paragraphs.parquet` batch by batch (pyarrow
`iter_batches`) and appends each chunk's rows to temporary Parquet files
(`ParquetWriter`), moved over `frames.parquet` and `stance.parquet` at the
end: memory holds a few chunks, whatever the corpus size. Stance rows are
ordered target by target (as `training.tagged_stance` orders them), so each
target streams to its own temporary file and they are joined at the end.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import replacing
from .codebook import Codebook
from .stance import STANCE_COLUMNS
from .tag import FRAME_COLUMNS, fitted_tagger

CHUNK_ROWS = 20_000
_FRAME_SCHEMA = pa.Schema.from_pandas(pd.DataFrame([("p", "f", 1.0, "m", "e")], columns=FRAME_COLUMNS), preserve_index=False)
_STANCE_SCHEMA = pa.Schema.from_pandas(pd.DataFrame([("p", "t", "l", 1.0, "m", "e")], columns=STANCE_COLUMNS), preserve_index=False)
_MODELS: dict[int, tuple[Codebook, list]] = {}


def stance_models(codebook: Codebook) -> list:
    """Return the fitted lexicon stance model of every stance target, compiled once per codebook object."""
    held = _MODELS.get(id(codebook))
    if held is None or held[0] is not codebook:
        from .stance_supervised import stance_model

        held = _MODELS[id(codebook)] = (codebook, [stance_model(codebook, t.id, "lexicon").fit() for t in codebook.stance])
    return held[1]


def tag_chunk(paragraphs: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Return (frame rows, {target: stance rows}) of one chunk of paragraphs (columns paragraph_id, text).

    Targets tied to a frame (export controls) are scored only on paragraphs carrying it.
    """
    frames = fitted_tagger(codebook).predict(paragraphs)
    stances = {}
    for target, model in zip(codebook.stance, stance_models(codebook)):
        scope = paragraphs
        if target.frame:
            scope = paragraphs[paragraphs["paragraph_id"].isin(set(frames.loc[frames["frame"] == target.frame, "paragraph_id"]))]
        stances[target.id] = model.predict(scope, lexicon_frames=frames)
    return frames, stances


def _work(chunk: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    return tag_chunk(chunk, _WORKER_BOOK)


_WORKER_BOOK: Codebook | None = None


def _init(book: Codebook) -> None:
    global _WORKER_BOOK
    _WORKER_BOOK = book
    fitted_tagger(book)
    stance_models(book)


def chunks(path: Path, *, rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """Yield the paragraphs table at `path` in chunks of `rows` paragraphs (columns paragraph_id, text)."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=rows, columns=["paragraph_id", "text"]):
        yield batch.to_pandas()


def settings() -> dict:
    """Return the tag engine settings from the environment (the Makefile's variables).

    ENGINE: `local` (default; processes on this machine) or `dask`; DASK_SCHEDULER: a Dask
    scheduler address (default: a local cluster); TAG_WORKERS: local processes (default: all CPUs).
    """
    name = (os.environ.get("ENGINE") or "local").strip().lower()
    if name not in ("local", "dask"):
        raise ValueError(f"unknown ENGINE {name!r}: choose local or dask")
    workers = os.environ.get("TAG_WORKERS") or ""
    return {"engine": name, "scheduler": os.environ.get("DASK_SCHEDULER") or None,
            "workers": int(workers) if workers.strip() else None}


def default_workers() -> int:
    """Return the number of processes to tag with: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def tagged_chunks(parts: Iterable[pd.DataFrame], codebook: Codebook, *, workers: int = 1) -> Iterator[tuple]:
    """Yield `tag_chunk` results of `parts` in order, computed on `workers` processes (at most 2 chunks each in flight)."""
    if workers <= 1:
        fitted_tagger(codebook)
        for part in parts:
            yield tag_chunk(part, codebook)
        return
    _init(codebook)  # compile before forking: workers inherit the automaton
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init, initargs=(codebook,)) as pool:
        pending = []
        for part in parts:
            pending.append(pool.submit(_work, part))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


class TagWriter:
    """Writes frame rows and per-target stance rows chunk by chunk, then the final tables atomically."""

    def __init__(self, codebook: Codebook, frames_path: Path, stance_path: Path):
        self.codebook = codebook
        self.frames_path, self.stance_path = Path(frames_path), Path(stance_path)
        self.counts = {"paragraphs": 0, "frame_rows": 0, "stance_rows": 0}

    def run(self, results: Iterable[tuple], *, paragraphs_per_result: Callable[[tuple], int] | None = None) -> dict:
        """Consume (frames, {target: stance}) results in order; write both tables; return row counts."""
        targets = [t.id for t in self.codebook.stance]
        with replacing(self.frames_path) as frames_tmp, replacing(self.stance_path) as stance_tmp, \
                tempfile.TemporaryDirectory(dir=self.stance_path.parent, prefix=".stance-parts.") as parts_dir:
            frame_writer = pq.ParquetWriter(frames_tmp, _FRAME_SCHEMA)
            part_paths = {t: Path(parts_dir) / f"{i}.parquet" for i, t in enumerate(targets)}
            part_writers = {t: pq.ParquetWriter(part_paths[t], _STANCE_SCHEMA) for t in targets}
            try:
                for frames, stances in results:
                    self.counts["frame_rows"] += len(frames)
                    _append(frame_writer, frames, _FRAME_SCHEMA)
                    for target in targets:
                        rows = stances.get(target)
                        if rows is not None:
                            self.counts["stance_rows"] += len(rows)
                            _append(part_writers[target], rows, _STANCE_SCHEMA)
            finally:
                frame_writer.close()
                for writer in part_writers.values():
                    writer.close()
            with pq.ParquetWriter(stance_tmp, _STANCE_SCHEMA) as writer:
                for target in targets:
                    for batch in pq.ParquetFile(part_paths[target]).iter_batches(batch_size=100_000):
                        writer.write_batch(batch)
        return self.counts


def _append(writer: pq.ParquetWriter, frame: pd.DataFrame, schema: pa.Schema) -> None:
    if len(frame):
        table = pa.Table.from_pandas(frame, preserve_index=False)
        writer.write_table(table.cast(schema) if not table.schema.equals(schema, check_metadata=False) else table)


def stream_tag(paragraphs_path: Path, frames_path: Path, stance_path: Path, codebook: Codebook, *,
               workers: int | None = None, chunk_rows: int = CHUNK_ROWS) -> dict:
    """Tag `paragraphs_path` chunk by chunk into `frames_path` and `stance_path`; return counts.

    `workers` processes (default: every CPU available) share the chunks; the output does not
    depend on it nor on `chunk_rows`.
    """
    workers = default_workers() if workers is None else max(1, workers)
    if pq.ParquetFile(paragraphs_path).metadata.num_rows <= chunk_rows:
        workers = 1  # one chunk: starting processes would only cost time
    counted = {"paragraphs": 0}

    def parts():
        for part in chunks(paragraphs_path, rows=chunk_rows):
            counted["paragraphs"] += len(part)
            yield part

    counts = TagWriter(codebook, frames_path, stance_path).run(tagged_chunks(parts(), codebook, workers=workers))
    return counts | counted
