"""Provenance: what produced a table or report (codebook, parameters, packages, inputs, time)."""

from __future__ import annotations

import hashlib
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

PACKAGES = ("newsframes", "pandas", "numpy", "pyarrow", "scikit-learn", "nltk", "matplotlib", "papermill",
            "nbconvert", "PyYAML", "scipy", "statsmodels", "vaderSentiment", "pyahocorasick", "py3langid", "charset-normalizer",
            "trafilatura", "datasketch")


def package_versions() -> dict[str, str]:
    """Return {package: installed version} for the packages the results depend on."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def input_fingerprint(raw: Path) -> tuple[str, int]:
    """Return (sha256 over every input file's relative path and bytes, number of files) for `raw`."""
    digest = hashlib.sha256()
    count = 0
    for path in sorted(p for p in Path(raw).rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(raw).parts)):
        digest.update(path.relative_to(raw).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
        count += 1
    return digest.hexdigest(), count


def record(*, raw: Path, codebook, parameters: dict | None = None) -> dict:
    """Return the provenance record stored beside tables and shown in every report."""
    fingerprint, count = input_fingerprint(raw)
    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "input_folder": str(raw),
        "input_files": count,
        "input_fingerprint": fingerprint,
        "codebook": {"name": codebook.name, "version": codebook.version, "path": codebook.path, "sha256": codebook.sha256},
        "parameters": parameters or {},
        "packages": package_versions(),
    }
