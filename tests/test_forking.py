"""Work beside the build: its files are there after ``wait``, its failure is reported there."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fanpage.forking import ChildFailed, run_beside

SCRIPT = """
import os, sys
from pathlib import Path
from fanpage.forking import ChildFailed, run_beside

target = Path(sys.argv[1])
job = run_beside(lambda: target.write_text(str(os.getpid())))
job.wait()
assert target.read_text() != str(os.getpid()), "ran in this process, not a child"

def fail():
    raise ValueError("the disk is full")

job = run_beside(fail)
try:
    job.wait()
except ChildFailed as exc:
    print(exc)
"""


def test_a_forked_child_writes_files_and_reports_its_failure(tmp_path: Path) -> None:
    # A fresh interpreter: forking is used only while no other thread runs.
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "out.txt")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ValueError: the disk is full"
    assert (tmp_path / "out.txt").read_text().isdigit()


def test_with_threads_running_the_work_runs_here_with_the_same_contract() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        seen: list[int] = []
        run_beside(lambda: seen.append(threading.get_ident())).wait()
        assert seen == [threading.get_ident()]  # ran in this very thread, no fork

        def fail() -> None:
            raise OSError("no space left")

        job = run_beside(fail)  # does not raise yet
        with pytest.raises(ChildFailed, match="OSError: no space left"):
            job.wait()
    finally:
        stop.set()
        thread.join()
