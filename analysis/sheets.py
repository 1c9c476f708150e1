"""Coding sheets: export a stratified sample of paragraphs for coders, and read filled sheets back.

A sheet is a CSV with the paragraph text and its keys (source_file, text_hash),
one empty column per frame (put 1 or x where the frame is present), the
stance columns and the coder's name. Filled sheets saved under the gold folder
(e.g. `gold/sheets/`) are read by the validation report like any coding. The sample covers every outlet x frame cell the tagger found,
paragraphs with no frame, and the paragraphs the tagger is least certain about.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook
from .gold import BASE_COLUMNS, codings_from_sheet, paragraph_keys, stance_labels
from .tag import fitted_tagger

def uncertainty(paragraphs: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Return, per paragraph, how close its nearest frame score is to that frame's threshold (0 = on it)."""
    tagger = fitted_tagger(codebook)
    thresholds = [f.threshold for f in codebook.frames]
    margins = []
    for text in paragraphs["text"]:
        scores = tagger.scores(text)
        margins.append(min((abs(scores.get(i, (0.0,))[0] / t - 1.0) for i, t in enumerate(thresholds)), default=1.0))
    return pd.Series(margins, index=paragraphs.index)


def coding_sheet(articles: pd.DataFrame, paragraphs: pd.DataFrame, frames: pd.DataFrame, codebook: Codebook, *,
                 per_cell: int = 2, uncertain: int = 20, seed: int = 0) -> pd.DataFrame:
    """Return a stratified sample of paragraphs as an empty coding sheet (shuffled, seeded)."""
    keyed = paragraph_keys(articles, paragraphs)
    rng = np.random.default_rng(seed)
    chosen: list[str] = []
    hits = frames.merge(keyed[["paragraph_id", "outlet"]], on="paragraph_id")
    for _, cell in hits.groupby(["outlet", "frame"], sort=True):
        ids = cell["paragraph_id"].unique()
        chosen.extend(rng.choice(ids, size=min(per_cell, len(ids)), replace=False))
    unframed = keyed[~keyed["paragraph_id"].isin(frames["paragraph_id"])]
    for _, cell in unframed.groupby("outlet", sort=True):
        ids = cell["paragraph_id"].to_numpy()
        chosen.extend(rng.choice(ids, size=min(per_cell, len(ids)), replace=False))
    margins = uncertainty(keyed, codebook).sort_values(kind="stable")
    chosen.extend(keyed.loc[margins.index[:uncertain], "paragraph_id"])
    sample = keyed[keyed["paragraph_id"].isin(set(chosen))].sample(frac=1.0, random_state=seed)
    sheet = sample[["source_file", "text_hash", "outlet", "role", "text"]].reset_index(drop=True)
    for frame in codebook.frame_ids:
        sheet[frame] = ""
    for target in codebook.stance:
        sheet[target.id] = ""
    sheet["coder"] = ""
    sheet["notes"] = ""
    return sheet


def read_sheets(paths: list[Path], codebook: Codebook) -> pd.DataFrame:
    """Return filled sheets as gold codings (`BASE_COLUMNS` + the codebook's stance targets); rows not coded yet are skipped.

    Put filled sheets in the gold folder (e.g. gold/sheets/) and the validation report reads them too.
    """
    stance = stance_labels(codebook)
    parts = [codings_from_sheet(pd.read_csv(p, dtype=str, keep_default_na=False), Path(p), codebook.frame_ids, stance=stance)
             for p in paths]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=BASE_COLUMNS + list(stance))
