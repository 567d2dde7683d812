"""Which published file stands for a content image in previews, JSON-LD and feeds.

Originals under ``content/images/`` are no longer published: only what :mod:`fanpage.media`
derives from them is. Share previews and feed items therefore name a derived JPEG (every
client reads JPEG), no wider than :data:`PREVIEW_WIDTH`, with its own width and height. The
feeds use the same choice, so a feed reader and a share preview show the same file.

Without a media plan (unit tests, Pelican on its own) or for an image given as a URL, the
path stays as written, as before derived images existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from fanpage.content.models import Entry
from fanpage.media.plan import JPEG, Rendition, Variant
from fanpage.urls import is_absolute

# Open Graph's recommended 1200 px: wide enough for every network's large preview.
PREVIEW_WIDTH = 1200


class MediaLookup(Protocol):
    """What previews need of the build's media plan (:class:`fanpage.media.pipeline.MediaPlan`)."""

    def get(self, source: str) -> Rendition | None: ...


@dataclass(frozen=True)
class Picture:
    """One image as previews and feeds name it: ``src`` is site-relative (or a URL)."""

    src: str
    width: int | None = None
    height: int | None = None
    mime: str | None = None


def preview_source(entry: Entry) -> tuple[str, str] | None:
    """(src, alt) of the picture an entry previews with: its share image (own image, cover,
    poster, a gallery's first photo), else the poster of its first video with one, titled by
    the video; None for an entry to show with a drawn card."""
    if entry.share_image:
        return entry.share_image, entry.share_image_alt or entry.title
    video = next((v for v in entry.videos if v.poster), None)
    if video is not None and video.poster:
        return video.poster, video.title
    return None


def is_local(src: str) -> bool:
    """A path under content/ (not ``https://...`` nor ``//host/...``)."""
    return not is_absolute(src) and not src.startswith("//")


def rendition_of(media: MediaLookup | None, src: str | None) -> Rendition | None:
    """The derived files of ``content/<src>``; None without a plan, for URLs, or when the
    plan does not hold the image."""
    if media is None or not src or not is_local(src):
        return None
    return media.get(src) or media.get(src.lstrip("/"))


def _picture(variant: Variant) -> Picture:
    return Picture(variant.path, variant.width, variant.height, variant.mime)


def preview(media: MediaLookup | None, src: str) -> Picture:
    """The file a share preview or feed item shows for ``src``: the widest derived JPEG up to
    :data:`PREVIEW_WIDTH`; ``src`` itself when nothing is derived from it."""
    rendition = rendition_of(media, src)
    if rendition is None or not rendition.of(JPEG):
        return Picture(src)
    return _picture(rendition.widest(JPEG, at_most=PREVIEW_WIDTH))


def full_size(media: MediaLookup | None, src: str) -> Picture:
    """The largest published JPEG of ``src`` (``<img src>``, JSON-LD ``contentUrl``)."""
    rendition = rendition_of(media, src)
    if rendition is None or not rendition.of(JPEG):
        return Picture(src)
    return _picture(rendition.fallback)


def thumbnail(media: MediaLookup | None, src: str) -> Picture | None:
    """The square JPEG thumbnail of ``src``; None when nothing is derived from it."""
    rendition = rendition_of(media, src)
    if rendition is None:
        return None
    try:
        return _picture(rendition.thumbnail(JPEG))
    except StopIteration:
        return None
