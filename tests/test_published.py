"""``build_site`` hands back what it published: the one model, its public URL, its rendered
text and the image its preview shows, for every published entry in every language."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bs4 import BeautifulSoup

from fanpage.content.models import Album, Gallery, NewsPost, Page, Photo, Tour
from fanpage.content.published import PublishedEntry
from fanpage.engine.build import CheckedSite, build_site
from fanpage.engine.published import with_photos
from fanpage.media.plan import Recipe, Rendition, file_digest, plan_rendition
from fanpage.settings import Settings
from tests.servers.photos import write_photo

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
            # ... as the build published it: a derived JPEG, never the original
            stem = Path(entry.share_image).with_suffix("").as_posix()
            assert re.fullmatch(rf"{re.escape(stem)}-[0-9a-f]{{8}}-\d+\.jpg", item.image)
            assert item.image_alt == entry.share_image_alt
        elif entry.videos:  # its video's poster, derived the same way
            assert re.fullmatch(r".+-[0-9a-f]{8}-\d+\.jpg", item.image)
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


class Planned:
    """The part of a build's media plan ``with_photos`` reads: real renditions by source."""

    def __init__(self, content: Path, sources: list[str]) -> None:
        recipe = Recipe(formats=("image/webp", "image/jpeg"))
        self.renditions = {
            src: plan_rendition(src, content / src, recipe, file_digest(content / src))
            for src in sources
        }

    def get(self, source: str) -> Rendition | None:
        return self.renditions.get(source)


def test_with_photos_hands_over_a_gallerys_first_four_derived_photos(tmp_path: Path) -> None:
    content, output = tmp_path / "content", tmp_path / "output"
    sources = [f"images/shows/jakarta/{n:02d}.jpg" for n in range(1, 7)]
    for number, src in enumerate(sources, start=1):
        write_photo(content / src, (2400, 1600), seed=number)
    write_photo(content / "images/cover.jpg", (1200, 1200), orientation=1)
    media = Planned(content, [*sources[:5], "images/cover.jpg"])  # the sixth: not planned
    when = datetime(2026, 12, 13, tzinfo=UTC)
    gallery = Gallery(
        uid="g",
        title="Jakarta",
        slug="jakarta",
        lang="en",
        date=when,
        source_path="content/galleries/jakarta.md",
        photos=tuple(Photo(src, f"Photo {n}") for n, src in enumerate(sources, start=1)),
    )
    news = NewsPost(
        uid="n",
        title="News",
        slug="news",
        lang="en",
        date=when,
        source_path="content/news/n.md",
        image="images/cover.jpg",
    )
    settings = Settings.__new__(Settings)
    object.__setattr__(settings, "siteurl", SITEURL)
    published = [
        PublishedEntry(
            gallery,
            "galleries/jakarta/",
            f"{SITEURL}/galleries/jakarta/",
            "",
            image=sources[0],
            image_alt="Photo 1",
        ),
        PublishedEntry(
            news,
            "news/news/",
            f"{SITEURL}/news/news/",
            "",
            image="images/cover.jpg",
            image_alt="Cover",
        ),
        PublishedEntry(
            news,
            "news/card/",
            f"{SITEURL}/news/card/",
            "",
            image="images/cards/n.png",
            image_url=f"{SITEURL}/images/cards/n.png",
        ),
    ]
    item, with_cover, with_card = with_photos(published, media, settings, output)

    assert [p.alt for p in item.photos] == ["Photo 1", "Photo 2", "Photo 3", "Photo 4"]
    for photo, src in zip(item.photos, sources, strict=False):
        variant = media.get(src).widest("image/jpeg")
        assert photo.file == output.resolve() / variant.path  # the derived JPEG, 1600 wide
        assert variant.width == 1600 and variant.path.endswith("-1600.jpg")
        assert photo.url == f"{SITEURL}/{variant.path}"
    # The share image is a derived file too, never the original under content/.
    assert item.image == media.get(sources[0]).fallback.path
    assert item.image_url == f"{SITEURL}/{item.image}"
    assert with_cover.image == media.get("images/cover.jpg").fallback.path
    assert with_cover.photos == ()
    assert with_card == published[2]  # a drawn card is left as it is


def test_the_demo_galleries_hand_over_their_first_photos_as_published(
    demo_publish_build: CheckedSite,
) -> None:
    from tests.servers.photos import private_metadata

    out = demo_publish_build.settings.output_dir.resolve()
    galleries = [p for p in demo_publish_build.published if isinstance(p.entry, Gallery)]
    assert galleries
    for item in galleries:
        expected = item.entry.photos[:4]
        assert [p.alt for p in item.photos] == [p.alt for p in expected]
        for photo, source in zip(item.photos, expected, strict=True):
            assert photo.file.is_relative_to(out) and photo.file.is_file()
            assert photo.file.suffix == ".jpg" and photo.file.name != Path(source.src).name
            assert photo.url == f"{SITEURL}/{photo.file.relative_to(out).as_posix()}"
            assert private_metadata(photo.file.read_bytes()) == []
