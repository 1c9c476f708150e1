"""Validation against hand coding: metrics by hand, grouped cross-validation, coder agreement, the report page."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score

from analysis import codebook, gold, reporting, validate
from analysis.paths import DEFAULT_CODEBOOK, PROJECT_ROOT, Paths

BOOK = codebook.load(DEFAULT_CODEBOOK)


@pytest.fixture(scope="module")
def seed_gold(tmp_path_factory):
    """A gold folder holding only the bundled corpus's codings (two coders)."""
    folder = tmp_path_factory.mktemp("gold")
    shutil.copytree(PROJECT_ROOT / "gold" / "seed", folder / "seed")
    return folder


def test_frame_scores_match_hand_computed_values():
    truth = pd.DataFrame({"a": [1, 1, 0, 0], "b": [0, 1, 1, 0]})
    predicted = pd.DataFrame({"a": [1, 0, 1, 0], "b": [0, 1, 1, 1]})
    table = validate.frame_scores(truth, predicted, pd.Series(["x", "x", "y", "z"]), n_boot=200).set_index("frame")
    # a: tp 1, fp 1, fn 1 -> P = R = F1 = 0.5; b: tp 2, fp 1, fn 0 -> P 2/3, R 1, F1 0.8
    assert table.loc["a", ["precision", "recall", "f1"]].tolist() == [0.5, 0.5, 0.5]
    assert table.loc["b", ["precision", "recall", "f1"]].tolist() == [0.667, 1.0, 0.8]
    assert table.loc["micro", "f1"] == round(2 * 3 / (2 * 3 + 2 + 1), 3)
    assert table.loc["macro", "f1"] == 0.65
    assert table.loc["micro", "f1_low"] <= table.loc["micro", "f1"] <= table.loc["micro", "f1_high"]


def test_bootstrap_interval_covers_the_truth_on_a_known_case():
    rng = np.random.default_rng(1)
    articles = np.repeat(np.arange(60), 5)
    truth = pd.DataFrame({"a": rng.integers(0, 2, len(articles))})
    flip = rng.random(len(articles)) < 0.2  # a tagger wrong on 20% of paragraphs
    predicted = pd.DataFrame({"a": np.where(flip, 1 - truth["a"], truth["a"])})
    table = validate.frame_scores(truth, predicted, pd.Series(articles), n_boot=500).set_index("frame")
    exact = f1_score(truth["a"], predicted["a"])
    assert table.loc["a", "f1_low"] < exact < table.loc["a", "f1_high"]
    assert table.loc["a", "f1_high"] - table.loc["a", "f1_low"] < 0.2


def test_stance_scores_use_the_semeval_definition():
    truth = pd.Series(["favor", "favor", "against", "neutral", "neutral"])
    predicted = pd.Series(["favor", "neutral", "against", "against", "neutral"])
    scores = validate.stance_scores(truth, predicted, ["favor", "against", "neutral"])
    favor, against = 2 * 1 / (2 * 1 + 0 + 1), 2 * 1 / (2 * 1 + 1 + 0)
    assert scores["semeval"] == round((favor + against) / 2, 3)
    assert scores["accuracy"] == 0.6


def test_coder_agreement_is_krippendorffs_alpha_with_flags():
    codings = pd.DataFrame({
        "source_file": ["f"] * 8, "text_hash": ["h1", "h2", "h3", "h4"] * 2, "coder": ["a"] * 4 + ["b"] * 4,
        "frames": [("x",), (), ("x",), ()] + [("x",), (), (), ()],
        "deepseek": ["favor", "neutral", "against", "neutral"] * 2, "export_controls": [""] * 8,
    })
    table = validate.coder_agreement(codings, ["x"]).set_index("variable")
    # x: a = 1 0 1 0, b = 1 0 0 0 -> nominal alpha 0.533 (Krippendorff 2011, by hand)
    assert table.loc["x", "alpha"] == pytest.approx(0.533, abs=0.001) and table.loc["x", "flag"] == "unreliable"
    assert table.loc["stance: deepseek", "alpha"] == 1.0 and table.loc["stance: deepseek", "flag"] == "ok"


def test_trained_taggers_are_scored_out_of_fold_by_article(seed_gold):
    coded = gold.consensus(gold.coded_paragraphs(gold.read_codings(seed_gold), [PROJECT_ROOT / "data" / "raw"]))
    seen: list[set] = []
    original_fit = validate.make_tagger

    def spying(codebook, method):
        model = original_fit(codebook, method)
        fit = model.fit

        def recording_fit(paragraphs, labels):
            seen.append(set(paragraphs["source_file"]))
            return fit(paragraphs, labels)

        model.fit = recording_fit
        return model

    validate.make_tagger = spying
    try:
        frames = validate.out_of_fold_frames(coded, BOOK, "supervised", folds=5)
    finally:
        validate.make_tagger = original_fit
    assert len(seen) == 5 and all(len(files) == 4 for files in seen)  # each fold trains on the other four articles
    assert set(frames["method"]) <= {"supervised"} and set(frames["paragraph_id"]) <= set(coded["paragraph_id"])


def test_validation_run_reports_every_method_and_target(seed_gold):
    report = validate.run(BOOK, gold_dir=seed_gold, corpora=[PROJECT_ROOT / "data" / "raw"], folds=5, n_boot=100)
    assert len(report.coded) == 65 and set(report.frame_scores) == {"lexicon", "supervised", "hybrid"}
    assert set(report.stance_scores["target"]) == {"deepseek", "export_controls"}
    assert {"micro", "macro"} <= set(report.frame_scores["lexicon"]["frame"])
    errors = report.frame_errors["lexicon"]
    assert set(errors["kind"]) <= {"false positive", "false negative"}
    assert (errors.loc[errors["kind"] == "false positive", "evidence"].str.len() > 0).all()
    assert report.agreement["paragraphs"].max() == 65


def test_validation_page_is_written_by_the_notebook(seed_paths, seed_gold, tmp_path):
    paths = Paths(raw=seed_paths.raw, processed=seed_paths.processed, reports=tmp_path / "reports", codebook=seed_paths.codebook,
                  gold=seed_gold, gold_corpus=tmp_path / "absent")
    job = reporting.Job("validation.ipynb", "Validation", {"bootstrap": 50, "folds": 3})
    result = reporting.run_job(job, paths)
    assert result["ok"], result["error"]
    page = (paths.reports / job.page).read_text(encoding="utf-8")
    assert "Krippendorff" in page and "SemEval" in page
    assert (paths.figures / "validation_f1.png").exists() and (paths.tables / "validation_frames.csv").exists()


def test_coder_agreement_covers_the_codebooks_stance_targets():
    codings = pd.DataFrame({
        "source_file": ["f"] * 4, "text_hash": ["h1", "h2"] * 2, "coder": ["a", "a", "b", "b"],
        "frames": [("x",), (), ("x",), ()], "mood": ["up", "down", "up", "down"],
    })
    table = validate.coder_agreement(codings, ["x"], targets=["mood"]).set_index("variable")
    assert list(table.index) == ["x", "stance: mood"] and table.loc["stance: mood", "alpha"] == 1.0
