"""Memory settings for the processes that tag chunks: memory a chunk frees is kept for the next chunk.

A chunk of 20,000 paragraphs allocates tens of MB of arrays and frees them. By default glibc maps blocks
above a threshold it adjusts as it goes, and gives free heap beyond twice that threshold back to the operating
system; mimalloc, Arrow's allocator, returns its pages too. So every chunk faulted in fresh zeroed pages: on a
million paragraphs the two tag workers spent about 3 of their 30 CPU seconds in the kernel. Here blocks up to 32 MB
come from the heap, up to 512 MB of free heap is kept, and Arrow allocates through the same heap; that
time falls to about half a second.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

import pyarrow as pa

MMAP_THRESHOLD = 32 << 20  # glibc's largest: blocks above it are still mapped (and only their touched pages cost)
TRIM_THRESHOLD = 512 << 20  # free heap kept before glibc gives memory back
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)


def keep_freed_memory() -> bool:
    """Make this process (and the processes it forks) reuse the memory it frees; return whether glibc took the
    settings (False elsewhere: macOS, musl, where Arrow's allocator is still switched)."""
    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    mallopt = getattr(ctypes.CDLL(name), "mallopt", None) if name else None
    if mallopt is None:
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
