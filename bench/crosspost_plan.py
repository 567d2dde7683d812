"""Planning a cross-posting run against a large ledger: target under 0.2 s at 20,000 entries.

A site with N published entries (news, and tours with shows), every one already posted on all
eight networks, plus five new entries: the plan must find exactly the five on each network.
Timed in this process (the plan is a pure function; there is no child to measure), as the
median of several runs, for the plan alone and for reading the ledger file then planning.
The baseline is a plain loop doing the same set lookups over the same data.

    .venv/bin/python bench/crosspost_plan.py [--entries 20000] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fanpage.content.models import NewsPost, Show, Tour
from fanpage.content.published import PublishedEntry
from fanpage.crosspost.ledger import BASELINE, POSTED, Ledger, Record, load_ledger
from fanpage.crosspost.plan import plan_run
from fanpage.crosspost.registry import NETWORKS

NOW = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)
NEW = 5
RESULTS = Path(__file__).resolve().parent / "results"


def site(entries: int) -> list[PublishedEntry]:
    published: list[PublishedEntry] = []
    for n in range(entries):
        when = NOW - timedelta(hours=entries - n)
        if n % 12 == 0:
            shows = tuple(
                Show(
                    f"tours/t{n}/{k}",
                    when + timedelta(days=30 + k),
                    True,
                    "Asia/Jakarta",
                    "Hall",
                    f"City{k}",
                    "ID",
                )
                for k in range(20)
            )
            entry = Tour(
                uid=f"tours/t{n}",
                title=f"Tour {n}",
                slug=f"t{n}",
                lang="en",
                date=when,
                source_path=f"content/tours/t{n}.md",
                shows=shows,
                key_lines={"date": 3},
            )
        else:
            entry = NewsPost(
                uid=f"news/n{n}",
                title=f"News {n}",
                slug=f"n{n}",
                lang="en",
                date=when,
                source_path=f"content/news/n{n}.md",
            )
        published.append(PublishedEntry(entry, f"x/{n}/", f"https://suarasenja.band/x/{n}/", ""))
    return published


def posted_ledger(path: Path, published: list[PublishedEntry]) -> Ledger:
    ledger = Ledger(path)
    # Entries posted (with the post's id and URL); the shows of a tour recorded with it.
    posted = Record(POSTED, "2026-11-01T00:00:00Z", "110", "https://example.social/@b/110", 1)
    shown = Record(BASELINE, "2026-11-01T00:00:00Z")
    for item in published[:-NEW]:
        for network in NETWORKS:
            ledger.set(item.entry.uid, network, posted)
            if isinstance(item.entry, Tour):
                for show in item.entry.shows:
                    ledger.set(show.uid, network, shown)
    return ledger


def median_seconds(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    published = site(args.entries)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "syndication.json"
        ledger = posted_ledger(path, published)
        ledger.save()
        size = path.stat().st_size
        records = sum(len(v) for v in ledger.records.values())

        def plan() -> None:
            result = plan_run(published, ledger, NETWORKS, NOW)
            assert len(result.due) == NEW * len(NETWORKS), len(result.due)

        def load_and_plan() -> None:
            fresh = load_ledger(path)
            plan_run(published, fresh, NETWORKS, NOW)

        def plain_loop() -> None:
            due = [
                (item.entry.uid, network)
                for network in NETWORKS
                for item in published
                if network not in ledger.records.get(item.entry.uid, {})
            ]
            assert len(due) == NEW * len(NETWORKS)

        plan_s = median_seconds(plan, args.runs)
        load_s = median_seconds(load_and_plan, args.runs)
        loop_s = median_seconds(plain_loop, args.runs)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "entries": args.entries,
        "ledger_records": records,
        "ledger_bytes": size,
        "plan_seconds": round(plan_s, 4),
        "load_and_plan_seconds": round(load_s, 4),
        "plain_loop_seconds": round(loop_s, 4),
        "ratio_plan_to_plain_loop": round(plan_s / loop_s, 2),
        "target_seconds": 0.2,
        "met": plan_s < 0.2,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "crosspost_plan.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{args.entries} entries, {records} ledger records ({size / 1e6:.1f} MB): "
        f"plan {plan_s * 1000:.0f} ms (target < 200 ms: {'met' if result['met'] else 'NOT met'}), "
        f"load + plan {load_s * 1000:.0f} ms, plain loop {loop_s * 1000:.0f} ms "
        f"(plan/loop {result['ratio_plan_to_plain_loop']}x)"
    )


if __name__ == "__main__":
    main()
