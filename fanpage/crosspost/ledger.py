"""The syndication ledger: what was posted where, keyed by entry (or show) uid and network.

It outlives builds (it is never in output/), is safe to commit (no secret ever enters it),
and every write is atomic (a temporary file in the same folder, flushed and fsynced, then
renamed), so a crash mid-write leaves the previous ledger whole. ``pending`` is written
before a request goes out and the result right after it returns: a run killed in between
leaves ``pending``, which the next run resolves without guessing. A ledger that cannot be
read stops the run: treated as empty, it would post everything again.

Format (``syndication.json`` in the site folder)::

    {"version": 2,
     "records": {"news/2026-03-02-hello": {
         "mastodon": {"state": "posted", "id": "1100", "url": "https://...",
                      "at": "2026-03-02T10:00:00Z", "attempts": 1}}},
     "networks": {"mastodon": {"max_characters": 500}}}

Keys are entry uids, show uids (``<tour uid>/<date>-<city>``, for tour dates announced
later) and show changes (``<show uid>#cancelled``). Version 1 ledgers (posted records only)
are read and upgraded on the next write.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

VERSION: Final = 2
PENDING, POSTED, FAILED, UNKNOWN, BASELINE = "pending", "posted", "failed", "unknown", "baseline"
STATES: Final = (PENDING, POSTED, FAILED, UNKNOWN, BASELINE)
# States that settle a key for good: never posted again by itself.
SETTLED: Final = frozenset({POSTED, BASELINE})


class LedgerError(Exception):
    """The ledger file exists but cannot be trusted; never guess, since guessing re-posts."""


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class Record:
    """One key on one network. Treated as a value: a change is a new record (``replace``).

    Not frozen: a frozen dataclass sets each field through ``object.__setattr__``, which
    made reading a 400,000-record ledger twice as slow.
    """

    state: str
    at: str  # when this state was written (UTC, ISO 8601)
    id: str | None = None  # the platform's own id of the post
    url: str | None = None  # where a person can open it
    attempts: int = 0
    error: str | None = None  # the last failure, one line, no secret
    posted_at: str | None = None  # when it was posted (kept when a later state is written)
    data: dict[str, Any] = field(default_factory=dict)  # e.g. Bluesky's cid

    def to_json(self) -> dict[str, Any]:
        raw = {
            "state": self.state,
            "at": self.at,
            "id": self.id,
            "url": self.url,
            "attempts": self.attempts,
            "error": self.error,
            "posted_at": self.posted_at,
            "data": self.data,
        }
        return {k: v for k, v in raw.items() if v not in (None, {}, 0) or k == "state"}

    @classmethod
    def from_json(cls, raw: Any, where: str) -> Record:
        """A record from the file; ``where`` names it in a message."""
        if not isinstance(raw, dict) or raw.get("state") not in STATES:
            raise LedgerError(f"{where}: not a ledger record (state must be one of {STATES})")
        if not raw.keys() <= _RECORD_FIELDS:
            unknown = ", ".join(sorted(raw.keys() - _RECORD_FIELDS))
            raise LedgerError(f"{where}: bad ledger record: unknown field {unknown}")
        try:
            record = cls(**raw) if "at" in raw else cls(at="", **raw)
        except TypeError as exc:
            raise LedgerError(f"{where}: bad ledger record: {exc}") from None
        text_fields = (record.at, record.id, record.url, record.error, record.posted_at)
        if (
            type(record.attempts) is not int
            or type(record.data) is not dict
            or any(v is not None and type(v) is not str for v in text_fields)
        ):
            raise LedgerError(f"{where}: bad ledger record: a field has the wrong type")
        return record


_RECORD_FIELDS = frozenset(f.name for f in fields(Record))


@dataclass(frozen=True)
class Syndication:
    """A post a person can follow: for "also on" links and u-syndication."""

    network: str
    url: str
    id: str | None = None
    posted_at: str | None = None


@dataclass
class Ledger:
    path: Path
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    networks: dict[str, dict[str, Any]] = field(default_factory=dict)  # what runs learnt
    # (key, network) of every record not settled for good: found without a full scan.
    _open: set[tuple[str, str]] = field(default_factory=set, repr=False, compare=False)
    # Each key's lines in the file, kept between saves: a run writes after every post.
    _lines: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def get(self, key: str, network: str) -> Record | None:
        return self.records.get(key, {}).get(network)

    def has(self, key: str, network: str) -> bool:
        return network in self.records.get(key, {})

    def knows_network(self, network: str) -> bool:
        """True once any run has recorded anything for ``network`` (else: a baseline run)."""
        return network in self.networks or any(network in r for r in self.records.values())

    def set(self, key: str, network: str, record: Record) -> None:
        self.records.setdefault(key, {})[network] = record
        self._lines.pop(key, None)
        if record.state in SETTLED:
            self._open.discard((key, network))
        else:
            self._open.add((key, network))

    def remove(self, key: str, network: str) -> None:
        by_network = self.records.get(key, {})
        by_network.pop(network, None)
        self._open.discard((key, network))
        self._lines.pop(key, None)
        if not by_network:
            self.records.pop(key, None)

    def syndications(self, uid: str) -> list[Syndication]:
        """Where the entry ``uid`` was posted (``posted`` records with a URL), by network."""
        return [
            Syndication(network, record.url, record.id, record.posted_at)
            for network, record in sorted(self.records.get(uid, {}).items())
            if record.state == POSTED and record.url
        ]

    def in_state(self, *states: str) -> Iterator[tuple[str, str, Record]]:
        """Records in ``states``, by key then network."""
        if not set(states) & SETTLED:  # only unsettled states: the index has them all
            pairs = sorted(self._open)
        else:
            pairs = [
                (k, n) for k, by_network in sorted(self.records.items()) for n in sorted(by_network)
            ]
        for key, network in pairs:
            record = self.records[key][network]
            if record.state in states:
                yield key, network, record

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "records": {
                key: {net: rec.to_json() for net, rec in sorted(by_network.items())}
                for key, by_network in sorted(self.records.items())
            },
            "networks": self._networks_json(),
        }

    def dumps(self) -> str:
        """The file's text: one line per record, so that a commit's diff reads as a list of
        what was posted (and a large ledger stays small)."""
        lines = ["{", f'  "version": {VERSION},', f'  "networks": {_one(self._networks_json())},']
        lines.append('  "records": {')
        keys = sorted(k for k, v in self.records.items() if v)
        for index, key in enumerate(keys):
            block = self._lines.get(key)
            if block is None:
                by_network = self.records[key]
                inner = ",\n".join(
                    f"    {_one(net)}: {_one(by_network[net].to_json())}"
                    for net in sorted(by_network)
                )
                block = self._lines[key] = f"   {_one(key)}: {{\n{inner}\n   }}"
            lines.append(block + ("," if index < len(keys) - 1 else ""))
        lines.append("  }")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def _networks_json(self) -> dict[str, Any]:
        return {net: dict(sorted(v.items())) for net, v in sorted(self.networks.items())}

    def save(self) -> None:
        """Write atomically: a temporary file in the same folder, fsynced, then renamed."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = self.dumps()
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
        _fsync_dir(self.path.parent)

    def write(self, key: str, network: str, record: Record) -> None:
        """Set one record and save at once (the runner's every state change)."""
        self.set(key, network, record)
        self.save()


def _one(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load_ledger(path: Path) -> Ledger:
    """Read the ledger; a missing file is an empty ledger, a broken one is a LedgerError."""
    if not path.exists():
        return Ledger(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LedgerError(f"{path}: cannot read the syndication ledger: {exc}") from None
    if not isinstance(data, dict) or data.get("version") not in (1, VERSION):
        raise LedgerError(f"{path}: not a syndication ledger (version {VERSION} expected)")
    ledger = Ledger(path)
    if data["version"] == 1:
        return _from_version_1(ledger, data)
    records = data.get("records", {})
    networks = data.get("networks", {})
    if not isinstance(records, dict) or not isinstance(networks, dict):
        raise LedgerError(f"{path}: not a syndication ledger (records must be a mapping)")
    shown = str(path)
    for key, by_network in records.items():
        if not isinstance(by_network, dict):
            raise LedgerError(f"{path}: record {key!r} is not a mapping of network to record")
        for network, raw in by_network.items():
            ledger.set(key, network, Record.from_json(raw, f"{shown}: {key} on {network}"))
    ledger.networks = {str(k): dict(v) for k, v in networks.items() if isinstance(v, dict)}
    return ledger


def _from_version_1(ledger: Ledger, data: dict[str, Any]) -> Ledger:
    entries = data.get("entries", {})
    if not isinstance(entries, dict):
        raise LedgerError(f"{ledger.path}: not a syndication ledger (entries must be a mapping)")
    for uid, by_network in entries.items():
        for network, item in dict(by_network).items():
            if not isinstance(item, dict) or "url" not in item:
                raise LedgerError(f"{ledger.path}: {uid} on {network}: no url")
            at = item.get("posted_at") or ""
            record = Record(POSTED, at, item.get("id"), item["url"], 1, posted_at=at or None)
            ledger.set(uid, network, record)
    return ledger


class LedgerBusy(Exception):
    """Another run holds the ledger lock (raised only when not waiting)."""


@contextmanager
def locked(
    path: Path, wait: bool = True, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the ledger's lock (``<ledger>.lock``, an OS file lock released if the process dies).

    With ``wait``, blocks until the other run finishes (calling ``on_wait`` once first);
    otherwise raises LedgerBusy.
    """
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise LedgerBusy(str(lock_path)) from None
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def with_attempt(record: Record | None, state: str, **changes: Any) -> Record:
    """The next record for a key: ``state`` now, one more attempt, other fields kept."""
    base = record or Record(state, utc_now())
    return replace(base, state=state, at=utc_now(), attempts=base.attempts + 1, **changes)
