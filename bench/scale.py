"""Marginal cost per entry at N = 1000, 5000 and 20000: does the build stay linear?

    .venv/bin/python bench/scale.py                # fanpage and bare Pelican, under 10 minutes
    .venv/bin/python bench/scale.py --sizes 500 1000 --tools fanpage

One run per N and tool (a fresh child process, cold: empty output, no card cache). The
marginal cost between two sizes is (t2 - t1) / (N2 - N1); a linear build keeps it flat. The
verdict compares the last marginal CPU cost with the first (CPU time, because wall time on a
shared 2-core machine also measures the neighbours). At each N the tool expected to be quicker
runs first; a run whose estimated time (the tool's last cost per entry, times N, times 1.4)
would overrun the time budget is skipped, and a build that overruns it is stopped; both are
reported.

Writes bench/results/scale.json and bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

from measure import (
    ChildFailed,
    ChildTimeout,
    clean,
    compile_sources,
    exit_on_sigterm,
    fanpage_argv,
    machine,
    pelican_argv,
    run_child,
    write_json,
)
from report import write_latest
from synth import generate

LINEAR_TOLERANCE = 1.25  # last marginal cost / first marginal cost still called linear
SAFETY = 1.4


def _estimate(done: list[dict], n: int) -> float:
    """Seconds a run at ``n`` would take if cost per entry stayed as at the last size."""
    return done[-1]["wall"] / done[-1]["n"] * n if done else 0.0


def measure_tool(tool: str, root: Path, timeout: float) -> dict:
    site = root / tool
    out = root / f"out-{tool}"
    clean(out, site / ".cache")
    argv = fanpage_argv(site, out) if tool == "fanpage" else pelican_argv(site, out)
    run = run_child(argv, site, root / f"{tool}.log", timeout)
    clean(out)
    return {
        "wall": run.wall,
        "cpu": run.cpu,
        "rss_mib": run.rss_mib,
        "tree_rss_mib": run.tree_rss_mib,
        "load": run.load,
    }


def add_marginals(points: list[dict]) -> None:
    for point in points:
        point["ms_per_entry"] = 1000 * point["wall"] / point["n"]
    for before, after in itertools.pairwise(points):
        span = after["n"] - before["n"]
        after["marginal_ms"] = 1000 * (after["wall"] - before["wall"]) / span
        after["marginal_cpu_ms"] = 1000 * (after["cpu"] - before["cpu"]) / span


def verdict(points: list[dict]) -> str | None:
    marginals = [p["marginal_cpu_ms"] for p in points if "marginal_cpu_ms" in p]
    if len(marginals) < 2:
        first_cost = points[0]["cpu"] / points[0]["n"] * 1000 if points else 0
        if len(marginals) == 1 and first_cost:
            growth = marginals[0] / first_cost
        else:
            return None
    else:
        growth = marginals[-1] / marginals[0]
    sizes = "-".join(str(p["n"]) for p in points)
    if growth <= LINEAR_TOLERANCE:
        return f"linear over N={sizes} (last/first marginal CPU cost {growth:.2f}x)"
    return f"NOT linear over N={sizes}: the marginal CPU cost grows {growth:.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--tools", nargs="+", default=["fanpage", "pelican"])
    parser.add_argument("--budget", type=float, default=570.0, help="seconds for the whole run")
    args = parser.parse_args()

    info = machine()
    print(
        f"Machine: {info['cpu']}, {info['cores']} cores; Python {info['python']}, "
        f"Pelican {info['pelican']}; {info['date']}; commit {info['git']}"
    )
    exit_on_sigterm()
    compile_sources()
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="fanpage-scale-"))
    points: dict[str, list[dict]] = {tool: [] for tool in args.tools}
    skipped: list[str] = []
    print(
        f"\n{'tool':<9}{'N':>7}{'wall s':>10}{'CPU s':>10}{'RSS MiB':>10}"
        f"{'ms/entry':>10}{'marginal ms':>13}{'load':>7}"
    )
    try:
        for n in sorted(args.sizes):
            root = tmp / f"n{n}"
            generate(n, root)
            for tool in sorted(args.tools, key=lambda t: _estimate(points[t], n)):
                done = points[tool]
                if done:
                    estimate = _estimate(done, n) * SAFETY
                    left = args.budget - (time.perf_counter() - started)
                    if estimate > left:
                        note = (
                            f"{tool} N={n}: skipped (estimated {estimate:.0f} s, {left:.0f} s left)"
                        )
                        skipped.append(note)
                        print(f"  {note}", flush=True)
                        continue
                left = args.budget - (time.perf_counter() - started)
                try:
                    point = {"n": n, **measure_tool(tool, root, left)}
                except ChildTimeout as exc:
                    linear = done[-1]["wall"] / done[-1]["n"] * n if done else 0
                    note = (
                        f"{tool} N={n}: stopped after {exc.seconds:.0f} s (time budget); "
                        f"linear from N={done[-1]['n'] if done else '-'} would be {linear:.0f} s"
                    )
                    skipped.append(note)
                    print(f"  {note}", flush=True)
                    continue
                except ChildFailed as exc:
                    skipped.append(f"{tool} N={n}: failed: {str(exc).splitlines()[0]}")
                    print(f"  {skipped[-1]}", flush=True)
                    continue
                done.append(point)
                add_marginals(done)
                marginal = point.get("marginal_ms")
                print(
                    f"{tool:<9}{n:>7}{point['wall']:>10.1f}{point['cpu']:>10.1f}"
                    f"{point['rss_mib']:>10.0f}{point['ms_per_entry']:>10.2f}"
                    + (f"{marginal:>13.2f}" if marginal is not None else f"{'-':>13}")
                    + f"{point['load']:>7.1f}",
                    flush=True,
                )
            clean(root)
    finally:
        clean(tmp)
    linearity = {tool: v for tool in args.tools if (v := verdict(points[tool]))}
    print()
    for tool, text in linearity.items():
        print(f"{tool}: {text}")
    data = {
        "machine": info,
        "tools": points,
        "linearity": linearity,
        "skipped": skipped,
        "seconds": time.perf_counter() - started,
    }
    json_path = write_json("scale", data)
    md_path = write_latest()
    print(f"\nTotal {data['seconds']:.0f} s. Wrote {json_path} and {md_path}.")


if __name__ == "__main__":
    sys.exit(main())
