"""Statistics against hand-computed values, scipy/statsmodels, exact enumeration and simulated coverage."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, contingency
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests

from analysis import methods, stats


@pytest.fixture()
def per_article():
    """Three outlets; counts are paragraphs carrying each frame in each article."""
    return pd.DataFrame({
        "article_id": ["x1", "x2", "x3", "y1", "y2", "z1"],
        "outlet": ["X", "X", "X", "Y", "Y", "Z"],
        "paragraphs": [4, 2, 4, 5, 5, 3],
        "f1": [2, 0, 1, 0, 0, 3],
        "f2": [0, 1, 0, 4, 1, 0],
    })


def test_shares_and_counts_are_the_hand_computed_ones(per_article):
    table = stats.shares_with_intervals(per_article, ["f1", "f2"], n_resamples=200).set_index(["outlet", "frame"])
    x_f1 = table.loc[("X", "f1")]
    assert (x_f1["articles"], x_f1["articles_with_frame"], x_f1["paragraphs"], x_f1["paragraphs_with_frame"]) == (3, 2, 10, 3)
    assert x_f1["article_share"] == pytest.approx(2 / 3) and x_f1["paragraph_share"] == pytest.approx(0.3)
    assert table.loc[("Y", "f2"), "paragraph_share"] == pytest.approx(0.5)
    assert table.loc[("Y", "f2"), "article_share"] == 1.0
    # resampled shares can only lie between the smallest and largest article share
    assert 0.0 <= x_f1["paragraph_low"] <= 0.3 <= x_f1["paragraph_high"] <= 0.5


def test_an_outlet_with_one_article_gets_no_interval(per_article):
    z = stats.shares_with_intervals(per_article, ["f1"], n_resamples=100).set_index("outlet").loc["Z"]
    assert z["paragraph_share"] == 1.0 and np.isnan(z["paragraph_low"]) and np.isnan(z["article_high"])


def test_intervals_are_seeded_per_outlet_whatever_else_is_in_the_table(per_article):
    first = stats.shares_with_intervals(per_article, ["f1", "f2"], seed=3).set_index(["outlet", "frame"])
    again = stats.shares_with_intervals(per_article, ["f1", "f2"], seed=3).set_index(["outlet", "frame"])
    alone = stats.shares_with_intervals(per_article[per_article["outlet"] == "X"], ["f1", "f2"], seed=3).set_index(["outlet", "frame"])
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first.loc[["X"]], alone)


def _coverage(make, truth, *, repeats=200, n_resamples=400, seed=0):
    rng = np.random.default_rng(seed)
    hits = np.zeros(2)
    for _ in range(repeats):
        counts, paragraphs = make(rng)
        p_low, p_high, a_low, a_high = stats.bootstrap_interval(counts, paragraphs, n_resamples=n_resamples, rng=rng)
        hits += [p_low[0] <= truth <= p_high[0], a_low[0] <= truth <= a_high[0]]
    return hits / repeats


def test_bootstrap_intervals_cover_a_known_share_about_95_percent_of_the_time():
    # 60 one-paragraph articles, each carrying the frame with probability 0.3
    def make(rng):
        return rng.binomial(1, 0.3, size=(60, 1)), np.ones(60)

    paragraph_cover, article_cover = _coverage(make, 0.3)
    assert 0.89 <= paragraph_cover <= 0.99 and 0.89 <= article_cover <= 0.99


def test_resampling_articles_keeps_coverage_where_counting_paragraphs_as_independent_fails():
    # 40 articles of 8 paragraphs; an article either carries the frame throughout (p = 0.3) or not at all
    def make(rng):
        present = rng.binomial(1, 0.3, size=40)
        return (present * 8)[:, None], np.full(40, 8)

    paragraph_cover, _ = _coverage(make, 0.3, seed=1)
    assert paragraph_cover >= 0.88
    rng = np.random.default_rng(1)
    naive = 0
    for _ in range(200):
        share = rng.binomial(1, 0.3, size=40).mean()  # the paragraph share, counted over 320 paragraphs
        half = 1.96 * np.sqrt(share * (1 - share) / 320)
        naive += share - half <= 0.3 <= share + half
    assert naive / 200 < 0.75


def test_chi_square_and_cramers_v_match_hand_computation_and_scipy():
    # 2 x 2 mentions table [[10, 20], [30, 40]]: chi2 = 4/12 + 4/18 + 4/28 + 4/42, V = sqrt(chi2 / 100)
    per_article = pd.DataFrame({"article_id": list("abcd"), "outlet": ["A", "A", "B", "B"], "paragraphs": [30, 30, 40, 40],
                                "f1": [5, 5, 15, 15], "f2": [10, 10, 20, 20]})
    row = stats.chi_square(per_article, ["f1", "f2"], n_permutations=50).iloc[0]
    hand = 4 / 12 + 4 / 18 + 4 / 28 + 4 / 42
    assert row["chi2"] == pytest.approx(hand) and row["dof"] == 1 and row["mentions"] == 100
    assert row["cramers_v"] == pytest.approx(np.sqrt(hand / 100))
    scipy_result = chi2_contingency([[10, 20], [30, 40]], correction=False)
    assert row["p_value"] == pytest.approx(scipy_result.pvalue)


def test_chi_square_on_a_larger_table_equals_scipy_and_drops_empty_frames(per_article):
    per_article = per_article.assign(f3=0)
    row = stats.chi_square(per_article, ["f1", "f2", "f3"], n_permutations=50).iloc[0]
    table = np.array([[3, 1], [0, 5], [3, 0]])
    expected = chi2_contingency(table, correction=False)
    assert (row["groups"], row["frames"]) == (3, 2)
    assert row["chi2"] == pytest.approx(expected.statistic) and row["p_value"] == pytest.approx(expected.pvalue)
    assert row["cramers_v"] == pytest.approx(contingency.association(table, method="cramer"))


def test_adjusted_residuals_match_hand_computation_and_statsmodels():
    table = pd.DataFrame([[10, 20], [30, 40]], index=["A", "B"], columns=["f1", "f2"])
    residuals = stats.adjusted_residuals(table)
    assert residuals.loc["A", "f1"] == pytest.approx(-2 / np.sqrt(12 * 0.7 * 0.6))  # (10 - 12) / sqrt(E (1 - 30/100) (1 - 40/100))
    bigger = pd.DataFrame([[12, 5, 9], [3, 14, 6], [8, 8, 20]], index=list("ABC"), columns=list("xyz"))
    np.testing.assert_allclose(stats.adjusted_residuals(bigger).to_numpy(), Table(bigger.to_numpy()).standardized_resids)


def test_residual_table_is_tidy_with_mentions_and_expected(per_article):
    table = stats.residual_table(per_article, ["f1", "f2"]).set_index(["outlet", "frame"])
    assert table.loc[("Y", "f2"), "mentions"] == 5
    assert table.loc[("Y", "f2"), "expected"] == pytest.approx(5 * 6 / 12)  # row total 5, f2 column total 6, 12 mentions
    assert table["residual"].notna().all()


def test_outlet_vs_rest_permutation_p_equals_exact_enumeration():
    # six one-frame articles; outlet A holds three. Enumerate all 20 ways to give A three articles.
    paragraphs = np.array([3, 4, 2, 5, 3, 4])
    hits = np.array([3, 2, 2, 0, 1, 0])
    per_article = pd.DataFrame({"article_id": list("abcdef"), "outlet": list("AAABBB"), "paragraphs": paragraphs, "f1": hits})

    def difference(members):
        inside = np.isin(np.arange(6), members)
        return hits[inside].sum() / paragraphs[inside].sum() - hits[~inside].sum() / paragraphs[~inside].sum()

    observed = difference([0, 1, 2])
    exact = np.mean([abs(difference(c)) >= abs(observed) - 1e-12 for c in itertools.combinations(range(6), 3)])
    table = stats.outlet_vs_rest(per_article, ["f1"], n_permutations=20000).set_index("outlet")
    assert table.loc["A", "difference"] == pytest.approx(observed)
    assert table.loc["A", "p_value"] == pytest.approx(exact, abs=0.012)
    assert table.loc["A", "rest_with_frame"] == 1 and table.loc["A", "rest_paragraphs"] == 12


def test_outlet_vs_rest_adjusts_every_comparison_together(per_article):
    table = stats.outlet_vs_rest(per_article, ["f1", "f2"], n_permutations=500, method="holm")
    expected = multipletests(table["p_value"], method="holm")[1]
    np.testing.assert_allclose(table["p_adjusted"], expected)
    assert (table["significant"] == (table["p_adjusted"] < 0.05)).all()


def test_tests_find_real_differences_between_outlets():
    rng = np.random.default_rng(1)
    rows = []
    for outlet, probs in (("A", [0.5, 0.1]), ("B", [0.1, 0.5])):
        for i in range(15):
            n = int(rng.integers(5, 15))
            rows.append((f"{outlet}{i}", outlet, n, *rng.binomial(n, probs)))
    per_article = pd.DataFrame(rows, columns=["article_id", "outlet", "paragraphs", "f1", "f2"])
    assert stats.chi_square(per_article, ["f1", "f2"], n_permutations=500).iloc[0]["p_permutation"] < 0.01
    versus = stats.outlet_vs_rest(per_article, ["f1", "f2"], n_permutations=500)
    assert versus["significant"].all()


def test_every_table_kind_has_a_plain_words_note_with_the_run_settings():
    assert "2000 resamples, seed 7" in methods.note("shares_ci", n_resamples=2000, seed=7, pooling="")
    text = methods.note("outlet_vs_rest", n_permutations=999, method="fdr_bh", alpha=0.05, comparisons=30)
    assert "Benjamini-Hochberg" in text and "30 comparisons" in text and "0.0010" in text
    assert "week" in methods.note("over_time", dated=3, articles=5, unit="W")
    assert "favor, against" in methods.note("stance", target="deepseek", labels=("favor", "against"), scope="")
    with pytest.raises(KeyError, match="known"):
        methods.note("nonsense")
    pooled = pd.DataFrame({"outlet": ["Tiny"], "articles": [1], "paragraphs": [4], "reason": ["fewer than 15 paragraphs"]})
    assert "Tiny (4)" in methods.pooling_text(pooled, min_paragraphs=15)


def test_a_profile_adjusts_only_over_its_own_outlets_comparisons(per_article):
    two = per_article.assign(outlet=per_article["outlet"].where(per_article["outlet"] == "X", "rest"))
    mine = stats.outlet_vs_rest(two, ["f1", "f2"], n_permutations=300, only="X")
    assert mine["outlet"].tolist() == ["X", "X"]
    np.testing.assert_allclose(mine["p_adjusted"], multipletests(mine["p_value"], method="fdr_bh")[1])
