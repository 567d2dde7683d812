"""Browser fixtures: the demo site built with publish settings, served on 127.0.0.1, Chromium.

The site is built with ``SITEURL`` set to the local server's address, so every absolute link
the theme, metadata and feeds write points at the server under test and never at the public
host. Chromium is Debian's (``/usr/bin/chromium``); Playwright never downloads a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_support import AXE_JS, CHROMIUM, CHROMIUM_ARGS, ROOT
from extras import write_extras
from gallery_site import write_gallery_site

from fanpage.engine.build import build_site
from fanpage.serve import start_server


@dataclass
class LocalSite:
    """The built site and the address it is served at."""

    root: Path
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSite]:
    """Serve a folder on 127.0.0.1, then build the demo into it with that address as SITEURL."""
    output = tmp_path_factory.mktemp("browser-site")
    server = start_server(output, 0)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        build_site(ROOT, publish=True, output=output, site_url=base_url)
        yield LocalSite(output, base_url)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def extras_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSite]:
    """The second site (tests/browser/extras.py: a TBA venue, a release without a cover as the
    latest, an album and a tour in both languages), built with development settings and served
    at the root of its own 127.0.0.1 server."""
    site = write_extras(tmp_path_factory.mktemp("extras-site"))
    output = tmp_path_factory.mktemp("extras-output")
    server = start_server(output, 0)
    try:
        build_site(site, publish=False, output=output)
        yield LocalSite(output, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def gallery_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSite]:
    """The galleries and videos site (tests/browser/gallery_site.py), built with development
    settings and served at the root of its own 127.0.0.1 server."""
    site = write_gallery_site(tmp_path_factory.mktemp("gallery-site"))
    output = tmp_path_factory.mktemp("gallery-output")
    server = start_server(output, 0)
    try:
        build_site(site, publish=False, output=output)
        yield LocalSite(output, f"http://127.0.0.1:{server.server_address[1]}")
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
