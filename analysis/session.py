"""What a report notebook works with: one run's tables, codebook and output folders.

`open_run(...)` is the first call of every notebook; the notebook then only
chooses what to show. Figures and their tables are saved under REPORTS/figures.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Image

from . import aggregate, figures, tables
from . import codebook as codebooks
from .atomic import write_csv
from .paths import Paths


@dataclass
class Run:
    """Tables and settings of one pipeline run, loaded on first use."""

    paths: Paths
    count_duplicates: bool = False
    saved: list[Path] = field(default_factory=list)

    @cached_property
    def codebook(self) -> codebooks.Codebook:
        return _codebook(self.paths.codebook)

    @cached_property
    def articles(self) -> pd.DataFrame:
        return tables.load(self.paths, "articles")

    @cached_property
    def paragraphs(self) -> pd.DataFrame:
        return tables.load(self.paths, "paragraphs")

    @cached_property
    def frames(self) -> pd.DataFrame:
        return tables.load(self.paths, "frames")

    @cached_property
    def stance(self) -> pd.DataFrame:
        return tables.load(self.paths, "stance")

    @cached_property
    def ingest_report(self) -> pd.DataFrame:
        return tables.ingest_report(self.paths)

    @cached_property
    def ingest_summary(self) -> dict:
        return tables.info(self.paths.ingest_summary)

    @cached_property
    def _scoped(self) -> tuple[pd.DataFrame, dict[str, int]]:
        return aggregate.scoped_paragraphs(self.articles, self.paragraphs, language=self.codebook.language,
                                           count_duplicates=self.count_duplicates)

    @property
    def scoped(self) -> pd.DataFrame:
        """Paragraphs that statistics count (one copy per story, codebook language), with outlet and date."""
        return self._scoped[0]

    @property
    def left_out(self) -> dict[str, int]:
        """Articles left out of the statistics, by reason."""
        return self._scoped[1]

    @property
    def frame_labels(self) -> dict[str, str]:
        return {frame.id: frame.label for frame in self.codebook.frames}

    def left_out_text(self) -> str:
        """Return one sentence saying which articles the statistics leave out and why."""
        if not self.left_out:
            return "Statistics count every article."
        parts = ", ".join(f"{n} {reason}" for reason, n in self.left_out.items())
        return f"Statistics leave out {sum(self.left_out.values())} article(s): {parts}."

    def show(self, figure: plt.Figure, table: pd.DataFrame, name: str) -> Image:
        """Save `figure` (PNG, SVG) and its `table` (CSV) under REPORTS/figures; return the PNG for display."""
        written = figures.save(figure, table, self.paths.figures, name)
        self.saved.extend(written.values())
        plt.close(figure)
        return Image(filename=str(written["png"]))

    def export(self, table: pd.DataFrame, name: str) -> pd.DataFrame:
        """Save `table` complete as CSV under REPORTS/tables; return it for display."""
        self.saved.append(write_csv(table, self.paths.tables / f"{name}.csv"))
        return table

    def say(self, text: str, *, level: int = 0) -> HTML:
        """Return `text` as an escaped paragraph (or a heading of `level` 1-6): names from the data are never markup."""
        tag = f"h{level}" if 1 <= level <= 6 else "p"
        return HTML(f"<{tag}>{html.escape(text)}</{tag}>")

    def table(self, table: pd.DataFrame, name: str, *, note: str = "", rows: int = 100) -> HTML:
        """Export `table` complete as CSV and return it as HTML with the method `note` and a link to the CSV below it.

        Past `rows` rows the page shows the first `rows` and says so; the CSV always holds every row.
        """
        self.export(table, name)
        link = html.escape(Path(os.path.relpath(self.paths.tables / f"{name}.csv", self.paths.reports)).as_posix(), quote=True)
        shown = table.head(rows).to_html(index=False, float_format=_number, na_rep="", border=0, classes="dataframe")
        cut = f"First {rows} of {len(table)} rows shown. " if len(table) > rows else ""
        note = f"<p class='method-note'><small>{html.escape(note)}</small></p>" if note else ""
        return HTML(f"<div style='overflow-x:auto'>{shown}</div>{note}<p><small>{cut}Complete table: <a href='{link}'>{html.escape(link)}</a></small></p>")

    def summary_table(self) -> pd.DataFrame:
        """Return the ingest run summary as a two-column table (item, value)."""
        s = self.ingest_summary
        rows = [("files read", s.get("input_files")), ("articles", s.get("articles")), ("outlets", s.get("outlets")),
                ("paragraphs", s.get("paragraphs")), ("duplicate copies linked", s.get("duplicates_linked")),
                ("input fingerprint", s.get("input_fingerprint"))]
        rows += [(f"report: {k}", v) for k, v in (s.get("report_rows") or {}).items()]
        return pd.DataFrame(rows, columns=["item", "value"])

    def furniture_table(self) -> pd.DataFrame:
        """Return the page-furniture lines removed, by kind (kind, lines)."""
        dropped = self.ingest_summary.get("furniture_lines_dropped") or {}
        return pd.DataFrame(sorted(dropped.items(), key=lambda kv: -kv[1]), columns=["kind", "lines"])


_CODEBOOKS: dict[tuple, codebooks.Codebook] = {}


def _codebook(path: Path) -> codebooks.Codebook:
    """Return the codebook at `path`, parsed once per kernel while the file is unchanged (the report
    runner reuses a kernel for several notebooks; parsing the YAML takes a noticeable fraction of a second)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return codebooks.load(path)  # raises CodebookError naming the file
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _CODEBOOKS:
        _CODEBOOKS.clear()
        _CODEBOOKS[key] = codebooks.load(path)
    return _CODEBOOKS[key]


def _number(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1e4 else f"{value:.0f}"


def open_run(*, processed: str, reports: str, codebook: str, count_duplicates: bool = False) -> Run:
    """Return the run whose tables are in `processed`, reporting into `reports`."""
    pd.set_option("display.max_colwidth", None)  # show descriptions and evidence whole
    pd.set_option("display.precision", 3)
    return Run(Paths.from_env(processed=processed, reports=reports, codebook=codebook), count_duplicates=count_duplicates)
