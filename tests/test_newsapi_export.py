"""A news-API export as researchers get it goes through the whole pipeline with no editing.

The export is generated here from a seeded script (several hundred rows, more than
150 sources, empty rows, cut content, HTML fragments, the same article repeated on
different days, articles in several languages), written as JSONL and CSV, ingested,
tagged and turned into the report pages.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from analysis import pipeline, reporting
from analysis.paths import PROJECT_ROOT, Paths

SEED = 20250127
CITIES = ["Denver", "Leeds", "Auckland", "Halifax", "Perth", "Cork", "Austin", "Bristol", "Calgary", "Durban", "Tampa",
          "Boise", "Dundee", "Fresno", "Geelong", "Hobart", "Omaha", "Reno", "Salem", "Tulsa", "Wichita", "Yonkers",
          "Akron", "Lagos", "Nairobi", "Manila", "Karachi", "Dublin", "Sheffield", "Ottawa"]
TITLES = ["Herald", "Times", "Post", "Tribune", "Chronicle", "Gazette", "Observer", "Courier", "Journal", "Star",
          "Mirror", "Telegraph", "Independent", "Express", "Sentinel", "Monitor", "Dispatch", "Examiner"]
COMPANIES = ["Nvidia", "Broadcom", "ASML", "Microsoft", "Alphabet", "Oracle", "Meta", "TSMC", "Arm", "Micron", "AMD", "Intel"]
PEOPLE = ["Ana Ruiz", "Tom Reyes", "Mei Tanaka", "Omar Haddad", "Lena Berg", "Sam Cole", "Priya Nair", "Jonas Holm",
          "Kofi Mensah", "Zoé Martin", "Chen Wei", "Olga Ivanova", "Rafael Souza", "Aisha Bello", "Ian Clarke"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

# Sentence templates per language; {c} a company, {n} a number, {d} a weekday, {p} a person.
SENTENCES = {
    "en": [
        "Shares of {c} fell {n} per cent on {d} as investors weighed what a cheaper Chinese model means for demand.",
        "Analysts at a {city} brokerage said the selloff in {c} reflected doubts about the billions spent on data centres.",
        "{p}, who follows the chip industry, said the reaction looked overdone after a run of {n} record quarters.",
        "The Hangzhou start-up said it trained its model on older processors, spending a fraction of what rivals spend.",
        "Officials in Washington said they would review whether export rules on advanced chips needed tightening again.",
        "Traders in {city} said the Nasdaq lost {n} points before recovering some ground late in the session.",
        "The chatbot climbed to the top of the app store rankings in {n} countries within days of its release.",
        "Researchers welcomed the decision to publish the model's weights but asked what data it was trained on.",
        "{c} said in a statement on {d} that demand for its products remained strong despite the market turmoil.",
        "Regulators in {city} said they had written to the company about how it stores the personal data of users.",
        "Venture investors told {p} that the episode would change how they value young artificial intelligence firms.",
        "Some economists compared the moment to the launch of Sputnik, when rivals suddenly looked technologically ahead.",
        "Lawmakers asked whether {n} shipments of restricted chips had reached Chinese laboratories through third countries.",
        "Engineers said the model matched leading American systems on {n} of the most widely used reasoning benchmarks.",
        "Energy companies in {city} saw their shares drop as traders questioned forecasts of power demand from data centres.",
        "{p} wrote that open models could let smaller firms in {city} build products without paying for expensive licences.",
    ],
    "fr": [
        "Les actions de {c} ont chuté de {n} pour cent {d}, les investisseurs s'inquiétant d'un modèle chinois bon marché.",
        "Selon les analystes, la jeune entreprise chinoise a entraîné son modèle pour une fraction du coût habituel.",
        "{p} estime que la réaction des marchés est exagérée après {n} trimestres de croissance record.",
        "Le gouvernement français a annoncé qu'il examinerait la manière dont l'application protège les données des utilisateurs.",
        "Plusieurs chercheurs ont salué la publication du modèle tout en s'interrogeant sur les données utilisées.",
        "À la bourse de Paris, les valeurs technologiques ont perdu {n} points avant de se reprendre en fin de séance.",
    ],
    "de": [
        "Die Aktien von {c} fielen am {d} um {n} Prozent, weil Anleger an den hohen Investitionen zweifelten.",
        "Nach Angaben von Analysten hat das chinesische Start-up sein Modell für einen Bruchteil der üblichen Kosten trainiert.",
        "{p} hält die Reaktion der Märkte für übertrieben, nachdem die Branche {n} Rekordquartale hinter sich hat.",
        "Die Bundesregierung will prüfen, wie die Anwendung mit den persönlichen Daten der Nutzer umgeht.",
        "Mehrere Forscher begrüßten die Veröffentlichung des Modells, fragten aber nach den verwendeten Trainingsdaten.",
        "An der Frankfurter Börse verloren Technologiewerte zeitweise {n} Punkte, bevor sie sich wieder erholten.",
    ],
    "es": [
        "Las acciones de {c} cayeron un {n} por ciento el {d} ante las dudas sobre un modelo chino mucho más barato.",
        "Según los analistas, la empresa emergente china entrenó su modelo por una fracción del coste habitual.",
        "{p} considera que la reacción de los mercados es exagerada tras {n} trimestres de crecimiento récord.",
        "El gobierno español anunció que examinará cómo la aplicación protege los datos personales de los usuarios.",
        "Varios investigadores celebraron la publicación del modelo, aunque preguntaron qué datos se utilizaron.",
        "En la bolsa de Madrid, los valores tecnológicos perdieron {n} puntos antes de recuperarse al final de la sesión.",
    ],
    "it": [
        "Le azioni di {c} sono scese del {n} per cento {d}, mentre gli investitori valutavano un modello cinese più economico.",
        "Secondo gli analisti, la giovane azienda cinese ha addestrato il suo modello spendendo una frazione dei costi abituali.",
        "{p} ritiene che la reazione dei mercati sia esagerata dopo {n} trimestri di crescita record.",
        "Il garante italiano per la privacy ha chiesto alla società come vengono conservati i dati personali degli utenti.",
        "Diversi ricercatori hanno accolto con favore la pubblicazione del modello, chiedendo però quali dati siano stati usati.",
        "Alla borsa di Milano i titoli tecnologici hanno perso {n} punti prima di recuperare a fine seduta.",
    ],
}
# Every story opens with a lead full of particulars, so that no two generated stories coincide by chance.
LEADS = {
    "en": "{p} reports from {city} that {c} lost {n} billion dollars in market value on {d}, the steepest fall among chipmakers.",
    "fr": "{p} rapporte depuis {city} que {c} a perdu {n} milliards de dollars en bourse {d}, la pire chute du secteur.",
    "de": "{p} berichtet aus {city}, dass {c} am {d} {n} Milliarden Dollar an Börsenwert verloren hat, mehr als jeder Konkurrent.",
    "es": "{p} informa desde {city} que {c} perdió {n} mil millones de dólares en bolsa el {d}, la mayor caída del sector.",
    "it": "{p} riferisce da {city} che {c} ha perso {n} miliardi di dollari in borsa {d}, il calo più forte del settore.",
}
HEADLINES = {
    "en": ["{c} shares slide as Chinese AI model rattles investors", "Why a cheap chatbot from Hangzhou spooked {city}",
           "Export rules under scrutiny after Chinese AI breakthrough", "{p}: the lesson of the DeepSeek selloff",
           "Chip stocks lose {n} per cent in a day", "Regulators in {city} question chatbot data practices"],
    "fr": ["Les actions de {c} reculent face à l'IA chinoise", "Un modèle chinois bon marché inquiète les marchés"],
    "de": ["{c}-Aktie bricht nach chinesischem KI-Modell ein", "Günstiges chinesisches KI-Modell verunsichert Anleger"],
    "es": ["Las acciones de {c} caen por la inteligencia artificial china", "Un modelo chino barato inquieta a los mercados"],
    "it": ["Le azioni di {c} scendono per l'intelligenza artificiale cinese", "Un modello cinese economico agita i mercati"],
}
COLUMNS = ["source", "author", "title", "description", "url", "urlToImage", "publishedAt", "content"]


@dataclass
class Export:
    """The generated rows and what the pipeline should make of them."""

    rows: list[dict] = field(default_factory=list)
    empty: set[int] = field(default_factory=set)  # 1-based row numbers with no usable text
    language: dict[int, str] = field(default_factory=dict)  # row -> language of the text
    repeats: list[list[int]] = field(default_factory=list)  # rows of one story, earliest first
    sources: set[str] = field(default_factory=set)


def _fill(template: str, rng: random.Random) -> str:
    return template.format(c=rng.choice(COMPANIES), n=rng.randint(2, 97), d=rng.choice(DAYS), p=rng.choice(PEOPLE),
                           city=rng.choice(CITIES))


def _html(text: str, rng: random.Random) -> str:
    """Wrap a field in the HTML fragments and entities that news APIs pass through."""
    choice = rng.randrange(4)
    if choice == 0:
        return f"<p>{text.replace('&', '&amp;')}</p>"
    if choice == 1:
        first, _, rest = text.partition(" ")
        return f"<b>{first}</b> {rest.replace(chr(39), '&#39;')}"
    if choice == 2:
        return f'{text[:-1]} <a href="https://example.org/more">(more)</a>.'
    return "<ul><li>" + "</li><li>".join(s.strip() + "." for s in text.split(".") if s.strip()) + "</li></ul>"


def generated_export(*, seed: int = SEED, stories: int = 330) -> Export:
    """Return a news-API style export with every problem the acceptance names, and the expected outcome."""
    rng = random.Random(seed)
    outlets = [f"The {city} {title}" for city in CITIES for title in TITLES]
    rng.shuffle(outlets)
    outlets = outlets[:175]
    export = Export()
    languages = ["en"] * 250 + ["fr"] * 20 + ["de"] * 20 + ["es"] * 20 + ["it"] * 20
    for index in range(stories):
        language = languages[index % len(languages)]
        outlet = outlets[index % len(outlets)]
        sentences = [LEADS[language]] + rng.sample(SENTENCES[language], 3)
        body = " ".join(_fill(s, rng) for s in sentences)
        description = _fill(sentences[0], rng) if rng.random() < 0.5 else body.split(". ")[0] + "."
        day = pd.Timestamp("2025-01-27") + pd.Timedelta(days=rng.randrange(10))
        row = {
            # CSV exports of news APIs hold the source object as text; JSONL keeps it an object
            "source": {"id": None, "name": outlet.lower() if index % 37 == 0 else outlet},
            "author": rng.choice(PEOPLE + [None, "Unknown"]),
            "title": _fill(rng.choice(HEADLINES[language]), rng),
            "description": description,
            "url": f"https://news.example/{index}",
            "urlToImage": None,
            "publishedAt": (day + pd.Timedelta(hours=rng.randrange(24))).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "content": body[:200] + f"… [+{rng.randint(900, 6000)} chars]" if len(body) > 200 else body,
        }
        if index % 9 == 0:
            row["description"] = _html(row["description"], rng)
        if index % 11 == 0:
            row["content"] = _html(body[:180], rng) + f"… [+{rng.randint(900, 6000)} chars]"
        if index % 13 == 0:
            row["title"] = row["title"].replace(" ", " &amp; ", 1) if "&" not in row["title"] else row["title"]
        export.rows.append(row)
        export.language[len(export.rows)] = language
        export.sources.add(outlet)
        if index % 8 == 0:  # the same story again, one to three days later, as news APIs return it
            group = [len(export.rows)]
            for later in range(1 + index % 2):
                again = dict(row, publishedAt=(day + pd.Timedelta(days=later + 1, hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                             content=re.sub(r"\[\+\d+ chars\]", f"[+{rng.randint(900, 6000)} chars]", row["content"]))
                if later == 1:  # a re-run with a corrected headline
                    again["title"] = row["title"] + " (updated)"
                export.rows.append(again)
                export.language[len(export.rows)] = language
                group.append(len(export.rows))
            export.repeats.append(group)
    for position in sorted(rng.sample(range(len(export.rows)), 18), reverse=True):
        kind = position % 3
        empty = {"source": {"id": None, "name": rng.choice(outlets)}, "author": None, "url": f"https://news.example/e{position}",
                 "urlToImage": None, "publishedAt": "2025-01-30T00:00:00Z"}
        if kind == 0:
            empty |= {"title": "[Removed]", "description": "[Removed]", "content": "[Removed]"}
        elif kind == 1:
            empty |= {"title": "Headline with nothing under it", "description": None, "content": ""}
        else:
            empty |= {"title": None, "description": "<p> </p>", "content": None}
        export.rows.insert(position, empty)
        # keep the bookkeeping in step with the inserted row
        export.language = {(r + 1 if r > position else r): lang for r, lang in export.language.items()}
        export.repeats = [[r + 1 if r > position else r for r in group] for group in export.repeats]
        export.empty = {r + 1 if r > position else r for r in export.empty} | {position + 1}
    return export


def write_jsonl(export: Export, path: Path) -> None:
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in export.rows) + "\n", encoding="utf-8")


def write_csv(export: Export, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in export.rows:
            # as pandas writes a news-API frame: the source object as its repr
            writer.writerow({k: ("" if row.get(k) is None else str(row[k])) for k in COLUMNS})


@pytest.fixture(scope="module")
def export() -> Export:
    return generated_export()


@pytest.fixture(scope="module")
def export_run(export, tmp_path_factory) -> Paths:
    """The export ingested, tagged and reported by the pipeline, as `make report` runs it."""
    work = tmp_path_factory.mktemp("newsapi")
    raw = work / "raw"
    raw.mkdir()
    write_jsonl(export, raw / "everything-deepseek.jsonl")
    paths = Paths.from_env(raw=str(raw), processed=str(work / "processed"), reports=str(work / "reports"),
                           codebook=str(PROJECT_ROOT / "codebooks" / "deepseek.yaml"))
    pipeline.run_ingest(paths, progress=False)
    pipeline.run_tag(paths)
    return paths


def _by_row(articles: pd.DataFrame) -> pd.DataFrame:
    return articles.assign(row=articles["source_path"].str.extract(r"#row-(\d+)$")[0].astype(int)).set_index("row")


def test_the_generated_export_has_what_the_acceptance_names(export):
    assert 300 <= len(export.rows) <= 600
    assert len(export.sources) > 150
    assert len(export.empty) == 18 and len(export.repeats) >= 30
    assert set(export.language.values()) == {"en", "fr", "de", "es", "it"}
    assert sum("chars]" in (row.get("content") or "") for row in export.rows) > 200
    assert sum("<" in (row.get("content") or "") + (row.get("description") or "") for row in export.rows) > 20


def test_every_row_is_an_article_or_reported(export, export_run):
    articles = _by_row(pd.read_parquet(export_run.articles))
    report = pd.read_csv(export_run.ingest_report)
    skipped = report[(report["action"] == "skipped") & report["row"].notna()]
    assert set(skipped["row"].astype(int)) == export.empty
    assert set(skipped["reason"].str.split(":").str[0]) == {"no usable text"}
    assert set(articles.index) == set(range(1, len(export.rows) + 1)) - export.empty
    kinds = set(report["reason"].str.split(":").str[0])
    assert {"content cut by the export", "HTML markup removed", "duplicate copy"} <= kinds


def test_repeats_of_a_story_on_later_days_are_linked_to_the_first(export, export_run):
    articles = _by_row(pd.read_parquet(export_run.articles))
    for first, *later in export.repeats:
        assert pd.isna(articles.at[first, "duplicate_of"]), first
        for row in later:
            assert articles.at[row, "duplicate_of"] == articles.at[first, "article_id"], (first, row)
    copies = {row for _, *later in export.repeats for row in later}
    assert set(articles.index[articles["duplicate_of"].notna()]) == copies


def test_paragraphs_hold_no_cut_markers_tags_or_entities(export_run):
    texts = pd.read_parquet(export_run.paragraphs)["text"]
    assert not texts.str.contains(r"\[\+\s*\d[\d,]*\s*chars?\]", regex=True).any()
    assert not texts.str.contains(r"</?[A-Za-z][^>]*>", regex=True).any()
    assert not texts.str.contains(r"&(?:amp|lt|gt|quot|#\d+);", regex=True).any()
    assert not texts.isin(["[Removed]"]).any()


def test_every_article_has_its_language(export, export_run):
    articles = _by_row(pd.read_parquet(export_run.articles))
    expected = pd.Series(export.language).reindex(articles.index)
    assert (articles["language"] == expected).all(), articles.loc[articles["language"] != expected, ["language", "title"]]


def test_outlets_have_one_spelling_each(export, export_run):
    outlets = set(pd.read_parquet(export_run.articles)["outlet"])
    assert len(outlets) > 150
    assert len({o.casefold() for o in outlets}) == len(outlets)
    assert {o.casefold() for o in outlets} <= {s.casefold() for s in export.sources}
    assert all(o != o.lower() for o in outlets)  # "the leeds herald" merged into "The Leeds Herald"


def test_the_same_export_as_csv_gives_the_same_articles(export, export_run, tmp_path):
    write_csv(export, tmp_path / "everything-deepseek.csv")
    from analysis.ingest import corpus

    from_csv = corpus(tmp_path, progress=False)
    jsonl = pd.read_parquet(export_run.articles)
    assert len(from_csv.articles) == len(jsonl)
    assert sorted(from_csv.paragraphs["text"]) == sorted(pd.read_parquet(export_run.paragraphs)["text"])
    assert from_csv.articles["duplicate_of"].notna().sum() == jsonl["duplicate_of"].notna().sum()


def test_the_corpus_report_shows_the_counts_and_what_statistics_leave_out(export, export_run):
    # the corpus page of `make report` (the other pages are built on the bundled corpus in test_notebooks)
    (result,) = reporting.build(export_run, workers=1, job_list=[j for j in reporting.jobs() if j.notebook == "01_corpus.ipynb"])
    assert result["ok"], result["error"]
    page = (export_run.reports / "01_corpus.html").read_text(encoding="utf-8")
    articles = pd.read_parquet(export_run.articles)
    assert f"articles        {len(articles)} from {articles['outlet'].nunique()} outlets" in page
    assert f"{len(export.empty)}  skipped: no usable text" in page
    assert "languages       en " in page
    languages = pd.read_csv(export_run.tables / "corpus_languages.csv")
    assert dict(zip(languages["language"], languages["articles"])) == articles["language"].value_counts().to_dict()
    copies = int(articles["duplicate_of"].notna().sum())
    other = int(((articles["language"] != "en") & articles["duplicate_of"].isna()).sum())
    assert f"Statistics leave out {copies + other} article(s): {copies} duplicate copies, {other} not in the codebook" in page
