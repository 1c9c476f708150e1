"""Who is speaking: reported speech is attributed so stance evidence names the source."""

from __future__ import annotations

import pytest

from analysis.speech import is_quoted, speaker, speakers


@pytest.mark.parametrize("sentence, who", [
    ("“DeepSeek shows China is not behind,” said Ye Kejiang, a doctoral researcher.", "Ye Kejiang"),
    ("“It is a threat,” Senator Josh Hawley said.", "Senator Josh Hawley"),
    ("David Chao, Asia-Pacific strategist at Invesco, said the implications are broad.", "David Chao"),
    ("But Ye said an open-source outlook can help.", "Ye"),
    ("Marc Andreessen described DeepSeek as a Sputnik moment.", "Marc Andreessen"),
    ("According to Bloomberg, shares fell.", "Bloomberg"),
    ("DeepSeek released a model on Monday.", None),
    ("The company said it would comply.", None),
])
def test_speaker_is_found_in_common_constructions(sentence, who):
    assert speaker(sentence) == who


def test_pronoun_speakers_resolve_to_the_last_named_speaker():
    assert speakers(["Ye Kejiang said it was great.", "“It is a feat,” he said.", "Markets rose."]) == ["Ye Kejiang", "Ye Kejiang", None]


def test_quotation_marks_mark_direct_speech():
    assert is_quoted("“We remain confident,” he said.") and not is_quoted("He remained confident.")


@pytest.mark.parametrize("sentences", [
    ["Ye Kejiang said it was great.", "“It is a feat,” he said.", "Markets rose.", "“Wow,” she said."],
    ["“It is a feat,” he said.", "Ye said so.", "Then he said more.", "Ye said so."],
    ["According to Bloomberg, shares fell.", "“Bad,” they said.", "“Good,” said Marc Andreessen.", "He said it twice.", "They wrote."],
    ["Nobody speaks.", "The company said it would comply.", "“Fine,” he said."],
])
def test_speaker_at_equals_speakers(sentences):
    from analysis.speech import speaker_at

    assert [speaker_at(sentences, i) for i in range(len(sentences))] == speakers(sentences)


def test_speaker_at_equals_speakers_on_the_shared_corpus(shared_corpus):
    from analysis import ingest
    from analysis.speech import speaker_at
    from analysis.stance import sentences

    for text in ingest.corpus(shared_corpus, progress=False).paragraphs["text"].tolist():
        every = sentences(text)
        assert [speaker_at(every, i) for i in range(len(every))] == speakers(every)


def test_the_cheap_first_test_agrees_with_its_regex():
    from analysis.speech import _MAYBE, _maybe

    cases = ["He said so.", "sai d", "According to X", "according to X", "ccording to", "Saids", "unsaid", "", "nothing here",
             "she tweeted", "Tweeted", "as described", "asked", "ask ed", "caccording to y", "éxplained", "writes"]
    for sentence in cases:
        assert _maybe(sentence) == bool(_MAYBE.search(sentence)), sentence
