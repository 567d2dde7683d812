"""Rebuilds in one process (the ``fanpage serve`` path): an edit of text renders only what it
affects, and what it writes is exactly what a full build of the same content writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanpage.content.problems import ContentError
from fanpage.engine.build import build_site
from fanpage.engine.incremental import SiteBuilder

POST = "content/news/2026-11-15-jakarta-thank-you.md"  # in every English feed
TRANSLATION = "content/news/2026-11-15-jakarta-thank-you.id.md"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def site(demo_copy: Path) -> Path:
    return demo_copy


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_an_edit_of_text_writes_its_page_and_feeds_exactly_as_a_full_build(
    site: Path, tmp_path: Path
) -> None:
    builder = SiteBuilder(site, publish=True, output=tmp_path / "served")  # feeds on
    assert builder.build().quick is False
    append(site / POST, "\nOne more paragraph, written after the show.\n")
    append(site / TRANSLATION, "\nSatu paragraf lagi.\n")
    # Text whose first paragraph feeds the page's description, and an album and a tour.
    about = site / "content/pages/about.md"
    about.write_text(about.read_text().replace("\n---\n", "\n---\nA new first line.\n\n", 1))
    append(site / "content/albums/gelombang.md", "\nLiner notes, added later.\n")
    append(site / "content/tours/gelombang-world-tour.md", "\nDoors are earlier in Tokyo.\n")
    result = builder.build()
    assert result.quick is True
    assert set(result.written) >= {
        "news/jakarta-thank-you/index.html",
        "id/news/jakarta-thank-you/index.html",
        "feeds/all.atom.xml",
        "feeds/news.rss.xml",
        "feed.json",
        "feeds/all-id.atom.xml",
    }
    assert not any(path.endswith(".ics") for path in result.written)  # calendars: no text
    assert "albums/gelombang/index.html" in result.written
    assert "albums/kota-hujan/index.html" not in result.written
    build_site(site, publish=True, output=tmp_path / "full")
    served, full = tree(tmp_path / "served"), tree(tmp_path / "full")
    assert b"One more paragraph, written after the show." in served["feeds/all.atom.xml"]
    assert served == full


def test_a_change_of_front_matter_builds_everything(site: Path, tmp_path: Path) -> None:
    builder = SiteBuilder(site, output=tmp_path / "served")
    builder.build()
    post = site / POST
    post.write_text(post.read_text(encoding="utf-8").replace("title:", "title: New", 1))
    result = builder.build()
    assert result.quick is False
    home = (tmp_path / "served" / "index.html").read_text(encoding="utf-8")
    assert ">New" in home  # the home page lists the renamed post


def test_a_broken_edit_fails_and_the_next_good_one_builds_in_full(
    site: Path, tmp_path: Path
) -> None:
    builder = SiteBuilder(site, output=tmp_path / "served")
    builder.build()
    post = site / POST
    good = post.read_text(encoding="utf-8")
    post.write_text(good + "\nSee [the gig]({filename}missing.md).\n", encoding="utf-8")
    result = builder.build()  # a broken link is a warning: a full build reports it
    assert result.quick is False
    assert any("points to no file" in str(p) for p in result.checked.problems.warnings)
    post.write_text(good.replace("date:", "date: 2026-13-45 #", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"2026-11-15-jakarta-thank-you\.md:3"):
        builder.build()
    post.write_text(good + "\nFixed.\n", encoding="utf-8")
    assert builder.build().quick is False  # nothing is reused from a failed build
    assert "Fixed." in (tmp_path / "served/news/jakarta-thank-you/index.html").read_text()


def test_a_new_file_builds_everything(site: Path, tmp_path: Path) -> None:
    builder = SiteBuilder(site, output=tmp_path / "served")
    builder.build()
    (site / "content/news/2026-11-25-extra.md").write_text(
        "---\ntitle: Extra show\ndate: 2026-11-25\n---\nOne more.\n", encoding="utf-8"
    )
    assert builder.build().quick is False
    assert (tmp_path / "served/news/extra/index.html").is_file()
