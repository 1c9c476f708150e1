"""`make bench`: time each stage on corpora resampled from real paragraphs, with peak memory per stage.

Corpora of 10,000, 100,000 and 1,000,000 paragraphs are drawn (seeded, with
replacement) from the paragraphs of the shared DeepSeek corpus. Every stage
runs in its own subprocess, so its peak memory (the whole process tree, worker
processes included, sampled with psutil) is its own: ingest of the real corpus,
frame tagging, the whole tag step (frames and stance, streamed), aggregation,
and `make report`'s three stages on the bundled corpus. spaCy's PhraseMatcher
and one alternation regex run the codebook's fixed phrases on the same
paragraphs as baselines, and so does this engine (`phrases`: the same fixed
phrases as a codebook, one process, evidence kept), for a like-for-like ratio.
These three throughput stages run `RUNS` times, in alternation, and the
fastest run of each is kept (every run's time is in the results). Results go to
bench/results.json, a chart and a printed table; nothing is asserted (tests
never time anything).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .atomic import write_json
from .bench_report import chart, stage_seconds, table, target_table, targets
from .paths import DEFAULT_CODEBOOK, PROJECT_ROOT
from .tables import CHUNK_ROWS

SHARED_CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "deepseek-news"
SIZES = (10_000, 100_000, 1_000_000)
BASELINE_MAX = {"spacy": 1_000_000, "phrases": 1_000_000, "regex": 10_000}  # single-process baselines: run up to these sizes
RUNS = 2  # runs of each throughput stage (frames and the baselines it is compared with), in alternation: the fastest is kept
THROUGHPUT = ("frames", "phrases", "spacy")


def resampled(paragraphs: pd.DataFrame, size: int, *, seed: int = 0) -> pd.DataFrame:
    """Return `size` paragraphs drawn with replacement from `paragraphs`, with fresh ids."""
    sample = paragraphs.sample(n=size, replace=True, random_state=seed).reset_index(drop=True)
    sample["paragraph_id"] = [f"b{i:08d}" for i in range(size)]
    return sample


def fixed_phrases(book) -> list[str]:
    """Return the codebook's fixed phrases (phrase patterns as written, exclusions left out)."""
    return sorted({p.value for f in book.frames for p in f.patterns if p.kind == "phrase"})


def phrase_codebook(book):
    """Return a codebook of the fixed phrases only, one frame per frame holding any, as written (no inflection): spaCy's work."""
    from .codebook import parse

    frames = []
    for frame in book.frames:
        phrases = sorted({p.value for p in frame.patterns if p.kind == "phrase"})
        if phrases:
            frames.append({"id": frame.id, "label": frame.label, "description": "the frame's fixed phrases",
                           "patterns": [{"phrase": phrase, "inflect": False} for phrase in phrases]})
    return parse({"name": f"{book.name}-phrases", "inflect": False, "frames": frames}, source=f"{book.name} (fixed phrases)")


def alternation_baseline(book) -> re.Pattern:
    """Return one case-insensitive alternation regex over every fixed phrase of the codebook."""
    phrases = sorted(fixed_phrases(book), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


# ---- stages: each runs in a child process (`python -m analysis.bench --stage NAME ...`) and prints JSON ----------
def _stage(name: str, args: argparse.Namespace) -> dict:
    from . import codebook as codebooks

    book = codebooks.load(args.codebook)
    if name == "ingest":
        from . import ingest

        corpus = ingest.corpus(Path(args.input), progress=False)
        corpus.paragraphs.to_parquet(Path(args.output) / "real_paragraphs.parquet", index=False)
        corpus.articles.to_parquet(Path(args.output) / "real_articles.parquet", index=False)
        return {"articles": len(corpus.articles), "paragraphs": len(corpus.paragraphs)}
    if name == "frames":
        from . import engine

        rows = 0
        workers = engine.default_workers()
        engine.prepare_to_fork(book)  # as the tag step does, before the clock starts
        started = time.perf_counter()
        for frames in engine.mapped_units(frame_table, engine.units(Path(args.input), workers=workers), book, workers=workers):
            rows += len(frames)
        return {"frame_rows": rows, "workers": workers, "seconds_after_compile": time.perf_counter() - started}
    if name == "tag":
        from . import engine

        out = Path(args.output)
        return engine.stream_tag(Path(args.input), out / "frames.parquet", out / "stance.parquet", book) | {
            "workers": engine.default_workers()}
    if name == "aggregate":
        from . import aggregate

        paragraphs = pd.read_parquet(args.input)
        articles = pd.read_parquet(Path(args.output) / "real_articles.parquet")
        frames = pd.read_parquet(Path(args.output) / "frames.parquet")
        scoped = paragraphs.merge(articles[["article_id", "outlet", "date", "title", "url"]], on="article_id")
        shares = aggregate.frame_shares(scoped, frames, book.frame_ids)
        return {"rows": len(shares)}
    if name == "phrases":
        from .tag import LexiconTagger

        paragraphs = pd.read_parquet(args.input, columns=["paragraph_id", "text"])
        tagger = LexiconTagger(phrase_codebook(book)).fit()
        started = time.perf_counter()
        rows = len(tagger.predict(paragraphs))
        return {"frame_rows": rows, "seconds_after_compile": time.perf_counter() - started}
    if name == "regex":
        texts = pd.read_parquet(args.input, columns=["text"])["text"].tolist()
        baseline = alternation_baseline(book)
        started = time.perf_counter()
        found = sum(1 for text in texts for _ in baseline.finditer(text))
        return {"matches": found, "seconds_after_compile": time.perf_counter() - started}
    if name == "spacy":
        import spacy
        from spacy.matcher import PhraseMatcher

        nlp = spacy.blank("en")
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        matcher.add("codebook", list(nlp.tokenizer.pipe(fixed_phrases(book))))
        texts = pd.read_parquet(args.input, columns=["text"])["text"].tolist()
        started = time.perf_counter()
        found = sum(len(matcher(doc)) for doc in nlp.tokenizer.pipe(texts, batch_size=2000))
        return {"matches": found, "seconds_after_compile": time.perf_counter() - started}
    raise ValueError(f"unknown stage {name!r}")


def frame_table(unit, book) -> pa.Table:
    """Return the frame rows of one unit of paragraphs (`engine.Unit`), read and tagged here, as the tag step's workers do."""
    from .engine import FRAME_SCHEMA, arrow_table, unit_paragraphs
    from .tag import fitted_tagger

    return arrow_table(fitted_tagger(book).predict(unit_paragraphs(unit)), FRAME_SCHEMA)


def measure(stage: str, *, input: Path, output: Path, codebook: Path = DEFAULT_CODEBOOK, command: list[str] | None = None,
            env: dict | None = None) -> dict:
    """Run one stage in a subprocess; return its JSON result with wall seconds and the peak memory of its process tree."""
    import psutil

    command = command or [sys.executable, "-m", "analysis.bench", "--stage", stage, "--input", str(input), "--output", str(output),
                          "--codebook", str(codebook)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT,
                             env=(os.environ | (env or {})))
    peak = 0
    process = psutil.Process(child.pid)
    while child.poll() is None:
        try:
            tree = [process] + process.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    out, err = child.communicate()
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"bench stage {stage} failed ({child.returncode}):\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1]) if stage != "report" else {}
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result | {"seconds": round(seconds, 2), "peak_memory_mb": round(max(peak / 2 ** 20, 0.0), 1),
                     "largest_child_peak_mb_so_far": round(children_peak, 1)}


def run(sizes: list[int], corpus: Path = SHARED_CORPUS, *, work: Path) -> dict:
    """Return the benchmark results (see the module docstring)."""
    results: dict = {"corpus": str(corpus), "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
                     "codebook": str(DEFAULT_CODEBOOK), "sizes": []}
    print("ingest of the real corpus ...", file=sys.stderr)
    results["ingest"] = measure("ingest", input=corpus, output=work)
    real = pd.read_parquet(work / "real_paragraphs.parquet")
    for size in sizes:
        folder = work / f"n{size}"
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("real_articles.parquet",):
            (folder / name).write_bytes((work / name).read_bytes())
        paragraphs = folder / "paragraphs.parquet"
        resampled(real, size).to_parquet(paragraphs, index=False, row_group_size=CHUNK_ROWS)  # as the data step writes it
        stages = ("frames", "tag", "aggregate") + tuple(b for b, limit in BASELINE_MAX.items() if size <= limit)
        rounds = [stages] + [[stage for stage in stages if stage in THROUGHPUT]] * (RUNS - 1)
        runs: dict[str, list[dict]] = {}
        for number, round_stages in enumerate(rounds, start=1):
            for stage in round_stages:
                print(f"  {size:>9,} paragraphs: {stage} (run {number}) ...", file=sys.stderr)
                runs.setdefault(stage, []).append(measure(stage, input=paragraphs, output=folder))
        results["sizes"].append({"paragraphs": size} | {stage: fastest(done) for stage, done in runs.items()})
    print("make report on the bundled corpus ...", file=sys.stderr)
    results["report"] = _report_stage(work)
    return results


def fastest(runs: list[dict]) -> dict:
    """Return the run of a stage with the least time after compiling (else wall time), with every run's time in
    `runs_seconds`: on a shared machine the fastest run is the one least slowed by others (as `timeit` reports)."""
    return min(runs, key=stage_seconds) | {"runs_seconds": [round(stage_seconds(run), 2) for run in runs]}


def _report_stage(work: Path) -> dict:
    """Time `make report`'s stages (data, tag, report) on the bundled corpus into fresh folders."""
    env = {"RAW": str(PROJECT_ROOT / "data" / "raw"), "PROCESSED": str(work / "report" / "processed"),
           "REPORTS": str(work / "report" / "reports"), "CODEBOOK": str(DEFAULT_CODEBOOK)}
    out = {}
    for stage in ("data", "tag", "report"):
        out[stage] = measure("report", input=work, output=work, command=[sys.executable, "-m", "analysis", stage, "--force"], env=env)
    out["seconds"] = round(sum(v["seconds"] for v in out.values()), 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.bench", description=__doc__)
    parser.add_argument("--out", default="bench/results.json")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated corpus sizes in paragraphs")
    parser.add_argument("--corpus", default=str(SHARED_CORPUS))
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("--codebook", default=str(DEFAULT_CODEBOOK), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        print(json.dumps(_stage(args.stage, args), default=str))
        return 0
    if not Path(args.corpus).is_dir():
        print(f"bench: corpus not found: {args.corpus} (the shared DeepSeek corpus is expected beside the repository)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="newsframes-bench-") as work:
        results = run([int(s) for s in args.sizes.split(",")], Path(args.corpus), work=Path(work))
    results["targets"] = targets(results)
    out = Path(args.out)
    write_json(results, out)
    chart(results, out.with_suffix(".png"))
    print(table(results))
    print(target_table(results))
    print(f"written: {out}, {out.with_suffix('.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
