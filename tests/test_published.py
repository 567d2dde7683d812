"""``build_site`` hands back what it published: the one model, its public URL, its rendered
text and the image its preview shows, for every published entry in every language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from fanpage.content.models import Album, Page, Tour
from fanpage.engine.build import CheckedSite, build_site

SITEURL = "https://suarasenja.band"


def test_every_published_entry_of_the_demo_once(demo_publish_build: CheckedSite) -> None:
    checked = demo_publish_build
    published = checked.published
    expected = sorted(e.uid for e in checked.content.entries if e.status == "published")
    assert sorted(p.entry.uid for p in published) == expected
    assert {p.entry.lang for p in published} == {"en", "id"}
    assert all(p.entry.status == "published" for p in published)  # the draft is not there


def test_paths_urls_and_bodies_are_those_of_the_written_pages(
    demo_publish_build: CheckedSite,
) -> None:
    out = demo_publish_build.settings.output_dir
    for item in demo_publish_build.published:
        assert item.url == f"{SITEURL}/{item.path}"
        page = BeautifulSoup((out / item.path / "index.html").read_text(), "html.parser")
        assert page.find("link", rel="canonical")["href"] == item.url
        if item.entry.body.strip():
            assert item.html.strip() and item.html in (out / item.path / "index.html").read_text()


def test_share_images_are_the_ones_previews_show(demo_publish_build: CheckedSite) -> None:
    out = demo_publish_build.settings.output_dir
    for item in demo_publish_build.published:
        page = BeautifulSoup((out / item.path / "index.html").read_text(), "html.parser")
        og_image = page.find("meta", property="og:image")["content"]
        og_alt = page.find("meta", property="og:image:alt")["content"]
        assert item.image_url == og_image
        assert og_image == f"{SITEURL}/{item.image}"
        assert (out / item.image).is_file()
        assert item.image_alt == og_alt
        entry = item.entry
        if entry.share_image:  # its own image, the album's cover or the tour's poster
            assert item.image == entry.share_image
            assert item.image_alt == entry.share_image_alt
        else:  # the drawn share card
            assert item.image.startswith("images/cards/") and item.image.endswith(".png")
    kinds = {type(p.entry) for p in demo_publish_build.published if p.entry.share_image}
    assert {Album, Tour} <= kinds
    pages = [p for p in demo_publish_build.published if isinstance(p.entry, Page)]
    assert any(not p.entry.share_image for p in pages)  # some get a card


def test_translations_name_each_other(demo_publish_build: CheckedSite) -> None:
    published = demo_publish_build.published
    by_uid = {p.entry.uid: p for p in published}
    assert by_uid["pages/about"].translation_uids == ("pages/about.id",)
    assert by_uid["pages/about.id"].translation_uids == ("pages/about",)
    assert by_uid["pages/about.id"].path == "id/about/"
    for item in published:
        versions = {
            o.entry.uid
            for o in published
            if o is not item and (o.entry.kind, o.entry.slug) == (item.entry.kind, item.entry.slug)
        }
        assert set(item.translation_uids) == versions, item.entry.uid


def test_drafts_and_hidden_entries_are_not_published(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site = make_site(
        {
            "news/a.md": "---\ntitle: Shown\ndate: 2026-01-01\n---\nA.\n",
            "news/b.md": "---\ntitle: Hidden\ndate: 2026-01-02\nstatus: hidden\n---\nB.\n",
            "news/c.md": "---\ntitle: Draft\ndate: 2026-01-03\nstatus: draft\n---\nC.\n",
            "pages/p.md": "---\ntitle: Hidden page\nstatus: hidden\n---\nP.\n",
        },
        siteurl="https://band.example",
    )
    checked = build_site(site, publish=True, output=tmp_path / "out")
    assert [p.entry.uid for p in checked.published] == ["news/a"]
    [item] = checked.published
    assert (item.path, item.url) == ("news/a/", "https://band.example/news/a/")
    assert item.html == "<p>A.</p>"
    assert item.image == "images/cards/news-a.png" and item.image_alt == "Shown — Test Band"


def test_a_development_build_has_root_relative_urls(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site = make_site({"news/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\nA.\n"})
    [item] = build_site(site, output=tmp_path / "out").published
    assert item.url == "/news/a/"
    assert item.image is None and item.image_url is None  # no cards without SITEURL
