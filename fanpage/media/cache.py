"""A memo of source files' content hashes, so a warm build need not read every photo again.

The derived files are named and cached by the source's content hash; hashing 200 photos of
3 MB is most of a warm build's image time. The memo keys a file by (path, size, mtime_ns,
inode) and is trusted only for files that had not changed for a while when they were hashed
(a file rewritten within the file system's timestamp granularity could keep its size and
mtime: such a file is hashed again next time, as git does with "racily clean" entries).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

MEMO_NAME = "hashes.json"
MEMO_VERSION = 1
# A file modified less than this before it was hashed is not memoised (timestamp granularity).
SETTLED_NS = 2_000_000_000
_CHUNK = 1 << 20


class HashMemo:
    """sha256 of files, remembered across builds in ``<cache_dir>/hashes.json``."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / MEMO_NAME
        self.hashed = 0  # files read and hashed by this memo (the rest came from the memo)
        self._entries: dict[str, list[int | str]] | None = None
        self._changed = False

    def digest(self, file: Path) -> str:
        """The sha256 of ``file``'s bytes (raises OSError like ``open`` when unreadable)."""
        entries = self._load()
        key = str(file.absolute())
        stat = file.stat()
        stamp: list[int | str] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        known = entries.get(key)
        if known is not None and known[:3] == stamp:
            return str(known[3])
        content_hash = _sha256(file)
        self.hashed += 1
        if time.time_ns() - stat.st_mtime_ns > SETTLED_NS and file.stat().st_mtime_ns == stamp[1]:
            entries[key] = [*stamp, content_hash]
            self._changed = True
        elif entries.pop(key, None) is not None:
            self._changed = True
        return content_hash

    def save(self) -> None:
        """Write the memo (atomically) when it learned something; a failure only costs time."""
        if not self._changed or self._entries is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{MEMO_NAME}.{os.getpid()}.tmp")
        try:
            data = {"version": MEMO_VERSION, "files": self._entries}
            partial.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
            partial.replace(self.path)
        except OSError:
            partial.unlink(missing_ok=True)
            return
        self._changed = False

    def _load(self) -> dict[str, list[int | str]]:
        if self._entries is None:
            self._entries = {}
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return self._entries
            if isinstance(data, dict) and data.get("version") == MEMO_VERSION:
                files = data.get("files")
                if isinstance(files, dict):
                    self._entries = {
                        key: value
                        for key, value in files.items()
                        if isinstance(value, list) and len(value) == 4
                    }
        return self._entries


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
