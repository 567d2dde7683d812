"""The entries a Pelican run published, read once from its generators for every other room.

Feeds, the build's result (cross-posting, deploy) and quick rebuilds read these; nothing else
walks Pelican's lists of content objects for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from fanpage.content.models import Entry, Gallery
from fanpage.content.published import PUBLISHED_PHOTOS, PublishedEntry, PublishedPhoto
from fanpage.settings import Settings
from fanpage.urls import is_absolute, public_url, site_url

if TYPE_CHECKING:
    from fanpage.media.plan import Rendition


class Renditions(Protocol):
    """What :func:`with_photos` reads of a build's media plan (``Build.media``)."""

    def get(self, source: str) -> Rendition | None: ...


# Pelican's lists of what a build publishes (drafts and hidden entries are in other lists).
PUBLISHED_LISTS: tuple[str, ...] = ("articles", "translations", "pages")

# (src, alt) of an entry's share image: a site-relative path or a URL; None without one.
ImageOf = Callable[[Entry], tuple[str, str] | None]


def published_entries(generators: Iterable[Any], settings: Settings) -> list[PublishedEntry]:
    """Every entry with status ``published`` Pelican made a page of, in every language."""
    found: list[PublishedEntry] = []
    for generator in generators:
        for name in PUBLISHED_LISTS:
            for content in getattr(generator, name, None) or ():
                entry = getattr(content, "entry", None)
                if isinstance(entry, Entry) and entry.status == "published":
                    found.append(_published(content, entry, settings))
    return found


def _published(content: Any, entry: Entry, settings: Settings) -> PublishedEntry:
    translations = tuple(
        other.entry.uid
        for other in getattr(content, "translations", ()) or ()
        if isinstance(getattr(other, "entry", None), Entry) and other.entry.status == "published"
    )
    return PublishedEntry(
        entry=entry,
        path=content.url,
        url=site_url(settings.siteurl, content.url),
        html=content.content,
        translation_uids=translations,
    )


def with_share_images(
    published: list[PublishedEntry], image_of: ImageOf, settings: Settings
) -> list[PublishedEntry]:
    """``published`` with the share image each page's preview shows (``og:image``)."""
    result = []
    for item in published:
        chosen = image_of(item.entry)
        if chosen is None:
            result.append(item)
            continue
        src, alt = chosen
        result.append(
            replace(
                item,
                image=None if is_absolute(src) else src.lstrip("/"),
                image_alt=alt,
                image_url=public_url(settings.siteurl, src),
            )
        )
    return result


def with_photos(
    published: list[PublishedEntry], media: Renditions, settings: Settings, output_dir: Path
) -> list[PublishedEntry]:
    """``published`` with the derived files cross-posting sends, never the originals.

    A gallery gets its first photos (its widest JPEG each, with alt text and public URL);
    a share image that is one of the site's own images is replaced by its widest JPEG
    (the original under ``content/`` is not published). A drawn card, or an image the
    media plan does not know, is left as it is.
    """
    output_dir = Path(output_dir).resolve()
    result = []
    for item in published:
        changes: dict[str, Any] = {}
        entry = item.entry
        if isinstance(entry, Gallery):
            photos = []
            for photo in entry.photos:
                rendition = media.get(photo.src)
                if rendition is None:
                    continue
                variant = rendition.fallback
                photos.append(
                    PublishedPhoto(
                        file=output_dir / variant.path,
                        alt=photo.alt,
                        url=public_url(settings.siteurl, variant.path),
                    )
                )
                if len(photos) == PUBLISHED_PHOTOS:
                    break
            changes["photos"] = tuple(photos)
        if item.image:
            rendition = media.get(item.image)
            if rendition is not None:
                variant = rendition.fallback
                changes["image"] = variant.path
                changes["image_url"] = public_url(settings.siteurl, variant.path)
        result.append(replace(item, **changes) if changes else item)
    return result
