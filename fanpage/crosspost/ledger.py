"""The syndication ledger: what was posted where, keyed by entry uid.

It outlives builds (it is never in output/), is safe to commit, and is written atomically so a
crash mid-write never loses what was already posted. The theme reads it for "also on" links.

Format (``syndication.json`` in the site folder)::

    {"version": 1,
     "entries": {"news/2026-03-02-hello": {
         "mastodon": {"url": "https://...", "id": "1100", "posted_at": "2026-03-02T10:00Z"}}}}
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSION = 1


class LedgerError(Exception):
    """The ledger file exists but cannot be trusted; never guess, since guessing re-posts."""


@dataclass(frozen=True)
class Syndication:
    network: str
    url: str
    id: str | None = None
    posted_at: str | None = None


@dataclass
class Ledger:
    path: Path
    entries: dict[str, dict[str, Syndication]] = field(default_factory=dict)

    def syndications(self, uid: str) -> list[Syndication]:
        """Where the entry ``uid`` was posted, in a stable order."""
        return sorted(self.entries.get(uid, {}).values(), key=lambda s: s.network)

    def has(self, uid: str, network: str) -> bool:
        return network in self.entries.get(uid, {})

    def record(self, uid: str, syndication: Syndication) -> None:
        self.entries.setdefault(uid, {})[syndication.network] = syndication

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "entries": {
                uid: {
                    net: {k: v for k, v in vars(s).items() if k != "network" and v is not None}
                    for net, s in sorted(networks.items())
                }
                for uid, networks in sorted(self.entries.items())
            },
        }

    def save(self) -> None:
        """Write atomically: a temporary file in the same folder, flushed, then renamed."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".syndication-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def load_ledger(path: Path) -> Ledger:
    """Read the ledger; a missing file is an empty ledger, a broken one is an error."""
    if not path.exists():
        return Ledger(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LedgerError(f"{path}: cannot read the syndication ledger: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise LedgerError(f"{path}: not a version {VERSION} syndication ledger")
    ledger = Ledger(path)
    for uid, networks in data.get("entries", {}).items():
        for network, item in networks.items():
            ledger.record(
                uid,
                Syndication(network, item["url"], item.get("id"), item.get("posted_at")),
            )
    return ledger
