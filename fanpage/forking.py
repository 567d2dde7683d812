"""Worker processes for the parts of a build that can run beside it (Markdown, share cards).

Workers are forked, not spawned: a spawned worker imports the caller's main module again and
starts cold. Forking is only safe while no other thread could hold a lock the child needs, so
where threads run (``fanpage serve``'s web server) the caller does the work itself.
"""

from __future__ import annotations

import gc
import threading
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
