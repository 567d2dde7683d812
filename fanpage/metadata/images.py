"""Sizes of share images, read from the file header once per path and build."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

from fanpage.metadata.urls import is_absolute


class ImageSizes:
    """``size("images/band.jpg")`` -> ``(1200, 800)``; None for URLs and unreadable files."""

    def __init__(self, *roots: Path) -> None:
        self.roots = [root for root in roots if root is not None]
        self._sizes: dict[str, tuple[int, int] | None] = {}

    def size(self, src: str) -> tuple[int, int] | None:
        if src in self._sizes:
            return self._sizes[src]
        found = None if is_absolute(src) else self._read(src)
        self._sizes[src] = found
        return found

    def _read(self, src: str) -> tuple[int, int] | None:
        for root in self.roots:
            path = root / src.lstrip("/")
            if path.is_file():
                try:
                    with Image.open(path) as image:  # reads the header only
                        return image.size
                except (OSError, UnidentifiedImageError):
                    return None
        return None
