"""``dir:/var/www/site``: a folder on this machine, switched atomically.

The live path is a symlink into a releases folder beside it::

    /var/www/site -> .site-releases/20261120T050000123456Z-3f9a1c2b4d5e
    /var/www/.site-releases/20261120T050000123456Z-3f9a1c2b4d5e/   (this build)
    /var/www/.site-releases/20261119T...Z-.../                      (the previous one)

A publish copies the build into a new release folder (under a temporary name, renamed when
complete), makes a temporary symlink to it and ``os.replace``\\ s that over the live symlink:
one rename(2), so a visitor gets either the whole old site or the whole new one. The release
name is a UTC timestamp (so names sort in publish order) and the first 12 hex digits of a
hash of the whole build (so publishing the same build twice changes nothing). The newest
``keep`` releases are kept (and always the live one); :meth:`DirTarget.rollback` points the
symlink back at the release before the live one.

First deploy over a real folder: a folder cannot be swapped for a symlink in one rename, so
the folder is first renamed into the releases folder as ``<its mtime>-adopted`` (kept as the
previous release, so a rollback returns to it) and the symlink is put in its place right
after. For the moment between those two renames the path does not exist; that happens once.
Make sure the web server follows symlinks (nginx does; Apache needs ``FollowSymLinks``).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from fanpage.publish.target import (
    PublishError,
    PublishPlan,
    PublishResult,
    Target,
    check_output,
    diff_digests,
    tree_digests,
)

HASH_LENGTH = 12
INCOMING = ".incoming-"


def build_hash(digests: dict[str, str]) -> str:
    """A hash of a whole build: every relative path with its content hash."""
    whole = hashlib.sha256()
    for rel in sorted(digests):
        whole.update(f"{rel}\0{digests[rel]}\n".encode())
    return whole.hexdigest()[:HASH_LENGTH]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


class DirTarget(Target):
    """A symlink on this machine, switched atomically between release folders."""

    kind: ClassVar[str] = "dir"
    supports_rollback: ClassVar[bool] = True

    def __init__(
        self,
        path: Path | str,
        keep: int = 3,
        copy_function: Callable[[str, str], object] = shutil.copy2,
    ) -> None:
        self.path = Path(os.path.abspath(Path(path).expanduser()))
        if self.path.parent == self.path:
            raise PublishError(f"dir:{path} cannot be the root folder")
        if keep < 2:
            raise PublishError("a dir target keeps at least 2 releases (the live one and one more)")
        self.keep = keep
        self.copy_function = copy_function
        self.releases = self.path.parent / f".{self.path.name}-releases"

    def describe(self) -> str:
        return f"dir:{self.path}"

    # -- what is live -----------------------------------------------------------------------

    def live_release(self) -> Path | None:
        """The release folder the live symlink points to (None: no symlink, or not ours)."""
        if not self.path.is_symlink():
            return None
        target = Path(os.path.normpath(self.path.parent / os.readlink(self.path)))
        if target.parent != self.releases:
            return None
        return target

    def release_names(self) -> list[str]:
        """Complete release folders, oldest first."""
        if not self.releases.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.releases.iterdir()
            if entry.is_dir() and not entry.is_symlink() and not entry.name.startswith(".")
        )

    # -- the interface ----------------------------------------------------------------------

    def plan(self, output_dir: Path) -> PublishPlan:
        output = check_output(output_dir)
        new = tree_digests(output)
        notes: list[str] = []
        if self.path.is_symlink() or self.path.is_dir():
            old = tree_digests(self.path.resolve())
            if self.path.is_dir() and not self.path.is_symlink():
                notes.append(
                    f"{self.path} is a real folder: it will be kept as the previous release "
                    f"in {self.releases} and replaced by a symlink"
                )
        elif self.path.exists():
            raise PublishError(f"{self.describe()}: {self.path} exists and is not a folder")
        else:
            old = {}
        added, changed, deleted, unchanged = diff_digests(old, new)
        return PublishPlan(self.describe(), added, changed, deleted, unchanged, tuple(notes))

    def publish(self, output_dir: Path) -> PublishResult:
        output = check_output(output_dir)
        new = tree_digests(output)
        name_hash = build_hash(new)
        if self.path.exists() and not self.path.is_dir():
            raise PublishError(f"{self.describe()}: {self.path} exists and is not a folder")
        try:
            self.releases.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PublishError(
                f"{self.describe()}: cannot create {self.releases}: {error}"
            ) from None
        with self._locked():
            self._clean_incoming()
            notes: list[str] = []
            live = self.live_release()
            old_root = self.path.resolve() if self.path.is_dir() else None
            old = tree_digests(old_root) if old_root is not None else {}
            added, changed, deleted, unchanged = diff_digests(old, new)
            if live is not None and live.name.endswith(f"-{name_hash}"):
                return PublishResult(
                    self.describe(), False, unchanged=unchanged, location=str(live)
                )
            release = self._copy_release(output, name_hash)
            adopted: Path | None = None
            try:
                if self.path.is_dir() and not self.path.is_symlink():
                    adopted = self._adopt_folder()
                    notes.append(
                        f"{self.path} was a real folder: moved it to {adopted} (kept as the "
                        "previous release, for rollback); it is a symlink from now on"
                    )
                self._point_at(release)
            except OSError as error:
                if adopted is not None and not os.path.lexists(self.path):
                    adopted.rename(self.path)  # put the old site back where it was
                shutil.rmtree(release, ignore_errors=True)
                raise PublishError(
                    f"{self.describe()}: cannot switch to the new release: {error}"
                ) from None
            notes.extend(self._prune())
            return PublishResult(
                self.describe(),
                True,
                added=added,
                updated=changed,
                deleted=deleted,
                unchanged=unchanged,
                location=str(release),
                notes=tuple(notes),
            )

    def rollback(self) -> PublishResult:
        with self._locked():
            live = self.live_release()
            if live is None:
                raise PublishError(
                    f"{self.describe()}: nothing to roll back (not a release symlink)"
                )
            older = [name for name in self.release_names() if name < live.name]
            if not older:
                raise PublishError(
                    f"{self.describe()}: no release older than {live.name} to roll back to"
                )
            previous = self.releases / older[-1]
            added, changed, deleted, unchanged = diff_digests(
                tree_digests(live), tree_digests(previous)
            )
            try:
                self._point_at(previous)
            except OSError as error:
                raise PublishError(f"{self.describe()}: cannot roll back: {error}") from None
            return PublishResult(
                self.describe(),
                True,
                added=added,
                updated=changed,
                deleted=deleted,
                unchanged=unchanged,
                location=str(previous),
                notes=(f"rolled back from {live.name} to {previous.name}",),
            )

    # -- steps ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One publish or rollback at a time per target (an flock beside the releases)."""
        self.releases.mkdir(parents=True, exist_ok=True)
        with (self.releases / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _clean_incoming(self) -> None:
        """Half-copied releases left by a publish that crashed."""
        for entry in self.releases.iterdir():
            if entry.name.startswith(INCOMING):
                shutil.rmtree(entry, ignore_errors=True)

    def _copy_release(self, output: Path, name_hash: str) -> Path:
        incoming = self.releases / f"{INCOMING}{secrets.token_hex(4)}"
        release = self.releases / f"{_stamp(datetime.now(UTC))}-{name_hash}"
        while release.exists():  # the same build published twice within one microsecond
            release = self.releases / f"{_stamp(datetime.now(UTC))}-{name_hash}"
        try:
            shutil.copytree(output, incoming, symlinks=True, copy_function=self.copy_function)
            os.chmod(incoming, 0o755)
            incoming.rename(release)
        except shutil.Error as error:  # copytree's list of (source, destination, why)
            shutil.rmtree(incoming, ignore_errors=True)
            problems = error.args[0] if error.args and isinstance(error.args[0], list) else []
            source, _, why = problems[0] if problems else ("", "", str(error))
            full = f"[Errno {errno.ENOSPC}]" in str(why)
            rel = os.path.relpath(source, output) if source else "a file"
            reason = "the disk is full" if full else f"{rel}: {why}"
            raise PublishError(
                f"{self.describe()}: cannot copy the build into {self.releases}: {reason}"
            ) from None
        except OSError as error:
            shutil.rmtree(incoming, ignore_errors=True)
            reason = "the disk is full" if error.errno == errno.ENOSPC else str(error)
            raise PublishError(
                f"{self.describe()}: cannot copy the build into {self.releases}: {reason}"
            ) from None
        _fsync_dir(self.releases)
        return release

    def _adopt_folder(self) -> Path:
        """Move the real folder at the live path into the releases, as the previous release."""
        moment = datetime.fromtimestamp(self.path.stat().st_mtime, UTC)
        adopted = self.releases / f"{_stamp(moment)}-adopted"
        if adopted.exists():
            adopted = adopted.with_name(f"{adopted.name}-{secrets.token_hex(2)}")
        self.path.rename(adopted)
        return adopted

    def _point_at(self, release: Path) -> None:
        """Switch the live symlink to ``release`` in one rename."""
        link = self.path.parent / f".{self.path.name}.link-{secrets.token_hex(4)}"
        os.symlink(os.path.relpath(release, self.path.parent), link)
        try:
            os.replace(link, self.path)
        except OSError:
            link.unlink(missing_ok=True)
            raise
        _fsync_dir(self.path.parent)

    def _prune(self) -> list[str]:
        """Delete all but the newest ``keep`` releases, never the live one."""
        live = self.live_release()
        names = self.release_names()
        notes = []
        for name in names[: max(0, len(names) - self.keep)]:
            if live is not None and name == live.name:
                continue
            shutil.rmtree(self.releases / name, ignore_errors=True)
            notes.append(f"removed the old release {name}")
        return notes


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (best effort: some filesystems refuse)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
