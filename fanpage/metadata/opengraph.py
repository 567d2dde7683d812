"""Open Graph (https://ogp.me) properties of a page: ``(property, content)`` pairs, in order."""

from __future__ import annotations

from datetime import datetime

from fanpage.content.models import Album, Gallery, NewsPost
from fanpage.metadata.page import PageMeta, ShareImage, SiteInfo, VideoMeta
from fanpage.metadata.urls import og_locale

Tag = tuple[str, str]


def iso(moment: datetime) -> str:
    """Full ISO 8601 with the UTC offset, to the second."""
    return moment.isoformat(timespec="seconds")


def og_tags(page: PageMeta, site: SiteInfo) -> list[Tag]:
    tags: list[Tag] = [("og:type", page.og_type), ("og:title", page.title)]
    if page.description:
        tags.append(("og:description", page.description))
    url = site.absolute(page.path)
    if url:
        tags.append(("og:url", url))
    tags.append(("og:site_name", site.name))
    tags.append(("og:locale", og_locale(page.lang)))
    tags.extend(
        ("og:locale:alternate", og_locale(v.lang)) for v in page.versions if v.lang != page.lang
    )
    tags.extend(image_tags(page.image, site))
    for video in page.videos:
        tags.extend(video_tags(video, site))
    tags.extend(_type_tags(page, site))
    return tags


def image_tags(image: ShareImage | None, site: SiteInfo) -> list[Tag]:
    """``og:image`` (absolute) with its size and alt; nothing when there is no absolute URL."""
    src = site.absolute(image.src) if image else None
    if image is None or src is None:
        return []
    tags: list[Tag] = [("og:image", src)]
    if image.width and image.height:
        tags += [("og:image:width", str(image.width)), ("og:image:height", str(image.height))]
    if image.alt:
        tags.append(("og:image:alt", image.alt))
    return tags


def video_tags(video: VideoMeta, site: SiteInfo) -> list[Tag]:
    """``og:video`` for one video: the embed player of a hosted video (``text/html``), the file
    of a local one; nothing without an absolute URL. The site knows no video's pixel size, so
    ``og:video:width``/``height`` are left out rather than guessed."""
    url = site.absolute(video.url)
    if url is None:
        return []
    tags: list[Tag] = [("og:video", url)]
    if url.startswith("https://"):
        tags.append(("og:video:secure_url", url))
    tags.append(("og:video:type", video.mime))
    return tags


def _type_tags(page: PageMeta, site: SiteInfo) -> list[Tag]:
    entry = page.entry
    if page.kind == "album" and isinstance(entry, Album):
        tags: list[Tag] = [("music:release_date", entry.release_date.isoformat())]
        if site.artist_url:
            tags.append(("music:musician", site.artist_url))
        # music:song needs a page per track; the site has none, so it is left out.
        return tags
    if page.kind in ("news", "gallery") and isinstance(entry, (NewsPost, Gallery)):
        tags = [
            ("article:published_time", iso(entry.date)),
            ("article:modified_time", iso(entry.modified or entry.date)),
        ]
        tags.extend(("article:tag", tag) for tag in entry.tags)
        return tags
    return []
