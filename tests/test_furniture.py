"""analysis/furniture.py: page furniture lines are named; content lines are not furniture."""

import pytest

from analysis.furniture import furniture_reason, makes_claim, repeated_labels, repeated_lines

SEED_003_TAG_LIST = (
    "artificial intelligenceBeijingChinaChineseChinese Academy of SciencesChinese firmsDeepSeeksFirmsjolt"
    "sanctionbeatingseeksShenzhen Institute of Advanced TechnologySouth China Morning Postsuccesstech companies"
)

# Every kind of furniture the bundled seeds show (data/raw/00*.txt), plus the common
# variants of each kind seen on other news sites.
FURNITURE = [
    ("Advertisement", "advertisement"),
    ("ADVERTISEMENT", "advertisement"),
    ("Sponsored content", "advertisement"),
    ("Skip advertisement", "advertisement"),
    ("Ad Feedback", "advertisement"),
    ("Reading Time:4 minutes", "reading time"),
    ("Reading Time: 3 minutes", "reading time"),
    ("5 min read", "reading time"),
    ("Why you can trust SCMP", "trust badge"),
    ("1", "share counter"),
    ("4", "share counter"),
    ("3.5k shares", "share counter"),
    ("Share this article", "share counter"),
    ("Read More", "related link"),
    ("READ MORE: Experts: DeepSeek sets benchmark for Chinese firms", "related link"),
    ("ALSO READ: DeepSeek is likely to catalyze big shifts in global AI ecosystem", "related link"),
    ("Read More: DeepSeek’s success gives Chinese firms jolt as Beijing seeks sanction-beating", "related link"),
    ("See also: Nvidia shares slump", "related link"),
    ("Leave a Reply", "comment box"),
    ("Comments (0)", "comment box"),
    ("Add Comment", "comment box"),
    ("Select Voice", "voice player"),
    ("Choose your listening speed", "voice player"),
    ("Get through articles 2x faster", "voice player"),
    ("1.25x", "voice player"),
    ("250 WPM", "voice player"),
    ("Slow", "voice player"),
    ("Average", "voice player"),
    ("Fast", "voice player"),
    ("Listen to this article", "voice player"),
    ("PDF View", "page control"),
    ("Gift this article", "page control"),
    ("Follow us on Twitter", "page control"),
    ("Published: 10:09, February 4, 2025", "dateline"),
    ("Updated: Feb 4, 2025, 10:00 GMT", "dateline"),
    ("First published on Tue 28 Jan 2025 05.00 GMT", "dateline"),
    ("By Lia Zhu in San Francisco", "byline"),
    ("By Jane Doe and John Roe", "byline"),
    ("Additional reporting by Ben Jiang", "byline"),
    ("liazhu@chinadailyusa.com", "e-mail sign-off"),
    ("This article originally appeared in the South China Morning Post (SCMP), the most authoritative voice "
     "reporting on China and Asia for…", "syndication note"),
    ("This story was originally published by The Guardian.", "syndication note"),
    (SEED_003_TAG_LIST, "tag list"),
    ("Sign up to our TechScape newsletter for a weekly dive into how tech is shaping our lives", "newsletter promotion"),
    ("Sign up for our free Morning Briefing newsletter", "newsletter promotion"),
    ("Enter your email to sign up for our weekly AI newsletter", "newsletter promotion"),
    ("Do you have questions about the biggest topics and trends from around the world? Get the answers with "
     "SCMP Knowledge, our new platform of curated content with explainers, FAQs, analyses and infographics "
     "brought to you by our award-winning team.", "promotion"),
    ("To view this video please enable JavaScript, and consider upgrading to a web browser that supports HTML5 video",
     "video placeholder"),
    ("[MUSIC PLAYING]", "transcript marker"),
    ("jh/ab (Reuters, AFP)", "sign-off initials"),
    ("Photo: AFP", "media credit"),
    ("Getty Images", "media credit"),
    ("Artificial intelligence", "section label"),
    ("Opinion", "section label"),
    ("", "blank"),
    ("   ", "blank"),
]


@pytest.mark.parametrize(("line", "reason"), FURNITURE, ids=[line[:40] or repr(line) for line, _ in FURNITURE])
def test_furniture_lines_are_named_by_kind(line, reason):
    assert furniture_reason(line) == reason


def test_surrounding_whitespace_does_not_hide_furniture():
    assert furniture_reason("  Advertisement \t") == "advertisement"


CONTENT = [
    "DeepSeek 'shared user data' with TikTok owner ByteDance",
    "DeepSeek rocks US tech industry",
    "Why DeepSeek’s true value for China goes beyond AI advance",
    "My Take | Chinese start-up DeepSeek looks set to rewrite the rules of the AI game",
    "OpenAI accuses DeepSeek of distillation",
    "Meta, OpenAI and Anthropic race to respond",
    "Cheaper, more accessible AI program catapults Hangzhou startup to stardom",
    "Liang Wenfeng, founder of Chinese AI company DeepSeek. Photo: Weibo",
    "Nvidia shares fell 17%.",
    "Share prices tumbled on Monday.",
    "Read the full report here, officials said.",
    "By the end of January, DeepSeek had topped the charts.",
    "By DeepSeek standards, the model is small",
    "Reuters reported that DeepSeek used Nvidia H800 chips.",
    "Video shows the DeepSeek app refusing to answer.",
    "Slow progress on chips",
    "Fast and cheap: DeepSeek’s R1",
    "Search engines like Google face a new rival",
    "Senators get the classified briefing on DeepSeek next week, aides said.",
    "The intellectual Earth thrives best when it is flat.",
]


@pytest.mark.parametrize("line", CONTENT, ids=[line[:40] for line in CONTENT])
def test_content_lines_are_not_furniture(line):
    assert furniture_reason(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Nvidia shares fell 17%.", True),
        ("“We remain confident,” he said.", True),
        ("Why DeepSeek’s true value for China goes beyond AI advance", False),
        ("Zhou Xin", False),
        ("Speaker:", False),
        ("One two three.", False),
        ("one two three four five six seven eight nine ten eleven twelve", True),
        ("one two three four five six seven eight nine ten eleven", False),
    ],
)
def test_makes_claim_is_true_for_sentences_only(line, expected):
    assert makes_claim(line) is expected


@pytest.mark.parametrize(
    ("lines", "kwargs", "expected"),
    [
        (["Speaker", "Hello there, my friend.", "Speaker", "Hi.", "Speaker", "Bye."], {}, {"Speaker"}),
        (["Speaker", "Hello there, my friend.", "Speaker"], {}, set()),
        (["Speaker", "Hello there, my friend.", "Speaker"], {"min_repeats": 2}, {"Speaker"}),
        (["Nvidia shares fell sharply on Monday."] * 3, {}, set()),
        ([], {}, set()),
    ],
    ids=["three-times", "twice", "twice-min-2", "repeated-claim", "empty"],
)
def test_repeated_labels_are_short_lines_repeated_within_an_article(lines, kwargs, expected):
    assert repeated_labels(lines, **kwargs) == expected


PROMO = "Sign up for the Morning Brief"


def _articles(with_promo: int, without: int) -> list[list[str]]:
    """Articles of one outlet: `with_promo` carry PROMO, every article has its own content line."""
    return [[PROMO, f"content line {i}"] for i in range(with_promo)] + [[f"other line {i}"] for i in range(without)]


def test_a_line_in_every_article_of_an_outlet_is_boilerplate():
    assert repeated_lines(_articles(3, 0)) == {PROMO}


@pytest.mark.parametrize(
    ("articles", "expected"),
    [
        (_articles(3, 0), {PROMO}),
        (_articles(2, 0), set()),  # fewer articles than min_articles
        (_articles(2, 1), set()),  # in two articles only
        (_articles(3, 7), {PROMO}),  # 3 of 10 = 30 %
        (_articles(5, 15), set()),  # 5 of 20 = 25 % < 30 %
        (_articles(6, 14), {PROMO}),  # 6 of 20 = 30 %
        ([[PROMO, PROMO, PROMO], ["a"], ["b"]], set()),  # repeats inside one article count once
    ],
    ids=["all-three", "two-articles", "two-of-three", "thirty-percent", "twenty-five-percent", "six-of-twenty",
         "one-article-thrice"],
)
def test_repeated_lines_needs_min_articles_and_min_share(articles, expected):
    assert repeated_lines(articles, min_articles=3, min_share=0.3) == expected


def test_repeated_lines_thresholds_are_keyword_options():
    articles = [[PROMO], [PROMO], ["a"], ["b"]]
    assert repeated_lines(articles, min_articles=2, min_share=0.5) == {PROMO}
    assert repeated_lines(articles, min_articles=2, min_share=0.6) == set()


def test_repeated_lines_accepts_sets_of_lines():
    assert repeated_lines([frozenset({PROMO, "a"}), frozenset({PROMO}), frozenset({PROMO, "b"})]) == {PROMO}
