"""The tag step on a Dask cluster (`make tag ENGINE=dask [DASK_SCHEDULER=host:8786]`).

The paragraphs table is cut into units (a row group, or a slice of one) that
workers read themselves from the same Parquet file, so the file must be on a
path every worker sees (a shared or network file system). Each unit is read and
tagged by `engine.tagged_unit`, the function the local engine's workers run; results come back
in order, a bounded number at a time, and are written by the same
`engine.TagWriter`: the tables equal those of the local engine.

Without a scheduler address a `distributed.LocalCluster` is started on this
machine (useful to try the set-up; on one machine the local engine is faster).
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from .codebook import Codebook
from .engine import CHUNK_ROWS, TagWriter, Unit, prepare_process, tagged_unit, units

_BOOKS: dict[str, Codebook] = {}


def tag_unit(unit: Unit, book_bytes: bytes):
    """Read one unit of paragraphs on a worker and return `engine.tagged_unit`'s result for it."""
    digest = hashlib.sha256(book_bytes).hexdigest()
    book = _BOOKS.get(digest)
    if book is None:  # one codebook object per worker process, so its compiled tagger is reused
        book = _BOOKS[digest] = pickle.loads(book_bytes)
        prepare_process(book)  # as the local engine's workers
    return tagged_unit(unit, book)


def dask_tag(paragraphs_path: Path, frames_path: Path, stance_path: Path, codebook: Codebook, *,
             scheduler: str | None = None, client=None, chunk_rows: int = CHUNK_ROWS, in_flight: int | None = None,
             progress: bool = False) -> dict:
    """Tag the paragraphs on Dask into `frames_path` and `stance_path`; return counts (as `engine.stream_tag`, with
    its progress bar).

    `client` (a distributed.Client) wins over `scheduler` (an address); with neither, a local cluster is started.
    """
    from dask.distributed import Client, LocalCluster

    own_cluster = own_client = None
    if client is None:
        if scheduler:
            client = own_client = Client(scheduler)
        else:
            own_cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
            client = own_client = Client(own_cluster)
    try:
        slots = sum(client.nthreads().values())
        work = units(Path(paragraphs_path), rows=chunk_rows, workers=slots)
        book_bytes = client.scatter(pickle.dumps(codebook), broadcast=True)
        window = in_flight or max(2, 2 * slots)

        def results():
            pending = [client.submit(tag_unit, u, book_bytes, pure=False) for u in work[:window]]
            following = window
            while pending:
                yield pending.pop(0).result()
                if following < len(work):
                    pending.append(client.submit(tag_unit, work[following], book_bytes, pure=False))
                    following += 1

        return TagWriter(codebook, Path(frames_path), Path(stance_path)).run(results(), work, progress=progress)
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()
