"""The build's images: planned from the checked content before Pelican starts, derived beside it.

Every image a page, preview or feed can show is known from the entries' front matter (and
``{static}`` images in their bodies) and the artist photo, so one :class:`MediaPlan` names all
derived files up front; templates read it through ``build.media`` while the pixel work runs in
other processes. Other files under ``content/images/`` that Pillow does not derive (SVG) are
copied as they are; originals of photos are never published.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from fanpage.content.models import Entry, Gallery
from fanpage.content.problems import ProblemList
from fanpage.content.site import SiteContent
from fanpage.media.plan import NotAnImage
from fanpage.settings import Settings

if TYPE_CHECKING:
    from fanpage.media.pipeline import MediaPlan

# The folder of content/ whose images are derived, never copied (and files copied as they are).
IMAGES_FOLDER = "images"
COPIED_AS_IS: frozenset[str] = frozenset({".svg", ".ico"})
CACHE_DIR = Path(".cache") / "fanpage" / "media"
# Another folder for the cache (one for several sites or checkouts: its entries are named by
# each photo's content and the sizes asked for, so sharing it is safe).
CACHE_VARIABLE = "FANPAGE_MEDIA_CACHE"
# ``![alt]({static}/images/x.jpg)`` or ``[the band photo]({static}/images/x.jpg)`` in a body.
_STATIC_IMAGE = re.compile(r"\]\(\s*\{(?:static|attach)\}/?(images/[^)\s\"']+)")


def body_images(entry: Entry) -> list[str]:
    """Images a body shows or links with ``{static}`` (the theme shows its front-matter
    images)."""
    return [match.group(1) for match in _STATIC_IMAGE.finditer(entry.body)]


def image_sources(content: SiteContent, settings: Settings) -> Iterator[tuple[str, str, int]]:
    """(path under content/, file that names it, line) of every image the site publishes."""
    if settings.artist_image and "://" not in settings.artist_image:
        yield settings.artist_image, *settings.where("ARTIST_IMAGE")
    for entry in content.entries:
        lines = _lines(entry)
        for path in entry.image_files():
            yield path, entry.source_path, lines.get(path, 1)
        for path in body_images(entry):
            if Path(path).suffix.lower() not in COPIED_AS_IS:
                yield path, entry.source_path, entry.body_line


def _lines(entry: Entry) -> dict[str, int]:
    """Where each of an entry's image files is named, for messages."""
    lines: dict[str, int] = {}
    for key in ("image", "cover", "poster"):
        value = getattr(entry, key, None)
        if value:
            lines.setdefault(value, entry.line_of(key))
    if isinstance(entry, Gallery):
        for photo in entry.photos:
            lines.setdefault(photo.src, photo.line)
    for video in entry.videos:
        if video.poster:
            lines.setdefault(video.poster, video.line)
    return lines


def plan_media(content: SiteContent, settings: Settings) -> tuple[MediaPlan, ProblemList]:
    """The build's plan; an image Pillow cannot read is an error where it is named."""
    from fanpage.media.pipeline import MediaPlan, recipe_from

    problems = ProblemList()
    plan = MediaPlan(settings.content_dir, cache_dir(settings), recipe_from(settings))
    for path, where, line in image_sources(content, settings):
        if plan.get(path) is not None or Path(path).suffix.lower() in COPIED_AS_IS:
            continue
        try:
            plan.add(path)
        except NotAnImage as exc:
            problems.error(where, line, f'image "{path}" cannot be published: {exc}')
    return plan, problems


def cache_dir(settings: Settings) -> Path:
    """``.cache/fanpage/media`` in the site folder, or the folder FANPAGE_MEDIA_CACHE names."""
    chosen = os.environ.get(CACHE_VARIABLE)
    return Path(chosen).expanduser() if chosen else settings.site_dir / CACHE_DIR


def copy_other_images(settings: Settings) -> None:
    """Files under content/images/ that are not derived (SVG icons, logos) go out as they are."""
    root = settings.content_dir / IMAGES_FOLDER
    if not root.is_dir():
        return
    for file in root.rglob("*"):
        if file.is_file() and file.suffix.lower() in COPIED_AS_IS:
            target = settings.output_dir / file.relative_to(settings.content_dir)
            if target.exists() and target.stat().st_size == file.stat().st_size:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)


def workers() -> int:
    return os.cpu_count() or 1


_IMG_TAG = re.compile(r"<img\b[^>]*>")
_STATIC_SRC = re.compile(r"""\ssrc=(["'])\{(?:static|attach)\}/?(images/[^"']+)\1""")
_STATIC_HREF = re.compile(r"""(<a\b[^>]*\shref=)(["'])\{(?:static|attach)\}/?(images/[^"']+)\2""")


def rewrite_body_images(html: str, media: MediaPlan, site_url: str) -> str:
    """``<img src="{static}/images/x.jpg">`` in rendered Markdown points at the derived files
    (every JPEG width in ``srcset``, with width and height) instead of the unpublished original,
    and a link to such an image (a press photo to download) at its widest derived JPEG.
    """

    def relink(link: re.Match[str]) -> str:
        rendition = media.get(link.group(3))
        if rendition is None:
            return link.group(0)
        quote = link.group(2)
        return f"{link.group(1)}{quote}{site_url}/{rendition.fallback.path}{quote}"

    def rewrite(tag: re.Match[str]) -> str:
        text = tag.group(0)
        found = _STATIC_SRC.search(text)
        rendition = media.get(found.group(2)) if found else None
        if found is None or rendition is None:
            return text
        fallback = rendition.fallback
        prefix = f"{site_url}/"  # root-relative in development, like the theme's links
        srcset = ", ".join(f"{prefix}{v.path} {v.width}w" for v in rendition.of(fallback.mime))
        attributes = (
            f' src="{prefix}{fallback.path}" srcset="{srcset}"'
            f' sizes="(min-width: 48rem) 46rem, 100vw" width="{fallback.width}"'
            f' height="{fallback.height}" loading="lazy" decoding="async"'
        )
        return text[: found.start()] + attributes + text[found.end() :]

    return _STATIC_HREF.sub(relink, _IMG_TAG.sub(rewrite, html))


def video_files(content: SiteContent) -> list[str]:
    """Local videos and their captions, wherever under content/ they are: Pelican copies them
    as static files (``STATIC_PATHS`` takes single files as well as folders)."""
    found: dict[str, None] = {}
    for entry in content.entries:
        for video in entry.videos:
            for path in (video.src, video.captions):
                if path and not path.startswith(f"{IMAGES_FOLDER}/"):
                    found[path] = None
    return list(found)


# What the pipeline names its files: ``<stem>-<8 hex digits of the digest>-<width|thumb>.<ext>``.
_DERIVED_NAME = re.compile(r"-[0-9a-f]{8}-(?:\d+|thumb)\.(?:avif|webp|jpg)$")


def prune_images(plan: MediaPlan, settings: Settings) -> int:
    """Remove files under ``output/images/`` this build did not publish (the sizes of a photo
    since changed or removed, whose names carried its old digest); the count removed."""
    root = settings.output_dir / IMAGES_FOLDER
    if not root.is_dir():
        return 0
    wanted = {v.path for rendition in plan for v in (*rendition.variants, *rendition.thumbnails)}
    removed = 0
    for file in root.rglob("*"):
        if not file.is_file() or not _DERIVED_NAME.search(file.name):
            continue  # not the pipeline's (share cards live under images/cards/)
        if file.relative_to(settings.output_dir).as_posix() not in wanted:
            file.unlink()
            removed += 1
    return removed
