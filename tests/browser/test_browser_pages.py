"""Every page type in a real Chromium at phone and desktop widths: loads cleanly, fits, is usable.

Also writes a screenshot of each page type at both widths to test-artifacts/screenshots/.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from browser_support import ARTIFACTS, VIEWPORTS

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    lang: str
    visible: tuple[str, ...]  # selectors that must be visible on the page


PAGES: tuple[PageType, ...] = (
    PageType("home", "/", "en", (".hero img", ".latest .btn", ".shows .show", ".lang-switch")),
    PageType("home-id", "/id/", "id", (".hero img", ".shows .show", ".lang-switch")),
    PageType("news", "/news/", "en", (".summary", ".pager", ".lang-switch")),
    PageType("news-id", "/id/news/", "id", (".summary", ".pager")),
    PageType("article", "/news/world-tour/", "en", (".e-content", ".share", ".lang-switch a")),
    PageType("article-id", "/id/news/world-tour/", "id", (".e-content", ".share", ".tags")),
    PageType("albums", "/albums/", "en", (".grid .card img", ".grid .card h2")),
    PageType("albums-id", "/id/albums/", "id", (".grid .card",)),
    PageType(
        "album",
        "/albums/gelombang/",
        "en",
        (".cover", ".tracklist", ".tracklist audio", ".lyrics summary", ".buttons .btn"),
    ),
    PageType("tours", "/tours/", "en", (".shows .show", ".badge", ".show .btn", ".past")),
    PageType("tours-id", "/id/tours/", "id", (".shows .show", ".badge", ".show .btn")),
    PageType("tour", "/tours/gelombang-world-tour/", "en", (".poster", ".badge", ".show .btn")),
    PageType("tag", "/tags/tour/", "en", (".summary",)),
    PageType("tags", "/tags/", "en", (".tag-cloud a",)),
    PageType("about", "/about/", "en", (".e-content", ".lang-switch a")),
    PageType("about-id", "/id/about/", "id", (".e-content", ".lang-switch a")),
    PageType("press-kit", "/press-kit/", "en", (".e-content table",)),
    PageType("404", "/404.html", "en", (".big-links a",)),
)
# One page of each type in each language, for the slower accessibility runs.
AXE_PAGES = PAGES


def open_page(browser, site, path, viewport, wait_until="networkidle", **options):
    """A fresh context and page that records every problem and every outside request."""
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
    page.goto(site.url(path), wait_until=wait_until)  # networkidle: favicon and scripts too
    return context, page, problems, outside


@pytest.mark.parametrize("viewport_name", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", PAGES, ids=[p.name for p in PAGES])
def test_page_type_loads_cleanly(browser, served_site, page_type, viewport_name):
    context, page, problems, outside = open_page(
        browser, served_site, page_type.path, VIEWPORTS[viewport_name]
    )
    try:
        assert problems == []
        assert outside == [], "requests to other hosts"
        assert page.evaluate("document.documentElement.lang") == page_type.lang
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"page scrolls sideways by {overflow}px"
        for selector in page_type.visible:
            assert page.locator(selector).first.is_visible(), f"{selector} not visible"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(ARTIFACTS / f"{page_type.name}-{viewport_name}.png"), full_page=True
        )
    finally:
        context.close()


def test_dark_mode_screenshots_and_colours(browser, served_site):
    """prefers-color-scheme: dark switches the palette (and gets screenshots to look at)."""
    for name, path in (("home", "/"), ("tours", "/tours/"), ("album", "/albums/gelombang/")):
        context, page, problems, _ = open_page(
            browser, served_site, path, VIEWPORTS["mobile"], color_scheme="dark"
        )
        try:
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background == "rgb(22, 19, 29)"
            assert problems == []
            page.screenshot(path=str(ARTIFACTS / f"{name}-dark-mobile.png"), full_page=True)
        finally:
            context.close()


def test_works_without_javascript(browser, served_site):
    """Lyrics open, past shows open, share links are plain links: no script needed."""
    context, page, problems, _ = open_page(
        browser, served_site, "/albums/gelombang/", VIEWPORTS["mobile"], java_script_enabled=False
    )
    try:
        lyrics = page.locator(".lyrics").first
        lyrics.locator("summary").click()
        assert lyrics.locator("p").first.is_visible()
        assert (
            page.locator(".share a.share-bluesky")
            .get_attribute("href")
            .startswith("https://bsky.app/intent/compose?text=")
        )
        assert page.locator(".native-share").is_hidden()
        page.goto(served_site.url("/tours/"), wait_until="networkidle")
        past = page.locator("details.past")
        assert past.get_attribute("open") is None
        past.locator("summary").click()
        assert past.locator(".show").first.is_visible()
        assert problems == []
    finally:
        context.close()


def test_mastodon_share_goes_to_the_readers_server(browser, served_site):
    """With the local script, the form sends the reader to https://<their server>/share."""
    context, page, _, outside = open_page(
        browser, served_site, "/news/world-tour/", VIEWPORTS["desktop"]
    )
    try:
        page.fill("#mastodon-instance", "https://example.social/@someone")
        with page.expect_request("https://example.social/**") as request_info:
            page.click(".mastodon-share button[type=submit]")
        target = request_info.value.url
        assert target.startswith("https://example.social/share?text=")
        assert "world-tour" in target
        assert outside == [target]  # the guard stopped it: nothing left 127.0.0.1
    finally:
        context.close()


def test_language_switcher_goes_to_the_translation(browser, served_site):
    context, page, problems, _ = open_page(
        browser, served_site, "/news/world-tour/", VIEWPORTS["mobile"]
    )
    try:
        with page.expect_navigation(wait_until="networkidle"):
            page.locator(".lang-switch a[hreflang=id]").click()
        assert page.url == served_site.url("/id/news/world-tour/")
        assert page.evaluate("document.documentElement.lang") == "id"
        assert page.locator(".main-nav a").first.inner_text() == "Berita"
        with page.expect_navigation(wait_until="networkidle"):
            page.locator(".lang-switch a[hreflang=en]").click()
        assert page.url == served_site.url("/news/world-tour/")
        assert page.evaluate("document.documentElement.lang") == "en"
        assert problems == []
    finally:
        context.close()


def test_skip_link_is_first_and_visible_on_focus(browser, served_site):
    context, page, _, _ = open_page(browser, served_site, "/tours/", VIEWPORTS["desktop"])
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip"
        box = page.locator(".skip").bounding_box()
        assert box is not None and box["y"] >= 0
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
    finally:
        context.close()


@pytest.mark.parametrize("page_type", AXE_PAGES, ids=[p.name for p in AXE_PAGES])
def test_axe_finds_no_wcag_a_or_aa_violations(browser, served_site, axe_source, page_type):
    for scheme, viewport in (("light", "mobile"), ("dark", "desktop")):
        context, page, _, _ = open_page(
            browser,
            served_site,
            page_type.path,
            VIEWPORTS[viewport],
            wait_until="load",
            color_scheme=scheme,
        )
        try:
            page.add_script_tag(content=axe_source)
            result = page.evaluate(
                """async () => (await axe.run(document, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}
                })).violations.map(v => ({id: v.id, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
            )
            assert result == [], f"{scheme}: {result}"
        finally:
            context.close()
