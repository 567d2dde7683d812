"""Content problems: each names a file and line, so an artist can fix it without reading Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, reported as ``path:line: message``."""

    path: str
    line: int
    message: str
    level: Level = Level.ERROR
    # The offending line quoted, with a caret under the mistake (YAML mistakes); printed under
    # the ``path:line: message`` line.
    excerpt: str = ""

    def __str__(self) -> str:
        prefix = "" if self.level is Level.ERROR else "warning: "
        where = ""
        if self.path:  # line 0: the file is known, not the line (as Pelican reports some)
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        quoted = f"\n{self.excerpt}" if self.excerpt else ""
        return f"{where}{prefix}{self.message}{quoted}"


class FieldError(ValueError):
    """Raised by a field parser; the caller knows the path and supplies the line."""

    def __init__(self, message: str, line: int | None = None, excerpt: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.excerpt = excerpt


@dataclass
class ProblemList:
    """Collects every problem of a run so that all of them are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str | Path, line: int, message: str, excerpt: str = "") -> None:
        self.items.append(Problem(str(path), line, message, Level.ERROR, excerpt))

    def warning(self, path: str | Path, line: int, message: str) -> None:
        self.items.append(Problem(str(path), line, message, Level.WARNING))

    def extend(self, other: ProblemList) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level is Level.WARNING]

    def failed(self, strict: bool = False) -> bool:
        """True when the build must stop: any error, or any warning under ``--strict``."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.path, p.line, p.message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


class ContentError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: ProblemList) -> None:
        super().__init__("\n".join(str(p) for p in problems.sorted()))
        self.problems = problems
