"""``fanpage serve`` reloads the page after a rebuild and shows a failed build in the page.

A real ``fanpage serve`` process on 127.0.0.1, driven over HTTP and in Debian's Chromium;
synchronised on the server's own output lines and on the page's own events, never on sleeps.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import FANPAGE, _wait_for, invoke

TAG = '<script src="/__fanpage__/reload.js" defer></script>'


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    site = tmp_path / "s"
    invoke("init", str(site))
    process = subprocess.Popen(
        [*FANPAGE, "serve", "--site", str(site), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    try:
        url = _wait_for(process, r"on (http://127\.0\.0\.1:\d+/)").group(1)
        yield site, url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode("utf-8")


def test_served_pages_carry_the_reload_script_and_output_does_not(served) -> None:
    site, url, _ = served
    page = get(url + "about/")
    assert TAG in page and page.index(TAG) < page.index("</body>")
    assert TAG not in (site / "output/about/index.html").read_text()
    assert "location.reload()" in get(url + "__fanpage__/reload.js")
    assert json.loads(get(url + "__fanpage__/status")) == {"generation": 1, "error": ""}


def test_status_counts_rebuilds_and_holds_the_last_failure(served) -> None:
    site, url, process = served
    page = site / "content/pages/about.md"
    page.write_text(page.read_text().replace("Who you are", "We are the changed band"))
    _wait_for(process, r"Rebuilt in")
    assert json.loads(get(url + "__fanpage__/status"))["generation"] == 2
    page.write_text("---\ntitle: [broken\n---\n")
    _wait_for(process, r"still serving the last good build")
    status = json.loads(get(url + "__fanpage__/status"))
    assert status["generation"] == 2
    assert "content/pages/about.md:2: malformed YAML" in status["error"]
