"""The tag step in chunks: paragraphs streamed from Parquet, frames and stance streamed back, on 1..N processes.

`tag_chunk` is the unit of work: one chunk of paragraphs in, its frame rows and
its stance rows per target out, with the lexicon methods (the same functions
`LexiconTagger.predict` and `LexiconStance.predict` as everywhere else). Each
paragraph's rows depend on that paragraph alone, so cutting the corpus into
chunks, and running chunks on several processes (or Dask workers, see
`engine_dask`), gives the same rows in the same order.

`stream_tag` cuts `paragraphs.parquet` into units (`units`: a row group, or a
slice of one; the data step writes row groups of `CHUNK_ROWS` paragraphs, one
unit each) that each worker reads itself, so no paragraph text passes between
processes, and appends each unit's rows (Arrow tables) to temporary Parquet
files (`ParquetWriter`), moved over `frames.parquet` and `stance.parquet` at
the end: memory holds a few chunks, whatever the corpus size. Stance rows are
ordered target by target (as `training.tagged_stance` orders them), so each
target streams to its own temporary file and they are joined at the end.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from .allocator import keep_freed_memory
from .atomic import replacing
from .codebook import Codebook
from .stance import STANCE_COLUMNS
from .tables import CHUNK_ROWS
from .tag import FRAME_COLUMNS, fitted_tagger

FRAME_SCHEMA = pa.Schema.from_pandas(pd.DataFrame([("p", "f", 1.0, "m", "e")], columns=FRAME_COLUMNS), preserve_index=False)
STANCE_SCHEMA = pa.Schema.from_pandas(pd.DataFrame([("p", "t", "l", 1.0, "m", "e")], columns=STANCE_COLUMNS), preserve_index=False)
_MODELS: dict[int, tuple[Codebook, list]] = {}
T = TypeVar("T")


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


def _worked(work: Callable[[Unit, Codebook], T], unit: Unit) -> T:
    return work(unit, _WORKER_BOOK)


_WORKER_BOOK: Codebook | None = None


def prepare_process(book: Codebook) -> None:
    """Prepare this process to tag chunks with `book` (a local or Dask worker, or the process that forks them)."""
    global _WORKER_BOOK
    _WORKER_BOOK = book
    keep_freed_memory()
    fitted_tagger(book)
    stance_models(book)


def prepare_to_fork(book: Codebook) -> None:
    """`prepare_process`, and the tagger's batch engine compiled: the workers forked next inherit it."""
    prepare_process(book)
    fitted_tagger(book).batch_


class Unit(NamedTuple):
    """Rows start:start + count of row group `group` of the paragraphs table at `path`: one unit of work."""

    path: str
    group: int
    start: int
    count: int


def units(path: Path, *, rows: int = CHUNK_ROWS, workers: int = 1) -> list[Unit]:
    """Return units of at most `rows` paragraphs covering the table at `path` in order.

    With `workers` processes, the last units (as many as the count exceeds a multiple of `workers`) are cut
    into `workers` slices each, so that no process sits idle while another tags the corpus's last unit.
    """
    metadata = pq.ParquetFile(path).metadata
    out = []
    for group in range(metadata.num_row_groups):
        size = metadata.row_group(group).num_rows
        out += [Unit(str(path), group, start, min(rows, size - start)) for start in range(0, size, rows)]
    tail = len(out) % workers if workers > 1 else 0
    if tail:
        out[-tail:] = [piece for unit in out[-tail:] for piece in _slices(unit, workers)]
    return out


def _slices(unit: Unit, parts: int) -> list[Unit]:
    """Return `unit` cut into `parts` consecutive units of near-equal size (fewer if it has fewer rows)."""
    bounds = [unit.start + unit.count * k // parts for k in range(parts + 1)]
    return [unit._replace(start=a, count=b - a) for a, b in zip(bounds, bounds[1:]) if b > a]


_LAST_GROUP: dict[tuple, pa.Table] = {}  # the row group this process read last: a group cut into units is read once


def unit_paragraphs(unit: Unit) -> pd.DataFrame:
    """Return the paragraphs of `unit` (columns paragraph_id, text)."""
    stat = os.stat(unit.path)
    key = (unit.path, stat.st_mtime_ns, stat.st_size, unit.group)
    group = _LAST_GROUP.get(key)
    if group is None:
        _LAST_GROUP.clear()
        group = _LAST_GROUP[key] = pq.ParquetFile(unit.path).read_row_group(unit.group, columns=["paragraph_id", "text"])
    return group.slice(unit.start, unit.count).to_pandas()


def tagged_unit(unit: Unit, codebook: Codebook) -> tuple[pa.Table, dict[str, pa.Table]]:
    """Return `tag_chunk`'s rows for the paragraphs of `unit`, as Arrow tables of the written schemas."""
    frames, stances = tag_chunk(unit_paragraphs(unit), codebook)
    return arrow_table(frames, FRAME_SCHEMA), {target: arrow_table(rows, STANCE_SCHEMA) for target, rows in stances.items()}


def arrow_table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """Return `frame` as an Arrow table of `schema` (the written tables' schema: a worker's rows cross processes as Arrow)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return table if table.schema.equals(schema, check_metadata=False) else table.cast(schema)


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


def mapped_units(work: Callable[[Unit, Codebook], T], parts: Iterable[Unit], codebook: Codebook, *,
                 workers: int = 1) -> Iterator[T]:
    """Yield `work(unit, codebook)` for each of `parts` in order, computed on `workers` processes prepared to tag
    (`prepare_process`; at most 2 units each in flight). `work` must be a module-level function (it is pickled)."""
    if workers <= 1:
        prepare_process(codebook)
        for part in parts:
            yield work(part, codebook)
        return
    prepare_to_fork(codebook)
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=prepare_process, initargs=(codebook,)) as pool:
        pending = []
        for part in parts:
            pending.append(pool.submit(_worked, work, part))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def tagged_units(parts: Iterable[Unit], codebook: Codebook, *, workers: int = 1) -> Iterator[tuple]:
    """Yield `tagged_unit` results of `parts` in order, computed on `workers` processes."""
    return mapped_units(tagged_unit, parts, codebook, workers=workers)


class TagWriter:
    """Writes frame rows and per-target stance rows chunk by chunk, then the final tables atomically."""

    def __init__(self, codebook: Codebook, frames_path: Path, stance_path: Path):
        self.codebook = codebook
        self.frames_path, self.stance_path = Path(frames_path), Path(stance_path)
        self.counts = {"paragraphs": 0, "frame_rows": 0, "stance_rows": 0}

    def run(self, results: Iterable[tuple], work: list[Unit], *, progress: bool = False) -> dict:
        """Consume (frames, {target: stance}) results (Arrow tables, as `tagged_unit` returns) of the units `work`, in
        order; write both tables; return paragraph and row counts. With `progress`, a bar counts the paragraphs as
        their results come, when there are several units."""
        targets = [t.id for t in self.codebook.stance]
        self.counts["paragraphs"] = sum(unit.count for unit in work)
        bar = tqdm(total=self.counts["paragraphs"], desc="tagging", unit=" paragraphs", unit_scale=True,
                   disable=not progress or len(work) < 2)
        results = _counted(results, work, bar)
        with replacing(self.frames_path) as frames_tmp, replacing(self.stance_path) as stance_tmp, \
                tempfile.TemporaryDirectory(dir=self.stance_path.parent, prefix=".stance-parts.") as parts_dir:
            frame_writer = pq.ParquetWriter(frames_tmp, FRAME_SCHEMA)
            part_paths = {t: Path(parts_dir) / f"{i}.parquet" for i, t in enumerate(targets)}
            part_writers = {t: pq.ParquetWriter(part_paths[t], STANCE_SCHEMA) for t in targets}
            try:
                for frames, stances in results:
                    self.counts["frame_rows"] += len(frames)
                    _append(frame_writer, frames)
                    for target in targets:
                        rows = stances.get(target)
                        if rows is not None:
                            self.counts["stance_rows"] += len(rows)
                            _append(part_writers[target], rows)
            finally:
                frame_writer.close()
                for writer in part_writers.values():
                    writer.close()
                bar.close()
            with pq.ParquetWriter(stance_tmp, STANCE_SCHEMA) as writer:
                for target in targets:
                    for batch in pq.ParquetFile(part_paths[target]).iter_batches(batch_size=100_000):
                        writer.write_batch(batch)
        return self.counts


def _counted(results: Iterable[tuple], work: list[Unit], bar) -> Iterator[tuple]:
    """Yield `results`, moving `bar` on by each one's unit of `work` (in order) once it has come."""
    sizes = iter(unit.count for unit in work)
    for result in results:
        yield result
        bar.update(next(sizes, 0))


def _append(writer: pq.ParquetWriter, table: pa.Table) -> None:
    if len(table):
        writer.write_table(table)


def stream_tag(paragraphs_path: Path, frames_path: Path, stance_path: Path, codebook: Codebook, *,
               workers: int | None = None, chunk_rows: int = CHUNK_ROWS, progress: bool = False) -> dict:
    """Tag `paragraphs_path` chunk by chunk into `frames_path` and `stance_path`; return counts.

    `workers` processes (default: every CPU available) share the chunks; the output does not
    depend on it nor on `chunk_rows`. With `progress`, a bar on stderr counts the paragraphs tagged.
    """
    workers = default_workers() if workers is None else max(1, workers)
    if pq.ParquetFile(paragraphs_path).metadata.num_rows <= chunk_rows:
        workers = 1  # one chunk: starting processes would only cost time
    work = units(paragraphs_path, rows=chunk_rows, workers=workers)
    return TagWriter(codebook, frames_path, stance_path).run(tagged_units(work, codebook, workers=workers), work,
                                                             progress=progress)
