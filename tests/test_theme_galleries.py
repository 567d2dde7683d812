"""Galleries and videos in the built HTML: <picture> with files that exist at the sizes it
declares, lazy thumbnails below the first row, the full-size views, the galleries index and
the home page's latest gallery in both languages, show <-> gallery links, and video facades
that name no video host's file.

One real build of tests/browser/gallery_site.py (photos made with Pillow) into a tmp folder.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from fanpage.engine.build import build_site
from fanpage.media.plan import available_formats
from tests.browser import gallery_site as gs

OUTSIDE_MEDIA = re.compile(r"youtube|ytimg|vimeo|peertube\.example", re.IGNORECASE)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(site folder, output folder) of one development build of the gallery site."""
    site = gs.write_gallery_site(tmp_path_factory.mktemp("gallery-site"))
    output = tmp_path_factory.mktemp("gallery-out")
    build_site(site, publish=False, output=output)
    return site, output


def soup(out: Path, path: str) -> BeautifulSoup:
    file = out / path / "index.html" if not path.endswith(".html") else out / path
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def srcset_files(srcset: str) -> list[tuple[str, int]]:
    """``"/a-480.webp 480w, /a-960.webp 960w"`` -> [("/a-480.webp", 480), ...]."""
    found = []
    for candidate in srcset.split(","):
        url, width = candidate.split()
        assert width.endswith("w"), candidate
        found.append((url, int(width[:-1])))
    return found


def assert_picture_files_exist(out: Path, picture) -> None:
    """Every file of every source and of the <img> is in output at the width it declares; the
    <img>'s width and height are its src's, and each format is its type."""
    sources = picture.find_all("source")
    expected_types = [m for m in available_formats() if m != "image/jpeg"]
    assert [s["type"] for s in sources] == expected_types
    img = picture.find("img")
    declared = [(s["type"], s["srcset"]) for s in sources] + [("image/jpeg", img["srcset"])]
    for mime, srcset in declared:
        assert picture.find("img")["sizes"]
        for url, width in srcset_files(srcset):
            file = out / url.lstrip("/")
            assert file.is_file(), url
            with Image.open(file) as image:
                assert image.width == width, url
                assert Image.MIME[image.format] == mime, url
    with Image.open(out / img["src"].lstrip("/")) as image:
        assert (str(image.width), str(image.height)) == (img["width"], img["height"])
    assert img.has_attr("alt")


def test_every_picture_names_files_that_exist_at_their_sizes(built):
    _, out = built
    pages = [
        gs.GALLERY_PAGE,
        gs.VIDEO_PAGE,
        gs.ALBUM_PAGE,
        "",  # home: the artist photo and the latest gallery's thumbnails
        "about/",
        "galleries/",
        "id/galleries/",
    ]
    seen = 0
    for path in pages:
        for picture in soup(out, path).select("picture"):
            assert_picture_files_exist(out, picture)
            seen += 1
    assert seen >= 6 + 6 + 1 + 1 + 4 + 1 + 2 + 2


def test_the_original_photos_are_not_published(built):
    site, out = built
    originals = {
        hashlib.sha256(f.read_bytes()).hexdigest()
        for f in (site / "content" / "images").rglob("*.jpg")
    }
    published = [f for f in (out / "images").rglob("*") if f.is_file()]
    assert published
    assert not (out / "images/shows/jakarta-2026/01.jpg").exists()
    assert not (out / "images/artist.jpg").exists()
    assert [f for f in published if hashlib.sha256(f.read_bytes()).hexdigest() in originals] == []


def test_gallery_grid_thumbnails_are_square_and_lazy_below_the_first_row(built):
    _, out = built
    page = soup(out, gs.GALLERY_PAGE)
    links = page.select(".gallery-grid a.thumb-link")
    assert [a["href"] for a in links] == [f"#photo-{n}" for n in range(1, 7)]
    imgs = [a.select_one("picture img") for a in links]
    assert [img["alt"] for img in imgs] == [p[3] for p in gs.PHOTOS]
    assert [img.get("loading") for img in imgs] == [None] * 4 + ["lazy"] * 2
    assert all("fetchpriority" not in img.attrs for img in imgs)
    for img in imgs:
        assert img["width"] == img["height"] == "400"
        assert "-thumb." in img["src"]


def test_each_photo_has_a_full_size_view_with_caption_credit_and_links(built):
    _, out = built
    page = soup(out, gs.GALLERY_PAGE)
    views = page.select("figure.photo-view")
    assert [v["id"] for v in views] == [f"photo-{n}" for n in range(1, 7)]
    for n, (view, photo) in enumerate(zip(views, gs.PHOTOS, strict=True), start=1):
        _, size, _, alt, caption, credit = photo
        img = view.select_one("picture img")
        assert img["alt"] == alt
        assert img["sizes"] == "100vw"
        assert img["loading"] == "lazy"  # hidden until opened: fetched only then
        widest = max(w for _, w in srcset_files(img["srcset"]))
        assert widest == min(size[0], 1600)
        text = view.figcaption.get_text(" ", strip=True)
        assert f"Photo {n} of 6" in text
        assert (caption or "") in text
        assert (f"Photo: {credit}" in text) == bool(credit)
        nav = {a["class"][0]: a["href"] for a in view.select(".photo-nav a")}
        assert nav["photo-back"] == f"#thumb-{n}"
        assert nav.get("photo-prev") == (f"#photo-{n - 1}" if n > 1 else None)
        assert nav.get("photo-next") == (f"#photo-{n + 1}" if n < 6 else None)


def test_the_gallery_links_the_show_it_documents_and_the_show_links_back(built):
    _, out = built
    show_anchor = f"show-{gs.SHOW_UID}"
    gallery = soup(out, gs.GALLERY_PAGE).select_one(".gallery-show")
    link = gallery.select_one("a.show-link")
    assert link["href"] == f"/{gs.TOUR_PAGE}#{show_anchor}"
    assert "Jakarta" in link.get_text() and "Rossi Musik" in link.get_text()
    assert link.time["datetime"] == "2026-10-03"
    tour = soup(out, gs.TOUR_PAGE)
    row = tour.select_one(f"#{show_anchor}")
    assert row.select_one("a.photos-link")["href"] == f"/{gs.GALLERY_PAGE}"
    other_rows = [r for r in tour.select(".show") if r.get("id") != show_anchor]
    assert other_rows and all(r.select_one("a.photos-link") is None for r in other_rows)
    # In Indonesian the tours page links the Indonesian gallery, and it links back there.
    row_id = soup(out, "id/tours/").select_one(f"#{show_anchor}")
    assert row_id.select_one("a.photos-link")["href"] == f"/id/{gs.GALLERY_PAGE}"
    assert row_id.select_one("a.photos-link").get_text(strip=True).startswith("Foto")
    back_id = soup(out, f"id/{gs.GALLERY_PAGE}").select_one(".gallery-show a.show-link")
    assert back_id["href"].endswith(f"#{show_anchor}")


@pytest.mark.parametrize(
    ("lang", "heading", "titles"),
    [
        ("en", "Photos", ["Jakarta, 3 October", "In the studio"]),
        ("id", "Foto", ["Jakarta, 3 Oktober", "In the studio"]),
    ],
)
def test_galleries_index_in_both_languages_newest_first(built, lang, heading, titles):
    _, out = built
    prefix = "" if lang == "en" else f"{lang}/"
    page = soup(out, f"{prefix}galleries/")
    assert page.html["lang"] == lang
    assert page.h1.get_text(strip=True) == heading
    cards = page.select(".gallery-card")
    assert [c.h2.get_text(strip=True) for c in cards] == titles
    assert cards[0].h2.a["href"] == f"/{prefix}{gs.GALLERY_PAGE}"
    count = "6 photos" if lang == "en" else "6 foto"
    assert count in cards[0].select_one(".meta").get_text()
    nav = [a.get_text(strip=True) for a in page.select(".main-nav a")]
    assert heading in nav
    assert page.select_one(f'.main-nav a[href="/{prefix}galleries/"]') is not None


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Jakarta, 3 October"), ("id", "Jakarta, 3 Oktober")]
)
def test_the_home_page_shows_the_latest_gallery(built, lang, title):
    _, out = built
    prefix = "" if lang == "en" else f"{lang}/"
    latest = soup(out, prefix or "").select_one(".latest-gallery")
    assert latest.h3.get_text(strip=True) == title
    assert latest.h3.a["href"] == f"/{prefix}{gs.GALLERY_PAGE}"
    thumbs = latest.select(".gallery-grid a")
    assert [a["href"] for a in thumbs] == [
        f"/{prefix}{gs.GALLERY_PAGE}#photo-{n}" for n in range(1, 5)
    ]
    assert all(a.select_one("img")["loading"] == "lazy" for a in thumbs)


def test_hosted_videos_are_facades_that_name_nothing_on_the_host_but_links(built):
    _, out = built
    page = soup(out, gs.VIDEO_PAGE)
    assert page.select("iframe") == []
    assert page.select('link[rel~="preconnect"], link[rel~="dns-prefetch"]') == []
    facades = page.select("a.video-facade")
    assert [a["href"] for a in facades] == [gs.YOUTUBE_URL, gs.VIMEO_URL, gs.PEERTUBE_URL]
    assert facades[0]["data-embed"] == (
        f"https://www.youtube-nocookie.com/embed/{gs.YOUTUBE_ID}?autoplay=1"
    )
    assert [a.select_one(".vh").get_text() for a in facades] == [
        "Play video: Laut (official video)",
        "Play video: Laut (live in the studio)",
        "Play video: Laut (acoustic)",
    ]
    # The YouTube one shows its local poster; the others a drawn card.
    assert facades[0].select_one("picture img")["src"].startswith("/images/posters/laut-")
    assert [bool(a.select_one(".video-drawn")) for a in facades] == [False, True, True]
    # Only links (a plain click without script) lead to the hosts: no src, srcset or poster.
    for tag in page.find_all(True):
        for attribute in ("src", "srcset", "poster", "data-src"):
            value = tag.get(attribute) or ""
            assert not OUTSIDE_MEDIA.search(value), (tag.name, attribute, value)
    assert page.select_one('script[src$="/theme/js/video.js"]') is not None


def test_a_local_video_loads_nothing_before_play_and_has_captions(built):
    _, out = built
    page = soup(out, gs.ALBUM_PAGE)
    video = page.select_one("figure.video video")
    assert video.has_attr("controls")
    assert video["preload"] == "none"
    poster = out / video["poster"].lstrip("/")
    assert poster.is_file() and poster.suffix == ".jpg"
    with Image.open(poster) as image:
        assert (str(image.width), str(image.height)) == (video["width"], video["height"])
    source = video.select_one("source")
    assert (source["src"], source["type"]) == ("/videos/laut-live.mp4", "video/mp4")
    assert (out / "videos/laut-live.mp4").is_file()
    track = video.select_one("track")
    assert track["kind"] == "captions" and track["srclang"] == "en" and track.has_attr("default")
    assert track["label"] == "English"
    assert (out / track["src"].lstrip("/")).read_text(encoding="utf-8").startswith("WEBVTT")


def test_a_site_without_galleries_offers_no_photos_page(make_site, tmp_path):
    """...and an image given as a URL (not derived by the build) stays a plain <img>."""
    cover = "https://cdn.band.example/cover.jpg"
    site = make_site(
        {
            "news/a.md": """
                ---
                title: A
                date: 2026-03-01
                ---
                Hello.
                """,
            "albums/x.md": f"""
                ---
                title: X
                release_date: 2026-01-01
                release_type: single
                cover: {cover}
                cover_alt: A red square.
                ---
                """,
        }
    )
    out = tmp_path / "out"
    build_site(site, output=out)
    assert not (out / "galleries").exists()
    home = soup(out, "")
    assert home.select_one('.main-nav a[href="/galleries/"]') is None
    assert home.select_one(".latest-gallery") is None
    img = soup(out, "albums/x/").select_one("img.cover")
    assert img["src"] == cover
    assert img.parent.name != "picture" and not img.has_attr("srcset")
