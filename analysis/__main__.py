"""Command line: `python -m analysis data|tag|report|validate|sheets` (the Makefile's targets call these)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import codebook as codebooks
from . import pipeline
from .paths import Paths
from .tables import MissingTableError

# Each stage imports what it needs when it runs: `make report` runs three stages, each in its own
# process, and the notebook runner, the trained taggers and the ingest readers are seconds to import.


def main(argv: list[str] | None = None) -> int:
    """Run one pipeline stage; return the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    parser.add_argument("stage", choices=["data", "tag", "report", "validate", "sheets"],
                        help="data: ingest RAW; tag: frames and stance; report: notebooks to HTML; "
                             "validate: taggers against hand coding; sheets: export a coding sheet")
    for name in ("raw", "processed", "reports", "codebook", "gold", "gold_corpus"):
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=f"overrides ${name.upper()}")
    parser.add_argument("--frame-method", default=os.environ.get("FRAME_METHOD") or "lexicon", choices=pipeline.FRAME_METHODS,
                        help="tag: lexicon (default), supervised or hybrid (trained on the gold codings)")
    parser.add_argument("--stance-method", default=os.environ.get("STANCE_METHOD") or "lexicon", choices=pipeline.STANCE_METHODS,
                        help="tag: lexicon (default) or supervised (trained on the gold codings)")
    parser.add_argument("--sheet", default=None, help="sheets: output CSV (default REPORTS/coding_sheet.csv)")
    parser.add_argument("--per-cell", type=int, default=2, help="sheets: paragraphs sampled per outlet x frame cell")
    parser.add_argument("--uncertain", type=int, default=20, help="sheets: paragraphs the tagger is least certain about")
    parser.add_argument("--force", action="store_true", help="rebuild even when the inputs did not change")
    parser.add_argument("--workers", type=int, default=None, help="parallel notebook runs (report)")
    parser.add_argument("--near-duplicate", type=_similarity, default=0.8, metavar="SIMILARITY",
                        help="data: similarity (0-1) at which an article is linked to an earlier copy with duplicate_of (default 0.8)")
    args = parser.parse_args(argv)
    paths = Paths.from_env(raw=args.raw, processed=args.processed, reports=args.reports, codebook=args.codebook,
                           gold=args.gold, gold_corpus=args.gold_corpus)
    try:
        if args.stage == "data":
            print(pipeline.summary_text(pipeline.run_ingest(paths, force=args.force, near_duplicate=args.near_duplicate)))
        elif args.stage == "tag":
            record = pipeline.run_tag(paths, force=args.force, frame_method=args.frame_method, stance_method=args.stance_method)
            print(pipeline.tag_summary_text(record))
        elif args.stage == "validate":
            return _validate(paths)
        elif args.stage == "sheets":
            from . import sheets, tables
            from .atomic import write_csv

            out = Path(args.sheet) if args.sheet else paths.reports / "coding_sheet.csv"
            sheet = sheets.coding_sheet(tables.load(paths, "articles"), tables.load(paths, "paragraphs"), tables.load(paths, "frames"),
                                        codebooks.load(paths.codebook), per_cell=args.per_cell, uncertain=args.uncertain)
            write_csv(sheet, out)
            print(f"coding sheet with {len(sheet)} paragraphs: {out}\n(fill the frame columns with 1 or x, the stance columns, "
                  f"and coder; save it under {paths.gold}/sheets/ and `make validate` reads it)")
        else:
            from . import reporting

            results = reporting.build(paths, workers=args.workers)  # a bad codebook stops it before any notebook runs
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
    except _input_errors() as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _input_errors() -> tuple[type[Exception], ...]:
    """Return the errors that mean missing or bad input (printed without a traceback, exit status 2).

    The trained-tagger and gold-coding errors are included once their modules are loaded: a
    stage that never imported them cannot have raised them.
    """
    errors: list[type[Exception]] = [MissingTableError, FileNotFoundError]
    for module, name in (("analysis.training", "TrainingDataError"), ("analysis.gold", "GoldError")):
        if module in sys.modules:
            errors.append(getattr(sys.modules[module], name))
    return tuple(errors)


def _validate(paths: Paths) -> int:
    """Run the validation notebook into REPORTS/validation.html and print its summary tables."""
    import pandas as pd

    from . import reporting

    codebooks.load(paths.codebook)
    result = reporting.run_job(reporting.VALIDATION_JOB, paths)
    if not result["ok"]:
        print(f"FAILED {result['error']}", file=sys.stderr)
        return 1
    for name in ("validation_summary", "validation_stance", "validation_agreement"):
        table = paths.tables / f"{name}.csv"
        if table.exists():
            print(f"== {name}\n{pd.read_csv(table).to_string(index=False)}")
    print(f"page: {paths.reports / result['page']}")
    return 0


def _similarity(value: str) -> float:
    number = float(value)
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"{value}: a similarity between 0 (exclusive) and 1")
    return number


if __name__ == "__main__":
    sys.exit(main())
