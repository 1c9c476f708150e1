"""Hand codings (the gold set): read them, join them to paragraph texts, export and read coding sheets.

Codings live in `gold/<corpus>/<coder>.csv`, one row per coded paragraph, keyed
by article file name and paragraph text hash (`keys.text_hash`), never the text:
columns source_file, text_hash, coder, frames (space-separated ids, empty for
none), deepseek (favor/against/neutral), export_controls (support/oppose/neutral,
only where export_controls is among the frames).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import ingest
from .keys import text_hash
from .paths import PROJECT_ROOT

GOLD_DIR = PROJECT_ROOT / "gold"
GOLD_COLUMNS = ["source_file", "text_hash", "coder", "frames", "deepseek", "export_controls"]


class GoldError(ValueError):
    """A coding file with a missing column or an unknown label, naming the file and row."""


def read_codings(folder: Path = GOLD_DIR, *, frame_ids: list[str] | None = None) -> pd.DataFrame:
    """Return every coding under `folder` (recursively), one row per (paragraph, coder).

    `frames` becomes a tuple of frame ids. With `frame_ids`, unknown ids raise GoldError.
    """
    parts = []
    for path in sorted(Path(folder).rglob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "frames" not in table.columns and frame_ids and set(frame_ids) <= set(table.columns):
            table = codings_from_sheet(table, path, frame_ids)  # a filled coding sheet (see sheets.py)
        missing = set(GOLD_COLUMNS) - set(table.columns)
        if missing:
            raise GoldError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        table["frames"] = table["frames"].map(lambda s: tuple(sorted(set(s.split()))))
        if frame_ids is not None:
            for number, frames in enumerate(table["frames"], start=2):
                unknown = set(frames) - set(frame_ids)
                if unknown:
                    raise GoldError(f"{path}: row {number}: unknown frame id(s) {', '.join(sorted(unknown))}")
        table["gold_file"] = str(path.relative_to(folder))
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=GOLD_COLUMNS + ["gold_file"])
    return pd.concat(parts, ignore_index=True).drop_duplicates(["source_file", "text_hash", "coder"])


_PRESENT = {"1", "x", "yes", "y", "true", "✓"}
_STANCE_LABELS = {"deepseek": ("favor", "against", "neutral"), "export_controls": ("support", "oppose", "neutral")}


def codings_from_sheet(sheet: pd.DataFrame, path: Path, frame_ids: list[str]) -> pd.DataFrame:
    """Return a filled coding sheet (one column per frame, marked 1 or x) as codings; uncoded rows are skipped.

    Raises GoldError naming the file and row of a coded row with no coder or an unknown stance label.
    """
    rows = []
    for number, row in enumerate(sheet.to_dict("records"), start=2):
        frames = [f for f in frame_ids if str(row.get(f, "")).strip().lower() in _PRESENT]
        stances = {t: str(row.get(t, "")).strip() for t in _STANCE_LABELS}
        if not frames and not any(stances.values()):
            continue  # not coded yet
        if not str(row.get("coder", "")).strip():
            raise GoldError(f"{path}: row {number}: coded but no coder named")
        for target, labels in _STANCE_LABELS.items():
            if stances[target] and stances[target] not in labels:
                raise GoldError(f"{path}: row {number}: {target} must be one of {', '.join(labels)} (got {stances[target]!r})")
        rows.append({"source_file": row["source_file"], "text_hash": row["text_hash"], "coder": str(row["coder"]).strip(),
                     "frames": " ".join(frames), **stances})
    return pd.DataFrame(rows, columns=GOLD_COLUMNS)


def paragraph_keys(articles: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Return paragraphs with the gold keys: source_file (base name of source_path) and text_hash."""
    joined = paragraphs.merge(articles[["article_id", "source_path", "outlet"]], on="article_id")
    joined["source_file"] = joined["source_path"].map(lambda p: Path(str(p).split("#")[0]).name)
    joined["text_hash"] = joined["text"].map(text_hash)
    return joined


def coded_paragraphs(codings: pd.DataFrame, corpora: list[Path]) -> pd.DataFrame:
    """Return codings joined to their paragraph text, ingesting each corpus folder that exists.

    Columns: codings' columns plus paragraph_id, article_id, outlet, text. Codings whose
    paragraph is not found (the article is absent) are dropped.
    """
    keyed = []
    for folder in corpora:
        if Path(folder).is_dir():
            corpus = ingest.corpus(Path(folder), progress=False)
            keyed.append(paragraph_keys(corpus.articles, corpus.paragraphs))
    if not keyed:
        return codings.iloc[0:0].assign(paragraph_id=[], article_id=[], outlet=[], text=[])
    texts = pd.concat(keyed, ignore_index=True).drop_duplicates(["source_file", "text_hash"])
    columns = ["source_file", "text_hash", "paragraph_id", "article_id", "outlet", "text"]
    return codings.merge(texts[columns], on=["source_file", "text_hash"], how="inner")


def consensus(coded: pd.DataFrame, *, prefer: list[str] | None = None) -> pd.DataFrame:
    """Return one coding per paragraph: the first coder in `prefer` order (default: alphabetical)."""
    order = {coder: i for i, coder in enumerate(prefer or sorted(coded["coder"].unique()))}
    ranked = coded.assign(_rank=coded["coder"].map(order).fillna(len(order)))
    return ranked.sort_values(["_rank", "coder"]).drop_duplicates(["source_file", "text_hash"]).drop(columns="_rank").reset_index(drop=True)


def frame_matrix(coded: pd.DataFrame, frame_ids: list[str]) -> pd.DataFrame:
    """Return a 0/1 matrix (rows as `coded`, one column per frame id) from the `frames` tuples."""
    return pd.DataFrame({f: coded["frames"].map(lambda frames, f=f: int(f in frames)) for f in frame_ids}, index=coded.index)
