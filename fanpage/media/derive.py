"""The pixel work for one source image: every width and the thumbnail, in every format.

The source is decoded once (a JPEG at a reduced DCT scale when that still leaves three times
the pixels needed), turned upright by its EXIF orientation, converted to sRGB, and each width
is resized with LANCZOS from the smallest image already made that is at least 1.5 times as
wide (so 480 comes from 960, not from 12 megapixels). Every output is rebuilt from its pixels
alone before it is encoded: no EXIF, XMP, IPTC, ICC profile or comment of the original can
reach a published file. The files are written into a temporary folder renamed into place, so
a cache folder that exists is complete.
"""

from __future__ import annotations

import io
import math
import os
import shutil
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageOps

from fanpage.media.plan import AVIF, JPEG, SUFFIX, WEBP, NotAnImage, Rendition, Variant

# Encoder settings (bump plan.RECIPE_VERSION when they change: cached files are kept by name).
# AVIF runs one thread per worker: the pool already uses every core, and one thread makes the
# bytes the same whichever process encodes them.
ENCODERS: dict[str, dict[str, Any]] = {
    AVIF: {"format": "AVIF", "quality": 60, "speed": 8, "max_threads": 1},
    WEBP: {"format": "WEBP", "quality": 80, "method": 4},
    JPEG: {"format": "JPEG", "quality": 82, "progressive": True, "optimize": True},
}
# Resample from an image at least this much larger than the target (else from the decoded one).
CASCADE_RATIO = 1.5
# Decode a JPEG smaller, or reduce() before LANCZOS, only while this much is kept: with a gap
# of 3 Pillow's two-step resize is indistinguishable from a direct one.
REDUCING_GAP = 3.0
WHITE = (255, 255, 255)


def cache_name(variant: Variant, thumbnail: bool = False) -> str:
    """A derived file's name inside its source's cache folder (``960.webp``, ``thumb.jpg``)."""
    return f"{'thumb' if thumbnail else variant.width}{SUFFIX[variant.mime]}"


def cache_names(rendition: Rendition) -> list[tuple[Variant, str]]:
    """Every file published for ``rendition`` with its name in the cache folder."""
    return [(v, cache_name(v)) for v in rendition.variants] + [
        (v, cache_name(v, thumbnail=True)) for v in rendition.thumbnails
    ]


def is_complete(folder: Path, rendition: Rendition) -> bool:
    """True when ``folder`` holds every file of ``rendition`` (derived by an earlier run)."""
    return all((folder / name).is_file() for _, name in cache_names(rendition))


def derive_into(cache_dir: Path, file: Path, rendition: Rendition) -> Path:
    """Derive every file of ``rendition`` from ``file`` into ``cache_dir/<digest>/``."""
    folder = cache_dir / rendition.digest
    partial = cache_dir / f"{rendition.digest}.{os.getpid()}.tmp"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        for name, data in derive(file, rendition).items():
            (partial / name).write_bytes(data)
        _move_into_place(partial, folder, rendition)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def derive(file: Path, rendition: Rendition) -> dict[str, bytes]:
    """The encoded bytes of every file of ``rendition``, by cache name."""
    upright = decode(file, rendition)
    made: dict[int, Image.Image] = {}
    for width in sorted({v.width for v in rendition.variants}, reverse=True):
        height = next(v.height for v in rendition.variants if v.width == width)
        source = _resample_from(upright, list(made.values()), width)
        made[width] = _resize(source, (width, height))
    thumbnail = _thumbnail(upright, list(made.values()), rendition)
    del upright
    out: dict[str, bytes] = {}
    for variant, name in cache_names(rendition):
        image = thumbnail if variant in rendition.thumbnails else made[variant.width]
        out[name] = encode(image, variant.mime)
    return out


def decode(file: Path, rendition: Rendition) -> Image.Image:
    """The source's pixels, upright, in sRGB, as RGB or (with real transparency) RGBA."""
    try:
        with Image.open(file) as opened:
            _draft(opened, rendition)
            ImageOps.exif_transpose(opened, in_place=True)
            image = _to_srgb(opened)
    except Exception as exc:  # Pillow raises many kinds for a damaged file; all mean the same
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise NotAnImage(f"{rendition.source}: cannot decode the image ({reason})") from None
    return image


def encode(image: Image.Image, mime: str) -> bytes:
    """``image`` in ``mime``, from its pixels only (JPEG: transparency flattened onto white)."""
    clean = Image.frombytes(image.mode, image.size, image.tobytes())  # no .info carried over
    if mime == JPEG and clean.mode == "RGBA":
        flat = Image.new("RGB", clean.size, WHITE)
        flat.paste(clean, mask=clean.getchannel("A"))
        clean = flat
    buffer = io.BytesIO()
    clean.save(buffer, **ENCODERS[mime])
    return buffer.getvalue()


def _draft(image: Image.Image, rendition: Rendition) -> None:
    """Ask a JPEG decoder for a smaller DCT scale while it keeps REDUCING_GAP times the need."""
    if image.format != "JPEG":
        return
    side = min(rendition.width, rendition.height)
    needed = max(
        max(v.width for v in rendition.variants) / rendition.width,
        max(v.width for v in rendition.thumbnails) / side,
    )
    scale = needed * REDUCING_GAP
    if scale < 0.5:  # DCT scaling at least halves: above 1/2 of the size nothing is gained
        width, height = image.size
        image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB or RGBA pixels in sRGB; an embedded profile is applied, then dropped."""
    alpha = image.has_transparency_data
    mode = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    if image.mode.startswith("I;16"):  # 16-bit grey: scale down rather than clip
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P", "PA", "CMYK", "YCbCr", "1"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        converted = _apply_profile(image, profile, "RGBA" if image.mode == "RGBA" else "RGB")
        image = converted if converted is not None else image
    converted = image.convert(mode) if image.mode != mode else image.copy()
    if alpha and converted.getchannel("A").getextrema() == (255, 255):
        converted = converted.convert("RGB")  # an alpha channel with nothing transparent
    return converted


def _apply_profile(image: Image.Image, profile: bytes, mode: str) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if ImageCms.getProfileDescription(source).strip().lower().startswith("srgb"):
            return None
        srgb = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken profile: the pixels as they are


def _resample_from(upright: Image.Image, made: list[Image.Image], width: int) -> Image.Image:
    """The smallest image made so far at least CASCADE_RATIO times ``width``, else the
    decoded one (every image made is the whole picture)."""
    fitting = [im for im in made if im.width >= CASCADE_RATIO * width]
    return min(fitting, key=lambda im: im.width) if fitting else upright


def _resize(source: Image.Image, size: tuple[int, int]) -> Image.Image:
    if source.size == size:
        return source.copy()
    return source.resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)


def _thumbnail(upright: Image.Image, made: list[Image.Image], rendition: Rendition) -> Image.Image:
    """The centred square of the picture, ``side`` pixels wide."""
    side = rendition.thumbnails[0].width
    candidates = [im for im in made if min(im.size) >= CASCADE_RATIO * side]
    source = min(candidates, key=lambda im: im.width) if candidates else upright
    width, height = source.size
    edge = min(width, height)
    left, top = (width - edge) / 2, (height - edge) / 2
    box = (left, top, left + edge, top + edge)
    if edge == side and left.is_integer() and top.is_integer():
        return source.crop(tuple(int(v) for v in box))
    return source.resize((side, side), Image.Resampling.LANCZOS, box=box)


def _move_into_place(partial: Path, folder: Path, rendition: Rendition) -> None:
    """Rename the finished folder into place; a complete one another process made wins."""
    try:
        partial.rename(folder)
        return
    except OSError:
        if is_complete(folder, rendition):
            return
    shutil.rmtree(folder, ignore_errors=True)  # an incomplete leftover (files deleted by hand)
    partial.rename(folder)
