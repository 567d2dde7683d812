"""A small site with galleries and videos, photos made here with Pillow: the theme's gallery
pages, galleries index, the latest gallery on the home page, show <-> gallery links, and the
video facade (YouTube with a local poster, Vimeo and PeerTube drawn) and a local video.

Used by tests/test_theme_galleries.py (the built HTML) and tests/browser/test_gallery_video.py
(Chromium). Tour dates are real dates: tests pin FANPAGE_NOW (tests/conftest.py).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image, ImageDraw

CONF = """\
SITENAME = "Sora Biru"
SITEURL = ""
ARTIST_NAME = "Sora Biru"
ARTIST_TYPE = "group"
ARTIST_BIO = "Loud guitars from Surabaya."
ARTIST_IMAGE = "images/artist.jpg"
ARTIST_IMAGE_ALT = "The three members of Sora Biru in front of a blue wall."
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "en"
LANGUAGES = ["en", "id"]
"""

YOUTUBE_ID = "dQw4w9WgXcQ"
YOUTUBE_URL = f"https://www.youtube.com/watch?v={YOUTUBE_ID}"
VIMEO_URL = "https://vimeo.com/76979871"
PEERTUBE_URL = "https://peertube.example/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d"
VIDEO_PAGE = "news/new-video/"  # the hosted videos
GALLERY_PAGE = "galleries/jakarta-2026/"  # six photos, of the Jakarta show
OLDER_GALLERY_PAGE = "galleries/studio/"
TOUR_PAGE = "tours/sora-2026/"
SHOW_UID = "sora-2026-jakarta"
ALBUM_PAGE = "albums/laut/"  # the local video with captions

# (file, size, colour, alt, caption, credit) of the Jakarta gallery's photos.
PHOTOS = [
    (
        "01.jpg",
        (1800, 1200),
        (200, 60, 40),
        "Dimas jumping off the drum riser.",
        "Opening song.",
        "Ayu P.",
    ),
    ("02.jpg", (1200, 1800), (40, 90, 200), "Rina singing, lit in blue.", "Rina.", None),
    ("03.jpg", (1600, 1067), (30, 150, 80), "The crowd with their hands up.", None, "Ayu P."),
    ("04.jpg", (2000, 1333), (220, 180, 30), "A guitar neck in close-up.", "Strings.", None),
    ("05.jpg", (1700, 1133), (120, 40, 160), "The band bowing at the end.", "Goodnight.", "Ayu P."),
    ("06.jpg", (900, 600), (20, 20, 20), "An empty stage after the show.", None, None),
]


def make_photo(file: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> None:
    """A JPEG with a few shapes (not one flat colour, so encoders do real work)."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width // 4, height // 4, width * 3 // 4, height * 3 // 4), fill=(250, 245, 235))
    draw.rectangle((0, height - height // 6, width, height), fill=(15, 15, 25))
    file.parent.mkdir(parents=True, exist_ok=True)
    image.save(file, "JPEG", quality=85)


def _photos_yaml(lang: str) -> str:
    lines = ["photos:"]
    for name, _, _, alt, caption, credit in PHOTOS:
        alt_text = alt if lang == "en" else "Foto: " + alt
        lines.append(f"  - src: images/shows/jakarta-2026/{name}")
        lines.append(f'    alt: "{alt_text}"')
        if caption:
            lines.append(f'    caption: "{caption}"')
        if credit:
            lines.append(f'    credit: "{credit}"')
    return "\n".join(lines) + "\n"


FILES: dict[str, str] = {
    "tours/sora-2026.md": f"""
        ---
        title: Sora Biru Tour 2026
        uid: tour-sora-2026
        date: 2026-08-01
        summary: Two nights, two cities.
        shows:
          - date: 2026-10-03 20:00
            uid: {SHOW_UID}
            venue: Rossi Musik
            city: Jakarta
            country: ID
            status: on_sale
          - date: 2027-02-10 20:00
            venue: Kafe Ketjil
            city: Surabaya
            country: ID
            status: on_sale
            tickets: https://tickets.sorabiru.example/surabaya
        ---
        Loud nights.
        """,
    "galleries/jakarta-2026.md": """
        ---
        title: Jakarta, 3 October
        date: 2026-10-05
        summary: The first night of the tour, in photos.
        tour: tour-sora-2026
        show: {show_uid}
        {photos_en}---
        Thank you, Jakarta.
        """,
    "galleries/jakarta-2026.id.md": """
        ---
        title: Jakarta, 3 Oktober
        date: 2026-10-05
        summary: Malam pertama tur, dalam foto.
        tour: tour-sora-2026
        show: {show_uid}
        {photos_id}---
        Terima kasih, Jakarta.
        """,
    "galleries/studio.md": """
        ---
        title: In the studio
        date: 2026-06-01
        summary: Recording Laut.
        photos:
          - src: images/studio/a.jpg
            alt: Amplifiers stacked in a small room.
            caption: The amps.
          - src: images/studio/b.jpg
            alt: A microphone in front of a drum kit.
        ---
        """,
    "news/2026-09-01-new-video.md": f"""
        ---
        title: New video
        date: 2026-09-01 10:00
        summary: The video for Laut is out.
        videos:
          - url: {YOUTUBE_URL}
            title: Laut (official video)
            poster: images/posters/laut.jpg
            duration: "3:45"
          - url: {VIMEO_URL}
            title: Laut (live in the studio)
          - url: {PEERTUBE_URL}
            title: Laut (acoustic)
        ---
        Three ways to watch it.
        """,
    "albums/laut.md": """
        ---
        title: Laut
        release_date: 2026-09-01
        release_type: single
        cover: images/covers/laut.jpg
        cover_alt: A blue wave on a white sleeve.
        video:
          src: videos/laut-live.mp4
          title: Laut, live at home
          poster: images/posters/laut-live.jpg
          captions: videos/laut-live.vtt
        tracks:
          - title: Laut
            duration: "3:45"
        ---
        One song about the sea.
        """,
    "pages/about.md": """
        ---
        title: About
        summary: Sora Biru play loud guitars.
        image: images/artist.jpg
        image_alt: The three members of Sora Biru in front of a blue wall.
        ---
        Three friends from Surabaya.
        """,
}

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nThe sea is loud tonight.\n"


def write_gallery_site(site: Path) -> Path:
    """Write the site into ``site`` (settings, content, its images) and return it."""
    content = site / "content"
    content.mkdir(parents=True, exist_ok=True)
    (site / "pelicanconf.py").write_text(CONF, encoding="utf-8")
    for name, size, colour, *_ in PHOTOS:
        make_photo(content / "images/shows/jakarta-2026" / name, size, colour)
    make_photo(content / "images/studio/a.jpg", (1500, 1000), (90, 60, 30))
    make_photo(content / "images/studio/b.jpg", (1000, 1000), (60, 90, 30))
    make_photo(content / "images/artist.jpg", (1800, 1200), (30, 60, 160))
    make_photo(content / "images/posters/laut.jpg", (1280, 720), (10, 80, 140))
    make_photo(content / "images/posters/laut-live.jpg", (1280, 720), (140, 80, 10))
    make_photo(content / "images/covers/laut.jpg", (1400, 1400), (230, 240, 250))
    videos = content / "videos"
    videos.mkdir(parents=True, exist_ok=True)
    (videos / "laut-live.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    (videos / "laut-live.vtt").write_text(VTT, encoding="utf-8")
    for name, text in FILES.items():
        body = textwrap.dedent(text).lstrip("\n")
        body = body.replace("{photos_en}", _photos_yaml("en"))
        body = body.replace("{photos_id}", _photos_yaml("id"))
        body = body.replace("{show_uid}", SHOW_UID)
        target = content / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return site
