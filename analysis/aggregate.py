"""Counts and shares behind every chart: frames and stance by outlet.

All functions take tidy tables and return tidy tables with the counts beside
the shares, so every number in a report can be recomputed from the Parquet files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def scoped_paragraphs(articles: pd.DataFrame, paragraphs: pd.DataFrame, *, language: str | None = "en",
                      count_duplicates: bool = False) -> tuple[pd.DataFrame, dict[str, int]]:
    """Return (paragraphs joined with their article's outlet/date/title, articles left out by reason).

    Statistics count each story once: copies linked by `duplicate_of` are left out
    unless `count_duplicates`. Articles not in `language` (the codebook's) are left out.
    Columns out: paragraph_id, article_id, position, role, text, outlet, date, title, url.
    """
    keep = pd.Series(True, index=articles.index)
    left_out: dict[str, int] = {}
    if not count_duplicates:
        copies = articles["duplicate_of"].notna()
        left_out["duplicate copies"] = int(copies.sum())
        keep &= ~copies
    if language:
        other = articles["language"] != language
        left_out[f"not in the codebook's language ({language})"] = int((other & keep).sum())
        keep &= ~other
    meta = articles.loc[keep, ["article_id", "outlet", "date", "title", "url"]]
    joined = paragraphs.merge(meta, on="article_id", how="inner")
    return joined, {k: v for k, v in left_out.items() if v}


def frame_shares(scoped: pd.DataFrame, frames: pd.DataFrame, frame_ids: list[str], *, by: str | list[str] = "outlet") -> pd.DataFrame:
    """Return one row per (group, frame): paragraphs, paragraphs_with_frame, share (0-1).

    Every frame of `frame_ids` appears for every group, with zeros where absent.
    `by` is a column of `scoped` or a list of columns (e.g. ["period", "outlet"]).
    """
    keys = [by] if isinstance(by, str) else list(by)
    totals = scoped.groupby(keys).size().rename("paragraphs")
    hits = frames[frames["paragraph_id"].isin(scoped["paragraph_id"])].merge(scoped[["paragraph_id", *keys]], on="paragraph_id")
    counts = hits.groupby([*keys, "frame"])["paragraph_id"].nunique().rename("paragraphs_with_frame")
    groups = [k if isinstance(k, tuple) else (k,) for k in totals.index]
    grid = pd.MultiIndex.from_tuples([(*g, f) for g in groups for f in frame_ids], names=[*keys, "frame"])
    table = counts.reindex(grid, fill_value=0).reset_index().merge(totals.reset_index(), on=keys)
    table["share"] = table["paragraphs_with_frame"] / table["paragraphs"]
    return table[[*keys, "frame", "paragraphs", "paragraphs_with_frame", "share"]]


def share_matrix(shares: pd.DataFrame, *, by: str = "outlet", value: str = "share") -> pd.DataFrame:
    """Return the shares table as a group x frame matrix of `value` (for heatmaps)."""
    return shares.pivot(index=by, columns="frame", values=value)


def stance_shares(scoped: pd.DataFrame, stance: pd.DataFrame, target: str, labels: list[str], *, by: str = "outlet") -> pd.DataFrame:
    """Return one row per (group, label) for `target`: paragraphs, n, share (0-1) of scored paragraphs."""
    rows = stance[(stance["target"] == target) & stance["paragraph_id"].isin(scoped["paragraph_id"])]
    rows = rows.merge(scoped[["paragraph_id", by]], on="paragraph_id")
    totals = rows.groupby(by).size().rename("paragraphs")
    counts = rows.groupby([by, "label"]).size().rename("n")
    grid = pd.MultiIndex.from_product([totals.index, labels], names=[by, "label"])
    table = counts.reindex(grid, fill_value=0).reset_index().merge(totals.reset_index(), on=by)
    table["share"] = table["n"] / table["paragraphs"]
    return table[[by, "label", "paragraphs", "n", "share"]]


def stance_shares_by_target(scoped: pd.DataFrame, stance: pd.DataFrame, codebook, *, by: str = "outlet") -> pd.DataFrame:
    """Return `stance_shares` for every stance target of `codebook`, stacked with a `target` column first."""
    parts = [stance_shares(scoped, stance, t.id, list(t.labels), by=by).assign(target=t.id) for t in codebook.stance]
    columns = ["target", by, "label", "paragraphs", "n", "share"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def corpus_overview(articles: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Return one row per outlet: articles, paragraphs, first and last date, duplicate copies."""
    per_article = paragraphs.groupby("article_id").size().rename("paragraphs")
    joined = articles.merge(per_article, left_on="article_id", right_index=True, how="left").fillna({"paragraphs": 0})
    table = joined.groupby("outlet").agg(
        articles=("article_id", "size"),
        paragraphs=("paragraphs", "sum"),
        first_date=("date", "min"),
        last_date=("date", "max"),
        duplicate_copies=("duplicate_of", lambda s: int(s.notna().sum())),
    )
    return table.astype({"paragraphs": int}).sort_values("articles", ascending=False).reset_index()


def codebook_table(codebook) -> pd.DataFrame:
    """Return the codebook's frames as a table: id, label, description, patterns, threshold."""
    return pd.DataFrame(
        [(f.id, f.label, f.description, len(f.patterns), f.threshold) for f in codebook.frames],
        columns=["frame", "label", "description", "patterns", "threshold"],
    )


OTHER = "other"


def pool_outlets(scoped: pd.DataFrame, *, min_paragraphs: int = 15, max_outlets: int | None = None,
                 other: str = OTHER) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (scoped with small outlets renamed `other`, the table of pooled outlets).

    Outlets with fewer than `min_paragraphs` paragraphs, and any beyond the
    `max_outlets` largest (so a chart of 150 outlets stays readable), are pooled
    into one group. The original name stays in column `outlet_name`. If an outlet
    is really called `other`, the pooled group is called "other (pooled)".
    Pooled table columns: outlet, articles, paragraphs, reason.
    """
    sizes = scoped.groupby("outlet").agg(articles=("article_id", "nunique"), paragraphs=("paragraph_id", "size")).reset_index()
    sizes = sizes.sort_values(["paragraphs", "outlet"], ascending=[False, True], kind="stable")
    small = sizes["paragraphs"] < min_paragraphs
    beyond = pd.Series(False, index=sizes.index)
    if max_outlets is not None:
        beyond = (~small).cumsum() > max_outlets
    sizes["reason"] = None
    sizes.loc[beyond & ~small, "reason"] = f"beyond the {max_outlets} largest outlets"
    sizes.loc[small, "reason"] = f"fewer than {min_paragraphs} paragraphs"
    pooled = sizes[sizes["reason"].notna()].reset_index(drop=True)
    if other in set(sizes["outlet"]) and len(pooled):
        other = f"{other} (pooled)"
    out = scoped.assign(outlet_name=scoped["outlet"])
    out["outlet"] = out["outlet"].where(~out["outlet"].isin(pooled["outlet"]), other)
    return out, pooled[["outlet", "articles", "paragraphs", "reason"]]


def group_order(scoped: pd.DataFrame, *, by: str = "outlet") -> list[str]:
    """Return the groups largest first (by paragraphs, ties by name), a pooled "other" group last."""
    sizes = scoped.groupby(by).size().reset_index(name="n").sort_values(["n", by], ascending=[False, True], kind="stable")
    names = list(sizes[by])
    pooled = [n for n in names if str(n).startswith(OTHER)]
    return [n for n in names if n not in pooled] + pooled


def frame_indicators(scoped: pd.DataFrame, frames: pd.DataFrame, frame_ids: list[str]) -> pd.DataFrame:
    """Return a paragraph x frame table of 0/1 (index paragraph_id, in `scoped` order, columns `frame_ids`)."""
    hits = frames[frames["paragraph_id"].isin(scoped["paragraph_id"]) & frames["frame"].isin(frame_ids)]
    table = pd.crosstab(hits["paragraph_id"], hits["frame"]).clip(upper=1)
    return table.reindex(index=scoped["paragraph_id"], columns=frame_ids, fill_value=0).astype(int)


def article_frame_counts(scoped: pd.DataFrame, frames: pd.DataFrame, frame_ids: list[str], *, by: str = "outlet") -> pd.DataFrame:
    """Return one row per article: article_id, `by`, paragraphs, then per frame the paragraphs carrying it.

    This is the unit the bootstrap and the permutation tests resample: paragraphs
    of one article are not independent, articles are (nearly) so.
    """
    marks = frame_indicators(scoped, frames, frame_ids)
    marks.index = scoped.index
    per = pd.concat([scoped[["article_id", by]], marks], axis=1)
    table = per.groupby(["article_id", by], sort=True).agg(paragraphs=("article_id", "size"), **{f: (f, "sum") for f in frame_ids})
    return table.reset_index()


def frame_cooccurrence(scoped: pd.DataFrame, frames: pd.DataFrame, frame_ids: list[str]) -> pd.DataFrame:
    """Return one row per pair of frames (both orders, and each frame with itself): how often they share a paragraph.

    Columns: frame, other_frame, paragraphs_both, paragraphs_frame (carrying `frame`),
    share_of_frame (paragraphs_both / paragraphs_frame: of the paragraphs with `frame`,
    the share that also carry `other_frame`), jaccard (both / either).
    """
    x = frame_indicators(scoped, frames, frame_ids).to_numpy()
    both = x.T @ x
    alone = np.diag(both)
    either = alone[:, None] + alone[None, :] - both
    rows = [(a, b, int(both[i, j]), int(alone[i]), both[i, j] / alone[i] if alone[i] else np.nan,
             both[i, j] / either[i, j] if either[i, j] else np.nan)
            for i, a in enumerate(frame_ids) for j, b in enumerate(frame_ids)]
    return pd.DataFrame(rows, columns=["frame", "other_frame", "paragraphs_both", "paragraphs_frame", "share_of_frame", "jaccard"])


def dated_articles(scoped: pd.DataFrame) -> int:
    """Return how many articles of `scoped` have a date."""
    return int(scoped.loc[scoped["date"].notna(), "article_id"].nunique())


def time_unit(dates: pd.Series) -> str:
    """Return the period for a time chart from the span of the central 95% of dates.

    "D" (up to two weeks), "W" (up to half a year), else "M": a few stray dates far
    from the bulk of the coverage do not coarsen the periods.
    """
    dates = pd.to_datetime(dates).dropna()
    if dates.empty:
        return "D"
    low, high = dates.quantile([0.025, 0.975])
    span = (high - low).days
    return "D" if span <= 14 else "W" if span <= 182 else "M"


def frames_over_time(scoped: pd.DataFrame, frames: pd.DataFrame, frame_ids: list[str], *, unit: str | None = None,
                     by: str = "outlet") -> pd.DataFrame:
    """Return one row per (period, group, frame) with dated paragraphs: paragraphs, paragraphs_with_frame, share.

    The share is normalised by the group's own volume in the period (its dated
    paragraphs), so a prolific outlet does not dominate. `period` is the start of
    the day, week (Monday) or month (`unit` D, W, M; default from the span of dates).
    Undated paragraphs are left out (count them with `scoped["date"].isna()`).
    """
    dated = scoped[scoped["date"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=["period", *([by] if isinstance(by, str) else by), "frame", "paragraphs", "paragraphs_with_frame", "share"])
    unit = unit or time_unit(dated["date"])
    period = pd.to_datetime(dated["date"]).dt.to_period(unit).dt.start_time.rename("period")
    table = frame_shares(dated.assign(period=period), frames, frame_ids, by=["period", by])
    return table.sort_values(["period", by], kind="stable", ignore_index=True)


def article_parts(scoped: pd.DataFrame, *, lead: int = 3) -> pd.Series:
    """Return each paragraph's part of its article: "headline, standfirst", "lead", "later" or "caption".

    The lead is the first `lead` body paragraphs of the article (by position).
    """
    order = scoped.sort_values(["article_id", "position"], kind="stable")
    body = order["role"] == "body"
    rank = body.astype(int).groupby(order["article_id"]).cumsum().where(body)
    part = pd.Series("later", index=order.index)
    part[body & (rank <= lead)] = "lead"
    part[order["role"].isin(["headline", "standfirst"])] = "headline, standfirst"
    part[order["role"] == "caption"] = "caption"
    return part.reindex(scoped.index)


PARTS = ["headline, standfirst", "lead", "later", "caption"]


def position_shares(scoped: pd.DataFrame, frames: pd.DataFrame, frame_ids: list[str], *, lead: int = 3) -> pd.DataFrame:
    """Return one row per (frame, part of article): paragraphs in that part, paragraphs_with_frame, share.

    Parts (`PARTS`): headline and standfirst, the lead (first `lead` body paragraphs),
    later body paragraphs, captions. Parts without paragraphs are left out.
    """
    parted = scoped.assign(part=article_parts(scoped, lead=lead))
    table = frame_shares(parted, frames, frame_ids, by="part")
    table = table.assign(_f=table["frame"].map({f: i for i, f in enumerate(frame_ids)}), _p=table["part"].map({p: i for i, p in enumerate(PARTS)}))
    return table.sort_values(["_f", "_p"], ignore_index=True)[["frame", "part", "paragraphs", "paragraphs_with_frame", "share"]]


def stance_by_frame(scoped: pd.DataFrame, frames: pd.DataFrame, stance: pd.DataFrame, target: str, labels: list[str],
                    frame_ids: list[str]) -> pd.DataFrame:
    """Return one row per (frame, stance label) for `target`: paragraphs (with the frame and a stance row), n, share.

    A paragraph with two frames counts once under each.
    """
    hits = frames[frames["paragraph_id"].isin(scoped["paragraph_id"]) & frames["frame"].isin(frame_ids)]
    per_frame = hits[["paragraph_id", "frame"]].drop_duplicates()
    table = stance_shares(per_frame, stance, target, labels, by="frame")
    present = table["frame"].unique()
    missing = [f for f in frame_ids if f not in present]
    if missing:
        table = pd.concat([table, pd.DataFrame([(f, lab, 0, 0, np.nan) for f in missing for lab in labels], columns=table.columns)])
    rank = {f: i for i, f in enumerate(frame_ids)}
    return table.sort_values("frame", key=lambda s: s.map(rank), kind="stable").reset_index(drop=True)
