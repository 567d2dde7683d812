"""Share previews and JSON-LD of galleries and videos, from a real build of a small site: every
image named is a derived file the build wrote, never an unpublished original.

The site (:func:`build_media_site`, also built by ``test_feeds_media``): a gallery of two photos
linked to a show, with an Indonesian translation; a news post with a YouTube video and a
poster; a news post with a local video and no poster; an artist photo.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import extruct
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from fanpage.content.models import Gallery, Photo, Video, iso_duration
from fanpage.engine.build import CheckedSite, build_site
from fanpage.media.pipeline import MediaPlan, recipe_from
from fanpage.media.plan import JPEG, Recipe, Rendition
from fanpage.metadata import images, jsonld
from fanpage.metadata.context import gallery_photos, video_meta
from fanpage.metadata.head import head_html
from fanpage.metadata.opengraph import og_tags
from fanpage.metadata.page import PageMeta, ShareImage, SiteInfo

SITEURL = "https://band.example"
WIB = timezone(timedelta(hours=7))
CONF = """\
SITENAME = "Test Band"
SITEURL = ""
TIMEZONE = "Asia/Jakarta"
LANGUAGES = ["en", "id"]
ARTIST_IMAGE = "images/artist.jpg"
ARTIST_IMAGE_ALT = "The band on a rooftop"
"""
# Source images (path under content/ -> size): landscape, portrait, a poster, the artist.
PICTURES: dict[str, tuple[int, int]] = {
    "images/shows/jakarta/01.jpg": (2000, 1500),
    "images/shows/jakarta/02.jpg": (1200, 1600),
    "images/posters/arus-balik.jpg": (1920, 1080),
    "images/artist.jpg": (1800, 1200),
}
PHOTO_ALTS = ("The singer under blue light", 'The crowd & "the" stage')
FILES: dict[str, str] = {
    "tours/2026.md": """
        ---
        title: Tour 2026
        date: 2026-08-01
        shows:
          - date: 2026-11-14 20:00
            venue: Tennis Indoor Senayan
            city: Jakarta
            country: ID
            status: on_sale
        ---
        One show.
        """,
    "galleries/jakarta.md": """
        ---
        title: Jakarta night
        date: 2026-11-15 10:00
        summary: Photos of the Jakarta show.
        tags: [live]
        tour: tours/2026
        show: tours/2026/2026-11-14-jakarta
        photos:
          - src: images/shows/jakarta/01.jpg
            alt: The singer under blue light
            caption: Opening song
            credit: Rina Putri
          - src: images/shows/jakarta/02.jpg
            alt: 'The crowd & "the" stage'
        ---
        What a night.
        """,
    "galleries/jakarta.id.md": """
        ---
        title: Malam Jakarta
        date: 2026-11-15 10:00
        summary: Foto konser Jakarta.
        tour: tours/2026
        show: tours/2026/2026-11-14-jakarta
        photos:
          - src: images/shows/jakarta/01.jpg
            alt: Penyanyi di bawah cahaya biru
          - src: images/shows/jakarta/02.jpg
            alt: Penonton dan panggung
        ---
        Malam yang luar biasa.
        """,
    "news/2026-10-01-arus-balik.md": """
        ---
        title: Arus Balik, the video
        date: 2026-10-01 10:00
        summary: Our new music video.
        video:
          url: https://www.youtube.com/watch?v=dQw4w9WgXcQ
          title: Arus Balik (official video)
          poster: images/posters/arus-balik.jpg
          duration: "3:45"
        ---
        Watch it.
        """,
    "news/2026-09-01-rehearsal.md": """
        ---
        title: Rehearsal clip
        date: 2026-09-01 10:00
        video:
          src: videos/rehearsal.mp4
          title: Rehearsal, take 3
        ---
        From the studio.
        """,
}


def write_media_site(site: Path) -> Path:
    """The site's files under ``site`` (photos drawn here, each a different colour)."""
    content = site / "content"
    for index, (name, size) in enumerate(PICTURES.items()):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, (40 * index, 120, 200 - 30 * index)).save(content / name)
    for name, text in FILES.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    (content / "videos").mkdir(exist_ok=True)
    (content / "videos" / "rehearsal.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (site / "pelicanconf.py").write_text(CONF)
    (site / "publishconf.py").write_text(
        "import os, sys\nsys.path.append(os.path.dirname(__file__))\n"
        f"from pelicanconf import *  # noqa: F403\nSITEURL = {SITEURL!r}\n"
    )
    return site


def build_media_site(folder: Path) -> CheckedSite:
    """The site written and built with publish settings into ``folder/output``."""
    site = write_media_site(folder / "site")
    return build_site(site, publish=True, output=folder / "output")


def renditions(checked: CheckedSite) -> dict[str, Rendition]:
    """What the build derived from each source, planned again on its own: names and sizes
    depend only on the bytes and the recipe."""
    settings = checked.settings
    plan = MediaPlan(settings.content_dir, settings.site_dir / "plan-again", recipe_from(settings))
    return {name: plan.add(name) for name in PICTURES}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> CheckedSite:
    return build_media_site(tmp_path_factory.mktemp("media-site"))


@pytest.fixture(scope="module")
def derived(built: CheckedSite) -> dict[str, Rendition]:
    return renditions(built)


class Head:
    def __init__(self, out: Path, url: str) -> None:
        self.html = (out / url / "index.html").read_text(encoding="utf-8")
        self.soup = BeautifulSoup(self.html, "html.parser")
        found = extruct.extract(
            self.html, base_url=f"{SITEURL}/{url}", syntaxes=["opengraph", "json-ld"], uniform=False
        )
        self.og: list[tuple[str, str]] = found["opengraph"][0]["properties"]
        self.ld = [
            json.loads(script.string)
            for script in self.soup.find_all("script", type="application/ld+json")
        ]
        assert found["json-ld"] == self.ld

    def og_values(self, prop: str) -> list[str]:
        return [value for name, value in self.og if name == prop]

    def of_type(self, kind: str) -> list[dict]:
        return [node for node in self.ld if node.get("@type") == kind]


def url(path: str) -> str:
    return f"{SITEURL}/{path}"


def preview_of(rendition: Rendition) -> tuple[str, str, str]:
    """(og:image, width, height) a preview of ``rendition`` must give."""
    chosen = rendition.widest(JPEG, at_most=1200)
    return url(chosen.path), str(chosen.width), str(chosen.height)


# -- the gallery page -----------------------------------------------------------------------


def test_gallery_previews_with_its_first_photo_derived(built, derived) -> None:
    head = Head(built.settings.output_dir, "galleries/jakarta/")
    first = derived["images/shows/jakarta/01.jpg"]
    image, width, height = preview_of(first)
    assert image == url(first.of(JPEG)[1].path)  # 960 wide: the widest of 480/960/1600 <= 1200
    assert head.og_values("og:image") == [image]
    assert head.og_values("og:image:width") == [width] == ["960"]
    assert head.og_values("og:image:height") == [height] == ["720"]
    assert head.og_values("og:image:alt") == [PHOTO_ALTS[0]]
    assert head.og_values("og:type") == ["article"]
    assert head.og_values("article:published_time") == ["2026-11-15T10:00:00+07:00"]
    assert head.og_values("article:tag") == ["live"]
    assert [
        m["content"] for m in head.soup.find_all("meta", attrs={"name": "twitter:image:alt"})
    ] == [PHOTO_ALTS[0]]
    assert head.og_values("og:video") == []
    with Image.open(built.settings.output_dir / first.of(JPEG)[1].path) as written:
        assert written.size == (960, 720)


def test_gallery_is_an_image_gallery_of_image_objects(built, derived) -> None:
    head = Head(built.settings.output_dir, "galleries/jakarta/")
    [gallery] = head.of_type("ImageGallery")
    first = derived["images/shows/jakarta/01.jpg"]
    second = derived["images/shows/jakarta/02.jpg"]
    artist = {
        "@type": "MusicGroup",
        "@id": f"{SITEURL}/#artist",
        "name": "Test Band",
        "url": f"{SITEURL}/",
    }
    assert gallery == {
        "@context": "https://schema.org",
        "@type": "ImageGallery",
        "@id": f"{SITEURL}/galleries/jakarta/#gallery",
        "name": "Jakarta night",
        "description": "Photos of the Jakarta show.",
        "url": f"{SITEURL}/galleries/jakarta/",
        "inLanguage": "en",
        "datePublished": "2026-11-15T10:00:00+07:00",
        "dateModified": "2026-11-15T10:00:00+07:00",
        "author": artist,
        "creator": artist,
        "about": {"@id": f"{SITEURL}/tours/2026/#show-tours-2026-2026-11-14-jakarta"},
        "keywords": ["live"],
        "image": [
            {
                "@type": "ImageObject",
                "contentUrl": url(first.fallback.path),
                "url": url(first.fallback.path),
                "caption": "Opening song",
                "description": PHOTO_ALTS[0],
                "creditText": "Rina Putri",
                "width": 1600,
                "height": 1200,
                "thumbnailUrl": url(first.thumbnail(JPEG).path),
            },
            {
                "@type": "ImageObject",
                "contentUrl": url(second.fallback.path),
                "url": url(second.fallback.path),
                "caption": PHOTO_ALTS[1],  # no caption: the alt text says what it shows
                "description": PHOTO_ALTS[1],
                "width": 1200,  # never enlarged: the original's own width
                "height": 1600,
                "thumbnailUrl": url(second.thumbnail(JPEG).path),
            },
        ],
    }
    assert first.fallback.path.endswith("-1600.jpg") and second.fallback.path.endswith("-1200.jpg")


def test_the_show_the_gallery_is_about_is_an_event_of_the_tour_page(built) -> None:
    about = Head(built.settings.output_dir, "galleries/jakarta/").of_type("ImageGallery")[0]
    events = Head(built.settings.output_dir, "tours/2026/").of_type("MusicEvent")
    assert [event["@id"] for event in events] == [about["about"]["@id"]]
    translated = Head(built.settings.output_dir, "id/galleries/jakarta/").of_type("ImageGallery")
    assert translated[0]["about"] == about["about"]  # the tour exists in English only
    assert [i["description"] for i in translated[0]["image"]] == [
        "Penyanyi di bawah cahaya biru",
        "Penonton dan panggung",
    ]


# -- video entries ---------------------------------------------------------------------------


def test_a_hosted_video_is_an_og_video_and_a_video_object(built, derived) -> None:
    head = Head(built.settings.output_dir, "news/arus-balik/")
    embed = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    videos = [(name, value) for name, value in head.og if name.startswith("og:video")]
    assert videos == [
        ("og:video", embed),
        ("og:video:secure_url", embed),
        ("og:video:type", "text/html"),
    ]
    poster, width, height = preview_of(derived["images/posters/arus-balik.jpg"])
    # Without an image of its own, the post previews with its video's poster.
    assert head.og_values("og:image") == [poster]
    assert (head.og_values("og:image:width"), head.og_values("og:image:height")) == (
        [width],
        [height],
    )
    assert head.og_values("og:image:alt") == ["Arus Balik (official video)"]
    assert head.og_values("og:type") == ["article"]
    assert head.of_type("VideoObject") == [
        {
            "@context": "https://schema.org",
            "@type": "VideoObject",
            "name": "Arus Balik (official video)",
            "description": "Our new music video.",
            "thumbnailUrl": [poster],
            "uploadDate": "2026-10-01T10:00:00+07:00",
            "duration": iso_duration(225),
            "inLanguage": "en",
            "embedUrl": embed,
        }
    ]
    assert len(head.of_type("NewsArticle")) == 1


def test_a_local_video_plays_from_the_site_with_the_card_as_thumbnail(built) -> None:
    out = built.settings.output_dir
    head = Head(out, "news/rehearsal/")
    file = url("videos/rehearsal.mp4")
    videos = [(name, value) for name, value in head.og if name.startswith("og:video")]
    assert videos == [
        ("og:video", file),
        ("og:video:secure_url", file),
        ("og:video:type", "video/mp4"),
    ]
    assert (out / "videos/rehearsal.mp4").is_file()
    card = url("images/cards/news-2026-09-01-rehearsal.png")
    assert head.og_values("og:image") == [card]
    [video] = head.of_type("VideoObject")
    assert video == {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": "Rehearsal, take 3",
        "description": "Rehearsal clip",  # no summary: the entry's title
        "thumbnailUrl": [card],
        "uploadDate": "2026-09-01T10:00:00+07:00",
        "inLanguage": "en",
        "contentUrl": file,
    }
    assert (out / "images/cards/news-2026-09-01-rehearsal.png").is_file()


# -- every URL of every head ---------------------------------------------------------------


def urls_in(value: object) -> list[str]:
    """Every string of a JSON value that is an address on the site."""
    if isinstance(value, str):
        return [value] if value.startswith(SITEURL) else []
    if isinstance(value, dict):
        return [found for item in value.values() for found in urls_in(item)]
    if isinstance(value, list):
        return [found for item in value for found in urls_in(item)]
    return []


def missing(out: Path, addresses: list[str]) -> list[str]:
    """The site addresses among ``addresses`` with no file in ``out`` (pages: index.html)."""
    gone = []
    for address in addresses:
        path = address.removeprefix(SITEURL).lstrip("/").split("#", 1)[0]
        target = out / path
        if not (target.is_file() or (target / "index.html").is_file()):
            gone.append(address)
    return gone


def test_no_head_names_an_unpublished_original(built) -> None:
    out = built.settings.output_dir
    originals = [name for name in PICTURES if not (out / name).exists()]
    assert originals == list(PICTURES)  # the originals are not published at all...
    named: list[str] = []
    for page in sorted(out.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        named += [m["content"] for m in soup.head.find_all("meta", content=True)]
        named += [link["href"] for link in soup.head.find_all("link", href=True)]
        for script in soup.find_all("script", type="application/ld+json"):
            named += urls_in(json.loads(script.string))
    on_site = [value for value in named if value.startswith(SITEURL)]
    assert len([v for v in on_site if "/images/" in v]) > 20
    assert missing(out, on_site) == []  # ...and nothing points at them
    assert not [v for v in named if any(name in v for name in PICTURES)]


def test_the_artist_photo_is_derived_in_home_previews(built) -> None:
    out = built.settings.output_dir
    artist = renditions(built)["images/artist.jpg"]
    head = Head(out, "")
    image, width, height = preview_of(artist)
    assert head.og_values("og:image") == [image]
    assert (head.og_values("og:image:width"), head.og_values("og:image:height")) == (
        [width],
        [height],
    )
    assert head.og_values("og:image:alt") == ["The band on a rooftop"]
    [group] = head.of_type("MusicGroup")
    assert group["image"] == image


# -- without a media plan: as written ----------------------------------------------------------


SITE = SiteInfo(name="Test Band", url=SITEURL, artist_name="Test Band")


def gallery(**changes) -> Gallery:
    values = {
        "uid": "galleries/g",
        "title": "G",
        "slug": "g",
        "lang": "en",
        "date": datetime(2026, 3, 2, 10, 0, tzinfo=WIB),
        "source_path": "content/galleries/g.md",
        "photos": (
            Photo("images/a.jpg", "A photo", caption=None, credit="Ana"),
            Photo("https://cdn.example/b.jpg", "B photo", caption="B!"),
        ),
    }
    return Gallery(**{**values, **changes})


def test_without_a_plan_images_stay_as_written() -> None:
    assert images.preview(None, "images/a.jpg") == images.Picture("images/a.jpg")
    assert images.thumbnail(None, "images/a.jpg") is None
    entry = gallery()
    photos = gallery_photos(entry, None)
    assert [(p.src, p.thumbnail, p.width) for p in photos] == [
        ("images/a.jpg", None, None),
        ("https://cdn.example/b.jpg", None, None),
    ]
    page = PageMeta("gallery", "en", "G", "", "galleries/g/", entry=entry, photos=photos)
    [node] = jsonld.page_graph(page, SITE)
    assert [i["contentUrl"] for i in node["image"]] == [
        f"{SITEURL}/images/a.jpg",
        "https://cdn.example/b.jpg",
    ]
    assert node["image"][0]["creditText"] == "Ana" and node["image"][1]["caption"] == "B!"
    assert "thumbnailUrl" not in node["image"][0] and "about" not in node


def test_a_plan_that_lacks_an_image_or_a_url_keeps_it(tmp_path: Path) -> None:
    Image.new("RGB", (800, 600)).save(tmp_path / "a.jpg")
    plan = MediaPlan(tmp_path, tmp_path / "cache", Recipe())
    rendition = plan.add("a.jpg")
    assert images.preview(plan, "a.jpg").src == rendition.widest(JPEG, 1200).path
    assert images.preview(plan, "/a.jpg").src == rendition.widest(JPEG, 1200).path
    assert images.preview(plan, "b.jpg") == images.Picture("b.jpg")
    assert images.preview(plan, "https://cdn.example/a.jpg").src == "https://cdn.example/a.jpg"
    assert images.full_size(plan, "a.jpg").width == 800  # never enlarged


def test_og_video_needs_an_absolute_url_and_tells_the_file_type() -> None:
    entry = gallery(videos=(Video("Clip", src="videos/c.webm"),))
    page_image = ShareImage("images/cards/x.png", "card", 1200, 630, generated=True)
    [meta] = [video_meta(v, None, page_image) for v in entry.videos]
    assert (meta.url, meta.mime, meta.thumbnail) == ("videos/c.webm", "video/webm", page_image)
    page = PageMeta("gallery", "en", "G", "", "galleries/g/", entry=entry, videos=(meta,))
    assert [t for t in og_tags(page, SITE) if t[0].startswith("og:video")] == [
        ("og:video", f"{SITEURL}/videos/c.webm"),
        ("og:video:secure_url", f"{SITEURL}/videos/c.webm"),
        ("og:video:type", "video/webm"),
    ]
    local = SiteInfo(name="Test Band", url="", artist_name="Test Band")
    assert not [t for t in og_tags(page, local) if t[0].startswith("og:video")]
    html = str(head_html(page, SITE))
    assert re.search(r'"contentUrl":"https://band\.example/videos/c\.webm"', html)
