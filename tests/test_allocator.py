"""The tag step's processes keep the memory a chunk frees for the next chunk (`analysis.allocator`)."""

from __future__ import annotations

import platform
import subprocess
import sys
import textwrap

import pytest

from analysis.paths import PROJECT_ROOT

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"

# Tags four units of 20,000 paragraphs, one by one (`engine.tagged_unit`) or as the tag step does
# (`engine.tagged_units`), in a fresh process; prints the page faults of the last two units and Arrow's allocator.
_TAGGED = textwrap.dedent("""
    import resource, sys
    import pandas as pd
    import pyarrow as pa
    from pathlib import Path
    from analysis import codebook, engine
    from analysis.paths import DEFAULT_CODEBOOK

    path, how = Path(sys.argv[1]), sys.argv[2]
    words = ("DeepSeek's R1 was a Sputnik moment for American AI, said Marc Andreessen; Nvidia lost $589 billion "
             "as export controls on chips to China failed to stop an open-source model trained for $5.6 million").split()
    texts = [" ".join(words[(i * 7 + k) % len(words)] for k in range(20 + i % 60)) for i in range(80_000)]
    pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(80_000)], "text": texts}).to_parquet(path, row_group_size=20_000)
    book = codebook.load(DEFAULT_CODEBOOK)
    work = engine.units(path)
    results = engine.tagged_units(work, book, workers=1) if how == "step" else (engine.tagged_unit(u, book) for u in work)
    for n, _ in enumerate(results):
        if n == 1:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before, pa.default_memory_pool().backend_name)
""")


def _last_units(how: str, tmp_path) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-c", _TAGGED, str(tmp_path / f"{how}.parquet"), how],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    faults, pool = done.stdout.split()
    return int(faults), pool


@pytest.mark.skipif(not GLIBC, reason="the settings are glibc's (mallopt): Linux with glibc only")
def test_the_tag_step_reuses_the_memory_each_chunk_frees(tmp_path):
    alone, _ = _last_units("alone", tmp_path)  # glibc's and Arrow's defaults
    step, pool = _last_units("step", tmp_path)
    assert step < 0.75 * alone  # fewer fresh pages faulted in for the last chunks (about half, measured)
    assert pool == "system"  # Arrow allocates from the same heap


def test_keeping_freed_memory_says_whether_glibc_took_the_settings():
    done = subprocess.run([sys.executable, "-c", "from analysis.allocator import keep_freed_memory as k; print(k(), k())"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(GLIBC)] * 2  # and again: the settings can be applied twice
