"""One feed item per published entry, built once and shared by every feed and format.

:class:`Published` is what the build knows about an entry (the model, its URL, its rendered
body); :class:`FeedItem` is everything a feed says about it, with absolute URLs.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import PurePosixPath

from fanpage.content.models import Album, Entry, Gallery, Tour, section_of
from fanpage.content.published import PublishedEntry
from fanpage.feeds import ids
from fanpage.feeds.describe import album_html, tour_html
from fanpage.feeds.html import absolutize, xml_safe
from fanpage.feeds.options import FeedSite
from fanpage.feeds.pictures import FeedPhoto, gallery_html, videos_html
from fanpage.i18n import translate
from fanpage.metadata.images import preview_source, thumbnail
from fanpage.text import clip, first_paragraph

SUMMARY_LIMIT = 300  # characters of a summary made from the first paragraph
# Fixed here rather than read from the system's mime.types, so every machine writes the same feed.
MIME_BY_SUFFIX: dict[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".wav": "audio/wav",
    ".flac": "audio/flac",
}


@dataclass(frozen=True)
class Attachment:
    url: str
    mime: str
    title: str
    size: int | None = None  # bytes, when the file is the site's own


@dataclass(frozen=True)
class FeedItem:
    id: str
    uid: str
    section: str
    lang: str
    title: str
    url: str
    content_html: str
    summary: str
    published: datetime
    updated: datetime
    modified: datetime | None
    author: str
    tags: tuple[str, ...] = ()
    image: str | None = None
    image_alt: str | None = None
    image_mime: str | None = None
    image_width: int | None = None
    image_height: int | None = None
    attachments: tuple[Attachment, ...] = ()  # audio previews: enclosures
    photos: tuple[FeedPhoto, ...] = ()  # a gallery's: Media RSS group, JSON Feed attachments

    @property
    def sort_key(self) -> tuple[float, str]:
        """Newest first, then by uid: a stable order for equal dates."""
        return (-self.published.timestamp(), self.uid)


def mime_type(path: str) -> str:
    suffix = PurePosixPath(path.split("?", 1)[0]).suffix.lower()
    return MIME_BY_SUFFIX.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def feed_item(published: PublishedEntry, site: FeedSite) -> FeedItem:
    """Everything a feed says about ``published``; its id comes from the uid alone."""
    entry = published.entry
    section = section_of(entry)  # pages (about, press kit) have none: they are not feed items
    if section is None:
        raise ValueError(f"{entry.source_path}: a {entry.kind} is not a feed item")
    page_url = site.url(published.path)
    body = absolutize(published.html, page_url)
    lead = preview_source(entry)  # the picture og:image shows, when not a drawn card
    picture = site.picture(lead[0]) if lead else None
    photos = gallery_photos(entry, site) if isinstance(entry, Gallery) else ()
    parts = []
    # Shown once: a gallery's first photo and a video's poster are shown with the photos and
    # videos below, not again on top.
    first_photo = isinstance(entry, Gallery) and entry.image is None
    if lead and picture and lead[0] == entry.share_image and not first_photo:
        alt = escape(lead[1], quote=True)
        parts.append(f'<p><img src="{escape(picture.src, quote=True)}" alt="{alt}"></p>')
    parts.append(body)
    if isinstance(entry, Album):
        parts.append(album_html(entry, entry.lang, site))
    elif isinstance(entry, Tour):
        parts.append(tour_html(entry, entry.lang))
    if photos:
        parts.append(gallery_html(photos))
    if entry.videos:
        parts.append(videos_html(entry.videos, entry.lang, site))
    content = xml_safe("".join(parts))
    summary = entry.summary or clip(first_paragraph(body), SUMMARY_LIMIT) or entry.title
    return FeedItem(
        id=ids.entry_id(entry.uid),
        uid=entry.uid,
        section=section,
        lang=entry.lang,
        title=xml_safe(entry.title),
        url=page_url,
        content_html=content,
        summary=xml_safe(summary),
        published=entry.date,
        updated=entry.modified or entry.date,
        modified=entry.modified,
        author=site.artist,
        tags=tuple(xml_safe(tag) for tag in entry.tags),
        image=picture.src if picture else None,
        image_alt=lead[1] if lead else None,
        image_mime=(picture.mime or mime_type(picture.src)) if picture else None,
        image_width=picture.width if picture else None,
        image_height=picture.height if picture else None,
        attachments=_previews(entry, site),
        photos=photos,
    )


def gallery_photos(gallery: Gallery, site: FeedSite) -> tuple[FeedPhoto, ...]:
    """Each photo as feeds show it: its derived JPEG (as ``og:image`` would), alt text,
    caption, credit and square thumbnail, with absolute URLs."""
    found = []
    for photo in gallery.photos:
        picture = site.picture(photo.src)
        square = thumbnail(site.media, photo.src)
        found.append(
            FeedPhoto(
                url=picture.src,
                mime=picture.mime or mime_type(picture.src),
                alt=xml_safe(photo.alt),
                caption=xml_safe(photo.caption) if photo.caption else None,
                credit=xml_safe(photo.credit) if photo.credit else None,
                width=picture.width,
                height=picture.height,
                thumbnail=site.url(square.src) if square else None,
                thumbnail_width=square.width if square else None,
                thumbnail_height=square.height if square else None,
            )
        )
    return tuple(found)


def _previews(entry: Entry, site: FeedSite) -> tuple[Attachment, ...]:
    if not isinstance(entry, Album):
        return ()
    found = []
    for track in entry.tracks:
        if not track.preview:
            continue
        size = None
        is_local = not track.preview.startswith(("http://", "https://"))
        if is_local and site.content_dir is not None:
            try:
                size = (site.content_dir / track.preview).stat().st_size
            except OSError:
                size = None
        title = f"{track.number}. {track.title} ({translate('Preview', entry.lang)})"
        found.append(
            Attachment(site.url(track.preview), mime_type(track.preview), xml_safe(title), size)
        )
    return tuple(found)


def select(
    items: list[FeedItem], lang: str, section: str = "all", limit: int | None = None
) -> list[FeedItem]:
    """The items of one feed: one language, one section (or all), newest first, at most limit."""
    chosen = [item for item in items if item.lang == lang and section in ("all", item.section)]
    chosen.sort(key=lambda item: item.sort_key)
    return chosen[:limit] if limit else chosen
