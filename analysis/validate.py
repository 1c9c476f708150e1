"""Validation against hand coding: agreement of any tagger with coded paragraphs, and between coders.

Frames: precision, recall and F1 per frame and micro/macro, with 95% bootstrap
intervals that resample articles (paragraphs of one article are not
independent). Trained methods are scored out of fold: grouped cross-validation
by article, so no paragraph is predicted by a model that saw its article.
Stance: accuracy, macro-F1 and the SemEval-2016 score (mean F1 of the two
non-neutral labels). Coders: Krippendorff's alpha (nominal), flagged below 0.8
and 0.667.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold

from . import gold
from .classify import tagger as make_tagger
from .codebook import Codebook
from .tag import LexiconTagger


def out_of_fold_frames(coded: pd.DataFrame, codebook: Codebook, method: str, *, folds: int = 5) -> pd.DataFrame:
    """Return the frame rows (`FRAME_COLUMNS`) predicted for `coded` paragraphs, each out of fold.

    The lexicon needs no training and tags everything at once; supervised and hybrid
    taggers are trained on the other folds' articles (GroupKFold by `source_file`).
    """
    if method == "lexicon":
        return LexiconTagger(codebook).fit().predict(coded)
    labels = gold.frame_matrix(coded, codebook.frame_ids)
    groups = coded["source_file"]
    parts = []
    for train, test in GroupKFold(n_splits=min(folds, groups.nunique())).split(coded, groups=groups):
        model = make_tagger(codebook, method).fit(coded.iloc[train], labels.iloc[train])
        parts.append(model.predict(coded.iloc[test]))
    return pd.concat(parts, ignore_index=True)


def predicted_matrix(coded: pd.DataFrame, frames: pd.DataFrame, frame_ids: list[str]) -> pd.DataFrame:
    """Return a 0/1 matrix aligned with `coded` from frame rows."""
    present = set(zip(frames["paragraph_id"], frames["frame"]))
    return pd.DataFrame({f: [int((pid, f) in present) for pid in coded["paragraph_id"]] for f in frame_ids}, index=coded.index)


def _f1(tp, fp, fn):
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        recall = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    return precision, recall, f1


def frame_scores(truth: pd.DataFrame, predicted: pd.DataFrame, groups: pd.Series, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Return precision, recall, F1 (with 95% article-bootstrap intervals) per frame, plus micro and macro rows.

    Columns: frame, support (coded paragraphs), predicted, precision, recall, f1, f1_low, f1_high.
    """
    y, p = truth.to_numpy(dtype=int), predicted[truth.columns].to_numpy(dtype=int)
    codes, index = np.unique(groups.to_numpy(), return_inverse=True)
    per_article = np.zeros((3, len(codes), y.shape[1]))
    for k, cells in enumerate((p & y, p & (1 - y), (1 - p) & y)):
        np.add.at(per_article[k], index, cells)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(codes), size=(n_boot, len(codes)))
    boot = per_article[:, draws, :].sum(axis=2)  # (3, n_boot, frames)
    _, _, f1_boot = _f1(*boot)
    micro_boot = _f1(*boot.sum(axis=2))[2]
    macro_boot = np.nanmean(f1_boot, axis=1)
    totals = per_article.sum(axis=1)
    precision, recall, f1 = _f1(*totals)
    rows = []
    for i, frame in enumerate(truth.columns):
        rows.append((frame, int(y[:, i].sum()), int(p[:, i].sum()), precision[i], recall[i], f1[i],
                     *np.nanpercentile(f1_boot[:, i], [2.5, 97.5])))
    mp, mr, mf = _f1(*totals.sum(axis=1))
    rows.append(("micro", int(y.sum()), int(p.sum()), float(mp), float(mr), float(mf), *np.nanpercentile(micro_boot, [2.5, 97.5])))
    rows.append(("macro", int(y.sum()), int(p.sum()), np.nanmean(precision), np.nanmean(recall), np.nanmean(f1),
                 *np.nanpercentile(macro_boot, [2.5, 97.5])))
    return pd.DataFrame(rows, columns=["frame", "support", "predicted", "precision", "recall", "f1", "f1_low", "f1_high"]).round(3)


def frame_errors(coded: pd.DataFrame, truth: pd.DataFrame, frames: pd.DataFrame) -> pd.DataFrame:
    """Return every false positive and false negative: kind, frame, source_file, outlet, text, evidence."""
    predicted = predicted_matrix(coded, frames, list(truth.columns))
    evidence = frames.set_index(["paragraph_id", "frame"])["evidence"].to_dict()
    rows = []
    for frame in truth.columns:
        for kind, mask in (("false positive", (predicted[frame] == 1) & (truth[frame] == 0)),
                           ("false negative", (predicted[frame] == 0) & (truth[frame] == 1))):
            for row in coded[mask].itertuples():
                rows.append((kind, frame, row.source_file, row.outlet, row.text, evidence.get((row.paragraph_id, frame), "")))
    return pd.DataFrame(rows, columns=["kind", "frame", "source_file", "outlet", "text", "evidence"])


def stance_scores(truth: pd.Series, predicted: pd.Series, labels: list[str]) -> dict:
    """Return accuracy, macro-F1 and the SemEval-2016 score (mean F1 of the two non-neutral labels)."""
    positive, negative = labels[0], labels[1]
    return {
        "paragraphs": int(len(truth)),
        "accuracy": round(float(accuracy_score(truth, predicted)), 3),
        "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 3),
        "semeval": round(float(f1_score(truth, predicted, labels=[positive, negative], average="macro", zero_division=0)), 3),
        **{f"f1_{label}": round(float(f1_score(truth, predicted, labels=[label], average="macro", zero_division=0)), 3) for label in labels},
    }


def coder_agreement(codings: pd.DataFrame, frame_ids: list[str]) -> pd.DataFrame:
    """Return Krippendorff's alpha (nominal) per frame and stance target over paragraphs coded more than once.

    Columns: variable, paragraphs (coded by >= 2 coders), coders, alpha, flag
    ("ok" >= 0.8; "tentative" 0.667-0.8; "unreliable" < 0.667).
    """
    codings = codings.assign(key=codings["source_file"] + "|" + codings["text_hash"])
    shared = codings.groupby("key")["coder"].nunique()
    multi = codings[codings["key"].isin(shared[shared >= 2].index)]
    coders = sorted(multi["coder"].unique())
    variables = {f: multi["frames"].map(lambda frames, f=f: int(f in frames)) for f in frame_ids}
    variables["stance: deepseek"] = multi["deepseek"]
    variables["stance: export_controls"] = multi["export_controls"].where(multi["export_controls"] != "", None)
    rows = []
    for name, values in variables.items():
        table = multi.assign(value=values).pivot_table(index="coder", columns="key", values="value", aggfunc="first")
        table = table.reindex(coders)
        data = table.to_numpy(dtype=object)
        categories = sorted({v for v in data.ravel() if v is not None and v == v}, key=str)
        numeric = np.array([[np.nan if v is None or v != v else categories.index(v) for v in row] for row in data], dtype=float)
        pairable = int((np.sum(~np.isnan(numeric), axis=0) >= 2).sum())
        alpha = np.nan
        if pairable and len(categories) > 1:
            alpha = float(krippendorff.alpha(reliability_data=numeric, level_of_measurement="nominal"))
        elif pairable:
            alpha = 1.0  # every coder gave the same single value
        flag = "n/a" if np.isnan(alpha) else "ok" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "unreliable"
        rows.append((name, pairable, len(coders), round(alpha, 3) if not np.isnan(alpha) else np.nan, flag))
    return pd.DataFrame(rows, columns=["variable", "paragraphs", "coders", "alpha", "flag"])


METHOD_NOTE = (
    "Each paragraph's frames were predicted without the tagger having seen that paragraph's article: the lexicon is "
    "fixed in advance, and trained taggers are scored by {folds}-fold cross-validation grouped by article. Precision is "
    "the share of predicted frames a coder also gave; recall the share of coded frames predicted; F1 their harmonic "
    "mean. Micro pools all frames; macro averages frames equally. Intervals are 2.5th-97.5th percentiles of {n_boot} "
    "bootstrap samples of whole articles."
)
