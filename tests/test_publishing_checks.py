"""Publishing what is meant: no placeholder address, no example text left from ``fanpage new``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import invoke


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new site, and the artist working inside its folder (paths are shown from there)."""
    folder = tmp_path / "lintang"
    code, output = invoke("init", str(folder), "--name", "Lintang Timur")
    assert code == 0, output
    monkeypatch.chdir(folder)
    return folder


def set_siteurl(site: Path, value: str) -> None:
    conf = site / "publishconf.py"
    lines = [
        f"SITEURL = {value!r}" if line.startswith("SITEURL =") else line
        for line in conf.read_text().splitlines()
    ]
    conf.write_text("\n".join(lines) + "\n")


def test_the_placeholder_address_is_refused_for_publishing(site: Path) -> None:
    code, output = invoke("check", "--publish", "--site", str(site))
    assert code == 1
    assert output.splitlines() == [
        'publishconf.py:10: SITEURL "https://example.com" is a placeholder: '
        "set it to your site's public address before publishing, "
        'e.g. SITEURL = "https://yourband.com"',
        "1 error(s), 0 warning(s): failed",
    ]
    code, output = invoke("build", "--publish", "--site", str(site))
    assert code == 1 and "is a placeholder" in output
    assert not (site / "output").exists()
    code, _ = invoke("check", "--site", str(site))  # development builds need no address
    assert code == 0


def test_an_empty_address_is_refused_for_publishing(site: Path) -> None:
    set_siteurl(site, "")
    code, output = invoke("check", "--publish", "--site", str(site))
    assert code == 1
    assert output.splitlines()[0] == (
        "publishconf.py:10: SITEURL is empty: publishing needs your site's "
        'public address, e.g. SITEURL = "https://yourband.com"'
    )


def test_example_text_from_fanpage_new_warns_and_fails_strict(site: Path) -> None:
    set_siteurl(site, "https://lintang.band")
    code, output = invoke("new", "album", "Pulang", "--site", str(site))
    assert code == 0, output
    album = site / "content/albums/pulang.md"
    album.write_text(album.read_text().replace('status: "draft"', 'status: "published"'))
    code, output = invoke("check", "--publish", "--site", str(site))
    assert code == 0
    where = "content/albums/pulang.md"
    assert output.splitlines()[:3] == [
        f'{where}:10: warning: the example track "First song" from `fanpage new` is still here',
        f'{where}:44: warning: the example text "Write the album here, in Markdown." from '
        "`fanpage new` is still here",
        "0 error(s), 2 warning(s): passed with warnings",
    ]
    code, output = invoke("build", "--publish", "--strict", "--site", str(site))
    assert code == 1 and "(--strict: warnings are errors)" in output
    code, output = invoke("check", "--site", str(site))  # while writing: no nagging
    assert code == 0 and "example" not in output
    album.write_text(
        album.read_text()
        .replace('title: "First song"', 'title: "Pulang"')
        .replace("Write the album here, in Markdown.", "Our first record.")
    )
    code, output = invoke("check", "--publish", "--strict", "--site", str(site))
    assert code == 0, output


def test_the_example_photo_of_a_new_gallery_warns_until_replaced(site: Path) -> None:
    set_siteurl(site, "https://lintang.band")
    code, output = invoke("new", "gallery", "Bandung", "--site", str(site))
    assert code == 0, output
    gallery = site / "content/galleries/bandung.md"
    assert (site / "content/images/galleries/bandung/01.jpg").is_file()
    gallery.write_text(gallery.read_text().replace('status: "draft"', 'status: "published"'))
    code, output = invoke("check", "--publish", "--site", str(site))
    assert code == 0, output
    assert (
        'warning: the example photo "images/galleries/bandung/01.jpg" from `fanpage new` is '
        "still here" in output
    )
    gallery.write_text(
        gallery.read_text().replace(
            "Describe the photo here, for fans who cannot see it.", "The crowd at Bandung."
        )
    )
    code, output = invoke("check", "--publish", "--site", str(site))
    assert code == 0 and "example photo" not in output, output
