"""What `make bench` prints and draws: the results table with ratios, the issue's targets, and a chart."""

from __future__ import annotations

from pathlib import Path

TARGETS = {  # the performance contract (issue 7): what each row of `targets` checks
    "frames_per_second": 100_000,   # frame tagging on all cores, largest corpus
    "times_spacy": 5.0,             # frame tagging against spaCy's PhraseMatcher at the largest size both ran
    # the same, like for like: this engine on spaCy's work (the fixed phrases), one process each
    "tag_seconds_1m": 120.0,        # whole tag step (frames and stance) on 1,000,000 paragraphs
    "peak_mb": 3 * 1024,            # peak memory of any tag-step run
    "report_seconds": 30.0,         # make report on the bundled corpus, installed
}


def stage_seconds(run: dict) -> float:
    """Return a stage run's time: after compiling where the stage reports it, else its wall time."""
    return run.get("seconds_after_compile", run["seconds"])


def targets(results: dict) -> list[dict]:
    """Return one row per performance target: what is required, what was measured, and whether it is met.

    A target whose measurement is absent from `results` (e.g. the 1M corpus was not run) is reported
    with measured None and met False, so a partial run never reads as a pass.
    """
    sizes = {row["paragraphs"]: row for row in results.get("sizes", [])}
    largest = sizes[max(sizes)] if sizes else None
    rate = largest["paragraphs"] / largest["frames"]["seconds_after_compile"] if largest else None
    both = [row for row in sizes.values() if "spacy" in row]
    ratio = None
    if both:
        row = max(both, key=lambda r: r["paragraphs"])
        ratio = row["spacy"]["seconds_after_compile"] / row["frames"]["seconds_after_compile"]
    like = [row for row in sizes.values() if "spacy" in row and "phrases" in row]
    same_work = None
    if like:
        row = max(like, key=lambda r: r["paragraphs"])
        same_work = row["spacy"]["seconds_after_compile"] / row["phrases"]["seconds_after_compile"]
    tag_1m = sizes.get(1_000_000, {}).get("tag", {}).get("seconds")
    peaks = [row["tag"]["peak_memory_mb"] for row in sizes.values() if "tag" in row]
    report = results.get("report", {}).get("seconds")
    rows = [("frame tagging, paragraphs/s (largest corpus)", f">= {TARGETS['frames_per_second']:,}", rate,
             rate is not None and rate >= TARGETS["frames_per_second"]),
            ("frame tagging against spaCy PhraseMatcher", f">= {TARGETS['times_spacy']:.0f}x", ratio,
             ratio is not None and ratio >= TARGETS["times_spacy"]),
            ("  the same on spaCy's work (fixed phrases, 1 process each)", f">= {TARGETS['times_spacy']:.0f}x", same_work,
             same_work is not None and same_work >= TARGETS["times_spacy"]),
            ("tag step on 1,000,000 paragraphs, s", f"< {TARGETS['tag_seconds_1m']:.0f}", tag_1m,
             tag_1m is not None and tag_1m < TARGETS["tag_seconds_1m"]),
            ("peak memory of the tag step, MB", f"< {TARGETS['peak_mb']:,}", max(peaks) if peaks else None,
             bool(peaks) and max(peaks) < TARGETS["peak_mb"]),
            ("make report on the bundled corpus, s", f"< {TARGETS['report_seconds']:.0f}", report,
             report is not None and report < TARGETS["report_seconds"])]
    return [{"target": t, "required": req, "measured": m, "met": bool(ok)} for t, req, m, ok in rows]


def target_table(results: dict) -> str:
    """Return the targets as printed lines: required, measured, met or not."""
    lines = [f"{'target':<58} {'required':>10} {'measured':>10}  met"]
    for row in targets(results):
        measured = "-" if row["measured"] is None else (f"{row['measured']:,.1f}" if row["measured"] < 100 else f"{row['measured']:,.0f}")
        lines.append(f"{row['target']:<58} {row['required']:>10} {measured:>10}  {'yes' if row['met'] else 'NO'}")
    return "\n".join(lines)


def table(results: dict) -> str:
    """Return the printed results table: throughput, ratios to the baselines, wall time and peak memory per stage."""
    lines = [f"ingest of {results['ingest']['articles']} real articles ({results['ingest']['paragraphs']} paragraphs): "
             f"{results['ingest']['seconds']} s, peak {results['ingest']['peak_memory_mb']} MB",
             f"{'paragraphs':>10} {'stage':<10} {'seconds':>8} {'para/s':>10} {'peak MB':>8}  note"]
    for row in results["sizes"]:
        n = row["paragraphs"]
        frames_rate = n / row["frames"]["seconds_after_compile"]
        for stage in ("frames", "tag", "aggregate", "phrases", "spacy", "regex"):
            if stage not in row:
                continue
            r = row[stage]
            seconds = stage_seconds(r)
            note = f"fastest of {len(r['runs_seconds'])} runs; " if len(r.get("runs_seconds", ())) > 1 else ""
            if stage == "frames":
                note += f"{r['workers']} processes; all rule types, evidence; wall incl. start-up {r['seconds']} s"
            elif stage in ("spacy", "regex"):
                note += f"fixed phrases only, 1 process; lexicon engine is {frames_rate / (n / seconds):.1f}x faster"
                if "phrases" in row:
                    note += f" ({seconds / stage_seconds(row['phrases']):.1f}x on the same phrases)"
            elif stage == "phrases":
                note += "this engine on the fixed phrases only, 1 process, evidence"
            elif stage == "tag":
                note = f"frames + stance, streamed, {r['workers']} processes"
            lines.append(f"{n:>10,} {stage:<10} {seconds:>8.2f} {n / seconds:>10,.0f} {r['peak_memory_mb']:>8.0f}  {note}")
    report = results.get("report")
    if report:
        lines.append(f"make report on the bundled corpus: {report['seconds']} s "
                     f"(data {report['data']['seconds']} s, tag {report['tag']['seconds']} s, report {report['report']['seconds']} s)")
    return "\n".join(lines)


def chart(results: dict, path: Path) -> None:
    """Draw paragraphs per second by stage and corpus size (log scale) to `path`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    stages = ["frames", "tag", "phrases", "spacy", "regex"]
    labels = {"frames": "frame tagging (this engine)", "tag": "frames + stance", "phrases": "this engine, fixed phrases only",
              "spacy": "spaCy PhraseMatcher", "regex": "alternation regex"}
    width = 0.16
    for k, stage in enumerate(stages):
        xs, ys = [], []
        for i, row in enumerate(results["sizes"]):
            if stage in row:
                seconds = stage_seconds(row[stage])
                xs.append(i + (k - 2) * width)
                ys.append(row["paragraphs"] / seconds)
        ax.bar(xs, ys, width, label=labels[stage])
    ax.set_xticks(range(len(results["sizes"])), [f"{r['paragraphs']:,}" for r in results["sizes"]])
    ax.set_yscale("log")
    ax.set_ylabel("paragraphs per second")
    ax.set_xlabel("corpus size (paragraphs)")
    ax.legend(fontsize=7, frameon=False)
    ax.set_title("newsframes bench", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


