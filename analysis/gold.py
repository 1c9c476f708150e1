"""Hand codings (the gold set): read them, join them to paragraph texts, export and read coding sheets.

Codings live in `gold/<corpus>/<coder>.csv`, one row per coded paragraph, keyed
by article file name and paragraph text hash (`keys.text_hash`), never the text:
columns source_file, text_hash, coder, frames (space-separated ids, empty for
none), deepseek (favor/against/neutral), export_controls (support/oppose/neutral,
only where export_controls is among the frames) — one column per stance target
of the codebook, whose labels it accepts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import ingest
from .codebook import Codebook
from .codebook import load as load_codebook
from .keys import text_hash
from .paths import DEFAULT_CODEBOOK, PROJECT_ROOT

GOLD_DIR = PROJECT_ROOT / "gold"
BASE_COLUMNS = ["source_file", "text_hash", "coder", "frames"]  # then one column per stance target of the codebook


class GoldError(ValueError):
    """A coding file with a missing column or an unknown label, naming the file and row."""


def stance_labels(codebook: Codebook | None = None) -> dict[str, tuple[str, ...]]:
    """Return {stance target id: accepted labels} from `codebook` (default: the bundled one): what codings may say."""
    return (codebook or _default_codebook()).stance_labels


@lru_cache(maxsize=1)
def _default_codebook() -> Codebook:
    return load_codebook(DEFAULT_CODEBOOK)


def read_codings(folder: Path = GOLD_DIR, *, frame_ids: list[str] | None = None,
                 stance: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Return every coding under `folder` (recursively), one row per (paragraph, coder).

    `frames` becomes a tuple of frame ids. With `frame_ids`, unknown ids raise GoldError.
    `stance` ({target: labels}, see `stance_labels`) names the stance columns a coding
    file must have and the labels they accept (empty = not coded); default: the
    bundled codebook's. Errors name the file and row.
    """
    stance = stance_labels() if stance is None else stance
    parts = []
    for path in sorted(Path(folder).rglob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "frames" not in table.columns and frame_ids and set(frame_ids) <= set(table.columns):
            table = codings_from_sheet(table, path, frame_ids, stance=stance)  # a filled coding sheet (see sheets.py)
        required = BASE_COLUMNS + list(stance)
        missing = set(required) - set(table.columns)
        if missing:
            raise GoldError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        table["frames"] = table["frames"].map(lambda s: tuple(sorted(set(s.split()))))
        for number, row in enumerate(table.to_dict("records"), start=2):
            _check_row(path, number, row, frame_ids, stance)
        table["gold_file"] = str(path.relative_to(folder))
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=BASE_COLUMNS + list(stance) + ["gold_file"])
    return pd.concat(parts, ignore_index=True).drop_duplicates(["source_file", "text_hash", "coder"])


def _check_row(path: Path, number: int, row: dict, frame_ids: list[str] | None, stance: dict | None) -> None:
    """Raise GoldError naming file and row for an unknown frame id or stance label."""
    unknown = set(row["frames"]) - set(frame_ids) if frame_ids is not None else set()
    if unknown:
        raise GoldError(f"{path}: row {number}: unknown frame id(s) {', '.join(sorted(unknown))}")
    for target, labels in stance.items():
        value = str(row.get(target, "")).strip()
        if value and value not in labels:
            raise GoldError(f"{path}: row {number}: {target} must be one of {', '.join(labels)} (got {value!r})")


_PRESENT = {"1", "x", "yes", "y", "true", "✓"}


def codings_from_sheet(sheet: pd.DataFrame, path: Path, frame_ids: list[str], *,
                       stance: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Return a filled coding sheet (one column per frame, marked 1 or x) as codings; uncoded rows are skipped.

    `stance` is {target: accepted labels} from the codebook (`stance_labels`; default: the
    bundled codebook's). Raises GoldError naming the file and row of a coded row with no
    coder or a stance label the codebook does not accept.
    """
    stance = stance_labels() if stance is None else stance
    targets = list(stance)
    rows = []
    for number, row in enumerate(sheet.to_dict("records"), start=2):
        frames = [f for f in frame_ids if str(row.get(f, "")).strip().lower() in _PRESENT]
        stances = {t: str(row.get(t, "")).strip() for t in targets}
        if not frames and not any(stances.values()):
            continue  # not coded yet
        if not str(row.get("coder", "")).strip():
            raise GoldError(f"{path}: row {number}: coded but no coder named")
        _check_row(path, number, {"frames": (), **stances}, None, stance)
        rows.append({"source_file": row["source_file"], "text_hash": row["text_hash"], "coder": str(row["coder"]).strip(),
                     "frames": " ".join(frames), **stances})
    return pd.DataFrame(rows, columns=BASE_COLUMNS + targets)


def paragraph_keys(articles: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Return paragraphs with the gold keys: source_file (base name of source_path) and text_hash."""
    joined = paragraphs.merge(articles[["article_id", "source_path", "outlet"]], on="article_id")
    joined["source_file"] = joined["source_path"].map(lambda p: Path(str(p).split("#")[0]).name)
    joined["text_hash"] = joined["text"].map(text_hash)
    return joined


def coded_paragraphs(codings: pd.DataFrame, corpora: list[Path]) -> pd.DataFrame:
    """Return codings joined to their paragraph text, ingesting each corpus folder that exists.

    Columns: codings' columns plus paragraph_id, article_id, position, role, outlet, text
    (position and role let trained taggers see each paragraph's context). Codings whose
    paragraph is not found (the article is absent) are dropped.
    """
    keyed = []
    for folder in corpora:
        if Path(folder).is_dir():
            corpus = ingest.corpus(Path(folder), progress=False)
            keyed.append(paragraph_keys(corpus.articles, corpus.paragraphs))
    if not keyed:
        return codings.iloc[0:0].assign(paragraph_id=[], article_id=[], position=[], role=[], outlet=[], text=[])
    texts = pd.concat(keyed, ignore_index=True).drop_duplicates(["source_file", "text_hash"])
    columns = ["source_file", "text_hash", "paragraph_id", "article_id", "position", "role", "outlet", "text"]
    return codings.merge(texts[columns], on=["source_file", "text_hash"], how="inner")


def consensus(coded: pd.DataFrame, *, prefer: list[str] | None = None) -> pd.DataFrame:
    """Return one coding per paragraph: the first coder in `prefer` order (default: alphabetical)."""
    order = {coder: i for i, coder in enumerate(prefer or sorted(coded["coder"].unique()))}
    ranked = coded.assign(_rank=coded["coder"].map(order).fillna(len(order)))
    return ranked.sort_values(["_rank", "coder"]).drop_duplicates(["source_file", "text_hash"]).drop(columns="_rank").reset_index(drop=True)


def frame_matrix(coded: pd.DataFrame, frame_ids: list[str]) -> pd.DataFrame:
    """Return a 0/1 matrix (rows as `coded`, one column per frame id) from the `frames` tuples."""
    return pd.DataFrame({f: coded["frames"].map(lambda frames, f=f: int(f in frames)) for f in frame_ids}, index=coded.index)
