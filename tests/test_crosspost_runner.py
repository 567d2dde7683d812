"""The runner's decisions, with a scripted network and a test clock (no waiting).

Every platform's real behaviour is tested against its server in ``test_net_*.py`` and end
to end in ``test_crosspost_scenarios.py``; here each retry and ledger decision is driven
one at a time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from fanpage.content.models import NewsPost
from fanpage.content.published import PublishedEntry
from fanpage.crosspost import runner as runner_module
from fanpage.crosspost.counting import TextRules, grapheme_count
from fanpage.crosspost.ledger import (
    FAILED,
    PENDING,
    POSTED,
    UNKNOWN,
    Ledger,
    Record,
    load_ledger,
)
from fanpage.crosspost.network import (
    AlreadyPosted,
    CredentialsError,
    Draft,
    Network,
    NetworkConfig,
    Posted,
    Rejected,
    Transient,
)
from fanpage.crosspost.runner import Clock, CrosspostSettings, Runner

NOW = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)
SECRET = "s3cr3t-token-value-1234"


class Scripted(Network):
    """A network whose answers the test scripts: a list of results or exceptions, in order."""

    name = "scripted"
    label = "Scripted"
    secrets: ClassVar[tuple[str, ...]] = ("FANPAGE_SCRIPTED_TOKEN",)
    default_api_base = "http://127.0.0.1:1"
    limit = 100
    script: ClassVar[list] = []
    found: ClassVar[list] = []
    sent: ClassVar[list[Draft]] = []

    def rules(self) -> TextRules:
        return TextRules(100, grapheme_count)

    def post(self, draft: Draft) -> Posted:
        type(self).sent.append(draft)
        result = type(self).script.pop(0)
        if callable(result):  # an answer computed at the moment of the request
            result = result()
        if isinstance(result, Exception):
            raise result
        return result

    def find_earlier(self, draft: Draft) -> Posted | None:
        result = type(self).found.pop(0)
        if isinstance(result, Exception):
            raise result
        return result


class Listing(Scripted):
    name = "listing"
    label = "Listing"
    secrets: ClassVar[tuple[str, ...]] = ("FANPAGE_LISTING_TOKEN",)
    can_find_earlier = True


class Keyed(Scripted):
    name = "keyed"
    label = "Keyed"
    secrets: ClassVar[tuple[str, ...]] = ("FANPAGE_KEYED_TOKEN",)
    idempotent = True
    idempotency_window = 3600.0
    can_find_earlier = True  # like Mastodon: a key kept an hour, and a listing


CLASSES = {"scripted": Scripted, "listing": Listing, "keyed": Keyed}


class ManualClock(Clock):
    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []
        super().__init__(
            now=lambda: NOW + timedelta(seconds=self.t),
            monotonic=lambda: self.t,
            sleep=self._sleep,
            jitter=lambda: 1.0,
        )

    def _sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds


@pytest.fixture(autouse=True)
def scripted_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_module, "network_class", CLASSES.__getitem__)
    monkeypatch.setattr("fanpage.crosspost.plan.NETWORKS", tuple(CLASSES))
    for cls in CLASSES.values():
        cls.script, cls.found, cls.sent = [], [], []


def entry(uid: str = "news/a") -> PublishedEntry:
    post = NewsPost(
        uid=uid,
        title="A new song",
        slug="a",
        lang="en",
        date=NOW - timedelta(days=1),
        source_path="content/news/a.md",
    )
    return PublishedEntry(post, "news/a/", "https://suarasenja.band/news/a/", "<p>Out now.</p>")


def make_runner(
    tmp_path: Path, names: tuple[str, ...] = ("scripted",), retry: float = 30.0
) -> tuple[Runner, ManualClock, Path]:
    ledger_path = tmp_path / "syndication.json"
    # A known network (not a first run): an earlier entry was posted there.
    ledger = Ledger(ledger_path)
    for name in names:
        ledger.set("news/old", name, Record(POSTED, "2026-11-01T00:00:00Z", "1", "https://e/1"))
    ledger.save()
    configs = {n: NetworkConfig(n, "http://127.0.0.1:1", {}) for n in names}
    settings = CrosspostSettings(configs, ledger_path, timeout=5, retry_seconds=retry)
    clock = ManualClock()
    environ = {cls.secrets[0]: SECRET for cls in CLASSES.values()}
    lines: list[str] = []
    runner = Runner(settings, [entry()], None, environ=environ, clock=clock, echo=lines.append)
    runner.lines = lines  # type: ignore[attr-defined]
    return runner, clock, ledger_path


def record(path: Path, network: str = "scripted", key: str = "news/a") -> Record:
    return load_ledger(path).get(key, network)


def test_a_transient_failure_is_retried_with_backoff_then_posted(tmp_path: Path) -> None:
    runner, clock, path = make_runner(tmp_path)
    Scripted.script = [Transient("503"), Transient("503"), Posted("9", "https://e/9")]
    report = runner.run()
    assert report.ok and clock.slept == [1.0, 2.0]
    saved = record(path)
    assert (saved.state, saved.id, saved.url, saved.attempts) == (POSTED, "9", "https://e/9", 1)
    assert "text" not in saved.data  # the pending text is dropped once posted


def test_retry_after_is_honoured(tmp_path: Path) -> None:
    runner, clock, _ = make_runner(tmp_path)
    Scripted.script = [Transient("429", retry_after=7), Posted("9", "https://e/9")]
    assert runner.run().ok and clock.slept == [7]


def test_the_retry_budget_ends_in_failed_and_the_next_run_retries(tmp_path: Path) -> None:
    runner, clock, path = make_runner(tmp_path, retry=5)
    Scripted.script = [Transient("503")] * 3
    report = runner.run()
    assert not report.ok and sum(clock.slept) <= 5
    assert record(path).state == FAILED and record(path).error == "503"
    Scripted.script = [Posted("9", "https://e/9")]
    assert runner.run().ok and record(path).attempts == 2


def test_maybe_sent_without_idempotency_or_listing_becomes_unknown(tmp_path: Path) -> None:
    runner, clock, path = make_runner(tmp_path)
    Scripted.script = [Transient("timed out", maybe_sent=True)]
    report = runner.run()
    assert record(path).state == UNKNOWN and len(Scripted.sent) == 1 and clock.slept == []
    assert not report.ok
    Scripted.script = [Posted("x", "https://e/x")]
    runner.run()
    assert len(Scripted.sent) == 1  # never posted again by itself


def test_maybe_sent_with_a_listing_looks_before_retrying(tmp_path: Path) -> None:
    runner, _, path = make_runner(tmp_path, ("listing",))
    Listing.script = [Transient("timed out", maybe_sent=True)]
    Listing.found = [Posted("7", "https://e/7")]
    assert runner.run().ok
    assert record(path, "listing").url == "https://e/7" and len(Listing.sent) == 1
    runner2, _, path2 = make_runner(tmp_path / "b", ("listing",))
    Listing.script = [Transient("timed out", maybe_sent=True), Posted("8", "https://e/8")]
    Listing.found = [None]  # certainly not there: safe to post again
    assert runner2.run().ok and record(path2, "listing").id == "8"


def test_maybe_sent_on_an_idempotent_network_is_retried(tmp_path: Path) -> None:
    runner, _, path = make_runner(tmp_path, ("keyed",))
    Keyed.script = [Transient("timed out", maybe_sent=True), Posted("5", "https://e/5")]
    assert runner.run().ok
    assert Keyed.sent[0].idempotency_key == Keyed.sent[1].idempotency_key
    assert record(path, "keyed").id == "5"


def test_already_posted_is_read_as_posted(tmp_path: Path) -> None:
    runner, _, path = make_runner(tmp_path)
    Scripted.script = [AlreadyPosted("duplicate", Posted("3", "https://e/3"))]
    assert runner.run().ok and record(path).url == "https://e/3"


def test_rejected_is_failed_without_retry(tmp_path: Path) -> None:
    runner, clock, path = make_runner(tmp_path)
    Scripted.script = [Rejected("422 too long")]
    assert not runner.run().ok and clock.slept == [] and record(path).state == FAILED


def test_bad_credentials_skip_that_network_and_the_others_go_on(tmp_path: Path) -> None:
    runner, _, path = make_runner(tmp_path, ("scripted", "keyed"))
    Scripted.script = [CredentialsError("token expired", "FANPAGE_SCRIPTED_TOKEN")]
    Keyed.script = [Posted("5", "https://e/5")]
    report = runner.run()
    assert "FANPAGE_SCRIPTED_TOKEN" in report.skipped["scripted"]
    assert record(path, "keyed").state == POSTED and not report.ok


def test_a_missing_secret_is_one_line_and_the_others_go_on(tmp_path: Path) -> None:
    runner, _, path = make_runner(tmp_path, ("scripted", "keyed"))
    runner.environ = {"FANPAGE_KEYED_TOKEN": SECRET}
    Keyed.script = [Posted("5", "https://e/5")]
    report = runner.run()
    assert report.skipped == {
        "scripted": "Scripted: FANPAGE_SCRIPTED_TOKEN not set; skipped 1 post(s)"
    }
    assert record(path, "scripted") is None and record(path, "keyed").state == POSTED


def _pending(path: Path, network: str, at: str) -> None:
    ledger = load_ledger(path)
    data = {
        "entry": "news/a",
        "kind": "news",
        "keys": ["news/a"],
        "text": "Old text https://suarasenja.band/news/a/",
    }
    ledger.write("news/a", network, Record(PENDING, at, attempts=1, data=data))


def test_a_pending_post_on_an_idempotent_network_is_resent_with_its_old_text(
    tmp_path: Path,
) -> None:
    runner, _, path = make_runner(tmp_path, ("keyed",))
    _pending(path, "keyed", "2026-11-20T04:50:00Z")  # ten minutes ago: the key still holds
    Keyed.script = [Posted("5", "https://e/5")]
    assert runner.run().ok
    assert Keyed.sent[0].text == "Old text https://suarasenja.band/news/a/"
    assert record(path, "keyed").attempts == 2


def test_a_pending_post_past_the_key_window_is_looked_for_first(tmp_path: Path) -> None:
    runner, _, path = make_runner(tmp_path, ("keyed",))
    _pending(path, "keyed", "2026-11-19T04:00:00Z")  # a day ago
    Keyed.found = [Posted("4", "https://e/4")]
    assert runner.run().ok and Keyed.sent == []
    assert record(path, "keyed").url == "https://e/4"


def test_a_pending_post_no_one_can_check_becomes_unknown(tmp_path: Path) -> None:
    runner, _, path = make_runner(tmp_path)
    _pending(path, "scripted", "2026-11-20T04:59:00Z")
    report = runner.run()
    assert Scripted.sent == [] and record(path).state == UNKNOWN and not report.ok


def test_secrets_never_reach_the_ledger_or_the_output(tmp_path: Path) -> None:
    runner, _, path = make_runner(tmp_path)
    Scripted.script = [Rejected(f"401 for token {SECRET} at https://api/{SECRET}")]
    runner.run()
    assert SECRET not in path.read_text()
    assert SECRET not in "\n".join(runner.lines)  # type: ignore[attr-defined]
    assert "[secret]" in record(path).error


def test_the_pending_record_is_written_before_the_request(tmp_path: Path) -> None:
    runner, _, path = make_runner(tmp_path)
    seen: list[Record] = []

    def look() -> Posted:
        seen.append(record(path))
        return Posted("1", "https://e/1")

    Scripted.script = [look]
    runner.run()
    assert seen[0].state == PENDING and seen[0].data["text"].startswith("A new song")


def test_a_first_run_on_an_empty_site_still_marks_the_network_seen(tmp_path: Path) -> None:
    ledger_path = tmp_path / "syndication.json"
    configs = {"scripted": NetworkConfig("scripted", "http://127.0.0.1:1", {})}
    settings = CrosspostSettings(configs, ledger_path)
    environ = {"FANPAGE_SCRIPTED_TOKEN": SECRET}
    empty = Runner(settings, [], None, environ=environ, clock=ManualClock(), echo=print)
    assert empty.run().ok
    assert load_ledger(ledger_path).knows_network("scripted")
    Scripted.script = [Posted("1", "https://e/1")]
    first_entry = Runner(settings, [entry()], None, environ=environ, clock=ManualClock())
    assert first_entry.run().ok and len(Scripted.sent) == 1  # posted, not baselined
