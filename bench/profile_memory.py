"""What a fanpage publish build holds in memory at its end, on the synthetic site.

    .venv/bin/python bench/profile_memory.py --n 1000

Runs one cold build under tracemalloc and, when Pelican sends ``finalized`` (every page written,
nothing freed yet), prints the Python allocations still alive grouped by the line that made them,
and by package. Card drawing happens in worker processes and is not counted here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import tracemalloc
from collections import defaultdict
from pathlib import Path

from measure import PINNED_NOW
from synth import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ["FANPAGE_NOW"] = PINNED_NOW
    from pelican import signals

    from fanpage.engine.build import build_site

    tmp = Path(tempfile.mkdtemp(prefix="fanpage-memory-"))
    snapshots: list[tracemalloc.Snapshot] = []
    try:
        generate(args.n, tmp)
        # blinker holds receivers weakly: a lambda would be collected before the signal.
        signals.finalized.connect(
            lambda _p: snapshots.append(tracemalloc.take_snapshot()), weak=False
        )
        tracemalloc.start(1)
        build_site(tmp / "fanpage", publish=True, output=tmp / "out")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    snapshot = snapshots[-1].filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen*")]
    )
    stats = snapshot.statistics("lineno")
    alive = sum(s.size for s in stats)
    print(
        f"N={args.n}: traced peak {peak / 2**20:.0f} MiB; "
        f"alive at finalized {alive / 2**20:.0f} MiB"
    )
    print(f"\nTop {args.top} lines by memory alive at the end of the build:\n")
    for stat in stats[: args.top]:
        frame = stat.traceback[0]
        where = _short(frame.filename)
        print(f"{stat.size / 2**20:8.1f} MiB {stat.count:>9} blocks  {where}:{frame.lineno}")
    by_area: dict[str, int] = defaultdict(int)
    for stat in stats:
        by_area[_area(stat.traceback[0].filename)] += stat.size
    print("\nBy package:\n")
    for area, size in sorted(by_area.items(), key=lambda kv: -kv[1])[:15]:
        print(f"{size / 2**20:8.1f} MiB  {area}")


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/", "python3.11/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _area(filename: str) -> str:
    short = _short(filename)
    parts = short.split("/")
    if parts[0] in ("fanpage", "theme"):
        return "/".join(parts[:2])
    return parts[0]


if __name__ == "__main__":
    main()
