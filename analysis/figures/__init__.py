"""Charts for the reports (matplotlib). Each chart function returns a Figure; `save` writes PNG, SVG and the table.

The charts live in modules by kind: `heatmaps`, `bars`, `dots`, `over_time`; the
shared look (palettes, matplotlib set-up) in `style`, writing files in `files`.
Notebooks call them from here: `figures.frame_heatmap(...)`.
"""

from .style import DPI, OKABE_ITO, SERIES_COLOURS, STANCE_COLOURS  # first: sets matplotlib up for files
from .bars import count_bars, stance_bars, stance_panels
from .dots import outlet_vs_rest_dots, position_dots, share_intervals
from .files import save
from .heatmaps import cooccurrence_heatmap, frame_heatmap, heatmap_order, residual_heatmap, similarity_order
from .over_time import frames_over_time

__all__ = ["DPI", "OKABE_ITO", "SERIES_COLOURS", "STANCE_COLOURS", "cooccurrence_heatmap", "count_bars", "frame_heatmap",
           "frames_over_time", "heatmap_order", "outlet_vs_rest_dots", "position_dots", "residual_heatmap", "save",
           "share_intervals", "similarity_order", "stance_bars", "stance_panels"]
