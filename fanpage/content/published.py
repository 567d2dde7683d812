"""What a build published: the one entry model plus where it now lives and what it says.

``build_site`` hands these back so that cross-posting and deploy read entries, URLs and
share images without reaching into Pelican's generators.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fanpage.content.models import Entry


@dataclass(frozen=True)
class PublishedPhoto:
    """One photo as the site published it: the derived JPEG (never the original)."""

    file: Path  # absolute path of the derived JPEG in the output folder
    alt: str
    url: str | None  # its public URL (SITEURL + path); None without SITEURL


@dataclass(frozen=True)
class PublishedEntry:
    entry: Entry
    path: str  # site-relative URL path, e.g. "news/a-new-song/" ("" for the home page)
    url: str  # absolute public URL (SITEURL + path); root-relative "/path" without SITEURL
    html: str  # the rendered body
    image: str | None = None  # output-relative file of its share image (own image or card)
    image_alt: str | None = None
    translation_uids: tuple[str, ...] = ()  # the other language versions of this entry
    # The share image's absolute URL as og:image gives it (also for an image elsewhere, which
    # has no ``image`` file); None without SITEURL or without an image.
    image_url: str | None = None
    # A gallery's first photos as published (at most PUBLISHED_PHOTOS), for cross-posting.
    photos: tuple[PublishedPhoto, ...] = ()


PUBLISHED_PHOTOS = 4  # the most any network attaches to one post
