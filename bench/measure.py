"""What every benchmark script shares: timing a child process, the machine, writing results.

A build is timed as a fresh child process (``os.wait4`` gives its own CPU time and peak RSS),
never in the benchmark's process, so one build's imports and caches cannot help the next.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
PYTHON = sys.executable
FANPAGE = str(Path(sys.executable).parent / "fanpage")
# Tests pin the clock too: the same site always has the same past and upcoming shows.
PINNED_NOW = "2026-11-20T12:00+07:00"


@dataclass
class Run:
    """One child process: wall seconds, CPU seconds (user + sys), peak RSS in MiB, and the
    machine's 1-minute load average when it started (other work on a 2-core machine shows)."""

    wall: float
    cpu: float
    rss_mib: float
    load: float = 0.0
    tree_rss_mib: float = 0.0  # sampled PSS sum over the child and its children (a pool)


class ChildFailed(RuntimeError):
    pass


class ChildTimeout(ChildFailed):
    """The child ran past its time limit and was stopped (with its own children)."""

    def __init__(self, argv: list[str], seconds: float) -> None:
        super().__init__(f"{argv[0]} stopped after {seconds:.0f} s (time limit)")
        self.seconds = seconds


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["FANPAGE_NOW"] = PINNED_NOW
    env["PYTHONHASHSEED"] = "0"
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    # As installed: Pelican and every library in the venv run from the bytecode pip compiled;
    # fanpage's own source (an editable install) gets its bytecode on the first run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_sources() -> None:
    """Bytecode for fanpage's own modules, as ``pip install`` writes it for an installed one."""
    import compileall

    compileall.compile_dir(str(REPO / "fanpage"), quiet=1)
    compileall.compile_dir(str(REPO / "plugins"), quiet=1)


def run_child(
    argv: list[str], cwd: Path, log: Path | None = None, timeout: float | None = None
) -> Run:
    """Run ``argv`` to completion; its own wall time, CPU time and peak RSS.

    The child leads its own process group: a timeout, Ctrl+C or SIGTERM stops it and any pool
    it started, so no build outlives the benchmark.
    """
    log = log or Path(tempfile.gettempdir()) / "fanpage-bench-child.log"
    load = os.getloadavg()[0]
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=cwd, env=child_env(), stdout=out, stderr=out, start_new_session=True
        )
        sampler = _TreeRss(proc.pid)
        sampler.start()
        timer = threading.Timer(timeout, _stop_group, (proc.pid,)) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            _stop_group(proc.pid)
            os.wait4(proc.pid, 0)
            raise
        finally:
            if timer:
                timer.cancel()
            sampler.stop.set()
            sampler.join()
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if timeout and wall >= timeout and proc.returncode < 0:
        raise ChildTimeout(argv, wall)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise ChildFailed(f"{' '.join(argv)} exited {proc.returncode}:\n{tail}")
    rss = usage.ru_maxrss / 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, rss, load, sampler.peak_kib / 1024)


def _stop_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so ``finally`` blocks stop children and remove temp files."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


class _TreeRss(threading.Thread):
    """Samples the memory of a process and its descendants every 50 ms, as PSS.

    wait4's ru_maxrss is the largest single process; a build that draws in a forked pool holds
    several at once. Summing their RSS would count the pages they share copy-on-write once per
    process: PSS (proportional set size) splits shared pages between the processes sharing them,
    so the sum is what the machine holds.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            total = sum(_pss_kib(pid) for pid in _tree(self.pid))
            self.peak_kib = max(self.peak_kib, total)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pelican_argv(site: Path, out: Path, settings: str = "pelicanconf.py") -> list[str]:
    return [PYTHON, "-m", "pelican", "content", "-s", settings, "-o", str(out), "-q"]


def fanpage_argv(site: Path, out: Path) -> list[str]:
    return [FANPAGE, "build", "--publish", "--site", str(site), "--output", str(out)]


def clean(*paths: Path) -> None:
    """Outputs and fanpage's card cache go before every timed build: each one starts cold."""
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def summary(runs: list[Run]) -> dict:
    """Median, min and max of each measure, plus the raw runs."""
    out: dict = {"runs": [asdict(r) for r in runs]}
    for name in ("wall", "cpu", "rss_mib", "tree_rss_mib"):
        values = [getattr(r, name) for r in runs]
        out[name] = {
            "median": statistics.median(values),
            "min": min(values),
            "max": max(values),
        }
    return out


def machine() -> dict:
    """Where the numbers came from."""
    import jinja2
    import markdown
    import pelican

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": mem_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "pelican": pelican.__version__,
        "markdown": markdown.__version__,
        "jinja2": jinja2.__version__,
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "git": _git_head(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _git_head() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + ("+uncommitted" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_json(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path


def update_section(start: str, end: str, lines: list[str]) -> Path:
    """Put one script's section (``lines``, from its ``start`` mark to its ``end`` mark) into
    latest.md, replacing that section only: each script owns its own."""
    path = RESULTS / "latest.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    block = "\n".join(lines)
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def fmt_range(stats: dict, unit: str = "s", digits: int = 2) -> str:
    """``1.23 s (1.20-1.31)``: median, then min-max when there was more than one run."""
    median = f"{stats['median']:.{digits}f}"
    if stats["min"] == stats["max"]:
        return f"{median} {unit}"
    return f"{median} {unit} ({stats['min']:.{digits}f}-{stats['max']:.{digits}f})"
