"""Stance toward the codebook's targets (DeepSeek; US export controls), scored per paragraph.

The lexicon method is target-aware: it scores only the sentences that speak
about the target (its names and aliases, and a following sentence that opens
with a pronoun referring back), with VADER's sentiment lexicon (shipped in the
vaderSentiment package and read by NLTK's analyser; no download) plus the
codebook's cue words for each label. Export-control stance is scored only for
paragraphs that carry the export-controls frame, from its cues.

Output columns (`STANCE_COLUMNS`): paragraph_id, target, label, score, method,
evidence (the sentences that decided the label).
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

import pandas as pd
import vaderSentiment
from nltk.sentiment.vader import SentimentIntensityAnalyzer, SentiText, VaderConstants
from nltk.tokenize.punkt import PunktSentenceTokenizer

from .codebook import Codebook, StanceTarget
from .engine_regex import LiteralTest
from .speech import speakers

STANCE_COLUMNS = ["paragraph_id", "target", "label", "score", "method", "evidence"]
VADER_LEXICON = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")
class _Punkt(PunktSentenceTokenizer):
    """Untrained Punkt whose decision at each candidate break (a function of the few words around it) is remembered."""

    def text_contains_sentbreak(self, text: str) -> bool:
        return _sentbreak(text)


@lru_cache(maxsize=200_000)
def _sentbreak(context: str) -> bool:
    return PunktSentenceTokenizer.text_contains_sentbreak(_PLAIN_PUNKT, context)


_PLAIN_PUNKT = PunktSentenceTokenizer()
_SENTENCES = _Punkt()  # untrained Punkt: no data download needed


class _PackagedVader(SentimentIntensityAnalyzer):
    """NLTK's VADER analyser fed the lexicon text directly.

    NLTK's own constructor resolves the file through `nltk.data`, which only trusts
    NLTK's data folders; the lexicon we read ships inside the vaderSentiment wheel.
    """

    def __init__(self, lexicon_text: str):
        self.lexicon_file = lexicon_text.strip("\n")
        self.lexicon = self.make_lex_dict()
        self.constants = VaderConstants()

    def polarity_scores(self, text):
        """Return NLTK's VADER scores for `text` (NLTK's code, with a faster, equivalent word splitter)."""
        sentitext = _SentiText(text, self.constants.PUNC_LIST, self.constants.REGEX_REMOVE_PUNCTUATION)
        sentiments = []
        words_and_emoticons = sentitext.words_and_emoticons
        first_index = {}
        for idx, token in enumerate(words_and_emoticons):
            if token not in first_index:
                first_index[token] = idx
        booster, lexicon, last = self.constants.BOOSTER_DICT, self.lexicon, len(words_and_emoticons) - 1
        for item in words_and_emoticons:
            i = first_index[item]
            low = item.lower()
            if (i < last and low == "kind" and words_and_emoticons[i + 1].lower() == "of") or low in booster or low not in lexicon:
                sentiments.append(0)  # NLTK appends its valence 0 here (sentiment_valence leaves it 0 off the lexicon)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text)


_PUNCT = string.punctuation
_PUNCT_CLASS = f"[{re.escape(string.punctuation)}]"
_NO_PUNCT = str.maketrans("", "", string.punctuation)


class _SentiText(SentiText):
    """NLTK's SentiText without its quadratic table of every word with every punctuation mark.

    NLTK maps a token such as "cat," or ",cat" to "cat" when "cat" (two characters or more) is a
    word of the punctuation-free text and the punctuation is one of PUNC_LIST: it builds every such
    key. A word holds no ASCII punctuation, so the split of a token into word and punctuation is
    unique; checking that split gives the same tokens.
    """

    def _words_and_emoticons(self):
        if self.REGEX_REMOVE_PUNCTUATION.pattern == _PUNCT_CLASS:  # NLTK's class of ASCII punctuation: delete it directly
            plain = self.text.translate(_NO_PUNCT)
        else:
            plain = self.REGEX_REMOVE_PUNCTUATION.sub("", self.text)
        words_only = {w for w in plain.split() if len(w) > 1}
        marks = self._marks()
        out = []
        for token in self.text.split():
            if len(token) <= 1:
                continue
            if token[0] not in _PUNCT and token[-1] not in _PUNCT:  # nothing to strip
                out.append(token)
                continue
            word = token.rstrip(_PUNCT)
            if word != token and token[len(word):] in marks and word in words_only:
                out.append(word)
                continue
            word = token.lstrip(_PUNCT)
            if word != token and token[:len(token) - len(word)] in marks and word in words_only:
                out.append(word)
                continue
            out.append(token)
        return out

    def _marks(self) -> frozenset:
        return _marks_of(tuple(self.PUNC_LIST))


@lru_cache(maxsize=4)
def _marks_of(punctuation: tuple) -> frozenset:
    return frozenset(punctuation)


@lru_cache(maxsize=1)
def vader() -> SentimentIntensityAnalyzer:
    """Return NLTK's VADER analyser with the lexicon file that ships in vaderSentiment."""
    return _PackagedVader(VADER_LEXICON.read_text(encoding="utf-8"))


def sentences(text: str) -> list[str]:
    """Return the sentences of a paragraph (Punkt without trained abbreviations)."""
    return [s for s in _SENTENCES.tokenize(text) if s.strip()]


def _alternation(words: tuple[str, ...], *, bounded: bool = True) -> re.Pattern:
    parts = sorted({re.escape(w).replace(r"\-", "[-\\s]?").replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    if not parts:
        return re.compile(r"(?!x)x")
    if not bounded:  # a looser test (any sentence matching the bounded form contains a match of this one)
        return re.compile("|".join(parts), re.IGNORECASE)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class LexiconStance:
    """Target-aware stance from VADER sentiment plus codebook cues, one target at a time.

    `favor_label`/`against_label` are the target's positive and negative labels (e.g.
    favor/against, support/oppose); the last label is the neutral one.
    """

    method = "lexicon"

    def __init__(self, target: StanceTarget, *, threshold: float = 0.15, cue_weight: float = 0.5, sentiment_weight: float = 1.0,
                 codebook: Codebook | None = None, frame_weight: float = 0.4):
        self.target = target
        self.threshold = threshold
        self.cue_weight = cue_weight
        self.sentiment_weight = sentiment_weight
        self.codebook = codebook
        self.frame_weight = frame_weight

    def fit(self, paragraphs: pd.DataFrame | None = None, labels: pd.Series | None = None) -> "LexiconStance":
        """Compile the target's alias and cue patterns; return self."""
        positive, negative, neutral = self.target.labels[0], self.target.labels[1], self.target.labels[-1]
        self.labels_ = (positive, negative, neutral)
        self.aliases_ = _alternation(self.target.aliases)
        self.mentions_ = _alternation(self.target.aliases, bounded=False)
        self.pronoun_ = _alternation(self.target.pronouns) if self.target.pronouns else None
        self.positive_ = _alternation(self.target.cues.get(positive, ()))
        self.negative_ = _alternation(self.target.cues.get(negative, ()))
        # cheap necessary tests (the patterns' words in the lower-cased text): the regexes run only where they can match
        self.tests_ = {name: LiteralTest(getattr(self, name)) for name in ("aliases_", "mentions_", "positive_", "negative_")}
        self.frame_signs_ = {}
        if self.codebook is not None and self.target.frame_cues:
            from .tag import fitted_tagger  # late import: tag imports nothing from here, but keeps this module light

            self.frames_ = fitted_tagger(self.codebook)
            ids = self.codebook.frame_ids
            self.frame_signs_ = {ids.index(f): sign for label, sign in ((positive, 1.0), (negative, -1.0))
                                 for f in self.target.frame_cues.get(label, ())}
        return self

    def frame_signal(self, text: str) -> float:
        """Return the codebook-frame cue for a paragraph: +1 per favourable frame present, -1 per unfavourable one."""
        if not self.frame_signs_:
            return 0.0
        frames, scored = self.codebook.frames, self.frames_.scores(text)
        return sum(sign for index, sign in self.frame_signs_.items() if scored.get(index, (0.0, []))[0] >= frames[index].threshold)

    def _signal_from(self, present: set[str]) -> float:
        """Return `frame_signal` from the lexicon frames found in the paragraph (their ids)."""
        ids = self.codebook.frame_ids
        return sum(sign for index, sign in self.frame_signs_.items() if ids[index] in present)

    def target_sentences(self, text: str) -> list[str]:
        """Return the sentences that speak about the target (aliases, then pronoun follow-ons)."""
        if not hasattr(self, "aliases_"):
            raise RuntimeError("LexiconStance is not fitted: call fit() first")
        return self._about(sentences(text))

    def _about(self, every: list[str]) -> list[str]:
        found, previous = [], False
        alias_test = self.tests_["aliases_"]
        for sentence in every:
            mentions = alias_test.maybe(sentence) and bool(self.aliases_.search(sentence))
            follows = previous and self.pronoun_ is not None and bool(self.pronoun_.match(sentence.lstrip("“\"‘' ")))
            if mentions or follows:
                found.append(sentence)
            previous = mentions or follows
        return found

    def sentence_score(self, sentence: str) -> float:
        """Return a sentence's stance score in [-1, 1]: sentiment plus cue balance."""
        tests = self.tests_
        positive = len(self.positive_.findall(sentence)) if tests["positive_"].maybe(sentence) else 0
        negative = len(self.negative_.findall(sentence)) if tests["negative_"].maybe(sentence) else 0
        cues = positive - negative
        sentiment = vader().polarity_scores(sentence)["compound"] if self.sentiment_weight else 0.0
        return max(-1.0, min(1.0, self.sentiment_weight * sentiment + self.cue_weight * cues))

    def label_of(self, text: str) -> tuple[str, float, str]:
        """Return (label, score, evidence) for one paragraph.

        The evidence is the deciding sentences, each prefixed with its speaker in brackets
        when it reports someone's words: a quoted critic's stance is the critic's, and the
        reader sees whose it is.
        """
        if not hasattr(self, "aliases_"):
            raise RuntimeError("LexiconStance is not fitted: call fit() first")
        return self._label(text, None)

    def _label(self, text: str, present: set[str] | None) -> tuple[str, float, str]:
        """`label_of`, with the paragraph's lexicon frames given (`present`) or found here (None)."""
        if not (self.tests_["mentions_"].maybe(text) and self.mentions_.search(text)):  # no alias: no sentence is about the target
            return self.labels_[2], 0.0, ""
        every = sentences(text)
        chosen = self._about(every)
        if not chosen:
            return self.labels_[2], 0.0, ""
        scores = [self.sentence_score(s) for s in chosen]
        signal = self.frame_signal(text) if present is None or not self.frame_signs_ else self._signal_from(present)
        score = max(-1.0, min(1.0, sum(scores) / len(scores) + self.frame_weight * signal))
        label = self.labels_[0] if score >= self.threshold else self.labels_[1] if score <= -self.threshold else self.labels_[2]
        deciding = [s for s, v in zip(chosen, scores) if abs(v) >= self.threshold] or chosen
        return label, round(score, 4), " | ".join(self._attributed(every, deciding))

    @staticmethod
    def _attributed(every: list[str], chosen: list[str]) -> list[str]:
        """Return the sentences with their speaker in brackets where they report someone's words."""
        wanted = set(chosen)
        last = max(i for i, s in enumerate(every) if s in wanted)  # a speaker depends on the sentences before it only
        who = dict(zip(every, speakers(every[:last + 1])))
        return [f"[{who[s]}] {s}" if who.get(s) else s for s in chosen]

    def predict(self, paragraphs: pd.DataFrame, *, lexicon_frames: pd.DataFrame | None = None) -> pd.DataFrame:
        """Return one row per paragraph (`STANCE_COLUMNS`) from columns paragraph_id, text.

        `lexicon_frames`, when given, are the lexicon tagger's frame rows for these paragraphs
        (e.g. from the same tag run): the frame cue is read from them instead of matching again.
        """
        if not hasattr(self, "aliases_"):
            raise RuntimeError("LexiconStance is not fitted: call fit() first")
        present: dict = {}
        if lexicon_frames is not None and self.frame_signs_:
            for pid, frame in zip(lexicon_frames["paragraph_id"].tolist(), lexicon_frames["frame"].tolist()):
                present.setdefault(pid, set()).add(frame)
        empty: set[str] = set()
        rows = [(pid, self.target.id, *self._ordered(self._label(text, present.get(pid, empty) if lexicon_frames is not None else None)))
                for pid, text in zip(paragraphs["paragraph_id"].tolist(), paragraphs["text"].tolist())]
        return pd.DataFrame(rows, columns=STANCE_COLUMNS)

    def _ordered(self, result: tuple[str, float, str]) -> tuple[str, float, str, str]:
        label, score, evidence = result
        return label, score, self.method, evidence
