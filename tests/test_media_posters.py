"""``fanpage media fetch-posters``: each hosted video's poster fetched once, into content/.

Driven as an artist runs it, against one loopback server answering as YouTube's image host,
Vimeo's oEmbed and a PeerTube instance do (tests/servers/video_hosts.py); ``build`` is run
beside it to show it never asks a video host for anything.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from fanpage.cli import main
from fanpage.config import load_config
from fanpage.content.site import load_content
from fanpage.media.posters import HOSTS_VARIABLE, save_new
from tests.servers.video_hosts import (
    HQ_COLOUR,
    MAXRES_COLOUR,
    OWNER,
    PEERTUBE_COLOUR,
    VIMEO_COLOUR,
    VideoHostsServer,
    image_bytes,
)

ROOT = Path(__file__).resolve().parent.parent
MAXRES = "AAAAAAAAAA1"  # has a 1280-pixel poster
HQ_ONLY = "BBBBBBBBBB2"  # maxresdefault is a 404: hqdefault
PLACEHOLDER = "CCCCCCCCCC3"  # maxresdefault is YouTube's 120x90 placeholder with 200
VIMEO = "76979871"
PEERTUBE = "2y84q2MQUMWPbiEcxNXMgC"
INSTANCE = "videos.example.org"

FOUR_HOSTS = f"""\
---
title: New videos
date: 2026-03-01
videos:
  - url: https://www.youtube.com/watch?v={MAXRES}
    title: Arus Balik
  - url: https://youtu.be/{HQ_ONLY}
    title: Pulang (live)
  - url: https://www.youtube.com/watch?v={PLACEHOLDER}
    title: Senja (lyric video)
  - url: https://vimeo.com/{VIMEO}
    title: Gelombang
  - url: https://{INSTANCE}/w/{PEERTUBE}
    title: Laut
---
Watch them.
"""
EXPECTED = {  # video id -> (poster file under content/, size, colour)
    MAXRES: (f"images/videos/youtube-{MAXRES}.jpg", (1280, 720), MAXRES_COLOUR),
    HQ_ONLY: (f"images/videos/youtube-{HQ_ONLY}.jpg", (480, 360), HQ_COLOUR),
    PLACEHOLDER: (f"images/videos/youtube-{PLACEHOLDER}.jpg", (480, 360), HQ_COLOUR),
    VIMEO: (f"images/videos/vimeo-{VIMEO}.jpg", (1280, 720), VIMEO_COLOUR),
    PEERTUBE: (f"images/videos/peertube-{PEERTUBE}.jpg", (850, 480), PEERTUBE_COLOUR),
}


@pytest.fixture
def hosts() -> Iterator[VideoHostsServer]:
    server = VideoHostsServer(
        youtube_maxres=[MAXRES],
        youtube_hq=[HQ_ONLY],
        placeholder_maxres=[PLACEHOLDER],
        vimeo=[VIMEO],
        peertube=[PEERTUBE],
    )
    with server:
        yield server


def hosts_env(server: VideoHostsServer) -> dict[str, str]:
    base = server.base_url
    mapping = {"youtube_images": base, "vimeo": base, f"peertube:{INSTANCE}": base}
    return {HOSTS_VARIABLE: json.dumps(mapping)}


def fetch(server: VideoHostsServer, site: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["media", "fetch-posters", "--site", str(site), *args], env=hosts_env(server)
    )


def videos_of(site: Path) -> dict[str, tuple[int, str | None]]:
    """Video id -> (its line, its poster) as ``fanpage check`` reads the site."""
    content = load_content(load_config(site).content)
    assert not content.problems.errors, [str(p) for p in content.problems.errors]
    return {v.video_id: (v.line, v.poster) for e in content.entries for v in e.videos}


def test_each_hosts_poster_lands_once_as_a_clean_jpeg(
    make_site: Callable[..., Path], hosts: VideoHostsServer
) -> None:
    site = make_site({"news/mv.md": FOUR_HOSTS})
    lines = {video_id: line for video_id, (line, _) in videos_of(site).items()}

    result = fetch(hosts, site)

    assert result.exit_code == 0, result.output
    titles = {MAXRES: "Arus Balik", HQ_ONLY: "Pulang (live)", PLACEHOLDER: "Senja (lyric video)"}
    titles |= {VIMEO: "Gelombang", PEERTUBE: "Laut"}
    for video_id, (poster, size, colour) in EXPECTED.items():
        expected_line = (
            f'content/news/mv.md:{lines[video_id]}: fetched poster for "{titles[video_id]}" '
            f"-> content/{poster}"
        )
        assert expected_line in result.stdout.splitlines()
        with Image.open(site / "content" / poster) as image:
            assert image.format == "JPEG"
            assert image.size == size
            assert _near(image.convert("RGB").getpixel((size[0] // 2, size[1] // 2)), colour)
            assert not image.getexif()  # the served JPEGs carried an owner and a GPS position
            assert not {"exif", "icc_profile", "comment", "xmp"} & set(image.info)
        assert OWNER.encode() not in (site / "content" / poster).read_bytes()
    assert "5 poster(s) fetched, 0 failed." in result.stdout
    # YouTube: the large poster first, hqdefault only where it was missing.
    assert hosts.count(f"/vi/{MAXRES}/maxresdefault.jpg") == 1
    assert hosts.count(f"/vi/{MAXRES}/hqdefault.jpg") == 0
    for video_id in (HQ_ONLY, PLACEHOLDER):
        assert hosts.count(f"/vi/{video_id}/maxresdefault.jpg") == 1
        assert hosts.count(f"/vi/{video_id}/hqdefault.jpg") == 1
    oembed = [r for r in hosts.requests if r.path == "/api/oembed.json"]
    assert [(r.param("url"), r.param("width")) for r in oembed] == [
        (f"https://vimeo.com/{VIMEO}", "1280")
    ]
    assert hosts.count(f"/api/v1/videos/{PEERTUBE}") == 1
    assert hosts.count(f"/lazy-static/previews/{PEERTUBE}.png") == 1
    assert {r.method for r in hosts.requests} == {"GET"}
    assert all(r.headers["user-agent"].startswith("fanpage/") for r in hosts.requests)
    assert not list((site / "content" / "images" / "videos").glob(".*"))  # no temporary file

    # A second run fetches nothing: every request count stays as it was, every file too.
    before = len(hosts.requests)
    saved = {p: (site / "content" / p).read_bytes() for p, _, _ in EXPECTED.values()}
    again = fetch(hosts, site)
    assert again.exit_code == 0, again.output
    assert "nothing to fetch" in again.stdout
    assert len(hosts.requests) == before
    assert {p: (site / "content" / p).read_bytes() for p in saved} == saved


def test_check_reads_the_fetched_posters(
    make_site: Callable[..., Path], hosts: VideoHostsServer
) -> None:
    site = make_site({"news/mv.md": FOUR_HOSTS})
    assert {poster for _, poster in videos_of(site).values()} == {None}

    assert fetch(hosts, site).exit_code == 0

    posters = {video_id: poster for video_id, (_, poster) in videos_of(site).items()}
    assert posters == {video_id: poster for video_id, (poster, _, _) in EXPECTED.items()}
    checked = CliRunner().invoke(main, ["check", "--site", str(site)])
    assert checked.exit_code == 0, checked.output


def test_a_given_poster_or_a_draft_is_never_fetched(
    make_site: Callable[..., Path], hosts: VideoHostsServer
) -> None:
    own = image_bytes((640, 360), (10, 10, 10), exif=False)
    site = make_site(
        {
            "images/own.jpg": own,
            "news/given.md": f"""\
                ---
                title: Own poster
                date: 2026-03-01
                video:
                  url: https://www.youtube.com/watch?v={MAXRES}
                  title: Arus Balik
                  poster: images/own.jpg
                ---
                """,
            "news/draft.md": f"""\
                ---
                title: Not yet
                date: 2026-03-02
                status: draft
                video:
                  url: https://vimeo.com/{VIMEO}
                  title: Gelombang
                ---
                """,
        }
    )

    result = fetch(hosts, site)

    assert result.exit_code == 0, result.output
    assert "nothing to fetch" in result.stdout
    assert hosts.requests == []
    assert not (site / "content" / "images" / "videos").exists()
    assert (site / "content" / "images" / "own.jpg").read_bytes() == own
    assert videos_of(site)[MAXRES][1] == "images/own.jpg"


def test_dry_run_lists_what_would_be_fetched_and_asks_nothing(
    make_site: Callable[..., Path], hosts: VideoHostsServer
) -> None:
    site = make_site({"news/mv.md": FOUR_HOSTS})
    lines = {video_id: line for video_id, (line, _) in videos_of(site).items()}

    result = fetch(hosts, site, "--dry-run")

    assert result.exit_code == 0, result.output
    assert (
        f'content/news/mv.md:{lines[VIMEO]}: would fetch the poster for "Gelombang" '
        f"(vimeo {VIMEO}) -> content/images/videos/vimeo-{VIMEO}.jpg"
    ) in result.stdout.splitlines()
    assert "5 poster(s) to fetch" in result.stdout
    assert hosts.requests == []
    assert not (site / "content" / "images" / "videos").exists()


UNKNOWN = f"""\
---
title: Gone
date: 2026-03-01
videos:
  - url: https://www.youtube.com/watch?v=ZZZZZZZZZZ9
    title: Removed
  - url: https://vimeo.com/1
    title: Private
  - url: https://{INSTANCE}/w/{"3" * 22}
    title: Deleted
---
"""


def test_a_404_everywhere_is_one_line_per_video_and_exit_1(
    make_site: Callable[..., Path], hosts: VideoHostsServer
) -> None:
    site = make_site({"news/gone.md": UNKNOWN})
    lines = {video_id: line for video_id, (line, _) in videos_of(site).items()}
    env = {**os.environ, **hosts_env(hosts)}
    env.pop("FANPAGE_DEBUG", None)

    run = subprocess.run(
        [sys.executable, "-m", "fanpage.cli", "media", "fetch-posters", "--site", str(site)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )

    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    failures = [line for line in run.stderr.splitlines() if "could not fetch" in line]
    assert len(failures) == 3, run.stderr
    for title, video_id, answered in (
        ("Removed", "ZZZZZZZZZZ9", "/vi/ZZZZZZZZZZ9/hqdefault.jpg answered 404"),
        (
            "Private",
            "1",
            "/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F1&width=1280 answered 404",
        ),
        ("Deleted", "3" * 22, f"/api/v1/videos/{'3' * 22} answered 404"),
    ):
        prefix = (
            f'content/news/gone.md:{lines[video_id]}: could not fetch the poster for "{title}": '
        )
        assert any(f.startswith(prefix) and answered in f for f in failures), (title, failures)
    assert "0 poster(s) fetched, 3 failed." in run.stdout
    assert not (site / "content" / "images" / "videos").exists() or not any(
        (site / "content" / "images" / "videos").iterdir()
    )


def test_not_an_image_and_a_timeout_fail_cleanly(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            "news/bad.md": f"""\
                ---
                title: Bad answers
                date: 2026-03-01
                videos:
                  - url: https://vimeo.com/{VIMEO}
                    title: Login page
                  - url: https://www.youtube.com/watch?v={MAXRES}
                    title: Slow
                ---
                """
        }
    )
    with VideoHostsServer(
        vimeo=[VIMEO], not_images=[VIMEO], youtube_maxres=[MAXRES], slow=[MAXRES]
    ) as server:
        result = fetch(server, site, "--timeout", "0.5")

    assert result.exit_code == 1, result.output
    assert re.search(
        r'content/news/bad\.md:\d+: could not fetch the poster for "Login page": '
        rf"http://127\.0\.0\.1:\d+/video/{VIMEO}-d_1280: the answer is not an image",
        result.stderr,
    ), result.stderr
    assert re.search(
        r'content/news/bad\.md:\d+: could not fetch the poster for "Slow": '
        rf"http://127\.0\.0\.1:\d+/vi/{MAXRES}/maxresdefault\.jpg did not answer within 0\.5 s",
        result.stderr,
    ), result.stderr
    assert isinstance(result.exception, SystemExit)  # the exit status, no error escaping
    assert "internal error" not in result.output
    folder = site / "content" / "images" / "videos"
    assert not folder.exists() or not any(folder.iterdir())


# Records every connection the build tries that leaves this machine (or names a host to look
# up): forked workers inherit the hook, and the log is appended to by each.
AUDITED_BUILD = """\
import socket, sys
LOG = sys.argv.pop(1)
LOCAL = {None, "localhost", "127.0.0.1", "::1"}

def hook(event, args):
    where = None
    if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
        if args[1][0] not in LOCAL:
            where = repr(args[1])
    elif event == "socket.getaddrinfo" and args[0] not in LOCAL:
        where = repr(args[0])
    elif event == "urllib.Request":
        where = args[0]
    if where is not None:
        with open(LOG, "a") as log:
            log.write(f"{event} {where}\\n")

sys.addaudithook(hook)
from fanpage.cli import main
sys.argv[0] = "fanpage"
main()
"""


def test_build_never_contacts_a_video_host(
    make_site: Callable[..., Path], hosts: VideoHostsServer, tmp_path: Path
) -> None:
    site = make_site({"news/mv.md": FOUR_HOSTS})
    log = tmp_path / "network.log"
    env = {**os.environ, **hosts_env(hosts)}

    run = subprocess.run(
        [sys.executable, "-c", AUDITED_BUILD, str(log), "build", "--site", str(site)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert hosts.requests == []
    assert not log.exists(), log.read_text()
    assert not (site / "content" / "images" / "videos").exists()  # build wrote no poster
    pages = "".join(p.read_text(encoding="utf-8") for p in (site / "output").rglob("*.html"))
    assert "Arus Balik" in pages  # the video's page was built
    for address in ("i.ytimg.com", "vimeocdn.com", hosts.base_url, f"{INSTANCE}/lazy-static"):
        assert address not in pages


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def test_a_video_on_two_entries_is_fetched_once(
    make_site: Callable[..., Path], hosts: VideoHostsServer
) -> None:
    entry = """\
        ---
        title: {title}
        date: 2026-03-01
        slug: video-baru
        lang: {lang}
        video:
          url: https://vimeo.com/{vimeo}
          title: {title}
        ---
        """
    site = make_site(
        {
            "news/video-baru.md": entry.format(title="New video", lang="en", vimeo=VIMEO),
            "news/video-baru.id.md": entry.format(title="Video baru", lang="id", vimeo=VIMEO),
        }
    )

    result = fetch(hosts, site)

    assert result.exit_code == 0, result.output
    assert result.stdout.count("fetched poster for") == 1
    assert hosts.count("/api/oembed.json") == 1
    assert {poster for _, poster in videos_of(site).values()} == {
        f"images/videos/vimeo-{VIMEO}.jpg"
    }


def test_save_new_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "videos" / "youtube-x.jpg"
    assert save_new(target, b"first") is True
    assert save_new(target, b"second") is False
    assert target.read_bytes() == b"first"
    assert [p.name for p in target.parent.iterdir()] == ["youtube-x.jpg"]  # no temporary left


def test_a_bad_hosts_variable_is_one_clear_line(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({"news/mv.md": FOUR_HOSTS})
    result = CliRunner().invoke(
        main,
        ["media", "fetch-posters", "--site", str(site)],
        env={HOSTS_VARIABLE: json.dumps({"youtube_images": "file:///etc"})},
    )
    assert result.exit_code == 1
    assert f'{HOSTS_VARIABLE}: "youtube_images" must be an http(s) address' in result.output
    assert not (site / "content" / "images" / "videos").exists()


def test_content_errors_are_reported_and_nothing_is_fetched(
    make_site: Callable[..., Path], hosts: VideoHostsServer
) -> None:
    site = make_site(
        {
            "news/mv.md": FOUR_HOSTS,
            "news/bad.md": """\
                ---
                title: Bad link
                date: 2026-03-02
                video:
                  url: https://example.com/watch/1
                  title: Somewhere
                ---
                """,
        }
    )

    result = fetch(hosts, site)

    assert result.exit_code == 1
    assert re.search(r"^content/news/bad\.md:5: .*unsupported video URL", result.output, re.M), (
        result.output
    )
    assert hosts.requests == []
