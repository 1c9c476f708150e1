"""An interrupted run leaves no half-written output, and running again gives what an uninterrupted run gives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from analysis.paths import PROJECT_ROOT

STAGES = "python -m analysis data && python -m analysis tag && python -m analysis report"


def _run(raw: Path, processed: Path, reports: Path, *, kill_after: float | None = None) -> int:
    env = os.environ | {"RAW": str(raw), "PROCESSED": str(processed), "REPORTS": str(reports), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    process = subprocess.Popen(["bash", "-c", STAGES], cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    if kill_after is None:
        return process.wait(timeout=600)
    time.sleep(kill_after)
    os.killpg(process.pid, signal.SIGKILL)  # the harshest interruption: no cleanup handlers run
    return process.wait(timeout=60)


def _outputs(processed: Path, reports: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in sorted(processed.glob("*.parquet")):
        out[path.name] = pd.read_parquet(path)
    for path in sorted(processed.glob("*.csv")) + sorted((reports / "tables").glob("*.csv")):
        out[path.name] = pd.read_csv(path)
    out["pages"] = sorted(p.name for p in reports.glob("*.html"))
    return out


def test_killed_run_then_rerun_equals_an_uninterrupted_run(tmp_path, seed_paths, seed_report):
    raw = PROJECT_ROOT / "data" / "raw"
    reference = _outputs(seed_paths.processed, seed_paths.reports)  # the session's uninterrupted run of the same input
    _run(raw, tmp_path / "p2", tmp_path / "r2", kill_after=7.0)  # mid-run: tables written, notebooks running
    for path in (tmp_path / "p2").glob("*.parquet"):
        pd.read_parquet(path)  # any table present is whole: outputs are renamed into place only when complete
    assert _run(raw, tmp_path / "p2", tmp_path / "r2") == 0
    again = _outputs(tmp_path / "p2", tmp_path / "r2")
    assert again.keys() == reference.keys()
    for name, value in reference.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, again[name], obj=name)
        else:
            assert value == again[name]
