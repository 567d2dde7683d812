"""The build's images, end to end: planned from the content, derived beside Pelican, and
nothing but the derived files published (body images and links to photos included)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from fanpage.cli import main
from fanpage.engine.build import build_site
from tests.photos import SERIAL, make_photo, metadata_in

NEWS = """\
---
title: Photos from Bandung
date: 2026-03-02
image: images/news/crowd.jpg
image_alt: The crowd with their phone lights up.
---
The night in one picture: ![The stage]({static}/images/news/stage.jpg)

The [full-size press photo]({static}/images/news/crowd.jpg) may be used with credit.
"""


def _site(make_site, conf_extra: str = "") -> Path:
    site = make_site({"news/bandung.md": NEWS, "images/logo.svg": "<svg/>"})
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text() + conf_extra)
    make_photo(site / "content/images/news/crowd.jpg", size=(1800, 1200))
    make_photo(site / "content/images/news/stage.jpg", size=(1200, 800))
    return site


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A media cache of this test's own (the session shares one), to count the work."""
    monkeypatch.setenv("FANPAGE_MEDIA_CACHE", str(tmp_path / "media-cache"))
    return tmp_path / "media-cache"


def test_only_derived_images_are_published_even_when_static_paths_name_the_folder(
    make_site, own_cache: Path
) -> None:
    site = _site(make_site, 'STATIC_PATHS = ["images", "files"]\n')
    originals = {_digest(p) for p in (site / "content/images").rglob("*.jpg")}
    checked = build_site(site)
    out = site / "output"
    published = [p for p in (out / "images").rglob("*") if p.is_file()]
    assert not (out / "images/news/crowd.jpg").exists()
    assert not originals & {_digest(p) for p in published}
    for file in published:
        if file.suffix != ".svg":
            assert metadata_in(file) == {}, file
            assert SERIAL.encode() not in file.read_bytes()
    assert (out / "images/logo.svg").read_text() == "<svg/>"  # copied as it is
    assert checked.media is not None and checked.media.derived == 2
    assert own_cache.is_dir()
    again = build_site(site)  # unchanged photos: no image work at all
    assert again.media is not None and (again.media.derived, again.media.reused) == (0, 2)


def test_body_images_and_links_point_at_derived_files_that_exist(make_site) -> None:
    site = _site(make_site)
    checked = build_site(site)
    html = (site / "output/news/bandung/index.html").read_text()
    body = html.split('class="e-content', 1)[1]
    img = re.search(r'<img alt="The stage"[^>]*>', body)
    assert img, body[:2000]
    tag = img.group(0)
    assert "{static}" not in tag
    src = re.search(r' src="/([^"]+)"', tag).group(1)
    assert re.fullmatch(r"images/news/stage-[0-9a-f]{8}-1200\.jpg", src), src
    width = int(re.search(r' width="(\d+)"', tag).group(1))
    height = int(re.search(r' height="(\d+)"', tag).group(1))
    with Image.open(site / "output" / src) as derived:
        assert derived.size == (width, height) == (1200, 800)
    for candidate in re.search(r' srcset="([^"]+)"', tag).group(1).split(", "):
        path, declared = candidate.rsplit(" ", 1)
        with Image.open(site / "output" / path.lstrip("/")) as derived:
            assert f"{derived.width}w" == declared
    link = re.search(r'<a href="([^"]+)">full-size press photo</a>', body).group(1)
    assert re.fullmatch(r"/images/news/crowd-[0-9a-f]{8}-1600\.jpg", link), link
    assert (site / "output" / link.lstrip("/")).is_file()
    assert not [p for p in checked.problems.warnings if "Unable to find" in p.message]


def test_a_changed_photo_replaces_its_old_sizes_in_the_output(make_site, own_cache: Path) -> None:
    site = _site(make_site)
    build_site(site)
    before = sorted(p.name for p in (site / "output/images/news").glob("crowd-*"))
    make_photo(site / "content/images/news/crowd.jpg", size=(1700, 1100), orientation=1)
    card = site / "output/images/cards/news-bandung.png"  # the share cards' folder: not ours
    card.parent.mkdir(parents=True, exist_ok=True)
    card.write_bytes(b"card")
    checked = build_site(site)
    assert card.read_bytes() == b"card"
    after = sorted(p.name for p in (site / "output/images/news").glob("crowd-*"))
    assert before and after and not set(before) & set(after)
    assert checked.media is not None and (checked.media.derived, checked.media.reused) == (1, 1)


def test_an_unreadable_cover_is_an_error_at_its_line(make_site) -> None:
    site = make_site(
        {
            "albums/a.md": """\
            ---
            title: A
            release_date: 2026-01-01
            cover: images/a.jpg
            cover_alt: The cover.
            ---
            """,
            "images/a.jpg": "not a picture",
        }
    )
    result = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert result.exit_code == 1
    assert 'content/albums/a.md:4: image "images/a.jpg" cannot be published' in result.output
    assert "Traceback" not in result.output
    assert not (site / "output/albums").exists()


@pytest.mark.parametrize("folder", ["videos", "clips"])
def test_local_videos_and_captions_are_published_from_any_folder(make_site, folder) -> None:
    site = make_site(
        {
            "news/v.md": f"""\
            ---
            title: Soundcheck
            date: 2026-03-02
            video:
              src: {folder}/soundcheck.mp4
              title: Soundcheck
              captions: {folder}/soundcheck.vtt
            ---
            """,
            f"{folder}/soundcheck.mp4": b"\x00\x00\x00\x18ftypmp42",
            f"{folder}/soundcheck.vtt": "WEBVTT\n\n00:00.000 --> 00:01.000\nOne, two\n",
        }
    )
    build_site(site)
    out = site / "output"
    assert (out / folder / "soundcheck.mp4").read_bytes() == b"\x00\x00\x00\x18ftypmp42"
    assert (out / folder / "soundcheck.vtt").read_text().startswith("WEBVTT")
    assert f'/{folder}/soundcheck.vtt"' in (out / "news/v/index.html").read_text()


def test_a_photo_that_only_looks_like_an_image_fails_the_build_at_its_line(make_site) -> None:
    """``check`` reads a file's signature; the build decodes it with Pillow and says more."""
    site = make_site(
        {
            "galleries/g.md": """\
            ---
            title: G
            date: 2026-03-02
            photos:
              - src: images/cut.jpg
                alt: A photo cut short.
            ---
            """,
            "images/cut.jpg": b"\xff\xd8\xff\xe0 and then nothing",
        }
    )
    runner = CliRunner()
    assert runner.invoke(main, ["check", "--site", str(site)]).exit_code == 0
    result = runner.invoke(main, ["build", "--site", str(site)])
    assert result.exit_code == 1
    assert 'content/galleries/g.md:5: image "images/cut.jpg" cannot be published' in result.output
    assert "Traceback" not in result.output
