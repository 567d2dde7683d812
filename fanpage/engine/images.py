"""Real pixel sizes of content images, read once per file: the theme's ``width``/``height``
attributes and the share previews' ``og:image:width``/``height``.

Without them the page jumps while images load (layout shift); Pillow reads only the header.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

# (file, modification time) -> size; shared by every generator and by rebuilds in `serve`.
_CACHE: dict[tuple[Path, int], tuple[int, int] | None] = {}


class ImageSizes:
    """Sizes of images under the content folder, read once per file and process."""

    def __init__(self, content_dir: str | Path) -> None:
        self._root = Path(content_dir)

    def size(self, path: str | None) -> tuple[int, int] | None:
        """``(width, height)`` of ``content/<path>``; None for URLs and unreadable files."""
        if not path or "://" in path or path.startswith("//"):
            return None
        file = self._root / path.lstrip("/")
        try:
            key = (file, file.stat().st_mtime_ns)
        except OSError:
            return None
        if key not in _CACHE:
            _CACHE[key] = self._read(file)
        return _CACHE[key]

    @staticmethod
    def _read(file: Path) -> tuple[int, int] | None:
        try:
            with Image.open(file) as image:
                return image.size
        except (OSError, UnidentifiedImageError):
            return None
