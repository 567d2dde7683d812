"""The mistakes of a new artist's first hour, each answered with a message they can act on.

Issue 15, "Errors a person can act on": the wrong folder, one typo one message, translations
that do not join up, and suggestions (a cover with another extension, the time zone of a
city, a date in a news file's name). The command's whole output is asserted.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from fanpage.cli import main

FANPAGE = [sys.executable, "-m", "fanpage.cli"]
HOW_TO_POINT = (
    "  point at your site with --site DIR (the folder with pelicanconf.py), or run fanpage "
    "there;\n"
    "  to make a new site: fanpage init DIR\n"
)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def check(site: Path, *args: str) -> tuple[int, str]:
    return invoke("check", "--site", str(site), *args)


# -- the wrong folder ----------------------------------------------------------------------

COMMANDS = [
    ["build"],
    ["build", "--publish"],
    ["check"],
    ["check", "--publish", "--strict"],
    ["new", "album", "First Album"],
    ["serve", "--port", "0"],
    ["crosspost", "--dry-run"],
    ["crosspost", "--status"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_in_a_folder_without_a_site(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = invoke(*command)
    assert code == 1
    assert output == (
        f"error: there is no pelicanconf.py in the current folder ({tmp_path}), so it is not "
        "a fanpage site\n" + HOW_TO_POINT
    )
    assert not (tmp_path / "content").exists() and not (tmp_path / "output").exists()


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_with_a_site_folder_that_does_not_exist(
    command: list[str], tmp_path: Path
) -> None:
    missing = tmp_path / "my-bnad"
    code, output = invoke(*command, "--site", str(missing))
    assert code == 1
    assert output == (
        f"error: there is no pelicanconf.py in {missing}: the folder does not exist\n"
        + HOW_TO_POINT
    )
    assert not missing.exists()


def test_deploy_in_a_folder_without_a_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = invoke("deploy", "--dry-run")
    assert code == 1
    assert (
        f"there is no pelicanconf.py in the current folder ({tmp_path}), so it is not a "
        "fanpage site\n" + HOW_TO_POINT
    ) in output
    assert "internal error" not in output and "pelican --help" not in output


def test_a_real_process_in_the_wrong_folder_exits_1_without_pelicans_words(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [*FANPAGE, "build"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: there is no pelicanconf.py in the current folder ({tmp_path}), so it is not "
        "a fanpage site\n" + HOW_TO_POINT
    )


def test_the_site_one_folder_down_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("init", str(tmp_path / "my-band"))[0] == 0
    monkeypatch.chdir(tmp_path)
    code, output = invoke("build")
    assert code == 1
    assert output == (
        f"error: there is no pelicanconf.py in the current folder ({tmp_path}), so it is not "
        "a fanpage site\n"
        "  a site is in my-band: add --site my-band\n"
    )


def test_the_site_above_the_content_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("init", str(tmp_path / "my-band"))[0] == 0
    monkeypatch.chdir(tmp_path / "my-band" / "content")
    code, output = invoke("check")
    assert code == 1
    assert output == (
        f"error: there is no pelicanconf.py in the current folder ({Path.cwd()}), so it is "
        "not a fanpage site\n"
        "  a site is in ..: add --site ..\n"
    )


def test_a_site_without_its_content_folder(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({})
    (site / "content").rmdir()
    monkeypatch.chdir(site)
    code, output = invoke("check")
    assert code == 1
    assert output == (
        'pelicanconf.py:1: the content folder "content" does not exist (PATH, default '
        '"content": the folder with news/, albums/, tours/ and pages/)\n'
        "1 error(s), 0 warning(s): failed\n"
    )


# -- one typo, one message -----------------------------------------------------------------


def test_a_misspelt_required_key_is_one_error(make_site: Callable[..., Path]) -> None:
    site = make_site({"albums/a.md": "---\ntitle: A\nrelase_date: 2026-10-03\n---\n"})
    code, output = check(site)
    assert code == 1
    assert output == (
        'content/albums/a.md:3: unknown key "relase_date" in album: did you mean '
        '"release_date" (required)?\n'
        "1 error(s), 0 warning(s): failed\n"
    )


def test_a_misspelt_required_show_key_is_one_error(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "tours/t.md": "---\ntitle: T\nshows:\n  - date: 2026-12-05 20:00\n    venu: Sabuga\n"
            "    city: Bandung\n    country: ID\n---\n"
        }
    )
    code, output = check(site)
    assert code == 1
    assert output == (
        'content/tours/t.md:5: unknown key "venu" in show: did you mean "venue" (required)?\n'
        "1 error(s), 0 warning(s): failed\n"
    )


def test_a_misspelt_optional_key_stays_a_warning(make_site: Callable[..., Path]) -> None:
    site = make_site({"albums/a.md": "---\ntitle: A\nrelease_date: 2026-10-03\nlabl: X\n---\n"})
    code, output = check(site)
    assert code == 0
    assert output == (
        'content/albums/a.md:4: warning: unknown key "labl" in album (did you mean "label"?)\n'
        "0 error(s), 1 warning(s): passed with warnings\n"
        "1 entries checked.\n"
    )


# -- translations --------------------------------------------------------------------------


def test_a_translation_with_another_slug_is_an_error_on_its_slug_line(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            "pages/about.md": "---\ntitle: About\n---\n",
            "pages/about.id.md": "---\ntitle: Tentang kami\nslug: tentang\n---\n",
        }
    )
    code, output = check(site)
    assert code == 1
    assert output == (
        'content/pages/about.id.md:3: slug "tentang" does not join this translation to its '
        'original, content/pages/about.md, whose slug is "about": a translation shares its '
        "original's slug (write slug: about, or rename this file if it is a page of its own)\n"
        "1 error(s), 0 warning(s): failed\n"
    )


def test_a_translation_whose_original_has_its_own_slug(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "news/2026-08-18-tour.md": "---\ntitle: Tour\ndate: 2026-08-18\nslug: world-tour\n"
            "---\n",
            "news/2026-08-18-tour.id.md": "---\ntitle: Tur\ndate: 2026-08-18\n---\n",
        }
    )
    code, output = check(site)
    assert code == 1
    assert output == (
        'content/news/2026-08-18-tour.id.md:1: slug "tour" (from the file name) does not join '
        "this translation to its original, content/news/2026-08-18-tour.md, whose slug is "
        '"world-tour": a translation shares its original\'s slug (write slug: world-tour, or '
        "rename this file if it is a page of its own)\n"
        "1 error(s), 0 warning(s): failed\n"
    )


def test_an_entry_only_in_indonesian_in_a_file_of_its_own_name_is_valid(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            "pages/konser-amal.md": "---\ntitle: Konser amal\nlang: id\n---\nHalo.\n",
            "news/2026-09-01-kabar.md": "---\ntitle: Kabar\ndate: 2026-09-01\nlang: id\n---\n",
        }
    )
    code, output = check(site, "--strict")
    assert code == 0
    assert output == "2 entries checked: no problems found.\n"


def test_a_translation_joined_by_its_slug_is_valid(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "pages/about.md": "---\ntitle: About\nslug: about-us\n---\n",
            "pages/about.id.md": "---\ntitle: Tentang\nslug: about-us\n---\n",
        }
    )
    code, output = check(site, "--strict")
    assert code == 0
    assert output == "2 entries checked: no problems found.\n"


def test_a_file_named_as_a_translation_of_nothing_is_a_warning(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({"pages/kontak.id.md": "---\ntitle: Kontak\n---\n"})
    code, output = check(site)
    assert code == 0
    assert output == (
        'content/pages/kontak.id.md:1: warning: this file is named as the "id" translation of '
        'content/pages/kontak.md, which is not there, and no "en" entry has its slug "kontak": '
        "it has no original\n"
        "0 error(s), 1 warning(s): passed with warnings\n"
        "1 entries checked.\n"
    )


# -- suggestions ---------------------------------------------------------------------------


def test_a_missing_cover_names_the_file_with_another_extension(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(
        {
            "albums/a.md": "---\ntitle: A\nrelease_date: 2026-10-03\n"
            "cover: images/covers/gelombang.jpg\ncover_alt: Waves.\n---\n",
            "images/covers/gelombang.png": b"\x89PNG\r\n",
        }
    )
    monkeypatch.chdir(site)
    code, output = invoke("check")
    assert code == 1
    assert output == (
        'content/albums/a.md:4: cover "images/covers/gelombang.jpg" does not exist (looked for '
        "content/images/covers/gelombang.jpg); there is images/covers/gelombang.png: did you "
        "mean that?\n"
        "1 error(s), 0 warning(s): failed\n"
    )


def test_a_missing_cover_without_a_near_name_says_only_where_it_looked(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(
        {
            "albums/a.md": "---\ntitle: A\nrelease_date: 2026-10-03\n"
            "cover: images/covers/gelombang.jpg\ncover_alt: Waves.\n---\n",
            "images/covers/pulang.jpg": b"\xff\xd8\xff",
        }
    )
    monkeypatch.chdir(site)
    code, output = invoke("check")
    assert code == 1
    assert output == (
        'content/albums/a.md:4: cover "images/covers/gelombang.jpg" does not exist (looked for '
        "content/images/covers/gelombang.jpg)\n"
        "1 error(s), 0 warning(s): failed\n"
    )


def _tour(show_lines: str) -> str:
    return f"---\ntitle: T\nshows:\n  - date: 2026-12-12 20:00\n{show_lines}---\n"


def test_a_city_written_as_the_time_zone(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "tours/t.md": _tour(
                "    timezone: Melbourne\n    venue: Corner Hotel\n    city: Melbourne\n"
                "    country: AU\n"
            )
        }
    )
    code, output = check(site)
    assert code == 1
    assert output == (
        'content/tours/t.md:5: timezone "Melbourne" is not a known IANA time zone: did you mean '
        "Australia/Melbourne?\n"
        "1 error(s), 0 warning(s): failed\n"
    )


def test_the_time_zone_example_is_the_zone_of_the_city(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "tours/t.md": _tour(
                "    timezone: AEDT\n    venue: Corner Hotel\n    city: Melbourne\n"
                "    country: AU\n"
            )
        }
    )
    code, output = check(site)
    assert code == 1
    assert output == (
        'content/tours/t.md:5: timezone "AEDT" is not a known IANA time zone (for Melbourne: '
        "Australia/Melbourne)\n"
        "1 error(s), 0 warning(s): failed\n"
    )


def test_the_time_zone_example_lists_the_zones_of_the_country(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            "tours/t.md": _tour(
                "    timezone: WIB\n    venue: Sabuga\n    city: Bandung\n    country: ID\n"
            )
        }
    )
    code, output = check(site)
    assert code == 1
    assert output == (
        'content/tours/t.md:5: timezone "WIB" is not a known IANA time zone (for Indonesia: '
        "Asia/Jakarta, Asia/Pontianak, Asia/Makassar or Asia/Jayapura)\n"
        "1 error(s), 0 warning(s): failed\n"
    )


def test_a_news_post_without_date_whose_file_name_has_one(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({"news/2026-08-18-world-tour.md": "---\ntitle: World tour\n---\n"})
    code, output = check(site)
    assert code == 1
    assert output == (
        'content/news/2026-08-18-world-tour.md:1: news post is missing required "date"; the '
        "file name starts with 2026-08-18, but a date in the file name is not read: add "
        "date: 2026-08-18\n"
        "1 error(s), 0 warning(s): failed\n"
    )


def test_a_news_post_without_date_or_a_dated_file_name(make_site: Callable[..., Path]) -> None:
    site = make_site({"news/world-tour.md": "---\ntitle: World tour\n---\n"})
    code, output = check(site)
    assert code == 1
    assert output == (
        'content/news/world-tour.md:1: news post is missing required "date"\n'
        "1 error(s), 0 warning(s): failed\n"
    )
