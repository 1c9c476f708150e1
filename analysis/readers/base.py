"""Document records shared by the readers and ingest."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Document:
    """One article's raw text and the metadata its source gives."""

    source_path: str  # "path" or "path#row-N": the article's stable source key
    text: str
    meta: dict = field(default_factory=dict)
    file: str = ""  # the file it came from, relative to RAW
    row: int | None = None  # 1-based row of an export, None for a whole-file article

    def __post_init__(self) -> None:
        self.file = self.file or self.source_path


@dataclass
class Read:
    """What a reader found in one file: documents, and report rows (source_path, row, action, reason)."""

    documents: list[Document] = field(default_factory=list)
    report: list[dict] = field(default_factory=list)


def report_row(source_path: str, action: str, reason: str, row: int | None = None) -> dict:
    """Return one row of ingest_report: `action` is skipped, repaired or unmatched; `reason` starts with its kind."""
    return {"source_path": source_path, "row": row, "action": action, "reason": reason}
