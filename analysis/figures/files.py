"""Writing a chart: PNG for the pages, SVG to publish, and the table behind it as CSV."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ..atomic import replacing, write_csv
from .style import DPI


def save(figure: plt.Figure, table: pd.DataFrame, folder: Path, name: str) -> dict[str, Path]:
    """Write `figure` as PNG and SVG and `table` as CSV under `folder`; return the three paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    # lay out once without painting pixels (as savefig's bbox_inches="tight" does); both files reuse the box
    figure.draw_without_rendering()
    box = figure.get_tightbbox(figure.canvas.get_renderer()).padded(0.1)
    for suffix in ("png", "svg"):
        path = folder / f"{name}.{suffix}"
        with replacing(path) as tmp, plt.rc_context({"svg.hashsalt": name}):  # stable SVG ids: same input, same file
            figure.savefig(tmp, format=suffix, dpi=DPI, bbox_inches=box, metadata={"Date": None} if suffix == "svg" else None)
        out[suffix] = path
    out["csv"] = write_csv(table, folder / f"{name}.csv")
    return out
