"""Evidence behind the numbers: paragraphs with their matched words highlighted, as safe HTML.

Article text is data, never markup: every piece of text is escaped before the
highlight tags are added.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import matplotlib
import pandas as pd

from .codebook import Codebook
from .evidence_format import LINK, SEPARATOR


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


def _spans(text: str, codebook: Codebook, *, frame: str | None = None) -> list[tuple[int, int, str]]:
    from .tag import spans  # imported on first use: pages without highlights skip loading the matcher (and NLTK)

    return spans(text, codebook, frame=frame)


def evidence_spans(text: str, evidence: str, label: str) -> list[tuple[int, int, str]]:
    """Return (start, end, label) of the matched texts a frames row lists as evidence, located in `text`.

    The lexicon tagger writes evidence as "pattern => matched text; pattern => matched
    text" (`evidence_format`), one item per counting match in text order, each matched text cut from the
    paragraph itself. A matched text may hold "; " (a proximity match across a
    clause), so an item boundary is accepted only where the text before it occurs
    in the paragraph. Returns [] when nothing can be located (e.g. a trained
    tagger's evidence); callers then fall back to matching the codebook.
    """
    pieces = (evidence or "").split(LINK)
    found, cursor = [], 0
    for number, piece in enumerate(pieces[1:], start=1):
        cuts = [len(piece)] if number == len(pieces) - 1 else [m.start() for m in re.finditer(re.escape(SEPARATOR), piece)][::-1]
        for cut in cuts:
            matched = piece[:cut]
            start = text.find(matched, cursor) if matched else -1
            start = text.find(matched) if start < 0 and matched else start
            if start >= 0:
                found.append((start, start + len(matched), label))
                cursor = start + len(matched)
                break
    return found


def frame_examples(scoped: pd.DataFrame, frames: pd.DataFrame, frame: str, *, limit: int = 5, seed: int = 0) -> pd.DataFrame:
    """Return up to `limit` paragraphs carrying `frame`, highest score first (ties: a seeded sample).

    Columns: paragraph_id, outlet, date, title, url, role, text, score, evidence.
    """
    hits = frames[frames["frame"] == frame][["paragraph_id", "score", "evidence"]]
    joined = hits.merge(scoped, on="paragraph_id")
    if joined.empty:
        return joined
    joined = joined.sample(frac=1.0, random_state=seed).sort_values("score", ascending=False, kind="stable")
    columns = ["paragraph_id", "outlet", "date", "title", "url", "role", "text", "score", "evidence"]
    return joined.head(limit)[columns + (["outlet_name"] if "outlet_name" in joined else [])]


def examples_html(examples: pd.DataFrame, codebook: Codebook, frame: str) -> str:
    """Return an HTML block listing example paragraphs with the frame's matched words highlighted."""
    if examples.empty:
        return "<p><em>No paragraph carries this frame.</em></p>"
    items = []
    for row in examples.itertuples():
        outlet = getattr(row, "outlet_name", row.outlet)  # the real name of an outlet pooled as "other"
        source = html.escape(f"{outlet}" + (f", {row.date:%Y-%m-%d}" if pd.notna(row.date) else ""))
        title = html.escape(row.title or "")
        if isinstance(row.url, str) and row.url.startswith(("http://", "https://")):
            title = f'<a href="{html.escape(row.url, quote=True)}" rel="noopener noreferrer">{title or "source"}</a>'
        marks = evidence_spans(row.text, getattr(row, "evidence", ""), frame) or _spans(row.text, codebook, frame=frame)
        body = highlighted(row.text, marks)
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


def stance_table(scoped: pd.DataFrame, stance: pd.DataFrame) -> pd.DataFrame:
    """Return every stance row with outlet, date, title, url and the paragraph text (the complete export)."""
    columns = ["paragraph_id", "outlet", "date", "title", "url", "target", "label", "score", "method", "evidence", "text"]
    joined = stance.merge(scoped[["paragraph_id", "outlet", "date", "title", "url", "text"]], on="paragraph_id")
    return joined[[c for c in columns if c in joined]].sort_values(["target", "label", "outlet", "paragraph_id"], kind="stable")


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


def cell_anchor(outlet: str, frame: str) -> str:
    """Return the HTML id of the evidence for one outlet x frame cell (whitespace in the outlet becomes "_")."""
    return "cell--" + re.sub(r"\s+", "_", str(outlet)) + f"--{frame}"


def cell_link(outlet: str, frame: str, *, page: str = "04_evidence.html") -> str:
    """Return the (percent-encoded) link from any report page to the evidence of one outlet x frame cell."""
    return f"{page}#{quote(cell_anchor(outlet, frame), safe='-_.~')}"


def linked_matrix_html(shares: pd.DataFrame, labels: dict[str, str], *, order: list, page: str = "04_evidence.html",
                       by: str = "outlet") -> str:
    """Return the heatmap as an HTML table: every cell shows share and count and links to its paragraphs.

    `shares` is `aggregate.frame_shares(...)`; `order` the rows top down (as in the heatmap figure).
    """
    table = shares.set_index([by, "frame"])
    colour = matplotlib.colormaps["cividis"]
    top = max(float(shares["share"].max() or 0), 1e-9)
    head = "".join(f"<th title='{html.escape(f, quote=True)}'>{html.escape(labels[f])}</th>" for f in labels)
    body = []
    for outlet in order:
        cells = []
        for frame in labels:
            row = table.loc[(outlet, frame)]
            r, g, b, _ = colour(float(row["share"]) / top)
            ink = "#000" if float(row["share"]) > 0.6 * top else "#fff"
            text = f"{row['share']:.0%} ({int(row['paragraphs_with_frame'])})"
            if row["paragraphs_with_frame"]:
                text = f"<a style='color:{ink}' href='{html.escape(cell_link(outlet, frame, page=page), quote=True)}'>{text}</a>"
            cells.append(f"<td style='background:rgb({r * 255:.0f},{g * 255:.0f},{b * 255:.0f});color:{ink};text-align:center'>{text}</td>")
        total = int(table.loc[(outlet, next(iter(labels))), "paragraphs"])
        body.append(f"<tr><th style='text-align:left'>{html.escape(str(outlet))} <small>(n={total})</small></th>{''.join(cells)}</tr>")
    return (f"<table class='linked-heatmap' style='font-size:.8em;border-collapse:collapse'><thead><tr><th>outlet</th>{head}</tr>"
            f"</thead><tbody>{''.join(body)}</tbody></table>")


def cell_sections_html(scoped: pd.DataFrame, frames: pd.DataFrame, codebook: Codebook, *, order: list, limit: int = 50,
                       by: str = "outlet", export: str = "tables/frame_evidence.csv") -> str:
    """Return one section per outlet and frame (id `cell_anchor`) listing the paragraphs behind the cell.

    Paragraphs are highest score first, with the matched words highlighted, the
    outlet, date and a link to the source; past `limit` the section says how many
    more there are and points to the complete `export`.
    """
    labels = {frame.id: frame.label for frame in codebook.frames}
    hits = frames[frames["paragraph_id"].isin(scoped["paragraph_id"])].merge(scoped, on="paragraph_id")
    parts = []
    for outlet in order:
        mine = hits[hits[by] == outlet]
        rows = []
        for frame in codebook.frame_ids:
            cell = mine[mine["frame"] == frame].sort_values(["score", "paragraph_id"], ascending=[False, True], kind="stable")
            if cell.empty:
                continue
            more = f" <small>(showing {limit} of {len(cell)}; every one is in <code>{html.escape(export)}</code>)</small>" if len(cell) > limit else ""
            rows.append(f"<section id='{html.escape(cell_anchor(outlet, frame), quote=True)}'><h3>{html.escape(str(outlet))} · "
                        f"{html.escape(labels[frame])}: {len(cell)} paragraph(s){more}</h3>"
                        f"{examples_html(cell.head(limit), codebook, frame)}</section>")
        body = "".join(rows) or "<p><em>No frame found in this outlet's paragraphs.</em></p>"
        parts.append(f"<section class='outlet'><h2>{html.escape(str(outlet))}</h2>{body}</section>")
    return "".join(parts)
