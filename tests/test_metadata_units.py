"""Pure functions of fanpage.metadata: entry -> tags, without Pelican."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
from factories import album, news, show, tour
from lxml import etree
from PIL import Image

from fanpage.content.models import NewsPost, Track, iso_duration
from fanpage.engine.images import ImageSizes
from fanpage.metadata import cards, jsonld
from fanpage.metadata.head import head_html
from fanpage.metadata.opengraph import og_tags
from fanpage.metadata.page import EventRef, PageMeta, ShareImage, SiteInfo
from fanpage.metadata.robots import robots_txt
from fanpage.metadata.sitemap import SitemapPage, sitemap_xml
from fanpage.metadata.text import clip, describe
from fanpage.metadata.urls import Version, hreflang_alternates, og_locale, path_of_output
from fanpage.metadata.xcard import x_tags
from fanpage.text import first_paragraph
from fanpage.urls import public_url, site_url

WIB = timezone(timedelta(hours=7))
SITE = SiteInfo(
    name="Test Band",
    url="https://band.example",
    artist_name="Test Band",
    artist_bio="Noise from nowhere.",
    x_handle="testband",
    profiles=("https://musician.social/@tb", "https://bsky.app/profile/tb.example"),
    about_path="about/",
)
# The post, show and tour these tests describe (the factories' defaults, plus these).
POST = {"title": "Hello", "slug": "hello", "tags": ("tour", "live"), "summary": "A summary."}
BANDUNG = {
    "uid": "tour/2026-12-05-bandung",
    "starts_at": datetime(2026, 12, 5, 20, 0, tzinfo=WIB),
    "venue": "Sabuga",
    "city": "Bandung",
    "status": "on_sale",
    "tickets": "https://tickets.example/a",
    "price": 300000,
    "currency": "IDR",
}
TOUR = {"uid": "tour", "title": "Tour 2026", "slug": "tour-2026"}


def post(**changes) -> NewsPost:
    return news(**{**POST, **changes})


def bandung(**changes):
    return show(**{**BANDUNG, **changes})


# -- text ----------------------------------------------------------------------------------


def test_clip_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "word " * 60
    clipped = clip(text, 200)
    assert len(clipped) <= 200
    assert clipped.endswith("word…")
    assert clip("short text") == "short text"


def test_clip_without_spaces_still_fits() -> None:
    clipped = clip("x" * 500, 200)
    assert len(clipped) == 200 and clipped.endswith("…")


def test_first_paragraph_is_plain_text() -> None:
    html = (
        "<h2>Head</h2><p></p><p>We &amp; <em>you</em>\n at <a href='/x'>Sabuga</a>.</p><p>Next</p>"
    )
    assert first_paragraph(html) == "We & you at Sabuga."


def test_describe_prefers_the_summary() -> None:
    assert describe("Summary.", "<p>Body.</p>") == "Summary."
    assert describe(None, "<p>Body.</p>") == "Body."
    assert describe("  ", "", "Fallback") == "Fallback"


# -- urls ----------------------------------------------------------------------------------


def test_urls() -> None:
    assert public_url("https://b.example", "news/a/") == "https://b.example/news/a/"
    assert public_url("https://b.example", "") == "https://b.example/"
    assert public_url("", "news/a/") is None
    assert public_url("", "https://cdn.example/x.jpg") == "https://cdn.example/x.jpg"
    assert site_url("", "feed.json") == "/feed.json"
    assert site_url("https://b.example", "/images/a.jpg") == "https://b.example/images/a.jpg"
    assert path_of_output("index.html") == ""
    assert path_of_output("news/page/2/index.html") == "news/page/2/"
    assert path_of_output("404.html") == "404.html"


def test_og_locale() -> None:
    assert og_locale("en") == "en_US"
    assert og_locale("id") == "id_ID"
    assert og_locale("ja") == "ja_JP"
    assert og_locale("pt-BR") == "pt_BR"


def test_hreflang_alternates_include_x_default() -> None:
    versions = (Version("id", "id/about/"), Version("en", "about/"))
    assert hreflang_alternates(versions, "en") == [
        ("en", "about/"),
        ("id", "id/about/"),
        ("x-default", "about/"),
    ]
    assert hreflang_alternates((Version("en", "about/"),), "en") == []


# -- Open Graph and X ----------------------------------------------------------------------


def news_page(entry: NewsPost | None = None) -> PageMeta:
    entry = entry or post(modified=datetime(2026, 3, 3, 9, 30, tzinfo=WIB))
    return PageMeta(
        kind="news",
        lang="en",
        title=entry.title,
        description="A summary.",
        path="news/hello/",
        entry=entry,
        versions=(Version("en", "news/hello/"), Version("id", "id/news/hello/")),
        image=ShareImage("images/cards/news-a.png", "Hello — Test Band", 1200, 630, True),
    )


def test_og_tags_of_a_news_post_are_exact() -> None:
    assert og_tags(news_page(), SITE) == [
        ("og:type", "article"),
        ("og:title", "Hello"),
        ("og:description", "A summary."),
        ("og:url", "https://band.example/news/hello/"),
        ("og:site_name", "Test Band"),
        ("og:locale", "en_US"),
        ("og:locale:alternate", "id_ID"),
        ("og:image", "https://band.example/images/cards/news-a.png"),
        ("og:image:width", "1200"),
        ("og:image:height", "630"),
        ("og:image:alt", "Hello — Test Band"),
        ("article:published_time", "2026-03-02T10:00:00+07:00"),
        ("article:modified_time", "2026-03-03T09:30:00+07:00"),
        ("article:tag", "tour"),
        ("article:tag", "live"),
    ]


def test_og_tags_of_an_album() -> None:
    entry = album()
    page = PageMeta(
        kind="album", lang="en", title="X", description="", path="albums/x/", entry=entry
    )
    tags = dict(og_tags(page, SITE))
    assert tags["og:type"] == "music.album"
    assert tags["music:release_date"] == "2026-01-01"
    assert tags["music:musician"] == "https://band.example/about/"
    assert "music:song" not in tags  # no track pages


def test_without_siteurl_no_url_valued_tags() -> None:
    dev = SiteInfo(name="B", url="", artist_name="B")
    tags = dict(og_tags(news_page(), dev))
    assert "og:url" not in tags and "og:image" not in tags and "og:image:alt" not in tags
    assert dict(x_tags(news_page(), dev)) == {"twitter:card": "summary_large_image"}


def test_x_tags() -> None:
    assert x_tags(news_page(), SITE) == [
        ("twitter:card", "summary_large_image"),
        ("twitter:image:alt", "Hello — Test Band"),
        ("twitter:site", "@testband"),
        ("twitter:creator", "@testband"),
    ]


# -- JSON-LD -------------------------------------------------------------------------------


def test_script_json_cannot_close_the_script() -> None:
    text = jsonld.script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & <!--"


def test_iso_duration() -> None:
    assert iso_duration(225) == "PT3M45S"
    assert iso_duration(3725) == "PT1H2M5S"
    assert iso_duration(180) == "PT3M"
    assert iso_duration(0) == "PT0S"


def test_artist_is_a_person_for_a_solo_artist() -> None:
    solo = SiteInfo(name="S", url="https://s.example", artist_name="S", artist_type="person")
    assert jsonld.artist(solo)["@type"] == "Person"
    node = jsonld.artist(SITE, full=True)
    assert node["@type"] == "MusicGroup"
    assert node["sameAs"] == list(SITE.profiles)


def test_album_json_ld() -> None:
    entry = album(release_type="ep", tracks=(Track(1, "One", 225), Track(2, "Two", 3725)))
    page = PageMeta(
        kind="album", lang="en", title="X", description="", path="albums/x/", entry=entry
    )
    node = jsonld.album(entry, page, SITE)
    assert node["albumReleaseType"] == "https://schema.org/EPRelease"
    assert node["numTracks"] == 2
    assert node["byArtist"]["name"] == "Test Band"
    items = node["track"]["itemListElement"]
    assert [i["item"]["duration"] for i in items] == ["PT3M45S", "PT1H2M5S"]
    assert [i["position"] for i in items] == [1, 2]


@pytest.mark.parametrize(
    ("changes", "status", "availability"),
    [
        ({}, "EventScheduled", "InStock"),
        ({"status": "sold_out"}, "EventScheduled", "SoldOut"),
        ({"status": "cancelled"}, "EventCancelled", None),
        ({"status": "postponed"}, "EventPostponed", None),
        (
            {
                "status": "rescheduled",
                "previous_dates": (datetime(2026, 11, 21, 20, 0, tzinfo=WIB),),
            },
            "EventRescheduled",
            "InStock",
        ),
    ],
)
def test_event_status_and_offer(changes: dict, status: str, availability: str | None) -> None:
    ref = EventRef(
        bandung(**changes), tour(**TOUR), "tours/tour-2026/", ShareImage("images/p.jpg", "P")
    )
    node = jsonld.event(ref, SITE)
    assert node["@type"] == "MusicEvent"
    assert node["eventStatus"] == "https://schema.org/" + status
    assert node["startDate"] == "2026-12-05T20:00:00+07:00"
    assert node["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert node["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Bandung",
        "addressCountry": "ID",
    }
    assert node["performer"][0]["name"] == node["organizer"]["name"] == "Test Band"
    assert node["image"] == ["https://band.example/images/p.jpg"]
    if status == "EventRescheduled":
        assert node["previousStartDate"] == "2026-11-21T20:00:00+07:00"
    if availability is None:
        assert "offers" not in node
    else:
        assert node["offers"]["availability"] == "https://schema.org/" + availability
        assert node["offers"]["price"] == 300000
        assert node["offers"]["priceCurrency"] == "IDR"
        assert node["offers"]["url"] == "https://tickets.example/a"


def test_offer_price_range_on_sale_date_and_free_show() -> None:
    on_sale = datetime(2026, 12, 1, 12, 0, tzinfo=WIB)
    ranged = bandung(price=None, price_min=50, price_max=120.5, currency="USD", on_sale_at=on_sale)
    offer = jsonld.offers(ranged, "https://band.example/tours/t/")
    assert offer == {
        "@type": "AggregateOffer",
        "url": "https://tickets.example/a",
        "availability": "https://schema.org/InStock",
        "validFrom": "2026-12-01T12:00:00+07:00",
        "lowPrice": 50,
        "highPrice": 120.5,
        "priceCurrency": "USD",
    }
    free = bandung(status="free", tickets=None, price=None, currency=None, country="JP")
    offer = jsonld.offers(free, "https://band.example/tours/t/")
    assert offer["price"] == 0 and offer["priceCurrency"] == "JPY"
    assert offer["url"] == "https://band.example/tours/t/"


def test_date_only_show_has_a_date_start() -> None:
    day = bandung(has_time=False, starts_at=datetime(2026, 12, 5, tzinfo=WIB))
    ref = EventRef(day, tour(**TOUR), "t/")
    node = jsonld.event(ref, SITE)
    assert node["startDate"] == "2026-12-05"
    assert "endDate" not in node


# -- the whole head ------------------------------------------------------------------------


def test_head_html_escapes_attributes_and_scripts() -> None:
    hostile = 'A "quote" <b>&</b> </script><script>alert(1)</script>'
    entry = post(title=hostile)
    page = PageMeta(
        kind="news", lang="en", title=hostile, description=hostile, path="n/", entry=entry
    )
    html = str(head_html(page, SITE))
    assert "<script>alert" not in html
    assert html.count("</script>") == html.count('<script type="application/ld+json">') == 1
    assert 'content="A &quot;quote&quot; &lt;b&gt;&amp;&lt;/b&gt; &lt;/script&gt;' in html


# -- sitemap and robots --------------------------------------------------------------------


def test_sitemap_xml_parses_with_alternates() -> None:
    pages = [
        SitemapPage(
            "about/", datetime(2026, 1, 2, tzinfo=UTC), (("en", "about/"), ("x-default", "about/"))
        ),
        SitemapPage("", None),
        SitemapPage("news/a&b/", None),
    ]
    root = etree.fromstring(sitemap_xml(pages, "https://b.example").encode())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = root.xpath("//s:loc/text()", namespaces=ns)
    assert locs == ["https://b.example/", "https://b.example/about/", "https://b.example/news/a&b/"]
    assert root.xpath("//s:lastmod/text()", namespaces=ns) == ["2026-01-02T00:00:00+00:00"]
    assert root.xpath("//x:link/@hreflang", namespaces=ns) == ["en", "x-default"]


def test_robots_txt() -> None:
    assert (
        robots_txt("https://b.example").splitlines()[-1] == "Sitemap: https://b.example/sitemap.xml"
    )
    assert "Sitemap" not in robots_txt("")


# -- images and cards ----------------------------------------------------------------------


def test_image_sizes_are_read_from_the_file_header(tmp_path: Path) -> None:
    Image.new("RGB", (640, 360)).save(tmp_path / "a.jpg")
    sizes = ImageSizes(tmp_path)
    assert sizes.size("a.jpg") == (640, 360)
    assert sizes.size("/a.jpg") == (640, 360)
    assert sizes.size("missing.jpg") is None
    assert sizes.size("https://cdn.example/x.jpg") is None
    assert sizes.size(None) is None


@pytest.mark.parametrize(
    "title",
    [
        "Hello",
        "Thank you, Jakarta: two sold-out nights at Tennis Indoor Senayan and a very long title "
        * 3,
        "שלום עולם — مرحبا بالعالم",
        '🎸 emoji "quotes" </script> & <b>',
        "東京でのライブ",
    ],
)
def test_card_is_a_1200x630_png(title: str) -> None:
    data = cards.render_card(cards.CardSpec(title, "Test Band", "en", "news"))
    image = Image.open(BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert data == cards.render_card(cards.CardSpec(title, "Test Band", "en", "news"))


def test_card_title_wraps_and_clips() -> None:
    font, lines = cards.fit_title("word " * 200, str(cards.DEFAULT_FONT))
    assert 1 < len(lines) <= 5 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= cards.WIDTH - 2 * cards.MARGIN for line in lines)
    assert cards.is_rtl("שלום") and not cards.is_rtl("Hello שלום")


def test_card_writer_draws_each_card_once(tmp_path: Path) -> None:
    spec = cards.CardSpec("Hello", "Test Band")
    first = cards.CardWriter(tmp_path / "cache", tmp_path / "out")
    target = first.write(cards.card_path("news/a"), spec)
    assert target == tmp_path / "out" / "images/cards/news-a.png"
    assert first.drawn == 1
    again = cards.CardWriter(tmp_path / "cache", tmp_path / "out2")
    again.write(cards.card_path("news/a"), spec)
    again.write(cards.card_path("news/a"), spec)
    assert again.drawn == 0 and again.reused == 1
    assert (tmp_path / "out2/images/cards/news-a.png").read_bytes() == target.read_bytes()
    changed = cards.CardSpec("Hello again", "Test Band")
    assert changed.digest() != spec.digest()
    assert cards.CardSpec("Hello", "Test Band", lang="id", kind="news").digest() != spec.digest()
    first.write(cards.card_path("news/a"), changed)
    assert first.drawn == 2
    assert os.path.samefile(tmp_path / "cache" / f"{changed.digest()}.png", target)


def test_card_writer_draws_in_other_processes_while_pages_render(tmp_path: Path) -> None:
    # A fresh interpreter: the pool forks only while no other thread runs, and other tests
    # in this process (the live server, the browser) start threads.
    script = f"""
import threading
from pathlib import Path
from fanpage.metadata import cards

assert threading.active_count() == 1
tmp = Path({str(tmp_path)!r})
writer = cards.CardWriter(tmp / "cache", tmp / "out")
writer.PARALLEL_AFTER = 2
writer.parallel = True  # also on a one-core machine
specs = {{f"images/cards/{{i}}.png": cards.CardSpec(f"Card {{i}}", "Band") for i in range(5)}}
for path, spec in specs.items():
    writer.request(path, spec)
assert writer._pool is not None  # drawing started before the build finished
writer.finish()
assert writer.drawn == 5
for path, spec in specs.items():
    assert (tmp / "out" / path).read_bytes() == cards.render_card(spec), path
assert not list((tmp / "cache").glob("*.tmp"))
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
