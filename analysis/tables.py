"""Read and write the pipeline's tables under PROCESSED, by name, with clear errors when missing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .paths import Paths

CHUNK_ROWS = 20_000  # paragraphs per row group of paragraphs.parquet: one unit of the tag step's work each (`engine.units`)


class MissingTableError(FileNotFoundError):
    """Raised when a stage's input table has not been built yet."""


def load(paths: Paths, name: str) -> pd.DataFrame:
    """Return the table `name` (articles, paragraphs, frames, stance) from PROCESSED."""
    path: Path = getattr(paths, name)
    if not path.exists():
        stage = "make data" if name in ("articles", "paragraphs") else "make tag"
        raise MissingTableError(f"{path}: table '{name}' not found; run `{stage}` first (PROCESSED={paths.processed})")
    return pd.read_parquet(path)


def ingest_report(paths: Paths) -> pd.DataFrame:
    """Return ingest_report.csv (source_path, row, action, reason)."""
    if not paths.ingest_report.exists():
        raise MissingTableError(f"{paths.ingest_report}: not found; run `make data` first")
    return pd.read_csv(paths.ingest_report, dtype={"source_path": str, "reason": str}).astype({"row": "Int64"})


def info(path: Path) -> dict:
    """Return a JSON side-file (summary, provenance) as a dict, or {} when absent."""
    return json.loads(Path(path).read_text(encoding="utf-8")) if Path(path).exists() else {}
