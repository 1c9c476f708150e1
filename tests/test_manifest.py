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
        ("Beijing’s_Chip_Gambit.txt", "beijingschipgambit"),
        ("Beijing's_Chip_Gambit.TXT", "beijingschipgambit"),
        ("beijing’s chip gambit", "beijingschipgambit"),
        ("articles/Beijing’s_Chip_Gambit.html", "beijingschipgambit"),
        ("Will_Chip_Curbs_Hold?.txt", "willchipcurbshold"),
        ("export.jsonl", "export"),
        ("Cafe\u0301.txt", "café"),
    ],
)
def test_name_key_ignores_case_quotes_punctuation_folders_and_extension(name, key):
    assert name_key(name) == key


# --- matched_rows ----------------------------------------------------------------------

FILES = [
    "a.txt",
    "Beijing’s_Chip_Gambit.txt",
    "Chip_war_in_2025:_Beijing_races_ahead_in_model_design,_but_US_curbs_bite.txt",
    "The_Start-Up_That_Shook_Markets.txt",
    "orphan.txt",
]


@pytest.mark.parametrize(
    ("row_name", "file", "how"),
    [
        ("a.txt", "a.txt", "exact"),
        ("Beijing's_Chip_Gambit", "Beijing’s_Chip_Gambit.txt", "normalised"),
        ("BEIJING’S CHIP GAMBIT.TXT", "Beijing’s_Chip_Gambit.txt", "normalised"),
        ("Chip_war_in_2025:_Beijing_races_ahead_in_model_design.txt",
         "Chip_war_in_2025:_Beijing_races_ahead_in_model_design,_but_US_curbs_bite.txt", "prefix"),
        ("The_Start-Up_That_Shook_Makrets.txt", "The_Start-Up_That_Shook_Markets.txt", "fuzzy (similarity 96)"),
    ],
    ids=["exact", "normalised-quote", "normalised-case-space-ext", "prefix-truncated", "fuzzy-typo"],
)
def test_rows_match_files_and_record_how(row_name, file, how):
    matches, rows, files = matched_rows(manifest(row_name), FILES)
    assert matches == [Match(0, file, how)]
    assert rows == []
    assert files == [f for f in FILES if f != file]


def test_every_stage_matches_in_one_manifest():
    frame = manifest("a.txt", "Beijing's_Chip_Gambit", "Chip_war_in_2025:_Beijing_races_ahead_in_model_design.txt",
                     "The_Start-Up_That_Shook_Makrets.txt", "missing_file_entirely.txt", None)
    matches, rows, files = matched_rows(frame, FILES)
    assert sorted((m.row, m.file, m.how) for m in matches) == [
        (0, "a.txt", "exact"),
        (1, "Beijing’s_Chip_Gambit.txt", "normalised"),
        (2, "Chip_war_in_2025:_Beijing_races_ahead_in_model_design,_but_US_curbs_bite.txt", "prefix"),
        (3, "The_Start-Up_That_Shook_Markets.txt", "fuzzy (similarity 96)"),
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
    matches, rows, files = matched_rows(manifest("totally_different_name.txt"), ["The_Start-Up_That_Shook_Markets.txt"])
    assert (matches, rows, files) == ([], [0], ["The_Start-Up_That_Shook_Markets.txt"])


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


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2025-01-28T07:15:00+08:00", "2025-01-28"),  # a Beijing morning: 27 January 23:15 in UTC
        ("2025-01-28T07:15:00.000+0800", "2025-01-28"),
        ("Tue, 28 Jan 2025 07:15:00 +0800", "2025-01-28"),
        ("28 January 2025 07:15 +08:00", "2025-01-28"),
        ("2025-01-27T23:30:00-05:00", "2025-01-27"),  # a New York evening: 28 January in UTC
        ("Mon, 27 Jan 2025 23:30:00 -0500", "2025-01-27"),
        ("2025-01-27T23:30:00Z", "2025-01-27"),
    ],
)
def test_dates_with_an_offset_keep_the_local_calendar_day_as_published(value, day):
    assert parsed_date(value) == (pd.Timestamp(day), None)


def test_a_row_with_too_many_fields_is_reported_and_the_good_rows_are_kept(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text("filename,outlet,date\na.txt,Alpha,Jan 5, 2025\nb.txt,Beta,2025-01-27\n", encoding="utf-8")
    frame = read_manifest(path)
    assert frame["filename"].tolist() == ["b.txt"] and frame["manifest_row"].tolist() == [2]
    assert frame.attrs["problems"] == [(1, "row has 4 fields, the header has 3: row skipped")]
