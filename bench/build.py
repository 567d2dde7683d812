"""Full publish build, fanpage against bare Pelican, on the same synthetic site; then rebuilds.

    .venv/bin/python bench/build.py            # N = 1000 and 5000, about 6-8 minutes
    .venv/bin/python bench/build.py --sizes 200 --runs 1   # a quick look

For each N: (a) bare Pelican 4.12, default theme (notmyidea), quickstart's publish settings with
its own Atom feeds, content cache off, over the converted Markdown; (b) ``fanpage build
--publish`` with everything on. Each build is a fresh child process with an empty output folder
and no fanpage card cache, a and b interleaved; median, min and max of wall time, CPU time (user
+ sys of the child) and peak RSS, and the ratio b/a of the medians.

Then at N=1000: a cold build and three one-file-edit rebuilds in one long-lived process, as
``fanpage serve`` does them, next to bare Pelican's autoreload path with its content cache on.

Writes bench/results/build.json and bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from measure import (
    BENCH_DIR,
    PYTHON,
    ChildTimeout,
    Run,
    clean,
    compile_sources,
    exit_on_sigterm,
    fanpage_argv,
    fmt_range,
    machine,
    pelican_argv,
    run_child,
    summary,
    write_json,
)
from report import write_latest
from synth import generate

DEFAULT_RUNS = {1000: 3, 5000: 2}


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def measure_size(n: int, root: Path, runs: int, deadline: float) -> dict:
    """Interleaved a/b runs; a run past the deadline is not started, a build past it is stopped.

    The first pair always runs (with the deadline as its time limit); later pairs run only when
    the first pair's time says they fit.
    """
    started = time.perf_counter()
    mix = generate(n, root)
    print(
        f"\nN={n}: {mix.news_en} news + {mix.news_id} Indonesian, {mix.albums} albums "
        f"({mix.albums * 12} tracks), {mix.tours} tours ({mix.shows} shows), {mix.pages} pages "
        f"(generated in {time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    psite, fsite = root / "pelican", root / "fanpage"
    pout, fout = root / "out-pelican", root / "out-fanpage"
    a: list[Run] = []
    b: list[Run] = []
    result: dict = {"composition": mix.as_dict()}
    pages: dict[str, int] = {}
    for i in range(runs):
        pair_started = time.perf_counter()
        left = deadline - pair_started
        if a and b and (a[-1].wall + b[-1].wall) * 1.2 > left:
            print(f"  run {i + 1}/{runs}: skipped, {left:.0f} s left in the time budget")
            break
        try:
            clean(pout)
            a.append(run_child(pelican_argv(psite, pout), psite, root / "pelican.log", left))
            pages["pelican"] = count_pages(pout)
            clean(fout, fsite / ".cache")
            left = deadline - time.perf_counter()
            b.append(run_child(fanpage_argv(fsite, fout), fsite, root / "fanpage.log", left))
            pages["fanpage"] = count_pages(fout)
        except ChildTimeout as exc:
            print(f"  run {i + 1}/{runs}: {exc}", flush=True)
            result["timed_out"] = {
                "tool": "pelican" if len(a) <= i else "fanpage",
                "after_s": exc.seconds,
            }
            break
        print(
            f"  run {i + 1}/{runs}: pelican {a[-1].wall:.2f} s, fanpage {b[-1].wall:.2f} s "
            f"(load {a[-1].load:.1f})",
            flush=True,
        )
    if not (a and b):
        return result
    result["pelican"] = {**summary(a), "html_pages": pages["pelican"]}
    result["fanpage"] = {**summary(b), "html_pages": pages["fanpage"]}
    result["ratio"] = {
        k: result["fanpage"][k]["median"] / result["pelican"][k]["median"]
        for k in ("wall", "cpu", "rss_mib", "tree_rss_mib")
    }
    return result


def measure_rebuild(n: int, root: Path, edits: int) -> dict:
    """Cold build then one-file-edit rebuilds, each tool in its own long-lived child."""
    if not (root / "fanpage").exists():
        generate(n, root)
    out: dict = {"n": n}
    for tool in ("fanpage", "pelican"):
        site = root / tool
        target = root / f"out-rebuild-{tool}"
        clean(target, site / ".cache", site / "cache")
        result_file = root / f"rebuild-{tool}.json"
        argv = [PYTHON, str(BENCH_DIR / "rebuild.py"), tool, str(site), str(target)]
        run = run_child([*argv, str(result_file), "--edits", str(edits)], site, root / "rb.log")
        times = json.loads(result_file.read_text())
        out[tool] = {
            **times,
            "median_edit": statistics.median(times["edits"]),
            "process_rss_mib": run.rss_mib,
        }
    return out


def print_size(n: int, size: dict) -> None:
    if "ratio" not in size:
        t = size.get("timed_out", {})
        stopped = f"{t.get('tool')} stopped after {t.get('after_s', 0):.0f} s"
        print(f"\nN={n}: no complete pair ({stopped})")
        return
    head = f"{'N=' + str(n):<18}{'wall':<24}{'CPU':<24}{'peak RSS':<16}{'tree PSS':<16}HTML"
    print("\n" + head)
    for key, label in (("pelican", "a  bare Pelican"), ("fanpage", "b  fanpage")):
        s = size[key]
        print(
            f"{label:<18}{fmt_range(s['wall']):<24}{fmt_range(s['cpu']):<24}"
            f"{s['rss_mib']['median']:<5.0f}{'MiB':<11}{s['tree_rss_mib']['median']:<5.0f}"
            f"{'MiB':<11}{s['html_pages']}"
        )
    r = size["ratio"]
    print(
        f"{'   ratio b/a':<18}{r['wall']:<24.2f}{r['cpu']:<24.2f}{r['rss_mib']:<16.2f}"
        f"{r['tree_rss_mib']:<16.2f}"
    )


def print_rebuild(rebuild: dict) -> None:
    print(f"\nRebuild, N={rebuild['n']}, one long-lived process, one news file edited:")
    for tool, label in (
        ("fanpage", "fanpage (serve path, dev settings)   "),
        ("pelican", "bare Pelican, content cache on       "),
    ):
        r = rebuild[tool]
        edits = ", ".join(f"{t:.2f}" for t in r["edits"])
        print(
            f"  {label} cold {r['cold']:.2f} s; edit rebuilds {edits} s (median "
            f"{r['median_edit']:.2f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=None, help="runs per size (default 3, 2)")
    parser.add_argument("--edits", type=int, default=3, help="one-file-edit rebuilds to time")
    parser.add_argument("--rebuild-n", type=int, default=1000)
    parser.add_argument("--no-rebuild", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
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
    deadline = started + args.budget
    tmp = Path(tempfile.mkdtemp(prefix="fanpage-bench-"))
    data: dict = {"machine": info, "sizes": {}}
    try:
        for n in sorted(args.sizes):
            runs = args.runs or DEFAULT_RUNS.get(n, 1)
            data["sizes"][str(n)] = measure_size(n, tmp / f"n{n}", runs, deadline)
            print_size(n, data["sizes"][str(n)])
            if n == args.rebuild_n and not args.no_rebuild:
                # Right after its size, so a slow larger size cannot crowd it out.
                data["rebuild"] = measure_rebuild(n, tmp / f"n{n}", args.edits)
                print_rebuild(data["rebuild"])
            clean(tmp / f"n{n}")
    finally:
        if args.keep:
            print(f"\nKept {tmp}")
        else:
            clean(tmp)
    data["seconds"] = time.perf_counter() - started
    json_path = write_json("build", data)
    md_path = write_latest()
    print(f"\nTotal {data['seconds']:.0f} s. Wrote {json_path} and {md_path}.")


if __name__ == "__main__":
    sys.exit(main())
