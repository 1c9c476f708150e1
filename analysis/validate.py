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

from dataclasses import dataclass, field
from pathlib import Path

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


def coder_agreement(codings: pd.DataFrame, frame_ids: list[str], *,
                    targets: tuple[str, ...] | list[str] | None = None) -> pd.DataFrame:
    """Return Krippendorff's alpha (nominal) per frame and stance target over paragraphs coded more than once.

    `targets` are the codebook's stance target ids (columns of `codings`; empty = not coded);
    default: the bundled codebook's (`gold.stance_labels`).

    Columns: variable, paragraphs (coded by >= 2 coders), coders, alpha, flag
    ("ok" >= 0.8; "tentative" 0.667-0.8; "unreliable" < 0.667).
    """
    codings = codings.assign(key=codings["source_file"] + "|" + codings["text_hash"])
    shared = codings.groupby("key")["coder"].nunique()
    multi = codings[codings["key"].isin(shared[shared >= 2].index)]
    coders = sorted(multi["coder"].unique())
    variables = {f: multi["frames"].map(lambda frames, f=f: int(f in frames)) for f in frame_ids}
    for target in (list(gold.stance_labels()) if targets is None else targets):
        variables[f"stance: {target}"] = multi[target].where(multi[target] != "", None)
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


def development_files(gold_dir: Path) -> set[str]:
    """Return the article files listed in `gold_dir/development.txt` (read while writing the codebook)."""
    path = Path(gold_dir) / "development.txt"
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


@dataclass
class Report:
    """Everything the validation page shows, as tidy tables."""

    coded: pd.DataFrame
    codings: pd.DataFrame
    frame_scores: dict[str, pd.DataFrame] = field(default_factory=dict)   # method -> per-frame table (held-out articles)
    frame_scores_all: dict[str, pd.DataFrame] = field(default_factory=dict)  # method -> per-frame table (all coded)
    frame_errors: dict[str, pd.DataFrame] = field(default_factory=dict)
    stance_scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    stance_errors: pd.DataFrame = field(default_factory=pd.DataFrame)
    agreement: pd.DataFrame = field(default_factory=pd.DataFrame)
    heldout_articles: int = 0

    def summary(self) -> pd.DataFrame:
        """Return one row per frame method: micro/macro F1 (held-out and all coded) and the weakest frame."""
        rows = []
        for method, table in self.frame_scores.items():
            frames = table[~table["frame"].isin(["micro", "macro"])]
            weakest = frames.loc[frames["f1"].idxmin()] if frames["f1"].notna().any() else None
            every = self.frame_scores_all[method].set_index("frame")
            rows.append((method, table.set_index("frame").at["micro", "f1"], table.set_index("frame").at["macro", "f1"],
                         weakest["frame"] if weakest is not None else None, weakest["f1"] if weakest is not None else None,
                         every.at["micro", "f1"]))
        return pd.DataFrame(rows, columns=["method", "heldout_micro_f1", "heldout_macro_f1", "weakest_frame", "weakest_f1", "all_coded_micro_f1"])


def run(codebook: Codebook, *, gold_dir: Path, corpora: list[Path], methods: tuple[str, ...] = ("lexicon", "supervised", "hybrid"),
        stance_methods: tuple[str, ...] = ("lexicon", "supervised"), folds: int = 5, n_boot: int = 1000) -> Report:
    """Return the validation of every frame and stance method against the gold codings."""
    from .stance_supervised import stance_model

    codings = gold.read_codings(gold_dir, frame_ids=codebook.frame_ids, stance=gold.stance_labels(codebook))
    coded = gold.consensus(gold.coded_paragraphs(codings, list(corpora)))
    agreement = coder_agreement(codings, codebook.frame_ids, targets=list(codebook.stance_labels))
    report = Report(coded=coded, codings=codings, agreement=agreement)
    if coded.empty:
        return report
    development = development_files(gold_dir)
    heldout = ~coded["source_file"].isin(development)
    report.heldout_articles = int(coded.loc[heldout, "source_file"].nunique())
    truth = gold.frame_matrix(coded, codebook.frame_ids)
    for method in methods:
        frames = out_of_fold_frames(coded, codebook, method, folds=folds)
        predicted = predicted_matrix(coded, frames, codebook.frame_ids)
        scope = heldout if heldout.any() else pd.Series(True, index=coded.index)
        report.frame_scores[method] = frame_scores(truth[scope], predicted[scope], coded.loc[scope, "source_file"], n_boot=n_boot)
        report.frame_scores_all[method] = frame_scores(truth, predicted, coded["source_file"], n_boot=n_boot)
        report.frame_errors[method] = frame_errors(coded[scope], truth[scope], frames)
    stance_rows, error_rows = [], []
    for target in codebook.stance:
        sub = coded[coded[target.id].isin(target.labels)].reset_index(drop=True)
        if sub.empty:
            continue
        for method in stance_methods:
            predicted = pd.Series(index=sub.index, dtype=object)
            evidence = pd.Series("", index=sub.index, dtype=object)
            if method == "lexicon":
                out = stance_model(codebook, target.id, "lexicon").fit().predict(sub)
                predicted[:], evidence[:] = out["label"].to_numpy(), out["evidence"].to_numpy()
            else:
                splits = GroupKFold(n_splits=min(folds, sub["source_file"].nunique())).split(sub, groups=sub["source_file"])
                for train, test in splits:
                    model = stance_model(codebook, target.id, method).fit(sub.iloc[train], sub[target.id].iloc[train])
                    out = model.predict(sub.iloc[test])
                    predicted.iloc[test], evidence.iloc[test] = out["label"].to_numpy(), out["evidence"].to_numpy()
            stance_rows.append({"target": target.id, "method": method, **stance_scores(sub[target.id], predicted, list(target.labels))})
            wrong = predicted != sub[target.id]
            error_rows.append(pd.DataFrame({"target": target.id, "method": method, "coded": sub.loc[wrong, target.id],
                                            "predicted": predicted[wrong], "outlet": sub.loc[wrong, "outlet"],
                                            "text": sub.loc[wrong, "text"], "evidence": evidence[wrong]}))
    report.stance_scores = pd.DataFrame(stance_rows)
    report.stance_errors = pd.concat(error_rows, ignore_index=True) if error_rows else pd.DataFrame()
    return report
