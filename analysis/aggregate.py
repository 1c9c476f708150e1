"""Counts and shares behind every chart: frames and stance by outlet.

All functions take tidy tables and return tidy tables with the counts beside
the shares, so every number in a report can be recomputed from the Parquet files.
"""

from __future__ import annotations

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


def frame_shares(scoped: pd.DataFrame, frames: pd.DataFrame, frame_ids: list[str], *, by: str = "outlet") -> pd.DataFrame:
    """Return one row per (group, frame): paragraphs, paragraphs_with_frame, share (0-1).

    Every frame of `frame_ids` appears for every group, with zeros where absent.
    """
    totals = scoped.groupby(by).size().rename("paragraphs")
    hits = frames[frames["paragraph_id"].isin(scoped["paragraph_id"])].merge(scoped[["paragraph_id", by]], on="paragraph_id")
    counts = hits.groupby([by, "frame"])["paragraph_id"].nunique().rename("paragraphs_with_frame")
    grid = pd.MultiIndex.from_product([totals.index, frame_ids], names=[by, "frame"])
    table = counts.reindex(grid, fill_value=0).reset_index().merge(totals.reset_index(), on=by)
    table["share"] = table["paragraphs_with_frame"] / table["paragraphs"]
    return table[[by, "frame", "paragraphs", "paragraphs_with_frame", "share"]]


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
