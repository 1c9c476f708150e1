"""Property tests: whatever text, encoding and manifest rows arrive, ingest never crashes, accounts for
every input, and keeps only paragraphs that are really in the decoded input."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import ingest
from analysis.decode import decoded_text
from analysis.keys import normalized_text

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]
words = st.text(alphabet=string.ascii_letters + "éüñ’“”–—-,.;:!?'\" ", min_size=0, max_size=60)
lines = st.lists(st.one_of(words, st.sampled_from(["Advertisement", "Read More", "", "   ", "Share", "1", "By Jane Doe"])),
                 min_size=0, max_size=12)
texts = st.one_of(lines.map("\n".join), st.text(max_size=300))
articles = st.lists(st.tuples(texts, st.sampled_from(ENCODINGS), st.sampled_from(["\n", "\r\n", "\r"])), min_size=1, max_size=4)
rows = st.lists(st.tuples(st.sampled_from(["a0.txt", "a1.txt", "A0.TXT", "missing.txt", "", "a1"]), words,
                          st.sampled_from(["2025-01-27", "2025-13-45", "27/01/2025", "", "yesterday", "Jan 5, 2025"])), max_size=5)


def _encodable(text: str, encoding: str) -> bytes | None:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=articles, manifest=rows, binary=st.booleans())
def test_ingest_accounts_for_every_input_and_keeps_only_real_text(articles, manifest, binary):
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder)
        written: dict[str, bytes] = {}
        for number, (text, encoding, newline) in enumerate(articles):
            data = _encodable(text.replace("\n", newline), encoding)
            if data is None:
                data = text.replace("\n", newline).encode("utf-8")
            written[f"a{number}.txt"] = data
        if binary:
            written["blob.txt"] = bytes(range(256)) * 4
        for name, data in written.items():
            (raw / name).write_bytes(data)
        if manifest:
            lines = ["filename,outlet,date"] + [f"{n},\"{o.replace(chr(34), '')}\",{d}" for n, o, d in manifest]
            (raw / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

        corpus = ingest.corpus(raw, progress=False)

        kept = set(corpus.articles["source_path"])
        skipped = set(corpus.report.loc[corpus.report["action"] == "skipped", "source_path"]) - {"manifest.csv"}
        assert kept | skipped == set(written), "every input file is an article or a skipped row of the report"
        assert not kept & skipped
        if binary:
            assert "blob.txt" in skipped
        for source, group in corpus.paragraphs.merge(corpus.articles[["article_id", "source_path"]]).groupby("source_path"):
            whole = normalized_text(decoded_text(written[source]).text)
            for paragraph in group["text"]:
                assert paragraph and paragraph in whole
        assert corpus.paragraphs["paragraph_id"].is_unique
        assert corpus.articles["date"].isna().all() or (corpus.articles["date"].dropna().dt.year.between(1900, 2100)).all()
