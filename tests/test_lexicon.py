"""analysis/lexicon.py: the matching rules a codebook declares, one behaviour per table."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import lexicon
from analysis.codebook import parse
from analysis.lexicon import Hit, Matcher, lowered, word_forms


def book(patterns, *, exclude=(), negation=None, **frame):
    data = {"frames": [{"id": "f", "label": "F", "description": "d", "patterns": list(patterns),
                        "exclude": list(exclude), **frame}]}
    if negation:
        data["negation"] = negation
    return parse(data, source="test.yaml")


def matched(patterns, text, **options) -> list[str]:
    """The matched texts, in order, that count for the one frame of a codebook with `patterns`."""
    return [text[h.start:h.end] for h in Matcher(book(patterns, **options)).hits(text)]


@pytest.mark.parametrize(
    ("patterns", "text", "expected"),
    [
        (["ban"], "A ban on chips.", ["ban"]),
        (["ban"], "The bank is open; a banner; urban areas.", []),
        (["ban"], "ban_list ban2", []),
        (["chips"], "microchips and chipset", []),
        (["DeepSeek"], "DeepSeek’s model and DeepSeek's app", ["DeepSeek", "DeepSeek"]),
        (["export controls"], "US export controls, export-controls.", ["export controls", "export-controls"]),
    ],
    ids=["word", "not-inside-words", "not-before-underscore-or-digit", "not-inside-compounds", "before-apostrophe",
         "space-matches-hyphen"],
)
def test_phrases_match_whole_words_only(patterns, text, expected):
    assert matched(patterns, text) == expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("open-source", "open-source", ["open-source"]),
        ("open-source", "open source", ["open source"]),
        ("open-source", "opensource", ["opensource"]),
        ("open-source", "Open Source", ["Open Source"]),
        ("open-source", "open–source and open‐source", ["open–source", "open‐source"]),
        ("open source", "open-source", ["open-source"]),
        ("wake-up call", "a wakeup call, a wake up call", ["wakeup call", "wake up call"]),
        ("open–source", "open-source", ["open-source"]),
    ],
    ids=["hyphen", "space", "joined", "case", "en-dash-and-unicode-hyphen", "space-pattern-hyphen-text",
         "multi-word", "en-dash-pattern"],
)
def test_hyphen_space_and_joined_variants_match(pattern, text, expected):
    assert matched([pattern], text) == expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ({"phrase": "ban", "inflect": True}, "Bans, banned, banning and a ban.", ["Bans", "banned", "banning", "ban"]),
        ({"phrase": "ban"}, "Bans, banned, banning and a ban.", ["ban"]),
        ({"phrase": "ban", "inflect": False}, "They banned it.", []),
        ({"phrase": "export control", "inflect": True}, "export controls, exported controls",
         ["export controls", "exported controls"]),
        ({"phrase": "restrict", "inflect": True}, "restricts restricted restricting", ["restricts", "restricted", "restricting"]),
        ({"phrase": "ban", "inflect": True}, "The bank and the banner", []),
        ({"phrase": "National Security Council", "inflect": True}, "national security councils; nationally secured councils",
         ["national security councils"]),
        ({"phrase": "Uyghur", "inflect": True}, "Uyghurs, Uyghur, Uyghured", ["Uyghurs", "Uyghur"]),
        ({"phrase": "Chinese universities", "inflect": True}, "a Chinese university", ["Chinese university"]),
        ({"phrase": "One-China policy", "inflect": True}, "one china policies, onechina policy, one chinese policy",
         ["one china policies", "onechina policy"]),
    ],
    ids=["inflect", "no-inflect-by-default", "inflect-false", "every-word-inflected", "restrict", "inflect-still-whole-word",
         "names-take-only-a-plural", "name-plural", "common-words-beside-a-name-inflect", "hyphenated-name-variants"],
)
def test_inflect_matches_inflections_only_when_asked(pattern, text, expected):
    assert matched([pattern], text) == expected


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("ban", {"ban", "bans", "banned", "banning"}),
        ("chip", {"chip", "chips", "chipped", "chipping"}),
        ("restrict", {"restrict", "restricts", "restricted", "restricting"}),
        ("Ban", {"ban", "bans", "banned", "banning"}),
    ],
)
def test_word_forms_include_the_regular_inflections(word, forms):
    assert forms <= word_forms(word)


@pytest.mark.parametrize("word", ["ban", "chip", "restrict", "export"])
def test_word_forms_share_the_word_stem(word):
    from analysis.lexicon import stem

    assert {stem(form) for form in word_forms(word)} == {stem(word)}


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("restrict*", "Restrictions, restricted, restrict, restrictive.", ["Restrictions", "restricted", "restrict", "restrictive"]),
        ("restrict*", "unrestricted", []),
        ("chip*", "chip chips chipmaker Chips", ["chip", "chips", "chipmaker", "Chips"]),
        ("chip*", "microchips", []),
    ],
    ids=["trailing-star", "not-inside-words", "prefix", "not-a-suffix"],
)
def test_glob_trailing_star_matches_any_word_ending(pattern, text, expected):
    assert matched([{"glob": pattern}], text) == expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (r"\bH[0-9]{3}\b", "Nvidia H800 and h100 chips, not H1000", ["H800", "h100"]),
        (r"\$\s?\d+(\.\d+)? ?(m|million)\b", "trained for $6m, or $5.6 million", ["$6m", "$5.6 million"]),
        (r"david\b[^.]{0,40}\bgoliath", "A David-and-Goliath contest.", ["David-and-Goliath"]),
    ],
    ids=["chip-names", "money", "case-insensitive"],
)
def test_regex_patterns_match_case_insensitively(pattern, text, expected):
    assert matched([{"regex": pattern}], text) == expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("DeepSeek", "DEEPSEEK deepseek DeepSeek", ["DEEPSEEK", "deepseek", "DeepSeek"]),
        ("china’s rise", "China's rise and China’s rise", ["China's rise", "China’s rise"]),
        ("don't", "they don’t care; they don't", ["don’t", "don't"]),
        ("wake-up call", "a wake–up call", ["wake–up call"]),
        ("deepseek", "İstanbul bans DeepSeek", ["DeepSeek"]),
    ],
    ids=["case", "curly-apostrophe-in-pattern", "curly-apostrophe-in-text", "en-dash", "offsets-after-dotted-i"],
)
def test_case_curly_apostrophes_and_dashes_do_not_matter(pattern, text, expected):
    assert matched([pattern], text) == expected


@pytest.mark.parametrize(
    ("exclude", "text", "expected"),
    [
        (["OpenAI"], "OpenAI and the open model", ["open"]),
        (["open to question"], "It is open to question whether the open model wins.", ["open"]),
        ([{"regex": "open ?ai"}], "Open AI is not an open lab.", ["open"]),
        ([], "OpenAI and the open model", ["open"]),
    ],
    ids=["brand", "idiom", "regex-exclusion", "no-exclusion-no-overlap"],
)
def test_exclusions_cancel_overlapping_matches(exclude, text, expected):
    assert matched(["open"], text, exclude=exclude) == expected


def test_exclusions_cancel_only_matches_they_overlap():
    assert matched(["open-source"], "OpenAI is not open-source; open source matters", exclude=["OpenAI"]) == [
        "open-source", "open source"]


NEGATABLE = [{"phrase": "effective", "negatable": True}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Controls are effective.", ["effective"]),
        ("Controls are not effective.", []),
        ("Controls are not very effective.", []),
        ("Controls are never effective.", []),
        ("Controls aren’t effective.", []),
        ("Controls aren't effective.", []),
        ("There are no effective controls.", []),
        ("Not that controls are very effective.", ["effective"]),  # cue beyond the three-word window
        ("Not so. Controls are effective.", ["effective"]),  # cue in the previous sentence
        ("Not at all; effective, in fact.", ["effective"]),  # cue before a clause break
        ("Is it not? Effective.", ["Effective"]),
    ],
    ids=["plain", "not", "not-within-window", "never", "curly-nt", "straight-nt", "no", "beyond-window",
         "across-sentence-end", "across-semicolon", "across-question-mark"],
)
def test_negation_drops_negatable_matches_within_the_window_and_sentence(text, expected):
    assert matched(NEGATABLE, text) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab c'’.;_é1-\n", max_size=120), st.integers(0, 5))
def test_the_last_words_before_a_match_are_those_of_reading_the_whole_window(text, count):
    assert lexicon._last_words(text, count) == lexicon._WORD.findall(text)[-count:]


def test_negation_ignores_patterns_not_marked_negatable():
    assert matched(["effective"], "Controls are not effective.") == ["effective"]


def test_negation_cues_and_window_come_from_the_codebook():
    negation = {"cues": ["hardly"], "window": 1}
    assert matched(NEGATABLE, "Controls are hardly effective.", negation=negation) == []
    assert matched(NEGATABLE, "Controls are not effective.", negation=negation) == ["effective"]
    assert matched(NEGATABLE, "Controls hardly seem effective.", negation=negation) == ["effective"]


NEAR = [{"near": [["chips"], ["ban*", "restrict*"]], "within": 3}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chips ban", ["chips ban"]),
        ("a ban on chips", ["ban on chips"]),
        ("banned chips", ["banned chips"]),
        ("chips are subject to restrictions", ["chips are subject to restrictions"]),
        ("chips are subject to a ban", []),  # four words apart
        ("restrictions on the sale of chips", []),  # four words apart, other order
        ("chips alone", []),
        ("a ban alone", []),
    ],
    ids=["adjacent", "reversed", "inflected-glob", "three-words-apart", "beyond-window", "beyond-window-reversed",
         "left-only", "right-only"],
)
def test_near_matches_terms_within_the_word_window(text, expected):
    assert matched(NEAR, text) == expected


def test_near_window_is_counted_in_words():
    wide = [{"near": [["chips"], ["ban*"]], "within": 4}]
    assert matched(wide, "chips are subject to a ban") == ["chips are subject to a ban"]


def test_nested_matches_in_one_frame_reduce_to_the_longest():
    assert matched(["new york", "new york times", "york"], "The New York Times reported") == ["New York Times"]


def test_overlapping_matches_in_one_frame_count_once():
    assert matched(["open source", "source model"], "an open source model") == ["open source"]


def test_of_overlapping_matches_in_one_frame_the_heaviest_counts():
    patterns = [{"phrase": "US chip", "weight": 0.5}, {"phrase": "chip export controls", "weight": 1.0}, "controls on"]
    assert matched(patterns, "US chip export controls on Nvidia") == ["chip export controls"]


def test_nested_matches_in_different_frames_are_both_kept():
    codebook = parse({"frames": [
        {"id": "a", "label": "A", "description": "d", "patterns": ["open source"]},
        {"id": "b", "label": "B", "description": "d", "patterns": ["source"]},
    ]})
    assert Matcher(codebook).hits("An open source model") == [Hit(0, 0, 3, 14), Hit(1, 0, 8, 14)]


def test_hits_report_frame_pattern_and_span():
    codebook = book(["chips", {"glob": "ban*"}])
    assert Matcher(codebook).hits("A ban on chips") == [Hit(0, 1, 2, 5), Hit(0, 0, 9, 14)]


def test_text_without_matches_gives_no_hits():
    assert Matcher(book(["ban"])).hits("Nothing to see here.") == []
    assert Matcher(book(["ban"])).hits("") == []


def test_regex_only_codebook_matches():
    assert matched([{"regex": "H800"}], "the H800") == ["H800"]


@pytest.mark.parametrize("word, form", [("chips", "chip"), ("restrictions", "restriction"), ("controls", "control"), ("ban", "banned")])
def test_inflection_matches_shorter_and_longer_forms_of_a_word(word, form):
    assert form in word_forms(word)


def test_inflected_near_terms_match_singular_forms():
    book = parse({"name": "t", "frames": [{"id": "ec", "label": "E", "description": "d",
                                            "patterns": [{"near": [["chips"], ["ban"]], "within": 2}]}]})
    assert [(h.start, h.end) for h in Matcher(book).hits("a chip ban")] == [(2, 10)]


@pytest.mark.parametrize("text", ["DeepSeek's R1 -- a 'Sputnik' moment?", "U.S. export-controls; NVIDIA fell 17%",
                                  "DeepSeek’s “Sputnik” moment — says Andreessen", "İstanbul – ‘open’ weights", ""])
def test_lowered_lower_cases_and_makes_dashes_and_apostrophes_plain_keeping_offsets(text):
    plain = {"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "’": "'", "‘": "'"}
    low = [c.lower() if len(c.lower()) == 1 else c for c in text]  # a character lower-casing to two stays as it is
    assert lowered(text) == "".join(plain.get(c, c) for c in low)
    assert len(lowered(text)) == len(text)
