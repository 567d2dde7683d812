"""Browser fixtures: the demo site built with publish settings, served on 127.0.0.1, Chromium.

The site is built with ``SITEURL`` set to the local server's address, so every absolute link
the theme, metadata and feeds write points at the server under test and never at the public
host. Chromium is Debian's (``/usr/bin/chromium``); Playwright never downloads a browser.
"""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_support import AXE_JS, CHROMIUM, CHROMIUM_ARGS, ROOT

from fanpage.content.problems import ContentError
from fanpage.engine.build import check_site, run_pelican


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Requests are checked by the tests, not printed."""


@dataclass
class LocalSite:
    """The built site and the address it is served at."""

    root: Path
    base_url: str
    requests: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def build_for(base_url: str, output: Path) -> None:
    """A publish build (feeds, metadata, everything) whose SITEURL is the local server."""
    checked = check_site(ROOT, publish=True, output=output)
    if checked.problems.failed(False):
        raise ContentError(checked.problems)
    settings = dict(checked.config.pelican)
    settings["SITEURL"] = base_url
    settings["FANPAGE_CONTENT"] = checked.content
    run_pelican(settings)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSite]:
    """Build once, then serve the output folder with a threaded http.server on 127.0.0.1."""
    sock = _free_socket()
    port = sock.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    output = tmp_path_factory.mktemp("browser-site")
    build_for(base_url, output)
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    server.server_activate()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalSite(output, base_url)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE_JS.is_file(), f"{AXE_JS} missing: run `npm ci` in the repository"
    return AXE_JS.read_text(encoding="utf-8")
