"""A gallery's photos and an entry's videos as feed readers see them.

Readers show only the item, never the site's pages: a gallery item carries every photo (its
derived JPEG, alt text, caption and credit) in its HTML, in a Media RSS group and as JSON Feed
attachments; a video is a link to where it plays, under its poster. URLs are absolute.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from fanpage.content.models import Video
from fanpage.feeds.options import FeedSite
from fanpage.i18n import translate


@dataclass(frozen=True)
class FeedPhoto:
    """One gallery photo in a feed: the file ``og:image`` would show for it."""

    url: str
    mime: str
    alt: str
    caption: str | None = None
    credit: str | None = None
    width: int | None = None
    height: int | None = None
    thumbnail: str | None = None  # the square crop, when derived
    thumbnail_width: int | None = None
    thumbnail_height: int | None = None


def gallery_html(photos: tuple[FeedPhoto, ...]) -> str:
    """Every photo as a figure: the image with its alt text and size, caption and credit."""
    parts = []
    for photo in photos:
        size = (
            f' width="{photo.width}" height="{photo.height}"'
            if photo.width and photo.height
            else ""
        )
        src, alt = escape(photo.url, quote=True), escape(photo.alt, quote=True)
        image = f'<img src="{src}" alt="{alt}"{size}>'
        said = [escape(text) for text in (photo.caption, photo.credit) if text]
        caption = f"<figcaption>{' — '.join(said)}</figcaption>" if said else ""
        parts.append(f"<figure>{image}{caption}</figure>")
    return "".join(parts)


def videos_html(videos: tuple[Video, ...], lang: str, site: FeedSite) -> str:
    """Each video as a link to where it plays (the host's page, or the site's own file),
    under its poster when it has one: a reader loads nothing from the host until followed."""
    parts = []
    for video in videos:
        target = site.url(video.src) if video.is_local and video.src else video.url
        if not target:
            continue
        href = escape(target, quote=True)
        label = escape(translate("Play video: {title}", lang, title=video.title))
        if video.poster:
            poster = site.picture(video.poster)
            alt = escape(video.title, quote=True)
            size = (
                f' width="{poster.width}" height="{poster.height}"'
                if poster.width and poster.height
                else ""
            )
            parts.append(
                f'<p><a href="{href}"><img src="{escape(poster.src, quote=True)}" alt="{alt}"'
                f"{size}></a></p>"
            )
        parts.append(f'<p><a href="{href}">{label}</a></p>')
    return "".join(parts)
