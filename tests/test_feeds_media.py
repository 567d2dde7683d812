"""Galleries and videos in the feeds, from a real build of the small site of
``test_metadata_media``: Media RSS groups with alt texts, JSON Feed attachments, photos in the
item HTML, a galleries feed in both languages; every feed schema-valid and every image a
derived file the build wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from lxml import etree
from test_metadata_media import PICTURES, SITEURL, build_media_site, missing, renditions

from fanpage.engine.build import CheckedSite
from fanpage.feeds import ids
from fanpage.i18n import translate
from fanpage.media.plan import JPEG, Rendition

SCHEMAS = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
GALLERY_ID = ids.entry_id("galleries/jakarta")
PHOTOS = ("images/shows/jakarta/01.jpg", "images/shows/jakarta/02.jpg")
ALTS = ("The singer under blue light", 'The crowd & "the" stage')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> CheckedSite:
    return build_media_site(tmp_path_factory.mktemp("feeds-media-site"))


@pytest.fixture(scope="module")
def out(built: CheckedSite) -> Path:
    return built.settings.output_dir


@pytest.fixture(scope="module")
def derived(built: CheckedSite) -> dict[str, Rendition]:
    return renditions(built)


def preview(rendition: Rendition) -> str:
    return f"{SITEURL}/{rendition.widest(JPEG, at_most=1200).path}"


def expected_photos(derived: dict[str, Rendition]) -> list[dict[str, str | None]]:
    """What the feeds must say about each photo of the gallery."""
    found = []
    for src, alt, credit in zip(PHOTOS, ALTS, ("Rina Putri", None), strict=True):
        chosen = derived[src].widest(JPEG, at_most=1200)
        found.append(
            {
                "url": f"{SITEURL}/{chosen.path}",
                "medium": "image",
                "type": "image/jpeg",
                "width": str(chosen.width),
                "height": str(chosen.height),
                "description": alt,
                "credit": credit,
                "thumbnail": f"{SITEURL}/{derived[src].thumbnail(JPEG).path}",
            }
        )
    return found


def media_group(item: etree._Element) -> list[dict[str, str | None]]:
    [group] = item.findall(f"{MEDIA}group")
    return [
        {
            **{key: content.get(key) for key in ("url", "medium", "type", "width", "height")},
            "description": content.findtext(f"{MEDIA}description"),
            "credit": content.findtext(f"{MEDIA}credit"),
            "thumbnail": content.find(f"{MEDIA}thumbnail").get("url"),
        }
        for content in group.findall(f"{MEDIA}content")
    ]


def rss_item(out: Path, name: str, guid: str) -> etree._Element:
    root = etree.parse(str(out / name)).getroot()
    return next(item for item in root.iter("item") if item.findtext("guid") == guid)


def atom_entry(out: Path, name: str, entry_id: str) -> etree._Element:
    root = etree.parse(str(out / name)).getroot()
    return next(e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == entry_id)


def test_galleries_have_a_feed_in_each_language_with_its_title(out: Path) -> None:
    for lang, suffix in (("en", ""), ("id", "-id")):
        for fmt in ("atom", "rss"):
            root = etree.parse(str(out / f"feeds/galleries{suffix}.{fmt}.xml")).getroot()
            title = (
                root.findtext(f"{ATOM}title") if fmt == "atom" else root.findtext("channel/title")
            )
            section = translate("Photos", lang)
            assert title.startswith(f"Test Band — {section}"), title
            items = root.findall(f"{ATOM}entry") if fmt == "atom" else root.findall("channel/item")
            assert len(items) == 1  # the gallery, nothing else
    assert translate("Photos", "id") == "Foto"
    for page, feed in (("galleries/", "galleries"), ("id/galleries/", "galleries-id")):
        html = (out / page / "index.html").read_text(encoding="utf-8")
        assert f'href="{SITEURL}/feeds/{feed}.atom.xml"' in html
        assert f'href="{SITEURL}/feeds/{feed}.rss.xml"' in html


@pytest.mark.parametrize("feed", ["feeds/all.rss.xml", "feeds/galleries.rss.xml"])
def test_rss_gallery_items_carry_a_media_group_with_alt_texts(out, derived, feed) -> None:
    item = rss_item(out, feed, GALLERY_ID)
    assert media_group(item) == expected_photos(derived)
    [thumbnail] = item.findall(f"{MEDIA}thumbnail")  # the item's own picture: the first photo
    assert thumbnail.get("url") == preview(derived[PHOTOS[0]])
    assert item.findall(f"{MEDIA}content") == []  # the photos are in the group, not twice
    assert item.findall("enclosure") == []


def test_atom_gallery_entries_carry_the_same_media_group(out, derived) -> None:
    entry = atom_entry(out, "feeds/galleries.atom.xml", GALLERY_ID)
    assert media_group(entry) == expected_photos(derived)
    assert entry.findall(f"{ATOM}link[@rel='enclosure']") == []


def test_gallery_item_html_lists_every_photo_with_its_alt_text(out, derived) -> None:
    item = rss_item(out, "feeds/all.rss.xml", GALLERY_ID)
    html = etree.HTML(item.findtext(CONTENT))
    images = [(img.get("src"), img.get("alt")) for img in html.iter("img")]
    assert images == [(preview(derived[src]), alt) for src, alt in zip(PHOTOS, ALTS, strict=True)]
    captions = [" ".join(c.itertext()) for c in html.iter("figcaption")]
    assert captions == ["Opening song — Rina Putri"]
    assert html.find(".//img").get("width") == "960"


def test_json_feed_gallery_item_has_image_and_attachments(out, derived) -> None:
    feed = json.loads((out / "feed.json").read_bytes())
    [item] = [i for i in feed["items"] if i["id"] == GALLERY_ID]
    assert item["image"] == preview(derived[PHOTOS[0]])
    assert item["attachments"] == [
        {"url": preview(derived[src]), "mime_type": "image/jpeg", "title": alt}
        for src, alt in zip(PHOTOS, ALTS, strict=True)
    ]
    assert feed["icon"] == f"{SITEURL}/{derived['images/artist.jpg'].thumbnail(JPEG).path}"
    translated = json.loads((out / "feed-id.json").read_bytes())
    [other] = [i for i in translated["items"] if i["id"] == ids.entry_id("galleries/jakarta.id")]
    assert [a["title"] for a in other["attachments"]] == [
        "Penyanyi di bawah cahaya biru",
        "Penonton dan panggung",
    ]


def test_video_items_link_the_video_under_its_derived_poster(out, derived) -> None:
    feed = json.loads((out / "feed.json").read_bytes())
    items = {item["id"]: item for item in feed["items"]}
    hosted = items[ids.entry_id("news/2026-10-01-arus-balik")]
    poster = preview(derived["images/posters/arus-balik.jpg"])
    assert hosted["image"] == poster
    html = etree.HTML(hosted["content_html"])
    assert [a.get("href") for a in html.iter("a")] == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    ] * 2
    assert [(i.get("src"), i.get("alt")) for i in html.iter("img")] == [
        (poster, "Arus Balik (official video)")
    ]
    local = items[ids.entry_id("news/2026-09-01-rehearsal")]
    assert "image" not in local  # no picture of its own: nothing to show but a card
    links = [a.get("href") for a in etree.HTML(local["content_html"]).iter("a")]
    assert links == [f"{SITEURL}/videos/rehearsal.mp4"]
    atom = atom_entry(out, "feeds/all.atom.xml", ids.entry_id("news/2026-10-01-arus-balik"))
    assert atom.find(f"{MEDIA}thumbnail").get("url") == poster


# -- validity and addresses ----------------------------------------------------------------------


def test_every_feed_is_valid_against_the_shared_schemas(out: Path) -> None:
    atom = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    rss = etree.XMLSchema(etree.parse(str(SCHEMAS / "rss-2_0.xsd")))
    checked = 0
    for path in sorted(out.glob("feeds/*.xml")):
        validator = atom if path.name.endswith(".atom.xml") else rss
        assert validator.validate(etree.parse(str(path))), f"{path.name}: {validator.error_log}"
        checked += 1
    assert checked == 12  # all, news, tours, galleries (+ all, galleries in Indonesian) x 2
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text())
    json_validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker()
    )
    for path in sorted(out.glob("feed*.json")):
        errors = [e.message for e in json_validator.iter_errors(json.loads(path.read_bytes()))]
        assert errors == [], f"{path.name}: {errors}"


def addresses_in_feeds(out: Path) -> list[str]:
    """Every address on the site a feed names: attributes, link texts, JSON strings, and the
    ``src``/``href`` of the HTML inside items."""
    found: list[str] = []

    def from_html(markup: str | None) -> None:
        if markup:
            tree = etree.HTML(markup)
            found.extend(v for v in tree.xpath("//@src | //@href") if v.startswith(SITEURL))

    for path in sorted(out.glob("feeds/*.xml")):
        root = etree.parse(str(path)).getroot()
        for element in root.iter():
            found.extend(v for v in element.attrib.values() if v.startswith(SITEURL))
            if element.text and element.text.strip().startswith(SITEURL):
                found.append(element.text.strip())
            if element.tag in (CONTENT, f"{ATOM}content"):
                from_html(element.text)

    def walk(value: object) -> None:
        if isinstance(value, str) and value.startswith(SITEURL):
            found.append(value)
        elif isinstance(value, dict):
            from_html(value.get("content_html"))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted(out.glob("feed*.json")):
        walk(json.loads(path.read_bytes()))
    return found


def test_no_feed_names_an_unpublished_original(out: Path) -> None:
    named = addresses_in_feeds(out)
    pictures = [address for address in named if "/images/" in address]
    assert len(pictures) > 20
    assert missing(out, named) == []
    assert not [address for address in named if any(name in address for name in PICTURES)]
