"""The one place that knows where every input and output of the pipeline lives.

The Makefile passes RAW, PROCESSED, REPORTS and CODEBOOK in as environment
variables (or the CLI passes them as arguments); every other module asks a
`Paths` object instead of building a path itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CODEBOOK = PROJECT_ROOT / "codebooks" / "deepseek.yaml"


@dataclass(frozen=True)
class Paths:
    """Input and output locations of one pipeline run."""

    raw: Path
    processed: Path
    reports: Path
    codebook: Path
    gold: Path = PROJECT_ROOT / "gold"
    gold_corpus: Path = PROJECT_ROOT.parent / "shared" / "corpora" / "deepseek-news"

    @classmethod
    def from_env(cls, **overrides: str | os.PathLike | None) -> "Paths":
        """Return paths from keyword overrides, then RAW/PROCESSED/REPORTS/CODEBOOK, then defaults."""

        def pick(name: str, default: Path) -> Path:
            value = overrides.get(name.lower()) or os.environ.get(name)
            path = Path(value).expanduser() if value else default
            return path if path.is_absolute() else (Path.cwd() / path)

        return cls(
            raw=pick("RAW", PROJECT_ROOT / "data" / "raw"),
            processed=pick("PROCESSED", PROJECT_ROOT / "data" / "processed"),
            reports=pick("REPORTS", PROJECT_ROOT / "reports"),
            codebook=pick("CODEBOOK", DEFAULT_CODEBOOK),
            gold=pick("GOLD", PROJECT_ROOT / "gold"),
            gold_corpus=pick("GOLD_CORPUS", PROJECT_ROOT.parent / "shared" / "corpora" / "deepseek-news"),
        )

    # tables under PROCESSED (the stable contract of design.md)
    @property
    def articles(self) -> Path:
        return self.processed / "articles.parquet"

    @property
    def paragraphs(self) -> Path:
        return self.processed / "paragraphs.parquet"

    @property
    def frames(self) -> Path:
        return self.processed / "frames.parquet"

    @property
    def stance(self) -> Path:
        return self.processed / "stance.parquet"

    @property
    def ingest_report(self) -> Path:
        return self.processed / "ingest_report.csv"

    @property
    def ingest_summary(self) -> Path:
        return self.processed / "ingest_summary.json"

    @property
    def tag_info(self) -> Path:
        return self.processed / "tag_info.json"

    # build products under REPORTS
    @property
    def figures(self) -> Path:
        return self.reports / "figures"

    @property
    def tables(self) -> Path:
        return self.reports / "tables"

    @property
    def executed_notebooks(self) -> Path:
        return self.reports / "notebooks"

    @property
    def index(self) -> Path:
        return self.reports / "index.html"
