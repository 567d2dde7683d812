"""The one interface every publish target implements (Lektor's ``publisher.py`` is the model).

A target takes a finished build (the ``output/`` folder) and makes it the live site:

- :meth:`Target.plan` says what a publish would add, change and delete, and sends nothing
  (``fanpage deploy --dry-run``);
- :meth:`Target.publish` makes the build live, or raises :class:`PublishError` with a
  one-line message and leaves the previous site in place;
- :meth:`Target.rollback` goes back to the previous site where the target keeps one
  (:attr:`Target.supports_rollback`);
- :meth:`Target.describe` names the target for messages, never with a secret in it.

Paths in plans and results are relative to the output folder, with ``/`` separators.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

CHUNK = 1 << 20


class PublishError(Exception):
    """A publish (or rollback) that did not happen; the message is one line for the artist."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


@dataclass(frozen=True)
class PublishPlan:
    """What a publish would do: files added, changed and deleted, and how many stay as they are."""

    target: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: int = 0
    notes: tuple[str, ...] = ()

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.deleted)

    def summary(self) -> str:
        if not self.has_changes:
            return f"{self.target}: nothing to publish ({self.unchanged} files unchanged)"
        return (
            f"{self.target}: {len(self.added)} to add, {len(self.changed)} to change, "
            f"{len(self.deleted)} to delete, {self.unchanged} unchanged"
        )


@dataclass(frozen=True)
class PublishResult:
    """What a publish did. ``location`` is where the site now is (release folder, commit, URL)."""

    target: str
    changed: bool
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: int = 0
    location: str = ""
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        where = f" ({self.location})" if self.location else ""
        if not self.changed:
            return f"{self.target}: already up to date{where}"
        return (
            f"{self.target}: published{where}: {len(self.added)} added, "
            f"{len(self.updated)} changed, {len(self.deleted)} deleted, "
            f"{self.unchanged} unchanged"
        )


class Target(ABC):
    """A place a built site is published to. One small subclass per kind of target."""

    #: The kind, as in the target string (``dir``, ``git``, ``rsync``, ``s3``).
    kind: ClassVar[str]
    supports_rollback: ClassVar[bool] = False

    @abstractmethod
    def describe(self) -> str:
        """The target for messages, e.g. ``dir:/var/www/site``; never holds a secret."""

    @abstractmethod
    def plan(self, output_dir: Path) -> PublishPlan:
        """What :meth:`publish` would add, change and delete. Sends and changes nothing."""

    @abstractmethod
    def publish(self, output_dir: Path) -> PublishResult:
        """Make ``output_dir`` the live site, or raise :class:`PublishError` leaving the old one."""

    def rollback(self) -> PublishResult:
        """Go back to the site before the last publish (where :attr:`supports_rollback`)."""
        raise PublishError(
            f"{self.describe()} keeps no previous site to roll back to; "
            "deploy the previous commit instead"
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()}>"


def check_output(output_dir: Path) -> Path:
    """The output folder, resolved, after checking it looks like a built site.

    Publishing an empty or wrong folder would delete the live site, so a folder with no
    ``index.html`` at its top is refused.
    """
    path = Path(output_dir).resolve()
    if not path.is_dir():
        raise PublishError(f"nothing to publish: {output_dir} is not a folder")
    if not (path / "index.html").is_file():
        raise PublishError(
            f"nothing to publish: {output_dir} has no index.html (is it a built site?)"
        )
    return path


def walk_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every file (and symlink) under ``root`` as (relative posix path, path), sorted."""
    found: list[tuple[str, Path]] = []
    for path in root.rglob("*"):
        if path.is_symlink() or path.is_file():
            found.append((path.relative_to(root).as_posix(), path))
    found.sort()
    yield from found


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """Hex digest of a file's bytes (of the link text for a symlink)."""
    digest = hashlib.new(algorithm)
    if path.is_symlink():
        digest.update(str(path.readlink()).encode())
        return digest.hexdigest()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def tree_digests(root: Path) -> dict[str, str]:
    """Relative path -> sha256 for every file under ``root``."""
    return {rel: file_digest(path) for rel, path in walk_files(root)}


def diff_digests(
    old: dict[str, str], new: dict[str, str]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int]:
    """(added, changed, deleted, unchanged count) going from ``old`` to ``new``."""
    added = tuple(sorted(set(new) - set(old)))
    deleted = tuple(sorted(set(old) - set(new)))
    changed = tuple(sorted(rel for rel in set(new) & set(old) if new[rel] != old[rel]))
    unchanged = len(set(new) & set(old)) - len(changed)
    return added, changed, deleted, unchanged
