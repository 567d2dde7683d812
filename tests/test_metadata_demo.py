"""Share previews and search metadata of the built demo site, read back with extruct and
BeautifulSoup: exact tags per page type, one valid MusicEvent per show, the sitemap, the cards."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path

import extruct
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from PIL import Image

from fanpage.content.models import Album, Entry, Gallery, NewsPost, Page, Tour, iso_duration
from fanpage.engine.build import check_site
from fanpage.engine.context import build_time
from fanpage.media.pipeline import MediaPlan, recipe_from
from fanpage.media.plan import JPEG

ROOT = Path(__file__).resolve().parent.parent
SITEURL = "https://suarasenja.band"
SECTION = {NewsPost: "news", Album: "albums", Tour: "tours", Gallery: "galleries"}
COMMON_OG = {
    "og:type",
    "og:title",
    "og:description",
    "og:url",
    "og:site_name",
    "og:locale",
    "og:image",
    "og:image:width",
    "og:image:height",
    "og:image:alt",
}
X_TAGS = ["twitter:card", "twitter:image:alt", "twitter:site", "twitter:creator"]
SCHEMA = "https://schema.org/"


@cache
def demo():
    checked = check_site(ROOT, publish=True)
    return checked.config.pelican, [e for e in checked.content.entries if e.status == "published"]


@cache
def derived_preview(source: str) -> str:
    """The address of the derived JPEG a preview of ``content/<source>`` shows (names and sizes
    come from the bytes and the recipe alone, so a plan of its own gives the build's)."""
    checked = check_site(ROOT, publish=True)
    settings = checked.config.settings
    # Only planned, never published: the plan's cache folder is never written.
    plan = MediaPlan(settings.content_dir, Path("/nonexistent-cache"), recipe_from(settings))
    return f"{SITEURL}/{plan.add(source).widest(JPEG, at_most=1200).path}"


def preview_source(entry: Entry) -> str | None:
    """What the entry's preview shows: its share image, else its first video's poster."""
    return entry.share_image or next((v.poster for v in entry.videos if v.poster), None)


def url_of(entry: Entry) -> str:
    settings, _ = demo()
    path = f"{entry.slug}/" if isinstance(entry, Page) else f"{SECTION[type(entry)]}/{entry.slug}/"
    return path if entry.lang == settings["DEFAULT_LANG"] else f"{entry.lang}/{path}"


def file_of(out: Path, url: str) -> Path:
    return out / url / "index.html"


class Head:
    """The metadata of one built page."""

    def __init__(self, out: Path, url: str) -> None:
        self.url = url
        self.html = file_of(out, url).read_text(encoding="utf-8")
        self.soup = BeautifulSoup(self.html, "html.parser")
        found = extruct.extract(
            self.html, base_url=f"{SITEURL}/{url}", syntaxes=["opengraph", "json-ld"], uniform=False
        )
        self.og: list[tuple[str, str]] = found["opengraph"][0]["properties"]
        self.extruct_ld = found["json-ld"]
        # Strict: every script must be valid JSON on its own.
        self.ld = [
            json.loads(script.string)
            for script in self.soup.find_all("script", type="application/ld+json")
        ]

    def og_value(self, prop: str) -> str:
        values = [v for p, v in self.og if p == prop]
        assert len(values) == 1, (prop, values)
        return values[0]

    def og_values(self, prop: str) -> list[str]:
        return [v for p, v in self.og if p == prop]

    def meta(self, name: str) -> list[str]:
        return [m["content"] for m in self.soup.head.find_all("meta", attrs={"name": name})]

    def links(self, rel: str, **attrs: str) -> list:
        return [
            link
            for link in self.soup.head.find_all("link")
            if rel in link.get("rel", []) and all(link.get(k) == v for k, v in attrs.items())
        ]

    def of_type(self, kind: str) -> list[dict]:
        return [node for node in self.ld if node.get("@type") == kind]


def entries_of(kind: type) -> list[Entry]:
    return [e for e in demo()[1] if isinstance(e, kind)]


def expected_og(entry: Entry | None, translated: bool) -> set[str]:
    names = set(COMMON_OG)
    if translated:
        names.add("og:locale:alternate")
    if isinstance(entry, Album):
        names |= {"music:release_date", "music:musician"}
    if isinstance(entry, (NewsPost, Gallery)):
        names |= {"article:published_time", "article:modified_time"}
        if entry.tags:
            names.add("article:tag")
    if entry is not None and entry.videos:
        names |= {"og:video", "og:video:secure_url", "og:video:type"}
    return names


def has_translation(entry: Entry) -> bool:
    return any(
        other is not entry and other.slug == entry.slug and type(other) is type(entry)
        for other in demo()[1]
    )


def assert_common(head: Head, out: Path) -> None:
    url = f"{SITEURL}/{head.url}"
    assert head.og_value("og:url") == url
    assert [link["href"] for link in head.links("canonical")] == [url]
    assert head.og_value("og:site_name") == "Suara Senja"
    assert head.og_value("og:description").strip()
    assert len(head.og_value("og:description")) <= 200
    image = head.og_value("og:image")
    assert image.startswith(SITEURL + "/"), image
    with Image.open(out / image.removeprefix(SITEURL + "/")) as picture:
        assert picture.size == (
            int(head.og_value("og:image:width")),
            int(head.og_value("og:image:height")),
        )
    assert head.og_value("og:image:alt").strip()
    names = [m["name"] for m in head.soup.head.find_all("meta", attrs={"name": True})]
    assert [n for n in names if n.startswith("twitter:")] == X_TAGS
    assert head.meta("twitter:card") == ["summary_large_image"]
    assert head.meta("twitter:site") == head.meta("twitter:creator") == ["@suarasenja"]
    assert head.meta("twitter:image:alt") == [head.og_value("og:image:alt")]
    feeds = {link["type"]: link["href"] for link in head.links("alternate") if link.get("title")}
    assert feeds["application/atom+xml"].startswith(SITEURL + "/feeds/all")
    assert feeds["application/rss+xml"].startswith(SITEURL + "/feeds/all")
    assert feeds["application/feed+json"].startswith(SITEURL + "/feed")
    assert head.extruct_ld == head.ld


# -- Open Graph and X, per page type --------------------------------------------------------


@pytest.mark.parametrize("kind", [NewsPost, Album, Tour, Gallery, Page])
def test_entry_pages_have_exactly_their_tags(demo_publish: Path, kind: type) -> None:
    entries = entries_of(kind)
    assert entries
    for entry in entries:
        head = Head(demo_publish, url_of(entry))
        translated = has_translation(entry)
        assert {p for p, _ in head.og} == expected_og(entry, translated), entry.uid
        assert head.og_value("og:title") == entry.title
        if entry.summary:
            assert head.og_value("og:description") == entry.summary
        locale = {"en": "en_US", "id": "id_ID"}[entry.lang]
        assert head.og_value("og:locale") == locale
        if translated:
            assert head.og_values("og:locale:alternate") == [
                {"en": "id_ID", "id": "en_US"}[entry.lang]
            ]
        expected_type = {NewsPost: "article", Gallery: "article", Album: "music.album"}.get(
            kind, "website"
        )
        if kind is Page and entry.slug == "about":
            expected_type = "profile"
        assert head.og_value("og:type") == expected_type
        assert_common(head, demo_publish)


def test_news_times_are_full_iso_8601_with_offset(demo_publish: Path) -> None:
    for entry in entries_of(NewsPost):
        head = Head(demo_publish, url_of(entry))
        published = datetime.fromisoformat(head.og_value("article:published_time"))
        modified = datetime.fromisoformat(head.og_value("article:modified_time"))
        assert published == entry.date and published.utcoffset() is not None
        assert modified == (entry.modified or entry.date) and modified.utcoffset() is not None
        assert "T" in head.og_value("article:published_time")
        assert head.og_values("article:tag") == list(entry.tags)


def test_album_music_tags(demo_publish: Path) -> None:
    for album in entries_of(Album):
        head = Head(demo_publish, url_of(album))
        assert head.og_value("music:release_date") == album.release_date.isoformat()
        assert head.og_value("music:musician") == f"{SITEURL}/about/"
        assert head.og_values("music:song") == []


@pytest.mark.parametrize(
    "url", ["", "news/", "albums/", "tours/", "tags/", "id/", "id/news/", "news/page/2/"]
)
def test_list_pages_are_websites(demo_publish: Path, url: str) -> None:
    head = Head(demo_publish, url)
    assert {p for p, _ in head.og} == COMMON_OG | {"og:locale:alternate"} - (
        {"og:locale:alternate"} if url == "tags/" else set()
    )
    assert head.og_value("og:type") == "website"
    assert head.og_value("og:locale") == ("id_ID" if url.startswith("id/") else "en_US")
    assert_common(head, demo_publish)


def test_tag_pages_are_websites(demo_publish: Path) -> None:
    tags = sorted((demo_publish / "tags").glob("*/index.html"))
    assert tags
    for page in tags:
        url = page.parent.relative_to(demo_publish).as_posix() + "/"
        head = Head(demo_publish, url)
        assert {p for p, _ in head.og} == COMMON_OG
        assert head.og_value("og:type") == "website"


def test_404_is_not_indexed_and_has_no_canonical(demo_publish: Path) -> None:
    soup = BeautifulSoup((demo_publish / "404.html").read_text(), "html.parser")
    assert soup.head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.head.find("link", rel="canonical") is None
    assert soup.head.find("meta", property="og:url") is None


def _without(text: str, suffix: str) -> str:
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


@pytest.mark.parametrize("build", ["demo_publish", "demo_dev"])
def test_every_page_says_what_its_preview_says(build: str, request: pytest.FixtureRequest):
    """A page's visible label (its <title> and heading) and its share preview's title agree,
    in every language: one name per page, from one catalog."""
    out: Path = request.getfixturevalue(build)
    site = " · Suara Senja"
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        visible = soup.title.get_text()
        preview = soup.head.find("meta", property="og:title")["content"]
        preview = re.sub(r" \((?:page|halaman) \d+\)$", "", preview)  # pages of a list
        if visible == "Suara Senja":  # the home pages
            assert preview == visible, path
            continue
        label = _without(visible, site)
        assert _without(preview, " — Suara Senja") == label, (path, visible, preview)
        assert soup.find("h1").get_text(strip=True) == label, path


@pytest.mark.parametrize("build", ["demo_publish", "demo_dev"])
def test_every_announced_feed_and_calendar_is_written(
    build: str, request: pytest.FixtureRequest
) -> None:
    """Page heads and footers link only feeds and calendars the build wrote (none when
    WRITE_FEEDS is off, as in the demo's development settings)."""
    out: Path = request.getfixturevalue(build)
    kinds = ("application/atom+xml", "application/rss+xml", "application/feed+json")
    announced: set[str] = set()
    for path in out.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all(["link", "a"], href=True):
            if link.get("type") in (*kinds, "text/calendar"):
                announced.add(link["href"].removeprefix(SITEURL).lstrip("/"))
    assert [href for href in sorted(announced) if not (out / href).is_file()] == []
    assert bool(announced) == (build == "demo_publish")


# -- canonical, hreflang, calendars -----------------------------------------------------------


def test_translations_link_each_other_with_x_default(demo_publish: Path) -> None:
    translated = [e for e in demo()[1] if has_translation(e)]
    assert len(translated) >= 8  # about + 3 news posts, in two languages
    for entry in translated:
        head = Head(demo_publish, url_of(entry))
        alternates = {
            link["hreflang"]: link["href"]
            for link in head.links("alternate")
            if link.get("hreflang")
        }
        english = url_of(entry) if entry.lang == "en" else url_of(entry).removeprefix("id/")
        assert alternates == {
            "en": f"{SITEURL}/{english}",
            "id": f"{SITEURL}/id/{english}",
            "x-default": f"{SITEURL}/{english}",
        }


def test_tour_pages_link_their_calendars(demo_publish: Path) -> None:
    for tour in entries_of(Tour):
        head = Head(demo_publish, url_of(tour))
        calendars = [link["href"] for link in head.links("alternate", type="text/calendar")]
        assert calendars == [f"{SITEURL}/tours/{tour.slug}.ics", f"{SITEURL}/tours.ics"]


# -- JSON-LD -----------------------------------------------------------------------------------


def test_home_and_about_describe_the_artist(demo_publish: Path) -> None:
    settings, _ = demo()
    for url in ("", "about/", "id/about/"):
        head = Head(demo_publish, url)
        [artist] = head.of_type("MusicGroup")
        assert artist["name"] == "Suara Senja"
        assert artist["sameAs"] == list(settings["SOCIAL_PROFILES"].values())
        assert artist["url"] == f"{SITEURL}/"
    assert not Head(demo_publish, "news/").of_type("MusicGroup")


def test_home_lists_the_next_five_shows_as_events(demo_publish: Path) -> None:
    _, entries = demo()
    now = build_time()
    upcoming = sorted(
        (s for t in entries if isinstance(t, Tour) for s in t.shows if not s.is_past(now)),
        key=lambda s: s.starts_at,
    )[:5]
    events = Head(demo_publish, "").of_type("MusicEvent")
    assert [datetime.fromisoformat(e["startDate"]) for e in events] == [
        s.starts_at for s in upcoming
    ]


def test_album_json_ld(demo_publish: Path) -> None:
    release_types = {"album": "AlbumRelease", "ep": "EPRelease", "single": "SingleRelease"}
    for album in entries_of(Album):
        [node] = Head(demo_publish, url_of(album)).of_type("MusicAlbum")
        assert node["name"] == album.title
        assert node["byArtist"]["name"] == "Suara Senja"
        assert node["datePublished"] == album.release_date.isoformat()
        assert node["albumReleaseType"] == SCHEMA + release_types[album.release_type]
        assert node["numTracks"] == len(album.tracks)
        items = node["track"]["itemListElement"]
        assert [i["item"]["name"] for i in items] == [t.title for t in album.tracks]
        assert [i["item"]["duration"] for i in items] == [
            iso_duration(t.duration_seconds) for t in album.tracks
        ]
        assert all(i["item"]["@type"] == "MusicRecording" for i in items)
    assert {a.release_type for a in entries_of(Album)} >= {"album", "ep", "single"}


def test_news_json_ld(demo_publish: Path) -> None:
    for post in entries_of(NewsPost):
        head = Head(demo_publish, url_of(post))
        [node] = head.of_type("NewsArticle")
        assert node["headline"] == post.title
        assert datetime.fromisoformat(node["datePublished"]) == post.date
        assert node["image"] == [head.og_value("og:image")]
        assert node["author"]["name"] == "Suara Senja"


def test_gallery_json_ld(demo_publish: Path) -> None:
    galleries = entries_of(Gallery)
    assert len(galleries) >= 2
    linked = 0
    for gallery in galleries:
        head = Head(demo_publish, url_of(gallery))
        [node] = head.of_type("ImageGallery")
        assert node["name"] == gallery.title
        assert node["url"] == f"{SITEURL}/{url_of(gallery)}"
        assert datetime.fromisoformat(node["datePublished"]) == gallery.date
        assert node["author"]["name"] == "Suara Senja"
        assert [image["description"] for image in node["image"]] == [p.alt for p in gallery.photos]
        assert [image.get("creditText") for image in node["image"]] == [
            p.credit for p in gallery.photos
        ]
        for image in node["image"]:
            assert image["@type"] == "ImageObject"
            assert image["contentUrl"].startswith(f"{SITEURL}/images/")
            with Image.open(demo_publish / image["contentUrl"].removeprefix(SITEURL + "/")) as f:
                assert f.size == (image["width"], image["height"])
            assert (demo_publish / image["thumbnailUrl"].removeprefix(SITEURL + "/")).is_file()
        if gallery.show_uid:
            linked += 1
            [tour] = [
                t
                for t in entries_of(Tour)
                if t.lang == "en" and any(s.uid == gallery.show_uid for s in t.shows)
            ]
            events = Head(demo_publish, url_of(tour)).of_type("MusicEvent")
            assert node["about"]["@id"] in [event["@id"] for event in events]
    assert linked >= 1


def test_video_json_ld(demo_publish: Path) -> None:
    with_videos = [e for e in demo()[1] if e.videos]
    assert with_videos
    for entry in with_videos:
        head = Head(demo_publish, url_of(entry))
        nodes = head.of_type("VideoObject")
        assert [node["name"] for node in nodes] == [video.title for video in entry.videos]
        for node, video in zip(nodes, entry.videos, strict=True):
            assert node["description"] == (entry.summary or entry.title)
            assert datetime.fromisoformat(node["uploadDate"]) == entry.date
            if video.duration_seconds:
                assert node["duration"] == iso_duration(video.duration_seconds)
            if video.is_local:
                assert node["contentUrl"] == f"{SITEURL}/{video.src}"
            else:
                assert node["embedUrl"] == video.embed_url
            [thumbnail] = node["thumbnailUrl"]
            assert (demo_publish / thumbnail.removeprefix(SITEURL + "/")).is_file()
        assert head.og_values("og:video") == [
            f"{SITEURL}/{v.src}" if v.is_local else v.embed_url for v in entry.videos
        ]


def test_every_show_is_a_valid_music_event(demo_publish: Path) -> None:
    """Google's Event rich result: required and recommended properties, for every status."""
    statuses = set()
    for tour in entries_of(Tour):
        events = Head(demo_publish, url_of(tour)).of_type("MusicEvent")
        assert len(events) == len(tour.shows)
        for show, event in zip(tour.shows, events, strict=True):
            statuses.add(show.status)
            assert event["name"] == f"Suara Senja — {show.city}, {show.venue}"
            start = datetime.fromisoformat(event["startDate"])
            if show.has_time:
                assert start == show.starts_at and start.utcoffset() is not None
            assert event["location"]["@type"] == "Place"
            assert event["location"]["name"] == show.venue
            address = event["location"]["address"]
            assert address["@type"] == "PostalAddress"
            assert address["addressLocality"] == show.city
            assert address["addressCountry"] == show.country
            assert event["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
            assert event["performer"][0]["name"] == event["organizer"]["name"] == "Suara Senja"
            assert event["image"][0].startswith(SITEURL + "/")
            assert event["url"].startswith(f"{SITEURL}/{url_of(tour)}#show-")
            expected_status = {
                "cancelled": "EventCancelled",
                "postponed": "EventPostponed",
                "rescheduled": "EventRescheduled",
            }.get(show.status, "EventRescheduled" if show.previous_dates else "EventScheduled")
            assert event["eventStatus"] == SCHEMA + expected_status
            if show.status == "rescheduled":
                previous = event["previousStartDate"]
                previous = previous if isinstance(previous, list) else [previous]
                assert [datetime.fromisoformat(p) for p in previous] == list(show.previous_dates)
            if not show.is_active:
                assert "offers" not in event
                continue
            if show.tickets or show.status == "free":
                offer = event["offers"]
                assert offer["url"] == (show.tickets or f"{SITEURL}/{url_of(tour)}")
                availability = "SoldOut" if show.status == "sold_out" else "InStock"
                assert offer["availability"] == SCHEMA + availability
                if show.price is not None:
                    assert offer["price"] == show.price and offer["priceCurrency"] == show.currency
                if show.price_min is not None:
                    assert offer["@type"] == "AggregateOffer"
                    assert offer["lowPrice"] == show.price_min
                    assert offer["highPrice"] == show.price_max
                if show.on_sale_at is not None:
                    assert datetime.fromisoformat(offer["validFrom"]) == show.on_sale_at
                if show.status == "free":
                    assert event["isAccessibleForFree"] is True and offer["price"] == 0
    assert statuses >= {"sold_out", "cancelled", "postponed", "rescheduled", "free", "on_sale"}


# -- sitemap, robots, cards ------------------------------------------------------------------


def test_sitemap_lists_every_built_page(demo_publish: Path) -> None:
    built = {
        path.relative_to(demo_publish).as_posix()
        for path in demo_publish.rglob("*.html")
        if path.name != "404.html"
        and not path.relative_to(demo_publish).as_posix().startswith("drafts/")
    }
    expected = {f"{SITEURL}/" + p.removesuffix("index.html") for p in built}
    root = etree.parse(str(demo_publish / "sitemap.xml")).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = root.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert len(locs) == len(set(locs))
    assert set(locs) == expected
    for entry in demo()[1]:
        assert f"{SITEURL}/{url_of(entry)}" in locs, entry.uid
    for url in root.xpath("//s:url", namespaces=ns):
        for lastmod in url.xpath("s:lastmod/text()", namespaces=ns):
            assert datetime.fromisoformat(lastmod).utcoffset() is not None
        alternates = dict(
            zip(
                url.xpath("x:link/@hreflang", namespaces=ns),
                url.xpath("x:link/@href", namespaces=ns),
                strict=True,
            )
        )
        if alternates:
            assert set(alternates) == {"en", "id", "x-default"}
            assert set(alternates.values()) <= set(locs)
    about = root.xpath(f"//s:url[s:loc='{SITEURL}/about/']/x:link/@hreflang", namespaces=ns)
    assert about == ["en", "id", "x-default"]


def test_robots_names_the_sitemap(demo_publish: Path) -> None:
    lines = (demo_publish / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITEURL}/sitemap.xml" in lines


def test_entries_without_an_image_get_a_card(demo_publish: Path) -> None:
    carded = [e for e in demo()[1] if not preview_source(e)]
    assert carded
    for entry in carded:
        head = Head(demo_publish, url_of(entry))
        image = head.og_value("og:image")
        assert image.startswith(f"{SITEURL}/images/cards/") and image.endswith(".png")
        with Image.open(demo_publish / image.removeprefix(SITEURL + "/")) as card:
            assert card.format == "PNG" and card.size == (1200, 630)
        assert entry.title in head.og_value("og:image:alt")
    for entry in demo()[1]:
        source = preview_source(entry)
        if source:  # the derived JPEG: the original is not published
            image = Head(demo_publish, url_of(entry)).og_value("og:image")
            assert image == derived_preview(source), entry.uid
            assert not (demo_publish / source).exists()
