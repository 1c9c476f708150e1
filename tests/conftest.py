"""Shared fixtures: the bundled corpus run once per session, and the shared real corpus when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import pipeline
from analysis.paths import PROJECT_ROOT, Paths

SHARED_CORPUS = PROJECT_ROOT.parent / "shared" / "corpora" / "deepseek-news"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def seed_paths(tmp_path_factory) -> Paths:
    """Paths of a run of ingest and tagging on the bundled corpus (data/raw) into a temporary folder."""
    work = tmp_path_factory.mktemp("seed-run")
    paths = Paths.from_env(raw=str(PROJECT_ROOT / "data" / "raw"), processed=str(work / "processed"),
                           reports=str(work / "reports"), codebook=str(PROJECT_ROOT / "codebooks" / "deepseek.yaml"))
    pipeline.run_ingest(paths, progress=False)
    pipeline.run_tag(paths)
    return paths


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The 94-article DeepSeek corpus from ../shared, or a skip saying why it is missing."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not present: {SHARED_CORPUS} (CI and developer machines have ../shared beside the repo)")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def shared_paths(shared_corpus, tmp_path_factory) -> Paths:
    """Paths of a run of ingest and tagging on the shared corpus into a temporary folder."""
    work = tmp_path_factory.mktemp("shared-run")
    paths = Paths.from_env(raw=str(shared_corpus), processed=str(work / "processed"), reports=str(work / "reports"),
                           codebook=str(PROJECT_ROOT / "codebooks" / "deepseek.yaml"))
    pipeline.run_ingest(paths, progress=False)
    pipeline.run_tag(paths)
    return paths


@pytest.fixture(scope="session")
def seed_report(seed_paths) -> list[dict]:
    """The report pages of the bundled corpus, built once per session (`make report`'s last stage)."""
    from analysis import reporting

    return reporting.build(seed_paths, workers=2)
