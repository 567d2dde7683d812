"""Every page type in a real Chromium at phone and desktop widths: loads cleanly, fits, is usable.

Also writes a screenshot of each page type at both widths to test-artifacts/screenshots/.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from browser_support import ARTIFACTS, VIEWPORTS, open_page

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    lang: str
    visible: tuple[str, ...]  # selectors that must be visible on the page
    site: str = "served_site"  # the fixture serving it: the demo, or "extras_site"


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
    PageType("album-drawn-cover", "/albums/arus-balik/", "en", (".cover-drawn", ".tracklist")),
    PageType("gallery", "/galleries/jakarta-night-one/", "en", (".thumb", ".gallery-show a")),
    PageType("gallery-id", "/id/galleries/jakarta-night-one/", "id", (".thumb", ".gallery-show a")),
    PageType("galleries", "/galleries/", "en", (".gallery-card .thumb", ".gallery-card h2")),
    PageType("galleries-id", "/id/galleries/", "id", (".gallery-card .thumb",)),
    PageType("video", "/news/single-arus-balik/", "en", (".video-facade .play",)),
    # The second site (extras.py): every page type in Indonesian, a TBA venue, no covers.
    PageType("x-home-id", "/id/", "id", (".release .cover-drawn", ".venue-tba"), "extras_site"),
    PageType("x-albums-id", "/id/albums/", "id", (".grid .cover-drawn",), "extras_site"),
    PageType("x-album", "/albums/sunyi/", "en", (".cover-drawn", ".lyrics"), "extras_site"),
    PageType("x-album-id", "/id/albums/sunyi/", "id", (".cover-drawn", ".lyrics"), "extras_site"),
    PageType("x-tours", "/tours/", "en", (".venue-tba", ".show .btn"), "extras_site"),
    PageType("x-tour-id", "/id/tours/sunyi-2027/", "id", (".venue-tba", ".tags"), "extras_site"),
    PageType("x-article-id", "/id/news/sunyi-out-now/", "id", (".e-content a",), "extras_site"),
)
# One page of each type in each language, for the slower accessibility runs.
AXE_PAGES = PAGES


@pytest.mark.parametrize("viewport_name", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", PAGES, ids=[p.name for p in PAGES])
def test_page_type_loads_cleanly(browser, request, page_type, viewport_name):
    site = request.getfixturevalue(page_type.site)
    context, page, problems, outside = open_page(
        browser, site, page_type.path, VIEWPORTS[viewport_name]
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
def test_axe_finds_no_wcag_a_or_aa_violations(browser, request, axe_source, page_type):
    site = request.getfixturevalue(page_type.site)
    for scheme, viewport in (("light", "mobile"), ("dark", "desktop")):
        context, page, _, _ = open_page(
            browser,
            site,
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
