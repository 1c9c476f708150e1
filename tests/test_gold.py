"""Gold codings: read, joined to texts by key (never stored text), coding sheets out and back in."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis import codebook, gold, sheets
from analysis.paths import DEFAULT_CODEBOOK, PROJECT_ROOT

BOOK = codebook.load(DEFAULT_CODEBOOK)


def test_repository_codings_hold_keys_and_labels_only():
    codings = gold.read_codings(frame_ids=BOOK.frame_ids)
    assert "text" not in codings.columns
    assert set(codings["deepseek"]) <= {"favor", "against", "neutral"}
    assert set(codings["export_controls"]) <= {"support", "oppose", "neutral", ""}
    with_controls = codings["frames"].map(lambda f: "export_controls" in f)
    assert (codings.loc[~with_controls, "export_controls"] == "").all()


def test_seed_codings_join_every_paragraph_of_the_bundled_corpus():
    codings = gold.read_codings(PROJECT_ROOT / "gold" / "seed")
    coded = gold.coded_paragraphs(codings, [PROJECT_ROOT / "data" / "raw"])
    assert len(coded) == len(codings) == 130 and coded["text"].str.len().min() > 0
    assert len(gold.consensus(coded)) == 65


def test_shared_corpus_codings_cover_at_least_350_paragraphs_from_30_articles(shared_corpus):
    codings = gold.read_codings(PROJECT_ROOT / "gold" / "deepseek-news", frame_ids=BOOK.frame_ids)
    coded = gold.consensus(gold.coded_paragraphs(codings, [shared_corpus]))
    assert len(coded) >= 350 and coded["source_file"].nunique() >= 30
    assert set().union(*coded["frames"]) == set(BOOK.frame_ids)


def test_unknown_frame_in_codings_is_reported_with_file_and_row(tmp_path):
    (tmp_path / "c.csv").write_text("source_file,text_hash,coder,frames,deepseek,export_controls\nf.txt,abc,x,made_up_frame,neutral,\n")
    with pytest.raises(gold.GoldError, match=r"c\.csv: row 2: unknown frame id\(s\) made_up_frame"):
        gold.read_codings(tmp_path, frame_ids=BOOK.frame_ids)


def test_coding_sheet_is_stratified_and_reads_back_as_codings(seed_paths, tmp_path):
    articles, paragraphs = pd.read_parquet(seed_paths.articles), pd.read_parquet(seed_paths.paragraphs)
    frames = pd.read_parquet(seed_paths.frames)
    sheet = sheets.coding_sheet(articles, paragraphs, frames, BOOK, per_cell=1, uncertain=3)
    keyed = gold.paragraph_keys(articles, paragraphs)
    cells = frames.merge(keyed, on="paragraph_id")[["outlet", "frame", "text_hash"]]
    sampled = cells[cells["text_hash"].isin(sheet["text_hash"])]
    assert set(map(tuple, sampled[["outlet", "frame"]].to_numpy())) == set(map(tuple, cells[["outlet", "frame"]].to_numpy()))
    assert set(BOOK.frame_ids) <= set(sheet.columns) and {"deepseek", "export_controls", "coder"} <= set(sheet.columns)
    assert sheet["outlet"].nunique() == articles["outlet"].nunique()
    sheet.loc[0, ["market_shock", "deepseek", "coder"]] = ["x", "against", "me"]
    sheet.loc[1, ["deepseek", "coder"]] = ["neutral", "me"]
    path = tmp_path / "sheets" / "filled.csv"
    path.parent.mkdir()
    sheet.to_csv(path, index=False)
    back = gold.read_codings(tmp_path, frame_ids=BOOK.frame_ids)
    assert len(back) == 2 and back.loc[0, "frames"] == ("market_shock",) and back.loc[0, "deepseek"] == "against"
    assert sheets.read_sheets([path], BOOK)["coder"].tolist() == ["me", "me"]


def test_a_filled_sheet_with_a_bad_label_names_file_and_row(tmp_path):
    sheet = pd.DataFrame([{"source_file": "f", "text_hash": "h", **{f: "" for f in BOOK.frame_ids}, "deepseek": "love", "export_controls": "", "coder": "me"}])
    sheet.to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(gold.GoldError, match=r"s\.csv: row 2: deepseek must be one of favor, against, neutral"):
        gold.read_codings(tmp_path, frame_ids=BOOK.frame_ids)


def _custom_book():
    """The bundled codebook with the DeepSeek stance relabelled pro/contra/neutral."""
    target = dataclasses.replace(BOOK.stance[0], labels=("pro", "contra", "neutral"))
    return dataclasses.replace(BOOK, stance=(target, *BOOK.stance[1:]))


def test_stance_labels_come_from_the_codebook():
    assert gold.stance_labels(BOOK) == {t.id: tuple(t.labels) for t in BOOK.stance}
    assert gold.stance_labels(_custom_book())[BOOK.stance[0].id] == ("pro", "contra", "neutral")


def test_a_label_of_a_custom_codebook_is_accepted_and_others_are_rejected_with_file_and_row(tmp_path):
    book = _custom_book()
    header = "source_file,text_hash,coder,frames,deepseek,export_controls\n"
    (tmp_path / "c.csv").write_text(header + "f.txt,h1,x,,pro,\nf.txt,h2,x,,contra,\n")
    codings = gold.read_codings(tmp_path, frame_ids=book.frame_ids, stance=gold.stance_labels(book))
    assert codings["deepseek"].tolist() == ["pro", "contra"]
    (tmp_path / "c.csv").write_text(header + "f.txt,h1,x,,pro,\nf.txt,h2,x,,favor,\n")
    with pytest.raises(gold.GoldError, match=r"c\.csv: row 3: deepseek must be one of pro, contra, neutral \(got 'favor'\)"):
        gold.read_codings(tmp_path, frame_ids=book.frame_ids, stance=gold.stance_labels(book))


def test_a_filled_sheet_is_checked_against_the_custom_codebooks_labels(tmp_path):
    book = _custom_book()
    row = {"source_file": "f", "text_hash": "h", **{f: "" for f in book.frame_ids}, "export_controls": "", "coder": "me"}
    pd.DataFrame([{**row, "deepseek": "pro"}]).to_csv(tmp_path / "ok.csv", index=False)
    assert sheets.read_sheets([tmp_path / "ok.csv"], book)["deepseek"].tolist() == ["pro"]
    pd.DataFrame([{**row, "deepseek": "pro"}, {**row, "deepseek": "favor"}]).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(gold.GoldError, match=r"bad\.csv: row 3: deepseek must be one of pro, contra, neutral"):
        sheets.read_sheets([tmp_path / "bad.csv"], book)


def test_codings_lacking_a_stance_column_of_the_codebook_are_refused(tmp_path):
    (tmp_path / "c.csv").write_text("source_file,text_hash,coder,frames,deepseek\nf.txt,h1,x,,neutral\n")
    with pytest.raises(gold.GoldError, match=r"c\.csv: missing column\(s\) export_controls"):
        gold.read_codings(tmp_path, frame_ids=BOOK.frame_ids, stance=gold.stance_labels(BOOK))


def test_coded_paragraphs_carry_position_and_role_for_context():
    codings = gold.read_codings(PROJECT_ROOT / "gold" / "seed")
    coded = gold.coded_paragraphs(codings, [PROJECT_ROOT / "data" / "raw"])
    assert {"article_id", "position", "role"} <= set(coded.columns)
    assert coded.groupby("article_id")["position"].min().eq(0).all() and "headline" in set(coded["role"])
