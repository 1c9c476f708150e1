"""analysis/ingest.py: a folder of raw articles to the contract tables, with nothing lost silently."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest import corpus
from analysis.manifest import read_manifest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "data" / "raw"
SHARED_CORPUS = REPO.parent / "shared" / "corpora" / "deepseek-news"

ARTICLE_COLUMNS = ["article_id", "outlet", "title", "author", "date", "url", "source_path", "syndicated_from",
                   "duplicate_of", "language"]
PARAGRAPH_COLUMNS = ["paragraph_id", "article_id", "position", "role", "text"]
REPORT_COLUMNS = ["source_path", "row", "action", "reason"]

# Small synthetic articles, each distinct so that no line recurs across articles as boilerplate.
STORY = (
    "DeepSeek rocks US tech industry\n\n"
    "The Chinese start-up released a cheap model on Monday, stunning rivals across Silicon Valley who had spent "
    "billions of dollars on chips.\n\n"
    "Advertisement\n\n"
    "Investors sold Nvidia shares as analysts questioned whether the spending on data centres could still be "
    "justified by returns.\n"
)
STORY_PARAGRAPHS = [
    (0, "headline", "DeepSeek rocks US tech industry"),
    (1, "standfirst", "The Chinese start-up released a cheap model on Monday, stunning rivals across Silicon Valley "
                      "who had spent billions of dollars on chips."),
    (2, "body", "Investors sold Nvidia shares as analysts questioned whether the spending on data centres could "
                "still be justified by returns."),
]
WINDOWS = (
    "Nvidia’s “worst day” – analysts react\r\n\r\n"
    "The chipmaker’s shares fell 17% on Monday – the biggest one-day loss of market value for any company in US "
    "history, traders said.\r\n"
)
UTF16 = (
    "Beijing hails DeepSeek as proof of talent\n\n"
    "State media in Beijing praised the start-up’s engineers as proof that China’s home-grown talent can compete "
    "with anyone in the world.\n"
)
FRENCH = (
    "DeepSeek bouscule la Silicon Valley\n\n"
    "La jeune entreprise chinoise a publié lundi un modèle bon marché qui rivalise avec les meilleurs systèmes "
    "américains, selon plusieurs analystes interrogés par notre rédaction.\n"
)


def write(folder: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def report_rows(result) -> set[tuple]:
    """The report as a set of (source_path, row or None, action, reason)."""
    return {(p, None if pd.isna(r) else int(r), a, why) for p, r, a, why in result.report.itertuples(index=False)}


def article(result, source_path: str) -> dict:
    rows = result.articles[result.articles["source_path"] == source_path]
    assert len(rows) == 1, f"{source_path} is not exactly one article"
    return rows.iloc[0].to_dict()


def paragraph_triples(result, source_path: str) -> list[tuple]:
    aid = article(result, source_path)["article_id"]
    rows = result.paragraphs[result.paragraphs["article_id"] == aid].sort_values("position")
    return [(int(p), role, text) for p, role, text in rows[["position", "role", "text"]].itertuples(index=False)]


# --- contract ----------------------------------------------------------------------------

def test_tables_have_the_contract_columns(tmp_path):
    write(tmp_path, "story.txt", STORY)
    result = corpus(tmp_path, progress=False)
    assert list(result.articles.columns)[: len(ARTICLE_COLUMNS)] == ARTICLE_COLUMNS
    assert list(result.paragraphs.columns) == PARAGRAPH_COLUMNS
    assert list(result.report.columns) == REPORT_COLUMNS
    assert result.files_read == 1


def test_an_article_becomes_one_row_and_its_content_paragraphs(tmp_path):
    write(tmp_path, "story.txt", STORY)
    result = corpus(tmp_path, progress=False)
    row = article(result, "story.txt")
    assert {k: row[k] for k in ("outlet", "title", "source_path", "language")} == {
        "outlet": "unknown", "title": "DeepSeek rocks US tech industry", "source_path": "story.txt", "language": "en"}
    assert all(pd.isna(row[k]) for k in ("author", "date", "url", "syndicated_from", "duplicate_of"))
    assert paragraph_triples(result, "story.txt") == STORY_PARAGRAPHS
    aid = row["article_id"]
    assert list(result.paragraphs["paragraph_id"]) == [f"{aid}-p0000", f"{aid}-p0001", f"{aid}-p0002"]
    assert result.report.empty
    assert result.furniture_dropped == {"advertisement": 1}


def test_missing_input_folder_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        corpus(tmp_path / "nowhere", progress=False)


# --- encodings ---------------------------------------------------------------------------

def test_cp1252_and_utf16_files_are_kept_and_reported_as_repaired(tmp_path):
    write(tmp_path, "windows.txt", WINDOWS, "cp1252")
    write(tmp_path, "sub/utf16.txt", UTF16, "utf-16-le")
    write(tmp_path, "story.txt", STORY)
    result = corpus(tmp_path, progress=False)
    assert sorted(result.articles["source_path"]) == ["story.txt", "sub/utf16.txt", "windows.txt"]
    assert paragraph_triples(result, "windows.txt") == [
        (0, "headline", "Nvidia’s “worst day” – analysts react"),
        (1, "standfirst", "The chipmaker’s shares fell 17% on Monday – the biggest one-day loss of market value for "
                          "any company in US history, traders said."),
    ]
    assert paragraph_triples(result, "sub/utf16.txt")[0] == (0, "headline", "Beijing hails DeepSeek as proof of talent")
    assert report_rows(result) == {
        ("windows.txt", None, "repaired", "not UTF-8: decoded as cp1252 (detected)"),
        ("sub/utf16.txt", None, "repaired", "not UTF-8: decoded as utf-16-le (detected)"),
    }


def test_utf8_with_bom_is_not_a_repair(tmp_path):
    write(tmp_path, "story.txt", "\ufeff" + STORY)
    result = corpus(tmp_path, progress=False)
    assert paragraph_triples(result, "story.txt") == STORY_PARAGRAPHS
    assert result.report.empty


# --- bad input is reported, good input kept ------------------------------------------------

def test_empty_and_binary_files_are_skipped_with_reasons_while_good_files_are_kept(tmp_path):
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.txt", "\n  \n\t\n")
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(tmp_path, "furniture.txt", "Advertisement\nReading Time:4 minutes\nRead More\nLeave a Reply\n")
    result = corpus(tmp_path, progress=False)
    assert list(result.articles["source_path"]) == ["story.txt"]
    assert report_rows(result) == {
        ("empty.txt", None, "skipped", "empty file"),
        ("blank.txt", None, "skipped", "empty file"),
        ("image.txt", None, "skipped", "binary content (NUL bytes), not text"),
        ("furniture.txt", None, "skipped", "no content left after removing page furniture"),
    }
    assert result.files_read == 5


def test_a_folder_named_like_a_text_file_is_reported(tmp_path):
    write(tmp_path, "story.txt", STORY)
    (tmp_path / "x.txt").mkdir()
    result = corpus(tmp_path, progress=False)
    assert list(result.articles["source_path"]) == ["story.txt"]
    assert report_rows(result) == {("x.txt", None, "skipped", "a folder, not a file, despite its file extension")}


@pytest.mark.parametrize(
    ("name", "reason"),
    [("notes.docx", "unsupported file type .docx"), ("scan.pdf", "unsupported file type .pdf"),
     ("LICENSE", "unsupported file type (none)")],
)
def test_an_unsupported_file_type_is_reported(tmp_path, name, reason):
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, name, b"PK\x03\x04")
    result = corpus(tmp_path, progress=False)
    assert list(result.articles["source_path"]) == ["story.txt"]
    assert report_rows(result) == {(name, None, "skipped", reason)}


def test_a_readme_documents_the_folder_and_is_not_an_article(tmp_path):
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, "README.md", "# My corpus\n")
    write(tmp_path, "README.txt", "These are my articles about DeepSeek and the US chip export controls.\n")
    result = corpus(tmp_path, progress=False)
    assert list(result.articles["source_path"]) == ["story.txt"]
    assert result.report.empty


# --- duplicates --------------------------------------------------------------------------

def test_exact_duplicate_copy_is_linked_to_the_dated_original(tmp_path):
    write(tmp_path, "story-Copy1.txt", STORY)
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, "manifest.csv", "filename,outlet,date\nstory.txt,CNN,2025-01-28\n")
    result = corpus(tmp_path, progress=False)
    original, copy = article(result, "story.txt"), article(result, "story-Copy1.txt")
    assert pd.isna(original["duplicate_of"])
    assert copy["duplicate_of"] == original["article_id"]
    assert ("story-Copy1.txt", None, "repaired", "duplicate copy: of story.txt (identical text), linked with duplicate_of") in report_rows(result)


def test_exact_duplicate_without_dates_is_linked_to_the_first_path(tmp_path):
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, "story_copy.txt", STORY)
    result = corpus(tmp_path, progress=False)
    assert article(result, "story_copy.txt")["duplicate_of"] == article(result, "story.txt")["article_id"]
    assert pd.isna(article(result, "story.txt")["duplicate_of"])
    assert report_rows(result) == {("story_copy.txt", None, "repaired", "duplicate copy: of story.txt (identical text), linked with duplicate_of")}


def test_duplicates_keep_their_own_paragraphs(tmp_path):
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, "story_copy.txt", STORY)
    result = corpus(tmp_path, progress=False)
    assert paragraph_triples(result, "story_copy.txt") == STORY_PARAGRAPHS
    assert result.paragraphs["paragraph_id"].is_unique


NEAR = [
    "DeepSeek rocks US tech industry",
    "The Chinese start-up released a cheap model on Monday, stunning rivals across Silicon Valley.",
    "Investors sold Nvidia shares as analysts questioned the spending on data centres.",
    "Washington is weighing tighter export controls on the chips DeepSeek used to train its model.",
    "European regulators said they would look at how the chatbot handles personal data.",
]


@pytest.mark.parametrize(("threshold", "linked"), [(0.8, True), (0.9, False)])
def test_near_duplicate_is_linked_when_enough_paragraphs_are_shared(tmp_path, threshold, linked):
    write(tmp_path, "a_original.txt", "\n\n".join(NEAR))
    write(tmp_path, "b_update.txt", "\n\n".join(NEAR[:4] + ["Italy’s privacy watchdog blocked the app on Thursday."]))
    result = corpus(tmp_path, near_duplicate=threshold, progress=False)
    link = article(result, "b_update.txt")["duplicate_of"]
    if linked:
        assert link == article(result, "a_original.txt")["article_id"]
    else:
        assert pd.isna(link)


# --- manifests ---------------------------------------------------------------------------

def test_manifest_metadata_is_applied_and_unmatched_rows_and_files_are_reported(tmp_path):
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, "windows.txt", WINDOWS, "cp1252")
    write(tmp_path, "orphan.txt", UTF16)
    write(tmp_path, "manifest.csv",
          "filename,source,headline,byline,publish_date,link,syndicated_from\n"
          "story.txt,the guardian,Manifest title,Ann Lee,2025-01-28,https://example.com/a,\n"
          "WINDOWS.TXT,NYT,,,2025-13-45,,Reuters\n"
          "missing.txt,BBC,,,,,\n")
    result = corpus(tmp_path, progress=False)
    story = article(result, "story.txt")
    assert {k: story[k] for k in ("outlet", "title", "author", "date", "url")} == {
        "outlet": "The Guardian", "title": "Manifest title", "author": "Ann Lee",
        "date": pd.Timestamp("2025-01-28"), "url": "https://example.com/a"}
    assert pd.isna(story["syndicated_from"])
    windows = article(result, "windows.txt")
    assert (windows["outlet"], windows["syndicated_from"]) == ("The New York Times", "Reuters")
    assert pd.isna(windows["date"])
    assert windows["title"] == "Nvidia’s “worst day” – analysts react"  # manifest left it empty: the headline
    assert report_rows(result) == {
        ("windows.txt", None, "repaired", "not UTF-8: decoded as cp1252 (detected)"),
        ("manifest.csv", 2, "repaired", "unparseable date: '2025-13-45' for windows.txt, date left empty"),
        ("manifest.csv", 2, "repaired", "row matched by normalised file name: windows.txt"),
        ("manifest.csv", 3, "unmatched", "manifest row names no file: missing.txt"),
        ("orphan.txt", None, "unmatched", "no manifest row names this file: metadata taken from the text only"),
    }


def test_manifest_outlet_typos_merge_into_one_outlet(tmp_path):
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, "windows.txt", WINDOWS, "cp1252")
    write(tmp_path, "french.txt", FRENCH)
    write(tmp_path, "manifest.csv",
          "filename,outlet\nstory.txt,THe New York Times\nwindows.txt,the new york  times\nfrench.txt,Le Monde\n")
    result = corpus(tmp_path, progress=False)
    assert dict(zip(result.articles["source_path"], result.articles["outlet"])) == {
        "french.txt": "Le Monde", "story.txt": "The New York Times", "windows.txt": "The New York Times"}


def test_manifest_in_a_subfolder_describes_the_files_beside_it(tmp_path):
    write(tmp_path, "lemonde/french.txt", FRENCH)
    write(tmp_path, "lemonde/metadata.csv", "filename,outlet,date\nfrench.txt,Le Monde,2025-01-29\n")
    result = corpus(tmp_path, progress=False)
    row = article(result, "lemonde/french.txt")
    assert (row["outlet"], row["date"], row["language"]) == ("Le Monde", pd.Timestamp("2025-01-29"), "fr")
    assert result.report.empty


def test_unusable_manifest_is_reported_and_files_are_still_ingested(tmp_path):
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, "manifest.csv", "title,outlet\nDeepSeek rocks US tech industry,CNN\n")
    result = corpus(tmp_path, progress=False)
    assert list(result.articles["source_path"]) == ["story.txt"]
    ((path, row, action, reason),) = report_rows(result)
    assert (path, row, action) == ("manifest.csv", None, "skipped")
    assert reason.startswith("manifest unusable: ") and "no file-name column" in reason


def test_metadata_is_inferred_from_the_text_when_the_manifest_is_silent(tmp_path):
    for prefix in ("003", "004"):
        (seed,) = SEEDS.glob(f"{prefix}_*.txt")
        shutil.copy(seed, tmp_path / seed.name)
    result = corpus(tmp_path, progress=False)
    by_prefix = {row["source_path"][:3]: row for row in result.articles.to_dict("records")}
    assert (by_prefix["004"]["outlet"], by_prefix["004"]["author"], by_prefix["004"]["date"]) == (
        "China Daily", "Lia Zhu", pd.Timestamp("2025-02-04"))
    assert by_prefix["003"]["syndicated_from"] == "South China Morning Post"
    assert by_prefix["003"]["outlet"] == "unknown"  # a republished copy: the outlet is not shown, so not invented


def test_manifest_values_win_over_text_clues(tmp_path):
    (seed,) = SEEDS.glob("004_*.txt")
    shutil.copy(seed, tmp_path / seed.name)
    write(tmp_path, "manifest.csv", f"filename,outlet,author,date\n{seed.name},China Daily USA,L. Zhu,2025-02-05\n")
    row = article(corpus(tmp_path, progress=False), seed.name)
    assert (row["outlet"], row["author"], row["date"]) == ("China Daily", "L. Zhu", pd.Timestamp("2025-02-05"))


# --- stability and content ---------------------------------------------------------------

def test_ids_are_stable_across_runs_and_folder_locations(tmp_path):
    first = tmp_path / "one"
    write(first, "story.txt", STORY)
    write(first, "sub/windows.txt", WINDOWS, "cp1252")
    second = tmp_path / "two"
    shutil.copytree(first, second)
    runs = [corpus(first, progress=False), corpus(first, progress=False), corpus(second, progress=False)]
    ids = [(list(r.articles["article_id"]), list(r.paragraphs["paragraph_id"])) for r in runs]
    assert ids[0] == ids[1] == ids[2]
    assert len(set(ids[0][0])) == 2 and len(set(ids[0][1])) == len(ids[0][1]) == 5


def test_language_is_identified_per_article(tmp_path):
    write(tmp_path, "story.txt", STORY)
    write(tmp_path, "french.txt", FRENCH)
    result = corpus(tmp_path, progress=False)
    assert dict(zip(result.articles["source_path"], result.articles["language"])) == {"french.txt": "fr", "story.txt": "en"}


# --- the bundled seed corpus ---------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_corpus():
    return corpus(SEEDS, progress=False)


def test_seed_corpus_has_five_articles_with_manifest_outlets(seed_corpus):
    rows = {row["source_path"][:3]: row for row in seed_corpus.articles.to_dict("records")}
    assert {k: row["outlet"] for k, row in rows.items()} == {
        "000": "South China Morning Post", "001": "unknown", "002": "South China Morning Post",
        "003": "unknown", "004": "China Daily"}
    assert rows["003"]["syndicated_from"] == "South China Morning Post"
    assert rows["002"]["author"] == "Zhou Xin"
    assert (rows["004"]["author"], rows["004"]["date"]) == ("Lia Zhu", pd.Timestamp("2025-02-04"))
    assert all(pd.isna(row["duplicate_of"]) and row["language"] == "en" for row in rows.values())
    assert seed_corpus.files_read == 5
    assert seed_corpus.report.empty


def test_seed_corpus_paragraphs_hold_no_furniture(seed_corpus):
    texts = set(seed_corpus.paragraphs["text"])
    for furniture in ("Advertisement", "Why you can trust SCMP", "Read More", "Leave a Reply", "PDF View",
                      "liazhu@chinadailyusa.com", "Comments (0)", "Select Voice"):
        assert furniture not in texts
    assert set(seed_corpus.paragraphs["role"]) == {"headline", "standfirst", "body", "caption"}
    assert seed_corpus.paragraphs.groupby("article_id")["role"].first().eq("headline").all()


def test_seed_corpus_paragraph_ids_are_unique_and_ordered(seed_corpus):
    paragraphs = seed_corpus.paragraphs
    assert paragraphs["paragraph_id"].is_unique
    for _, group in paragraphs.groupby("article_id"):
        assert list(group["position"]) == list(range(len(group)))
    assert set(paragraphs["article_id"]) == set(seed_corpus.articles["article_id"])


# --- the shared real corpus ----------------------------------------------------------------

@pytest.fixture(scope="module")
def real_corpus():
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not present: {SHARED_CORPUS}")
    return corpus(SHARED_CORPUS, progress=False)


def test_real_corpus_is_ingested_with_canonical_outlets(real_corpus):
    articles = real_corpus.articles
    assert len(articles) >= 90
    outlets = set(articles["outlet"]) - {"unknown"}
    assert len(outlets) >= 10
    assert len({name.casefold() for name in outlets}) == len(outlets)
    assert "The New York Times" in outlets and "THe New York Times" not in outlets
    assert not (real_corpus.paragraphs["text"] == "Advertisement").any()


def test_real_corpus_copy_file_is_linked_as_a_duplicate(real_corpus):
    articles = real_corpus.articles
    copies = articles[articles["source_path"].str.contains("-Copy1", regex=False)]
    assert len(copies) == 1
    copy = copies.iloc[0]
    original = articles[articles["source_path"] == copy["source_path"].replace("-Copy1", "")]
    assert len(original) == 1
    assert copy["duplicate_of"] == original.iloc[0]["article_id"]


def test_real_corpus_every_file_and_manifest_row_is_used_or_reported(real_corpus):
    report = real_corpus.report
    files = {p.relative_to(SHARED_CORPUS).as_posix() for p in SHARED_CORPUS.rglob("*")
             if p.is_file() and p.name.lower() not in ("manifest.csv", "metadata.csv")
             and not p.name.upper().startswith("README")}
    used = set(real_corpus.articles["source_path"])
    assert files - used - set(report["source_path"]) == set()
    (manifest_path,) = [p for p in SHARED_CORPUS.rglob("*.csv") if p.name.lower() in ("manifest.csv", "metadata.csv")]
    manifest = read_manifest(manifest_path)
    rel = manifest_path.relative_to(SHARED_CORPUS).as_posix()
    reported_rows = set(report.loc[(report["source_path"] == rel) & (report["action"] == "unmatched"), "row"].astype(int))
    used_urls = set(real_corpus.articles["url"].dropna())
    for url, row in zip(manifest["url"], manifest["manifest_row"]):
        assert url in used_urls or row in reported_rows, f"manifest row {row} neither used nor reported"


def test_real_corpus_reports_exactly_its_known_problems(real_corpus):
    kinds = real_corpus.report.assign(kind=real_corpus.report["reason"].str.split(":").str[0]).groupby(["action", "kind"]).size().to_dict()
    assert kinds == {
        ("unmatched", "manifest row names no file"): 4,  # rows whose files are not in the corpus
        ("unmatched", "no manifest row names this file"): 1,  # the -Copy1 file
        ("repaired", "row matched by prefix file name"): 2,  # names cut short by the export
        ("repaired", "duplicate copy"): 1,
        ("repaired", "placeholder value treated as empty"): 1,  # author "Unknown"
    }
    assert not real_corpus.articles["author"].isin(["Unknown"]).any()
    assert set(real_corpus.articles["language"]) == {"en"}


def test_real_corpus_report_page_shows_the_counts(shared_paths):
    from analysis import reporting

    (result,) = reporting.build(shared_paths, workers=1, job_list=[j for j in reporting.jobs() if j.notebook == "01_corpus.ipynb"])
    assert result["ok"], result["error"]
    page = (shared_paths.reports / "01_corpus.html").read_text(encoding="utf-8")
    articles = pd.read_parquet(shared_paths.articles)
    assert f"articles        {len(articles)} from {articles['outlet'].nunique()} outlets" in page
    assert "duplicates      1 linked with duplicate_of" in page
    assert "4  unmatched: manifest row names no file" in page
    assert "languages       en 94" in page
    assert "Statistics leave out 1 article(s): 1 duplicate copies." in page


def test_near_duplicate_threshold_is_settable_from_the_command_line(tmp_path):
    from analysis.__main__ import main
    from analysis.tables import info

    write(tmp_path / "raw", "a_original.txt", "\n\n".join(NEAR))
    write(tmp_path / "raw", "b_update.txt", "\n\n".join(NEAR[:4] + ["Italy’s privacy watchdog blocked the app on Thursday."]))
    for threshold, linked in (("0.8", 1), ("0.9", 0)):
        processed = tmp_path / f"p{threshold}"
        assert main(["data", "--raw", str(tmp_path / "raw"), "--processed", str(processed), "--near-duplicate", threshold]) == 0
        assert info(processed / "ingest_summary.json")["duplicates_linked"] == linked
    with pytest.raises(SystemExit):
        main(["data", "--raw", str(tmp_path / "raw"), "--near-duplicate", "1.5"])


def test_manifest_placeholders_are_empty_and_the_text_may_fill_them(tmp_path):
    write(tmp_path, "story.txt", "DeepSeek rocks US tech industry\n\nBy Ann Lee\n\n" + STORY.split("\n\n", 1)[1])
    write(tmp_path, "manifest.csv", "filename,outlet,author\nstory.txt,CNN,Unknown\n")
    result = corpus(tmp_path, progress=False)
    row = article(result, "story.txt")
    assert (row["outlet"], row["author"], row["inferred"]) == ("CNN", "Ann Lee", "author")
    assert report_rows(result) == {("manifest.csv", None, "repaired", "placeholder value treated as empty: author 'Unknown' in 1 row(s)")}


def test_long_ingests_show_a_progress_bar(tmp_path, capsys):
    write(tmp_path, "story.txt", STORY)
    corpus(tmp_path, progress=True)
    err = capsys.readouterr().err
    assert "reading" in err and "segmenting" in err and "1/1" in err
