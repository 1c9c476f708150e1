"""analysis/readers: every input format, encoding and export schema becomes the exact paragraphs and metadata expected.

Each fixture under tests/fixtures/readers is ingested on its own (copied into an
empty RAW), so a test states the whole outcome: articles, paragraphs with roles,
and the report rows for whatever was skipped or repaired.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest import corpus
from analysis.readers import clean, read, schema

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
NA = None


def ingested(tmp_path: Path, *names: str):
    """Return the corpus of the named fixtures copied into an empty RAW."""
    for name in names:
        source = FIXTURES / name
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)
    return corpus(tmp_path, progress=False)


def outcome(result) -> dict:
    """{source_path: (metadata, [(position, role, text), ...])} for every article."""
    found = {}
    for row in result.articles.to_dict("records"):
        meta = {k: (None if pd.isna(row[k]) else row[k]) for k in ("outlet", "title", "author", "date", "url", "language", "inferred")}
        rows = result.paragraphs[result.paragraphs["article_id"] == row["article_id"]].sort_values("position")
        found[row["source_path"]] = (meta, [tuple(p) for p in rows[["position", "role", "text"]].itertuples(index=False)])
    return found


def reported(result) -> set[tuple]:
    return {(p, None if pd.isna(r) else int(r), a, why) for p, r, a, why in result.report.itertuples(index=False)}


def meta(outlet, title, author, date, url, language="en", inferred=None) -> dict:
    return {"outlet": outlet, "title": title, "author": author, "date": pd.Timestamp(date) if date else None,
            "url": url, "language": language, "inferred": inferred}


# --- plain text in every common encoding -------------------------------------------------------

ZURICH = [
    (0, "headline", "Zürich café owners test the “cheap” chatbot"),
    (1, "standfirst", "Owners of cafés in Zürich said the Chinese assistant wrote menus in German, French and Italian – and did it for free."),
    (2, "body", "Some worried about where their customers’ data would be stored, the association’s president said."),
]
ZURICH_PLAIN = [(p, role, text.replace("“", '"').replace("”", '"').replace("–", "-").replace("’", "'")) for p, role, text in ZURICH]


@pytest.mark.parametrize(
    ("name", "paragraphs", "repair"),
    [
        ("text/utf8.txt", ZURICH, None),
        ("text/utf8-bom.txt", ZURICH, None),
        ("text/utf16.txt", ZURICH, None),
        ("text/cp1252-crlf.txt", ZURICH, "not UTF-8: decoded as cp1252 (detected)"),
        ("text/latin1.txt", ZURICH_PLAIN, "not UTF-8: decoded as cp1252 (detected)"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "cp1252-crlf", "latin1"],
)
def test_text_files_in_every_common_encoding_give_the_same_paragraphs(tmp_path, name, paragraphs, repair):
    result = ingested(tmp_path, name)
    ((got_meta, got_paragraphs),) = outcome(result).values()
    assert got_paragraphs == paragraphs
    assert got_meta == meta("unknown", paragraphs[0][2], None, None, None)
    assert reported(result) == ({(name, None, "repaired", repair)} if repair else set())
    assert result.furniture_dropped == {"advertisement": 1}


# --- HTML pages --------------------------------------------------------------------------------

def test_html_page_gives_main_text_only_and_metadata_from_the_page(tmp_path):
    result = ingested(tmp_path, "page.html")
    assert outcome(result) == {"page.html": (
        meta("Harbour Ledger", "Chip curbs fail to slow Chinese AI lab", "Mei Tanaka", "2025-01-29",
             "https://harbour-ledger.example/tech/chip-curbs-ai-lab"),
        [(0, "headline", "Chip curbs fail to slow Chinese AI lab"),
         (1, "standfirst", "A Hangzhou start-up trained a rival to the best American chatbots on restricted hardware."),
         (2, "body", "Engineers at the laboratory said they had squeezed more work out of older Nvidia processors than anyone "
                     "expected, cutting the cost of training by an order of magnitude."),
         (3, "body", "Officials in Washington said they would review whether the export rules needed tightening & promised a "
                     "decision within weeks."),
         (4, "body", "Analysts in Tokyo described the model as a “wake-up call” for investors who had bet on ever larger data centres.")],
    )}
    assert result.report.empty
    texts = " ".join(result.paragraphs["text"])
    for chrome in ("Home", "Subscribe", "Most read", "Privacy policy", "All rights reserved", "adSlots", "color: red"):
        assert chrome not in texts


def test_html_page_without_site_name_takes_its_outlet_from_the_canonical_domain_as_inferred(tmp_path):
    (tmp_path / "story.htm").write_text(
        '<html><head><title>Regulators question chatbot</title><link rel="canonical" href="https://www.theguardian.com/x/2025/jan/30/y"></head>'
        "<body><article><p>European regulators said on Thursday that they would question the company about how its chatbot "
        "stores the personal data of users, after complaints from privacy groups.</p></article></body></html>", encoding="utf-8")
    result = corpus(tmp_path, progress=False)
    ((got_meta, paragraphs),) = outcome(result).values()
    assert (got_meta["outlet"], got_meta["inferred"], got_meta["title"]) == ("The Guardian", "outlet", "Regulators question chatbot")
    assert [role for _, role, _ in paragraphs] == ["headline", "standfirst"]


def test_html_page_without_main_text_is_reported(tmp_path):
    (tmp_path / "nav.html").write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    shutil.copy(FIXTURES / "page.html", tmp_path / "page.html")
    result = corpus(tmp_path, progress=False)
    assert list(result.articles["source_path"]) == ["page.html"]
    assert reported(result) == {("nav.html", None, "skipped", "no main text found in the HTML page")}


# --- news-API exports: CSV, JSONL, JSON --------------------------------------------------------

def test_news_api_csv_rows_become_articles_and_bad_rows_are_reported(tmp_path):
    result = ingested(tmp_path, "newsapi.csv")
    assert outcome(result) == {
        "newsapi.csv#row-1": (
            meta("Harbour Ledger", "Chinese lab releases low-cost reasoning model", "Mei Tanaka", "2025-01-27", "https://harbour-ledger.example/a1"),
            [(0, "headline", "Chinese lab releases low-cost reasoning model"),
             (1, "standfirst", "The model matches American rivals on maths benchmarks, its makers say."),
             (2, "body", "Engineers in Hangzhou released the weights of a reasoning model on Monday, saying it cost a fraction of what "
                         "Silicon Valley spends…")]),
        "newsapi.csv#row-2": (
            meta("The Daily Brief", "Nvidia shares tumble & chip stocks follow", "Tom Reyes", "2025-01-27", "https://daily-brief.example/b2"),
            [(0, "headline", "Nvidia shares tumble & chip stocks follow"),
             (1, "standfirst", "Investors dumped chipmakers after the launch."),
             (2, "body", "Nvidia lost 17% in a single session."),
             (3, "body", "Broadcom and ASML also fell sharply."),
             (4, "body", "Traders said the selloff reflected doubts about spending on data centres…")]),
        "newsapi.csv#row-6": (
            meta("Valley Wire", "Start-up's app tops download charts", "Ana Ruiz", None, "https://valley-wire.example/d4"),
            # the content repeats the description and goes on: kept once, as the longer text
            [(0, "headline", "Start-up's app tops download charts"),
             (1, "standfirst", "The chatbot app overtook ChatGPT in the US App Store on Monday. Analysts said the surge reflected "
                               "curiosity about a cheaper assistant…")]),
    }
    assert reported(result) == {
        ("newsapi.csv", 3, "skipped", "empty row"),
        ("newsapi.csv", 4, "skipped", "no usable text: only a title"),
        ("newsapi.csv", 5, "skipped", "no usable text: title, description and text empty"),  # "[Removed]" placeholders
        ("newsapi.csv", 6, "repaired", "unparseable date: 'not a date', date left empty"),
        ("newsapi.csv", 7, "skipped", "malformed row: 10 fields, header has 9"),
        ("newsapi.csv", None, "repaired", "content cut by the export: [+N chars] marker removed, text incomplete in 3 row(s) (rows 1-2, 6)"),
        ("newsapi.csv", None, "repaired", "HTML markup removed: tags and entities in fields cleaned in 1 row(s) (row 2)"),
    }


def test_news_api_jsonl_reads_nested_sources_and_author_lists_and_reports_broken_lines(tmp_path):
    result = ingested(tmp_path, "newsapi.jsonl")
    assert outcome(result) == {
        "newsapi.jsonl#row-1": (
            meta("Reuters", "China's DeepSeek shakes up AI sector", None, "2025-01-28", "https://wire.example/1"),
            [(0, "headline", "China's DeepSeek shakes up AI sector"),
             (1, "standfirst", "BEIJING (Reuters) - A little-known Chinese start-up has rattled global technology markets. Its chatbot "
                               "climbed to the top of app store rankings within days of its release…")]),
        "newsapi.jsonl#row-5": (
            meta("Nordic Tech Review", "Open weights, open questions", "Lena Berg, Jonas Holm", "2025-01-30", "https://ntr.example/2"),
            [(0, "headline", "Open weights, open questions"),
             (1, "standfirst", "Researchers welcomed the release of the model's weights but asked what data it was trained on."),
             (2, "body", "Several European labs said they had already begun testing it.")]),
    }
    assert reported(result) == {
        ("newsapi.jsonl", 3, "skipped", "malformed row: not valid JSON (Expecting property name enclosed in double quotes)"),
        ("newsapi.jsonl", 4, "skipped", "malformed row: a JSON list, not an object"),
        ("newsapi.jsonl", 6, "skipped", "no usable text: only a title"),
        ("newsapi.jsonl", None, "repaired", "content cut by the export: [+N chars] marker removed, text incomplete in 1 row(s) (row 1)"),
        ("newsapi.jsonl", None, "repaired", "HTML markup removed: tags and entities in fields cleaned in 1 row(s) (row 5)"),
    }


def test_news_api_json_response_reads_its_articles_list(tmp_path):
    result = ingested(tmp_path, "newsapi.json")
    assert outcome(result) == {"newsapi.json#row-1": (
        meta("Prairie Gazette", "Farm-state senators question AI export rules", "Sam Cole", "2025-02-03", "https://prairie.example/3"),
        [(0, "headline", "Farm-state senators question AI export rules"),
         (1, "standfirst", "Two senators asked the Commerce Department to explain how advanced chips reached Chinese labs, citing "
                           "reports of smuggling through Singapore…")])}
    assert reported(result) == {
        ("newsapi.json", 2, "skipped", "no usable text: title, description and text empty"),
        ("newsapi.json", None, "repaired", "content cut by the export: [+N chars] marker removed, text incomplete in 1 row(s) (row 1)"),
    }


def test_utf16_tab_separated_export_is_read(tmp_path):
    result = ingested(tmp_path, "newsapi-utf16.csv")
    assert outcome(result) == {"newsapi-utf16.csv#row-1": (
        meta("Gulf Business Daily", "Chip stocks slide as investors reassess AI spending", "Omar Haddad", "2025-01-28", "https://gbd.example/chips"),
        [(0, "headline", "Chip stocks slide as investors reassess AI spending"),
         (1, "standfirst", "Markets in the Gulf followed Wall Street lower on Tuesday as investors weighed what a cheaper Chinese "
                           "model means for demand…")])}
    assert reported(result) == {
        ("newsapi-utf16.csv", None, "repaired", "content cut by the export: [+N chars] marker removed, text incomplete in 1 row(s) (row 1)")}


# --- media-monitoring exports and column mappings ----------------------------------------------

def test_media_monitoring_export_gives_full_texts_languages_and_reports_empty_rows(tmp_path):
    result = ingested(tmp_path, "mediacloud.csv")
    assert outcome(result) == {
        "mediacloud.csv#row-1": (
            meta("Lakeside Herald", "Why a Chinese chatbot spooked Wall Street", None, "2025-01-28", "https://lakesideherald.example/markets/chatbot"),
            [(0, "headline", "Why a Chinese chatbot spooked Wall Street"),
             (1, "standfirst", "Shares in the biggest chipmakers fell on Monday after a Chinese start-up showed it could build a "
                               "capable model for a few million dollars."),
             (2, "body", "Fund managers said the selloff reflected fears that the boom in spending on data centres had run ahead of demand."),
             (3, "body", "Some analysts called the reaction overdone, noting that cheaper models could increase the total demand for computing.")]),
        "mediacloud.csv#row-2": (
            meta("Rheinische Rundschau", "Chinesisches KI-Modell verunsichert Anleger", None, "2025-01-29", "https://rundschau.example/wirtschaft/ki", "de"),
            [(0, "headline", "Chinesisches KI-Modell verunsichert Anleger"),
             (1, "standfirst", "Ein chinesisches Start-up hat mit einem günstigen Sprachmodell die Börsen in Aufruhr versetzt."),
             (2, "body", "Die Aktien vieler Chiphersteller gaben am Montag deutlich nach, weil Anleger an den hohen Investitionen zweifelten.")]),
    }
    assert reported(result) == {("mediacloud.csv", 3, "skipped", "no usable text: title, description and text empty")}


def test_columns_yaml_maps_an_unknown_schema_in_cp1252_with_semicolons(tmp_path):
    result = ingested(tmp_path, "custom")
    assert outcome(result) == {
        "custom/clippings.csv#row-1": (
            meta("Le Petit Écho", "Café owners try the Chinese chatbot", "Zoé Martin", "2025-02-03", "https://echo.example/cafe"),
            [(0, "headline", "Café owners try the Chinese chatbot"),
             (1, "standfirst", "Small businesses in Lyon say the free assistant writes their menus."),
             (2, "body", "Restaurateurs said the app handled French and English equally well."),
             (3, "body", "Some worried about where their data would be stored.")]),
        "custom/clippings.csv#row-2": (
            meta("Le Petit Écho", "Exporters weigh the cost of cheaper AI", None, "2025-02-04", "https://echo.example/export"),
            [(0, "headline", "Exporters weigh the cost of cheaper AI"),
             (1, "standfirst", "Manufacturers in Lille said lower prices for AI tools could help them compete.")]),
    }
    assert reported(result) == {("custom/clippings.csv", None, "repaired", "not UTF-8: decoded as cp1252 (detected)")}


def test_export_without_a_text_column_or_mapping_is_reported_by_name(tmp_path):
    shutil.copy(FIXTURES / "custom" / "clippings.csv", tmp_path / "clippings.csv")
    result = corpus(tmp_path, progress=False)
    assert result.articles.empty
    assert ("clippings.csv", None, "skipped",
            "unrecognised export schema: no text column recognised (columns: Story headline, Intro, Story body, Body continued, "
            "Paper, Run date, Reporter, Web address, Page): add a columns.yaml mapping, see README") in reported(result)


def test_unusable_columns_yaml_is_reported_and_recognised_exports_still_read(tmp_path):
    shutil.copy(FIXTURES / "mediacloud.csv", tmp_path / "mediacloud.csv")
    (tmp_path / "columns.yaml").write_text("title: headline\ncolour: red\n", encoding="utf-8")
    result = corpus(tmp_path, progress=False)
    assert len(result.articles) == 2
    assert ("columns.yaml", None, "skipped", "column mapping unusable: columns.yaml: unknown field 'colour' (fields: outlet, title, "
            "description, text, author, date, url, language, syndicated_from); exports below it read by their column names") in reported(result)


def test_mapping_naming_a_missing_column_leaves_that_field_empty_and_says_so(tmp_path):
    (tmp_path / "export.csv").write_text("Body,Outlet\nThe regulator said it would publish its findings on the chatbot next month.,Coastal Times\n", encoding="utf-8")
    (tmp_path / "columns.yaml").write_text("text: Body\nauthor: Writer\n", encoding="utf-8")
    result = corpus(tmp_path, progress=False)
    assert list(result.articles["outlet"]) == ["Coastal Times"]
    assert reported(result) == {("export.csv", None, "repaired", "column missing: columns.yaml maps author -> Writer, which this export lacks; field left empty")}


def test_ambiguous_numeric_dates_are_read_month_first_and_reported(tmp_path):
    (tmp_path / "export.csv").write_text(
        "title,text,date\nA,The first article about the chatbot and its cheap training run.,03/02/2025\n"
        "B,The second article about chip export rules and what they allow.,2025-02-05\n", encoding="utf-8")
    result = corpus(tmp_path, progress=False)
    assert list(result.articles.sort_values("source_path")["date"]) == [pd.Timestamp("2025-03-02"), pd.Timestamp("2025-02-05")]
    assert reported(result) == {("export.csv", None, "repaired", "ambiguous dates: day/month dates read month-first in 1 row(s) "
                                 "(row 1); set dayfirst in columns.yaml if they are day-first")}


def test_export_times_with_an_offset_give_the_day_as_published_not_the_utc_day(tmp_path):
    (tmp_path / "export.csv").write_text(
        "title,text,publishedAt\nA,The first article about the chatbot and its cheap training run.,2025-01-28T07:15:00+08:00\n"
        "B,The second article about chip export rules and what they allow.,2025-01-27T23:30:00-05:00\n", encoding="utf-8")
    result = corpus(tmp_path, progress=False)
    assert dict(zip(result.articles["title"], result.articles["date"])) == {"A": pd.Timestamp("2025-01-28"), "B": pd.Timestamp("2025-01-27")}


def test_a_broken_quote_loses_only_its_own_row(tmp_path):
    (tmp_path / "export.csv").write_text(
        'title,content\nFirst,"The first article about the chatbot and its cheap training run.\n'
        'Second,The second article about chip export rules and what they allow.\n'
        'Third,The third article about investors selling shares in chipmakers.\n', encoding="utf-8")
    result = corpus(tmp_path, progress=False)
    assert sorted(result.articles["title"]) == ["Second", "Third"]
    assert reported(result) == {("export.csv", 1, "skipped", "malformed row: unexpected end of data; parsing resumed on the next line")}


def test_an_export_named_in_the_manifest_takes_its_outlet_where_rows_give_none(tmp_path):
    (tmp_path / "export.jsonl").write_text(
        '{"title": "A", "text": "The first article about the chatbot and its cheap training run.", "source": ""}\n'
        '{"title": "B", "text": "The second article about chip export rules and what they allow.", "source": "Valley Wire"}\n', encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("filename,outlet\nexport.jsonl,Coastal Times\n", encoding="utf-8")
    result = corpus(tmp_path, progress=False)
    assert dict(zip(result.articles["title"], result.articles["outlet"])) == {"A": "Coastal Times", "B": "Valley Wire"}
    assert result.report.empty


# --- the readers and cleaners as functions -----------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AT&amp;T and Nvidia", "AT&T and Nvidia"),
        ("<p>One.</p><p>Two &ndash; three.</p>", "One.\nTwo – three."),
        ("<ul><li>first</li><li>second</li></ul>tail", "first\nsecond\ntail"),
        ('Read <a href="https://x.example">the report</a> now', "Read the report now"),
        ("before<script>var ad = '<b>x</b>';</script>after", "beforeafter"),
        ("&lt;b&gt;escaped&lt;/b&gt; markup", "escaped markup"),
        ("line one<br/>line two", "line one\nline two"),
        ("no markup, 3 < 4 and 5 > 2", "no markup, 3 < 4 and 5 > 2"),
    ],
)
def test_markup_is_removed_by_a_parser(text, expected):
    assert clean.without_markup(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It cost a fraction of that… [+3590 chars]", "It cost a fraction of that…"),
        ("It cost a fraction of that... [+12,345 chars]", "It cost a fraction of that…"),
        ("It cost a fraction [+10 characters]", "It cost a fraction…"),
        ("A whole text with no marker.", "A whole text with no marker."),
        ("A [+5 chars] marker mid-text stays", "A [+5 chars] marker mid-text stays"),
    ],
)
def test_cut_markers_are_removed_and_the_cut_shown_by_an_ellipsis(text, expected):
    assert clean.without_cut_marker(text) == expected


@pytest.mark.parametrize("value", [None, "", " ", "Unknown", "N/A", "none", "[Removed]", "-"])
def test_placeholders_count_as_empty(value):
    assert clean.is_placeholder(value)


@pytest.mark.parametrize(
    ("names", "expected_schema", "expected"),
    [
        (["source.id", "source.name", "author", "title", "description", "url", "urlToImage", "publishedAt", "content"], "news-API",
         {"outlet": ("source.name",), "author": ("author",), "title": ("title",), "description": ("description",), "url": ("url",),
          "date": ("publishedAt",), "text": ("content",)}),
        (["id", "media_name", "media_url", "publish_date", "title", "url", "language", "text"], "media-monitoring",
         {"outlet": ("media_name",), "date": ("publish_date",), "title": ("title",), "url": ("url",), "language": ("language",),
          "text": ("text",)}),
        (["Headline", "Body", "Publication", "Byline", "Link"], "column names",
         {"title": ("Headline",), "text": ("Body",), "outlet": ("Publication",), "author": ("Byline",), "url": ("Link",)}),
    ],
    ids=["news-api", "media-monitoring", "aliases"],
)
def test_export_schemas_are_recognised_by_their_column_names(names, expected_schema, expected):
    columns = schema.columns_for(names)
    assert (columns.schema, columns.fields) == (expected_schema, expected)


def test_no_text_column_means_no_schema():
    assert schema.columns_for(["id", "title", "url"]) is None


def test_unsupported_extension_is_refused_by_the_dispatcher(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(ValueError, match="unsupported file type .pdf"):
        read(tmp_path / "x.pdf", "x.pdf")
