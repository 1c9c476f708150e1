"""Atomic writers: a reader never sees a half-written table or page."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success move it over `path` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_parquet(frame: pd.DataFrame, path: Path, *, row_group_size: int | None = None) -> Path:
    """Write `frame` to Parquet at `path` atomically, without the index (in row groups of `row_group_size` rows if given)."""
    with replacing(path) as tmp:
        frame.to_parquet(tmp, index=False, row_group_size=row_group_size)
    return Path(path)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write `frame` to UTF-8 CSV at `path` atomically, without the index."""
    with replacing(path) as tmp:
        frame.to_csv(tmp, index=False)
    return Path(path)


def write_text(text: str, path: Path) -> Path:
    """Write `text` as UTF-8 to `path` atomically."""
    with replacing(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return Path(path)


def write_json(data: object, path: Path) -> Path:
    """Write `data` as indented JSON to `path` atomically."""
    return write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", path)
