"""Evidence behind the numbers: paragraphs with their matched words highlighted, as safe HTML.

Article text is data, never markup: every piece of text is escaped before the
highlight tags are added.
"""

from __future__ import annotations

import html

import pandas as pd

from .codebook import Codebook
from .tag import spans


def highlighted(text: str, marks: list[tuple[int, int, str]]) -> str:
    """Return `text` as escaped HTML with each (start, end, label) span wrapped in <mark>."""
    out, cursor = [], 0
    for start, end, label in sorted(marks):
        if start < cursor:
            continue  # overlapping spans of different frames: keep the first
        out.append(html.escape(text[cursor:start]))
        out.append(f'<mark title="{html.escape(label)}">{html.escape(text[start:end])}</mark>')
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def frame_examples(scoped: pd.DataFrame, frames: pd.DataFrame, frame: str, *, limit: int = 5, seed: int = 0) -> pd.DataFrame:
    """Return up to `limit` paragraphs carrying `frame`, highest score first (ties: a seeded sample).

    Columns: paragraph_id, outlet, date, title, url, role, text, score, evidence.
    """
    hits = frames[frames["frame"] == frame][["paragraph_id", "score", "evidence"]]
    joined = hits.merge(scoped, on="paragraph_id")
    if joined.empty:
        return joined
    joined = joined.sample(frac=1.0, random_state=seed).sort_values("score", ascending=False, kind="stable")
    return joined.head(limit)[["paragraph_id", "outlet", "date", "title", "url", "role", "text", "score", "evidence"]]


def examples_html(examples: pd.DataFrame, codebook: Codebook, frame: str) -> str:
    """Return an HTML block listing example paragraphs with the frame's matched words highlighted."""
    if examples.empty:
        return "<p><em>No paragraph carries this frame.</em></p>"
    items = []
    for row in examples.itertuples():
        source = html.escape(f"{row.outlet}" + (f", {row.date:%Y-%m-%d}" if pd.notna(row.date) else ""))
        title = html.escape(row.title or "")
        if isinstance(row.url, str) and row.url.startswith(("http://", "https://")):
            title = f'<a href="{html.escape(row.url, quote=True)}" rel="noopener noreferrer">{title or "source"}</a>'
        body = highlighted(row.text, spans(row.text, codebook, frame=frame))
        items.append(f"<li><p>{body}</p><p class='source'><small>{source} · {title} · score {row.score:g}</small></p></li>")
    return "<ol class='evidence'>" + "".join(items) + "</ol>"


def all_evidence(scoped: pd.DataFrame, frames: pd.DataFrame) -> pd.DataFrame:
    """Return every tagged paragraph with outlet, date, frame, score and evidence (the complete export)."""
    columns = ["paragraph_id", "outlet", "date", "title", "url", "frame", "score", "evidence", "text"]
    return frames.merge(scoped, on="paragraph_id")[columns].sort_values(["frame", "outlet", "paragraph_id"], kind="stable")


def frames_section_html(scoped: pd.DataFrame, frames: pd.DataFrame, codebook: Codebook, *, limit: int = 5) -> str:
    """Return one HTML section per frame: label, description, count and highlighted examples."""
    counts = frames[frames["paragraph_id"].isin(scoped["paragraph_id"])].groupby("frame").size()
    parts = []
    for frame in codebook.frames:
        examples = frame_examples(scoped, frames, frame.id, limit=limit)
        parts.append(
            f"<section id='frame-{html.escape(frame.id, quote=True)}'><h2>{html.escape(frame.label)} "
            f"<small>({html.escape(frame.id)}, {int(counts.get(frame.id, 0))} paragraphs)</small></h2>"
            f"<p><em>{html.escape(frame.description)}</em></p>{examples_html(examples, codebook, frame.id)}</section>"
        )
    return "".join(parts)


def stance_examples_html(scoped: pd.DataFrame, stance: pd.DataFrame, *, limit: int = 6) -> str:
    """Return, per target and non-neutral label, the strongest paragraphs with their deciding sentences."""
    joined = stance.merge(scoped[["paragraph_id", "outlet", "text"]], on="paragraph_id")
    parts = []
    for (target, label), group in joined.groupby(["target", "label"], sort=True):
        if group["score"].abs().max() == 0:
            continue
        strongest = group.reindex(group["score"].abs().sort_values(ascending=False, kind="stable").index).head(limit)
        items = "".join(
            f"<li><p>{html.escape(row.evidence or row.text)}</p><p><small>{html.escape(row.outlet)} · score {row.score:g}</small></p></li>"
            for row in strongest.itertuples()
        )
        parts.append(f"<h3>{html.escape(target)}: {html.escape(label)} <small>({len(group)} paragraphs)</small></h3><ol>{items}</ol>")
    return "".join(parts) or "<p><em>No stance rows.</em></p>"
