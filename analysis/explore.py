"""The logic behind `notebooks/explorer.ipynb`: filter paragraphs and try a pattern before adding it to the codebook.

The notebook only wires ipywidgets to `Explorer.view` and `Explorer.trial_view`;
everything they compute lives here, where tests reach it.

A trial pattern is typed as the codebook writes patterns: `chip war` (a phrase),
`sanction*` (a glob), `regex: \\bH20\\b`, or a YAML mapping such as
`{near: [[chips], [ban*]], within: 5}` or `{phrase: loophole, negatable: true}`.
"""

from __future__ import annotations

import dataclasses
import html

import pandas as pd
import yaml
from IPython.display import HTML, display

from . import codebook as codebooks
from .codebook import Codebook, CodebookError, Pattern
from .evidence import evidence_spans, highlighted

ANY = "(any)"
NEW_FRAME = "(none: count the pattern alone)"


def filter_paragraphs(scoped: pd.DataFrame, frames: pd.DataFrame, stance: pd.DataFrame, *, outlet: str | None = None,
                      frame: str | None = None, dates: tuple | None = None, stance_label: tuple[str, str] | None = None) -> pd.DataFrame:
    """Return the paragraphs of `scoped` matching every filter given (None means any), in outlet, date, position order.

    `dates` is (first, last), inclusive, either end None for open; when given,
    undated paragraphs are left out. `stance_label` is (target, label).
    Columns: those of `scoped` plus `frames` (the paragraph's frame ids, "; "-joined).
    """
    keep = pd.Series(True, index=scoped.index)
    if outlet:
        keep &= scoped["outlet"] == outlet
    if frame:
        keep &= scoped["paragraph_id"].isin(frames.loc[frames["frame"] == frame, "paragraph_id"])
    if dates is not None and any(d is not None for d in dates):
        first, last = (pd.Timestamp(d) if d is not None else None for d in dates)
        when = pd.to_datetime(scoped["date"])
        keep &= when.notna()
        if first is not None:
            keep &= when >= first
        if last is not None:
            keep &= when < last + pd.Timedelta(days=1)
    if stance_label:
        target, label = stance_label
        chosen = stance[(stance["target"] == target) & (stance["label"] == label)]
        keep &= scoped["paragraph_id"].isin(chosen["paragraph_id"])
    out = scoped[keep]
    tags = frames[frames["paragraph_id"].isin(out["paragraph_id"])].groupby("paragraph_id")["frame"].agg("; ".join)
    return out.assign(frames=[tags.get(p, "") for p in out["paragraph_id"]]).sort_values(
        ["outlet", "date", "article_id", "position"], na_position="last", kind="stable")


def parse_pattern(text: str, codebook: Codebook) -> Pattern | None:
    """Return the pattern typed in `text` (see the module docstring), validated like a codebook entry; None if empty.

    Raises CodebookError with the codebook's own message when the pattern is broken.
    """
    text = (text or "").strip()
    if not text:
        return None
    kind, _, rest = text.partition(":")
    if text.startswith("{"):
        try:
            spec = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise CodebookError(f"trial pattern: not valid YAML: {error}") from None
    elif kind.strip() in codebooks.PATTERN_KINDS and rest.strip():
        spec = {kind.strip(): rest.strip()}
    else:
        spec = {"glob" if "*" in text else "phrase": text}
    inflect = any(p.inflect for f in codebook.frames for p in f.patterns if p.kind == "phrase")
    data = {"name": "trial", "inflect": inflect, "negation": {"cues": list(codebook.negation_cues), "window": codebook.negation_window},
            "frames": [{"id": "trial", "label": "Trial pattern", "description": "typed in the explorer", "patterns": [spec]}]}
    return codebooks.parse(data, source="trial pattern").frames[0].patterns[0]


def trial(scoped: pd.DataFrame, frames: pd.DataFrame, codebook: Codebook, pattern: Pattern, *, frame: str | None = None,
          by: str = "outlet") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (paragraphs the pattern matches, counts per group before and after) for a trial pattern.

    With `frame`, the pattern is added to that frame's patterns (with its weight,
    under the frame's threshold and exclusions) and the counts are the frame's
    paragraphs now and with the pattern; without, the pattern is counted alone.
    Matches columns: those of `scoped` plus `spans` ([(start, end)] of the pattern)
    and `gained` (the paragraph would newly carry the frame). Counts columns: group,
    paragraphs, before, after, change, share_before, share_after.
    """
    from .tag import LexiconTagger  # imported on first use: loading the matcher (and NLTK) takes seconds

    alone = dataclasses.replace(codebook, frames=(codebooks.Frame("trial", "Trial pattern", "", (pattern,)),))
    tagger = LexiconTagger(alone).fit()
    found = [(pid, [(h.start, h.end) for h in tagger.matcher_.hits(text)]) for pid, text in zip(scoped["paragraph_id"], scoped["text"])]
    marks = pd.Series(dict(found), dtype=object)
    matched = scoped[scoped["paragraph_id"].map(lambda p: bool(marks[p]))].assign(spans=lambda t: t["paragraph_id"].map(marks))
    if frame:
        original = next(f for f in codebook.frames if f.id == frame)
        widened = dataclasses.replace(codebook, frames=(dataclasses.replace(original, patterns=original.patterns + (pattern,)),))
        after_ids = set(LexiconTagger(widened).fit().predict(scoped)["paragraph_id"])
        before_ids = set(frames.loc[(frames["frame"] == frame) & frames["paragraph_id"].isin(scoped["paragraph_id"]), "paragraph_id"])
    else:
        after_ids, before_ids = set(matched["paragraph_id"]), set()
    matched = matched.assign(gained=matched["paragraph_id"].isin(after_ids - before_ids))
    counts = scoped.assign(before=scoped["paragraph_id"].isin(before_ids), after=scoped["paragraph_id"].isin(after_ids))
    counts = counts.groupby(by).agg(paragraphs=("paragraph_id", "size"), before=("before", "sum"), after=("after", "sum"))
    counts.loc["all outlets"] = counts.sum()
    counts = counts.assign(change=counts["after"] - counts["before"], share_before=counts["before"] / counts["paragraphs"],
                           share_after=counts["after"] / counts["paragraphs"])
    return matched, counts.reset_index().rename(columns={"index": by})


def paragraphs_html(table: pd.DataFrame, codebook: Codebook, *, frame: str | None = None, limit: int = 30,
                    marks: str | None = None, label: str = "match") -> str:
    """Return up to `limit` paragraphs as escaped HTML with matches highlighted and outlet, date, title, link below.

    Highlights are the codebook's matches (of `frame`, or of every frame), or the
    spans in column `marks` (a trial pattern's).
    """
    if table.empty:
        return "<p><em>No paragraph matches.</em></p>"
    items = []
    for row in table.head(limit).itertuples():
        found = [(s, e, label) for s, e in getattr(row, marks)] if marks else _spans(row.text, codebook, frame=frame)
        source = f"{row.outlet}" + (f", {row.date:%Y-%m-%d}" if pd.notna(row.date) else "") + f" · {row.title or ''}"
        link = (f" · <a href='{html.escape(row.url, quote=True)}' rel='noopener noreferrer' target='_blank'>source</a>"
                if isinstance(row.url, str) and row.url.startswith(("http://", "https://")) else "")
        extra = " · <strong>newly carries the frame</strong>" if getattr(row, "gained", False) else ""
        frames_ = f" · frames: {html.escape(row.frames)}" if getattr(row, "frames", "") else ""
        items.append(f"<li><p>{highlighted(row.text, found)}</p><p><small>{html.escape(source)}{link}{frames_}{extra}</small></p></li>")
    more = f"<p><small>Showing {limit} of {len(table)}.</small></p>" if len(table) > limit else ""
    return f"<ol>{''.join(items)}</ol>{more}"


def _spans(text: str, codebook: Codebook, *, frame: str | None = None) -> list[tuple[int, int, str]]:
    from .tag import spans

    return spans(text, codebook, frame=frame)


def evidence_marks(table: pd.DataFrame, frames: pd.DataFrame, *, frame: str | None = None) -> list[list[tuple[int, int]]]:
    """Return, per row of `table`, the (start, end) spans its frame rows list as evidence (of `frame`, or of every frame)."""
    rows = frames[frames["paragraph_id"].isin(table["paragraph_id"]) & ((frames["frame"] == frame) if frame else True)]
    by_paragraph = rows.groupby("paragraph_id")
    out = []
    for pid, text in zip(table["paragraph_id"], table["text"]):
        found = by_paragraph.get_group(pid) if pid in by_paragraph.groups else rows.iloc[:0]
        out.append([(s, e) for ev, f in zip(found["evidence"], found["frame"]) for s, e, _ in evidence_spans(text, ev, f)])
    return out


class Explorer:
    """What the explorer's widgets call: option lists, the filtered view and the trial-pattern view."""

    def __init__(self, run):
        self.run = run

    def outlet_options(self) -> list[tuple[str, str | None]]:
        counts = self.run.scoped["outlet"].value_counts()
        return [(ANY, None)] + [(f"{name} ({n})", name) for name, n in counts.items()]

    def frame_options(self, *, none: str = ANY) -> list[tuple[str, str | None]]:
        return [(none, None)] + [(f.label, f.id) for f in self.run.codebook.frames]

    def stance_options(self) -> list[tuple[str, tuple | None]]:
        return [(ANY, None)] + [(f"{t.id}: {label}", (t.id, label)) for t in self.run.codebook.stance for label in t.labels]

    def date_options(self) -> list[tuple[str, pd.Timestamp | None]]:
        """Return the distinct dates as slider options; a single "no dates" option when nothing is dated."""
        days = sorted(pd.to_datetime(self.run.scoped["date"]).dropna().dt.normalize().unique())
        return [(f"{d:%Y-%m-%d}", pd.Timestamp(d)) for d in days] or [("no dates", None)]

    def filtered(self, outlet=None, frame=None, dates=None, stance=None) -> pd.DataFrame:
        """Return the matching paragraphs; a date range covering every date also keeps undated paragraphs."""
        options = [value for _, value in self.date_options()]
        if dates is not None and tuple(dates) == (options[0], options[-1]):
            dates = None
        return filter_paragraphs(self.run.scoped, self.run.frames, self.run.stance, outlet=outlet, frame=frame,
                                 dates=dates, stance_label=stance)

    def view(self, outlet=None, frame=None, dates=None, stance=None, limit: int = 30) -> None:
        """Display how many paragraphs match and the first `limit`, with evidence highlighted."""
        table = self.filtered(outlet, frame, dates, stance)
        articles = table["article_id"].nunique()
        shown = table.head(limit)
        display(HTML(f"<p><strong>{len(table)} paragraph(s)</strong> from {articles} article(s) match.</p>"
                     + paragraphs_html(shown.assign(marks=evidence_marks(shown, self.run.frames, frame=frame)), self.run.codebook,
                                       frame=frame, limit=limit, marks="marks", label=frame or "frame evidence")
                     + (f"<p><small>Showing {limit} of {len(table)}.</small></p>" if len(table) > limit else "")))

    def trial_view(self, pattern: str = "", frame=None, outlet=None, limit: int = 15) -> None:
        """Display what a trial pattern matches and how the counts per outlet would change."""
        try:
            parsed = parse_pattern(pattern, self.run.codebook)
        except CodebookError as error:
            display(HTML(f"<p style='color:#b00'>{html.escape(str(error))}</p>"))
            return
        if parsed is None:
            display(HTML("<p><em>Type a pattern and press Enter.</em></p>"))
            return
        matched, counts = trial(self.run.scoped, self.run.frames, self.run.codebook, parsed, frame=frame)
        if outlet:
            matched = matched[matched["outlet"] == outlet]
        what = f"added to frame <strong>{html.escape(frame)}</strong>" if frame else "counted alone"
        display(HTML(f"<p>Pattern <code>{html.escape(parsed.text)}</code> ({parsed.kind}) {what}: it matches "
                     f"{len(matched)} paragraph(s){' in ' + html.escape(outlet) if outlet else ''}, "
                     f"{int(matched['gained'].sum())} of which would newly carry the frame.</p>"))
        display(counts)
        display(HTML(paragraphs_html(matched.sort_values("gained", ascending=False, kind="stable"), self.run.codebook,
                                     limit=limit, marks="spans", label="trial pattern")))
