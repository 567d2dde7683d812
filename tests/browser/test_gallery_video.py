"""Galleries and videos in Debian's Chromium: the full-size view by keyboard with and without
JavaScript, no request to a video host before the click and the privacy-friendly player after
it, and axe and the Nu Html Checker on gallery, galleries and video pages.

The site is tests/browser/gallery_site.py (``gallery_site``), served on 127.0.0.1.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import gallery_site as gs
import pytest
from browser_support import ARTIFACTS, VIEWPORTS, VNU_JAR, open_page
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NOCOOKIE = "www.youtube-nocookie.com"
PLAYER = "<!doctype html><html lang=en><title>player</title><p>a local stand-in player</p>"


@contextmanager
def opened(browser, site, path, viewport="desktop", fulfil_player=False, **options) -> Iterator:
    """(page, problems, outside requests, every request's URL from the first one)."""
    requests: list[str] = []

    def prepare(page) -> None:
        page.on("request", lambda request: requests.append(request.url))
        if fulfil_player:  # the embed's host, answered here: nothing leaves the machine
            page.route(
                f"https://{NOCOOKIE}/**",
                lambda route: route.fulfill(status=200, content_type="text/html", body=PLAYER),
            )

    context, page, problems, outside = open_page(
        browser, site, path, VIEWPORTS[viewport], prepare=prepare, **options
    )
    try:
        yield page, problems, outside, requests
    finally:
        context.close()


def hosts(urls: list[str]) -> set[str]:
    return {urlsplit(url).hostname or "" for url in urls}


def active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active_id(page) == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id}")


# -- Videos -----------------------------------------------------------------------------------


def test_no_request_to_a_video_host_before_the_click_and_the_player_after(browser, gallery_site):
    with opened(browser, gallery_site, gs.VIDEO_PAGE, fulfil_player=True) as found:
        page, problems, outside, requests = found
        facades = page.locator(".video-facade")
        assert facades.count() == 3  # YouTube, Vimeo, PeerTube
        page.mouse.wheel(0, 4000)  # scrolled to, hovered, focused: still nothing
        facades.nth(1).hover()
        facades.nth(2).focus()
        page.wait_for_load_state("networkidle")
        assert requests and hosts(requests) == {"127.0.0.1"}, requests
        assert outside == []
        assert page.locator("iframe").count() == 0

        facade = facades.first
        expect(facade).to_have_accessible_name("Play video: Laut (official video)")
        with page.expect_request(lambda r: urlsplit(r.url).hostname == NOCOOKIE) as asked:
            facade.click()
        assert asked.value.url == f"https://{NOCOOKIE}/embed/{gs.YOUTUBE_ID}?autoplay=1"
        frame = page.locator("iframe.video-frame")
        expect(frame).to_have_count(1)
        expect(frame).to_have_attribute("src", asked.value.url)
        expect(frame).to_have_attribute("title", "Laut (official video)")
        allow = frame.get_attribute("allow")
        assert "autoplay" in allow and "fullscreen" in allow
        page.wait_for_function(
            "document.activeElement && document.activeElement.tagName === 'IFRAME'"
        )
        assert page.frame_locator("iframe.video-frame").locator("p").inner_text() == (
            "a local stand-in player"
        )
        assert page.locator(".video-facade").count() == 2  # the others wait for their click
        assert hosts(requests) == {"127.0.0.1", NOCOOKIE}
        assert outside == [] and problems == []


def test_a_video_works_by_keyboard_enter_loads_the_player(browser, gallery_site):
    with opened(browser, gallery_site, gs.VIDEO_PAGE, fulfil_player=True) as found:
        page, problems, outside, _ = found
        page.locator(".video-facade").first.focus()
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"
        with page.expect_request(lambda r: urlsplit(r.url).hostname == NOCOOKIE):
            page.keyboard.press("Enter")
        expect(page.locator("iframe.video-frame")).to_have_count(1)
        assert outside == [] and problems == []


def test_without_javascript_the_facade_is_a_link_to_the_video_page(browser, gallery_site):
    with opened(browser, gallery_site, gs.VIDEO_PAGE, java_script_enabled=False) as found:
        page, _, outside, requests = found
        assert hosts(requests) == {"127.0.0.1"}
        assert page.locator("iframe").count() == 0
        with page.expect_request(lambda r: urlsplit(r.url).hostname == "www.youtube.com") as asked:
            page.locator(".video-facade").first.click()
        assert asked.value.url == gs.YOUTUBE_URL
        assert outside == [gs.YOUTUBE_URL]  # the guard stopped it: nothing left 127.0.0.1


def test_a_local_video_fetches_no_video_before_play_and_shows_its_captions(browser, gallery_site):
    with opened(browser, gallery_site, gs.ALBUM_PAGE) as found:
        page, problems, outside, requests = found
        video = page.locator("figure.video video")
        expect(video).to_be_visible()
        assert not [u for u in requests if u.endswith(".mp4")], requests
        posters = [u for u in requests if "/images/posters/laut-live-" in u]
        assert len(posters) == 1 and posters[0].endswith(".jpg")  # the poster, once
        assert video.evaluate("v => v.textTracks.length") == 1
        assert video.evaluate("v => v.textTracks[0].kind") == "captions"
        assert video.evaluate("v => v.textTracks[0].mode") == "showing"  # on by default
        assert outside == [] and problems == []


# -- Galleries --------------------------------------------------------------------------------


def test_keyboard_opens_a_photo_and_arrow_keys_browse(browser, gallery_site):
    with opened(browser, gallery_site, gs.GALLERY_PAGE) as found:
        page, problems, outside, _ = found
        tab_to(page, "thumb-1")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"
        page.keyboard.press("Enter")
        view = page.locator("#photo-1")
        expect(view).to_be_visible()
        expect(view.locator("figcaption")).to_contain_text("Opening song.")
        expect(view.locator("figcaption")).to_contain_text("Photo: Ayu P.")
        page.wait_for_function(
            "(() => { const i = document.querySelector('#photo-1 img');"
            " return i.complete && i.naturalWidth > 0; })()"
        )
        page.wait_for_function("document.activeElement.id === 'photo-1'")
        page.keyboard.press("ArrowRight")
        expect(page.locator("#photo-2")).to_be_visible()
        expect(view).to_be_hidden()
        expect(page.locator("#photo-2 figcaption")).to_contain_text("Photo 2 of 6")
        assert page.evaluate("location.hash") == "#photo-2"
        page.keyboard.press("ArrowLeft")
        expect(view).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator(".photo-view:visible")).to_have_count(0)
        assert page.evaluate("location.hash") == "#thumb-1"
        page.wait_for_function("document.activeElement.id === 'thumb-1'")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        assert outside == [] and problems == []


def test_without_javascript_the_full_size_view_is_reached_by_links(browser, gallery_site):
    with opened(browser, gallery_site, gs.GALLERY_PAGE, java_script_enabled=False) as found:
        page, problems, outside, _ = found
        tab_to(page, "thumb-2")
        page.keyboard.press("Enter")
        view = page.locator("#photo-2")
        expect(view).to_be_visible()
        expect(view.locator("figcaption")).to_contain_text("Rina.")
        img = view.locator("img")
        expect(img).to_be_visible()
        box = img.bounding_box()
        width, height = VIEWPORTS["desktop"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["y"] >= 0 and box["y"] + box["height"] <= height  # the whole photo shows
        page.screenshot(path=str(ARTIFACTS / "gallery-photo-nojs-desktop.png"))
        view.get_by_role("link", name="Next photo").click()
        expect(page.locator("#photo-3")).to_be_visible()
        expect(view).to_be_hidden()
        expect(page.locator("#photo-3 figcaption")).to_contain_text("Photo: Ayu P.")
        page.locator("#photo-3").get_by_role("link", name="Back to all photos").click()
        expect(page.locator(".photo-view:visible")).to_have_count(0)
        expect(page.locator("#thumb-3")).to_be_in_viewport()
        assert outside == [] and problems == []


def test_lazy_thumbnails_below_the_first_row_wait_until_scrolled_to(browser, gallery_site):
    with opened(browser, gallery_site, gs.GALLERY_PAGE, viewport="desktop") as found:
        _, problems, outside, requests = found
        thumbs = [u for u in requests if "-thumb." in u]
        assert len(thumbs) >= 4
        full = [u for u in requests if "/images/shows/" in u and "-thumb." not in u]
        assert full == [], "a full-size photo loaded before it was opened"
        assert outside == [] and problems == []


PAGES = (
    ("gallery", gs.GALLERY_PAGE, "en"),
    ("gallery-id", f"id/{gs.GALLERY_PAGE}", "id"),
    ("gallery-photo-open", f"{gs.GALLERY_PAGE}#photo-2", "en"),
    ("galleries", "galleries/", "en"),
    ("galleries-id", "id/galleries/", "id"),
    ("videos", gs.VIDEO_PAGE, "en"),
    ("local-video", gs.ALBUM_PAGE, "en"),
    ("home", "", "en"),
    ("tour", gs.TOUR_PAGE, "en"),
)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(("name", "path", "lang"), PAGES, ids=[p[0] for p in PAGES])
def test_gallery_and_video_pages_load_cleanly_and_fit(
    browser, gallery_site, viewport, name, path, lang
):
    with opened(browser, gallery_site, path, viewport) as found:
        page, problems, outside, _ = found
        assert page.evaluate("document.documentElement.lang") == lang
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"page scrolls sideways by {overflow}px"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{viewport}.png"), full_page=True)
        assert outside == [] and problems == []


@pytest.mark.parametrize(("name", "path", "lang"), PAGES, ids=[p[0] for p in PAGES])
def test_axe_finds_no_violation_on_gallery_and_video_pages(
    browser, gallery_site, axe_source, name, path, lang
):
    for scheme, viewport in (("light", "mobile"), ("dark", "desktop")):
        with opened(browser, gallery_site, path, viewport, color_scheme=scheme) as found:
            page = found[0]
            page.add_script_tag(content=axe_source)
            result = page.evaluate(
                """async () => (await axe.run(document, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}
                })).violations.map(v => ({id: v.id, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
            )
            assert result == [], f"{scheme}: {result}"


def test_gallery_and_video_pages_are_valid_html(gallery_site):
    assert VNU_JAR.is_file(), f"{VNU_JAR} missing: run `npm ci` in the repository"
    java = shutil.which("java")
    assert java, "java is needed for the Nu Html Checker"
    pages = list(gallery_site.root.rglob("*.html"))
    assert len(pages) > 15
    assert (gallery_site.root / gs.GALLERY_PAGE / "index.html") in pages
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", str(gallery_site.root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[:5000]
    assert result.stderr.strip() == ""
