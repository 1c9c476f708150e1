"""The method behind each table, in plain words: `note(kind, **facts)` returns the text shown under it.

A reader who is not a statistician should learn from the note what was counted,
what the interval or test means and where it can mislead. Notes state the
run's actual settings (resamples, seed, pooling), never generic placeholders.
"""

from __future__ import annotations

import pandas as pd

_NOTES = {
    "frame_shares": (
        "Each number is the share of the outlet's paragraphs in which the frame was found, with the paragraph count "
        "beside it. A paragraph can carry several frames, so the shares of one outlet do not add up to 100%."
    ),
    "shares_ci": (
        "Paragraph share: the outlet's paragraphs carrying the frame divided by all its paragraphs. Article share: the "
        "outlet's articles with at least one such paragraph, divided by its articles. The 95% intervals come from a "
        "bootstrap that resamples whole articles ({n_resamples} resamples, seed {seed}), because paragraphs of one article "
        "are not independent; an outlet with one article gets no interval, and with a handful of articles the interval "
        "is too narrow rather than too wide. {pooling}"
    ),
    "chi_square": (
        "The chi-square test asks whether the mix of frames differs between outlets more than chance would produce. It "
        "counts frame mentions (paragraphs carrying a frame) per outlet; frames or outlets without any mention are left "
        "out. Its usual p-value treats every mention as independent, which overstates certainty because mentions "
        "cluster within articles; the permutation p-value shuffles outlet labels between whole articles "
        "({n_permutations} times) and is the one to trust. Cramér's V measures the strength of the association from "
        "0 (no difference between outlets) to 1 (each outlet uses its own frames); below about 0.1 is weak."
    ),
    "residuals": (
        "Adjusted (standardised) residuals: for each outlet and frame, how far the observed number of mentions lies "
        "from the number expected if all outlets mixed frames alike, in standard-error units. Beyond +2 the outlet "
        "uses the frame clearly more than expected, below -2 clearly less. Like the chi-square p-value they treat "
        "mentions as independent, so read them as a guide to where differences lie, not as tests."
    ),
    "outlet_vs_rest": (
        "Each outlet against all the others: the difference between its paragraph share and the share in the rest of "
        "the corpus. The p-value comes from shuffling outlet labels between whole articles ({n_permutations} times); "
        "because {comparisons} comparisons are made at once, p-values are adjusted for multiple testing "
        "({method_name}); 'significant' means an adjusted p-value below {alpha}. The smallest p-value a run can give is "
        "{p_floor:.4f}."
    ),
    "pooled": (
        "Outlets pooled into \"{other}\" for the statistics and charts (each is still named on its profile page "
        "and in the evidence)."
    ),
    "cooccurrence": (
        "How often two frames are found in the same paragraph. 'share_of_frame' reads along a row: of the paragraphs "
        "carrying the first frame, the share that also carry the second. 'jaccard' is symmetric: paragraphs with both "
        "divided by paragraphs with either. The diagonal counts the paragraphs carrying each frame."
    ),
    "over_time": (
        "Only dated articles ({dated} of {articles}) enter; paragraphs are grouped by {unit_name}. Each share is the "
        "outlet's paragraphs in that {unit_name} carrying the frame divided by all its paragraphs in that {unit_name}, "
        "so an outlet that published more does not weigh more. Periods with few paragraphs swing widely: the first "
        "panel shows how many paragraphs each period holds."
    ),
    "position": (
        "Where in the article frames appear. Headline and standfirst (sub-title); the lead is the first {lead} body "
        "paragraphs of each article; later is every other body paragraph; captions are listed apart. Each share is "
        "the paragraphs of that part carrying the frame divided by all paragraphs of that part."
    ),
    "stance": (
        "Stance toward {target}: for each outlet, the share of its scored paragraphs given each label ({labels}). {scope} Labels come "
        "from a lexicon and cue words applied to the sentences that mention the target; read the deciding sentences "
        "before quoting a number."
    ),
    "stance_by_frame": (
        "Stance toward {target} within each frame: among the paragraphs carrying the frame, the share labelled "
        "{labels}. A paragraph with two frames counts under both."
    ),
}

_METHOD_NAMES = {"fdr_bh": "Benjamini-Hochberg false discovery rate", "holm": "Holm", "bonferroni": "Bonferroni",
                 "fdr_by": "Benjamini-Yekutieli false discovery rate"}
_UNIT_NAMES = {"D": "day", "W": "week", "M": "month"}


def note(kind: str, **facts) -> str:
    """Return the plain-words method note for a table of `kind` (see `_NOTES`), filled with the run's `facts`.

    Raises KeyError naming the known kinds when `kind` is unknown.
    """
    if kind not in _NOTES:
        raise KeyError(f"no method note {kind!r} (known: {', '.join(sorted(_NOTES))})")
    if "method" in facts:
        facts.setdefault("method_name", _METHOD_NAMES.get(facts["method"], facts["method"]))
    if "n_permutations" in facts:
        facts.setdefault("p_floor", 1 / (facts["n_permutations"] + 1))
    if "unit" in facts:
        facts.setdefault("unit_name", _UNIT_NAMES.get(facts["unit"], facts["unit"]))
    if "labels" in facts and not isinstance(facts["labels"], str):
        facts["labels"] = ", ".join(facts["labels"])
    return _NOTES[kind].format(**facts)


def pooling_text(pooled: pd.DataFrame, *, min_paragraphs: int, other: str = "other") -> str:
    """Return one sentence naming the outlets pooled as `other` (or saying none were)."""
    if pooled.empty:
        return f"No outlet has fewer than {min_paragraphs} paragraphs, so none is pooled."
    parts = [f"{reason}: " + ", ".join(f"{row.outlet} ({row.paragraphs})" for row in group.itertuples())
             for reason, group in pooled.groupby("reason", sort=False)]
    return f"Pooled as \"{other}\" ({len(pooled)} outlet(s), paragraphs in brackets) - " + "; ".join(parts) + "."
