"""What every network does with a photo before it goes out: its alt text clipped to the
platform's limit (never dropped), its file re-encoded under the platform's size limit.

Each network names its own numbers (the module docstrings say where they come from); this
module only applies them, the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fanpage.crosspost.counting import ELLIPSIS
from fanpage.crosspost.network import Image, Rejected
from fanpage.media.fit import CannotFit, Fitted, fit_jpeg_sized

JPEG = "image/jpeg"
_TRAILING = " ,.;:–—-"


def clip_alt(alt: str, limit: int, count: Callable[[str], int] = len) -> str:
    """``alt`` in at most ``limit`` (as ``count`` counts), cut at a word with an ellipsis.

    A description is never dropped: a single word longer than the limit is cut inside it.
    """
    alt = " ".join(alt.split())
    if count(alt) <= limit:
        return alt
    room = limit - count(ELLIPSIS)
    words = alt.split(" ")
    kept: list[str] = []
    for word in words:
        candidate = " ".join([*kept, word])
        if count(candidate) > room:
            break
        kept.append(word)
    head = " ".join(kept).rstrip(_TRAILING)
    if not head:  # the first word alone is too long: cut it where it must be
        head = alt
        while head and count(head) > room:
            head = head[:-1]
    return f"{head}{ELLIPSIS}"


def jpeg_for(image: Image, label: str, max_bytes: int, max_side: int | None = None) -> Fitted:
    """The image as a JPEG under ``max_bytes``; Rejected (nothing posted) when impossible."""
    try:
        return fit_jpeg_sized(Path(image.path), max_bytes, max_side)
    except CannotFit as exc:
        raise Rejected(f"{label}: cannot use the image {image.path}: {exc}") from None


def jpeg_name(image: Image) -> str:
    """The file name a re-encoded image is uploaded as (its stem, ``.jpg``)."""
    return f"{Path(image.path).stem or 'image'}.jpg"
