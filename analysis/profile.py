"""One outlet against the rest of the corpus: the tables behind `notebooks/05_outlet_profile.ipynb`."""

from __future__ import annotations

import re

import pandas as pd

REST = "all other outlets"


def slug(value: object) -> str:
    """Return `value` as a file-name part: lower-case words (any script) joined by "-" ("The Guardian" -> the-guardian)."""
    return re.sub(r"[\W_]+", "-", str(value)).strip("-").lower() or "x"


def choose_outlet(articles: pd.DataFrame, outlet: str) -> str:
    """Return `outlet` if the articles table has it; "" means the outlet with most articles.

    Raises ValueError listing the known outlets otherwise (a typo in a parameter).
    """
    known = articles["outlet"].value_counts()
    if not outlet:
        if known.empty:
            raise ValueError("the articles table is empty: no outlet to profile")
        return str(known.index[0])
    if outlet not in known.index:
        raise ValueError(f"no outlet {outlet!r} in the articles table (known: {', '.join(map(str, sorted(known.index)))})")
    return outlet


def against_rest(scoped: pd.DataFrame, outlet: str, *, rest: str = REST) -> pd.DataFrame:
    """Return `scoped` with every other outlet renamed `rest` (the real name kept in `outlet_name`)."""
    out = scoped.assign(outlet_name=scoped.get("outlet_name", scoped["outlet"]))
    out["outlet"] = out["outlet_name"].where(out["outlet_name"] == outlet, rest)
    return out


def summary(articles: pd.DataFrame, scoped: pd.DataFrame, outlet: str) -> pd.DataFrame:
    """Return the outlet at a glance as (item, value): articles, paragraphs, dates, copies and what statistics count."""
    own = articles[articles["outlet"] == outlet]
    counted = scoped[scoped["outlet_name" if "outlet_name" in scoped else "outlet"] == outlet]
    dates = pd.to_datetime(own["date"]).dropna()
    rows = [
        ("articles", len(own)),
        ("articles counted in the statistics", counted["article_id"].nunique()),
        ("paragraphs counted", len(counted)),
        ("share of the corpus's counted paragraphs", f"{len(counted) / len(scoped):.1%}" if len(scoped) else ""),
        ("dated articles", len(dates)),
        ("first date", f"{dates.min():%Y-%m-%d}" if len(dates) else ""),
        ("last date", f"{dates.max():%Y-%m-%d}" if len(dates) else ""),
        ("duplicate copies (left out)", int(own["duplicate_of"].notna().sum())),
    ]
    return pd.DataFrame(rows, columns=["item", "value"]).astype({"value": str})


def article_list(scoped: pd.DataFrame, frames: pd.DataFrame, outlet: str, frame_ids: list[str]) -> pd.DataFrame:
    """Return one row per counted article of `outlet`: date, title, url, paragraphs, then per frame its paragraphs."""
    column = "outlet_name" if "outlet_name" in scoped else "outlet"
    own = scoped[scoped[column] == outlet]
    hits = frames[frames["paragraph_id"].isin(own["paragraph_id"]) & frames["frame"].isin(frame_ids)]
    hits = hits.merge(own[["paragraph_id", "article_id"]], on="paragraph_id")
    per_frame = pd.crosstab(hits["article_id"], hits["frame"]).reindex(columns=frame_ids, fill_value=0)
    meta = own.groupby("article_id").agg(date=("date", "first"), title=("title", "first"), url=("url", "first"),
                                         paragraphs=("paragraph_id", "size"))
    table = meta.join(per_frame).fillna({f: 0 for f in frame_ids}).astype({f: int for f in frame_ids})
    return table.reset_index().sort_values(["date", "title"], na_position="last", kind="stable", ignore_index=True)


def comparison(intervals: pd.DataFrame, versus: pd.DataFrame, outlet: str, *, rest: str = REST) -> pd.DataFrame:
    """Return one row per frame: the outlet's and the rest's paragraph shares with intervals, the difference and the test.

    `intervals` is `stats.shares_with_intervals` over the two groups, `versus` is
    `stats.outlet_vs_rest` over the same per-article table.
    Columns: frame, paragraphs_with_frame, paragraphs, share, low, high, rest_with_frame,
    rest_paragraphs, rest_share, rest_low, rest_high, difference, p_value, p_adjusted, significant.
    """
    keep = ["frame", "paragraphs_with_frame", "paragraphs", "paragraph_share", "paragraph_low", "paragraph_high"]
    own = intervals.loc[intervals["outlet"] == outlet, keep].rename(columns={"paragraph_share": "share", "paragraph_low": "low",
                                                                               "paragraph_high": "high"})
    other = intervals.loc[intervals["outlet"] == rest, keep].rename(columns={
        "paragraphs_with_frame": "rest_with_frame", "paragraphs": "rest_paragraphs", "paragraph_share": "rest_share",
        "paragraph_low": "rest_low", "paragraph_high": "rest_high"})
    tests = versus.loc[versus["outlet"] == outlet, ["frame", "difference", "p_value", "p_adjusted", "significant"]]
    return own.merge(other, on="frame", how="left").merge(tests, on="frame", how="left")
