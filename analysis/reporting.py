"""Batch reports: run the report notebooks with papermill, export HTML, write the index page.

The list of runs is data (`notebooks/reports.yaml`). Every run is attempted; a
failed run is named with its cell and error, and `build` reports failure only
after the others have finished. Pages are written atomically.

Runs go to one worker process per core; each worker keeps one kernel for all its
notebooks (see `kernels`) and exports each page as soon as its notebook has run,
with one HTML exporter (templates compiled once).
"""

from __future__ import annotations

import html
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# jsonschema, which nbformat imports, compiles an RFC 3987 grammar at import when the optional
# rfc3987-syntax package is installed (two seconds); notebook validation checks no IRIs, so the
# report runner goes without it (jsonschema then simply has no "iri" format checker).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import papermill  # noqa: E402
import yaml  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402

from . import codebook as codebooks  # noqa: E402
from . import kernels, provenance, tables  # noqa: E402
from .atomic import write_text  # noqa: E402
from .paths import PROJECT_ROOT, Paths  # noqa: E402
from .profile import slug  # noqa: E402

NOTEBOOKS = PROJECT_ROOT / "notebooks"
JOBS_FILE = NOTEBOOKS / "reports.yaml"
TEMPLATES = Path(__file__).parent / "templates"  # the page template: offline, scripts forbidden


@dataclass(frozen=True)
class Job:
    """One notebook run: the notebook, its page title, its own parameters and its section of the index."""

    notebook: str
    title: str
    parameters: dict
    section: str = ""

    @property
    def page(self) -> str:
        """Return the HTML page name, built from the notebook and its parameters."""
        stem = Path(self.notebook).stem
        suffix = "".join(f"__{k}_{_slug(v)}" for k, v in sorted(self.parameters.items()) if k not in _LAYOUT_ONLY)
        return f"{stem}{suffix}.html"

    def describe(self) -> str:
        """Return the notebook and its parameters, as failures name them: `05_outlet_profile.ipynb (outlet=BBC)`."""
        shown = ", ".join(f"{k}={v}" for k, v in sorted(self.parameters.items()))
        return f"{self.notebook} ({shown})" if shown else self.notebook


_LAYOUT_ONLY = {"examples_per_frame", "evidence_per_cell"}
_ENTRY_KEYS = {"notebook", "title", "parameters", "for_each", "min_articles", "section"}
FOR_EACH = ("outlet",)


_slug = slug  # page names and the profile notebooks' figure names use the same rule


def jobs(path: Path = JOBS_FILE, *, articles: pd.DataFrame | None = None) -> list[Job]:
    """Return the report runs listed in `path`, entries with `for_each: outlet` expanded once per outlet.

    An entry holds `notebook`, `title`, `parameters` and optionally `for_each: outlet`
    (then `title` may hold `{outlet}`, `min_articles` skips smaller outlets, and
    `section` heads the pages in the index). Expansion needs `articles` (the
    articles table): outlets are taken from it at run time, largest first; without
    it such entries are left out. Raises ValueError naming the file and entry for
    an unknown key or `for_each` value, or two outlets whose page names collide.
    """
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    out: list[Job] = []
    for number, entry in enumerate(entries, start=1):
        unknown = sorted(set(entry) - _ENTRY_KEYS)
        if unknown or "notebook" not in entry:
            raise ValueError(f"{path}: entry #{number}: unknown key(s) {unknown} or no 'notebook' (allowed: {sorted(_ENTRY_KEYS)})")
        title = entry.get("title") or Path(entry["notebook"]).stem
        parameters = dict(entry.get("parameters") or {})
        each = entry.get("for_each")
        if each is None:
            out.append(Job(entry["notebook"], title, parameters, entry.get("section", "")))
            continue
        if each not in FOR_EACH:
            raise ValueError(f"{path}: entry #{number}: for_each must be one of {FOR_EACH} (got {each!r})")
        if articles is None:
            continue
        expanded = [Job(entry["notebook"], title.format(**{each: value}), parameters | {each: value}, entry.get("section") or title)
                    for value in values_of(articles, each, min_articles=int(entry.get("min_articles", 1)))]
        pages = pd.Series([job.page for job in expanded])
        if pages.duplicated().any():
            clash = [job.parameters[each] for job in expanded if job.page in set(pages[pages.duplicated()])]
            raise ValueError(f"{path}: entry #{number}: {each} values {clash} give the same page name; rename one in the alias table")
        out.extend(expanded)
    return out


def values_of(articles: pd.DataFrame, column: str, *, min_articles: int = 1) -> list[str]:
    """Return the distinct values of `column` in `articles`, most articles first (ties by name); copies not counted."""
    originals = articles[articles["duplicate_of"].isna()] if "duplicate_of" in articles else articles
    counts = originals.groupby(column).size().reset_index(name="n").sort_values(["n", column], ascending=[False, True], kind="stable")
    return [str(v) for v in counts.loc[counts["n"] >= min_articles, column]]


def run_parameters(paths: Paths) -> dict:
    """Return the run-wide parameters (as strings); each notebook receives those its parameters cell declares."""
    return {"raw": str(paths.raw), "processed": str(paths.processed), "reports": str(paths.reports), "codebook": str(paths.codebook),
            "gold": str(paths.gold), "gold_corpus": str(paths.gold_corpus)}


def check_parameters(job: Job, notebooks: Path = NOTEBOOKS) -> dict:
    """Return the notebook's declared parameters; raise ValueError naming unknown job parameters (papermill only warns)."""
    declared = papermill.inspect_notebook(str(notebooks / job.notebook))
    unknown = sorted(set(job.parameters) - set(declared))
    if unknown:
        raise ValueError(f"{job.notebook}: unknown parameter(s) {', '.join(unknown)} (declared: {', '.join(declared) or 'none'})")
    return declared


def run_job(job: Job, paths: Paths, notebooks: Path = NOTEBOOKS) -> dict:
    """Run one notebook and export its HTML page; return {page, title, ok, error}."""
    try:
        return _run_job(job, paths, notebooks)
    finally:
        kernels.shutdown()


def _run_job(job: Job, paths: Paths, notebooks: Path) -> dict:
    """Run one notebook in this process's kernel (started on first use, cleared between notebooks); see `run_job`."""
    executed = paths.executed_notebooks / job.page.replace(".html", ".ipynb")
    executed.parent.mkdir(parents=True, exist_ok=True)
    result = {"page": job.page, "title": job.title, "notebook": job.notebook, "section": job.section, "ok": True, "error": None}
    try:
        declared = check_parameters(job, notebooks)
        parameters = {k: v for k, v in run_parameters(paths).items() if k in declared} | job.parameters
        with kernels.session(notebooks) as km:
            # written once at the end (or on failure), not after every cell as papermill does by default
            papermill.execute_notebook(str(notebooks / job.notebook), str(executed), parameters=parameters, cwd=str(notebooks),
                                       progress_bar=False, kernel_name=kernels.KERNEL_NAME, request_save_on_cell_execute=False, km=km)
    except papermill.PapermillExecutionError as error:
        first = next((line for line in (error.source or "").splitlines() if line.strip()), "")
        result.update(ok=False, error=f"{job.describe()}: cell {error.exec_count} failed ({first.strip()[:80]}): {error.ename}: {error.evalue}")
    except Exception as error:  # a broken notebook must not stop the other pages
        result.update(ok=False, error=f"{job.describe()}: {type(error).__name__}: {error}")
    if executed.exists():
        write_text(html_page(executed), paths.reports / job.page)
    return result


def html_page(executed: Path) -> str:
    """Return the executed notebook as an HTML page without code cells or prompts."""
    body, _ = _exporter().from_notebook_node(nbformat.read(executed, as_version=4))
    return body


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """Return the page exporter, made once per process: its templates compile on first use (a second or so)."""
    return HTMLExporter(template_name="newsframes", extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def build(paths: Paths, *, workers: int | None = None, job_list: list[Job] | None = None, notebooks: Path = NOTEBOOKS) -> list[dict]:
    """Run every report job (in parallel processes) and write the index; return the job results.

    Jobs come from `notebooks/reports.yaml` (expanded over the outlets of the
    articles table) unless `job_list` is given. A failed job does not stop the
    others: its result has ok=False and an error naming the notebook, parameters and cell.
    """
    book = codebooks.load(paths.codebook)  # a bad codebook stops the build before any notebook runs
    job_list = job_list if job_list is not None else jobs(articles=tables.load(paths, "articles"))
    paths.reports.mkdir(parents=True, exist_ok=True)
    workers = workers or min(len(job_list), max(1, os.cpu_count() or 1))
    if workers > 1:  # each worker runs the next job in the list as soon as it is free
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_run_job, job_list, [paths] * len(job_list), [notebooks] * len(job_list)))
    else:
        try:
            results = [_run_job(job, paths, notebooks) for job in job_list]
        finally:
            kernels.shutdown()
    record = provenance.record(raw=paths.raw, codebook=book, parameters=run_parameters(paths))
    record["ingest"] = {k: v for k, v in tables.info(paths.ingest_summary).items() if k in ("input_fingerprint", "input_files", "articles", "paragraphs")}
    extra = [(VALIDATION_JOB.page, VALIDATION_JOB.title)] if (paths.reports / VALIDATION_JOB.page).exists() else []
    write_text(index_html(results, record, extra_pages=extra), paths.index)
    write_text(json.dumps(record, indent=2, default=str) + "\n", paths.reports / "provenance.json")
    return results


VALIDATION_JOB = Job("validation.ipynb", "Validation against hand coding", {})


def index_html(results: list[dict], record: dict, *, extra_pages: list[tuple[str, str]] = ()) -> str:
    """Return the report index: a link to every page (and to `extra_pages`, (page, title) pairs that
    other targets such as `make validate` built), failures named, and the run's provenance."""
    e = html.escape
    sections: dict[str, list[str]] = {}
    for page, title in extra_pages:
        sections.setdefault("Validation", []).append(f"<li><a href='{e(page, quote=True)}'>{e(title)}</a></li>")
    for r in results:
        status = "" if r["ok"] else f" <strong class='failed'>failed: {e(r['error'] or '')}</strong>"
        sections.setdefault(r.get("section") or "", []).append(f"<li><a href='{e(r['page'], quote=True)}'>{e(r['title'])}</a>{status}</li>")
    failed = [r for r in results if not r["ok"]]
    summary = f"<p class='failed'><strong>{len(failed)} of {len(results)} pages failed.</strong></p>" if failed else ""
    lists = "".join((f"<h2>{e(name)}</h2>" if name else "") + f"<ul>{''.join(items)}</ul>" for name, items in sections.items())
    book = record["codebook"]
    rows = [
        ("created (UTC)", record["created"]),
        ("input folder", record["input_folder"]),
        ("input files", record["input_files"]),
        ("input fingerprint (sha256)", record["input_fingerprint"]),
        ("codebook", f"{book['name']} v{book['version']} ({book['path']})"),
        ("codebook sha256", book["sha256"]),
        *((f"parameter: {k}", v) for k, v in record["parameters"].items()),
        *((f"package: {k}", v) for k, v in record["packages"].items()),
    ]
    table = "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in rows)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newsframes reports</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'">
<style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}
th{{text-align:left;padding-right:1em;font-weight:600}}td,th{{font-size:.9em;vertical-align:top}}.failed{{color:#b00}}</style>
</head><body>
<h1>newsframes reports</h1>
{summary}{lists}
<h2>Provenance</h2>
<table>{table}</table>
</body></html>
"""
