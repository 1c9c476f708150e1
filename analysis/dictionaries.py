"""Import content-analysis dictionaries researchers already have, as newsframes codebooks.

- quanteda-style YAML: categories (possibly nested) mapping to lists of glob
  patterns ("tax*", "job creation"); nested keys are joined with "_".
- LIWC `.dic`: a `%`-delimited header of "number<TAB>category" lines, then one
  line per word ("word*<TAB>1<TAB>3").

Each category becomes a frame whose words match as globs (trailing `*`) or
fixed phrases, threshold 1. `python -m analysis.dictionaries IN OUT.yaml`
writes the converted codebook for editing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from .codebook import Codebook, CodebookError, parse
from .decode import decoded_text


def _frame_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    return slug if slug and slug[0].isalpha() else f"c_{slug}"


def _pattern(word: str) -> dict:
    word = word.strip()
    if word.endswith("*") and "*" not in word[:-1]:
        return {"glob": word}
    if "*" in word or "?" in word:  # inner wildcards: a regex over one word
        body = re.escape(word).replace(r"\*", r"\w*").replace(r"\?", r"\w")
        return {"regex": rf"\b{body}\b"}
    return {"phrase": word}


def _codebook(categories: dict[str, list[str]], *, source: str, name: str) -> dict:
    frames = []
    for category, words in categories.items():
        words = [w for w in words if str(w).strip()]
        if not words:
            raise CodebookError(f"{source}: category '{category}' has no words")
        frames.append({"id": _frame_id(category), "label": category, "description": f"Imported from {Path(source).name}: category {category}.",
                       "patterns": [_pattern(str(w)) for w in words]})
    return {"name": name, "version": "imported", "language": "en", "inflect": False, "frames": frames}


def _flatten(node: object, prefix: str, out: dict[str, list[str]], source: str) -> None:
    if isinstance(node, list):
        out[prefix] = [str(w) for w in node]
    elif isinstance(node, dict):
        for key, value in node.items():
            _flatten(value, f"{prefix}_{key}" if prefix else str(key), out, source)
    else:
        raise CodebookError(f"{source}: category '{prefix}' must hold a list of words or sub-categories")


def quanteda_yaml(path: str | Path) -> dict:
    """Return codebook data from a quanteda-style YAML dictionary (categories -> word lists, nestable)."""
    path = Path(path)
    try:
        data = yaml.safe_load(decoded_text(path.read_bytes()).text)
    except yaml.YAMLError as error:
        raise CodebookError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or not data:
        raise CodebookError(f"{path}: a quanteda dictionary is a mapping of categories to word lists")
    categories: dict[str, list[str]] = {}
    _flatten(data, "", categories, str(path))
    return _codebook(categories, source=str(path), name=path.stem)


def liwc_dic(path: str | Path) -> dict:
    """Return codebook data from a LIWC `.dic` file (header of numbered categories between `%` lines, then words)."""
    path = Path(path)
    lines = [line.strip() for line in decoded_text(path.read_bytes()).text.splitlines() if line.strip()]
    marks = [i for i, line in enumerate(lines) if line == "%"]
    if len(marks) < 2:
        raise CodebookError(f"{path}: not a LIWC .dic file: the category header must sit between two '%' lines")
    names: dict[str, str] = {}
    for line in lines[marks[0] + 1:marks[1]]:
        parts = line.split(None, 1)
        if len(parts) != 2:
            raise CodebookError(f"{path}: header line {line!r} must be 'number<TAB>category'")
        names[parts[0]] = parts[1].strip()
    categories: dict[str, list[str]] = {name: [] for name in names.values()}
    for line in lines[marks[1] + 1:]:
        parts = line.split("\t") if "\t" in line else line.split()
        word, numbers = parts[0], [p for p in parts[1:] if p.strip()]
        for number in numbers:
            if number.strip() not in names:
                raise CodebookError(f"{path}: word {word!r} refers to unknown category number {number.strip()}")
            categories[names[number.strip()]].append(word)
    return _codebook({k: v for k, v in categories.items() if v}, source=str(path), name=path.stem)


def imported(path: str | Path) -> Codebook:
    """Return the validated codebook converted from a quanteda YAML (.yml/.yaml) or LIWC (.dic) dictionary."""
    path = Path(path)
    data = liwc_dic(path) if path.suffix.lower() == ".dic" else quanteda_yaml(path)
    return parse(data, source=str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.dictionaries", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dictionary", help="a quanteda YAML (.yml, .yaml) or LIWC (.dic) dictionary")
    parser.add_argument("out", help="the newsframes codebook YAML to write")
    args = parser.parse_args(argv)
    try:
        path = Path(args.dictionary)
        data = liwc_dic(path) if path.suffix.lower() == ".dic" else quanteda_yaml(path)
        parse(data, source=str(path))
    except (CodebookError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    Path(args.out).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"{len(data['frames'])} frames written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
