"""Atom 1.0 and RSS 2.0 feeds with feedgen, as a pure function of feed items.

Ids are the entries' uid-derived ids (RSS ``guid isPermaLink="false"``); the feed's ``updated``
and RSS ``lastBuildDate`` are the newest item's, never the build time, so the same content gives
the same bytes. Images go out as Media RSS ``media:content``/``media:thumbnail`` (a gallery's
photos as one ``media:group``, each with its alt text as ``media:description`` and its credit),
track previews as enclosures (Atom ``link rel="enclosure"``; RSS allows one ``enclosure``, the
others are ``media:content``).

Every text goes in through :func:`fanpage.feeds.fields.field_text`, once per format: the same
summary is text in Atom's ``summary`` and HTML-escaped in RSS's ``description``, which readers
render as HTML; RSS plain-text elements get the RSS Profile's character references.
"""

from __future__ import annotations

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from fanpage.feeds.fields import Html, field_text, rss_character_data
from fanpage.feeds.items import FeedItem
from fanpage.feeds.locations import MIME_TYPES
from fanpage.feeds.options import FeedSite
from fanpage.feeds.pictures import FeedPhoto
from fanpage.feeds.spec import EPOCH, FeedSpec, description

GENERATOR = "fanpage"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
MEDIA_NS = "http://search.yahoo.com/mrss/"
LINK_ATTRIBUTES: tuple[str, ...] = ("href", "rel", "type", "hreflang", "title", "length")


class AtomLinks(BaseEntryExtension):
    """Writes an Atom entry's ``link`` elements with their attributes.

    feedgen 1.0.0 drops ``rel``, ``type`` and ``length`` of entry links (it reads them from the
    new element instead of the link data), which would turn enclosures into extra alternates.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        for old in entry.findall("link"):
            entry.remove(old)
        for link in self.links:
            attributes = {k: link[k] for k in LINK_ATTRIBUTES if link.get(k)}
            etree.SubElement(entry, "link", attributes)
        return entry


class RssText(BaseEntryExtension):
    """Writes an RSS item's text elements in their RSS form.

    feedgen fills RSS ``title``, ``description``, ``content:encoded`` and ``category`` from
    the values given for Atom; where a field's form differs between the formats (a summary is
    text in Atom, HTML in RSS) this sets the RSS one.
    """

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}  # element name (Clark notation) -> text
        self.categories: list[str] = []

    def extend_rss(self, entry: etree._Element) -> etree._Element:
        for name, text in self.texts.items():
            element = entry.find(name)
            if element is not None:
                element.text = text
        for element, text in zip(entry.findall("category"), self.categories, strict=True):
            element.text = text
        return entry


class MediaGroup(BaseEntryExtension):
    """Writes a gallery's photos as one ``media:group``: a ``media:content`` per photo (its
    derived JPEG, with type and size) holding its alt text (``media:description``), its credit
    (``media:credit``) and its square ``media:thumbnail``.

    feedgen's media extension writes ``media:content`` attributes only, not these elements.
    """

    def __init__(self) -> None:
        self.photos: tuple[FeedPhoto, ...] = ()

    def _extend(self, entry: etree._Element, fmt: str) -> etree._Element:
        if not self.photos:
            return entry
        group = etree.SubElement(entry, f"{{{MEDIA_NS}}}group")
        for photo in self.photos:
            attributes = {"url": photo.url, "medium": "image", "type": photo.mime}
            if photo.width and photo.height:
                attributes.update(width=str(photo.width), height=str(photo.height))
            content = etree.SubElement(group, f"{{{MEDIA_NS}}}content", attributes)
            description = etree.SubElement(content, f"{{{MEDIA_NS}}}description")
            description.text = field_text(fmt, "media:description", photo.alt)
            if photo.credit:
                credit = etree.SubElement(content, f"{{{MEDIA_NS}}}credit")
                credit.text = field_text(fmt, "media:credit", photo.credit)
            if photo.thumbnail:
                thumbnail = {"url": photo.thumbnail}
                if photo.thumbnail_width and photo.thumbnail_height:
                    thumbnail.update(
                        width=str(photo.thumbnail_width), height=str(photo.thumbnail_height)
                    )
                etree.SubElement(content, f"{{{MEDIA_NS}}}thumbnail", thumbnail)
        return entry

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        return self._extend(entry, "atom")

    def extend_rss(self, entry: etree._Element) -> etree._Element:
        return self._extend(entry, "rss")


def feed_entry(item: FeedItem) -> FeedEntry:
    """One feedgen entry, reusable in every feed the item belongs to."""
    entry = FeedEntry()
    entry.load_extension("media", atom=True, rss=True)
    entry.load_extension("dc", atom=False, rss=True)
    entry.register_extension("atom_links", AtomLinks, atom=True, rss=False)
    entry.register_extension("rss_text", RssText, atom=False, rss=True)
    entry.register_extension("media_group", MediaGroup, atom=True, rss=True)
    entry.id(item.id)  # also the RSS guid, isPermaLink="false"
    entry.title(field_text("atom", "title", item.title))
    entry.link(href=item.url, rel="alternate", type="text/html", hreflang=item.lang)
    entry.published(item.published)
    entry.updated(item.updated)
    entry.author({"name": item.author})
    entry.dc.dc_creator(item.author)
    entry.content(field_text("atom", "content", Html(item.content_html)), type="html")
    entry.summary(field_text("atom", "summary", item.summary))
    for tag in item.tags:
        entry.category(term=field_text("atom", "category", tag))
    entry.rss_text.texts = {
        "title": field_text("rss", "title", item.title),
        CONTENT_ENCODED: field_text("rss", "content:encoded", Html(item.content_html)),
    }
    if item.summary:  # feedgen's RSS description (without one, it holds the content)
        entry.rss_text.texts["description"] = field_text("rss", "description", item.summary)
    entry.rss_text.categories = [field_text("rss", "category", tag) for tag in item.tags]
    media = []
    if item.image:
        size = (
            {"width": str(item.image_width), "height": str(item.image_height)}
            if item.image_width and item.image_height
            else {}
        )
        if item.image not in {photo.url for photo in item.photos}:  # else in the group
            media.append({"url": item.image, "medium": "image", "type": item.image_mime, **size})
        entry.media.thumbnail({"url": item.image, **size}, group=None)
    entry.media_group.photos = item.photos
    # feedgen's RSS enclosure is the last enclosure link: add them last to first.
    for attachment in reversed(item.attachments):
        link = {"href": attachment.url, "rel": "enclosure", "type": attachment.mime}
        link["title"] = field_text("atom", "link title", attachment.title)
        link["length"] = str(attachment.size or 0)  # RSS requires it; 0 when unknown
        entry.link(link)
    for attachment in item.attachments:
        media_content = {"url": attachment.url, "medium": "audio", "type": attachment.mime}
        if attachment.size is not None:
            media_content["fileSize"] = str(attachment.size)
        media.append(media_content)
    if media:
        entry.media.content(media, group=None)
    links = entry.link()
    entry.atom_links.links = [link for link in links if link.get("rel") != "enclosure"] + [
        link for link in reversed(links) if link.get("rel") == "enclosure"
    ]
    return entry


def render_atom_rss(
    spec: FeedSpec,
    items: list[FeedItem],
    site: FeedSite,
    entries: dict[str, FeedEntry] | None = None,
) -> tuple[bytes, bytes]:
    """(Atom, RSS) bytes of ``items`` (already selected and ordered, newest first).

    ``entries`` caches feedgen entries by item id across feeds of one build.
    """
    cache = entries if entries is not None else {}
    gen = FeedGenerator()
    gen.load_extension("media", atom=True, rss=True)
    gen.load_extension("dc", atom=False, rss=True)
    gen.id(spec.id)
    gen.author({"name": site.artist, "uri": site.url("")})
    gen.language(spec.lang)
    gen.generator(GENERATOR)
    gen.updated(max((item.updated for item in items), default=EPOCH))
    if site.logo_url:
        gen.logo(site.logo_url)
    for item in items:
        entry = cache.get(item.id)
        if entry is None:
            entry = cache[item.id] = feed_entry(item)
        gen.add_entry(entry, order="append")
    atom = _for_format(gen, spec, site, "atom").atom_str(pretty=True)
    rss = _for_format(gen, spec, site, "rss").rss_str(pretty=True)
    if site.hub:
        rss = _add_rss_hub(rss, site.hub)
    return atom, rss_character_data(rss)


def _for_format(gen: FeedGenerator, spec: FeedSpec, site: FeedSite, fmt: str) -> FeedGenerator:
    """The feed's title and description through :func:`field_text` for ``fmt`` (feedgen keeps
    one of each for both formats), and its links: the home page, ``rel="self"`` (this file) and
    the hub."""
    title, about = (
        ("title", "subtitle") if fmt == "atom" else ("channel title", "channel description")
    )
    gen.title(field_text(fmt, title, spec.title))
    gen.subtitle(field_text(fmt, about, description(site, spec.lang)))  # also RSS description
    links = [{"href": site.url(spec.path(fmt)), "rel": "self", "type": MIME_TYPES[fmt]}]
    if site.hub:
        links.append({"href": site.hub, "rel": "hub"})
    # feedgen's RSS <link> is the last link given: the home page.
    links.append({"href": spec.home, "rel": "alternate", "type": "text/html"})
    gen.link(links, replace=True)
    return gen


def _add_rss_hub(rss: bytes, hub: str) -> bytes:
    """feedgen writes only the self link into RSS; WebSub subscribers also look for the hub."""
    root = etree.fromstring(rss)
    channel = root.find("channel")
    link = etree.Element("{http://www.w3.org/2005/Atom}link", href=hub, rel="hub")
    selfs = channel.findall("{http://www.w3.org/2005/Atom}link")
    (selfs[-1] if selfs else channel.find("description")).addnext(link)
    return etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=True)
