"""Hostile input: one folder with every kind of bad file beside good articles goes through `make report`.

Each bad file or row is skipped or repaired and named in ingest_report.csv with its reason, the run
finishes with status 0, every good article is kept, and no page carries live markup from the data.
"""

from __future__ import annotations

import json
import os
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from analysis.paths import PROJECT_ROOT

GOOD = ("DeepSeek shocks Silicon Valley with a cheap model\n\n"
        "The Chinese start-up DeepSeek built its model at a fraction of the cost of US rivals, a wake-up call for Silicon Valley.\n\n"
        "Nvidia shares plunged on Wall Street as investors worried about the AI boom.\n")


def _hostile_folder(raw: Path) -> dict[str, str]:
    """Write the hostile cases beside good articles; return {bad file or row: words its report reason must hold}."""
    raw.mkdir()
    (raw / "good1.txt").write_text(GOOD, encoding="utf-8")
    (raw / "good2.txt").write_text(GOOD.replace("Nvidia", "Microsoft").replace("fraction", "tenth"), encoding="cp1252")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_text("   \n\t\n  \n", encoding="utf-8")
    (raw / "furniture.txt").write_text("Advertisement\nRead More\nLeave a Reply\nShare\n1\nReading Time: 3 minutes\n", encoding="utf-8")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (raw / "huge_line.txt").write_text("DeepSeek " + "word " * 800_000 + "end.", encoding="utf-8")  # one 4 MB line
    (raw / "broken.html").write_text("<html><head><title>DeepSeek <b>rises</title></head><body><div><p>DeepSeek released R1 and "
                                     "shares of Nvidia plunged on Wall Street as investors panicked about the cost of AI.<p>Second "
                                     "paragraph about export controls on Nvidia chips to China", encoding="utf-8")
    (raw / "folder.txt").mkdir()
    (raw / "folder.txt" / "inside.txt").write_text(GOOD.replace("DeepSeek shocks", "A folder article: DeepSeek shocks"), encoding="utf-8")
    good_row = {"title": "DeepSeek tops the App Store", "source": {"name": "Wire One"}, "publishedAt": "2025-01-27T10:00:00Z",
                "content": "DeepSeek's assistant overtook ChatGPT as the most downloaded free app, as investors sold Nvidia shares."}
    lines = [json.dumps(good_row), '{"title": "broken", "content": "no end', json.dumps(good_row | {"title": "DeepSeek again",
             "content": "A second good row about DeepSeek's low cost and the sell-off in chip stocks on Wall Street."})]
    (raw / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (raw / "nocolumn.csv").write_text("headline,when\nDeepSeek news,2025-01-27\n", encoding="utf-8")
    (raw / "manifest.csv").write_text("filename,outlet,date\ngood1.txt,Good Times,2025-13-45\ngood2.txt,Other Post,2025-01-28\n"
                                      "ghost.txt,Nowhere,2025-01-01\n", encoding="utf-8")
    return {"empty.txt": "empty", "blank.txt": "empty", "furniture.txt": "furniture", "binary.txt": "binary",
            "folder.txt": "folder", "export.jsonl": "", "nocolumn.csv": "", "manifest.csv": "ghost.txt"}


class _Live(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" or any(name.startswith("on") for name, _ in attrs):
            self.found.append(tag)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile-inputs")
    expected = _hostile_folder(work / "raw")
    env = os.environ | {"RAW": str(work / "raw"), "PROCESSED": str(work / "p"), "REPORTS": str(work / "r")}
    result = subprocess.run(["make", "--no-print-directory", "report"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900)
    return work, expected, result


def test_make_report_on_hostile_folder_exits_0(hostile_run):
    _, _, result = hostile_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_bad_file_is_named_with_a_reason(hostile_run):
    work, expected, _ = hostile_run
    report = pd.read_csv(work / "p" / "ingest_report.csv", dtype=str, keep_default_na=False)
    for source, words in expected.items():
        rows = report[report["source_path"] == source]
        assert len(rows), f"{source} is not in the ingest report"
        assert rows["reason"].str.lower().str.contains(words).any(), (source, rows["reason"].tolist())
    manifest = report[report["source_path"] == "manifest.csv"]["reason"].str.cat(sep=" | ")
    assert "2025-13-45" in manifest and "ghost.txt" in manifest
    jsonl = report[report["source_path"].str.startswith("export.jsonl")]
    assert len(jsonl) == 1 and jsonl["row"].iloc[0] == "2"  # the broken line only


def test_every_good_article_is_kept(hostile_run):
    work, _, _ = hostile_run
    articles = pd.read_parquet(work / "p" / "articles.parquet")
    sources = set(articles["source_path"])
    assert {"good1.txt", "good2.txt", "huge_line.txt", "broken.html", "folder.txt/inside.txt"} <= sources
    assert len([s for s in sources if s.startswith("export.jsonl#")]) == 2
    good1 = articles.set_index("source_path").loc["good1.txt"]
    assert good1["outlet"] == "Good Times" and pd.isna(good1["date"])  # impossible date dropped, the rest kept


def test_no_page_carries_live_markup(hostile_run):
    work, _, _ = hostile_run
    pages = list((work / "r").glob("*.html"))
    assert pages
    for page in pages:
        parser = _Live()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], page.name
