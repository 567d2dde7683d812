"""Is a file an image the pipeline takes? Its first bytes say, without loading Pillow.

``fanpage check`` asks this of every photo, cover and poster; opening each with Pillow
would load its image plugins (tens of milliseconds) for an answer the file's signature
gives. The build then reads each one with Pillow and reports, at its line, any that Pillow
cannot decode after all.
"""

from __future__ import annotations

from pathlib import Path

KINDS = "JPEG, PNG, WebP, AVIF, GIF or TIFF"
_ISO_BRANDS = (b"avif", b"avis", b"heic", b"heix", b"mif1", b"msf1")


def is_image(file: Path) -> bool:
    """True when ``file`` starts like a JPEG, PNG, WebP, AVIF/HEIF, GIF or TIFF image."""
    try:
        with file.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return (
        head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a"))
        or head.startswith((b"II*\x00", b"MM\x00*"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in _ISO_BRANDS)
    )
