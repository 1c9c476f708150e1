"""Text is never markup: article text, titles, outlet names and codebook descriptions holding HTML
are shown as text in every report page, never executed."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis import pipeline, reporting
from analysis.paths import PROJECT_ROOT, Paths

SCRIPT = "<script>alert('pwned')</script>"
IMG = '<img src=x onerror="alert(1)">'


class _LiveMarkup(HTMLParser):
    """Collects script elements, event-handler attributes and non-embedded images."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append("script element")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"{tag} {name}={value}")
            if tag == "img" and name == "src" and not (value or "").startswith("data:"):
                self.found.append(f"img src={value}")
            if name == "href" and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript link in {tag}")


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    raw = work / "raw"
    raw.mkdir()
    body = (f"DeepSeek is a Sputnik moment {SCRIPT} for Silicon Valley, a wake-up call.\n\n"
            f"Nvidia shares plunged on Wall Street {IMG} as investors fled, wiping $600bn off its market value.\n\n"
            "US export controls on Nvidia chips proved futile, analysts said.\n")
    (raw / "evil.txt").write_text(f"A headline {IMG} about DeepSeek\n\n" + body, encoding="utf-8")
    (raw / "plain.txt").write_text("DeepSeek rocks the US tech industry\n\n" + body.replace(SCRIPT, "").replace(IMG, ""), encoding="utf-8")
    (raw / "manifest.csv").write_text(
        "filename,outlet,title,url\n"
        f"evil.txt,\"<b onmouseover=alert(2)>Evil $News$</b>\",\"{IMG.replace(chr(34), chr(34) * 2)}\",javascript:alert(3)\n"
        "plain.txt,Plain Times,Plain title,https://example.org/a\n", encoding="utf-8")
    codebook = work / "codebook.yaml"
    text = (PROJECT_ROOT / "codebooks" / "deepseek.yaml").read_text(encoding="utf-8")
    codebook.write_text(text.replace("  - id: market_shock\n    label: Market shock\n",
                                     f"  - id: market_shock\n    label: \"Market shock {SCRIPT}\"\n", 1), encoding="utf-8")
    paths = Paths.from_env(raw=str(raw), processed=str(work / "processed"), reports=str(work / "reports"), codebook=str(codebook))
    pipeline.run_ingest(paths, progress=False)
    pipeline.run_tag(paths)
    results = reporting.build(paths, workers=2)
    return paths, results


def test_hostile_input_reports_build(hostile_report):
    _, results = hostile_report
    assert [r["error"] for r in results if not r["ok"]] == []


def test_no_page_contains_live_markup_from_the_data(hostile_report):
    paths, _ = hostile_report
    pages = sorted(Path(paths.reports).glob("*.html"))
    assert len(pages) >= 5
    shown = False
    for page in pages:
        html = page.read_text(encoding="utf-8")
        parser = _LiveMarkup()
        parser.feed(html)
        assert parser.found == [], f"{page.name}: {parser.found}"
        shown |= "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in html or "&lt;script&gt;alert('pwned')&lt;/script&gt;" in html
    assert shown, "the hostile text should be visible as text somewhere"
