"""Command line: `python -m analysis data|tag|report` (the Makefile's targets call these)."""

from __future__ import annotations

import argparse
import sys

from . import codebook as codebooks
from . import pipeline, reporting
from .paths import Paths
from .tables import MissingTableError


def main(argv: list[str] | None = None) -> int:
    """Run one pipeline stage; return the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    parser.add_argument("stage", choices=["data", "tag", "report"], help="data: ingest RAW; tag: frames and stance; report: notebooks to HTML")
    for name in ("raw", "processed", "reports", "codebook"):
        parser.add_argument(f"--{name}", help=f"overrides ${name.upper()}")
    parser.add_argument("--force", action="store_true", help="rebuild even when the inputs did not change")
    parser.add_argument("--workers", type=int, default=None, help="parallel notebook runs (report)")
    parser.add_argument("--near-duplicate", type=_similarity, default=0.8, metavar="SIMILARITY",
                        help="data: similarity (0-1) at which an article is linked to an earlier copy with duplicate_of (default 0.8)")
    args = parser.parse_args(argv)
    paths = Paths.from_env(raw=args.raw, processed=args.processed, reports=args.reports, codebook=args.codebook)
    try:
        if args.stage == "data":
            print(pipeline.summary_text(pipeline.run_ingest(paths, force=args.force, near_duplicate=args.near_duplicate)))
        elif args.stage == "tag":
            print(pipeline.tag_summary_text(pipeline.run_tag(paths, force=args.force)))
        else:
            codebooks.load(paths.codebook)
            results = reporting.build(paths, workers=args.workers)
            failed = [r for r in results if not r["ok"]]
            for r in results:
                print(f"{'ok    ' if r['ok'] else 'FAILED'} {paths.reports / r['page']}" + (f"\n       {r['error']}" if r["error"] else ""))
            print(f"index: {paths.index}")
            if failed:
                print(f"{len(failed)} of {len(results)} report notebooks failed", file=sys.stderr)
                return 1
    except codebooks.CodebookError as error:
        print(f"codebook error: {error}", file=sys.stderr)
        return 2
    except (MissingTableError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _similarity(value: str) -> float:
    number = float(value)
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"{value}: a similarity between 0 (exclusive) and 1")
    return number


if __name__ == "__main__":
    sys.exit(main())
