"""One long-lived Jupyter kernel per process for the report runner, reused notebook after notebook.

Starting a kernel and importing pandas, matplotlib and the analysis package in it
takes seconds, longer than most report notebooks run. A report build gives each
worker process several notebooks, so each worker starts one kernel and, between
notebooks, clears it the way a fresh kernel starts: IPython's reset (variables,
output history and the execution counter, so cell numbers in failure messages are
those of a fresh kernel), the working folder, no open figures. Imported modules
stay: that is the saving. A kernel that died (a notebook crashed it) is replaced.
"""

from __future__ import annotations

import atexit
import multiprocessing.util
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from jupyter_client import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

KERNEL_NAME = "python3"
_RESET = """get_ipython().reset(new_session=True)
import os as _os, sys as _sys
_os.chdir({cwd!r})
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
del _os, _sys
"""
_held: dict = {}  # this process's kernel: {"pid", "km", "cwd", "registered"}


class _Manager(AsyncKernelManager):
    """A kernel manager that keeps the clients made for it, so each notebook run's connections can be closed."""

    def client(self, **kwargs):
        made = super().client(**kwargs)
        self.__dict__.setdefault("made", []).append(made)
        return made


@contextmanager
def session(cwd: Path) -> Iterator[AsyncKernelManager]:
    """Yield this process's kernel (see `kernel`) for one notebook run; close the run's connections after it.

    The executor (nbclient) leaves its client connected when it does not own the kernel.
    """
    km = kernel(cwd)
    try:
        yield km
    finally:
        for made in km.__dict__.pop("made", []):
            made.stop_channels()


def kernel(cwd: Path) -> AsyncKernelManager:
    """Return this process's kernel, working in `cwd` and cleared of any earlier notebook's state.

    The first call starts the kernel (shut down when the process ends, or by `shutdown`);
    a kernel that died or cannot be cleared is replaced by a new one.
    """
    cwd = Path(cwd).resolve()
    if _held.get("pid") != os.getpid():  # a forked worker does not own its parent's kernel
        _held.clear()
    km = _held.get("km")
    if km is not None and _held["cwd"] == cwd and run_sync(km.is_alive)():
        try:
            _execute(km, _RESET.format(cwd=str(cwd)))
            return km
        except Exception:  # a kernel that cannot be cleared is replaced
            pass
    shutdown()
    km = _Manager(kernel_name=KERNEL_NAME)
    run_sync(km.start_kernel)(cwd=str(cwd))
    if not _held.get("registered"):
        atexit.register(shutdown)  # the main process
        multiprocessing.util.Finalize(None, shutdown, exitpriority=10)  # pool workers leave without atexit
    _held.update(pid=os.getpid(), km=km, cwd=cwd, registered=True)
    return km


def shutdown() -> None:
    """Stop this process's kernel, if it has one."""
    if _held.get("pid") != os.getpid():
        return
    km = _held.pop("km", None)
    if km is None:
        return
    try:
        run_sync(km.shutdown_kernel)(now=True)  # nothing in it is worth a graceful goodbye
    except Exception:  # already gone: nothing left to stop
        pass


def _execute(km: AsyncKernelManager, code: str, *, timeout: float = 60) -> None:
    """Run `code` silently in the kernel (no output, no history, execution counter untouched)."""
    client = BlockingKernelClient()
    client.load_connection_info(km.get_connection_info())
    client.start_channels()
    try:
        reply = client.execute(code, silent=True, store_history=False, reply=True, timeout=timeout)
    finally:
        client.stop_channels()
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"could not clear the kernel: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
