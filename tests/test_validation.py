"""Every kind of bad input is reported as ``path:line: message``, all at once, exit status 1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from fanpage.cli import main

GOOD_TOUR_SHOW = """\
  - date: 2026-12-05 20:00
    venue: Sabuga
    city: Bandung
    country: ID
"""


def run_check(site: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--site", str(site), *args])
    return result.exit_code, result.output


# (name, file, text, expected line prefix + message fragment)
CASES: list[tuple[str, str, str, str]] = [
    (
        "malformed yaml",
        "news/a.md",
        "---\ntitle: [unclosed\ndate: 2026-01-01\n---\n",
        'content/news/a.md:2: malformed YAML: the "[" opened here is never closed',  # its line
    ),
    (
        "no front matter",
        "news/a.md",
        "just text\n",
        'content/news/a.md:1: the file must start with a "---" line',
    ),
    (
        "missing title",
        "news/a.md",
        "---\ndate: 2026-01-01\n---\n",
        'content/news/a.md:1: news post is missing required "title"',
    ),
    (
        "missing news date",
        "news/a.md",
        "---\ntitle: A\n---\n",
        'content/news/a.md:1: news post is missing required "date"',
    ),
    (
        "missing release date",
        "albums/a.md",
        "---\ntitle: A\nrelease_type: ep\n---\n",
        'content/albums/a.md:1: album is missing required "release_date"',
    ),
    (
        "missing show venue",
        "tours/t.md",
        "---\ntitle: T\nshows:\n  - date: 2026-12-05 20:00\n    city: Bandung\n"
        "    country: ID\n---\n",
        'content/tours/t.md:4: show is missing required "venue"',
    ),
    (
        "wrong type: tags",
        "news/a.md",
        "---\ntitle: A\ndate: 2026-01-01\ntags:\n  nested: mapping\n---\n",
        "content/news/a.md:4: tags must be a list, not a mapping",
    ),
    (
        "wrong type: title",
        "news/a.md",
        "---\ntitle: [a, b]\ndate: 2026-01-01\n---\n",
        "content/news/a.md:2: title must be text, not a list",
    ),
    (
        "unknown release_type",
        "albums/a.md",
        "---\ntitle: A\nrelease_date: 2026-01-01\nrelease_type: mixtape\n---\n",
        'content/albums/a.md:4: release_type "mixtape" is not one of: album, ep, single',
    ),
    (
        "unknown entry status",
        "news/a.md",
        "---\ntitle: A\ndate: 2026-01-01\nstatus: secret\n---\n",
        'content/news/a.md:4: status "secret" is not one of: published, draft, hidden',
    ),
    (
        "unknown show status",
        "tours/t.md",
        "---\ntitle: T\nshows:\n" + GOOD_TOUR_SHOW + "    status: maybe\n---\n",
        'content/tours/t.md:8: show status "maybe" is not one of: announced',
    ),
    (
        "impossible month",
        "tours/t.md",
        "---\ntitle: T\nshows:\n  - date: 2026-13-01\n    venue: V\n    city: C\n"
        "    country: ID\n---\n",
        'content/tours/t.md:4: show date "2026-13-01" is not a valid date',
    ),
    (
        "impossible day",
        "news/a.md",
        "---\ntitle: A\ndate: 2026-02-30\n---\n",
        'content/news/a.md:3: date "2026-02-30" is not a valid date',
    ),
    (
        "ambiguous date format",
        "albums/a.md",
        "---\ntitle: A\nrelease_date: 03/04/2026\n---\n",
        'content/albums/a.md:3: release_date "03/04/2026" is ambiguous',
    ),
    (
        "time repeated when clocks go back",
        "tours/t.md",
        "---\ntitle: T\nshows:\n  - date: 2026-10-25 02:30\n    timezone: Europe/Berlin\n"
        "    venue: V\n    city: Berlin\n    country: DE\n---\n",
        'content/tours/t.md:4: show date "2026-10-25 02:30" is ambiguous in Europe/Berlin',
    ),
    (
        "time skipped when clocks go forward",
        "tours/t.md",
        "---\ntitle: T\nshows:\n  - date: 2026-03-29 02:30\n    timezone: Europe/Berlin\n"
        "    venue: V\n    city: Berlin\n    country: DE\n---\n",
        'content/tours/t.md:4: show date "2026-03-29 02:30" does not exist in Europe/Berlin',
    ),
    (
        "unknown timezone",
        "tours/t.md",
        "---\ntitle: T\nshows:\n" + GOOD_TOUR_SHOW + "    timezone: Asia/Bandung\n---\n",
        'content/tours/t.md:8: timezone "Asia/Bandung" is not a known IANA time zone',
    ),
    (
        "bad country",
        "tours/t.md",
        "---\ntitle: T\nshows:\n  - date: 2026-12-05\n    venue: V\n    city: C\n"
        "    country: XZ\n---\n",
        'content/tours/t.md:7: country "XZ" is not an ISO 3166-1 alpha-2 country code',
    ),
    (
        "bad currency",
        "tours/t.md",
        "---\ntitle: T\nshows:\n" + GOOD_TOUR_SHOW + "    price: 10\n    currency: RPX\n---\n",
        'content/tours/t.md:9: currency "RPX" is not an ISO 4217 currency code',
    ),
    (
        "price without currency",
        "tours/t.md",
        "---\ntitle: T\nshows:\n" + GOOD_TOUR_SHOW + "    price: 10\n---\n",
        "content/tours/t.md:4: a show with a price needs a currency",
    ),
    (
        "invalid ticket url",
        "tours/t.md",
        "---\ntitle: T\nshows:\n" + GOOD_TOUR_SHOW + "    tickets: tiket.com/abc\n---\n",
        'content/tours/t.md:8: tickets "tiket.com/abc" is not a valid URL',
    ),
    (
        "invalid listen link",
        "albums/a.md",
        "---\ntitle: A\nrelease_date: 2026-01-01\nlinks:\n  spotify: open spotify\n---\n",
        'content/albums/a.md:5: spotify link "open spotify" is not a valid URL',
    ),
    (
        "duration not m:ss",
        "albums/a.md",
        "---\ntitle: A\nrelease_date: 2026-01-01\ntracks:\n  - title: One\n"
        "    duration: 3.45\n---\n",
        'content/albums/a.md:6: duration "3.45" is not a duration in m:ss',
    ),
    (
        "seconds over 59",
        "albums/a.md",
        "---\ntitle: A\nrelease_date: 2026-01-01\ntracks:\n  - title: One\n"
        '    duration: "3:75"\n---\n',
        'content/albums/a.md:6: duration "3:75" is not a duration in m:ss',
    ),
    (
        "cover without alt",
        "albums/a.md",
        "---\ntitle: A\nrelease_date: 2026-01-01\ncover: images/c.jpg\n---\n",
        "content/albums/a.md:4: cover has no cover_alt",
    ),
    (
        "image that does not exist",
        "news/a.md",
        "---\ntitle: A\ndate: 2026-01-01\nimage: images/missing.jpg\nimage_alt: x\n---\n",
        'content/news/a.md:4: image "images/missing.jpg" does not exist',
    ),
    (
        "preview that does not exist",
        "albums/a.md",
        "---\ntitle: A\nrelease_date: 2026-01-01\ntracks:\n  - title: One\n"
        "    duration: 3:00\n    preview: audio/none.mp3\n---\n",
        'content/albums/a.md:7: preview "audio/none.mp3" does not exist',
    ),
    (
        "duplicate key",
        "news/a.md",
        "---\ntitle: A\ndate: 2026-01-01\ntitle: B\n---\n",
        'content/news/a.md:4: key "title" appears twice (first on line 2)',
    ),
    (
        "lang not in LANGUAGES",
        "news/a.md",
        "---\ntitle: A\ndate: 2026-01-01\nlang: fr\n---\n",
        'content/news/a.md:4: lang "fr" is not one of the site\'s LANGUAGES: en, id',
    ),
    (
        "rescheduled without previous date",
        "tours/t.md",
        "---\ntitle: T\nshows:\n" + GOOD_TOUR_SHOW + "    status: rescheduled\n---\n",
        'content/tours/t.md:8: a show with status "rescheduled" needs previous_date',
    ),
    (
        "crosspost to an unknown network",
        "news/a.md",
        "---\ntitle: A\ndate: 2026-01-01\ncrosspost: [mastodon, myspace]\n---\n",
        'content/news/a.md:4: crosspost network "myspace" is not one of: mastodon',
    ),
]


@pytest.mark.parametrize(("name", "path", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_error_names_file_and_line(
    make_site: Callable[..., Path], name: str, path: str, text: str, expected: str
) -> None:
    files = {path: text, "images/c.jpg": b"\xff\xd8\xff"}
    site = make_site(files)
    code, output = run_check(site)
    assert code == 1, output
    assert "Traceback" not in output
    lines = output.splitlines()
    assert any(line.startswith(expected) for line in lines), output


def test_duplicate_uid_names_both_files(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-01-01\nuid: same\n---\n",
            "news/b.md": "---\ntitle: B\ndate: 2026-01-02\nuid: same\n---\n",
        }
    )
    code, output = run_check(site)
    assert code == 1
    assert 'content/news/b.md:4: uid "same" is already used by content/news/a.md:4' in output


def test_duplicate_slug_in_one_language(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "news/2026-01-01-hello.md": "---\ntitle: A\ndate: 2026-01-01\n---\n",
            "news/2026-02-01-hello.md": "---\ntitle: B\ndate: 2026-02-01\n---\n",
        }
    )
    code, output = run_check(site)
    assert code == 1
    assert (
        'content/news/2026-02-01-hello.md:1: slug "hello" in language "en" is already used by '
        "content/news/2026-01-01-hello.md" in output
    )


def test_same_slug_in_two_languages_is_a_translation(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "pages/about.md": "---\ntitle: About\n---\n",
            "pages/about.id.md": "---\ntitle: Tentang\n---\n",
        }
    )
    code, output = run_check(site, "--strict")
    assert code == 0, output


def test_duplicate_show_uid(make_site: Callable[..., Path]) -> None:
    site = make_site({"tours/t.md": "---\ntitle: T\nshows:\n" + GOOD_TOUR_SHOW * 2 + "---\n"})
    code, output = run_check(site)
    assert code == 1
    assert 'content/tours/t.md:8: show uid "tours/t/2026-12-05-bandung" is already used' in output


def test_page_slug_reserved_by_the_site(make_site: Callable[..., Path]) -> None:
    site = make_site({"pages/news.md": "---\ntitle: News\n---\n"})
    code, output = run_check(site)
    assert code == 1
    assert 'content/pages/news.md:1: page slug "news" is taken by the site itself' in output


def test_all_problems_of_a_run_are_reported_at_once(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "news/a.md": "---\ntitle: A\ndate: 2026-13-01\n---\n",
            "albums/b.md": "---\ntitle: B\nrelease_date: 2026-01-01\nrelease_type: lp\n---\n",
            "tours/c.md": "---\ntitle: C\nshows:\n  - date: 2026-01-01\n    venue: V\n"
            "    city: X\n    country: QQ\n    currency: ABC\n---\n",
        }
    )
    code, output = run_check(site)
    assert code == 1
    assert "content/news/a.md:3:" in output
    assert "content/albums/b.md:4:" in output
    assert "content/tours/c.md:7:" in output
    assert "content/tours/c.md:8:" in output
    assert "4 error(s), 0 warning(s): failed" in output


def test_unknown_key_is_a_warning_with_suggestion(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {"albums/a.md": "---\ntitle: A\nrelease_date: 2026-01-01\nrelase_type: ep\n---\n"}
    )
    code, output = run_check(site)
    assert code == 0, output
    assert (
        'content/albums/a.md:4: warning: unknown key "relase_type" in album '
        '(did you mean "release_type"?)' in output
    )
    strict_code, strict_output = run_check(site, "--strict")
    assert strict_code == 1
    assert "--strict: warnings are errors" in strict_output


def test_unknown_key_in_a_show_is_named(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {"tours/t.md": "---\ntitle: T\nshows:\n" + GOOD_TOUR_SHOW + "    venu: X\n---\n"}
    )
    code, output = run_check(site)
    assert code == 0
    assert (
        'content/tours/t.md:8: warning: unknown key "venu" in show (did you mean "venue"?)'
        in output
    )


def test_broken_internal_link_is_a_warning_with_body_line(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {"news/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\nfine\n\nsee [x]({filename}gone.md)\n"}
    )
    code, output = run_check(site)
    assert code == 0
    assert 'content/news/a.md:7: warning: link to "gone.md" points to no file' in output


def test_markdown_outside_the_sections_is_not_silently_dropped(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({"stray.md": "---\ntitle: Stray\n---\n"})
    code, output = run_check(site)
    assert code == 0
    assert (
        "content/stray.md:1: warning: not in news/, albums/, tours/, galleries/, pages/" in output
    )


def test_settings_error_names_the_settings_line(make_site: Callable[..., Path]) -> None:
    conf = 'SITENAME = "T"\nLANGUAGES = ["en"]\nTIMEZONE = "Asia/Jakrta"\n'
    site = make_site({"pages/a.md": "---\ntitle: A\n---\n"}, conf=conf)
    code, output = run_check(site)
    assert code == 1
    assert 'pelicanconf.py:3: TIMEZONE "Asia/Jakrta" is not a known IANA time zone' in output


def test_settings_file_that_raises_names_its_line(make_site: Callable[..., Path]) -> None:
    conf = 'SITENAME = "T"\n\nSITEURL = undefined_name\n'
    site = make_site({"pages/a.md": "---\ntitle: A\n---\n"}, conf=conf)
    code, output = run_check(site)
    assert code == 1
    assert "pelicanconf.py:3: cannot load settings: NameError" in output
    assert "Traceback" not in output


def test_build_refuses_bad_content_without_writing(make_site: Callable[..., Path]) -> None:
    site = make_site({"news/a.md": "---\ntitle: A\ndate: 2026-02-30\n---\n"})
    out = site / "out"
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--output", str(out)])
    assert result.exit_code == 1
    assert 'content/news/a.md:3: date "2026-02-30" is not a valid date' in result.output
    assert not (out / "index.html").exists()


def test_demo_site_checks_clean() -> None:
    root = Path(__file__).resolve().parent.parent
    code, output = run_check(root, "--strict")
    assert code == 0, output
    assert "no problems found" in output


# Galleries and videos (issue 11): the same path:line: messages, exit 1, no traceback.
MEDIA_CASES: list[tuple[str, str, str, str]] = [
    (
        "gallery photo that is no image",
        "galleries/g.md",
        "---\ntitle: G\ndate: 2026-11-15\nphotos:\n  - src: images/c.jpg\n    alt: A\n---\n",
        'content/galleries/g.md:5: photo "images/c.jpg" is not an image '
        "(JPEG, PNG, WebP, AVIF, GIF or TIFF)",
    ),
    (
        "gallery photo missing",
        "galleries/g.md",
        "---\ntitle: G\ndate: 2026-11-15\nphotos:\n  - src: images/x.jpg\n    alt: A\n---\n",
        'content/galleries/g.md:5: photo "images/x.jpg" does not exist',
    ),
    (
        "gallery show without tour",
        "galleries/g.md",
        "---\ntitle: G\ndate: 2026-11-15\nshow: t/2026-12-05-bandung\nphotos_dir: images\n---\n",
        'content/galleries/g.md:4: show "t/2026-12-05-bandung" needs tour',
    ),
    (
        "video URL of another host",
        "news/a.md",
        "---\ntitle: A\ndate: 2026-01-01\nvideo:\n  url: https://example.com/v/1\n"
        "  title: V\n---\n",
        'content/news/a.md:5: unsupported video URL "https://example.com/v/1"',
    ),
    (
        "captions not WebVTT",
        "news/a.md",
        "---\ntitle: A\ndate: 2026-01-01\nvideo:\n  src: images/c.jpg.mp4\n  title: V\n"
        "  captions: images/c.jpg\n---\n",
        'content/news/a.md:7: captions "images/c.jpg" is not WebVTT',
    ),
]


@pytest.mark.parametrize(
    ("name", "path", "text", "expected"), MEDIA_CASES, ids=[c[0] for c in MEDIA_CASES]
)
def test_each_gallery_and_video_error_names_file_and_line(
    make_site: Callable[..., Path], name: str, path: str, text: str, expected: str
) -> None:
    files = {path: text, "images/c.jpg": b"<html>no image</html>", "images/c.jpg.mp4": b"mp4"}
    site = make_site(files)
    code, output = run_check(site)
    assert code == 1, output
    assert "Traceback" not in output
    assert any(line.startswith(expected) for line in output.splitlines()), output
