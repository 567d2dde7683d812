"""Pelican's log during one build: its errors fail the build, its warnings are reported as
the artist's problems (with the source file Pelican names), none of it printed."""

from __future__ import annotations

import logging
import os
from pathlib import Path


class PelicanLog(logging.Handler):
    """Collects Pelican's warnings and errors during a run instead of printing them."""

    def __init__(self, content_dir: str, sources: tuple[str, ...]) -> None:
        super().__init__(logging.WARNING)
        self._sources = sources
        self.errors: list[str] = []
        self.warnings: list[tuple[str, int, str]] = []
        self._content_dir = Path(content_dir)
        self._logger = logging.getLogger("pelican")

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
        else:
            self.warnings.append((self._file_named(record), 0, message))

    def _file_named(self, record: logging.LogRecord) -> str:
        """The source file a warning is about, when Pelican names one (it gives no line)."""
        args = record.args if isinstance(record.args, tuple) else ()
        prefix = str(record.msg).split(": ", 1)[0]  # "<file>: reason" (disabled readers)
        for arg in (*args, prefix):
            if isinstance(arg, str | os.PathLike) and str(arg).endswith(self._sources):
                path = Path(arg)
                if (path if path.is_absolute() else self._content_dir / path).is_file():
                    return str(path)
        return ""

    def __enter__(self) -> PelicanLog:
        self._saved = (self._logger.level, self._logger.propagate)
        self._logger.setLevel(logging.WARNING)
        self._logger.propagate = False
        self._logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._saved[0])
        self._logger.propagate = self._saved[1]
