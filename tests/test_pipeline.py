"""The pipeline stages through their public interface: contract tables, reruns, bad codebooks, the CLI."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from analysis import codebook, pipeline
from analysis.__main__ import main
from analysis.paths import PROJECT_ROOT, Paths

CONTRACT = {
    "articles": ["article_id", "outlet", "title", "author", "date", "url", "source_path", "syndicated_from", "duplicate_of", "language"],
    "paragraphs": ["paragraph_id", "article_id", "position", "role", "text"],
    "frames": ["paragraph_id", "frame", "score", "method", "evidence"],
    "stance": ["paragraph_id", "target", "label", "score", "method"],
}
SPEC_FRAMES = {"sputnik_moment", "us_china_rivalry", "open_source_cooperation", "export_controls", "cost_efficiency",
               "scaling_paradigm", "market_shock", "china_innovation", "security_risk", "ip_distillation"}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_every_contract_table_has_its_columns(seed_paths, table):
    frame = pd.read_parquet(getattr(seed_paths, table))
    assert set(CONTRACT[table]) <= set(frame.columns)
    assert len(frame) > 0


def test_ingest_report_has_its_columns(seed_paths):
    report = pd.read_csv(seed_paths.ingest_report)
    assert list(report.columns) == ["source_path", "row", "action", "reason"]


def test_bundled_corpus_gives_five_articles_with_manifest_metadata(seed_paths):
    articles = pd.read_parquet(seed_paths.articles).set_index("source_path")
    assert len(articles) == 5
    assert articles.loc["004_a880c91a8a4349f5.txt", "outlet"] == "China Daily"
    assert articles.loc["004_a880c91a8a4349f5.txt", "date"] == pd.Timestamp("2025-02-04")
    assert articles.loc["003_abc600b155f6e648.txt", "syndicated_from"] == "South China Morning Post"
    assert articles.loc["002_f001f78a87ddcdfb.txt", "author"] == "Zhou Xin"


def test_tagging_uses_only_codebook_frame_ids(seed_paths):
    frames = pd.read_parquet(seed_paths.frames)
    assert set(frames["frame"]) <= SPEC_FRAMES
    assert (frames["evidence"].str.len() > 0).all()


def test_export_control_stance_only_where_the_frame_is(seed_paths):
    frames = pd.read_parquet(seed_paths.frames)
    stance = pd.read_parquet(seed_paths.stance)
    with_frame = set(frames.loc[frames["frame"] == "export_controls", "paragraph_id"])
    controls = stance[stance["target"] == "export_controls"]
    assert set(controls["paragraph_id"]) == with_frame
    assert set(controls["label"]) <= {"support", "oppose", "neutral"}
    deepseek = stance[stance["target"] == "deepseek"]
    assert len(deepseek) == len(pd.read_parquet(seed_paths.paragraphs))
    assert set(deepseek["label"]) <= {"favor", "against", "neutral"}


def test_rerun_with_unchanged_inputs_is_skipped_and_tables_identical(seed_paths):
    before = pd.read_parquet(seed_paths.frames)
    assert pipeline.run_ingest(seed_paths, progress=False).get("skipped_unchanged") is True
    assert pipeline.run_tag(seed_paths).get("skipped_unchanged") is True
    pd.testing.assert_frame_equal(before, pd.read_parquet(seed_paths.frames))


def test_forced_rerun_in_small_row_groups_gives_identical_tables(seed_paths, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from analysis import tables

    monkeypatch.setattr(tables, "CHUNK_ROWS", 9)  # the data step's row groups, each then one unit of the tag step
    again = Paths.from_env(raw=str(seed_paths.raw), processed=str(tmp_path / "p"), reports=str(tmp_path / "r"), codebook=str(seed_paths.codebook))
    pipeline.run_ingest(again, progress=False)
    pipeline.run_tag(again)
    metadata = pq.ParquetFile(again.paragraphs).metadata
    assert metadata.num_row_groups == -(-metadata.num_rows // 9) > 1
    for table in CONTRACT:
        pd.testing.assert_frame_equal(pd.read_parquet(getattr(seed_paths, table)), pd.read_parquet(getattr(again, table)))


def test_bad_codebook_stops_before_any_work_naming_file_and_frame(seed_paths, tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (PROJECT_ROOT / "codebooks" / "deepseek.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("  - id: market_shock\n", "  - id: market_shock\n    colour: red\n", 1), encoding="utf-8")
    paths = Paths.from_env(raw=str(seed_paths.raw), processed=str(seed_paths.processed), reports=str(tmp_path / "r"), codebook=str(bad))
    out = tmp_path / "p"
    paths = Paths(raw=paths.raw, processed=out, reports=paths.reports, codebook=bad)
    with pytest.raises(codebook.CodebookError, match=r"bad\.yaml: frame 'market_shock': unknown field 'colour'"):
        pipeline.run_tag(paths)
    assert not out.exists()


def test_cli_reports_bad_codebook_with_exit_status_2(seed_paths, tmp_path, capsys):
    bad = tmp_path / "dup.yaml"
    bad.write_text("name: x\nframes:\n  - {id: a, label: A, description: d, patterns: [x]}\n  - {id: a, label: B, description: d, patterns: [y]}\n")
    status = main(["tag", "--processed", str(seed_paths.processed), "--codebook", str(bad)])
    assert status == 2
    assert "dup.yaml: frame 'a': duplicate frame id" in capsys.readouterr().err


def test_cli_data_prints_summary(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "one.txt").write_text("A headline about DeepSeek today\n\nDeepSeek released a model that rivals OpenAI at a fraction of the cost.\n\nAdvertisement\n")
    result = subprocess.run([sys.executable, "-m", "analysis", "data", "--raw", str(raw), "--processed", str(tmp_path / "p")],
                            capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
    assert "articles        1 from 1 outlets" in result.stdout
    assert "advertisement 1" in result.stdout


def test_tag_before_data_says_which_stage_to_run(tmp_path, capsys):
    status = main(["tag", "--processed", str(tmp_path / "nothing")])
    assert status == 2
    assert "run `make data` first" in capsys.readouterr().err


def test_shared_corpus_meets_the_end_to_end_acceptance(shared_paths):
    articles = pd.read_parquet(shared_paths.articles)
    paragraphs = pd.read_parquet(shared_paths.paragraphs)
    frames = pd.read_parquet(shared_paths.frames)
    assert len(articles) >= 90
    assert articles["outlet"].nunique() >= 10
    assert set(frames["frame"]) <= SPEC_FRAMES
    texts = paragraphs["text"].str.lower()
    assert not texts.eq("advertisement").any()
    assert not texts.str.contains(r"sign up (?:to|for) (?:our|the) .*newsletter", regex=True).any()
    assert set(paragraphs["role"]) <= {"headline", "standfirst", "body", "caption"}


@pytest.mark.parametrize("frame_method, stance_method", [("hybrid", "supervised")])
def test_tag_stage_with_trained_methods_learns_from_the_gold_codings(seed_paths, tmp_path, frame_method, stance_method):
    paths = Paths(raw=seed_paths.raw, processed=tmp_path / "p", reports=tmp_path / "r", codebook=seed_paths.codebook,
                  gold=PROJECT_ROOT / "gold" / "seed", gold_corpus=tmp_path / "absent")
    pipeline.run_ingest(paths, progress=False)
    record = pipeline.run_tag(paths, frame_method=frame_method, stance_method=stance_method)
    assert record["parameters"]["frame_method"] == frame_method and record["parameters"]["training_paragraphs"] == 65
    frames, stance = pd.read_parquet(paths.frames), pd.read_parquet(paths.stance)
    assert set(frames["method"]) == {frame_method} and set(stance["method"]) == {stance_method}
    assert set(frames["frame"]) <= SPEC_FRAMES


def test_trained_method_without_codings_says_what_is_missing(seed_paths, tmp_path):
    paths = Paths(raw=seed_paths.raw, processed=seed_paths.processed, reports=tmp_path / "r", codebook=seed_paths.codebook,
                  gold=tmp_path / "nogold", gold_corpus=tmp_path / "absent")
    (tmp_path / "nogold").mkdir()
    with pytest.raises(Exception, match="no coded paragraph found"):
        pipeline.run_tag(paths, frame_method="supervised", force=True)


def test_the_command_line_offers_the_tag_methods_training_has():
    from analysis import training

    assert (pipeline.FRAME_METHODS, pipeline.STANCE_METHODS) == (training.FRAME_METHODS, training.STANCE_METHODS)


def test_the_data_and_tag_stages_do_not_import_the_report_runner_or_the_trained_taggers():
    code = ("import sys; from analysis import __main__, pipeline; "
            "print(sorted(m for m in ('nbformat', 'papermill', 'sklearn', 'analysis.training', 'analysis.reporting', 'datasketch') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT).stdout
    assert out.strip() == "[]"
