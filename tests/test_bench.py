"""analysis/bench.py and bench_report.py: corpora for the benchmark and the targets it reports (nothing is timed here)."""

import pandas as pd

from analysis.bench import resampled
from analysis.bench_report import table, target_table, targets


def results(*, frames_seconds=5.0, spacy_seconds=11.0, phrases_seconds=2.0, tag_seconds=100.0, report_seconds=25.0,
            with_1m=True):
    sizes = [{"paragraphs": 100_000,
              "frames": {"seconds_after_compile": 2.0, "seconds": 3.0, "peak_memory_mb": 900, "workers": 2},
              "tag": {"seconds": 12.0, "peak_memory_mb": 1200, "workers": 2},
              "spacy": {"seconds_after_compile": spacy_seconds, "seconds": spacy_seconds + 1, "peak_memory_mb": 300},
              "phrases": {"seconds_after_compile": phrases_seconds, "seconds": phrases_seconds + 1, "peak_memory_mb": 400}}]
    if with_1m:
        sizes.append({"paragraphs": 1_000_000,
                      "frames": {"seconds_after_compile": frames_seconds, "seconds": frames_seconds + 1, "peak_memory_mb": 1000, "workers": 2},
                      "tag": {"seconds": tag_seconds, "peak_memory_mb": 1700, "workers": 2}})
    return {"ingest": {"articles": 94, "paragraphs": 1374, "seconds": 4.0, "peak_memory_mb": 300}, "sizes": sizes,
            "report": {"seconds": report_seconds, "data": {"seconds": 5}, "tag": {"seconds": 5}, "report": {"seconds": 15}}}


def met(rows):
    return {row["target"].split(",")[0]: row["met"] for row in rows}


def test_targets_are_met_when_every_measurement_beats_its_bound():
    rows = targets(results())
    assert all(row["met"] for row in rows), rows
    assert rows[0]["measured"] == 200_000  # 1M paragraphs in 5 s
    assert rows[1]["measured"] == 5.5      # spaCy 11 s against 2 s at 100k, the largest size both ran
    assert rows[2]["measured"] == 5.5      # spaCy 11 s against this engine's 2 s on the same fixed phrases


def test_each_missed_target_is_reported_as_not_met():
    rows = met(targets(results(frames_seconds=20.0, spacy_seconds=9.0, phrases_seconds=3.0, tag_seconds=150.0, report_seconds=40.0)))
    assert rows == {"frame tagging": False, "frame tagging against spaCy PhraseMatcher": False,
                    "  the same on spaCy's work (fixed phrases": False,
                    "tag step on 1": False, "peak memory of the tag step": True, "make report on the bundled corpus": False}


def test_a_size_that_was_not_run_never_reads_as_a_pass():
    rows = targets(results(with_1m=False))
    tag = next(row for row in rows if row["target"].startswith("tag step"))
    assert tag["measured"] is None and not tag["met"]
    assert "NO" in target_table(results(with_1m=False))


def test_results_table_shows_the_ratio_to_spacy():
    assert "lexicon engine is 5.5x faster (5.5x on the same phrases)" in table(results(phrases_seconds=2.0))


def test_phrase_codebook_holds_each_frames_fixed_phrases_as_written():
    from analysis.bench import fixed_phrases, phrase_codebook
    from analysis.codebook import load
    from analysis.paths import DEFAULT_CODEBOOK

    book = load(DEFAULT_CODEBOOK)
    phrases = phrase_codebook(book)
    assert {p.value for f in phrases.frames for p in f.patterns} == set(fixed_phrases(book))
    assert all(p.kind == "phrase" and not p.inflect for f in phrases.frames for p in f.patterns)
    assert set(phrases.frame_ids) <= set(book.frame_ids)


def test_resampled_corpus_has_the_size_asked_and_fresh_ids():
    real = pd.DataFrame({"paragraph_id": ["a", "b", "c"], "text": ["one", "two", "three"]})
    sample = resampled(real, 10, seed=1)
    assert len(sample) == 10 and sample["paragraph_id"].is_unique
    assert set(sample["text"]) <= {"one", "two", "three"}
    assert sample.equals(resampled(real, 10, seed=1))


def test_the_fastest_of_repeated_runs_is_kept_with_every_runs_time():
    from analysis.bench import fastest

    runs = [{"seconds_after_compile": 14.2, "seconds": 21.0, "peak_memory_mb": 1400},
            {"seconds_after_compile": 13.1, "seconds": 22.5, "peak_memory_mb": 1390}]
    assert fastest(runs) == runs[1] | {"runs_seconds": [14.2, 13.1]}
    assert fastest([{"seconds": 3.0}])["runs_seconds"] == [3.0]  # a stage timed by its wall time


def test_results_table_says_which_stages_kept_the_fastest_of_several_runs():
    timed = results()
    timed["sizes"][0]["spacy"]["runs_seconds"] = [12.0, 11.0]
    lines = table(timed).splitlines()
    assert "fastest of 2 runs; fixed phrases only" in next(line for line in lines if " spacy " in line)
    assert "fastest of" not in next(line for line in lines if " phrases " in line)


def test_the_frames_stage_tags_every_unit_on_the_tag_steps_processes(tmp_path, monkeypatch):
    import argparse

    from analysis import bench, engine
    from analysis.codebook import load
    from analysis.paths import DEFAULT_CODEBOOK
    from analysis.tag import LexiconTagger

    texts = ["The US fears a Sputnik moment as DeepSeek shocks Silicon Valley.", "Open-source models, open weights.",
             "Export controls on Nvidia chips failed; Nvidia lost $600bn, 17%.", "Nothing to see here."] * 10
    paragraphs = pd.DataFrame({"paragraph_id": [f"p{i:03d}" for i in range(len(texts))], "text": texts})
    paragraphs.to_parquet(tmp_path / "paragraphs.parquet", index=False, row_group_size=15)  # units of 15, 15, 10
    monkeypatch.setattr(engine, "default_workers", lambda: 2)
    args = argparse.Namespace(input=str(tmp_path / "paragraphs.parquet"), output=str(tmp_path), codebook=str(DEFAULT_CODEBOOK))
    result = bench._stage("frames", args)
    expected = LexiconTagger(load(DEFAULT_CODEBOOK)).fit().predict(paragraphs)
    assert result["workers"] == 2 and result["frame_rows"] == len(expected) > 0
