"""What the validation page shows beyond the tables: the F1 chart and the plain-words summary."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .validate import Report  # noqa: E402

METHOD_COLOURS = {"lexicon": "#E69F00", "supervised": "#0072B2", "hybrid": "#009E73"}


def f1_table(report: Report) -> pd.DataFrame:
    """Return held-out F1 with intervals for every method and frame (long format: method, frame, f1, f1_low, f1_high)."""
    parts = [table.assign(method=method) for method, table in report.frame_scores.items()]
    if not parts:
        return pd.DataFrame(columns=["method", "frame", "f1", "f1_low", "f1_high"])
    return pd.concat(parts, ignore_index=True)[["method", "frame", "support", "precision", "recall", "f1", "f1_low", "f1_high"]]


def f1_chart(table: pd.DataFrame) -> plt.Figure:
    """Return a dot-and-whisker chart of F1 (95% interval) per frame, one colour per method."""
    frames = list(dict.fromkeys(table["frame"]))
    methods = list(dict.fromkeys(table["method"]))
    figure, axis = plt.subplots(figsize=(8, 0.42 * len(frames) + 1.5))
    offsets = np.linspace(-0.25, 0.25, len(methods)) if len(methods) > 1 else [0.0]
    for offset, method in zip(offsets, methods):
        rows = table[table["method"] == method].set_index("frame").reindex(frames)
        y = np.arange(len(frames)) + offset
        axis.errorbar(rows["f1"], y, xerr=[rows["f1"] - rows["f1_low"], rows["f1_high"] - rows["f1"]], fmt="o", ms=4,
                      capsize=2, color=METHOD_COLOURS.get(method, "#555555"), label=method)
    axis.set_yticks(range(len(frames)), frames, fontsize=8)
    axis.invert_yaxis()
    axis.axvline(0.8, color="#999999", lw=0.8, ls="--")
    axis.set_xlim(0, 1)
    axis.set_xlabel("F1 against hand coding (95% article-bootstrap interval)")
    axis.legend(loc="lower left", fontsize=8, frameon=False)
    figure.tight_layout()
    return figure


def summary_text(report: Report) -> str:
    """Return the one-screen validation summary printed by `make validate`."""
    lines = [f"coded paragraphs: {len(report.coded)} from {report.coded['source_file'].nunique() if len(report.coded) else 0} articles; "
             f"scores on {report.heldout_articles} articles held out of codebook development"]
    if report.frame_scores:
        lines.append(report.summary().to_string(index=False))
    if len(report.stance_scores):
        lines.append(report.stance_scores.to_string(index=False))
    if len(report.agreement):
        low = report.agreement[report.agreement["flag"].isin(["tentative", "unreliable"])]
        lines.append(f"coder agreement (Krippendorff's alpha) on {report.agreement['paragraphs'].max()} paragraphs coded twice; "
                     f"below 0.8: {', '.join(low['variable']) or 'none'}")
    return "\n".join(lines)
