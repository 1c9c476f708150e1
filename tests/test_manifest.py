"""analysis/manifest.py: read messy manifests and match their rows to files, saying how."""

import pandas as pd
import pytest

from analysis.manifest import FIELDS, Match, ManifestError, matched_rows, name_key, parsed_date, read_manifest


def manifest(*names) -> pd.DataFrame:
    """A manifest frame as `read_manifest` returns it, with only file names filled in."""
    frame = pd.DataFrame({field: [None] * len(names) for field in FIELDS})
    frame["filename"] = list(names)
    frame["manifest_row"] = range(1, len(names) + 1)
    return frame


# --- read_manifest ---------------------------------------------------------------------

def test_column_aliases_map_to_the_standard_fields(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text(
        "File Name,Source,Headline,Byline,Publish-Date,Link,Original_Outlet\n"
        " a.txt ,CNN,DeepSeek rocks US tech,Ann Lee,2025-01-28,http://example.com/a,\n"
        "b.txt,,Second title,,,,South China Morning Post\n",
        encoding="utf-8",
    )
    frame = read_manifest(path)
    assert list(frame.columns) == [*FIELDS, "manifest_row"]
    assert frame.to_dict("records") == [
        {"filename": "a.txt", "outlet": "CNN", "title": "DeepSeek rocks US tech", "author": "Ann Lee",
         "date": "2025-01-28", "url": "http://example.com/a", "syndicated_from": None, "manifest_row": 1},
        {"filename": "b.txt", "outlet": None, "title": "Second title", "author": None, "date": None, "url": None,
         "syndicated_from": "South China Morning Post", "manifest_row": 2},
    ]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("source", "outlet"), ("source_name", "outlet"), ("publication", "outlet"), ("publisher", "outlet"),
        ("headline", "title"), ("authors", "author"), ("byline", "author"),
        ("publish_date", "date"), ("publishedAt", "date"), ("published_at", "date"), ("pubdate", "date"),
        ("link", "url"), ("republished_from", "syndicated_from"),
    ],
)
def test_each_column_alias_is_recognised(tmp_path, header, field):
    path = tmp_path / "metadata.csv"
    path.write_text(f"filename,{header}\nx.txt,value\n", encoding="utf-8")
    assert read_manifest(path).at[0, field] == "value"


@pytest.mark.parametrize("header", ["filename", "file", "file_name", "path", "filepath", "source_path", "FileName"])
def test_each_file_name_column_alias_is_recognised(tmp_path, header):
    path = tmp_path / "manifest.csv"
    path.write_text(f"{header},outlet\nx.txt,CNN\n", encoding="utf-8")
    assert read_manifest(path).at[0, "filename"] == "x.txt"


def test_manifest_without_file_name_column_raises_manifest_error(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("title,outlet\nDeepSeek rocks US tech,CNN\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="no file-name column"):
        read_manifest(path)


def test_cp1252_manifest_is_decoded(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_bytes("filename,title\nx.txt,DeepSeek’s “David” – a rival for OpenAI’s models in the US\n".encode("cp1252"))
    assert read_manifest(path).at[0, "title"] == "DeepSeek’s “David” – a rival for OpenAI’s models in the US"


# --- name_key --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("China’s_DeepSeek_Surprise.txt", "chinasdeepseeksurprise"),
        ("China's_DeepSeek_Surprise.TXT", "chinasdeepseeksurprise"),
        ("china’s deepseek surprise", "chinasdeepseeksurprise"),
        ("articles/China’s_DeepSeek_Surprise.html", "chinasdeepseeksurprise"),
        ("Is_DeepSeek_China’s_Sputnik_Moment?.txt", "isdeepseekchinassputnikmoment"),
        ("export.jsonl", "export"),
        ("Cafe\u0301.txt", "café"),
    ],
)
def test_name_key_ignores_case_quotes_punctuation_folders_and_extension(name, key):
    assert name_key(name) == key


# --- matched_rows ----------------------------------------------------------------------

FILES = [
    "a.txt",
    "China’s_DeepSeek_Surprise.txt",
    "Tech_war_in_2024:_China_catches_up_fast_in_AI_race,_but_US_chip_curbs.txt",
    "The_DeepSeek_Wake-Up_Call.txt",
    "orphan.txt",
]


@pytest.mark.parametrize(
    ("row_name", "file", "how"),
    [
        ("a.txt", "a.txt", "exact"),
        ("China's_DeepSeek_Surprise", "China’s_DeepSeek_Surprise.txt", "normalised"),
        ("CHINA’S DEEPSEEK SURPRISE.TXT", "China’s_DeepSeek_Surprise.txt", "normalised"),
        ("Tech_war_in_2024:_China_catches_up_fast_in_AI_race.txt",
         "Tech_war_in_2024:_China_catches_up_fast_in_AI_race,_but_US_chip_curbs.txt", "prefix"),
        ("The_DeepSeek_Wkae-Up_Call.txt", "The_DeepSeek_Wake-Up_Call.txt", "fuzzy (similarity 95)"),
    ],
    ids=["exact", "normalised-quote", "normalised-case-space-ext", "prefix-truncated", "fuzzy-typo"],
)
def test_rows_match_files_and_record_how(row_name, file, how):
    matches, rows, files = matched_rows(manifest(row_name), FILES)
    assert matches == [Match(0, file, how)]
    assert rows == []
    assert files == [f for f in FILES if f != file]


def test_every_stage_matches_in_one_manifest():
    frame = manifest("a.txt", "China's_DeepSeek_Surprise", "Tech_war_in_2024:_China_catches_up_fast_in_AI_race.txt",
                     "The_DeepSeek_Wkae-Up_Call.txt", "missing_file_entirely.txt", None)
    matches, rows, files = matched_rows(frame, FILES)
    assert sorted((m.row, m.file, m.how) for m in matches) == [
        (0, "a.txt", "exact"),
        (1, "China’s_DeepSeek_Surprise.txt", "normalised"),
        (2, "Tech_war_in_2024:_China_catches_up_fast_in_AI_race,_but_US_chip_curbs.txt", "prefix"),
        (3, "The_DeepSeek_Wake-Up_Call.txt", "fuzzy (similarity 95)"),
    ]
    assert rows == [4, 5]  # a row naming no existing file, and a row naming no file at all
    assert files == ["orphan.txt"]


def test_row_name_may_be_a_base_name_of_a_file_in_a_subfolder():
    matches, rows, files = matched_rows(manifest("deep.txt"), ["articles/deep.txt"])
    assert matches == [Match(0, "articles/deep.txt", "exact")]


def test_each_file_is_matched_at_most_once():
    matches, rows, files = matched_rows(manifest("a.txt", "a.txt", "A.TXT"), ["a.txt"])
    assert matches == [Match(0, "a.txt", "exact")]
    assert rows == [1, 2]
    assert files == []


def test_exact_match_wins_over_an_earlier_row_that_would_match_loosely():
    matches, _, _ = matched_rows(manifest("A.TXT", "a.txt"), ["a.txt"])
    assert matches == [Match(1, "a.txt", "exact")]


def test_short_names_are_not_prefix_matched():
    # "deep" starts "deepseek", but keys shorter than 20 characters are too weak a clue
    matches, rows, files = matched_rows(manifest("deep.txt"), ["deepseek_is_cheap.txt"])
    assert matches == []
    assert rows == [0]
    assert files == ["deepseek_is_cheap.txt"]


def test_dissimilar_names_are_not_matched():
    matches, rows, files = matched_rows(manifest("totally_different_name.txt"), ["The_DeepSeek_Wake-Up_Call.txt"])
    assert (matches, rows, files) == ([], [0], ["The_DeepSeek_Wake-Up_Call.txt"])


def test_empty_manifest_leaves_every_file_unmatched():
    assert matched_rows(manifest(), ["a.txt", "b.txt"]) == ([], [], ["a.txt", "b.txt"])


# --- parsed_date -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-02-04", (pd.Timestamp("2025-02-04"), None)),
        ("February 4, 2025", (pd.Timestamp("2025-02-04"), None)),
        ("4 February 2025", (pd.Timestamp("2025-02-04"), None)),
        ("Feb 4, 2025", (pd.Timestamp("2025-02-04"), None)),
        ("2025-02-04T10:09:00Z", (pd.Timestamp("2025-02-04"), None)),
        ("2025-02-04 10:09", (pd.Timestamp("2025-02-04"), None)),
        ("Tue, 04 Feb 2025 10:09:00 GMT", (pd.Timestamp("2025-02-04"), None)),
        (" 2025-02-04 ", (pd.Timestamp("2025-02-04"), None)),
        ("2025-13-45", (None, "unparseable date '2025-13-45'")),
        ("2025-02-30", (None, "unparseable date '2025-02-30'")),
        ("yesterday", (None, "unparseable date 'yesterday'")),
        ("", (None, None)),
        ("   ", (None, None)),
        (None, (None, None)),
    ],
)
def test_parsed_date_gives_the_day_or_the_problem(value, expected):
    assert parsed_date(value) == expected
