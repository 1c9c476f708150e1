"""How sure can we be? Bootstrap intervals, chi-square tests and outlet-versus-rest comparisons.

Paragraphs of one article are not independent (an article about chips has many
chip paragraphs), so every resampling here works on whole ARTICLES: the
bootstrap resamples articles within each outlet, the permutation tests shuffle
outlet labels between articles. Functions take the per-article table of
`aggregate.article_frame_counts` and return tidy tables with the counts beside
every estimate. Random draws are seeded per group, so an outlet's interval is the
same on every page that shows it.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

_CHUNK = 250  # resamples per block: bounds memory at _CHUNK x articles


def _rng(seed: int, name: object) -> np.random.Generator:
    """Return a generator seeded by `seed` and the group's name (independent of the other groups)."""
    return np.random.default_rng([seed, zlib.crc32(str(name).encode("utf-8"))])


def bootstrap_interval(counts: np.ndarray, paragraphs: np.ndarray, *, n_resamples: int = 2000, confidence: float = 0.95,
                       rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return percentile intervals (paragraph_low, paragraph_high, article_low, article_high), one value per frame.

    `counts` is articles x frames (paragraphs carrying each frame), `paragraphs` the
    paragraphs per article. Each resample draws as many articles as there are, with
    replacement; the paragraph share of a resample is its frame paragraphs over its
    paragraphs (a ratio estimator), the article share the fraction of drawn articles
    carrying the frame. With fewer than two articles the intervals are NaN.
    """
    counts = np.asarray(counts, dtype=float)
    paragraphs = np.asarray(paragraphs, dtype=float)
    n, width = counts.shape
    if n < 2:
        nan = np.full(width, np.nan)
        return nan, nan.copy(), nan.copy(), nan.copy()
    present = (counts > 0).astype(float)
    para, art = [], []
    for start in range(0, n_resamples, _CHUNK):
        draws = rng.multinomial(n, np.full(n, 1.0 / n), size=min(_CHUNK, n_resamples - start)).astype(float)
        para.append((draws @ counts) / (draws @ paragraphs)[:, None])
        art.append((draws @ present) / n)
    tail = (1 - confidence) / 2
    para_q = np.quantile(np.vstack(para), [tail, 1 - tail], axis=0)
    art_q = np.quantile(np.vstack(art), [tail, 1 - tail], axis=0)
    return para_q[0], para_q[1], art_q[0], art_q[1]


def shares_with_intervals(per_article: pd.DataFrame, frame_ids: list[str], *, by: str = "outlet", n_resamples: int = 2000,
                          confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Return one row per (group, frame): paragraph and article shares with bootstrap intervals and counts.

    `per_article` is `aggregate.article_frame_counts(...)`. Columns out: group, frame,
    articles, articles_with_frame, article_share, article_low, article_high,
    paragraphs, paragraphs_with_frame, paragraph_share, paragraph_low, paragraph_high.
    """
    rows = []
    for name, group in per_article.groupby(by, sort=True):
        counts = group[frame_ids].to_numpy()
        paragraphs = group["paragraphs"].to_numpy()
        p_low, p_high, a_low, a_high = bootstrap_interval(counts, paragraphs, n_resamples=n_resamples, confidence=confidence,
                                                          rng=_rng(seed, name))
        with_frame = counts.sum(axis=0)
        articles_with = (counts > 0).sum(axis=0)
        for j, frame in enumerate(frame_ids):
            rows.append((name, frame, len(group), int(articles_with[j]), articles_with[j] / len(group), a_low[j], a_high[j],
                         int(paragraphs.sum()), int(with_frame[j]), with_frame[j] / paragraphs.sum(), p_low[j], p_high[j]))
    return pd.DataFrame(rows, columns=[by, "frame", "articles", "articles_with_frame", "article_share", "article_low", "article_high",
                                       "paragraphs", "paragraphs_with_frame", "paragraph_share", "paragraph_low", "paragraph_high"])


def mention_table(per_article: pd.DataFrame, frame_ids: list[str], *, by: str = "outlet") -> pd.DataFrame:
    """Return the group x frame table of frame mentions (paragraphs carrying the frame), the input of the chi-square test."""
    return per_article.groupby(by, sort=True)[frame_ids].sum()


def adjusted_residuals(table: pd.DataFrame) -> pd.DataFrame:
    """Return the adjusted (standardised) residuals of a contingency table, same shape.

    (observed - expected) / sqrt(expected x (1 - row share) x (1 - column share)):
    roughly standard normal under independence, so beyond +-2 a cell is used
    clearly more (+) or less (-) than the outlet's and the frame's totals predict.
    Cells of empty rows or columns are NaN.
    """
    observed = table.to_numpy(dtype=float)
    total = observed.sum()
    rows, cols = observed.sum(axis=1, keepdims=True), observed.sum(axis=0, keepdims=True)
    expected = rows @ cols / total
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (observed - expected) / np.sqrt(expected * (1 - rows / total) * (1 - cols / total))
    return pd.DataFrame(out, index=table.index, columns=table.columns)


def _chi2_statistic(observed: np.ndarray) -> np.ndarray:
    """Return Pearson's chi-square statistic for a stack of tables (... x groups x frames), empty cells skipped."""
    total = observed.sum(axis=(-2, -1), keepdims=True)
    expected = observed.sum(axis=-1, keepdims=True) * observed.sum(axis=-2, keepdims=True) / total
    with np.errstate(invalid="ignore", divide="ignore"):
        cells = np.where(expected > 0, (observed - expected) ** 2 / expected, 0.0)
    return cells.sum(axis=(-2, -1))


def _permuted_sums(labels: np.ndarray, values: np.ndarray, groups: int, n_permutations: int, rng: np.random.Generator):
    """Yield blocks of (permutations x groups x columns) sums of `values` over articles, outlet labels shuffled."""
    for start in range(0, n_permutations, _CHUNK):
        size = min(_CHUNK, n_permutations - start)
        shuffled = rng.permuted(np.tile(labels, (size, 1)), axis=1)
        flat = (shuffled + groups * np.arange(size)[:, None]).ravel()
        yield np.stack([np.bincount(flat, weights=np.tile(values[:, j], size), minlength=size * groups).reshape(size, groups)
                        for j in range(values.shape[1])], axis=-1)


def chi_square(per_article: pd.DataFrame, frame_ids: list[str], *, by: str = "outlet", n_permutations: int = 2000,
               seed: int = 0) -> pd.DataFrame:
    """Return a one-row table: the chi-square test of frames by outlet, Cramér's V and a permutation p-value.

    The table tested is groups x frames of frame mentions; frames and groups without
    any mention are dropped (their expected counts are zero). `p_value` is scipy's
    asymptotic one, which treats every mention as independent; `p_permutation`
    shuffles outlet labels between whole articles (`n_permutations` times) and so
    respects that paragraphs of one article hang together. Columns: groups, frames,
    mentions, chi2, dof, p_value, p_permutation, cramers_v.
    """
    from scipy.stats import chi2_contingency, contingency  # imported on first use (slow to load)

    table = mention_table(per_article, frame_ids, by=by)
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    columns = ["groups", "frames", "mentions", "chi2", "dof", "p_value", "p_permutation", "cramers_v"]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return pd.DataFrame([(table.shape[0], table.shape[1], int(table.to_numpy().sum()), *[np.nan] * 5)], columns=columns)
    result = chi2_contingency(table.to_numpy(), correction=False)
    v = contingency.association(table.to_numpy(), method="cramer")
    kept = per_article[per_article[by].isin(table.index)]
    codes = pd.Categorical(kept[by], categories=table.index).codes
    values = kept[list(table.columns)].to_numpy(dtype=float)
    rng = _rng(seed, "chi-square")
    at_least = sum(int((_chi2_statistic(block) >= result.statistic - 1e-9).sum())
                   for block in _permuted_sums(codes, values, len(table), n_permutations, rng))
    return pd.DataFrame([(table.shape[0], table.shape[1], int(table.to_numpy().sum()), result.statistic, int(result.dof),
                          result.pvalue, (at_least + 1) / (n_permutations + 1), v)], columns=columns)


def outlet_vs_rest(per_article: pd.DataFrame, frame_ids: list[str], *, by: str = "outlet", n_permutations: int = 2000,
                   method: str = "fdr_bh", alpha: float = 0.05, seed: int = 0, only: str | None = None) -> pd.DataFrame:
    """Return one row per (group, frame): its paragraph share against all other groups', with a corrected p-value.

    The p-value is a permutation test on articles: outlet labels are shuffled
    between whole articles and the difference in paragraph share recomputed; p is
    the fraction of shuffles at least as far from zero as the observed difference
    ((count + 1) / (n + 1)). p-values of all group x frame comparisons are then
    adjusted together with `multipletests(method=...)` (default Benjamini-Hochberg).
    `only` keeps (and adjusts over) one group's rows: an outlet profile compares one
    outlet with the rest, and the rest's mirror rows are not further comparisons.
    Columns: group, frame, paragraphs, paragraphs_with_frame, share, rest_paragraphs,
    rest_with_frame, rest_share, difference, p_value, p_adjusted, significant.
    """
    from statsmodels.stats.multitest import multipletests  # imported on first use (slow to load)

    names = sorted(per_article[by].unique())
    codes = pd.Categorical(per_article[by], categories=names).codes
    values = per_article[["paragraphs", *frame_ids]].to_numpy(dtype=float)
    totals = values.sum(axis=0)

    def difference(sums: np.ndarray) -> np.ndarray:  # (..., groups, 1 + frames) -> (..., groups, frames)
        rest = totals - sums
        with np.errstate(invalid="ignore", divide="ignore"):
            return sums[..., 1:] / sums[..., :1] - rest[..., 1:] / rest[..., :1]

    observed_sums = np.stack([values[codes == g].sum(axis=0) for g in range(len(names))])
    observed = difference(observed_sums)
    extreme = np.zeros_like(observed)
    if len(names) > 1:
        for block in _permuted_sums(codes, values, len(names), n_permutations, _rng(seed, "outlet-vs-rest")):
            extreme += (np.abs(difference(block)) >= np.abs(observed) - 1e-12).sum(axis=0)
    p = (extreme + 1) / (n_permutations + 1)
    p[~np.isfinite(observed)] = np.nan
    rows = []
    for g, name in enumerate(names):
        own, rest = observed_sums[g], totals - observed_sums[g]
        for j, frame in enumerate(frame_ids):
            rows.append((name, frame, int(own[0]), int(own[j + 1]), own[j + 1] / own[0] if own[0] else np.nan, int(rest[0]),
                         int(rest[j + 1]), rest[j + 1] / rest[0] if rest[0] else np.nan, observed[g, j], p[g, j]))
    table = pd.DataFrame(rows, columns=[by, "frame", "paragraphs", "paragraphs_with_frame", "share", "rest_paragraphs",
                                        "rest_with_frame", "rest_share", "difference", "p_value"])
    if only is not None:
        table = table[table[by] == only].reset_index(drop=True)
    tested = table["p_value"].notna()
    table["p_adjusted"] = np.nan
    if tested.any():
        table.loc[tested, "p_adjusted"] = multipletests(table.loc[tested, "p_value"], alpha=alpha, method=method)[1]
    table["significant"] = table["p_adjusted"] < alpha
    return table


def residual_table(per_article: pd.DataFrame, frame_ids: list[str], *, by: str = "outlet") -> pd.DataFrame:
    """Return one row per (group, frame): mentions, expected mentions and the adjusted residual (tidy, for export)."""
    table = mention_table(per_article, frame_ids, by=by)
    residuals = adjusted_residuals(table)
    observed = table.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = pd.DataFrame(observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True) / observed.sum(),
                                index=table.index, columns=table.columns)
    out = pd.concat({"mentions": table.stack(), "expected": expected.stack(), "residual": residuals.stack()}, axis=1)
    out.index.names = [by, "frame"]
    return out.reset_index()
