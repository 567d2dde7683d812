"""Every Atom and RSS feed the demo writes: schema-valid, the right items, stable ids, media."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from fanpage.config import load_config
from fanpage.content.models import SECTIONS, Album, Entry, Gallery, section_of
from fanpage.content.site import load_content
from fanpage.feeds import ids
from fanpage.feeds.locations import feed_path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT.parent / "shared" / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
SITEURL = "https://suarasenja.band"


@pytest.fixture(scope="module")
def demo_model() -> tuple[list[Entry], dict]:
    """What the demo declares: its published feed entries and its publish settings."""
    config = load_config(ROOT, publish=True)
    content = load_content(config.content)
    entries = [e for e in content.published() if section_of(e) is not None]
    return entries, config.pelican


def expected_feeds(entries: list[Entry], default_lang: str) -> dict[tuple[str, str], list[Entry]]:
    """(section, lang) -> the entries that feed must carry, newest first (limit not applied)."""
    feeds: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        for section in ("all", section_of(entry)):
            feeds.setdefault((section, entry.lang), []).append(entry)
    for members in feeds.values():
        members.sort(key=lambda e: (-e.date.timestamp(), e.uid))
    return feeds


def path_of(section: str, lang: str, fmt: str, default_lang: str) -> str:
    return feed_path(section, fmt, None if lang == default_lang else lang)


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))


@pytest.fixture(scope="module")
def rss_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "rss-2_0.xsd")))


def test_the_demo_writes_the_feeds_its_content_calls_for(demo_publish: Path, demo_model) -> None:
    entries, settings = demo_model
    default = settings["DEFAULT_LANG"]
    wanted = expected_feeds(entries, default)
    assert ("all", default) in wanted and ("all", "id") in wanted  # the demo is translated
    expected = {
        path_of(section, lang, fmt, default)
        for section, lang in wanted
        for fmt in (("atom", "rss", "json") if section == "all" else ("atom", "rss"))
    }
    written = {
        p.relative_to(demo_publish).as_posix()
        for p in [*demo_publish.glob("feeds/*.xml"), *demo_publish.glob("feed*.json")]
    }
    assert written == expected
    for section in SECTIONS:  # every section of the default language has a feed
        assert path_of(section, default, "atom", default) in written


@pytest.mark.parametrize(
    ("pattern", "schema"),
    [("feeds/*.atom.xml", "atom_schema"), ("feeds/*.rss.xml", "rss_schema")],
    ids=["atom-rfc-4287", "rss-2.0"],
)
def test_every_feed_is_schema_valid(
    demo_publish: Path, request: pytest.FixtureRequest, pattern: str, schema: str
) -> None:
    validator = request.getfixturevalue(schema)
    feeds = sorted(demo_publish.glob(pattern))
    assert len(feeds) >= 5
    for path in feeds:
        document = etree.parse(str(path))
        assert validator.validate(document), f"{path.name}: {validator.error_log}"


def test_the_validators_do_reject_broken_feeds(demo_publish: Path, atom_schema, rss_schema):
    atom = etree.parse(str(demo_publish / "feeds/all.atom.xml"))
    atom.getroot().remove(atom.getroot().find(f"{ATOM}id"))
    assert not atom_schema.validate(atom)
    rss = etree.parse(str(demo_publish / "feeds/all.rss.xml"))
    item = rss.getroot().find("channel/item")
    etree.SubElement(item, "enclosure", url="x")  # no length, no type
    assert not rss_schema.validate(rss)


def test_items_ids_and_order_come_from_the_model(demo_publish: Path, demo_model) -> None:
    entries, settings = demo_model
    default, limit = settings["DEFAULT_LANG"], settings["FEED_MAX_ITEMS"]
    for (section, lang), members in expected_feeds(entries, default).items():
        want = [ids.entry_id(e.uid) for e in members[:limit]]
        atom = etree.parse(str(demo_publish / path_of(section, lang, "atom", default)))
        assert [e.findtext(f"{ATOM}id") for e in atom.iter(f"{ATOM}entry")] == want
        rss = etree.parse(str(demo_publish / path_of(section, lang, "rss", default)))
        guids = rss.getroot().findall("channel/item/guid")
        assert [g.text for g in guids] == want
        assert {g.get("isPermaLink") for g in guids} == {"false"}
        newest = max((e.modified or e.date) for e in members[:limit])
        assert atom.getroot().findtext(f"{ATOM}updated") == newest.isoformat()


def test_atom_entries_carry_links_content_and_summary(demo_publish: Path, demo_model) -> None:
    entries, _ = demo_model
    by_id = {ids.entry_id(e.uid): e for e in entries}
    atom = etree.parse(str(demo_publish / "feeds/all.atom.xml")).getroot()
    self_link = atom.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{SITEURL}/feeds/all.atom.xml"
    for node in atom.iter(f"{ATOM}entry"):
        entry = by_id[node.findtext(f"{ATOM}id")]
        assert node.findtext(f"{ATOM}title") == entry.title
        alternate = node.find(f"{ATOM}link[@rel='alternate']")
        assert alternate.get("href").startswith(f"{SITEURL}/") and entry.slug in alternate.get(
            "href"
        )
        content = node.find(f"{ATOM}content")
        assert content.get("type") == "html" and content.text
        html = etree.HTML(content.text)
        for attr in ("href", "src"):
            for value in html.xpath(f"//@{attr}"):
                assert value.startswith(("https://", "http://", "mailto:", "#")), value
        assert node.findtext(f"{ATOM}summary")
        assert node.findtext(f"{ATOM}author/{ATOM}name") == "Suara Senja"
        assert [c.get("term") for c in node.findall(f"{ATOM}category")] == list(entry.tags)
        if entry.share_image:  # its derived JPEG, with its size (the original is unpublished)
            thumb = node.find(f"{MEDIA}thumbnail")
            path = thumb.get("url").removeprefix(f"{SITEURL}/")
            stem = entry.share_image.rsplit(".", 1)[0]
            assert path.startswith(f"{stem}-") and path.endswith(".jpg"), path
            with Image.open(demo_publish / path) as image:
                assert image.size == (int(thumb.get("width")), int(thumb.get("height")))
            assert not (demo_publish / entry.share_image).exists()


def test_album_items_carry_tracklist_links_and_previews(demo_publish: Path, demo_model) -> None:
    entries, _ = demo_model
    albums = [e for e in entries if isinstance(e, Album) and e.lang == "en"]
    rss = etree.parse(str(demo_publish / "feeds/albums.rss.xml")).getroot()
    atom = etree.parse(str(demo_publish / "feeds/albums.atom.xml")).getroot()
    items = {i.findtext("guid"): i for i in rss.iter("item")}
    entries_atom = {e.findtext(f"{ATOM}id"): e for e in atom.iter(f"{ATOM}entry")}
    content_tag = "{http://purl.org/rss/1.0/modules/content/}encoded"
    with_previews = 0
    for album in albums:
        item = items[ids.entry_id(album.uid)]
        html = item.findtext(content_tag)
        for track in album.tracks:
            assert f"{track.title} ({track.duration})" in html.replace("&amp;", "&")
        for link in album.links:
            assert link.url.replace("&", "&amp;") in html
        previews = [t for t in album.tracks if t.preview]
        enclosures = entries_atom[ids.entry_id(album.uid)].findall(f"{ATOM}link[@rel='enclosure']")
        assert len(enclosures) == len(previews)
        if previews:
            with_previews += 1
            first = previews[0]
            (enclosure,) = item.findall("enclosure")
            assert enclosure.get("url") == f"{SITEURL}/{first.preview}"
            size = (ROOT / "content" / first.preview).stat().st_size
            assert enclosure.get("length") == str(size)
            assert enclosure.get("type").startswith("audio/")
            assert enclosures[0].get("length") == str(size)
    assert with_previews >= 1  # the demo has previews: the enclosure path is exercised


def test_gallery_items_carry_every_photo_in_a_media_group(demo_publish: Path, demo_model) -> None:
    entries, settings = demo_model
    galleries = [e for e in entries if isinstance(e, Gallery)]
    assert galleries
    for gallery in galleries:
        lang = None if gallery.lang == settings["DEFAULT_LANG"] else gallery.lang
        for fmt in ("rss", "atom"):
            root = etree.parse(str(demo_publish / feed_path("galleries", fmt, lang))).getroot()
            if fmt == "rss":
                items = {i.findtext("guid"): i for i in root.iter("item")}
            else:
                items = {e.findtext(f"{ATOM}id"): e for e in root.iter(f"{ATOM}entry")}
            [group] = items[ids.entry_id(gallery.uid)].findall(f"{MEDIA}group")
            contents = group.findall(f"{MEDIA}content")
            assert [c.findtext(f"{MEDIA}description") for c in contents] == [
                p.alt for p in gallery.photos
            ]
            assert [c.findtext(f"{MEDIA}credit") for c in contents] == [
                p.credit for p in gallery.photos
            ]
            for content in contents:
                assert content.get("medium") == "image" and content.get("type") == "image/jpeg"
                path = content.get("url").removeprefix(f"{SITEURL}/")
                with Image.open(demo_publish / path) as image:
                    assert image.size == (int(content.get("width")), int(content.get("height")))
