"""analysis/duplicates.py: which earlier article each article copies, at a settable similarity."""

import pytest

from analysis import duplicates
from analysis.duplicates import Link, jaccard, links, shingles

STORY = ["Chinese lab releases low-cost reasoning model",
         "Engineers in Hangzhou released the weights of a reasoning model on Monday, saying it cost a fraction of what "
         "Silicon Valley spends on training its largest systems."]
OTHER = ["Senators question chip export rules",
         "Two senators asked the Commerce Department to explain how advanced chips reached Chinese laboratories despite the rules."]


@pytest.fixture(autouse=True, params=["all pairs", "minhash lsh"])
def candidates(request, monkeypatch):
    """Run every test with both candidate searches: all earlier articles (small corpora) and MinHash LSH (large ones)."""
    monkeypatch.setattr(duplicates, "EXACT_UP_TO", 10_000 if request.param == "all pairs" else 0)


def test_identical_text_links_to_the_first_copy():
    assert links([STORY, OTHER, STORY, STORY], threshold=0.8) == {2: Link(0, 1.0, "identical text"), 3: Link(0, 1.0, "identical text")}


def test_a_rerun_with_a_changed_word_is_linked_by_text_similarity():
    rerun = [STORY[0], STORY[1].replace("Monday", "Tuesday")]
    found = links([STORY, OTHER, rerun], threshold=0.8)
    assert set(found) == {2}
    assert (found[2].original, found[2].how) == (0, "text similarity")
    assert 0.8 <= found[2].similarity < 1


@pytest.mark.parametrize(("threshold", "linked"), [(0.6, True), (0.95, False)])
def test_the_threshold_decides_how_similar_a_copy_must_be(threshold, linked):
    edited = [STORY[0].replace("low-cost", "cheap"), STORY[1].replace("Monday", "Tuesday")]
    assert (1 in links([STORY, edited], threshold=threshold)) is linked


def test_an_article_whose_paragraphs_all_occur_in_an_earlier_one_is_linked():
    longer = STORY + ["Investors sold chip shares after the launch, sending the Nasdaq sharply lower."]
    found = links([longer, STORY], threshold=0.8)
    assert found == {1: Link(0, 1.0, "paragraphs shared")}


def test_different_articles_are_not_linked():
    assert links([STORY, OTHER], threshold=0.5) == {}


def test_copies_of_copies_link_to_the_original_and_empty_articles_to_nothing():
    rerun = [STORY[0], STORY[1].replace("Monday", "Tuesday")]
    found = links([STORY, rerun, [], rerun], threshold=0.8)
    assert {k: v.original for k, v in found.items()} == {1: 0, 3: 0}


@pytest.mark.parametrize("threshold", [0, -0.1, 1.5])
def test_a_threshold_outside_zero_to_one_is_refused(threshold):
    with pytest.raises(ValueError, match="threshold"):
        links([STORY], threshold=threshold)


def test_shingles_and_jaccard():
    assert shingles("One two three four") == {"one two three", "two three four"}
    assert shingles("Two words") == {"two words"}
    assert len(shingles("深度求索发布了新的推理模型")) > 1  # unspaced scripts use character n-grams
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard(set(), set()) == 0.0
