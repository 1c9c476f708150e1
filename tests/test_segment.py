"""analysis/segment.py: article text to role-labelled content paragraphs, dropped furniture and clues."""

from pathlib import Path

import pytest

from analysis.furniture import furniture_reason
from analysis.segment import ROLES, Segmented, paragraphs

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def roles(segmented: Segmented) -> list[str]:
    return [role for role, _ in segmented.paragraphs]


# --- small synthetic texts --------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "DeepSeek rocks US tech industry\n"
            "Cheaper AI program catapults startup to stardom\n"
            "The Chinese start-up released its model on Monday. It was cheap.\n"
            "A second paragraph of body text follows here.",
            [("headline", "DeepSeek rocks US tech industry"),
             ("standfirst", "Cheaper AI program catapults startup to stardom"),
             ("body", "The Chinese start-up released its model on Monday. It was cheap."),
             ("body", "A second paragraph of body text follows here.")],
        ),
        (
            # body copy first (more than 25 words): no line is promoted to headline
            "The Chinese start-up released its model on Monday, stunning rivals across Silicon Valley who had spent "
            "billions of dollars on chips and data centres for years.\n"
            "Short Title Here Now\n"
            "More body.",
            [("body", "The Chinese start-up released its model on Monday, stunning rivals across Silicon Valley who had "
                      "spent billions of dollars on chips and data centres for years."),
             ("body", "Short Title Here Now"),
             ("body", "More body.")],
        ),
        (
            "DeepSeek rocks US tech industry\n"
            "Cheaper AI program catapults startup to stardom\n"
            "Liang Wenfeng at a conference in Beijing. Photo: Reuters\n"
            "Body paragraph with a full stop.",
            [("headline", "DeepSeek rocks US tech industry"),
             ("standfirst", "Cheaper AI program catapults startup to stardom"),
             ("caption", "Liang Wenfeng at a conference in Beijing. Photo: Reuters"),
             ("body", "Body paragraph with a full stop.")],
        ),
    ],
    ids=["headline-standfirst-body", "body-first", "caption"],
)
def test_paragraphs_get_headline_standfirst_body_and_caption_roles(text, expected):
    assert paragraphs(text).paragraphs == expected


@pytest.mark.parametrize(
    "caption",
    [
        "Liang Wenfeng at a conference in Beijing. Photo: Reuters",
        "Trillions of US dollars have poured into AI. Photo: AFP/Getty Images/TNS",
        "Nvidia chips on a circuit board. Photograph: Dado Ruvic/Reuters",
        "The DeepSeek app on a phone (Photo: AFP)",
        "A trader on the floor of the New York Stock Exchange / Getty Images",
        "Illustration: Guardian Design",
    ],
)
def test_photo_captions_get_the_caption_role(caption):
    text = f"DeepSeek rocks US tech industry\nCheaper AI program catapults startup to stardom\n{caption}\nBody text here."
    assert paragraphs(text).paragraphs[2] == ("caption", caption)


def test_furniture_lines_are_not_paragraphs():
    text = ("Advertisement\nDeepSeek rocks US tech industry\nReading Time:4 minutes\nWhy you can trust SCMP\n1\n"
            "The Chinese start-up released its model on Monday.\nAdvertisement\nRead More\nLeave a Reply")
    result = paragraphs(text)
    assert result.paragraphs == [("headline", "DeepSeek rocks US tech industry"),
                                 ("standfirst", "The Chinese start-up released its model on Monday.")]
    assert result.dropped == [("advertisement", "Advertisement"), ("reading time", "Reading Time:4 minutes"),
                              ("trust badge", "Why you can trust SCMP"), ("share counter", "1"),
                              ("advertisement", "Advertisement"), ("related link", "Read More"),
                              ("comment box", "Leave a Reply")]


def test_duplicated_photo_caption_is_kept_once():
    caption = "Liang Wenfeng, founder of Chinese AI company DeepSeek. Photo: Weibo"
    text = f"Body one is a sentence.\n{caption}\n\n{caption}\nBody two is a sentence."
    result = paragraphs(text)
    assert [t for _, t in result.paragraphs].count(caption) == 1
    assert ("caption", caption) in result.paragraphs
    assert result.dropped == [("duplicated line", caption)]


def test_caption_repeated_around_an_advertisement_is_kept_once():
    caption = "Liang Wenfeng, founder of Chinese AI company DeepSeek. Photo: Weibo"
    result = paragraphs(f"Body one is a sentence.\n{caption}\nAdvertisement\n{caption}\nBody two.")
    assert [t for _, t in result.paragraphs] == ["Body one is a sentence.", caption, "Body two."]


def test_short_labels_before_the_headline_are_dropped():
    text = "Zhou Xin\nOpinionChina Opinion\nMy Take | DeepSeek looks set to rewrite the rules\nIt is a sentence of body text."
    result = paragraphs(text)
    assert result.paragraphs[0] == ("headline", "My Take | DeepSeek looks set to rewrite the rules")
    assert sorted(result.dropped) == [("label before headline", "OpinionChina Opinion"),
                                      ("label before headline", "Zhou Xin")]


def test_manifest_title_picks_the_headline_line():
    text = "Opinion | DeepSeek success shouldn’t be seen as a win for China\nA standfirst without a stop\nBody."
    result = paragraphs(text, title="DeepSeek success shouldn’t be seen as a win for China")
    assert result.paragraphs[0] == ("headline", "Opinion | DeepSeek success shouldn’t be seen as a win for China")


def test_manifest_title_finds_a_headline_that_follows_a_short_label():
    text = "Zhou Xin\nDeepSeek rocks US tech industry\nBody text follows here, a full sentence."
    result = paragraphs(text, title="DeepSeek rocks US tech industry")
    assert roles(result) == ["headline", "standfirst"]
    assert result.dropped == [("label before headline", "Zhou Xin")]


def test_outlet_boilerplate_lines_are_dropped():
    promo = "Our journalism relies on readers like you"
    result = paragraphs(f"DeepSeek rocks US tech industry\n{promo}\nBody text.", boilerplate=frozenset({promo}))
    assert [t for _, t in result.paragraphs] == ["DeepSeek rocks US tech industry", "Body text."]
    assert result.dropped == [("outlet boilerplate", promo)]


def test_label_lines_repeated_within_an_article_are_dropped():
    text = "Interviewer\nWhat did DeepSeek release?\nLiang\nA model.\nInterviewer\nWhen?\nLiang\nIn January.\nInterviewer\nWhy?\nLiang\nTo share."
    result = paragraphs(text)
    assert [t for _, t in result.paragraphs] == ["What did DeepSeek release?", "A model.", "When?", "In January.", "Why?", "To share."]
    assert sorted(set(result.dropped)) == [("repeated label line", "Interviewer"), ("repeated label line", "Liang")]


def test_whitespace_is_normalised_inside_paragraphs():
    result = paragraphs("  DeepSeek   rocks  US tech\u00a0industry  \n\n\u00a0\u00a0\nBody  text\tends here.")
    assert result.paragraphs == [("headline", "DeepSeek rocks US tech industry"), ("standfirst", "Body text ends here.")]
    assert result.dropped == []


@pytest.mark.parametrize("text", ["", "\n\n  \n", "Advertisement\n\n1\nRead More"])
def test_text_without_content_gives_no_paragraphs(text):
    assert paragraphs(text).paragraphs == []


def test_furniture_clues_are_collected_once_per_field():
    text = ("Published: 1 February 2025\nBy Jane Doe\nBy John Roe\nDeepSeek rocks US tech industry\nBody text.\n"
            "This article originally appeared on The Guardian.\njane@example.com\njohn@example.org")
    assert paragraphs(text).clues == {
        "date": "Published: 1 February 2025",
        "author": "By Jane Doe",
        "syndicated_from": "This article originally appeared on The Guardian.",
        "email_domain": "jane@example.com",
    }


def test_reporting_credits_are_not_author_clues():
    text = "Reporting by Jane Doe; Editing by John Roe\nDeepSeek rocks US tech industry\nBody text."
    assert paragraphs(text).clues == {}


# --- the bundled seed articles ---------------------------------------------------------

SEED_ROLES = {
    "000": ["headline", "standfirst"] + ["body"] * 6,
    "001": ["headline"] + ["body"] * 5 + ["caption", "body"],
    "002": ["headline", "standfirst", "caption", "body", "body", "caption", "body", "body", "body", "body"],
    "003": ["headline"] + ["body"] * 18,
    "004": ["headline", "standfirst"] + ["body"] * 18,
}


@pytest.mark.parametrize(("prefix", "expected"), sorted(SEED_ROLES.items()))
def test_seed_articles_get_their_role_sequences(prefix, expected):
    assert roles(paragraphs(seed(prefix))) == expected


def test_seed_002_opens_with_headline_standfirst_and_caption():
    assert paragraphs(seed("002")).paragraphs[:3] == [
        ("headline", "My Take | Chinese start-up DeepSeek looks set to rewrite the rules of the AI game"),
        ("standfirst", "It could be true that DeepSeek is standing on the shoulders of others, but it has still shown "
                       "an alternative to the lavish spending on AI"),
        ("caption", "Trillions of US dollars have poured into the development of AI since the launch of ChatGPT. "
                    "Photo: AFP/Getty Images/TNS"),
    ]


def test_seed_000_opens_with_headline_and_standfirst():
    assert paragraphs(seed("000")).paragraphs[:2] == [
        ("headline", "Opinion | DeepSeek success shouldn’t be seen as a win for China or loss for US"),
        ("standfirst", "While hawks on both sides say cooperation will hurt national security, Chinese and US "
                       "scientists have so much to gain from sharing research"),
    ]


def test_seed_000_drops_exactly_its_furniture():
    assert sorted(paragraphs(seed("000")).dropped) == sorted([
        ("advertisement", "Advertisement"), ("reading time", "Reading Time:4 minutes"),
        ("trust badge", "Why you can trust SCMP"), ("share counter", "1"),
        ("advertisement", "Advertisement"), ("advertisement", "Advertisement"),
    ])


def test_seed_002_drops_labels_voice_player_and_the_duplicate_caption():
    dropped = paragraphs(seed("002")).dropped
    assert sorted(reason for reason, _ in dropped) == sorted(
        ["advertisement"] * 4 + ["section label", "reading time", "trust badge", "share counter", "duplicated line"]
        + ["voice player"] * 9 + ["label before headline"] * 2)
    assert ("label before headline", "Zhou Xin") in dropped
    assert ("label before headline", "OpinionChina Opinion") in dropped


def test_seed_001_duplicated_caption_is_kept_once():
    result = paragraphs(seed("001"))
    caption = "Liang Wenfeng, founder of Chinese AI company DeepSeek. Photo: Weibo"
    assert [t for _, t in result.paragraphs].count(caption) == 1
    assert ("duplicated line", caption) in result.dropped


def test_seed_004_clues_give_author_date_and_email():
    assert paragraphs(seed("004")).clues == {
        "date": "Published: 10:09, February 4, 2025",
        "author": "By Lia Zhu in San Francisco",
        "email_domain": "liazhu@chinadailyusa.com",
    }


def test_seed_003_clue_gives_the_syndication_note():
    assert paragraphs(seed("003")).clues == {
        "syndicated_from": "This article originally appeared in the South China Morning Post (SCMP), the most "
                           "authoritative voice reporting on China and Asia for…",
    }


def test_seed_003_drops_tag_list_promotion_and_comment_box():
    reasons = [reason for reason, _ in paragraphs(seed("003")).dropped]
    assert sorted(reasons) == sorted(["promotion", "syndication note", "related link", "tag list", "comment box", "comment box"])


@pytest.mark.parametrize("prefix", sorted(SEED_ROLES))
def test_seed_paragraphs_are_content_with_known_roles(prefix):
    for role, text in paragraphs(seed(prefix)).paragraphs:
        assert role in ROLES
        assert furniture_reason(text) is None
        assert text == " ".join(text.split())
