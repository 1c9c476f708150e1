"""`make bench`: time each stage on corpora resampled from real paragraphs, with peak memory.

Corpora of the requested sizes are built by resampling (seeded) the paragraphs
of the shared DeepSeek corpus; each stage is timed on them, beside a single
alternation regex over the codebook's fixed phrases as a baseline. Results go
to a JSON file and a printed table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from . import aggregate, ingest
from . import codebook as codebooks
from .atomic import write_json
from .paths import DEFAULT_CODEBOOK, PROJECT_ROOT
from .training import tagged_stance
from .tag import LexiconTagger

SHARED_CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "deepseek-news"


def resampled(paragraphs: pd.DataFrame, size: int, *, seed: int = 0) -> pd.DataFrame:
    """Return `size` paragraphs drawn with replacement from `paragraphs`, with fresh ids."""
    sample = paragraphs.sample(n=size, replace=True, random_state=seed).reset_index(drop=True)
    sample["paragraph_id"] = [f"b{i:08d}" for i in range(size)]
    return sample


def alternation_baseline(book: codebooks.Codebook) -> re.Pattern:
    """Return one case-insensitive alternation regex over every fixed phrase of the codebook."""
    phrases = sorted({p.value for f in book.frames for p in f.patterns if p.kind == "phrase"}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(sizes: list[int], corpus: Path = SHARED_CORPUS) -> dict:
    """Return benchmark results: ingest of the real corpus, then per size the tag, stance and aggregation stages."""
    book = codebooks.load(DEFAULT_CODEBOOK)
    real, ingest_seconds = _timed(lambda: ingest.corpus(corpus, progress=False))
    results = {"corpus": str(corpus), "ingest": {"articles": len(real.articles), "paragraphs": len(real.paragraphs),
                                                  "seconds": round(ingest_seconds, 3)}, "sizes": []}
    tagger = LexiconTagger(book).fit()
    baseline = alternation_baseline(book)
    for size in sizes:
        paragraphs = resampled(real.paragraphs, size)
        frames, tag_seconds = _timed(tagger.predict, paragraphs)
        stances, stance_seconds = _timed(tagged_stance, paragraphs, frames, book, 'lexicon')
        scoped = paragraphs.merge(real.articles[["article_id", "outlet", "date", "title", "url"]], on="article_id")
        _, aggregate_seconds = _timed(aggregate.frame_shares, scoped, frames, book.frame_ids)
        _, regex_seconds = _timed(lambda: sum(1 for text in paragraphs["text"] for _ in baseline.finditer(text)))
        results["sizes"].append({
            "paragraphs": size,
            "frames_seconds": round(tag_seconds, 3),
            "frames_per_second": round(size / tag_seconds),
            "stance_seconds": round(stance_seconds, 3),
            "aggregate_seconds": round(aggregate_seconds, 3),
            "alternation_regex_per_second": round(size / regex_seconds),
            "peak_memory_mb": round(_peak_mb(), 1),
        })
        print(f"  {size:>9,} paragraphs done", file=sys.stderr)
    return results


def table(results: dict) -> str:
    """Return the printed results table with the lexicon-to-regex speed ratio."""
    lines = [f"ingest of {results['ingest']['articles']} real articles: {results['ingest']['seconds']} s",
             f"{'paragraphs':>11} {'frames/s':>10} {'regex/s':>10} {'ratio':>6} {'frames s':>9} {'stance s':>9} {'agg s':>7} {'peak MB':>8}"]
    for r in results["sizes"]:
        ratio = r["frames_per_second"] / r["alternation_regex_per_second"]
        lines.append(f"{r['paragraphs']:>11,} {r['frames_per_second']:>10,} {r['alternation_regex_per_second']:>10,} {ratio:>6.2f} "
                     f"{r['frames_seconds']:>9} {r['stance_seconds']:>9} {r['aggregate_seconds']:>7} {r['peak_memory_mb']:>8}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.bench", description=__doc__)
    parser.add_argument("--out", default="bench/results.json")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes in paragraphs")
    parser.add_argument("--corpus", default=str(SHARED_CORPUS))
    args = parser.parse_args(argv)
    if not Path(args.corpus).is_dir():
        print(f"bench: corpus not found: {args.corpus} (the shared DeepSeek corpus is expected beside the repository)", file=sys.stderr)
        return 2
    results = run([int(s) for s in args.sizes.split(",")], Path(args.corpus))
    write_json(results, Path(args.out))
    print(table(results))
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
