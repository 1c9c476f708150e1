"""A chunk of paragraphs as the batch frame engine reads it: one array of code points, and strings on demand.

The engine scans the chunk's paragraphs joined by "\\n" as code points (one uint32 per character, so offsets
are those of Python strings). From a list of strings they are encoded in one go; from an Arrow string array
(the text column of a paragraphs table, as pandas holds it) they are decoded straight from its UTF-8 buffer
by a compiled loop, with no Python string per paragraph. Python's `re` and the negation test still need the
text of some paragraphs: `strings_at` makes those only (at once, by Arrow); `ChunkText[p]` makes every string
(at once) the first time it asks for one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from .engine_loops import utf8_code_points


def code_points(text: str) -> np.ndarray:
    """Return the code points of `text`, one per character (lone surrogates included)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class ChunkText(Sequence):
    """The paragraphs of a chunk: `codes` (code points, paragraphs joined by "\\n"), `para_start` (each paragraph's
    first offset in `codes`), and each paragraph as a string (`chunk[p]`)."""

    def __init__(self, codes: np.ndarray, para_start: np.ndarray, strings: list[str] | None = None,
                 arrow: pa.Array | None = None):
        self.codes, self.para_start = codes, para_start
        self._strings, self._arrow = strings, arrow

    @classmethod
    def of_strings(cls, texts: list[str]) -> ChunkText:
        """Return the chunk of the strings `texts`."""
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        para_start = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64) if texts else np.zeros(0, np.int64)
        return cls(code_points("\n".join(texts)), para_start, strings=texts)

    @classmethod
    def of_arrow(cls, array: pa.Array) -> ChunkText:
        """Return the chunk of an Arrow string array without nulls (its UTF-8 is valid: Arrow checks it on the way in)."""
        if array.null_count:
            raise ValueError(f"{array.null_count} of {len(array)} paragraph texts are null: a paragraph needs a text")
        array = array.cast(pa.large_string()) if not pa.types.is_large_string(array.type) else array
        _, offsets, data = array.buffers()
        offsets = np.frombuffer(offsets, dtype=np.int64)[array.offset:array.offset + len(array) + 1]
        data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
        offsets.flags.writeable = data.flags.writeable = False  # one argument type, whoever made the buffers
        codes, para_start = utf8_code_points(data, offsets)
        codes.flags.writeable = False  # as `code_points` gives them: the compiled loops see one argument type
        return cls(codes, para_start, arrow=array)

    @property
    def strings(self) -> list[str]:
        """The paragraphs as strings (made from the Arrow array the first time they are asked for)."""
        if self._strings is None:
            self._strings = self._arrow.to_pylist()
        return self._strings

    def strings_at(self, paras) -> dict[int, str] | list[str]:
        """Return the paragraphs `paras` (indices) as strings, indexable by paragraph: all the strings when they are
        made already, else only these, taken from the Arrow array at once (Python's `re` and the negation test read
        about a quarter of a chunk's paragraphs with the bundled codebook)."""
        if self._strings is not None:
            return self._strings
        paras = sorted(paras)
        return dict(zip(paras, self._arrow.take(np.array(paras, dtype=np.int64)).to_pylist())) if paras else {}

    def __len__(self) -> int:
        return self.para_start.size

    def __getitem__(self, p):
        return self.strings[p]
