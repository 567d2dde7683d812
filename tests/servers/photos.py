"""Photos for the cross-posting tests: real JPEGs that carry what must never be published
(GPS position, a camera serial, an owner, a turned orientation), and a gallery draft.

Every network test feeds these to its network and checks, in what its server received,
that the photos arrived in order with their alt texts, under the platform's size limit and
with none of the private metadata (:func:`private_metadata`).
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image as PILImage

from fanpage.crosspost.network import Draft, Image, LinkCard

SERIAL = "SN-FANPAGE-7731-SECRET"
OWNER = "Ayu Larasati (owner)"
GPS = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)}  # Jakarta
ALTS = (
    "Ayu singing at the front of the stage, lit in orange",
    "The crowd in Jakarta with their phone lights up",
    "Bima's guitar close up, the strings blurred",
    "The whole band bowing at the end of the night",
)
URL = "https://suarasenja.band/galleries/jakarta-2026/"
GALLERY_TEXT = f"Jakarta, 12 December: the photos\n\n{URL}"


def write_photo(
    path: Path,
    size: tuple[int, int] = (640, 480),
    seed: int = 1,
    noisy: bool = False,
    quality: int = 90,
    orientation: int = 6,
) -> Path:
    """A JPEG with GPS, a serial, an owner and ``orientation`` in its EXIF.

    ``noisy`` fills it with random pixels, which JPEG cannot compress: a 3000x2000 one at
    quality 100 is several megabytes. Otherwise a smooth gradient with a marked corner.
    """
    width, height = size
    rng = random.Random(seed)
    if noisy:
        picture = PILImage.frombytes("RGB", size, rng.randbytes(width * height * 3))
    else:
        base = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        picture = PILImage.linear_gradient("L").resize(size).convert("RGB")
        picture = PILImage.blend(picture, PILImage.new("RGB", size, base), 0.5)
        picture.paste((255, 0, 0), (0, 0, max(1, width // 8), max(1, height // 8)))
    exif = PILImage.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = OWNER  # Artist
    exif[0xA431] = SERIAL  # BodySerialNumber
    exif[0x8825] = GPS
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "JPEG", quality=quality, exif=exif.tobytes())
    return path


def gallery_photos(folder: Path, big_first: bool = False) -> tuple[Image, ...]:
    """Four photos with their alt texts, in gallery order; the first a noisy 3000x2000 one
    (several MB, over Bluesky's, X's, Facebook's and LinkedIn's limits) with ``big_first``."""
    photos = []
    for number, alt in enumerate(ALTS, start=1):
        path = folder / f"{number:02d}.jpg"
        if number == 1 and big_first:
            write_photo(path, (3000, 2000), seed=number, noisy=True, quality=100)
        else:
            write_photo(path, (640 + 40 * number, 480), seed=number)
        photos.append(Image(path, alt, "image/jpeg", f"{URL}{number:02d}.jpg"))
    return tuple(photos)


def gallery_draft(
    network: str,
    images: Sequence[Image],
    text: str = GALLERY_TEXT,
    limit: int = 500,
    card: bool = True,
) -> Draft:
    """A gallery's post as the runner composes it: its text, its link card, its photos."""
    first = images[0] if images else None
    return Draft(
        network=network,
        keys=("gallery-jakarta-2026",),
        text=text,
        length=len(text),
        limit=limit,
        url=URL,
        lang="en",
        created_at=datetime(2026, 12, 13, 9, 0, tzinfo=UTC),
        idempotency_key=f"gallery-jakarta-2026@{network}",
        card=LinkCard(URL, "Jakarta, 12 December", "The photos", first) if card else None,
        images=tuple(images),
        source="content/galleries/jakarta-2026.md:1",
    )


def private_metadata(data: bytes) -> list[str]:
    """What of the photos' private metadata ``data`` still carries (empty: nothing)."""
    found = []
    if b"Exif\x00\x00" in data:
        found.append("an EXIF block")
    if SERIAL.encode() in data:
        found.append("the camera serial")
    if OWNER.encode() in data:
        found.append("the owner's name")
    with PILImage.open(io.BytesIO(data)) as opened:
        exif = opened.getexif()
        if exif.get_ifd(0x8825):
            found.append("a GPS position")
        if exif.get(0x0112, 1) != 1:
            found.append("an orientation to apply")
    return found


def jpeg_size(data: bytes) -> tuple[int, int]:
    """The size of an encoded JPEG (and that it is one)."""
    with PILImage.open(io.BytesIO(data)) as opened:
        assert opened.format == "JPEG"
        return opened.size


def upright_size(image: Image) -> tuple[int, int]:
    """The size of the photo once its orientation is applied (6: a quarter turn)."""
    with PILImage.open(image.path) as opened:
        width, height = opened.size
        turned = opened.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    return (height, width) if turned else (width, height)
