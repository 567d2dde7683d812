"""What the site publishes for each source image: names, widths and heights, before any work.

Planning reads only a file's header (its size and EXIF orientation) and its bytes' hash, so
templates, share previews and feeds can name every derived file while the resizing still runs
beside the build. The names carry a digest of the source's content and of the sizes asked
for: a changed photo gets new names, and a browser may cache every published file forever.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError, features

JPEG = "image/jpeg"
WEBP = "image/webp"
AVIF = "image/avif"
SUFFIX: dict[str, str] = {JPEG: ".jpg", WEBP: ".webp", AVIF: ".avif"}
# Bump when the derived pixels change for the same source and sizes (quality, resampling).
RECIPE_VERSION = 1
# EXIF orientations that turn the picture a quarter (width and height swap once upright).
_QUARTER_TURNS = {5, 6, 7, 8}


def available_formats() -> tuple[str, ...]:
    """Formats in the browser's order of preference: AVIF where this Pillow writes it, WebP,
    and JPEG, the fallback every client reads."""
    return (*((AVIF,) if features.check("avif") else ()), WEBP, JPEG)


@dataclass(frozen=True)
class Variant:
    """One derived file: ``path`` is site-relative (``images/shows/01-3fa2c1d0-960.webp``)."""

    path: str
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Rendition:
    """Everything published for one source image."""

    source: str  # path under content/
    digest: str  # hash of the source bytes and the recipe: names and cache key
    width: int  # the upright original's size
    height: int
    variants: tuple[Variant, ...]  # every width in every format, narrowest first
    thumbnails: tuple[Variant, ...]  # a square crop, one per format

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.mime for v in self.variants))

    def of(self, mime: str) -> list[Variant]:
        return [v for v in self.variants if v.mime == mime]

    def srcset(self, mime: str, base: str = "") -> str:
        """``srcset`` for one format; ``base`` (SITEURL) is put before each path."""
        prefix = f"{base}/" if base else ""
        return ", ".join(f"{prefix}{v.path} {v.width}w" for v in self.of(mime))

    @property
    def fallback(self) -> Variant:
        """The widest JPEG: ``<img src>`` and the file feeds and previews link to."""
        return self.of(JPEG)[-1]

    def widest(self, mime: str = JPEG, at_most: int | None = None) -> Variant:
        """The widest variant of ``mime`` no wider than ``at_most`` (else the narrowest)."""
        choices = self.of(mime)
        fitting = [v for v in choices if at_most is None or v.width <= at_most]
        return fitting[-1] if fitting else choices[0]

    def thumbnail(self, mime: str = JPEG) -> Variant:
        return next(v for v in self.thumbnails if v.mime == mime)


@dataclass(frozen=True)
class Recipe:
    """The sizes and formats every image is derived in (settings IMAGE_WIDTHS,
    IMAGE_THUMBNAIL_SIZE)."""

    widths: tuple[int, ...] = (480, 960, 1600)
    thumbnail: int = 400
    formats: tuple[str, ...] = field(default_factory=available_formats)

    def key(self) -> str:
        return f"v{RECIPE_VERSION}:{self.widths}:{self.thumbnail}:{self.formats}"

    def widths_for(self, width: int) -> tuple[int, ...]:
        """The recipe's widths that do not enlarge ``width``, plus ``width`` itself when it
        lies between two of them (never upscaled, never a width twice)."""
        kept = [w for w in self.widths if w < width]
        if width <= max(self.widths) or not kept:
            kept.append(min(width, max(self.widths)))
        return tuple(sorted(set(kept)))


class NotAnImage(Exception):
    """The file is missing or Pillow cannot read it; the message says which."""


def read_header(file: Path) -> tuple[int, int]:
    """The upright size of ``file`` (EXIF orientation applied), from its header only."""
    try:
        with Image.open(file) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    except FileNotFoundError:
        raise NotAnImage(f"{file.name}: no such file") from None
    except (OSError, UnidentifiedImageError) as exc:
        raise NotAnImage(f"{file.name}: not an image Pillow can read ({exc})") from None
    except Image.DecompressionBombError as exc:  # far more pixels than any photo: refused
        raise NotAnImage(f"{file.name}: too large to publish ({exc})") from None
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


def file_digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


def plan_rendition(source: str, file: Path, recipe: Recipe, content_hash: str) -> Rendition:
    """Names and sizes of everything derived from ``file`` (``source`` under content/)."""
    width, height = read_header(file)
    digest = hashlib.sha256(f"{content_hash}:{recipe.key()}".encode()).hexdigest()[:16]
    stem = PurePosixPath(source)
    base = (stem.parent / f"{stem.stem}-{digest[:8]}").as_posix()
    variants = tuple(
        Variant(f"{base}-{w}{SUFFIX[mime]}", w, max(1, round(height * w / width)), mime)
        for mime in recipe.formats
        for w in recipe.widths_for(width)
    )
    side = min(recipe.thumbnail, width, height)
    thumbnails = tuple(
        Variant(f"{base}-thumb{SUFFIX[mime]}", side, side, mime) for mime in recipe.formats
    )
    return Rendition(source, digest, width, height, variants, thumbnails)
