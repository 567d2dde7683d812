"""``fanpage serve`` in the browser: the page reloads after an edit and shows a broken build.

A real ``fanpage serve`` process (``tests/test_serve_reload.py`` tests its HTTP side), driven
in the session's Chromium; synchronised on the server's output lines and the page's events.
"""

from __future__ import annotations

import pytest

from tests.test_cli import _wait_for
from tests.test_serve_reload import served

__all__ = ["served"]  # the fixture, shared with the HTTP-side tests


@pytest.mark.browser
def test_the_browser_reloads_after_an_edit_and_shows_a_broken_build(served, browser) -> None:
    site, url, process = served
    page_file = site / "content/pages/about.md"
    page = browser.new_page()
    try:
        page.goto(url + "about/")
        with page.expect_event("load", timeout=30000):
            page_file.write_text(
                page_file.read_text().replace("Who you are", "We are the changed band")
            )
        assert "We are the changed band" in page.content()
        page_file.write_text("---\ntitle: [broken\n---\n")
        _wait_for(process, r"still serving the last good build")
        alert = page.wait_for_selector("#fanpage-build-error", timeout=30000)
        assert "content/pages/about.md:2: malformed YAML" in alert.inner_text()
        assert "We are the changed band" in page.content()  # the last good build stays
    finally:
        page.close()
