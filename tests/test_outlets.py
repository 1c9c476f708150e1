"""analysis/outlets.py: one canonical spelling per outlet, through the alias table."""

import pytest

from analysis.outlets import canonical_outlets, outlet_from_domain, outlet_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("The New York Times", "the new york times"),
        ("THe New York Times", "the new york times"),
        ("the new york  times", "the new york times"),
        ("  The New-York Times! ", "the new york times"),
        ("South_China_Morning_Post", "south china morning post"),
    ],
)
def test_outlet_key_ignores_case_spacing_and_punctuation(name, key):
    assert outlet_key(name) == key


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["THe New York Times", "the new york  times"],
         {"THe New York Times": "The New York Times", "the new york  times": "The New York Times"}),
        (["NYT", "New York Times", "nytimes.com"],
         {"NYT": "The New York Times", "New York Times": "The New York Times", "nytimes.com": "The New York Times"}),
        (["Guardian", "the guardian"], {"Guardian": "The Guardian", "the guardian": "The Guardian"}),
        (["SCMP"], {"SCMP": "South China Morning Post"}),
        (["China Daily USA"], {"China Daily USA": "China Daily"}),
    ],
    ids=["case-and-spacing", "aliases", "guardian", "abbreviation", "edition"],
)
def test_spellings_in_the_alias_table_map_to_the_canonical_name(names, expected):
    assert canonical_outlets(names) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Foo Post", "foo post", "Foo Post", "FOO POST"], {"Foo Post": "Foo Post", "foo post": "Foo Post", "FOO POST": "Foo Post"}),
        (["Foo post", "Foo Post"], {"Foo post": "Foo post", "Foo Post": "Foo post"}),  # tie: the first seen
        (["foo post", "foo post", "Foo Post"], {"foo post": "Foo Post", "Foo Post": "Foo Post"}),  # capitals beat all lower case
        (["Foo Post", " Foo Post "], {"Foo Post": "Foo Post"}),
        ([None, "", "  "], {}),
        (["Foo Post", "Bar Times"], {"Foo Post": "Foo Post", "Bar Times": "Bar Times"}),
    ],
    ids=["most-frequent", "tie-first-seen", "capitals-preferred", "stripped", "empty", "distinct"],
)
def test_unknown_outlets_merge_into_their_most_frequent_spelling(names, expected):
    assert canonical_outlets(names) == expected


def test_custom_alias_file_is_honoured(tmp_path):
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("Foo Post: [The Foo, foopost.example]\n", encoding="utf-8")
    assert canonical_outlets(["the foo", "FOO POST"], aliases=aliases) == {"the foo": "Foo Post", "FOO POST": "Foo Post"}
    assert outlet_from_domain("news.foopost.example", aliases=aliases) == "Foo Post"


@pytest.mark.parametrize(
    ("domain", "outlet"),
    [
        ("chinadailyusa.com", "China Daily"),
        ("chinadaily.com.cn", "China Daily"),
        ("scmp.com", "South China Morning Post"),
        ("SCMP.COM", "South China Morning Post"),
        ("news.bbc.co.uk", "BBC"),
        ("edition.cnn.com", "CNN"),
        ("example.com", None),
        ("co.uk", None),
        ("com", None),
    ],
)
def test_outlet_from_domain_finds_the_outlet_of_a_sign_off_domain(domain, outlet):
    assert outlet_from_domain(domain) == outlet
