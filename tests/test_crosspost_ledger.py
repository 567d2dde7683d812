"""The ledger: atomic writes, refusal to guess, the lock, and version 1 upgrades."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from fanpage.crosspost.ledger import (
    BASELINE,
    PENDING,
    POSTED,
    Ledger,
    LedgerBusy,
    LedgerError,
    Record,
    load_ledger,
    locked,
)


def test_save_then_load_round_trips_every_field(tmp_path: Path) -> None:
    path = tmp_path / "syndication.json"
    ledger = Ledger(path)
    posted = Record(
        POSTED,
        "2026-11-20T05:00:00Z",
        "110",
        "https://m.social/@b/110",
        2,
        None,
        "2026-11-20T05:00:00Z",
        {"cid": "bafy"},
    )
    ledger.set("news/a", "mastodon", posted)
    ledger.set("news/a", "bluesky", Record(BASELINE, "2026-11-20T05:00:00Z"))
    ledger.networks["mastodon"] = {"max_characters": 1000}
    ledger.save()
    again = load_ledger(path)
    assert again.get("news/a", "mastodon") == posted
    assert again.get("news/a", "bluesky").state == BASELINE
    assert again.networks == {"mastodon": {"max_characters": 1000}}
    assert [s.url for s in again.syndications("news/a")] == ["https://m.social/@b/110"]
    assert json.loads(path.read_text())["version"] == 2


def test_save_leaves_no_temporary_file_and_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "syndication.json"
    path.write_text('{"version": 2, "records": {}, "networks": {}}\n')
    inode = path.stat().st_ino
    ledger = load_ledger(path)
    ledger.write("news/a", "x", Record(PENDING, "2026-11-20T05:00:00Z", attempts=1))
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["syndication.json"]


def test_a_failed_write_keeps_the_previous_ledger(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "syndication.json"
    ledger = Ledger(path)
    ledger.write("news/a", "x", Record(POSTED, "t", "1", "https://x.com/b/status/1"))
    before = path.read_text()

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    ledger.set("news/b", "x", Record(POSTED, "t", "2", "https://x.com/b/status/2"))
    with pytest.raises(OSError, match="disk full"):
        ledger.save()
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["syndication.json"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "cannot read the syndication ledger"),
        ('{"version": 9}', "not a syndication ledger"),
        ("[]", "not a syndication ledger"),
        ('{"version": 2, "records": {"a": {"x": {"state": "maybe"}}}}', "not a ledger record"),
        (
            '{"version": 2, "records": {"a": {"x": {"state": "posted", "attempts": "two"}}}}',
            "bad ledger record",
        ),
        ('{"version": 2, "records": []}', "records must be a mapping"),
    ],
)
def test_a_broken_ledger_is_an_error_never_an_empty_one(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "syndication.json"
    path.write_text(text)
    with pytest.raises(LedgerError, match=message) as caught:
        load_ledger(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_ledger_is_empty(tmp_path: Path) -> None:
    ledger = load_ledger(tmp_path / "none.json")
    assert ledger.records == {} and not ledger.knows_network("x")


def test_version_1_ledgers_are_read_as_posted(tmp_path: Path) -> None:
    path = tmp_path / "syndication.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "entries": {
                    "news/a": {
                        "mastodon": {
                            "url": "https://m.social/@b/1",
                            "id": "1",
                            "posted_at": "2026-03-02T10:00Z",
                        }
                    }
                },
            }
        )
    )
    ledger = load_ledger(path)
    record = ledger.get("news/a", "mastodon")
    assert (record.state, record.url, record.id) == (POSTED, "https://m.social/@b/1", "1")
    assert ledger.knows_network("mastodon")


def _hold(path: str, ready, release) -> None:
    with locked(Path(path)):
        ready.set()
        release.wait(30)


def test_the_lock_keeps_a_second_run_out_until_the_first_ends(tmp_path: Path) -> None:
    path = tmp_path / "syndication.json"
    ready, release = multiprocessing.Event(), multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold, args=(str(path), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(LedgerBusy), locked(path, wait=False):
            pass
    finally:
        release.set()
        holder.join(30)
    with locked(path, wait=False):  # free again once the holder is gone
        pass
