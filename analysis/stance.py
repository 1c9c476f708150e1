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

import pandas as pd

from .codebook import Codebook, StanceTarget
from .engine_regex import LiteralTest
from .sentiment import VADER_LEXICON, vader
from .speech import speaker_at
from .stance_text import Needles, factored, sentence_spans, sentences

__all__ = ["STANCE_COLUMNS", "VADER_LEXICON", "LexiconStance", "sentences", "vader"]
STANCE_COLUMNS = ["paragraph_id", "target", "label", "score", "method", "evidence"]


def _alternation(words: tuple[str, ...], *, bounded: bool = True, plain: bool = False) -> re.Pattern:
    """The words as one case-insensitive regex (longest first); factored by leading characters unless `plain`, same matches."""
    parts = sorted({re.escape(w).replace(r"\-", "[-\\s]?").replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    if not parts:
        return re.compile(r"(?!x)x")
    if not bounded:  # a looser test (any sentence matching the bounded form contains a match of this one)
        return re.compile("|".join(parts), re.IGNORECASE)
    return re.compile(r"(?<!\w)(?:" + ("|".join(parts) if plain else factored(parts)) + r")(?!\w)", re.IGNORECASE)


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
        self.pronoun_ = _alternation(self.target.pronouns) if self.target.pronouns else None
        self.positive_ = _alternation(self.target.cues.get(positive, ()))
        self.negative_ = _alternation(self.target.cues.get(negative, ()))
        # cheap necessary tests (the patterns' words in the lower-cased text): the regexes run only where they can match
        words = {"aliases_": self.target.aliases, "positive_": self.target.cues.get(positive, ()),
                 "negative_": self.target.cues.get(negative, ())}
        self.tests_ = {name: LiteralTest(_alternation(listed, plain=True)) for name, listed in words.items()}
        self.needles_ = Needles(words)  # the same tests, once per paragraph
        self.frame_signs_ = {}
        if self.codebook is not None and self.target.frame_cues:
            from .tag import fitted_tagger  # late import: tag imports nothing from here, but keeps this module light

            self.frames_ = fitted_tagger(self.codebook)
            ids = self.codebook.frame_ids
            self.frame_signs_ = {ids.index(f): sign for label, sign in ((positive, 1.0), (negative, -1.0))
                                 for f in self.target.frame_cues.get(label, ())}
        self.frame_sign_ids_ = [(self.codebook.frame_ids[index], sign) for index, sign in self.frame_signs_.items()]
        return self

    def frame_signal(self, text: str) -> float:
        """Return the codebook-frame cue for a paragraph: +1 per favourable frame present, -1 per unfavourable one."""
        if not self.frame_signs_:
            return 0.0
        frames, scored = self.codebook.frames, self.frames_.scores(text)
        return sum(sign for index, sign in self.frame_signs_.items() if scored.get(index, (0.0, []))[0] >= frames[index].threshold)

    def _signal_from(self, present: set[str]) -> float:
        """Return `frame_signal` from the lexicon frames found in the paragraph (their ids)."""
        return sum(sign for frame, sign in self.frame_sign_ids_ if frame in present)

    def target_sentences(self, text: str) -> list[str]:
        """Return the sentences that speak about the target (aliases, then pronoun follow-ons)."""
        if not hasattr(self, "aliases_"):
            raise RuntimeError("LexiconStance is not fitted: call fit() first")
        every = sentences(text)
        return [every[k] for k in self._about(every)]

    def _about(self, every: list[str], may: list | None = None) -> list[int]:
        """Return the indices of the sentences about the target; `may[k]`: the patterns that may match sentence k (`Needles`)."""
        found, previous = [], False
        alias_test = self.tests_["aliases_"]
        for k, sentence in enumerate(every):
            mentions = (alias_test.maybe(sentence) if may is None else "aliases_" in may[k]) and bool(self.aliases_.search(sentence))
            follows = previous and self.pronoun_ is not None and bool(self.pronoun_.match(sentence.lstrip("“\"‘' ")))
            if mentions or follows:
                found.append(k)
            previous = mentions or follows
        return found

    def sentence_score(self, sentence: str, *, may: set[str] | frozenset | None = None) -> float:
        """Return a sentence's stance score in [-1, 1]: sentiment plus cue balance (`may`: as in `_about`)."""
        tests = self.tests_
        maybe_positive = tests["positive_"].maybe(sentence) if may is None else "positive_" in may
        maybe_negative = tests["negative_"].maybe(sentence) if may is None else "negative_" in may
        positive = len(self.positive_.findall(sentence)) if maybe_positive else 0
        negative = len(self.negative_.findall(sentence)) if maybe_negative else 0
        cues = positive - negative
        sentiment = vader().compound(sentence) if self.sentiment_weight else 0.0
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
        hits = self.needles_.hits(text)
        if not self.needles_.anywhere_in(hits, "aliases_"):  # no alias anywhere: no sentence is about the target
            return self.labels_[2], 0.0, ""
        spans, every = [], []  # `sentences`, with their places
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            if sentence.strip():
                spans.append((a, b))
                every.append(sentence)
        may = self.needles_.within(hits, spans)
        about = self._about(every, may)
        if not about:
            return self.labels_[2], 0.0, ""
        chosen = [every[k] for k in about]
        scores = [self.sentence_score(every[k], may=may[k]) for k in about]
        signal = self.frame_signal(text) if present is None or not self.frame_signs_ else self._signal_from(present)
        score = max(-1.0, min(1.0, sum(scores) / len(scores) + self.frame_weight * signal))
        label = self.labels_[0] if score >= self.threshold else self.labels_[1] if score <= -self.threshold else self.labels_[2]
        deciding = [s for s, v in zip(chosen, scores) if abs(v) >= self.threshold] or chosen
        return label, round(score, 4), " | ".join(self._attributed(every, deciding))

    @staticmethod
    def _attributed(every: list[str], chosen: list[str]) -> list[str]:
        """Return the sentences with their speaker in brackets where they report someone's words."""
        at = {s: i for i, s in enumerate(every)}  # a sentence said twice takes its speaker from its last occurrence
        out = []
        for s in chosen:
            who = speaker_at(every, at[s])
            out.append(f"[{who}] {s}" if who else s)
        return out

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
        ids = paragraphs["paragraph_id"].tolist()
        results = [self._label(text, present.get(pid, empty) if lexicon_frames is not None else None)
                   for pid, text in zip(ids, paragraphs["text"].tolist())]
        labels, scores, evidence = (list(column) for column in zip(*results)) if results else ([], [], [])
        return pd.DataFrame({"paragraph_id": ids, "target": [self.target.id] * len(ids), "label": labels, "score": scores,
                             "method": [self.method] * len(ids), "evidence": evidence}, columns=STANCE_COLUMNS)
