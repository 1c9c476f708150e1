"""analysis/infer.py: metadata from the text only where the evidence is clear, recorded as inferred."""

import pandas as pd
import pytest

from analysis import infer, segment


def inferred(text: str, **given) -> tuple[dict, list[str]]:
    meta = dict(given)
    fields = infer.metadata(meta, segment.paragraphs(text))
    return meta, fields


HEAD = "Chinese start-up rattles chip stocks\n\n"


@pytest.mark.parametrize(
    ("body", "outlet"),
    [
        ("WASHINGTON (Reuters) — The US Commerce Department said on Tuesday it was reviewing chip sales to China.", "Reuters"),
        ("LONDON, Jan 28 (Reuters) - European chip stocks fell for a second day as investors reassessed AI spending.", "Reuters"),
        ("Hong Kong CNN — Chinese state media hailed the start-up as proof that sanctions had failed to slow the country.", "CNN"),
        ("BEIJING (AP) — China's foreign ministry said the country opposed the politicisation of technology issues.", "Associated Press"),
        ("BEIJING (Xinhua) -- Chinese tech firms have rolled out a series of low-cost AI models in recent weeks, analysts said.", "Xinhua"),
    ],
)
def test_a_wire_dateline_naming_a_known_outlet_gives_the_outlet(body, outlet):
    meta, fields = inferred(HEAD + body)
    assert (meta.get("outlet"), fields) == (outlet, ["outlet"])


@pytest.mark.parametrize(
    "body",
    [
        "The model (R1) — released on Monday — matched American rivals on reasoning tests, researchers said.",
        "SAN FRANCISCO (Harbour Ledger Staff) — A start-up nobody had heard of rattled investors this week, traders said.",
        "Investors sold Nvidia shares on Monday as analysts questioned the spending on data centres in the US.",
    ],
)
def test_no_outlet_is_inferred_without_a_known_outlet_in_a_dateline(body):
    meta, fields = inferred(HEAD + body)
    assert "outlet" not in meta and fields == []


def test_a_dateline_naming_another_outlet_marks_agency_copy():
    meta, fields = inferred(HEAD + "WASHINGTON (Reuters) — The US Commerce Department said on Tuesday it was reviewing chip sales.",
                            outlet="The Guardian")
    assert (meta["outlet"], meta.get("syndicated_from"), fields) == ("The Guardian", "Reuters", ["syndicated_from"])


def test_the_own_outlet_in_a_dateline_changes_nothing():
    meta, fields = inferred(HEAD + "Hong Kong CNN — Chinese state media hailed the start-up as proof that sanctions had failed.",
                            outlet="CNN")
    assert (meta, fields) == ({"outlet": "CNN"}, [])


def test_byline_publication_line_syndication_note_and_email_are_used():
    text = (HEAD + "By Lia Zhu in San Francisco\n\nPublished: 4 February 2025\n\n"
            "Investors sold Nvidia shares on Monday as analysts questioned the spending on data centres.\n\n"
            "This article originally appeared in the South China Morning Post.\n\nliazhu@chinadailyusa.com\n")
    meta, fields = inferred(text)
    assert meta == {"author": "Lia Zhu", "date": pd.Timestamp("2025-02-04"), "syndicated_from": "South China Morning Post",
                    "outlet": "China Daily"}
    assert fields == ["author", "date", "syndicated_from", "outlet"]


def test_given_values_are_never_overwritten():
    text = HEAD + "By Lia Zhu\n\nWASHINGTON (Reuters) — The US Commerce Department said on Tuesday it was reviewing chip sales.\n"
    meta, fields = inferred(text, author="L. Zhu", outlet="Reuters")
    assert (meta, fields) == ({"author": "L. Zhu", "outlet": "Reuters"}, [])
