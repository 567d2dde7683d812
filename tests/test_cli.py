"""The command line, driven as an artist would: init, new, check, build, serve."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from fanpage.cli import main
from fanpage.config import load_config
from fanpage.content.site import load_content

ROOT = Path(__file__).resolve().parent.parent

FANPAGE = [sys.executable, "-m", "fanpage.cli"]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_help_lists_every_command_and_option() -> None:
    code, output = invoke("--help")
    assert code == 0
    for command in ("init", "new", "check", "build", "serve"):
        assert re.search(rf"^\s+{command}\s+\S", output, re.M), command
    for command, option in [
        ("build", "--publish"),
        ("build", "--output"),
        ("serve", "--port"),
        ("check", "--strict"),
        ("new", "--lang"),
    ]:
        code, output = invoke(command, "--help")
        assert code == 0
        assert option in output and "--site" in output


def test_init_then_build(tmp_path: Path) -> None:
    site = tmp_path / "band"
    code, output = invoke(
        "init", str(site), "--name", 'The "Quoted" Band', "--timezone", "Asia/Jakarta"
    )
    assert code == 0, output
    code, output = invoke("check", "--site", str(site), "--strict")
    assert code == 0, output
    code, output = invoke("build", "--site", str(site))
    assert code == 0, output
    out = site / "output"
    for page in (
        "index.html",
        "albums/first-album/index.html",
        "tours/first-tour/index.html",
        "news/hello/index.html",
        "about/index.html",
    ):
        assert (out / page).is_file(), page
    # The example cover is published as derived sizes only, never as the original file.
    assert not (out / "images/cover.jpg").exists()
    derived = sorted(p.name for p in (out / "images").glob("cover-*.jpg"))
    assert derived and all(name.startswith("cover-") for name in derived), derived
    assert 'The "Quoted" Band' in load_config(site).pelican["SITENAME"]


def test_init_refuses_to_overwrite_a_site(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path))[0] == 0
    code, output = invoke("init", str(tmp_path))
    assert code == 1
    assert "a site is already there" in output


@pytest.mark.parametrize("kind", ["album", "ep", "single", "tour", "news", "gallery", "page"])
def test_new_writes_a_documented_stub_that_checks_clean(tmp_path: Path, kind: str) -> None:
    site = tmp_path / "s"
    invoke("init", str(site))
    code, output = invoke("new", kind, 'Kota Hujan: "Live" ✨', "--site", str(site))
    assert code == 0, output
    written = Path(output.split("Wrote ", 1)[1].strip())
    text = written.read_text()
    assert "uid: " in text and "# Stable id" in text
    assert 'status: "draft"' in text
    assert text.count("# ") >= 10  # every key documented
    code, output = invoke("check", "--site", str(site), "--strict")
    assert code == 0, output
    entry = next(
        e for e in load_content(load_config(site).content) if e.source_path.endswith(written.name)
    )
    assert entry.title == 'Kota Hujan: "Live" ✨'
    assert entry.uid == written.relative_to(site / "content").with_suffix("").as_posix()
    assert entry.status == "draft"


def test_new_translation_shares_the_slug(tmp_path: Path) -> None:
    site = tmp_path / "s"
    invoke("init", str(site))
    invoke("new", "page", "Press", "--site", str(site))
    code, output = invoke("new", "page", "Press", "--lang", "id", "--site", str(site))
    assert code == 0, output
    assert (site / "content/pages/press.id.md").is_file()
    entries = {e.lang: e for e in load_content(load_config(site).content) if e.slug == "press"}
    assert set(entries) == {"en", "id"}
    assert entries["id"].uid == "pages/press.id"


def test_new_refuses_unknown_language_and_existing_file(tmp_path: Path) -> None:
    site = tmp_path / "s"
    invoke("init", str(site))
    code, output = invoke("new", "news", "X", "--lang", "fr", "--site", str(site))
    assert code == 2 and '"fr" is not one of LANGUAGES' in output
    invoke("new", "page", "Same", "--site", str(site))
    code, output = invoke("new", "page", "Same", "--site", str(site))
    assert code == 1 and "already exists" in output


def test_demo_build_writes_every_page_in_both_languages(demo_dev: Path) -> None:
    site = load_content(load_config(ROOT).content)
    assert (demo_dev / "index.html").is_file()
    published = [e for e in site.entries if e.status == "published"]
    assert len(published) >= 25
    for entry in published:
        section = {"news": "news/", "album": "albums/", "tour": "tours/", "page": ""}.get(
            entry.kind, "galleries/"
        )
        prefix = "" if entry.lang == "en" else f"{entry.lang}/"
        page = demo_dev / f"{prefix}{section}{entry.slug}/index.html"
        assert page.is_file(), entry.source_path
        assert entry.title.replace('"', "&#34;") in page.read_text() or entry.title in (
            page.read_text()
        ), entry.source_path
    translated = [e for e in published if e.lang == "id"]
    assert {e.kind for e in translated} >= {"news", "page"} and len(translated) >= 4
    draft = next(e for e in site.entries if e.status == "draft")
    assert not (demo_dev / f"news/{draft.slug}/index.html").exists()


def test_demo_publish_build_does_not_write_drafts(demo_publish: Path) -> None:
    assert not (demo_publish / "drafts").exists()
    assert (demo_publish / "index.html").is_file()


def test_build_cli_reports_counts(tmp_path: Path) -> None:
    code, output = invoke("build", "--site", str(ROOT), "--output", str(tmp_path / "o"))
    assert code == 0, output
    match = re.search(
        r"Built (\d+) entries \((\d+) news posts, (\d+) albums, (\d+) tours, (\d+) galleries, "
        r"(\d+) pages\) into .* \((\d+) HTML pages\)",
        output,
    )
    assert match, output
    total, news, albums, tours, galleries, pages, html = (int(n) for n in match.groups())
    assert total == news + albums + tours + galleries + pages and total >= 27 and html >= 40
    assert galleries >= 2
    assert re.search(r"Images: \d+ resized, \d+ unchanged", output), output
    assert "Building Suara Senja (development settings)..." in output  # the site's name
    assert "Processed" not in output  # Pelican's own count (albums and tours as "articles")


def test_new_ep_and_single_are_albums_of_that_type(tmp_path: Path) -> None:
    site = tmp_path / "s"
    invoke("init", str(site))
    for kind in ("ep", "single"):
        code, output = invoke("new", kind, f"Hujan {kind}", "--site", str(site))
        assert code == 0, output
        written = Path(output.split("Wrote ", 1)[1].strip())
        assert written.parent.name == "albums"
        assert f'release_type: "{kind}"' in written.read_text()
    entries = {e.title: e for e in load_content(load_config(site).content)}
    assert entries["Hujan ep"].release_type == "ep"
    assert entries["Hujan single"].release_type == "single"


def test_init_stubs_the_artist_and_gives_every_example_a_uid(tmp_path: Path) -> None:
    site = tmp_path / "s"
    invoke("init", str(site), "--name", "Lintang Timur")
    settings = load_config(site).settings
    assert settings.artist_bio and settings.artist_bio.startswith("Lintang Timur")
    assert settings.artist_image == "images/artist.jpg"
    assert (site / "content/images/artist.jpg").is_file() and settings.artist_image_alt
    entries = load_content(load_config(site).content)
    assert sorted(e.uid for e in entries) == [
        "album-first-album",
        "news-hello",
        "page-about",
        "tour-first-tour",
    ]
    assert all("uid" in e.key_lines for e in entries)


def test_serve_rebuilds_when_content_changes(tmp_path: Path) -> None:
    """A real `fanpage serve` process over loopback; synchronised on its own output lines."""
    site = tmp_path / "s"
    invoke("init", str(site))
    process = subprocess.Popen(
        [*FANPAGE, "serve", "--site", str(site), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    try:
        url = _wait_for(process, r"on (http://127\.0\.0\.1:\d+/)").group(1)
        about = urllib.request.urlopen(url + "about/", timeout=10).read().decode()
        assert "Who you are" in about
        page = site / "content/pages/about.md"
        page.write_text(page.read_text().replace("Who you are", "We are the changed band"))
        _wait_for(process, r"Rebuilt in [0-9.]+ s \(only the edited text: 1 file\)")
        about = urllib.request.urlopen(url + "about/", timeout=10).read().decode()
        assert "We are the changed band" in about
        page.write_text("---\ntitle: [broken\n---\n")
        _wait_for(process, r"content/pages/about\.md:2: malformed YAML")
        _wait_for(process, r"still serving the last good build")
        assert "We are the changed band" in urllib.request.urlopen(url + "about/").read().decode()
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(process: subprocess.Popen, pattern: str, timeout: float = 60) -> re.Match:
    """The first line of the process's stderr matching ``pattern``; fails after ``timeout``."""
    assert process.stderr is not None
    fd = process.stderr.fileno()
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    pending = getattr(process, "_pending", b"")
    while True:
        while b"\n" in pending:
            raw, pending = pending.split(b"\n", 1)
            line = raw.decode("utf-8", "replace")
            seen.append(line)
            match = re.search(pattern, line)
            if match:
                process._pending = pending  # type: ignore[attr-defined]
                return match
        left = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(left, 0))
        chunk = os.read(fd, 65536) if ready else b""
        if not chunk:
            reason = "timed out" if not ready else "the process ended"
            raise AssertionError(f"{pattern!r} never printed ({reason}); got: {seen}")
        pending += chunk


def test_bad_content_exit_status_and_no_traceback_in_a_real_process(
    make_site: Callable[..., Path],
) -> None:
    site = make_site(
        {
            "tours/2026.md": "---\ntitle: T\nshows:\n  - date: 2026-13-01\n    venue: V"
            "\n    city: C\n    country: ID\n---\n"
        }
    )
    result = subprocess.run(
        [*FANPAGE, "build", "--site", str(site)], capture_output=True, text=True, cwd=site
    )
    assert result.returncode == 1
    assert 'content/tours/2026.md:4: show date "2026-13-01" is not a valid date' in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
