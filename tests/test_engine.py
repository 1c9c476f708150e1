"""analysis/engine*.py: the batch matcher equals the per-paragraph matcher; chunks, processes and Dask change nothing."""

from __future__ import annotations

import ahocorasick_rs
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import codebook, engine, engine_frames, engine_loops, engine_search, engine_text, tag
from analysis.codebook import parse
from analysis.engine_frames import BatchMatcher
from analysis.engine_loops import START_MARK
from analysis.engine_search import KeySearch
from analysis.engine_regex import alternatives, plan
from analysis.lexicon import Matcher
from analysis.paths import DEFAULT_CODEBOOK
from analysis.tag import LexiconTagger

BOOK = codebook.load(DEFAULT_CODEBOOK)


@pytest.fixture(autouse=True)
def batch_engine_for_any_size(monkeypatch):
    """Every test here runs the batch engine, even on a few paragraphs (`predict` would match them one by one)."""
    monkeypatch.setattr(tag, "BATCH_FROM", 0)


# every rule type, nested and overlapping patterns, exclusions, negation, near, regexes of several shapes
ADVERSARIAL_RULES = {
    "negation": {"cues": ["not", "no", "never", "n't", "without"], "window": 3},
    "frames": [
        {"id": "a", "label": "A", "description": "d", "threshold": 1.5,
         "patterns": ["new york", "new york times", "york", {"glob": "ban*"}, {"phrase": "ban", "weight": 0.5},
                      {"phrase": "export control", "inflect": True}, {"phrase": "effective", "negatable": True},
                      {"phrase": "open-source"}, "u.s.", {"regex": r"\bH(100|800)s?\b"}, {"regex": r"\$\s?\d+(\.\d+)?\s?(m|bn)\b"},
                      {"regex": r"\b(an?|the)\s+upset\b"}, {"regex": r"\d+%"}, {"regex": r"\blead\b(?!\s+to\b)"},
                      {"near": [["chips", "gpu*"], ["ban*", "restrict*"]], "within": 3},
                      {"phrase": "cafe", "weight": 2}],
         "exclude": ["OpenAI", {"regex": "open ?ai"}]},
        {"id": "b", "label": "B", "description": "d", "threshold": 0.25,
         "patterns": [{"phrase": "source", "weight": 0.25}, {"glob": "restrict*"}, "China’s rise", {"phrase": "wake-up call"},
                      {"near": [["deepseek"], ["cheap*"]], "within": 2}, {"regex": r"(?i)\bcheap(er)?\b"},
                      {"regex": r"\b(US|U\.S\.|America|American|Americans|the West|People.s Republic|Xi)\b", "weight": 0.5},
                      {"regex": r"(a|the) (US|rival)s??"}]},
    ],
}
# ASCII keys: the batch engine's own path
ADVERSARIAL = parse(ADVERSARIAL_RULES, source="adversarial.yaml")
# a non-ASCII phrase: the batch engine hands every paragraph to the per-paragraph matcher
NON_ASCII = parse(ADVERSARIAL_RULES | {"frames": [
    ADVERSARIAL_RULES["frames"][0] | {"patterns": ADVERSARIAL_RULES["frames"][0]["patterns"] + [{"phrase": "café", "weight": 2}]},
    ADVERSARIAL_RULES["frames"][1]]}, source="non-ascii.yaml")

# regexes the Hyperscan prefilter screens (`\s` and `\d` beyond ASCII, a non-ASCII literal), and one it must not; ASCII keys
SCREENED = parse({
    "frames": [{"id": "c", "label": "C", "description": "d", "patterns": [
        {"regex": r"\bchips\s+ban\b"}, {"regex": r"\d+\s?bn\b"}, {"regex": r"caf[eé]\s+bans?"},
        {"regex": r"(?-i:DeepSeek)\s+\w+"}, {"regex": r"x*\bban(?=\W)"}, {"regex": r"\b(an?|the)\s+upset\b"}, {"regex": r"\d+%"}, {"regex": r"caf\é\s+bans?"}, "ban"]}],
}, source="screened.yaml")

TEXTS = [
    "The New York Times reported a ban; bans, banned and banning. Ban*.",
    "Export controls, exported control, EXPORT-CONTROLS and export–controls.",
    "Controls aren’t effective; not very effective. Effective!",
    "OpenAI is open-source? Open AI and open source, opensource, Open–Source.",
    "U.S. chips ban: chips are subject to restrictions; GPUs restricted; chips ... and a ban far later on.",
    "H800s, h100 and H1000; $6m, $ 5.6bn, 5%, 12 % and a stunning upset, the upset.",
    "They lead to change; they lead. İstanbul bans DeepSeek’s cheap model; ΣΟΦΟΣ ban.",
    "A café ban; CAFÉ ban; cafe ban. ſtrict and ı and K (Kelvin) ban.",
    "China’s rise, China's rise — a wake–up call, a wakeup call, wake up call.",
    "DeepSeek is cheap. DeepSeek was cheaper than rivals, cheaply.",
    "",
    "ban",
    "\u00a0ban\u2009chips\u200bban 🙃 ban_chips chips2 ban-chips",
    "x" * 50 + " ban " + "y" * 50,
    "chips' ban; chips won't ban; chips o'clock it's a ban; 'chips' ' ban; GPUs’ restrictions; DeepSeek's rivals' cheap",
    "'ban chips",
    "a ban\x00 of chips; U.S.\x00 ban",
    "chips\u00a0ban, chips\u2003ban, ٣ bn, ٣\u00a0bn, 3\u202fbn, cafe\u00a0ban, DEEPSEEK is, DeepSeek\u00a0was",  # \s and \d beyond ASCII
    "Shares fell 5%5%",  # the evidence builder's own separator inside a text
    "U.S. and U.S.A, the US's Americans; America’s rivals, People’s Republic, People\ns Republic, AMERICANS, americanism, Xi.",
    "the West-ern, the rivals, a US, the USs and the United States; Americans in the U.S.",
    "United ſtates, the ſtates of America and Xi",  # "ſ" is "s" to the case-insensitive regex: the whole regex runs here
]


@pytest.fixture(scope="module")
def shared_texts(shared_paths) -> list[str]:
    """The paragraphs of the shared corpus (ingested once per session by conftest)."""
    return pd.read_parquet(shared_paths.paragraphs)["text"].tolist()


@pytest.mark.parametrize("book", [ADVERSARIAL, NON_ASCII, BOOK], ids=["adversarial-codebook", "non-ascii-codebook", "bundled-codebook"])
def test_batch_hits_equal_per_paragraph_hits_on_adversarial_texts(book):
    matcher = Matcher(book)
    assert BatchMatcher(matcher).hits(TEXTS) == [matcher._hits(t) for t in TEXTS]


@pytest.mark.parametrize("book", [ADVERSARIAL, NON_ASCII, BOOK], ids=["adversarial-codebook", "non-ascii-codebook", "bundled-codebook"])
def test_batch_frames_equal_per_paragraph_frames(book):
    paragraphs = pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(TEXTS))], "text": TEXTS})
    tagger = LexiconTagger(book).fit()
    pd.testing.assert_frame_equal(tagger.predict(paragraphs), tagger.predict_each(paragraphs))


def _overlapping_matches(keys: list[bytes], data: bytes) -> np.ndarray:
    """The oracle: every occurrence of every key, as `ahocorasick_rs` reports them (flat key, start, end)."""
    automaton = ahocorasick_rs.BytesAhoCorasick(keys)
    return np.array(automaton.find_matches_as_indexes(data, overlapping=True), dtype=np.int64).reshape(-1)


@pytest.mark.parametrize("book, automaton", [(ADVERSARIAL, True), (BOOK, False)], ids=["adversarial-codebook", "bundled-codebook"])
def test_the_key_search_finds_what_an_aho_corasick_library_finds_in_its_order(monkeypatch, book, automaton):
    keys = []
    monkeypatch.setattr(engine_frames, "KeySearch", lambda k: keys.extend(k) or KeySearch(k))
    batch = BatchMatcher(Matcher(book))
    data = batch._images(engine_text.code_points("\n".join(TEXTS * 3)))[2]
    assert any(key[0] & START_MARK for key in keys)  # the trie walks
    # the automaton too, for keys that may start inside a word; the bundled codebook has none (its regexes anchored
    # there are screened by Hyperscan and searched where it found them)
    assert any(not key[0] & START_MARK for key in keys) == automaton
    found = batch._search.matches(data)
    assert found.size > 3 * len(TEXTS)
    np.testing.assert_array_equal(found, _overlapping_matches(keys, data.tobytes()))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=4).map(lambda b: bytes(x & 0x83 for x in b)), min_size=1, max_size=12, unique=True),
       st.binary(max_size=60).map(lambda b: bytes(x & 0x83 for x in b)))
def test_the_key_search_finds_every_overlapping_occurrence_of_any_keys(keys, data):
    # few distinct bytes (0-3, with or without the start mark): keys overlap, nest and repeat in the text
    assert KeySearch(keys).matches(np.frombuffer(data, dtype=np.uint8).copy()).tolist() == _overlapping_matches(keys, data).tolist()


def test_the_key_search_grows_its_output_when_a_chunk_holds_more_matches_than_it_has_room_for():
    keys = [bytes([START_MARK | 1]), bytes([START_MARK | 1, 1]), bytes([1])]
    data = bytes([START_MARK | 1, 1] * 500)
    search = KeySearch(keys)
    assert search.matches(np.frombuffer(data, dtype=np.uint8).copy()).tolist() == _overlapping_matches(keys, data).tolist()


def test_a_near_term_listed_twice_on_one_side_gives_the_per_paragraph_hits():
    book = parse({"frames": [{"id": "a", "label": "A", "description": "d", "patterns": [
        {"near": [["chips", "gpu*", "chips"], ["ban*", "chips"]], "within": 3}, {"near": [["deepseek"], ["deepseek"]], "within": 9}]}]},
        source="twice.yaml")
    matcher = Matcher(book)
    assert BatchMatcher(matcher).hits(TEXTS) == [matcher._hits(t) for t in TEXTS]


_NEAR_BOOK = parse({"frames": [{"id": "a", "label": "A", "description": "d", "patterns": [
    {"near": [["chips", "gpu*", "us"], ["ban*", "china's", "us"]], "within": 2},
    {"near": [["china", "us"], ["chips"]], "within": 1}]}]}, source="near.yaml")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["chips", "GPUs", "ban", "bans", "China's", "china", "US", "us's", "x", "'s", "o'",
                                          " ", ", ", ". ", "'", "-"]), max_size=14).map("".join), min_size=1, max_size=5))
def test_near_rules_give_the_per_paragraph_hits_whatever_the_words_between(texts):
    # words glued by apostrophes and hyphens, terms on both sides, pairs at and past `within`, in any order
    matcher = Matcher(_NEAR_BOOK)
    assert BatchMatcher(matcher).hits(texts) == [matcher._hits(t) for t in texts]


def test_a_non_ascii_key_hands_paragraphs_to_the_per_paragraph_matcher():
    assert not BatchMatcher(Matcher(NON_ASCII)).exact and BatchMatcher(Matcher(ADVERSARIAL)).exact


@pytest.mark.parametrize("end_marks", [True, False], ids=["start-and-end-marks", "start-marks-only"])
def test_either_key_encoding_gives_the_per_paragraph_hits(monkeypatch, end_marks):
    if not end_marks:  # as for keys of more than 62 distinct characters
        monkeypatch.setattr(engine_frames, "_alphabet", lambda keys: None)
    matcher = Matcher(ADVERSARIAL)
    batch = BatchMatcher(matcher)
    assert (batch._alphabet is not None) == end_marks
    assert batch.hits(TEXTS) == [matcher._hits(t) for t in TEXTS]


def test_regex_of_literal_alternatives_lists_them_in_the_order_backtracking_tries_them():
    found = alternatives(r"\bH(100|800)s?\b")
    assert ["".join(s) for s in found.strings] == ["h100s", "h100", "h800s", "h800"] and found.lead and found.trail
    assert alternatives(r"a.c").strings == (("a", None, "c"),) and not alternatives(r"a.c").lead
    assert alternatives(r"ab??").strings == (("a",), ("a", "b"))
    assert alternatives(r"\b(an?|the)\s+upset\b") is None  # a repetition: not a list of strings
    assert alternatives(r"\bopen-source\b") is None  # "-" stands for any dash in the image: the regex must run
    assert set(BatchMatcher(Matcher(ADVERSARIAL)).alternatives) == {0, 5, 6, 7, 8}  # H100s, "open ?ai", cheaper, the lists


def test_the_warm_up_compiles_each_loop_for_the_types_the_chunks_pass():
    paragraphs = pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(TEXTS))], "text": TEXTS})
    for book in (ADVERSARIAL, BOOK):
        assert len(LexiconTagger(book).fit().predict(paragraphs))  # every loop runs, evidence included
    for name in ("non_ascii", "chunk_images", "expanded_matches", "near_rule_hits", "heaviest_kept", "alternative_hits",
                 "regex_conditions", "evidence_utf8", "utf8_code_points"):
        assert len(getattr(engine_loops, name).signatures) == 1, name  # a second one would compile in each worker's first chunk
    for name in ("trie_tables", "automaton_tables", "key_matches"):
        assert len(getattr(engine_search, name).signatures) == 1, name


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=("Cs",))), max_size=8), st.integers(0, 3),
       st.sampled_from([pa.string(), pa.large_string()]))
def test_a_chunk_read_from_arrow_equals_the_chunk_of_its_strings(texts, skip, kind):
    array = pa.array(["skipped"] * skip + texts, kind).slice(skip)  # a slice: its offsets do not start at 0
    chunk, expected = engine_text.ChunkText.of_arrow(array), engine_text.ChunkText.of_strings(texts)
    assert np.array_equal(chunk.codes, expected.codes) and chunk.codes.dtype == np.uint32
    assert np.array_equal(chunk.para_start, expected.para_start)
    assert list(chunk) == texts and chunk[-1:] == texts[-1:]


def test_a_chunk_read_from_arrow_makes_the_strings_of_the_paragraphs_asked_for_only():
    texts = ["first", "sécond", "", "fourth"]
    chunk = engine_text.ChunkText.of_arrow(pa.array(["skipped"] + texts).slice(1))
    assert chunk.strings_at({3, 1}) == {1: "sécond", 3: "fourth"} and chunk.strings_at(set()) == {}
    assert chunk._strings is None  # no string made for the others
    assert list(chunk) == texts and chunk.strings_at({0}) == texts  # all made: all given


def test_a_chunk_is_not_read_from_an_arrow_array_holding_nulls():
    with pytest.raises(ValueError, match="1 of 2 paragraph texts are null"):
        engine_text.ChunkText.of_arrow(pa.array(["text", None], pa.large_string()))


def test_keys_of_too_many_characters_for_six_bits_keep_start_marks_only():
    assert engine_frames._alphabet(["ban", "u.s.", "$5bn"]) is not None
    assert engine_frames._alphabet(["".join(map(chr, range(32, 127)))]) is None


def test_regexes_screened_by_hyperscan_give_the_per_paragraph_hits():
    matcher = Matcher(SCREENED)
    batch = BatchMatcher(matcher)
    regexes = [regex.pattern for _, _, regex in matcher._regexes]
    screened = {regexes[n] for n in batch._prefilter.numbers}
    assert batch.exact and r"\bchips\s+ban\b" in screened and r"caf[eé]\s+bans?" in screened
    assert r"(?-i:DeepSeek)\s+\w+" not in screened  # case matters inside: the lower-cased image cannot screen it
    assert r"caf\é\s+bans?" not in screened  # an escaped non-ASCII character has no byte of its own in the image
    assert batch.hits(TEXTS) == [matcher._hits(t) for t in TEXTS]
    assert BatchMatcher(Matcher(BOOK))._prefilter.numbers


def test_the_screen_makes_long_gaps_of_one_character_class_unbounded_only_where_the_parse_agrees():
    from analysis.engine_prefilter import _relaxed

    assert _relaxed(r"\bchina\b[^.]{0,100}\bban\b") == r"\bchina\b[^.]*\bban\b"
    assert _relaxed(r"(x|y[^.]{0,15}?)z") == r"(x|y[^.]*?)z"
    assert _relaxed(r"a[^.]{0,5}b") == r"a[^.]{0,5}b"  # a short gap: Hyperscan's repeat is cheap there
    assert _relaxed(r"\[^.]{0,50}") == r"\[^.]{0,50}"  # an escaped bracket: no class at all
    assert _relaxed(r"[^.]{0,50}x{0,20}") == r"[^.]{0,50}x{0,20}"  # the parse shows a gap the rewrite missed: kept whole


def test_a_regex_with_a_long_gap_screened_as_unbounded_gives_the_per_paragraph_hits():
    book = parse({"frames": [{"id": "c", "label": "C", "description": "d", "patterns": [
        {"regex": r"\b(china|chinese)\b[^.]{0,20}\bbans?\b"}, {"regex": r"\bchips\b[^,]{0,12}\bgpus?\b"}]}]},
        source="gaps.yaml")
    texts = ["China bans chips. China, after a very long pause of many words, bans. Chinese ban.",
             "chips and GPUs, chips then a long run of words and GPUs", "China. Ban.", "chinese " + "x" * 30 + " ban"]
    matcher = Matcher(book)
    batch = BatchMatcher(matcher)
    assert batch._prefilter.numbers == [0, 1]
    assert batch.hits(texts) == [matcher._hits(t) for t in texts]
    assert [len(hits) for hits in batch.hits(texts)] == [2, 1, 0, 0]


def test_screened_regexes_anchored_inside_words_are_searched_where_the_screen_found_them():
    book = parse({"frames": [{"id": "c", "label": "C", "description": "d", "patterns": [
        {"regex": r"\$\s?(5\.6|6)\s?(m\b|million)|(5\.6|six|6)\s?million (dollars|to train)"},
        {"regex": r"(billions|trillions?)\s+(\w+\s+){0,2}(in|of)\s+market value"}, {"regex": r"\bdiminishing returns?\b"}]}]},
        source="inside-words.yaml")
    texts = ["It cost $6m, or $ 5.6 million; US$6 million; 6 million to train; a6 million dollars; 56 million dollars.",
             "Nvidia lost billions of dollars in market value; multibillions in market value; trillion of market value.",
             "Diminishing returns, diminishing return, undiminishing returns.", "$6", "six million dollars"]
    matcher = Matcher(book)
    batch = BatchMatcher(matcher)
    assert batch._prefilter.numbers == [0, 1]
    assert [regex_plan.anchors for regex_plan in batch._plans[:2]] == [None, None]  # no scan of every byte for them
    assert batch._plans[2].required is None  # its anchors are its required literals, and the stronger condition
    assert batch.hits(texts) == [matcher._hits(t) for t in texts]
    assert [len(hits) for hits in batch.hits(texts)] == [6, 3, 2, 0, 1]


def test_building_the_batch_matcher_parses_each_regex_once(monkeypatch):
    from collections import Counter

    from analysis import engine_regex

    calls = Counter()
    parse_regex = engine_regex._sre.parse
    monkeypatch.setattr(engine_regex._sre, "parse", lambda pattern, flags=0: calls.update([pattern]) or parse_regex(pattern, flags))
    matcher = Matcher(SCREENED)  # (`re.compile` parses each regex too)
    engine_regex.parsed.cache_clear()
    calls.clear()
    BatchMatcher(matcher)
    patterns = {regex.pattern for _, _, regex in matcher._regexes}
    assert patterns <= set(calls)
    assert max(calls[pattern] for pattern in patterns) == 1


def test_a_regex_hyperscan_cannot_compile_leaves_the_others_screened():
    book = parse({"frames": [{"id": "c", "label": "C", "description": "d", "patterns": [
        {"regex": r"\bchips\s+ban\b"}, {"regex": r"\bban\N{LATIN SMALL LETTER S}?\s+\w+"}, {"regex": r"\d+\s?bn\b"}]}]},
        source="named-character.yaml")
    matcher = Matcher(book)
    batch = BatchMatcher(matcher)
    assert batch._prefilter.numbers == [0, 2]  # Hyperscan knows no named characters: that regex runs unscreened
    assert batch.hits(TEXTS) == [matcher._hits(t) for t in TEXTS]


class _CountedRegex:
    """A compiled regex that counts the searches made with it (the batch engine's uses of `re.Pattern`)."""

    def __init__(self, regex):
        self.regex, self.pattern, self.flags, self.searches = regex, regex.pattern, regex.flags, 0

    def __getattr__(self, name):  # finditer, search, match
        self.searches += 1
        return getattr(self.regex, name)


class _RecordedRegex(_CountedRegex):
    """A compiled regex that records where each of its searches begins, and where each match is tried."""

    def __init__(self, regex):
        super().__init__(regex)
        self.begins: list[tuple[str, int]] = []

    def search(self, text, position=0):
        self.begins.append(("search", position))
        return self.regex.search(text, position)

    def match(self, text, position=0):
        self.begins.append(("match", position))
        return self.regex.match(text, position)


def test_a_screened_regex_without_anchors_is_searched_from_where_the_screen_saw_a_match_start():
    book = parse({"frames": [{"id": "c", "label": "C", "description": "d", "patterns": [
        {"regex": r"\d+(\.\d+)?\s?%"}, {"regex": r"\b(a|one)[\s-](half|third)\s+of\s+(\w+\s+){0,2}(cost|price)"},
        {"regex": r"\bchips?\s+bans?\b"}]}]}, source="starts.yaml")
    texts = ["Shares in chip makers fell by 17% on Monday and 3.5 % on Tuesday; 2024 ended.",
             "A third of the cost, one half of the chip price: 12 and 40 percent", "no figures at all", "9%", "1,5 %"]
    matcher = Matcher(book)
    batch = BatchMatcher(matcher)
    assert batch._prefilter.numbers == [0, 1, 2]
    # the second repeats a group of words (its starts would cost Hyperscan more); the third starts a word at its anchors
    assert batch._prefilter.starting == {0}
    assert batch._plans[1].anchors == {"a", "one"}  # short, but tried only where the screen found the regex
    batch.matcher._regexes = [(frame, index, _RecordedRegex(regex)) for frame, index, regex in matcher._regexes]
    assert batch.hits(texts) == [Matcher(book)._hits(t) for t in texts]
    assert [len(hits) for hits in batch.hits(texts)] == [2, 2, 0, 1, 1]
    first = texts[0]
    searched_from = [first.index("17"), first.index("3.5"), 0, 2]  # (the texts' hits are made twice)
    assert batch.matcher._regexes[0][2].begins == [("search", at) for at in searched_from] * 2
    assert batch.matcher._regexes[1][2].begins == [("match", 0), ("match", texts[1].index("one"))] * 2  # at its anchors only


_STARTS_BOOK = parse({"frames": [{"id": "c", "label": "C", "description": "d", "patterns": [
    {"regex": r"\d+(\.\d+)?\s?%"}, {"regex": r"\$\s?\d+(\.\d+)?\s?(bn|m)\b"}]}]}, source="starts.yaml")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="12.%$ bnm\u00a0\u0663\u00e9x\n", max_size=40), min_size=1, max_size=6))
def test_regexes_searched_from_the_starts_the_screen_saw_give_the_per_paragraph_hits(texts):
    # non-ASCII digits and spaces ("\u0663", no-break space) are \d and \s to Python's re: the screen must see them so
    matcher = Matcher(_STARTS_BOOK)
    batch = BatchMatcher(matcher)
    assert batch._prefilter.starting == {0, 1}
    assert batch.hits(texts) == [matcher._hits(t) for t in texts]


@pytest.mark.parametrize(("pattern", "characters_only"), [
    (r"\d+(\.\d+)?\s?%", True), (r"\bchina\b[^.]{0,80}\bban", True), (r"(a|b)?c", True), (r"\bopen\b", True),
    (r"\b(\w+\s+){0,2}cost", False), (r"(ab)+", False), (r"(a\d+)*", False), (r"(", False)])
def test_a_regex_repeats_characters_only_when_no_repetition_repeats_more_than_one(pattern, characters_only):
    from analysis.engine_regex import repeats_characters_only

    assert repeats_characters_only(pattern) is characters_only


def test_a_regex_repeated_in_another_frame_is_searched_once_and_gives_its_hits_to_both():
    repeated = [{"regex": r"\d+(\.\d+)?\s?%"}, {"regex": r"\b(an?|the)\s+upset\b"}, {"regex": r"\bh(100|800)s?\b"}]
    book = parse({"frames": [{"id": f, "label": f, "description": "d", "patterns": ["ban"] + repeated} for f in "ab"]},
                 source="repeated.yaml")
    matcher = Matcher(book)
    batch = BatchMatcher(matcher)
    assert batch.repeats == {3: 0, 4: 1, 5: 2} and not set(batch._prefilter.numbers) & {3, 4, 5}  # nor screened
    batch.matcher._regexes = [(frame, index, _CountedRegex(regex)) for frame, index, regex in matcher._regexes]
    hits = batch.hits(TEXTS)
    assert hits == [Matcher(book)._hits(t) for t in TEXTS]
    assert {h.frame for found in hits for h in found if h.pattern > 0} == {0, 1}  # regex hits in both frames
    searches = [regex.searches for _, _, regex in batch.matcher._regexes]
    assert all(searches[:3]) and not any(searches[3:]), searches


def test_batch_hits_equal_per_paragraph_hits_on_the_shared_corpus(shared_texts):
    texts = shared_texts
    matcher = Matcher(BOOK)
    assert BatchMatcher(matcher).hits(texts) == [matcher._hits(t) for t in texts]


def test_frames_of_the_shared_corpus_equal_the_per_paragraph_path(shared_texts):
    texts = shared_texts
    paragraphs = pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(texts))], "text": texts})
    tagger = LexiconTagger(BOOK).fit()
    pd.testing.assert_frame_equal(tagger.predict(paragraphs), tagger.predict_each(paragraphs))


@pytest.mark.parametrize(("pattern", "anchors", "word_start", "required"), [
    (r"\b(took|taken)\b\s+by surprise", {"took", "taken"}, True, {"by surprise"}),
    (r"\b(half-|multi-)?(trillion|billion)-dollar\b", {"trillion-dollar", "billion-dollar", "half-trillion-dollar",
                                                         "half-billion-dollar", "multi-trillion-dollar", "multi-billion-dollar"}, True, None),
    (r"\d+(\.\d+)?\s?%", None, False, {"%"}),
    (r"\$\s?\d+", {"$"}, False, {"$"}),
    (r"(a|)b", {"ab", "b"}, False, {"ab", "b"}),
    (r"x*y?", None, False, None),
])
def test_regex_plans_give_necessary_literals(pattern, anchors, word_start, required):
    found = plan(pattern)
    assert (set(found.anchors) if found.anchors else None) == anchors
    assert found.word_start == word_start
    if required is not None:
        assert set(found.required) == required


def _paragraph_file(tmp_path, texts):
    path = tmp_path / "paragraphs.parquet"
    pd.DataFrame({"paragraph_id": [f"p{i:04d}" for i in range(len(texts))], "article_id": "a", "position": range(len(texts)),
                  "role": "body", "text": texts}).to_parquet(path, index=False, row_group_size=7)
    return path


def _stream(tmp_path, name, paragraphs, **options):
    frames, stance = tmp_path / f"{name}-frames.parquet", tmp_path / f"{name}-stance.parquet"
    counts = engine.stream_tag(paragraphs, frames, stance, BOOK, **options)
    return pd.read_parquet(frames), pd.read_parquet(stance), counts


def _corpus_texts():
    from analysis.paths import PROJECT_ROOT

    return [p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "data" / "raw").glob("*.txt"))]


def _sample_texts():
    texts = [t for doc in _corpus_texts() for t in doc.split("\n\n") if t.strip()]
    return (texts + TEXTS) * 2


def test_output_is_identical_whatever_the_chunks_and_processes(tmp_path):
    paragraphs = _paragraph_file(tmp_path, _sample_texts())
    one = _stream(tmp_path, "one", paragraphs, workers=1, chunk_rows=1000)
    many = _stream(tmp_path, "many", paragraphs, workers=2, chunk_rows=13)
    pd.testing.assert_frame_equal(one[0], many[0])
    pd.testing.assert_frame_equal(one[1], many[1])
    assert one[2] == many[2]


def test_streamed_tables_equal_the_whole_table_path(tmp_path):
    from analysis.training import tagged_stance

    texts = _sample_texts()
    paragraphs = _paragraph_file(tmp_path, texts)
    frames, stance, counts = _stream(tmp_path, "s", paragraphs, workers=1, chunk_rows=11)
    table = pd.read_parquet(paragraphs)
    tagger = LexiconTagger(BOOK).fit()
    expected_frames = tagger.predict_each(table)
    pd.testing.assert_frame_equal(frames, expected_frames)
    pd.testing.assert_frame_equal(stance, tagged_stance(table, expected_frames, BOOK, "lexicon"))
    assert counts == {"paragraphs": len(texts), "frame_rows": len(frames), "stance_rows": len(stance)}


def test_units_cut_each_row_group_into_slices_that_cover_the_table_in_order(tmp_path):
    texts = [f"paragraph {i}" for i in range(20)]
    path = _paragraph_file(tmp_path, texts)  # row groups of 7: 7, 7, 6
    work = engine.units(path, rows=3)
    assert [(u.group, u.start, u.count) for u in work] == [
        (0, 0, 3), (0, 3, 3), (0, 6, 1), (1, 0, 3), (1, 3, 3), (1, 6, 1), (2, 0, 3), (2, 3, 3)]
    read = pd.concat([engine.unit_paragraphs(u) for u in work], ignore_index=True)
    assert read.columns.tolist() == ["paragraph_id", "text"]
    assert read["text"].tolist() == texts


def test_the_tag_step_shows_its_progress_in_paragraphs_when_the_corpus_has_several_chunks(tmp_path, capsys):
    paragraphs = _paragraph_file(tmp_path, _sample_texts())
    total = len(_sample_texts())
    _, _, counts = _stream(tmp_path, "bar", paragraphs, workers=1, chunk_rows=13, progress=True)
    shown = capsys.readouterr().err
    assert counts["paragraphs"] == total and "tagging" in shown and f"{total}/{total}" in shown
    one_chunk = tmp_path / "one-chunk.parquet"
    pd.read_parquet(paragraphs).to_parquet(one_chunk, index=False)  # one row group
    _stream(tmp_path, "one-chunk", one_chunk, workers=1, progress=True)
    _stream(tmp_path, "quiet", paragraphs, workers=1, chunk_rows=13)
    assert "tagging" not in capsys.readouterr().err  # one chunk is quick: no bar; nor without `progress`


def test_units_for_several_workers_cut_the_last_units_so_every_worker_gets_the_same_count(tmp_path):
    texts = [f"paragraph {i}" for i in range(20)]
    path = _paragraph_file(tmp_path, texts)  # row groups of 7: 7, 7, 6
    work = engine.units(path, rows=7, workers=2)  # 3 units: the last is cut in two
    assert [(u.group, u.start, u.count) for u in work] == [(0, 0, 7), (1, 0, 7), (2, 0, 3), (2, 3, 3)]
    work = engine.units(path, rows=7, workers=4)  # 3 units: each cut in four
    assert len(work) == 12 and [u.count for u in work[:4]] == [1, 2, 2, 2]
    assert engine.units(path, rows=3, workers=4) == engine.units(path, rows=3)  # 8 units already
    read = pd.concat([engine.unit_paragraphs(u) for u in work], ignore_index=True)
    assert read["text"].tolist() == texts


def test_a_unit_is_read_afresh_when_its_file_is_rewritten(tmp_path):
    path = _paragraph_file(tmp_path, ["old text", "old text too"])
    unit = engine.units(path)[0]
    assert engine.unit_paragraphs(unit)["text"].tolist() == ["old text", "old text too"]
    _paragraph_file(tmp_path, ["a new and longer text", "replaced"])
    assert engine.unit_paragraphs(unit)["text"].tolist() == ["a new and longer text", "replaced"]


def test_a_tagged_unit_is_tag_chunk_as_arrow_tables_of_the_written_schemas(tmp_path):
    path = _paragraph_file(tmp_path, _sample_texts())
    unit = engine.units(path, rows=40)[1]
    frames, stances = engine.tagged_unit(unit, BOOK)
    expected_frames, expected_stances = engine.tag_chunk(engine.unit_paragraphs(unit), BOOK)
    assert len(frames) > 0 and frames.schema.equals(engine.FRAME_SCHEMA, check_metadata=False)
    pd.testing.assert_frame_equal(frames.to_pandas(), expected_frames.reset_index(drop=True))
    assert set(stances) == set(expected_stances) and any(len(rows) for rows in stances.values())
    for target, rows in stances.items():
        assert rows.schema.equals(engine.STANCE_SCHEMA, check_metadata=False)
        assert rows.to_pylist() == expected_stances[target].to_dict("records")


def test_dask_output_equals_the_single_machine_output(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    from analysis.engine_dask import dask_tag

    paragraphs = _paragraph_file(tmp_path, _sample_texts())
    frames, stance, counts = _stream(tmp_path, "local", paragraphs, workers=1)
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        dask_counts = dask_tag(paragraphs, tmp_path / "d-frames.parquet", tmp_path / "d-stance.parquet", BOOK, client=client,
                               chunk_rows=5)
    pd.testing.assert_frame_equal(frames, pd.read_parquet(tmp_path / "d-frames.parquet"))
    pd.testing.assert_frame_equal(stance, pd.read_parquet(tmp_path / "d-stance.parquet"))
    assert counts == dask_counts


def test_unknown_engine_is_refused(monkeypatch):
    monkeypatch.setenv("ENGINE", "spark")
    with pytest.raises(ValueError, match="unknown ENGINE 'spark'"):
        engine.settings()


def test_lex_order_sorts_as_numpy_lexsort_whatever_the_key_ranges():
    import numpy as np

    from analysis.engine_arrays import lex_order

    rng = np.random.default_rng(0)
    for _ in range(100):
        n = int(rng.integers(0, 200))
        keys = [rng.integers(-5, int(rng.choice([3, 1000, 2 ** 20, 2 ** 40])), n) for _ in range(int(rng.integers(1, 9)))]
        assert np.array_equal(lex_order(*keys), np.lexsort(keys[::-1]))


def test_scores_of_non_dyadic_weights_are_rounded_as_the_per_paragraph_path():
    book = parse({"frames": [{"id": "w", "label": "W", "description": "d", "threshold": 0.3, "patterns": [
        {"phrase": "alpha", "weight": 0.1}, {"phrase": "beta", "weight": 0.2}, {"phrase": "gamma", "weight": 0.33333}]}]},
        source="weights.yaml")
    paragraphs = pd.DataFrame({"paragraph_id": ["p1", "p2", "p3"],
                               "text": ["alpha beta", "alpha beta gamma", "gamma beta"]})
    tagger = LexiconTagger(book).fit()
    out = tagger.predict(paragraphs)
    pd.testing.assert_frame_equal(out, tagger.predict_each(paragraphs))
    assert out["score"].tolist() == [0.3, 0.6333, 0.5333]


def test_evidence_whose_matched_text_holds_a_nul_character_equals_the_per_paragraph_evidence():
    book = parse({"frames": [{"id": "a", "label": "A", "description": "d", "patterns": [
        {"regex": r"chips\W+ban"}, {"phrase": "export controls"}]}]}, source="nul.yaml")
    texts = ["chips\x00 ban and export controls", "export controls; chips - ban", "nothing here", "chips ban\x00"]
    paragraphs = pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(texts))], "text": texts})
    tagger = LexiconTagger(book).fit()
    assert tagger.batch_.exact
    frames = tagger.predict(paragraphs)
    assert "chips\x00 ban" in frames["evidence"].iloc[0]  # Arrow strings hold NUL: the compiled evidence keeps it
    pd.testing.assert_frame_equal(frames, tagger.predict_each(paragraphs))


@pytest.mark.parametrize("ids", [
    pd.Series(["p0", "p1", "p2", "p3"]),  # pandas' own string dtype (Arrow)
    pd.Series(["p0", "p1", "p2", "p3"], dtype=object),
    pd.Series(["p0", "p1", "p2", "p3"], dtype="string"),
    pd.Series([10, 11, 12, 13]),
    pd.Series([10, 11, 12, 13], dtype="int32"),
    pd.Series(["p0", 1, "p2", 3.5], dtype=object),
], ids=["str", "object-str", "string-na", "int64", "int32", "mixed"])
def test_frame_rows_carry_paragraph_ids_of_any_dtype_as_the_per_paragraph_tagger_does(ids):
    texts = ["DeepSeek faces export controls.", "Nothing here.", "A Sputnik moment for America.", "export controls again"]
    paragraphs = pd.DataFrame({"paragraph_id": ids, "text": texts})
    tagger = LexiconTagger(BOOK).fit()
    frames = tagger.predict(paragraphs)
    assert len(frames) >= 3
    pd.testing.assert_frame_equal(frames, tagger.predict_each(paragraphs))


def test_a_lone_surrogate_fails_in_matched_text_only_and_as_the_per_paragraph_tagger_fails():
    book = parse({"frames": [{"id": "a", "label": "A", "description": "d", "patterns": [
        {"regex": r"chips\W+ban"}, {"phrase": "export controls"}]}]}, source="surrogate.yaml")
    tagger = LexiconTagger(book).fit()
    outside = pd.DataFrame({"paragraph_id": ["p0"], "text": pd.Series(["\ud800 export controls"], dtype=object)})
    pd.testing.assert_frame_equal(tagger.predict(outside), tagger.predict_each(outside))
    inside = pd.DataFrame({"paragraph_id": ["p0"], "text": pd.Series(["chips\ud800 ban"], dtype=object)})
    for predict in (tagger.predict, tagger.predict_each):  # no string column can hold it: the same error either way
        with pytest.raises(UnicodeEncodeError):
            predict(inside)
