"""Fitted taggers for the `tag` stage: the lexicon as is, or models trained on the gold codings.

`frame_method` is lexicon, supervised or hybrid; `stance_method` lexicon or
supervised. Trained methods learn from every coded paragraph whose article text
is found in the given corpus folders (the bundled corpus and the shared one).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import gold
from .classify import tagger as frame_tagger_for
from .codebook import Codebook
from .pipeline import FRAME_METHODS, STANCE_METHODS  # noqa: F401 - defined once, where the light tag stage reads them
from .stance import STANCE_COLUMNS
from .stance_supervised import stance_model


class TrainingDataError(RuntimeError):
    """Raised when a trained method is asked for but no coded paragraph could be found."""


def training_set(codebook: Codebook, *, gold_dir: Path, corpora: list[Path]) -> pd.DataFrame:
    """Return one coding per coded paragraph, joined to its text (see `gold.coded_paragraphs`)."""
    codings = gold.read_codings(gold_dir, frame_ids=codebook.frame_ids, stance=gold.stance_labels(codebook))
    coded = gold.coded_paragraphs(codings, [Path(c) for c in corpora])
    if coded.empty:
        raise TrainingDataError(f"no coded paragraph found: codings in {gold_dir}, article texts searched in "
                                f"{', '.join(map(str, corpora))}; use the lexicon method or add codings")
    return gold.consensus(coded)


def fitted_frame_tagger(codebook: Codebook, method: str, training: pd.DataFrame | None = None):
    """Return a fitted frame tagger for `method` (trained on `training` unless it is the lexicon)."""
    model = frame_tagger_for(codebook, method)
    if method == "lexicon":
        return model.fit()
    return model.fit(training, gold.frame_matrix(training, codebook.frame_ids))


def tagged_stance(paragraphs: pd.DataFrame, frames: pd.DataFrame, codebook: Codebook, method: str,
                  training: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return stance rows for every target; targets tied to a frame only where `frames` holds it."""
    parts = []
    for target in codebook.stance:
        scope = paragraphs
        if target.frame:
            scope = paragraphs[paragraphs["paragraph_id"].isin(set(frames.loc[frames["frame"] == target.frame, "paragraph_id"]))]
        model = stance_model(codebook, target.id, method)
        if method == "lexicon":
            model.fit()
        else:
            coded = training[training[target.id].isin(target.labels)]
            model.fit(coded, coded[target.id])
        parts.append(model.predict(scope))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=STANCE_COLUMNS)
