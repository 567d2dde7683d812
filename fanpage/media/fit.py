"""One image as a JPEG a social network accepts: under its byte limit, upright, no metadata.

Networks cap what they take (Bluesky 1,000,000 bytes, X 5 MB, Facebook 4 MB, ...), and a
post must never carry a photo's EXIF, XMP or IPTC (GPS position, camera serial). So every
upload is re-encoded here, whatever the file already is: the EXIF orientation applied
first, transparency flattened on white, then saved with nothing but pixels, stepping the
quality down and then the size until the bytes fit. A pure function of its arguments.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow loads on first use: `fanpage check` imports the networks
    from PIL.Image import Image as Picture

START_QUALITY = 85
LOWEST_QUALITY = 55  # below it, a smaller picture looks better than more artefacts
QUALITY_STEP = 10
SHRINK = 0.75  # each size step keeps this share of width and height
SMALLEST_SIDE = 64  # a limit that needs less than this cannot be met sensibly


class CannotFit(ValueError):
    """The image cannot be made small enough (or is not an image Pillow reads)."""


@dataclass(frozen=True)
class Fitted:
    """The encoded JPEG and its size in pixels (Bluesky sends the aspect ratio)."""

    data: bytes
    width: int
    height: int


def _upright_rgb(path: Path) -> Picture:
    """The picture turned upright, as plain RGB pixels with no metadata attached."""
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as opened:
            picture = ImageOps.exif_transpose(opened)
            if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
                rgba = picture.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                picture = flat
            else:
                picture = picture.convert("RGB")
    except FileNotFoundError:
        raise CannotFit(f"{path.name}: no such file") from None
    except OSError as exc:
        raise CannotFit(f"{path.name}: not an image Pillow can read ({exc})") from None
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)  # a fresh image: no info (EXIF, XMP, ICC, comments) travels along
    return clean


def _encode(picture: Picture, quality: int) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def fit_jpeg_sized(path: Path, max_bytes: int, max_side: int | None = None) -> Fitted:
    """``path`` as a JPEG of fewer than ``max_bytes`` bytes, no side longer than ``max_side``.

    Raises CannotFit when the file is not an image or the limit cannot be met.
    """
    from PIL import Image

    if max_bytes <= 0:
        raise CannotFit(f"{path.name}: a limit of {max_bytes} bytes leaves no room")
    picture = _upright_rgb(Path(path))
    if max_side is not None and max(picture.size) > max_side:
        picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    while True:
        for quality in range(START_QUALITY, LOWEST_QUALITY - 1, -QUALITY_STEP):
            data = _encode(picture, quality)
            if len(data) < max_bytes:
                return Fitted(data, picture.width, picture.height)
        if max(picture.size) <= SMALLEST_SIDE:
            raise CannotFit(f"{Path(path).name}: cannot be made smaller than {max_bytes} bytes")
        size = (max(1, round(picture.width * SHRINK)), max(1, round(picture.height * SHRINK)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)


def fit_jpeg(path: Path, max_bytes: int, max_side: int | None = None) -> bytes:
    """The bytes of :func:`fit_jpeg_sized`: re-encoded upright, without metadata, under
    ``max_bytes``."""
    return fit_jpeg_sized(path, max_bytes, max_side).data
