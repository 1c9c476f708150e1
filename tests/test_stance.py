"""Target-aware stance: which sentences are about the target, cue words, labels, the model interface."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import codebook
from analysis.paths import DEFAULT_CODEBOOK
from analysis.stance import STANCE_COLUMNS, LexiconStance, sentences, vader
from analysis.training import tagged_stance

BOOK = codebook.load(DEFAULT_CODEBOOK)


@pytest.fixture()
def deepseek():
    return LexiconStance(BOOK.target("deepseek")).fit()


def test_vader_lexicon_loads_from_the_installed_package_without_downloads():
    assert vader().polarity_scores("This is a wonderful, impressive result.")["compound"] > 0.5
    assert vader().polarity_scores("A dangerous and terrible failure.")["compound"] < -0.5


def test_sentences_split_without_trained_data():
    assert sentences("DeepSeek launched R1. Markets fell! Why? Nobody knows.") == ["DeepSeek launched R1.", "Markets fell!", "Why?", "Nobody knows."]


def test_only_sentences_about_the_target_are_scored(deepseek):
    text = "The weather in Paris was terrible and gloomy. DeepSeek released an impressive model."
    assert deepseek.target_sentences(text) == ["DeepSeek released an impressive model."]
    assert deepseek.label_of(text)[0] == "favor"


def test_a_pronoun_sentence_after_a_mention_is_about_the_target(deepseek):
    text = "DeepSeek launched on Monday. It has been praised as a remarkable breakthrough. Rain fell."
    assert deepseek.target_sentences(text) == ["DeepSeek launched on Monday.", "It has been praised as a remarkable breakthrough."]


@pytest.mark.parametrize("text, label", [
    ("DeepSeek's censorship of Tiananmen questions raises serious privacy concerns and risks.", "against"),
    ("DeepSeek achieved a remarkable breakthrough at a fraction of the cost.", "favor"),
    ("DeepSeek is based in Hangzhou.", "neutral"),
    ("Stocks fell sharply on Monday in a terrible rout.", "neutral"),  # no target: not evaluated
])
def test_deepseek_stance_labels(deepseek, text, label):
    assert deepseek.label_of(text)[0] == label


def test_evidence_holds_the_deciding_sentence(deepseek):
    label, score, evidence = deepseek.label_of("Rain fell in Paris. Critics warned DeepSeek poses security risks and dangers.")
    assert label == "against" and score < 0
    assert evidence == "[Critics] Critics warned DeepSeek poses security risks and dangers."


@pytest.mark.parametrize("text, label", [
    ("US export controls on Nvidia chips proved futile and backfired.", "oppose"),
    ("DeepSeek overcame the export restrictions with cheaper chips.", "oppose"),
    ("Lawmakers said tighter export controls are necessary to protect national security.", "support"),
    ("The export controls were introduced in October 2022.", "neutral"),
])
def test_export_control_cues_decide_the_label(text, label):
    paragraphs = pd.DataFrame({"paragraph_id": ["p1"], "text": [text]})
    frames = pd.DataFrame({"paragraph_id": ["p1"], "frame": ["export_controls"], "score": [2.0], "method": ["lexicon"], "evidence": [""]})
    out = tagged_stance(paragraphs, frames, BOOK, 'lexicon')
    assert out.loc[out["target"] == "export_controls", "label"].tolist() == [label]


def test_export_control_stance_is_only_scored_where_the_frame_is_present():
    paragraphs = pd.DataFrame({"paragraph_id": ["p1", "p2"], "text": ["Export controls are futile.", "Export controls are futile."]})
    frames = pd.DataFrame({"paragraph_id": ["p2"], "frame": ["export_controls"], "score": [2.0], "method": ["lexicon"], "evidence": [""]})
    out = tagged_stance(paragraphs, frames, BOOK, 'lexicon')
    assert list(out.columns) == STANCE_COLUMNS
    assert out[out["target"] == "export_controls"]["paragraph_id"].tolist() == ["p2"]
    assert sorted(out[out["target"] == "deepseek"]["paragraph_id"]) == ["p1", "p2"]


def test_predict_before_fit_fails_clearly():
    with pytest.raises(RuntimeError, match="not fitted"):
        LexiconStance(BOOK.target("deepseek")).predict(pd.DataFrame({"paragraph_id": ["p"], "text": ["DeepSeek"]}))


def test_predict_returns_one_row_per_paragraph_with_the_contract_columns(deepseek):
    out = deepseek.predict(pd.DataFrame({"paragraph_id": ["a", "b"], "text": ["DeepSeek is great.", "Nothing here."]}))
    assert list(out.columns) == STANCE_COLUMNS
    assert out["paragraph_id"].tolist() == ["a", "b"] and set(out["method"]) == {"lexicon"}


def test_reported_speech_keeps_the_speaker_as_evidence(deepseek):
    text = "Shares fell. “DeepSeek is a dangerous threat to our security,” said Senator Jane Doe, a critic of the app."
    label, _, evidence = deepseek.label_of(text)
    assert label == "against"
    assert evidence.startswith("[Senator Jane Doe] “DeepSeek is a dangerous threat")


def test_codebook_frames_lean_the_deepseek_stance():
    plain = LexiconStance(BOOK.target("deepseek")).fit()
    with_frames = LexiconStance(BOOK.target("deepseek"), codebook=BOOK).fit()
    text = "DeepSeek stores user data on servers in China, regulators said, citing privacy and national security risks."
    assert with_frames.frame_signal(text) < 0
    assert with_frames.label_of(text)[1] < plain.label_of(text)[1]


VADER_CASES = ["Good!! bad?? 'wow' -great- ,,cat, cat,, :) :-( LOL!!!! wasn't GOOD. But it's not bad", "no", "", "kind of good",
               "at least ok", "He said: \"terrible,\" and 'awful'!", "The BEST and the worst, sort of", "never so good; not very bad",
               "DeepSeek’s success—a triumph?!", "cat, cat! ,cat ;cat cat... 'cat' \"cat\""]


def test_fast_vader_scores_equal_nltks_own(shared_corpus):
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    from analysis import ingest
    from analysis.sentiment import VADER_LEXICON, PackagedVader as _PackagedVader

    class Reference(_PackagedVader):
        polarity_scores = SentimentIntensityAnalyzer.polarity_scores

    reference = Reference(VADER_LEXICON.read_text(encoding="utf-8"))
    texts = ingest.corpus(shared_corpus, progress=False).paragraphs["text"].tolist()[:400]
    cases = VADER_CASES + [s for t in texts for s in sentences(t)]
    assert [vader().polarity_scores(s) for s in cases] == [reference.polarity_scores(s) for s in cases]


def test_sentences_equal_plain_punkt():
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    texts = VADER_CASES + ["Mr. Smith went to Washington. He said so.", "J. S. Bach wrote it in 1720. Then more!", "U.S. chips. (Ban.) Next."]
    plain = PunktSentenceTokenizer()
    assert [sentences(t) for t in texts] == [[s for s in plain.tokenize(t) if s.strip()] for t in texts]


def test_predict_with_given_lexicon_frames_equals_predict():
    from analysis.tag import fitted_tagger

    model = LexiconStance(BOOK.target("deepseek"), codebook=BOOK).fit()
    paragraphs = pd.DataFrame({"paragraph_id": ["a", "b", "c"], "text": [
        "DeepSeek achieved a breakthrough at a fraction of the cost, open-source and cheap.",
        "Critics warned DeepSeek censors answers and poses security risks.", "Rain fell."]})
    frames = fitted_tagger(BOOK).predict(paragraphs)
    pd.testing.assert_frame_equal(model.predict(paragraphs, lexicon_frames=frames), model.predict(paragraphs))


def test_supervised_stance_has_the_lexicon_interface_and_learns_from_codings():
    from analysis.stance_supervised import SupervisedStance, stance_model

    praise = [f"DeepSeek achieved a remarkable breakthrough number {n}, experts praised it." for n in range(15)]
    doubt = [f"DeepSeek raises serious privacy concerns and security risks, regulators warned in case {n}." for n in range(15)]
    plain = [f"DeepSeek is based in Hangzhou, report {n} said." for n in range(15)]
    paragraphs = pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(45)], "text": praise + doubt + plain})
    labels = pd.Series(["favor"] * 15 + ["against"] * 15 + ["neutral"] * 15)
    model = stance_model(BOOK, "deepseek", "supervised")
    assert isinstance(model, SupervisedStance)
    with pytest.raises(RuntimeError, match="not fitted"):
        model.predict(paragraphs)
    out = model.fit(paragraphs, labels).predict(pd.DataFrame({"paragraph_id": ["a", "b"], "text": [
        "Experts praised DeepSeek's remarkable breakthrough.", "Regulators warned DeepSeek raises privacy concerns."]}))
    assert list(out.columns) == STANCE_COLUMNS and set(out["method"]) == {"supervised"}
    assert out["label"].tolist() == ["favor", "against"] and out.loc[0, "score"] > 0 > out.loc[1, "score"]
    with pytest.raises(ValueError, match="not labels of target 'deepseek'"):
        stance_model(BOOK, "deepseek", "supervised").fit(paragraphs, pd.Series(["love"] * 45))


def _reference_label(model: LexiconStance, text: str, present: set[str]) -> tuple[str, float, str]:
    """The lexicon stance of a paragraph the plain way: NLTK's Punkt and VADER, every regex on every sentence, every speaker."""
    from nltk.sentiment.vader import SentimentIntensityAnalyzer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from analysis.sentiment import VADER_LEXICON, PackagedVader
    from analysis.speech import speakers

    class NltkVader(PackagedVader):
        polarity_scores = SentimentIntensityAnalyzer.polarity_scores

    every = [s for s in PunktSentenceTokenizer().tokenize(text) if s.strip()]
    chosen, previous = [], False
    for sentence in every:
        mentions = bool(model.aliases_.search(sentence))
        follows = previous and model.pronoun_ is not None and bool(model.pronoun_.match(sentence.lstrip("“\"‘' ")))
        if mentions or follows:
            chosen.append(sentence)
        previous = mentions or follows
    positive, negative, neutral = model.labels_
    if not chosen:
        return neutral, 0.0, ""
    analyser = NltkVader(VADER_LEXICON.read_text(encoding="utf-8"))
    scores = [max(-1.0, min(1.0, model.sentiment_weight * analyser.polarity_scores(s)["compound"]
                            + model.cue_weight * (len(model.positive_.findall(s)) - len(model.negative_.findall(s))))) for s in chosen]
    ids = BOOK.frame_ids
    signal = sum(sign for index, sign in model.frame_signs_.items() if ids[index] in present)
    score = max(-1.0, min(1.0, sum(scores) / len(scores) + model.frame_weight * signal))
    label = positive if score >= model.threshold else negative if score <= -model.threshold else neutral
    deciding = [s for s, v in zip(chosen, scores) if abs(v) >= model.threshold] or chosen
    last = max(i for i, s in enumerate(every) if s in set(deciding))
    who = dict(zip(every, speakers(every[:last + 1])))
    return label, round(score, 4), " | ".join(f"[{who[s]}] {s}" if who.get(s) else s for s in deciding)


VARIED = [
    "DeepSeek achieved a breakthrough. It was praised as remarkable. Markets fell.",
    "“DeepSeek is a threat,” said Senator Josh Hawley. “It steals data,” he added. The company declined to comment.",
    "Ye Kejiang said it was great. “The model is a feat,” he said. “The model is a feat,” he said.",
    "Rain fell. Nothing about the target here at all.",
    "Critics doubted the startup’s claims; the app was banned in Italy. But its model is impressive and cheap!",
    "According to Bloomberg, DeepSeek-R1 topped the charts. They said it was free. Their rivals were worried.",
    "The \u212aELVIN DEEPSEEK app was blocked. ΟΔΟΣ said the firm is great. The ſtart-up (deepſeek) rose.",
    "US export controls on chips have backfired, analysts said. The sanctions were futile. Washington must tighten the curbs.",
    "Mr. Liang Wenfeng, founder of High-Flyer, said the A.I. model cost U.S. $5.6 million. It is not bad at all... Really?!",
    "",
]


@pytest.mark.parametrize("target", [t.id for t in BOOK.stance])
@pytest.mark.parametrize("present", [set(), {"security_risk"}, {"cost_efficiency", "china_innovation"}])
def test_fast_label_equals_a_plain_per_sentence_reference(target, present):
    model = LexiconStance(BOOK.target(target), codebook=BOOK).fit()
    assert [model._label(t, present) for t in VARIED] == [_reference_label(model, t, present) for t in VARIED]


def test_fast_label_equals_the_plain_reference_on_the_shared_corpus(shared_corpus):
    from analysis import ingest

    texts = ingest.corpus(shared_corpus, progress=False).paragraphs["text"].tolist()
    for target in BOOK.stance:
        model = LexiconStance(target, codebook=BOOK).fit()
        assert [model._label(t, {"security_risk"}) for t in texts] == [_reference_label(model, t, {"security_risk"}) for t in texts]
