"""Notebooks are thin and clean, and every one of them runs through papermill on a small corpus."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from analysis import reporting
from analysis.paths import PROJECT_ROOT

NOTEBOOK_FILES = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def _code_cells(path: Path) -> list[dict]:
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_starts_with_a_tagged_parameters_cell_of_literals(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "markdown"
    first_code = _code_cells(path)[0]
    assert "parameters" in first_code["metadata"].get("tags", [])
    tree = ast.parse("".join(first_code["source"]))
    assert all(isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant) for node in tree.body)


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_has_no_outputs_and_no_definitions(path):
    for cell in _code_cells(path):
        assert not cell.get("outputs") and cell.get("execution_count") is None
        tree = ast.parse("".join(cell["source"]))
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]


def test_every_report_job_names_an_existing_notebook():
    for job in reporting.jobs():
        assert (PROJECT_ROOT / "notebooks" / job.notebook).exists(), job.notebook


def test_report_build_runs_every_notebook_and_links_every_page(seed_paths, seed_report):
    results = seed_report
    assert [r["error"] for r in results if not r["ok"]] == []
    index = seed_paths.index.read_text(encoding="utf-8")
    for job in reporting.jobs():
        page = seed_paths.reports / job.page
        assert page.exists(), page
        assert f"href='{job.page}'" in index
        assert "open_run(" not in page.read_text(encoding="utf-8")  # code cells are hidden
    assert "codebook sha256" in index and "input fingerprint" in index and "package: pandas" in index
    for name in ("corpus_articles_by_outlet", "frames_by_outlet", "stance_deepseek", "stance_export_controls"):
        for suffix in ("png", "svg", "csv"):
            assert (seed_paths.figures / f"{name}.{suffix}").stat().st_size > 0
    evidence_page = (seed_paths.reports / "04_evidence.html").read_text(encoding="utf-8")
    assert re.search(r'<mark title="sputnik_moment">\w', evidence_page)


def _tiny_notebook(path: Path, *cells: str) -> None:
    """Write a notebook with a tagged parameters cell and `cells` (the runner's behaviour, not the reports, is tested)."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Tiny"), nbformat.v4.new_code_cell("outlet: str = ''  # an outlet")]
    notebook.cells[1].metadata["tags"] = ["parameters"]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


def test_a_failing_notebook_is_named_with_its_cell_and_the_others_still_run(seed_paths, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _tiny_notebook(folder / "broken.ipynb", "x = 1", "raise RuntimeError('deliberate failure')")
    _tiny_notebook(folder / "fine.ipynb", "print(outlet)")
    paths = type(seed_paths)(raw=seed_paths.raw, processed=seed_paths.processed, reports=tmp_path / "reports", codebook=seed_paths.codebook,
                             gold=seed_paths.gold, gold_corpus=seed_paths.gold_corpus)
    jobs = [reporting.Job("broken.ipynb", "Broken", {"outlet": "BBC"}, "Outlet profiles"), reporting.Job("fine.ipynb", "Fine", {})]
    results = reporting.build(paths, workers=2, job_list=jobs, notebooks=folder)
    assert not results[0]["ok"] and results[1]["ok"] and (paths.reports / "fine.html").exists()
    error = results[0]["error"]
    assert error.startswith("broken.ipynb (outlet=BBC): cell") and "raise RuntimeError" in error and "RuntimeError: deliberate failure" in error
    index = paths.index.read_text(encoding="utf-8")
    assert "1 of 2 pages failed" in index and "deliberate failure" in index
    # the command line names every failure and exits non-zero once all have run
    from analysis import __main__ as cli

    monkeypatch.setattr(reporting, "build", lambda *args, **kwargs: results)
    assert cli.main(["report", "--processed", str(paths.processed), "--reports", str(paths.reports)]) == 1
    out = capsys.readouterr()
    assert "FAILED" in out.out and "deliberate failure" in out.out and "1 of 2 report notebooks failed" in out.err


def test_a_worker_reuses_its_kernel_but_each_notebook_starts_clean(seed_paths, tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _tiny_notebook(folder / "first.ipynb", "import os\nleaked = 1\nprint('kernel', os.getpid())")
    _tiny_notebook(folder / "second.ipynb", "import os\nprint('kernel', os.getpid())", "print(leaked)")
    paths = type(seed_paths)(raw=seed_paths.raw, processed=seed_paths.processed, reports=tmp_path / "reports", codebook=seed_paths.codebook,
                             gold=seed_paths.gold, gold_corpus=seed_paths.gold_corpus)
    results = reporting.build(paths, workers=1, job_list=[reporting.Job("first.ipynb", "First", {}), reporting.Job("second.ipynb", "Second", {})],
                              notebooks=folder)
    assert results[0]["ok"] and not results[1]["ok"]
    # the variable did not survive, and cells are numbered as in a fresh kernel
    assert results[1]["error"].startswith("second.ipynb: cell 3 failed (print(leaked)): NameError")
    pids = {name: ["".join(output["text"]) for cell in json.loads((paths.executed_notebooks / name).read_text(encoding="utf-8"))["cells"]
                   for output in cell.get("outputs", []) if output.get("name") == "stdout"] for name in ("first.ipynb", "second.ipynb")}
    assert pids["first.ipynb"] == pids["second.ipynb"] and pids["first.ipynb"][0].startswith("kernel ")


def test_unknown_notebook_parameters_are_refused_before_running():
    job = reporting.Job("02_frames.ipynb", "Frames", {"outlte": "BBC"})
    with pytest.raises(ValueError, match="02_frames.ipynb: unknown parameter"):
        reporting.check_parameters(job)


def test_page_names_are_built_from_parameters():
    assert reporting.Job("05_profile.ipynb", "P", {"outlet": "The Guardian"}).page == "05_profile__outlet_the-guardian.html"
    assert reporting.Job("02_frames.ipynb", "F", {}).page == "02_frames.html"
