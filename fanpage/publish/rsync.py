"""``rsync:[user@]host:/path``: rsync over ssh to a folder on a server.

The command (see :meth:`RsyncTarget.command`)::

    rsync --recursive --links --perms --chmod=D755,F644 --checksum \\
          --delete-after --delay-updates --itemize-changes --timeout=300 OUTPUT/ HOST:PATH/

- ``--checksum``, not size and modification time: every deploy builds into a fresh folder,
  so every file has a new mtime and the quick check would resend the whole site each time;
  comparing content sends only files that really changed (the server reads its copies once
  to checksum them, cheap for a fan site). Times are not copied (no ``--times``), so a file's
  mtime on the server, and the ``Last-Modified``/``ETag`` a web server derives from it, only
  changes when its content does.
- ``--delay-updates`` puts every changed file in place in one quick burst at the end of the
  transfer, and ``--delete-after`` removes pages that are gone only after that: a visitor
  never follows a link to a page that is not there yet or already gone.
- ``--perms --chmod=D755,F644``: the web server can read what was sent whatever the umask of
  the build; owner and group are the ssh user's (no ``--owner``/``--group``).
- The remote shell: ``RSYNC_RSH`` when set (rsync reads it itself: ssh port, key, known
  hosts), else ``ssh -o BatchMode=yes`` (plain ssh that fails instead of waiting for a
  password or a host-key answer nobody will type in a git hook).

A failed transfer leaves the files that were not yet moved into place as they were, and
deletes nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from fanpage.publish.target import (
    PublishError,
    PublishPlan,
    PublishResult,
    Target,
    check_output,
    walk_files,
)

OPTIONS = (
    "--recursive",
    "--links",
    "--perms",
    "--chmod=D755,F644",
    "--checksum",
    "--delete-after",
    "--delay-updates",
    "--itemize-changes",
    "--timeout=300",
)
DEFAULT_RSH = "ssh -o BatchMode=yes"
DESTINATION = re.compile(
    r"^(?:(?P<user>[^@/:\s]+)@)?(?P<host>\[[^\]\s]+\]|[^@/:\s\[\]]+):(?P<path>.+)$"
)


@dataclass(frozen=True)
class Changes:
    """What rsync reported, in the order it did it."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    deleted: tuple[str, ...]
    order: tuple[tuple[str, str], ...]  # ("send" | "delete", path)


def parse_itemized(stdout: str) -> Changes:
    """rsync's ``--itemize-changes`` lines: ``>f+++++++++ a``, ``>fc.......... b``,
    ``*deleting   c``; folders (ending in ``/``) and attribute-only lines are skipped."""
    added: list[str] = []
    changed: list[str] = []
    deleted: list[str] = []
    order: list[tuple[str, str]] = []
    for line in stdout.splitlines():
        if line.startswith("*deleting"):
            path = line[len("*deleting") :].strip()
            if not path.endswith("/"):
                deleted.append(path)
                order.append(("delete", path))
            continue
        flags, _, path = line.partition(" ")
        if len(flags) < 11 or flags[0] not in "<>ch." or flags[1] not in "fLDS":
            continue
        if flags[0] == ".":
            continue  # nothing sent: an attribute (permissions) fixed in place
        path = path.split(" -> ", 1)[0] if flags[1] == "L" else path
        (added if flags[2:].startswith("+++") else changed).append(path)
        order.append(("send", path))
    return Changes(tuple(added), tuple(changed), tuple(deleted), tuple(order))


class RsyncTarget(Target):
    """A folder on a server, updated with rsync over ssh."""

    kind: ClassVar[str] = "rsync"

    def __init__(self, destination: str, rsync: str = "rsync") -> None:
        match = DESTINATION.match(destination)
        if not match:
            raise PublishError(f'"rsync:{destination}" is not of the form rsync:[user@]host:/path')
        self.user = match["user"]
        self.host = match["host"]
        self.path = match["path"]
        self.rsync = rsync
        self.last_changes: Changes | None = None  # what the last publish sent, in order

    @property
    def destination(self) -> str:
        user = f"{self.user}@" if self.user else ""
        return f"{user}{self.host}:{self.path.rstrip('/')}/"

    def describe(self) -> str:
        return f"rsync:{self.destination.rstrip('/')}"

    def command(self, output: Path, dry_run: bool = False) -> list[str]:
        return [
            self.rsync,
            *OPTIONS,
            *(["--dry-run"] if dry_run else []),
            f"{output}/",
            self.destination,
        ]

    def _run(self, output: Path, dry_run: bool) -> Changes:
        env = dict(os.environ)
        if not env.get("RSYNC_RSH"):
            env["RSYNC_RSH"] = DEFAULT_RSH
        try:
            process = subprocess.run(
                self.command(output, dry_run),
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
            )
        except FileNotFoundError:
            raise PublishError(
                f"{self.describe()}: {self.rsync} is not installed (apt-get install rsync)"
            ) from None
        if process.returncode != 0:
            lines = [line.strip() for line in process.stderr.splitlines() if line.strip()]
            said = [line for line in lines if not line.startswith("rsync error:")] or lines
            reason = said[0] if said else "no message"
            raise PublishError(
                f"{self.describe()}: rsync failed (exit {process.returncode}): {reason}"
            )
        return parse_itemized(process.stdout)

    def plan(self, output_dir: Path) -> PublishPlan:
        output = check_output(output_dir)
        changes = self._run(output, dry_run=True)
        total = sum(1 for _ in walk_files(output))
        unchanged = total - len(changes.added) - len(changes.changed)
        return PublishPlan(
            self.describe(), changes.added, changes.changed, changes.deleted, unchanged
        )

    def publish(self, output_dir: Path) -> PublishResult:
        output = check_output(output_dir)
        changes = self._run(output, dry_run=False)
        self.last_changes = changes
        total = sum(1 for _ in walk_files(output))
        unchanged = total - len(changes.added) - len(changes.changed)
        return PublishResult(
            self.describe(),
            bool(changes.added or changes.changed or changes.deleted),
            added=changes.added,
            updated=changes.changed,
            deleted=changes.deleted,
            unchanged=unchanged,
            location=self.destination,
        )
