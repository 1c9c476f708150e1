"""VADER sentiment for stance scoring: NLTK's analyser fed the lexicon that ships in vaderSentiment, with a fast compound.

`vader().polarity_scores(text)` is NLTK's own result. `vader().compound(text)` is
its `["compound"]`, computed without NLTK's per-word calls: a word off the
lexicon scores 0 at once, a sentence with no lexicon word is 0.0 at once, and
the rules NLTK applies around a lexicon word (capitals, boosters, negation,
"never so", idioms, "least", "but") are applied in NLTK's order with NLTK's
arithmetic, so the floats are the same. tests/test_stance_text.py compares both
with NLTK's analyser on the shared corpus and on generated sentences.
"""

from __future__ import annotations

import math
import re
import string
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import vaderSentiment
from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

VADER_LEXICON = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt")
_C = VaderConstants
_SO_THIS = ("so", "this")
# the words of NLTK's idioms and two-word boosters: `_idioms_check` can change a valence only where two of them are neighbours
_IDIOM_WORDS = frozenset(w for key in [*_C.SPECIAL_CASE_IDIOMS, *(k for k in _C.BOOSTER_DICT if " " in k)] for w in key.split(" "))


class PackagedVader(SentimentIntensityAnalyzer):
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
        words = vader_words(text)
        sentitext = SimpleNamespace(words_and_emoticons=words, is_cap_diff=_cap_differential(words))
        first_index = {}
        for idx, token in enumerate(words):
            if token not in first_index:
                first_index[token] = idx
        sentiments, booster, lexicon, last = [], self.constants.BOOSTER_DICT, self.lexicon, len(words) - 1
        for item in words:
            i = first_index[item]
            low = item.lower()
            if (i < last and low == "kind" and words[i + 1].lower() == "of") or low in booster or low not in lexicon:
                sentiments.append(0)  # NLTK appends its valence 0 here (sentiment_valence leaves it 0 off the lexicon)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        return self.score_valence(self._but_check(words, sentiments), text)

    def compound(self, text: str) -> float:
        """Return `polarity_scores(text)["compound"]`."""
        words = vader_words(text)
        lows = list(map(str.lower, words))
        present = self.lexicon.keys() & lows
        present.difference_update(_C.BOOSTER_DICT)
        if not present:
            return 0.0  # every word scores 0: the sum is 0 and so is its normalised value
        last = len(words) - 1
        sentiments, scored, cap_diff = [0] * len(words), {}, None
        for low in present:
            j = -1
            for _ in range(lows.count(low)):
                j = lows.index(low, j + 1)
                i = words.index(words[j])  # NLTK scores a repeated word with the context of its first occurrence
                if i < last and low == "kind" and lows[i + 1] == "of":
                    continue
                if i not in scored:
                    cap_diff = _cap_differential(words) if cap_diff is None else cap_diff
                    scored[i] = self._valence(words, lows, i, cap_diff)
                sentiments[j] = scored[i]
        if "but" in lows:  # NLTK's _but_check
            at = lows.index("but")
            sentiments = [s * 0.5 if k < at else s * 1.5 if k > at else s for k, s in enumerate(sentiments)]
        sum_s = float(sum(sentiments))
        if sum_s:  # NLTK's _punctuation_emphasis and normalize, inlined (its amplifier is unused at 0)
            ep_count, qm_count = min(text.count("!"), 4), text.count("?")
            amplifier = ep_count * 0.292 + ((qm_count * 0.18 if qm_count <= 3 else 0.96) if qm_count > 1 else 0)
            sum_s = sum_s + amplifier if sum_s > 0 else sum_s - amplifier
        return round(sum_s / math.sqrt(sum_s * sum_s + 15), 4)

    def _valence(self, words: list[str], lows: list[str], i: int, cap_diff: bool) -> float:
        """NLTK's `sentiment_valence` of the lexicon word at `i` (its `scalar_inc_dec`, `_never_check`, `_least_check` inlined)."""
        lexicon, booster = self.lexicon, _C.BOOSTER_DICT
        valence = lexicon[lows[i]]
        if words[i].isupper() and cap_diff:
            if valence > 0:
                valence += _C.C_INCR
            else:
                valence -= _C.C_INCR
        for start_i in range(0, 3):
            k = i - (start_i + 1)
            if i > start_i and lows[k] not in lexicon:
                s = 0.0
                if lows[k] in booster:
                    s = booster[lows[k]]
                    if valence < 0:
                        s *= -1
                    if words[k].isupper() and cap_diff:
                        if valence > 0:
                            s += _C.C_INCR
                        else:
                            s -= _C.C_INCR
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                if start_i == 0:
                    if _negated(lows[i - 1]):
                        valence = valence * _C.N_SCALAR
                elif start_i == 1:
                    if words[i - 2] == "never" and words[i - 1] in _SO_THIS:
                        valence = valence * 1.5
                    elif _negated(lows[i - 2]):
                        valence = valence * _C.N_SCALAR
                else:
                    if words[i - 3] == "never" and words[i - 2] in _SO_THIS or words[i - 1] in _SO_THIS:
                        valence = valence * 1.25
                    elif _negated(lows[i - 3]):
                        valence = valence * _C.N_SCALAR
                    near = [w in _IDIOM_WORDS for w in words[i - 3:i + 3]]
                    if any(a and b for a, b in zip(near, near[1:])):
                        valence = self._idioms_check(valence, words, i)
        if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
            if lows[i - 2] != "at" and lows[i - 2] != "very":
                valence = valence * _C.N_SCALAR
        elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
            valence = valence * _C.N_SCALAR
        return valence


def _negated(low: str) -> bool:
    """NLTK's `negated([word])` for one lower-cased word."""
    return low in _C.NEGATE or "n't" in low


def _cap_differential(words: list[str]) -> bool:
    """NLTK's `SentiText.allcap_differential`: some but not all words are ALL CAPS."""
    return 0 < len(words) - sum(map(str.isupper, words)) < len(words)


_PUNCT = string.punctuation
_PUNCT_CLASS = re.compile(f"[{re.escape(string.punctuation)}]")
_MARKS = frozenset(VaderConstants.PUNC_LIST)
assert VaderConstants.REGEX_REMOVE_PUNCTUATION.pattern == _PUNCT_CLASS.pattern, "NLTK changed VADER's punctuation"


def vader_words(text: str) -> list[str]:
    """Return NLTK's `SentiText(text, ...).words_and_emoticons`, without its table of every word with every mark.

    NLTK maps a token such as "cat," or ",cat" to "cat" when "cat" is a word (two characters or
    more) of the punctuation-free text and the punctuation is one of PUNC_LIST: it builds every such
    key. Such a word holds no ASCII punctuation, and then it is a word of that text (its own token's),
    so checking the token's one split into word and punctuation gives the same tokens.
    """
    return [t if t[0] not in _PUNCT and t[-1] not in _PUNCT else _unpunctuated(t) for t in text.split() if len(t) > 1]


def _unpunctuated(token: str) -> str:
    word = token.rstrip(_PUNCT)
    if word != token and token[len(word):] in _MARKS and len(word) > 1 and not _PUNCT_CLASS.search(word):
        return word
    word = token.lstrip(_PUNCT)
    if word != token and token[:len(token) - len(word)] in _MARKS and len(word) > 1 and not _PUNCT_CLASS.search(word):
        return word
    return token


@lru_cache(maxsize=1)
def vader() -> PackagedVader:
    """Return NLTK's VADER analyser with the lexicon file that ships in vaderSentiment."""
    return PackagedVader(VADER_LEXICON.read_text(encoding="utf-8"))
