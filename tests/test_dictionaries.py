"""Dictionaries in formats researchers already have become codebooks that tag like any other."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.codebook import CodebookError
from analysis.dictionaries import imported, main
from analysis.tag import LexiconTagger

FIXTURES = Path(__file__).parent / "fixtures"


def test_quanteda_yaml_nested_categories_become_frames():
    book = imported(FIXTURES / "laver_garry_mini.yml")
    assert book.frame_ids == ["economy_state_intervention", "economy_free_market", "security"]
    patterns = {p.text for p in book.frames[2].patterns}
    assert patterns == {"sanction*", "embargo", "export control*"}


def test_liwc_dic_words_go_to_every_category_they_name():
    book = imported(FIXTURES / "mini.dic")
    assert book.frame_ids == ["posemo", "negemo", "risk"]
    assert [p.text for p in book.frames[2].patterns] == ["threat*", "danger*"]
    assert [p.text for p in book.frames[1].patterns] == ["threat*", "ban"]


def test_imported_dictionaries_tag_paragraphs():
    book = imported(FIXTURES / "mini.dic")
    paragraphs = pd.DataFrame({"paragraph_id": ["p1", "p2"], "text": ["An impressive breakthrough.", "Threats and a dangerous ban."]})
    out = LexiconTagger(book).fit().predict(paragraphs)
    assert sorted(zip(out["paragraph_id"], out["frame"])) == [("p1", "posemo"), ("p2", "negemo"), ("p2", "risk")]
    assert "threat* => Threats" in out.set_index(["paragraph_id", "frame"]).at[("p2", "risk"), "evidence"]


@pytest.mark.parametrize("content, problem", [
    ("%\n1\tposemo\n", "header must sit between two '%' lines"),
    ("%\n1\tposemo\n%\ngood\t7\n", "unknown category number 7"),
])
def test_broken_liwc_files_are_explained(tmp_path, content, problem):
    path = tmp_path / "bad.dic"
    path.write_text(content)
    with pytest.raises(CodebookError, match=problem) as raised:
        imported(path)
    assert str(raised.value).startswith(str(path))


def test_command_line_writes_an_editable_codebook(tmp_path, capsys):
    out = tmp_path / "liwc.yaml"
    assert main([str(FIXTURES / "mini.dic"), str(out)]) == 0
    assert "3 frames written" in capsys.readouterr().out
    from analysis.codebook import load

    assert load(out).frame_ids == ["posemo", "negemo", "risk"]
