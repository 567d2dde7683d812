"""How long ``fanpage --help`` and ``fanpage check`` take to start and finish on the demo site.

Each command is a fresh child process, timed with its CPU time and peak RSS (``measure.py``),
run ``--runs`` times (default 15); medians with min-max. Target (issue 12): under 0.25 s each.
For comparison, the same run times ``python -c pass`` (the interpreter's own start) and
``pelican --help`` (what importing Pelican alone costs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from measure import (
    FANPAGE,
    PYTHON,
    REPO,
    compile_sources,
    fmt_range,
    machine,
    run_child,
    summary,
    update_section,
    write_json,
)

SECTION_START = "<!-- bench/startup.py -->"
SECTION_END = "<!-- /bench/startup.py -->"
TARGET_SECONDS = 0.25
COMMANDS: dict[str, list[str]] = {
    "python -c pass": [PYTHON, "-c", "pass"],
    "pelican --help": [str(Path(PYTHON).parent / "pelican"), "--help"],
    "fanpage --help": [FANPAGE, "--help"],
    "fanpage check (demo)": [FANPAGE, "check"],
}


def measure(runs: int) -> dict:
    compile_sources()
    results: dict = {"machine": machine(), "runs": runs, "commands": {}}
    timings: dict[str, list] = {name: [] for name in COMMANDS}
    for _ in range(runs):  # interleaved, so a busy moment touches every command alike
        for name, argv in COMMANDS.items():
            timings[name].append(run_child(argv, REPO))
    for name, found in timings.items():
        results["commands"][name] = summary(found)
    return results


def section(data: dict) -> list[str]:
    m = data["machine"]
    lines = [
        SECTION_START,
        "## Start-up: `fanpage --help` and `fanpage check` (bench/startup.py)",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}; {m['date']}, "
        f"commit {m['git']}; load average at start {m['load_average'][0]:.2f}. "
        f"{data['runs']} runs each, interleaved; fresh processes.",
        "",
        "| command | wall (median, min-max) | CPU (user+sys) | target |",
        "|---|---|---|---|",
    ]
    for name, stats in data["commands"].items():
        target = ""
        if name.startswith("fanpage"):
            met = stats["wall"]["median"] < TARGET_SECONDS
            target = f"< {TARGET_SECONDS} s: {'met' if met else 'not met'}"
        lines.append(
            f"| `{name}` | {fmt_range(stats['wall'], digits=3)} | "
            f"{stats['cpu']['median']:.3f} s | {target} |"
        )
    lines += ["", SECTION_END]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results")
    args = parser.parse_args()
    data = measure(args.runs)
    lines = section(data)
    print("\n".join(lines[2:-1]))
    if not args.no_save:
        write_json("startup", data)
        update_section(SECTION_START, SECTION_END, lines)


if __name__ == "__main__":
    sys.exit(main())
