"""`make report`'s pages: every figure and table exists, and the numbers in the tables equal counts
recomputed here, independently, from the Parquet tables."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import codebook, evidence, profile, reporting
from analysis.paths import Paths

FRAME_FIGURES = ["frames_by_outlet", "frame_share_intervals", "frame_article_share_intervals", "frame_residuals",
                 "frame_cooccurrence", "frame_position"]
FRAME_TABLES = ["frame_shares", "frame_shares_ci", "frames_chi_square", "frame_residuals", "frames_outlet_vs_rest",
                "frame_cooccurrence", "frames_over_time", "frame_position", "codebook_frames"]


def _counted(paths: Paths) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (paragraphs counted with outlet, frame rows counted, stance rows counted), built without analysis.aggregate."""
    book = codebook.load(paths.codebook)
    articles = pd.read_parquet(paths.articles)
    kept = articles[articles["duplicate_of"].isna() & (articles["language"] == book.language)]
    paragraphs = pd.read_parquet(paths.paragraphs).merge(kept[["article_id", "outlet"]], on="article_id")
    frames = pd.read_parquet(paths.frames).merge(paragraphs[["paragraph_id", "article_id", "outlet", "role"]], on="paragraph_id")
    stance = pd.read_parquet(paths.stance).merge(paragraphs[["paragraph_id", "outlet"]], on="paragraph_id")
    return paragraphs, frames, stance


def _table(paths: Paths, name: str) -> pd.DataFrame:
    return pd.read_csv(paths.tables / f"{name}.csv")


def _check_frame_tables(paths: Paths) -> None:
    paragraphs, frames, _ = _counted(paths)
    pooled = set(_table(paths, "frame_shares")["outlet"]) - set(paragraphs["outlet"])
    assert pooled <= {"other"}
    small = set(paragraphs["outlet"]) - set(_table(paths, "frame_shares")["outlet"])  # outlets pooled as "other"
    regroup = {o: ("other" if o in small else o) for o in paragraphs["outlet"].unique()}
    per_cell = frames.assign(outlet=frames["outlet"].map(regroup)).groupby(["outlet", "frame"])["paragraph_id"].nunique()
    per_outlet = paragraphs.assign(outlet=paragraphs["outlet"].map(regroup)).groupby("outlet").size()

    shares = _table(paths, "frame_shares").set_index(["outlet", "frame"])
    assert len(shares) == len(per_outlet) * len(codebook.load(paths.codebook).frames)  # complete: zeros included
    assert shares.loc[shares["paragraphs_with_frame"] > 0, "paragraphs_with_frame"].sort_index().to_dict() == per_cell.sort_index().to_dict()
    assert shares.groupby(level="outlet")["paragraphs"].first().to_dict() == per_outlet.to_dict()

    ci = _table(paths, "frame_shares_ci").set_index(["outlet", "frame"])
    assert ci["paragraphs_with_frame"].to_dict() == shares["paragraphs_with_frame"].to_dict()
    articles_with = frames.assign(outlet=frames["outlet"].map(regroup)).groupby(["outlet", "frame"])["article_id"].nunique()
    assert ci.loc[ci["articles_with_frame"] > 0, "articles_with_frame"].sort_index().to_dict() == articles_with.sort_index().to_dict()
    assert ((ci["paragraph_low"] <= ci["paragraph_share"] + 1e-12) | ci["paragraph_low"].isna()).all()

    assert _table(paths, "frames_chi_square")["mentions"].iloc[0] == frames.drop_duplicates(["paragraph_id", "frame"]).shape[0]
    residuals = _table(paths, "frame_residuals").set_index(["outlet", "frame"])
    assert residuals.loc[residuals["mentions"] > 0, "mentions"].sort_index().to_dict() == per_cell.sort_index().to_dict()
    versus = _table(paths, "frames_outlet_vs_rest").set_index(["outlet", "frame"])
    assert (versus["paragraphs_with_frame"] + versus["rest_with_frame"]).groupby(level="frame").first().to_dict() == \
        frames.groupby("frame")["paragraph_id"].nunique().reindex(versus.index.unique("frame"), fill_value=0).to_dict()

    pairs = frames[["paragraph_id", "frame"]].merge(frames[["paragraph_id", "frame"]], on="paragraph_id", suffixes=("", "_other"))
    both = pairs.groupby(["frame", "frame_other"]).size()
    cooccurrence = _table(paths, "frame_cooccurrence").set_index(["frame", "other_frame"])["paragraphs_both"]
    assert cooccurrence[cooccurrence > 0].sort_index().to_dict() == {k: v for k, v in both.sort_index().to_dict().items()}

    position = _table(paths, "frame_position")
    assert position.groupby("frame")["paragraphs_with_frame"].sum().to_dict() == frames.groupby("frame")["paragraph_id"].nunique().reindex(
        position["frame"].unique(), fill_value=0).to_dict()
    headlines = frames[frames["role"].isin(["headline", "standfirst"])].groupby("frame").size()
    top = position[position["part"] == "headline, standfirst"].set_index("frame")["paragraphs_with_frame"]
    assert top[top > 0].to_dict() == headlines.to_dict()


def _check_stance_tables(paths: Paths) -> None:
    _, _, stance = _counted(paths)
    for target, rows in stance.groupby("target"):
        table = _table(paths, f"stance_shares_{target}").set_index(["outlet", "label"])["n"]
        if set(table.index.unique("outlet")) == set(rows["outlet"]):  # not pooled
            assert table[table > 0].sort_index().to_dict() == rows.groupby(["outlet", "label"]).size().sort_index().to_dict()
        assert table.sum() == len(rows)
    assert len(_table(paths, "stance_paragraphs")) == len(stance)


def _assert_figures(paths: Paths, names: list[str]) -> None:
    for name in names:
        for suffix in ("png", "svg", "csv"):
            path = paths.figures / f"{name}.{suffix}"
            assert path.exists() and path.stat().st_size > 0, path


def test_bundled_report_has_every_figure_and_table_and_their_numbers_match_the_parquet_tables(seed_paths, seed_report):
    assert [r["error"] for r in seed_report if not r["ok"]] == []
    _assert_figures(seed_paths, FRAME_FIGURES + ["stance_deepseek", "stance_export_controls", "stance_deepseek_by_frame",
                                                 "stance_export_controls_by_frame"])
    for name in FRAME_TABLES + ["frame_evidence", "stance_paragraphs", "stance_deepseek_by_frame"]:
        assert (seed_paths.tables / f"{name}.csv").exists(), name
    _check_frame_tables(seed_paths)
    _check_stance_tables(seed_paths)
    assert len(_table(seed_paths, "frame_evidence")) == len(_counted(seed_paths)[1])  # every tagged paragraph, unsampled
    frames_page = (seed_paths.reports / "02_frames.html").read_text(encoding="utf-8")
    assert "No time chart" in frames_page  # the bundled corpus has one dated article: said, not drawn empty
    assert "permutation" in frames_page and "Benjamini-Hochberg" in frames_page  # method notes under the tables


def test_every_outlet_has_a_profile_page_with_its_figures_and_tables(seed_paths, seed_report):
    articles = pd.read_parquet(seed_paths.articles)
    outlets = reporting.values_of(articles, "outlet")
    index = seed_paths.index.read_text(encoding="utf-8")
    assert "<h2>Outlet profiles</h2>" in index
    _, frames, _ = _counted(seed_paths)
    for outlet in outlets:
        page = seed_paths.reports / f"05_outlet_profile__outlet_{profile.slug(outlet)}.html"
        assert page.exists() and f"href='{page.name}'" in index
        name = f"profile_{profile.slug(outlet)}"
        _assert_figures(seed_paths, [f"{name}_frames", f"{name}_stance"])
        versus = _table(seed_paths, f"{name}_vs_rest").set_index("frame")
        own = frames[frames["outlet"] == outlet].groupby("frame")["paragraph_id"].nunique()
        assert versus.loc[versus["paragraphs_with_frame"] > 0, "paragraphs_with_frame"].sort_index().to_dict() == own.sort_index().to_dict()
        listed = _table(seed_paths, f"{name}_articles")
        assert listed[list(versus.index)].to_numpy().sum() == own.sum()


def test_every_heatmap_count_links_to_its_paragraphs_on_the_evidence_page(seed_paths, seed_report):
    frames_page = (seed_paths.reports / "02_frames.html").read_text(encoding="utf-8")
    evidence_page = (seed_paths.reports / "04_evidence.html").read_text(encoding="utf-8")
    shares = _table(seed_paths, "frame_shares")
    for row in shares[shares["paragraphs_with_frame"] > 0].itertuples():
        link = evidence.cell_link(row.outlet, row.frame)
        assert f"href=\"{link}\"" in frames_page or f"href='{link}'" in frames_page, link
        assert re.search(f"id=['\"]{re.escape(evidence.cell_anchor(row.outlet, row.frame))}['\"]", evidence_page)
    assert re.search(r'<mark title="[a-z_]+">\w', evidence_page)


def test_frames_page_on_the_shared_corpus_draws_time_and_pools_small_outlets(shared_paths):
    job = next(j for j in reporting.jobs() if j.notebook == "02_frames.ipynb")
    result = reporting.run_job(job, shared_paths)
    assert result["ok"], result["error"]
    _assert_figures(shared_paths, FRAME_FIGURES + ["frames_over_time"])
    _check_frame_tables(shared_paths)
    page = (Path(shared_paths.reports) / "02_frames.html").read_text(encoding="utf-8")
    assert "Pooled as" in page and "The New Yorker" in page  # ten paragraphs: pooled, and named


def test_outlet_profiles_are_listed_from_the_articles_table_at_run_time(tmp_path):
    jobs_file = tmp_path / "reports.yaml"
    jobs_file.write_text("- notebook: 02_frames.ipynb\n  title: Frames\n"
                         "- notebook: 05_outlet_profile.ipynb\n  title: 'Profile: {outlet}'\n  section: Outlet profiles\n"
                         "  for_each: outlet\n  min_articles: 2\n", encoding="utf-8")
    articles = pd.DataFrame({"article_id": list("abcdef"), "duplicate_of": [None, None, None, "a", None, None],
                             "outlet": ["The Guardian", "The Guardian", "新华社", "The Guardian", "新华社", "Solo"]})
    jobs = reporting.jobs(jobs_file, articles=articles)
    assert [j.page for j in jobs] == ["02_frames.html", "05_outlet_profile__outlet_the-guardian.html", "05_outlet_profile__outlet_新华社.html"]
    assert jobs[1].title == "Profile: The Guardian" and jobs[1].section == "Outlet profiles" and jobs[1].parameters == {"outlet": "The Guardian"}
    assert [j.page for j in reporting.jobs(jobs_file)] == ["02_frames.html"]  # without articles there is nothing to expand
    clash = articles.assign(outlet=["A.B.", "A.B.", "A B", "A.B.", "A B", "Solo"])
    with pytest.raises(ValueError, match="same page name"):
        reporting.jobs(jobs_file, articles=clash)
    jobs_file.write_text("- notebook: 05_outlet_profile.ipynb\n  for_each: author\n", encoding="utf-8")
    with pytest.raises(ValueError, match="for_each must be one of"):
        reporting.jobs(jobs_file, articles=articles)


def test_the_explorer_is_not_a_report_page():
    assert "explorer.ipynb" not in {job.notebook for job in reporting.jobs()}


def test_pages_that_link_to_each_other_pool_outlets_alike():
    import papermill

    from analysis.paths import PROJECT_ROOT

    declared = {name: papermill.inspect_notebook(str(PROJECT_ROOT / "notebooks" / name))
                for name in ("02_frames.ipynb", "03_stance.ipynb", "04_evidence.ipynb")}
    for parameter in ("min_paragraphs", "max_outlets"):
        assert len({d[parameter]["default"] for d in declared.values()}) == 1, parameter  # same groups, same anchors
