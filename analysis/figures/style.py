"""The look every chart shares: matplotlib set up for files, colour-blind-safe palettes, label helpers.

Palettes are colour-blind safe: cividis for sequential values and the Okabe-Ito
colours for categories.
"""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["text.parse_math"] = False  # outlet names and titles are data: "$" is a dollar, never math
import matplotlib.pyplot as plt  # noqa: E402

DPI = 130  # PNG for the pages; the SVG is the one to publish
OKABE_ITO = ["#0072B2", "#D55E00", "#999999", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
STANCE_COLOURS = {"favor": "#0072B2", "support": "#0072B2", "against": "#D55E00", "oppose": "#D55E00", "neutral": "#BBBBBB"}
SERIES_COLOURS = [c for c in OKABE_ITO if c not in ("#999999", "#F0E442")]  # grey is for pooled groups; yellow is faint on white


def wrap(text: str, width: int) -> str:
    """Return `text` broken into lines of at most `width` characters (a tick label or panel title)."""
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def pooled(name: object) -> bool:
    """Return whether a group is the pooled "other" group (drawn last, in grey)."""
    return str(name).startswith("other")


def group_label(name: object, n: int) -> str:
    """Return a group's axis label with its size: `BBC (n=12)`."""
    return f"{name} (n={n})"


def colourbar(figure: plt.Figure, image, axis: plt.Axes, label: str) -> None:
    """Add a small labelled colour bar for `image` beside `axis`."""
    bar = figure.colorbar(image, ax=axis, fraction=0.035, pad=0.02)
    bar.set_label(label, fontsize=8)
    bar.ax.tick_params(labelsize=7)
