"""What musicians expect on the page (issue 15), in Chromium at 390 px and 1280 px, in English
and Indonesian: time zones beside the times of shows abroad, one price style per language with
ranges, drawn covers of the same size, "Venue to be announced", every label translated, lyrics
under their title, room above tag links, and links from one entry to another.

The demo (``served_site``) and the second site of tests/browser/extras.py (``extras_site``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from browser_support import VIEWPORTS, open_page

from fanpage.i18n.catalog import _ENGLISH, MESSAGES, translate

pytestmark = pytest.mark.browser

LANGS = ("en", "id")
BOTH = pytest.mark.parametrize("lang", LANGS)
WIDTHS = pytest.mark.parametrize("viewport", list(VIEWPORTS))
NNBSP = "\u202f"  # Babel's narrow no-break space in "8:00 PM"
NBSP = "\u00a0"


def home(lang: str) -> str:
    return "/" if lang == "en" else f"/{lang}/"


def under(lang: str, path: str) -> str:
    """``/tours/`` in English, ``/id/tours/`` in Indonesian."""
    return path if lang == "en" else f"/{lang}{path}"


@contextmanager
def opened(browser, site, path: str, viewport: str) -> Iterator[object]:
    context, page, problems, outside = open_page(browser, site, path, VIEWPORTS[viewport])
    try:
        assert page.evaluate("document.documentElement.lang") in LANGS
        yield page
        assert problems == [], path
        assert outside == [], path
    finally:
        context.close()


def show_row(page, city: str):
    """The one upcoming show of ``city`` on the page (past shows are folded away)."""
    city_name = page.locator(".city", has_text=re.compile(f"^{city}$"))
    rows = page.locator(".show:not(details.past .show)").filter(has=city_name)
    assert rows.count() == 1, city
    return rows.first


def box(locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, locator
    return found


# -- Time zones -------------------------------------------------------------------------------

# City -> (English, Indonesian) time as the row shows it; the site's zone is Asia/Jakarta.
DEMO_TIMES = {
    "Bandung": (f"8:00{NNBSP}PM", "20.00"),  # the site's own zone: no label
    "Denpasar": (f"4:00{NNBSP}PM WITA", "16.00 WITA"),
    "Tokyo": (f"7:00{NNBSP}PM JST", "19.00 JST"),
}
TOUR_ONLY_TIMES = {
    "Singapore": (f"8:00{NNBSP}PM UTC+8", "20.00 UTC+8"),  # no abbreviation of its own
    "Sydney": (f"8:00{NNBSP}PM AEDT", "20.00 AEDT"),
    "London": (f"7:30{NNBSP}PM GMT", "19.30 GMT"),
}
SYDNEY_ZONE = ("Australian Eastern Daylight Time", "Waktu Musim Panas Timur Australia")


@WIDTHS
@BOTH
def test_a_show_abroad_shows_its_zone_wherever_it_is_listed(
    browser, served_site, extras_site, viewport, lang
):
    index = LANGS.index(lang)
    pages = [(home(lang), DEMO_TIMES), (under(lang, "/tours/"), DEMO_TIMES | TOUR_ONLY_TIMES)]
    if lang == "en":  # the demo's tour is in English only
        pages.append(("/tours/gelombang-world-tour/", DEMO_TIMES | TOUR_ONLY_TIMES))
    for path, times in pages:
        with opened(browser, served_site, path, viewport) as page:
            for city, texts in times.items():
                row = show_row(page, city)
                assert row.locator(".time").text_content() == texts[index], (path, city)
                zone = row.locator("abbr.tz")
                if city == "Bandung":
                    assert zone.count() == 0
                    continue
                assert zone.is_visible()
                # On the same line as the time, never wrapped away from it.
                time_box, zone_box = box(row.locator(".time")), box(zone)
                assert time_box["height"] < 40 and zone_box["y"] >= time_box["y"] - 1
            if "Sydney" in times:
                title = show_row(page, "Sydney").locator("abbr.tz").get_attribute("title")
                assert title == SYDNEY_ZONE[index]
    # The issue's own example, on the second site's home page.
    with opened(browser, extras_site, home(lang), viewport) as page:
        expected = (f"9:00{NNBSP}PM AEDT", "21.00 AEDT")[index]
        assert show_row(page, "Melbourne").locator(".time").text_content() == expected


# -- Prices -----------------------------------------------------------------------------------

ONE_STYLE = re.compile(rf"^((from|mulai|up to|hingga) )?[A-Z]{{3}}{NBSP}\d[\d.,]*(–\d[\d.,]*)?$")
DEMO_PRICES = {
    "Singapore": (f"SGD{NBSP}48–88", f"SGD{NBSP}48–88"),  # price_min and price_max
    "Bandung": (f"IDR{NBSP}300,000", f"IDR{NBSP}300.000"),
    "London": (f"GBP{NBSP}16.50", f"GBP{NBSP}16,50"),
    "Sydney": (f"AUD{NBSP}55", f"AUD{NBSP}55"),
    "Tokyo": (f"JPY{NBSP}6,500", f"JPY{NBSP}6.500"),
}
EXTRAS_PRICES = {
    "Jakarta": (f"IDR{NBSP}150,000–450,000", f"IDR{NBSP}150.000–450.000"),
    "Singapore": (f"from SGD{NBSP}30", f"mulai SGD{NBSP}30"),  # price_min only
    "Melbourne": (f"AUD{NBSP}35", f"AUD{NBSP}35"),
}


def assert_prices(page, expected: dict[str, tuple[str, str]], index: int) -> None:
    prices = page.locator(".show-notes .price").all_text_contents()
    assert len(prices) >= len(expected)
    assert [p for p in prices if not ONE_STYLE.match(p)] == []  # ISO codes, one style
    for city, texts in expected.items():
        row = show_row(page, city)
        assert row.locator(".price").text_content() == texts[index], city
    for notes in page.locator(".show-notes").all_text_contents():
        # Facts are joined by " · ": no stray point after a price ("A$30.").
        assert not re.search(r"\d\.(\s|$)", notes), notes


@WIDTHS
@BOTH
def test_prices_are_ranges_in_one_style_per_language(
    browser, served_site, extras_site, viewport, lang
):
    index = LANGS.index(lang)
    with opened(browser, served_site, under(lang, "/tours/"), viewport) as page:
        assert_prices(page, DEMO_PRICES, index)
        assert (
            show_row(page, "Sydney").locator(".show-notes").text_content()
            == DEMO_PRICES["Sydney"][index]
        )
    for path in (under(lang, "/tours/"), under(lang, "/tours/sunyi-2027/")):
        with opened(browser, extras_site, path, viewport) as page:
            assert_prices(page, EXTRAS_PRICES, index)


# -- Drawn covers and the discography grid ----------------------------------------------------


def cover_boxes(page) -> list[dict[str, float]]:
    return [box(card.locator(".cover")) for card in page.locator(".grid .card").all()]


@WIDTHS
@BOTH
def test_an_album_without_a_cover_gets_a_drawn_one_and_the_grid_stays_aligned(
    browser, served_site, viewport, lang
):
    with opened(browser, served_site, under(lang, "/albums/"), viewport) as page:
        drawn = page.locator(".grid .card .cover-drawn")
        assert drawn.count() == 1
        assert drawn.get_attribute("aria-hidden") == "true"
        assert drawn.locator(".cover-title").text_content() == "Arus Balik"
        boxes = cover_boxes(page)
        assert len(boxes) == page.locator(".grid .card").count() == 5
        first = boxes[0]
        for other in boxes:
            assert abs(other["width"] - first["width"]) < 1
            assert abs(other["height"] - first["height"]) < 1
            assert abs(other["width"] - other["height"]) < 1  # square, like the covers
        rows: dict[int, list[dict[str, float]]] = {}
        for found in boxes:
            rows.setdefault(round(found["y"]), []).append(found)
        grid = box(page.locator(".grid"))
        top_row = rows[min(rows)]
        if viewport == "desktop":
            # The wide screen's width is used: one full row of covers, edge to edge.
            assert len(top_row) == 5
            assert abs(top_row[-1]["x"] + top_row[-1]["width"] - (grid["x"] + grid["width"])) < 1
            assert first["width"] >= 190
        else:
            assert len(top_row) == 2
            assert first["width"] >= 150


@WIDTHS
@BOTH
def test_a_drawn_cover_has_the_size_of_a_real_one(
    browser, served_site, extras_site, viewport, lang
):
    with opened(browser, served_site, "/albums/gelombang/", viewport) as page:
        real = box(page.locator(".album-head img.cover"))
    with opened(browser, served_site, "/albums/arus-balik/", viewport) as page:
        drawn = box(page.locator(".album-head .cover-drawn"))
    assert abs(real["width"] - drawn["width"]) < 1 and abs(real["height"] - drawn["height"]) < 1
    with opened(browser, served_site, home(lang), viewport) as page:
        real = box(page.locator(".latest .release img.cover"))
    with opened(browser, extras_site, home(lang), viewport) as page:
        drawn = box(page.locator(".latest .release .cover-drawn"))
    assert abs(real["width"] - drawn["width"]) < 1 and abs(real["height"] - drawn["height"]) < 1
    with opened(browser, extras_site, under(lang, "/albums/sunyi/"), viewport) as page:
        assert box(page.locator(".album-head .cover-drawn"))["width"] >= 150


# -- Venue to be announced --------------------------------------------------------------------

TBA_TEXT = ("Venue to be announced", "Tempat akan diumumkan")


@WIDTHS
@BOTH
def test_a_tba_venue_is_announced_as_such_and_no_place_is_guessed(
    browser, extras_site, viewport, lang
):
    index = LANGS.index(lang)
    for path in (home(lang), under(lang, "/tours/"), under(lang, "/tours/sunyi-2027/")):
        with opened(browser, extras_site, path, viewport) as page:
            row = show_row(page, "Jakarta")
            assert row.locator(".venue-tba").text_content() == TBA_TEXT[index]
            assert row.locator(".venue-tba").is_visible()
            assert not re.search(r"\bTBA\b", page.locator("body").inner_text()), path
            assert show_row(page, "Melbourne").locator(".venue").text_content() == (
                "The Gasometer Hotel"
            )
            if path.endswith("sunyi-2027/"):
                events = music_events(page)
                jakarta = next(
                    e
                    for e in events
                    if e["location"]["address"].get("addressLocality") == "Jakarta"
                )
                assert "name" not in jakarta["location"]
                assert jakarta["name"] == "Lintang Timur — Jakarta"
                assert "TBA" not in json.dumps(events)
                melbourne = next(e for e in events if "Melbourne" in e["name"])
                assert melbourne["location"]["name"] == "The Gasometer Hotel"


def music_events(page) -> list[dict]:
    nodes = []
    for text in page.locator('script[type="application/ld+json"]').all_text_contents():
        data = json.loads(text)
        for node in data.get("@graph", [data]) if isinstance(data, dict) else data:
            if node.get("@type") == "MusicEvent":
                nodes.append(node)
    assert nodes
    return nodes


# -- Every label translated on Indonesian pages -----------------------------------------------


def english_labels() -> list[re.Pattern[str]]:
    """Every interface text of the catalog whose English differs from its Indonesian, as a
    pattern (placeholders match anything)."""
    patterns = []
    for message in (*MESSAGES, *_ENGLISH):
        english, indonesian = translate(message, "en"), translate(message, "id")
        if english == indonesian:
            continue
        parts = re.split(r"\{\w+\}", english)
        patterns.append(re.compile(".+".join(re.escape(part) for part in parts)))
    assert len(patterns) > 100
    return patterns


COLLECT_TEXT = """() => {
    const own = (el) => {
        const marked = el.closest('[lang]');
        return marked && marked.getAttribute('lang') === 'id' && !el.closest('.e-content');
    };
    const out = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (el.closest('script, style') || !own(el)) continue;
        const text = node.textContent.trim();
        if (text) out.push(text);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder]')) {
        if (!own(el)) continue;
        for (const name of ['aria-label', 'title', 'placeholder']) {
            if (el.hasAttribute(name)) out.push(el.getAttribute(name));
        }
    }
    return out;
}"""

# Page -> Indonesian labels it must show (and the English page's counterpart must not).
INDONESIAN_PAGES = {
    ("served_site", "/id/"): ("Beli", "Tiket", "Rilisan terbaru", "Konser mendatang", "Semula"),
    ("served_site", "/id/news/"): ("Halaman 1 dari", "Lebih lama →"),
    ("served_site", "/id/news/world-tour/"): ("Bagikan", "Surel", "Berikutnya →"),
    ("served_site", "/id/albums/"): ("Diskografi", "Singel ·"),
    ("served_site", "/id/tours/"): ("Jadwal tur", "Habis terjual", "Tambah ke kalender"),
    ("served_site", "/id/about/"): ("Server Mastodon Anda", "Bagikan di Mastodon"),
    ("extras_site", "/id/"): ("Beli", "Tempat akan diumumkan", "Berlangganan jadwal tur"),
    ("extras_site", "/id/news/sunyi-out-now/"): ("Bagikan", "Surel"),
    ("extras_site", "/id/albums/"): ("Diskografi",),
    ("extras_site", "/id/albums/sunyi/"): (
        "Beli",
        "Daftar lagu",
        "Lirik",
        "Kredit",
        "Kata media",
        "Total durasi",
        "Tanggal rilis",
        "Jenis",
        "Eksplisit",
    ),
    ("extras_site", "/id/tours/"): ("Tempat akan diumumkan", "Pintu dibuka 19.00", "Tiket"),
    ("extras_site", "/id/tours/sunyi-2027/"): (
        "Tempat akan diumumkan",
        "Tambah ke kalender",
        "Konser yang sudah lewat (1)",
        "Diumumkan",
    ),
    ("extras_site", "/id/about/"): ("Bagikan",),
}


def fragments(texts: list[str]) -> set[str]:
    """Texts cut at the theme's separators ("Doors 7:00 PM · IDR 300,000", "Total: 7:09")."""
    pieces = set()
    for text in texts:
        for piece in re.split(r"\s*[·–—→←]\s*|:\s+", text):
            if piece.strip():
                pieces.add(piece.strip())
    return pieces


@WIDTHS
@pytest.mark.parametrize(
    ("site_name", "path"), list(INDONESIAN_PAGES), ids=[f"{s[0]}:{s[1]}" for s in INDONESIAN_PAGES]
)
def test_indonesian_pages_show_no_english_label(browser, request, site_name, path, viewport):
    site = request.getfixturevalue(site_name)
    patterns = english_labels()
    with opened(browser, site, path, viewport) as page:
        assert page.evaluate("document.documentElement.lang") == "id"
        texts = page.evaluate(COLLECT_TEXT)
    pieces = fragments(texts)
    english = sorted(p for p in pieces if any(pattern.fullmatch(p) for pattern in patterns))
    assert english == [], path
    for label in INDONESIAN_PAGES[(site_name, path)]:
        assert any(label in text for text in texts), (path, label)


@WIDTHS
def test_english_pages_show_the_english_labels(browser, served_site, extras_site, viewport):
    """The counterpart of the test above: the same labels are English on English pages."""
    with opened(browser, served_site, "/", viewport) as page:
        assert page.locator(".latest .btn:not(.btn-quiet)").text_content() == "Buy"
    with opened(browser, extras_site, "/albums/sunyi/", viewport) as page:
        assert page.locator("#tracks-title").text_content() == "Tracklist"
        assert page.locator(".lyrics summary").first.inner_text().startswith("Lyrics")


# -- Lyrics under their title, room above tag links --------------------------------------------

LYRICS_PAGES = (
    ("served_site", "/albums/gelombang/"),
    ("extras_site", "/albums/sunyi/"),
    ("extras_site", "/id/albums/sunyi/"),
)


@WIDTHS
@pytest.mark.parametrize(("site_name", "path"), LYRICS_PAGES, ids=[p for _, p in LYRICS_PAGES])
def test_the_lyrics_toggle_sits_under_its_track_title(browser, request, site_name, path, viewport):
    site = request.getfixturevalue(site_name)
    with opened(browser, site, path, viewport) as page:
        rows = page.locator(".tracklist > li").filter(has=page.locator(".lyrics")).all()
        assert len(rows) >= 2
        for row in rows:
            title = box(row.locator(".track .title"))
            toggle = box(row.locator(".lyrics > summary"))
            assert abs(toggle["x"] - title["x"]) <= 1, path
            assert toggle["y"] >= title["y"] + title["height"] - 1, path
            audio = row.locator("audio")
            if audio.count():
                assert abs(box(audio)["x"] - title["x"]) <= 1, path


TAG_PAGES = (
    ("served_site", "/albums/gelombang/"),
    ("served_site", "/tours/gelombang-world-tour/"),
    ("served_site", "/news/world-tour/"),
    ("served_site", "/id/news/world-tour/"),
    ("extras_site", "/id/albums/sunyi/"),
    ("extras_site", "/id/tours/sunyi-2027/"),
)

TAG_GAP = """(list) => {
    const above = list.previousElementSibling;
    return list.getBoundingClientRect().top - above.getBoundingClientRect().bottom;
}"""


@WIDTHS
@pytest.mark.parametrize(("site_name", "path"), TAG_PAGES, ids=[p for _, p in TAG_PAGES])
def test_tag_links_have_room_above_them(browser, request, site_name, path, viewport):
    site = request.getfixturevalue(site_name)
    with opened(browser, site, path, viewport) as page:
        tags = page.locator("ul.tags")
        assert tags.count() == 1
        assert tags.evaluate(TAG_GAP) >= 24, path
        links = tags.locator("a")
        assert links.count() >= 1
        for link in links.all():
            assert box(link)["height"] >= 24  # a target a thumb can hit


# -- Links from one entry to another ({filename}) ---------------------------------------------

ENTRY_LINKS = (
    ("served_site", "/news/single-arus-balik/", "/albums/arus-balik/", "Arus Balik"),
    ("served_site", "/id/news/world-tour/", "/tours/gelombang-world-tour/", "Gelombang World"),
    ("extras_site", "/news/sunyi-out-now/", "/albums/sunyi/", "Sunyi"),
    ("extras_site", "/id/news/sunyi-out-now/", "/id/albums/sunyi/", "Sunyi"),
    ("extras_site", "/id/news/sunyi-out-now/", "/id/tours/sunyi-2027/", "Tur Sunyi 2027"),
)


@WIDTHS
@pytest.mark.parametrize(
    ("site_name", "path", "target", "heading"), ENTRY_LINKS, ids=[e[2] for e in ENTRY_LINKS]
)
def test_a_filename_link_leads_to_the_other_entry(
    browser, request, site_name, path, target, heading, viewport
):
    site = request.getfixturevalue(site_name)
    with opened(browser, site, path, viewport) as page:
        hrefs = page.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if h and "{" in h]  # no {filename} left unresolved
        link = page.locator(f'.e-content a[href$="{target}"]')
        assert link.count() == 1
        with page.expect_navigation(wait_until="networkidle"):
            link.click()
        assert page.url == site.url(target)
        assert page.locator("h1").first.inner_text().startswith(heading)


# -- A translated tour ------------------------------------------------------------------------


@WIDTHS
@BOTH
def test_a_show_leads_to_its_row_on_the_tour_page_in_the_same_language(
    browser, extras_site, viewport, lang
):
    """A translated tour's shows have uids (and notes) of their own: the home page links to the
    row of the same show on the tour page of its language, and lists speak that language."""
    notes = ("The venue will be announced with the ticket sale.", "Tempat diumumkan bersama")
    with opened(browser, extras_site, home(lang), viewport) as page:
        link = show_row(page, "Melbourne").locator("a.tour-link")
        with page.expect_navigation(wait_until="networkidle"):
            link.click()
        path, anchor = page.url.removeprefix(extras_site.base_url).split("#")
        assert path == under(lang, "/tours/sunyi-2027/")
        row = page.locator(f"#{anchor}")
        assert row.count() == 1 and row.locator(".city").text_content() == "Melbourne"
    with opened(browser, extras_site, under(lang, "/tours/"), viewport) as page:
        text = show_row(page, "Jakarta").locator(".p-summary").text_content()
        assert text.startswith(notes[LANGS.index(lang)])
        assert show_row(page, "Jakarta").locator("[lang]").count() == 0
