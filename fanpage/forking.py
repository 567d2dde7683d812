"""Worker processes for the parts of a build that can run beside it (Markdown, cards, feeds).

Workers are forked, not spawned: a spawned worker imports the caller's main module again and
starts cold. Forking is only safe while no other thread could hold a lock the child needs, so
where threads run (``fanpage serve``'s web server) the caller does the work itself.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context


def fork_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` forked processes, started now; None where forking is not safe.

    The parent's objects are frozen out of the garbage collector while the workers start: a
    collection in a worker would otherwise touch, and so copy, every page of the parent's heap
    (measured: 4 s of system time for a 1000-entry site).
    """
    if workers < 1 or threading.active_count() > 1 or "fork" not in get_all_start_methods():
        return None
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"))
        pool.submit(int).result()  # every worker forks on the first task: do it while frozen
    except (OSError, ValueError):  # no processes allowed here
        return None
    finally:
        gc.unfreeze()
    return pool


class ChildFailed(Exception):
    """Work run beside the build failed; the message is the child's one-line reason."""


class Beside:
    """Work running in a forked child while this process goes on (or done already: no pid)."""

    def __init__(self, pid: int | None = None, pipe: int = -1, failure: str = "") -> None:
        self._pid = pid
        self._pipe = pipe
        self._failure = failure

    def wait(self) -> None:
        """Wait for the child; raise ChildFailed with its reason if it failed."""
        if self._pid is None:
            if self._failure:
                raise ChildFailed(self._failure)
            return
        with os.fdopen(self._pipe, "rb") as pipe:
            reason = pipe.read().decode("utf-8", "replace")
        _, status = os.waitpid(self._pid, 0)
        if reason or status:
            raise ChildFailed(reason or f"exit status {os.waitstatus_to_exitcode(status)}")


def run_beside(work: Callable[[], None]) -> Beside:
    """Run ``work`` in a forked child and return at once; where forking is not safe, run it now.

    The child's effects must be files only: nothing it changes in memory comes back.
    """
    if threading.active_count() > 1 or not hasattr(os, "fork"):
        return _run_here(work)
    read_end, write_end = os.pipe()
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        gc.unfreeze()
        return _run_here(work)
    if pid == 0:  # the child: do the work, report a failure in one line, never return
        os.close(read_end)
        code = 0
        try:
            work()
        except BaseException as exc:  # every failure must reach the parent
            os.write(write_end, _reason(exc).encode())
            code = 1
        finally:
            os._exit(code)
    gc.unfreeze()
    os.close(write_end)
    return Beside(pid, read_end)


def _run_here(work: Callable[[], None]) -> Beside:
    """The same contract without a child: a failure is raised by ``wait``, not now."""
    try:
        work()
    except Exception as exc:
        return Beside(failure=_reason(exc))
    return Beside()


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
