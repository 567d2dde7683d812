"""What the browser fixtures and tests share: where Chromium and the checkers are, and a page
opened with every problem and every outside request recorded."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("FANPAGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORTS = {"mobile": (390, 844), "desktop": (1280, 800)}


def open_page(browser, site, path, viewport, wait_until="networkidle", prepare=None, **options):
    """A fresh context and page that records every problem and every outside request.

    ``prepare(page)``, when given, runs before the page is opened (to listen to or route its
    requests from the very first one)."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    problems: list[str] = []
    outside: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url} {req.failure}"))
    page.on(
        "response",
        lambda resp: (
            problems.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None
        ),
    )
    if prepare is not None:
        prepare(page)
    page.goto(site.url(path), wait_until=wait_until)  # networkidle: favicon and scripts too
    return context, page, problems, outside
