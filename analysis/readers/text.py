"""Plain-text articles (`.txt`): one article per file, in any common encoding."""

from __future__ import annotations

from pathlib import Path

from ..decode import UndecodableError, decoded_text
from .base import Document, Read, report_row


def decoded_file(path: Path, rel: str, result: Read) -> str | None:
    """Return the text of the file at `path`, or None after adding why it could not be read to `result`.

    A guessed (non-UTF-8) encoding is reported as a repair. Shared by every reader.
    """
    try:
        decoded = decoded_text(Path(path).read_bytes())
    except UndecodableError as error:
        result.report.append(report_row(rel, "skipped", str(error)))
        return None
    except OSError as error:
        result.report.append(report_row(rel, "skipped", f"unreadable: {error.strerror or error}"))
        return None
    if decoded.guessed:
        result.report.append(report_row(rel, "repaired", f"not UTF-8: decoded as {decoded.encoding} (detected)"))
    return decoded.text


def read(path: Path, rel: str) -> Read:
    """Return the one document of a text file (its whole text; furniture is removed later)."""
    result = Read()
    text = decoded_file(path, rel, result)
    if text is not None:
        result.documents.append(Document(rel, text))
    return result
