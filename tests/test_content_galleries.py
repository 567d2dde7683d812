"""Galleries and videos: read into Photo, Video and Gallery, every mistake a ``path:line:``."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from fanpage.cli import main
from fanpage.content.models import Gallery
from fanpage.content.problems import FieldError
from fanpage.content.site import ContentSettings, SiteContent, load_content
from fanpage.content.video import fetched_poster_path, parse_video_url

UUID = "9c9de5e8-0a1b-4c2d-8e3f-4a5b6c7d8e9f"


def jpeg(colour: str = "orange", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


TOUR = """\
---
title: T
uid: tour-t
shows:
  - date: 2026-11-14 20:00
    venue: Tennis Indoor Senayan
    city: Jakarta
    country: ID
  - date: 2026-11-28 20:00
    venue: Sabuga ITB
    city: Bandung
    country: ID
---
"""


def run_check(site: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--site", str(site), *args])
    return result.exit_code, result.output


def read(site: Path) -> SiteContent:
    return load_content(ContentSettings(site, site / "content", "Asia/Jakarta", "en", ("en", "id")))


def gallery_file(*lines: str) -> str:
    return "---\ntitle: G\ndate: 2026-11-15\n" + "".join(f"{line}\n" for line in lines) + "---\n"


# --- video URLs ----------------------------------------------------------------------------

URLS = [
    ("https://www.youtube.com/watch?v=Xq3vT8pLw2M", "youtube", "Xq3vT8pLw2M"),
    ("https://youtube.com/watch?v=Xq3vT8pLw2M&t=42s", "youtube", "Xq3vT8pLw2M"),
    ("https://m.youtube.com/watch?feature=share&v=Xq3vT8pLw2M", "youtube", "Xq3vT8pLw2M"),
    ("https://youtu.be/Xq3vT8pLw2M?si=abc", "youtube", "Xq3vT8pLw2M"),
    ("https://www.youtube.com/shorts/Xq3vT8pLw2M", "youtube", "Xq3vT8pLw2M"),
    ("https://www.youtube.com/embed/Xq3vT8pLw2M", "youtube", "Xq3vT8pLw2M"),
    ("http://www.youtube-nocookie.com/embed/Xq3vT8pLw2M", None, None),
    ("https://vimeo.com/912845310", "vimeo", "912845310"),
    ("https://player.vimeo.com/video/912845310?h=1a2b", "vimeo", "912845310"),
    ("https://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv", "peertube", "kkGMgK9ZtnKfYAgnEtQxbv"),
    (f"https://peertube.example.net/videos/watch/{UUID}", "peertube", UUID),
]
EMBEDS = {
    "youtube": "https://www.youtube-nocookie.com/embed/{id}",
    "vimeo": "https://player.vimeo.com/video/{id}",
}


@pytest.mark.parametrize(("url", "host", "video_id"), [u for u in URLS if u[1]])
def test_video_url_gives_host_id_and_embed(url: str, host: str, video_id: str) -> None:
    link = parse_video_url(url)
    assert (link.host, link.video_id) == (host, video_id)
    if host == "peertube":
        origin = url.split("/")[2]
        assert link.embed_url == f"https://{origin}/videos/embed/{video_id}"
    else:
        assert link.embed_url == EMBEDS[host].format(id=video_id)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.dailymotion.com/video/x8abcd",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UCabcdefghijk",
        "https://vimeo.com/channels/staffpicks",
        "https://tube.example.org/w/",
        "http://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv",  # PeerTube only over https
        "ftp://youtu.be/Xq3vT8pLw2M",
        "youtube.com/watch?v=Xq3vT8pLw2M",
        *(u for u, host, _ in URLS if host is None),
    ],
)
def test_unsupported_video_url_says_what_to_use(url: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_video_url(url)
    assert caught.value.message == (
        f'unsupported video URL "{url}": use a YouTube, Vimeo or PeerTube link, '
        "or src: for a file under content/"
    )


def test_fetched_poster_path_names_host_and_id() -> None:
    assert fetched_poster_path("youtube", "Xq3vT8pLw2M") == "images/videos/youtube-Xq3vT8pLw2M.jpg"
    assert fetched_poster_path("vimeo", "912845310") == "images/videos/vimeo-912845310.jpg"


# --- galleries: reading --------------------------------------------------------------------


def test_photos_list_keeps_alt_caption_credit_and_lines(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "images/a.jpg": jpeg(),
            "images/b.png": jpeg(),  # the name does not matter: Pillow reads the content
            "galleries/g.md": gallery_file(
                "photos:",
                "  - src: images/a.jpg",
                "    alt: The hall from the back",
                "    caption: Night one",
                "    credit: Sekar Ayu",
                "  - src: /images/b.png",
                "    alt: Raised hands",
            ),
        }
    )
    content = read(site)
    assert not content.problems, content.problems.sorted()
    (gallery,) = content.galleries
    assert [(p.src, p.alt, p.caption, p.credit, p.line) for p in gallery.photos] == [
        ("images/a.jpg", "The hall from the back", "Night one", "Sekar Ayu", 5),
        ("images/b.png", "Raised hands", None, None, 9),
    ]
    assert gallery.share_image == "images/a.jpg"
    assert gallery.image_files() == ["images/a.jpg", "images/b.png"]


def test_photos_dir_takes_images_in_file_name_order_with_alt_yaml(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            "images/shows/j/10-end.jpg": jpeg(),
            "images/shows/j/02-middle.jpg": jpeg(),
            "images/shows/j/01-start.JPG": jpeg(),
            "images/shows/j/notes.txt": "not a photo",
            "images/shows/j/.hidden.jpg": b"junk",
            "images/shows/j/alt.yaml": '01-start.JPG: First\n02-middle.jpg: "Second: colon"\n'
            "10-end.jpg: Last\n",
            "galleries/g.md": gallery_file("photos_dir: images/shows/j/"),
        }
    )
    content = read(site)
    assert not content.problems, content.problems.sorted()
    (gallery,) = content.galleries
    assert [(p.src, p.alt, p.line) for p in gallery.photos] == [
        ("images/shows/j/01-start.JPG", "First", 4),
        ("images/shows/j/02-middle.jpg", "Second: colon", 4),
        ("images/shows/j/10-end.jpg", "Last", 4),
    ]


def test_translation_reads_alt_of_its_language(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "images/j/a.jpg": jpeg(),
            "images/j/alt.yaml": "a.jpg: Raised hands\n",
            "images/j/alt.id.yaml": "a.jpg: Tangan terangkat\n",
            "galleries/g.md": gallery_file("photos_dir: images/j"),
            "galleries/g.id.md": gallery_file("photos_dir: images/j"),
        }
    )
    content = read(site)
    assert not content.problems, content.problems.sorted()
    alts = {g.lang: g.photos[0].alt for g in content.galleries}
    assert alts == {"en": "Raised hands", "id": "Tangan terangkat"}


def test_gallery_linked_to_a_show(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "tours/t.md": TOUR,
            "images/a.jpg": jpeg(),
            "galleries/g.md": gallery_file(
                "tour: tour-t",
                "show: tour-t/2026-11-14-jakarta",
                "photos:",
                "  - src: images/a.jpg",
                "    alt: A",
            ),
        }
    )
    code, output = run_check(site, "--strict")
    assert code == 0, output
    (gallery,) = read(site).galleries
    assert (gallery.tour_uid, gallery.show_uid) == ("tour-t", "tour-t/2026-11-14-jakarta")


# --- videos: reading -----------------------------------------------------------------------


def test_video_and_videos_on_any_entry(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-05-01\nvideo:\n"
            "  url: https://youtu.be/Xq3vT8pLw2M\n  title: Arus Balik\n  duration: 3:52\n---\n",
            "albums/b.md": "---\ntitle: B\nrelease_date: 2026-01-01\nvideos:\n"
            "  - url: https://vimeo.com/912845310\n    title: Live\n"
            f"  - url: https://tube.example.org/videos/watch/{UUID}\n    title: Making of\n"
            "    duration: 1:02:03\n---\n",
        }
    )
    content = read(site)
    assert not content.problems, content.problems.sorted()
    by_uid = {e.uid: e for e in content.entries}
    (one,) = by_uid["news/a"].videos
    assert (one.host, one.video_id, one.duration_seconds, one.line) == (
        "youtube",
        "Xq3vT8pLw2M",
        232,
        5,
    )
    assert one.url == "https://youtu.be/Xq3vT8pLw2M"
    assert one.embed_url == "https://www.youtube-nocookie.com/embed/Xq3vT8pLw2M"
    assert one.poster is None
    live, making_of = by_uid["albums/b"].videos
    assert (live.host, live.title) == ("vimeo", "Live")
    assert (making_of.host, making_of.video_id, making_of.duration_seconds) == (
        "peertube",
        UUID,
        3723,
    )
    assert making_of.embed_url == f"https://tube.example.org/videos/embed/{UUID}"


def test_fetched_poster_is_picked_up_when_none_is_given(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            fetched_poster_path("youtube", "Xq3vT8pLw2M"): jpeg(),
            "images/own.jpg": jpeg("teal"),
            "news/a.md": "---\ntitle: A\ndate: 2026-05-01\nvideos:\n"
            "  - url: https://www.youtube.com/watch?v=Xq3vT8pLw2M\n    title: Fetched\n"
            "  - url: https://youtu.be/Xq3vT8pLw2M\n    title: Own\n"
            "    poster: images/own.jpg\n"
            "  - url: https://vimeo.com/912845310\n    title: Not fetched\n---\n",
        }
    )
    content = read(site)
    assert not content.problems, content.problems.sorted()
    fetched, own, missing = content.entries[0].videos
    assert fetched.poster == "images/videos/youtube-Xq3vT8pLw2M.jpg"
    assert own.poster == "images/own.jpg"
    assert missing.poster is None
    assert content.entries[0].image_files() == [
        "images/videos/youtube-Xq3vT8pLw2M.jpg",
        "images/own.jpg",
    ]


def test_local_video_with_captions(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "video/clip.mp4": b"\x00\x00\x00\x18ftypmp42",
            "video/clip.vtt": "\ufeffWEBVTT\n\n00:00.000 --> 00:02.000\nHalo\n",
            "video/clip.en.vtt": "WEBVTT - English\n",
            "images/p.jpg": jpeg(),
            "news/a.md": "---\ntitle: A\ndate: 2026-05-01\nlang: id\nvideos:\n"
            "  - src: video/clip.mp4\n    title: Klip\n    poster: images/p.jpg\n"
            "    captions: video/clip.vtt\n"
            "  - src: video/clip.mp4\n    title: Clip\n    captions: video/clip.en.vtt\n"
            "    captions_lang: en\n---\n",
        }
    )
    content = read(site)
    assert not content.problems, content.problems.sorted()
    local, english = content.entries[0].videos
    assert local.is_local and local.host is None and local.embed_url is None
    assert (local.src, local.poster, local.captions, local.captions_lang) == (
        "video/clip.mp4",
        "images/p.jpg",
        "video/clip.vtt",
        "id",  # the entry's language when not given
    )
    assert english.captions_lang == "en"


# --- every mistake: path:line: message, exit 1, no traceback -------------------------------

# Not even the signature of an image (one that only starts like one fails the build instead:
# tests/test_engine_media.py).
NOT_AN_IMAGE = b"<html>not found</html>"
ERRORS: list[tuple[str, dict[str, str | bytes], str]] = [
    (
        "photo without alt",
        {"galleries/g.md": gallery_file("photos:", "  - src: images/a.jpg")},
        'content/galleries/g.md:5: photo "images/a.jpg" has no alt: describe the picture',
    ),
    (
        "photo file missing",
        {"galleries/g.md": gallery_file("photos:", "  - src: images/gone.jpg", "    alt: A")},
        'content/galleries/g.md:5: photo "images/gone.jpg" does not exist',
    ),
    (
        "photo under another extension",
        {"galleries/g.md": gallery_file("photos:", "  - src: images/a.png", "    alt: A")},
        'content/galleries/g.md:5: photo "images/a.png" does not exist (looked for ',
    ),
    (
        "photo not an image",
        {
            "images/bad.jpg": NOT_AN_IMAGE,
            "galleries/g.md": gallery_file("photos:", "  - src: images/bad.jpg", "    alt: A"),
        },
        'content/galleries/g.md:5: photo "images/bad.jpg" is not an image '
        "(JPEG, PNG, WebP, AVIF, GIF or TIFF)",
    ),
    (
        "photo outside content",
        {"galleries/g.md": gallery_file("photos:", "  - src: ../pelicanconf.py", "    alt: A")},
        'content/galleries/g.md:5: photo "../pelicanconf.py" is outside content/',
    ),
    (
        "photo as a URL",
        {
            "galleries/g.md": gallery_file(
                "photos:", "  - src: https://cdn.example.com/a.jpg", "    alt: A"
            )
        },
        'content/galleries/g.md:5: photo "https://cdn.example.com/a.jpg" is a URL: it must be a '
        "file under content/",
    ),
    (
        "photos_dir photo without alt",
        {
            "images/j/b.jpg": jpeg(),
            "images/j/alt.yaml": "a.jpg: A\n",
            "images/j/a.jpg": jpeg(),
            "galleries/g.md": gallery_file("photos_dir: images/j"),
        },
        'content/galleries/g.md:4: photo "images/j/b.jpg" has no alt text in images/j/alt.yaml',
    ),
    (
        "photos_dir without alt.yaml",
        {"images/j/a.jpg": jpeg(), "galleries/g.md": gallery_file("photos_dir: images/j")},
        'content/galleries/g.md:4: photo "images/j/a.jpg" has no alt text in images/j/alt.yaml',
    ),
    (
        "photos_dir not a folder",
        {"galleries/g.md": gallery_file("photos_dir: images/nope")},
        'content/galleries/g.md:4: photos_dir "images/nope" is not a folder',
    ),
    (
        "photos_dir with no images",
        {"images/j/alt.yaml": "{}\n", "galleries/g.md": gallery_file("photos_dir: images/j")},
        'content/galleries/g.md:4: photos_dir "images/j" has no images',
    ),
    (
        "photos_dir with a broken image",
        {
            "images/j/a.jpg": NOT_AN_IMAGE,
            "images/j/alt.yaml": "a.jpg: A\n",
            "galleries/g.md": gallery_file("photos_dir: images/j"),
        },
        'content/galleries/g.md:4: photo "images/j/a.jpg" is not an image '
        "(JPEG, PNG, WebP, AVIF, GIF or TIFF)",
    ),
    (
        "malformed alt.yaml",
        {
            "images/j/a.jpg": jpeg(),
            "images/j/alt.yaml": "a.jpg: A\nb.jpg: [unclosed\n",
            "galleries/g.md": gallery_file("photos_dir: images/j"),
        },
        "content/images/j/alt.yaml:2: malformed YAML",
    ),
    (
        "photos and photos_dir",
        {
            "galleries/g.md": gallery_file(
                "photos:", "  - src: images/a.jpg", "    alt: A", "photos_dir: images"
            )
        },
        "content/galleries/g.md:7: give either photos (a list) or photos_dir (a folder), not both",
    ),
    (
        "no photos at all",
        {"galleries/g.md": gallery_file("summary: S")},
        "content/galleries/g.md:1: gallery needs photos (a list of src and alt) or photos_dir",
    ),
    (
        "gallery without date",
        {"galleries/2026-11-15-g.md": "---\ntitle: G\nphotos_dir: images\n---\n"},
        'content/galleries/2026-11-15-g.md:1: gallery is missing required "date"; the file name '
        "starts with 2026-11-15",
    ),
    (
        "show without tour",
        {
            "tours/t.md": TOUR,
            "galleries/g.md": gallery_file(
                "show: tour-t/2026-11-14-jakarta", "photos:", "  - src: images/a.jpg", "    alt: A"
            ),
        },
        'content/galleries/g.md:4: show "tour-t/2026-11-14-jakarta" needs tour: the uid of the',
    ),
    (
        "show not of the tour, written without the tour's uid",
        {
            "tours/t.md": TOUR,
            "galleries/g.md": gallery_file(
                "tour: tour-t",
                "show: 2026-11-14-jakarta",
                "photos:",
                "  - src: images/a.jpg",
                "    alt: A",
            ),
        },
        'content/galleries/g.md:5: show "2026-11-14-jakarta" is not a show of tour "tour-t" '
        "(content/tours/t.md), whose shows are: tour-t/2026-11-14-jakarta, "
        'tour-t/2026-11-28-bandung; did you mean "tour-t/2026-11-14-jakarta"?',
    ),
    (
        "show misspelt",
        {
            "tours/t.md": TOUR,
            "galleries/g.md": gallery_file(
                "tour: tour-t",
                "show: tour-t/2026-11-28-bandug",
                "photos:",
                "  - src: images/a.jpg",
                "    alt: A",
            ),
        },
        'content/galleries/g.md:5: show "tour-t/2026-11-28-bandug" is not a show of tour "tour-t"',
    ),
    (
        "unknown tour",
        {
            "tours/t.md": TOUR,
            "galleries/g.md": gallery_file(
                "tour: tour-tt", "photos:", "  - src: images/a.jpg", "    alt: A"
            ),
        },
        'content/galleries/g.md:4: tour "tour-tt" is not the uid of any tour (the tours are: '
        'tour-t); did you mean "tour-t"?',
    ),
    (
        "unsupported video URL",
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  url: https://www.dailymotion.com/video/x8abcd\n  title: V\n---\n"
        },
        'content/news/a.md:5: unsupported video URL "https://www.dailymotion.com/video/x8abcd": '
        "use a YouTube, Vimeo or PeerTube link, or src: for a file under content/",
    ),
    (
        "video without url or src",
        {"news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n  title: V\n---\n"},
        "content/news/a.md:5: video needs url (a YouTube, Vimeo or PeerTube link) or src",
    ),
    (
        "video with url and src",
        {
            "v.mp4": b"mp4",
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  url: https://youtu.be/Xq3vT8pLw2M\n  src: v.mp4\n  title: V\n---\n",
        },
        "content/news/a.md:5: video has both url and src: give one of them",
    ),
    (
        "video without title",
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideos:\n"
            "  - url: https://youtu.be/Xq3vT8pLw2M\n---\n"
        },
        'content/news/a.md:5: video is missing required "title"',
    ),
    (
        "video and videos",
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\n"
            "video:\n  url: https://youtu.be/Xq3vT8pLw2M\n  title: V\n"
            "videos:\n  - url: https://vimeo.com/912845310\n    title: W\n---\n"
        },
        "content/news/a.md:7: give either video (one video) or videos (a list of them), not both",
    ),
    (
        "local video missing",
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  src: video/gone.mp4\n  title: V\n---\n"
        },
        'content/news/a.md:5: video src "video/gone.mp4" does not exist',
    ),
    (
        "local video of another format",
        {
            "video/a.avi": b"RIFF",
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  src: video/a.avi\n  title: V\n---\n",
        },
        'content/news/a.md:5: video src "video/a.avi" is not a video file browsers play: use '
        ".mp4, .webm, .m4v, .mov or .ogv",
    ),
    (
        "captions not WebVTT",
        {
            "v.mp4": b"mp4",
            "v.vtt": "1\n00:00:00,000 --> 00:00:02,000\nHalo\n",
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  src: v.mp4\n  title: V\n  captions: v.vtt\n---\n",
        },
        'content/news/a.md:7: captions "v.vtt" is not WebVTT: its first line must be WEBVTT',
    ),
    (
        "captions as SubRip",
        {
            "v.mp4": b"mp4",
            "v.srt": "WEBVTT\n",
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  src: v.mp4\n  title: V\n  captions: v.srt\n---\n",
        },
        'content/news/a.md:7: captions "v.srt" is not WebVTT',
    ),
    (
        "captions missing",
        {
            "v.mp4": b"mp4",
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  src: v.mp4\n  title: V\n  captions: v.vtt\n---\n",
        },
        'content/news/a.md:7: captions "v.vtt" does not exist',
    ),
    (
        "poster not an image",
        {
            "images/bad.jpg": NOT_AN_IMAGE,
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  url: https://youtu.be/Xq3vT8pLw2M\n  title: V\n  poster: images/bad.jpg\n---\n",
        },
        'content/news/a.md:7: poster "images/bad.jpg" is not an image '
        "(JPEG, PNG, WebP, AVIF, GIF or TIFF)",
    ),
    (
        "video duration",
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  url: https://youtu.be/Xq3vT8pLw2M\n  title: V\n  duration: 3m52s\n---\n",
        },
        'content/news/a.md:7: duration "3m52s" is not a duration in m:ss',
    ),
    (
        "video as text",
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo: https://youtu.be/Xq3vT8pLw2M\n---\n"
        },
        "content/news/a.md:4: video must be a mapping of keys to values (url or src, title, ...)",
    ),
]


@pytest.mark.parametrize(("name", "files", "expected"), ERRORS, ids=[e[0] for e in ERRORS])
def test_each_mistake_names_file_and_line(
    make_site: Callable[..., Path], name: str, files: dict[str, str | bytes], expected: str
) -> None:
    site = make_site({"images/a.jpg": jpeg(), **files})
    code, output = run_check(site)
    assert code == 1, output
    assert "Traceback" not in output
    assert any(line.startswith(expected) for line in output.splitlines()), output


def test_missing_photo_names_the_file_it_meant(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "images/a.jpg": jpeg(),
            "galleries/g.md": gallery_file("photos:", "  - src: images/a.png", "    alt: A"),
        }
    )
    code, output = run_check(site)
    assert code == 1
    assert "content/images/a.png); there is images/a.jpg: did you mean that?" in output


def test_one_error_per_photo_without_alt(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "images/j/a.jpg": jpeg(),
            "images/j/b.jpg": jpeg(),
            "images/j/c.jpg": jpeg(),
            "images/j/alt.yaml": "b.jpg: B\n",
            "galleries/g.md": gallery_file("photos_dir: images/j"),
        }
    )
    code, output = run_check(site)
    assert code == 1
    missing = [line for line in output.splitlines() if "has no alt text" in line]
    assert [line.split('"')[1] for line in missing] == ["images/j/a.jpg", "images/j/c.jpg"]
    assert all(line.startswith("content/galleries/g.md:4: ") for line in missing)
    assert "2 error(s)" in output


def test_alt_for_a_missing_file_is_a_warning_with_its_line(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            "images/j/01.jpg": jpeg(),
            "images/j/alt.yaml": "01.jpg: One\n01.jpeg: Typo\n",
            "galleries/g.md": gallery_file("photos_dir: images/j"),
            "galleries/g.id.md": gallery_file("photos_dir: images/j"),
        }
    )
    code, output = run_check(site)
    assert code == 0, output
    warning = (
        'content/images/j/alt.yaml:2: warning: alt text for "01.jpeg", which is not in the folder'
    )
    # read by the gallery and its translation, reported once
    assert output.count(warning) == 1, output
    assert run_check(site, "--strict")[0] == 1


def test_second_gallery_of_a_show_in_one_language_warns(make_site: Callable[..., Path]) -> None:
    photos = ("photos:", "  - src: images/a.jpg", "    alt: A")
    link = ("tour: tour-t", "show: tour-t/2026-11-14-jakarta")
    site = make_site(
        {
            "tours/t.md": TOUR,
            "images/a.jpg": jpeg(),
            "galleries/a.md": gallery_file(*link, *photos),
            "galleries/a.id.md": gallery_file(*link, *photos),  # another language: fine
            "galleries/b.md": gallery_file(*link, *photos),
        }
    )
    code, output = run_check(site)
    assert code == 0, output
    assert (
        'content/galleries/b.md:5: warning: show "tour-t/2026-11-14-jakarta" already has a '
        'gallery in language "en", content/galleries/a.md' in output
    )
    assert output.count("already has a gallery") == 1


def test_captions_on_a_hosted_video_are_a_warning(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "v.vtt": "WEBVTT\n",
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  url: https://youtu.be/Xq3vT8pLw2M\n  title: V\n  captions: v.vtt\n---\n",
        }
    )
    code, output = run_check(site)
    assert code == 0
    assert (
        "content/news/a.md:7: warning: captions are shown with a local src only: add them to "
        "the video on youtube" in output
    )
    assert read(site).entries[0].videos[0].captions is None


def test_broken_fetched_poster_is_an_error(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            fetched_poster_path("vimeo", "912845310"): b"<html>rate limited</html>",
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nvideo:\n"
            "  url: https://vimeo.com/912845310\n  title: V\n---\n",
        }
    )
    code, output = run_check(site)
    assert code == 1
    assert (
        'content/news/a.md:5: fetched poster "images/videos/vimeo-912845310.jpg" is not an image '
        "(JPEG, PNG, WebP, AVIF, GIF or TIFF)" in output
    )
    assert "run fanpage media fetch-posters again" in output


def test_demo_galleries_and_videos() -> None:
    root = Path(__file__).resolve().parent.parent
    content = read(root)
    assert not content.problems.errors
    galleries: list[Gallery] = content.galleries
    shows = {g.show_uid for g in galleries if g.show_uid}
    tour_shows = {s.uid for t in content.tours for s in t.shows}
    assert shows and shows <= tour_shows
    assert {g.lang for g in galleries} == {"en", "id"}
    for gallery in galleries:
        for photo in gallery.photos:
            file = root / "content" / photo.src
            assert photo.alt and file.stat().st_size < 400_000
            with Image.open(file) as image:
                assert 1600 <= image.width <= 2400
    hosts = {v.host: v for e in content.entries for v in e.videos}
    assert hosts["youtube"].poster
    assert any(v.poster is None for v in hosts.values())  # the drawn card shows
