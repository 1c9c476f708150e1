"""Fast text primitives of stance scoring equal NLTK's own: Punkt sentence spans, VADER scores, and the needle prefilter."""

from __future__ import annotations

import random

import pytest
from nltk.sentiment.vader import SentimentIntensityAnalyzer
from nltk.tokenize.punkt import PunktSentenceTokenizer

from analysis import codebook
from analysis.paths import DEFAULT_CODEBOOK
from analysis.sentiment import _IDIOM_WORDS, VADER_LEXICON, PackagedVader, vader
from analysis.stance import LexiconStance, _alternation
from analysis.stance_text import Needles, _breaks, _sentbreak, sentence_spans, sentences

BOOK = codebook.load(DEFAULT_CODEBOOK)
PIECES = ["J.", "S.", "Bach", "1720.", "U.S.", "Mr.", "e.g.", "...", "..", ". . .", "?!", "!!", "“We", "said.”", "(Ban.)", ")", "”",
          "’", "'", "\"", "--", "-", "a.", "A.", "1.", "2.5", "—", "\n", "\n\n", "it.", "It", "?", "!", ".", ",", ";", ":", "x", "No.",
          "“", "[1]", "\t", "\xa0", "Σ.", "İ.", "v.", "-1.", ",5.", "1,000.", "é.", "É", "ß.", "said", "said.", "fell!", "Why?", "The",
          "ok", "OK."]


class NltkVader(PackagedVader):
    polarity_scores = SentimentIntensityAnalyzer.polarity_scores  # NLTK's own code, NLTK's own word splitter


@pytest.fixture(scope="module")
def corpus_texts(shared_corpus) -> list[str]:
    from analysis import ingest

    return ingest.corpus(shared_corpus, progress=False).paragraphs["text"].tolist()


def _generated(pieces: list[str], count: int, *, most: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) + rng.choice(["", " ", " ", "  ", "\n"]) for _ in range(rng.randint(1, most))) for _ in range(count)]


def test_sentence_breaks_equal_punkts_decisions():
    plain = PunktSentenceTokenizer()
    contexts = _generated(PIECES, 20_000, most=4, seed=3) + ["said. The", "fell!  Markets", "ok? “No", "OK. ...", "said.\nThe"]
    expected = [plain.text_contains_sentbreak(c) for c in contexts]
    assert [_sentbreak.__wrapped__(c) for c in contexts] == expected
    assert [_breaks(c) for c in contexts] == expected


def test_the_quick_break_rule_equals_punkts_decisions():
    plain, rng = PunktSentenceTokenizer(), random.Random(5)
    chars = list("abcXYZ019.,;:!?-'\"()[]{}*@#&%“”‘’—…«»\xa0\té") + [" ", "  "]
    contexts = ["".join(rng.choice("abcdefXYZ") for _ in range(rng.randint(1, 5))) + rng.choice(".?!") + " " * rng.randint(0, 3)
                + "".join(rng.choice(chars) for _ in range(rng.randint(0, 6))) for _ in range(20_000)]
    assert [_breaks(c) for c in contexts] == [plain.text_contains_sentbreak(c) for c in contexts]


def test_sentence_spans_equal_punkts_on_generated_text():
    plain = PunktSentenceTokenizer()
    texts = _generated(PIECES, 5_000, most=14, seed=7) + ["", " ", "Mr. Smith went to Washington. He said so.", "(Sent1.) Sent2."]
    assert [sentence_spans(t) for t in texts] == [list(plain.span_tokenize(t)) for t in texts]


def test_sentence_spans_equal_punkts_on_the_shared_corpus(corpus_texts):
    plain = PunktSentenceTokenizer()
    assert [sentence_spans(t) for t in corpus_texts] == [list(plain.span_tokenize(t)) for t in corpus_texts]
    assert [sentences(t) for t in corpus_texts] == [[s for s in plain.tokenize(t) if s.strip()] for t in corpus_texts]


def _vader_cases(seed: int) -> list[str]:
    rng = random.Random(seed)
    lexicon = vader().lexicon
    words = list(lexicon)[:3000:7] + list(vader().constants.BOOSTER_DICT) + sorted(vader().constants.NEGATE) + sorted(_IDIOM_WORDS) + [
        "but", "BUT", "never", "Never", "so", "this", "least", "at", "very", "kind", "of", "GOOD", "BAD", ":)", "U.S.", "can't", "x-y", "a"]
    before = ["", "", "", "'", "\"", ",", "(", "--", "...", ":", "“"]
    after = ["", "", "!", "?", ",", ".", "!!", "??", "???", ".'", ")", "”", ":-)"]
    cases = [" ".join(rng.choice(before) + rng.choice(words) + rng.choice(after) for _ in range(rng.randint(0, 16))) for _ in range(6_000)]
    idioms = sorted(_IDIOM_WORDS) + ["good", "bad", "GOOD", "never", "so", "not", "very", "least", "at", "but", "horrible", "love"]
    return cases + [" ".join(rng.choice(idioms) for _ in range(rng.randint(1, 9))) for _ in range(6_000)]


def test_fast_compound_equals_nltks_on_generated_sentences():
    reference = NltkVader(VADER_LEXICON.read_text(encoding="utf-8"))
    cases = _vader_cases(11)
    assert sum(reference.polarity_scores(s)["compound"] != 0 for s in cases) > len(cases) // 2  # the rules are exercised
    assert [vader().compound(s) for s in cases] == [reference.polarity_scores(s)["compound"] for s in cases]
    assert [vader().polarity_scores(s) for s in cases[:2000]] == [reference.polarity_scores(s) for s in cases[:2000]]


def test_fast_compound_equals_nltks_on_the_shared_corpus(corpus_texts):
    reference = NltkVader(VADER_LEXICON.read_text(encoding="utf-8"))
    cases = [s for t in corpus_texts for s in sentences(t)] + corpus_texts
    assert [vader().compound(s) for s in cases] == [reference.polarity_scores(s)["compound"] for s in cases]


TRICKY = ["DeepSeek said so. The company’s model, R1, is impressive.", "ΣΟΦΙΑ said DeepSeek is great. ΟΔΟΣ.",
          "The \u212aelvin DEEPSEEK app. Another.", "The ſtartup (deepſeek) rose. It fell.", "İstanbul praised the firm. It was proud.",
          "Open source, open-source and opensource models. The start  up!", "No alias here. None at all."]


@pytest.mark.parametrize("target", [t.id for t in BOOK.stance])
def test_needles_never_miss_a_sentence_a_pattern_matches(target, shared_corpus):
    from analysis import ingest

    model = LexiconStance(BOOK.target(target)).fit()
    texts = TRICKY + ingest.corpus(shared_corpus, progress=False).paragraphs["text"].tolist()
    for text in texts:
        spans = [(a, b) for a, b in sentence_spans(text) if text[a:b].strip()]
        may = model.needles_.within(model.needles_.hits(text), spans)
        for (a, b), names in zip(spans, may):
            for name in ("aliases_", "positive_", "negative_"):
                if getattr(model, name).search(text[a:b]):
                    assert name in names, (name, text[a:b])


def test_needles_pick_a_searchable_piece_of_each_word():
    needles = Needles({"x": ("the app", "start-up", "Ünïcode")})
    assert "x" in needles.anywhere  # "Ünïcode" has no ASCII piece to look for
    plain = Needles({"x": ("the app", "start-up")})
    hits = plain.hits("An App. A START UP. The end.")
    assert plain.within(hits, [(0, 7), (8, 19), (20, 28)]) == [{"x"}, {"x"}, set()]
    assert _alternation(("start-up",)).search("START UP")


def test_factored_alternations_match_as_the_plain_ones():
    import random
    import re

    from analysis.stance_text import factored

    words = ["DeepSeek", "DeepSeek-R1", "DeepSeek-V3", "Deep Seek", "Deep-Seek", "the startup", "the start-up", "the firm",
             "its model", "its models", "R1", "ab", "abc", "a b", "a-b", "a  b", "-a", "ab-", "x.y", "U.S.", "it's", "a\tb", "ſa"]
    rng = random.Random(0)
    for _ in range(5):
        chosen = rng.sample(words, 12)
        parts = sorted({re.escape(w).replace(r"\-", "[-\\s]?").replace(r"\ ", r"\s+") for w in chosen}, key=len, reverse=True)
        plain = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
        fast = re.compile(r"(?<!\w)(?:" + factored(parts) + r")(?!\w)", re.IGNORECASE)
        pieces = chosen + ["the", "-", " ", "  ", "\t", "K", "İ", "ſ", ".", "x", "DEEP", "seek", "s", "1"]
        for _ in range(2000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
            assert [m.span() for m in plain.finditer(text)] == [m.span() for m in fast.finditer(text)], (text, parts)
