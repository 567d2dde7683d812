"""A cross-posting run: the lock, the ledger, every network in turn, retries within a budget.

The order of writes is what makes "never twice, never lost" hold:

1. take the ledger's lock, then read the ledger (never before: another run may have just
   posted);
2. record what the plan baselines;
3. per post: write ``pending`` (with the exact text), send, write the result at once.

A post whose outcome cannot be known (a timeout after the request went out) is retried only
where a retry cannot duplicate it (an idempotency key, a deterministic record key, a
duplicate refusal) or after the network's listing of recent posts says it is not there;
anywhere else it becomes ``unknown``, for a person to settle. One network failing never
stops the others.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from fanpage.content.published import PublishedEntry
from fanpage.crosspost.compose import ComposeError, compose, with_text
from fanpage.crosspost.ledger import (
    BASELINE,
    FAILED,
    PENDING,
    POSTED,
    UNKNOWN,
    Ledger,
    Record,
    load_ledger,
    locked,
    utc_now,
    with_attempt,
)
from fanpage.crosspost.network import (
    AlreadyPosted,
    CannotTell,
    CredentialsError,
    Draft,
    LinkCard,
    Network,
    NetworkConfig,
    Posted,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.plan import Due, Plan, Waiting, announcement_for, plan_run
from fanpage.crosspost.registry import network_class
from fanpage.crosspost.secrets import MissingSecret, read_secrets, redact
from fanpage.text import clip

FIRST_DELAY = 1.0  # seconds before the first retry without Retry-After; doubles each time
MAX_DELAY = 60.0
CARD_DESCRIPTION_LIMIT = 300
Echo = Callable[[str], None]


@dataclass(frozen=True)
class CrosspostSettings:
    """What a run needs from the site's settings (publishconf.py)."""

    networks: Mapping[str, NetworkConfig]  # in the order CROSSPOST names them
    ledger_path: Path
    timeout: float = 20.0
    retry_seconds: float = 120.0
    changes: bool = False
    artist: str = ""


@dataclass(frozen=True)
class Outcome:
    network: str
    keys: tuple[str, ...]
    state: str
    url: str | None = None
    error: str | None = None
    source: str = ""


@dataclass
class RunReport:
    outcomes: list[Outcome] = field(default_factory=list)
    baselined: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # network -> why (one line)
    waiting: list[Waiting] = field(default_factory=list)  # unknown: for a person

    def of(self, network: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.network == network]

    @property
    def ok(self) -> bool:
        """Everything due was posted: nothing failed, skipped or left for a person."""
        return (
            not self.skipped and not self.waiting and all(o.state == POSTED for o in self.outcomes)
        )


@dataclass
class Clock:
    """Time as the runner sees it; tests and ``--dry-run`` replace parts of it."""

    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random


class Runner:
    def __init__(
        self,
        settings: CrosspostSettings,
        published: Sequence[PublishedEntry],
        output_dir: Path | None,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        echo: Echo = print,
    ) -> None:
        self.settings = settings
        self.published = published
        self.output_dir = output_dir
        self.environ = os.environ if environ is None else environ
        self.clock = clock or Clock()
        self._echo = echo

    def echo(self, text: str) -> None:
        self._echo(redact(text))

    # -- planning --------------------------------------------------------------------------

    def selected(self, only: Sequence[str] = ()) -> list[str]:
        """Enabled networks in CROSSPOST order, narrowed to ``only`` when given."""
        names = [n for n, c in self.settings.networks.items() if c.enabled]
        return [n for n in names if n in only] if only else names

    def plan(self, ledger: Ledger, only: Sequence[str] = (), backfill: int = 0) -> Plan:
        return plan_run(
            self.published,
            ledger,
            self.selected(only),
            self.clock.now(),
            backfill=backfill,
            changes=self.settings.changes,
            artist=self.settings.artist,
            output_dir=self.output_dir,
        )

    def network(self, name: str, ledger: Ledger, secrets: Mapping[str, str]) -> Network:
        cls = network_class(name)
        return cls(
            self.settings.networks[name],
            secrets,
            self.settings.timeout,
            remembered=ledger.networks.get(name),
        )

    def draft(self, network: Network, due: Due) -> Draft:
        """Compose one post for ``network`` (ComposeError when it cannot fit).

        A gallery's photos go with it where the network takes images, the text counted as
        the network counts it with images (Telegram: a caption); when the artist's own text
        is too long for that, the post goes out without them rather than not at all.
        """
        announcement = due.announcement
        config = self.settings.networks[network.name]
        card = LinkCard(
            announcement.url,
            announcement.title,
            clip(announcement.summary, CARD_DESCRIPTION_LIMIT),
            announcement.image,
        )
        images = announcement.photos if network.takes_images else ()

        def composed(images: tuple) -> Draft:
            return compose(
                announcement,
                network.name,
                network.rules_with_images() if images else network.rules(),
                template=config.template,
                extra_hashtags=config.hashtags,
                card=card,
                images=images,
            )

        if not images:
            return composed(())
        try:
            return composed(images)
        except ComposeError:
            return composed(())

    # -- the run ---------------------------------------------------------------------------

    def run(self, only: Sequence[str] = (), backfill: int = 0) -> RunReport:
        path = self.settings.ledger_path
        report = RunReport()

        def waiting_for_lock() -> None:
            self.echo("Another cross-posting run holds the ledger; waiting for it to finish...")

        with locked(path, on_wait=waiting_for_lock):
            ledger = load_ledger(path)
            plan = self.plan(ledger, only, backfill)
            self._record_baseline(ledger, plan, report)
            report.waiting.extend(plan.unknown)
            for name in self.selected(only):
                self._run_network(name, ledger, plan, report)
        return report

    def _record_baseline(self, ledger: Ledger, plan: Plan, report: RunReport) -> None:
        """Write the baseline, and mark first-run networks as seen (even with nothing to
        record: a site's very first entry, published later, is then posted)."""
        if not plan.baseline and not plan.first_run:
            return
        at = utc_now()
        for key, network in plan.baseline:
            ledger.set(key, network, Record(BASELINE, at))
        for network in plan.first_run:
            ledger.networks.setdefault(network, {})
        ledger.save()
        uids = {p.entry.uid for p in self.published}
        for key, network in plan.baseline:
            if key in uids:  # entries, not their shows
                report.baselined[network] = report.baselined.get(network, 0) + 1

    def _run_network(self, name: str, ledger: Ledger, plan: Plan, report: RunReport) -> None:
        due = plan.due_on(name)
        pending = [w for w in plan.pending if w.network == name]
        if not due and not pending:
            return
        cls = network_class(name)
        try:
            secrets = read_secrets(cls.secrets, self.environ)
        except MissingSecret as exc:
            variables = " and ".join(exc.variables)
            report.skipped[name] = (
                f"{cls.label}: {variables} not set; skipped {len(due) + len(pending)} post(s)"
            )
            self.echo(f"{name}: {report.skipped[name]}")
            return
        network = self.network(name, ledger, secrets)
        try:
            try:
                self._retrying(network.prepare, f"{cls.label}: connecting")
            except CredentialsError as exc:
                report.skipped[name] = self._credentials_line(cls.label, exc)
                self.echo(f"{name}: {report.skipped[name]}")
                return
            except Transient as exc:
                report.skipped[name] = f"{cls.label} unreachable: {exc.message}"
                self.echo(f"{name}: {report.skipped[name]}")
                return
            if network.remembered != ledger.networks.get(name):
                ledger.networks[name] = dict(network.remembered)
                ledger.save()
            for group in _pending_groups(pending):
                if not self._resume(network, group, ledger, report):
                    return
            for item in due:
                if not self._post(network, item, ledger, report):
                    return
        finally:
            network.close()

    def _credentials_line(self, label: str, exc: CredentialsError) -> str:
        return f"{label}: {exc.message} (check {exc.variable})"

    def _post(self, network: Network, due: Due, ledger: Ledger, report: RunReport) -> bool:
        """Post one; False when the network's credentials failed (skip the rest of it)."""
        keys = due.announcement.keys
        try:
            draft = self.draft(network, due)
        except ComposeError as exc:
            self._write(ledger, network.name, keys, FAILED, error=str(exc))
            report.outcomes.append(
                Outcome(network.name, keys, FAILED, error=str(exc), source=due.announcement.source)
            )
            self.echo(f"{network.name}: {keys[0]}: {exc}")
            return True
        data = {
            "entry": due.announcement.uid,
            "kind": due.announcement.kind,
            "keys": list(keys),
            "text": draft.text,
        }
        self._write(ledger, network.name, keys, PENDING, data=data, attempt=True)
        self.echo(f"{network.name}: posting {keys[0]}...")
        return self._send_and_record(network, draft, ledger, report, due.announcement.source)

    def _send_and_record(
        self, network: Network, draft: Draft, ledger: Ledger, report: RunReport, source: str
    ) -> bool:
        try:
            state, posted, error = self._send(network, draft)
        except CredentialsError as exc:
            line = self._credentials_line(network.label, exc)
            self._write(ledger, network.name, draft.keys, FAILED, error=line)
            report.skipped[network.name] = line
            self.echo(f"{network.name}: {line}")
            return False
        self._write(ledger, network.name, draft.keys, state, posted=posted, error=error)
        url = posted.url if posted else None
        report.outcomes.append(Outcome(network.name, draft.keys, state, url, error, source))
        shown = url or error or ""
        self.echo(f"{network.name}: {draft.keys[0]}: {state} {shown}".rstrip())
        return True

    def _send(self, network: Network, draft: Draft) -> tuple[str, Posted | None, str | None]:
        """Post with retries; (state, post, error). CredentialsError passes through."""
        deadline = self.clock.monotonic() + self.settings.retry_seconds
        attempt = 0
        while True:
            try:
                return POSTED, network.post(draft), None
            except AlreadyPosted as exc:
                if exc.posted is not None:
                    return POSTED, exc.posted, None
                return POSTED, None, f"{exc.message} (its address could not be found)"
            except Rejected as exc:
                return FAILED, None, exc.message
            except Transient as exc:
                if exc.maybe_sent and not network.idempotent:
                    verdict = self._check_earlier(network, draft, exc)
                    if verdict is not None:
                        return verdict
                wait = exc.retry_after
                if wait is None:
                    wait = min(MAX_DELAY, FIRST_DELAY * 2**attempt) * (
                        0.5 + self.clock.jitter() / 2
                    )
                if self.clock.monotonic() + wait > deadline:
                    # Unsure whether it went out: leave it pending for the next run to resolve.
                    return (PENDING if exc.maybe_sent else FAILED), None, exc.message
                self.echo(f"{network.name}: {exc.message}; retrying in {wait:.0f} s")
                self.clock.sleep(wait)
                attempt += 1
            except CredentialsError:
                raise
            except PostError as exc:  # CannotTell or another kind: nothing is known to be sent
                return FAILED, None, exc.message

    def _check_earlier(
        self, network: Network, draft: Draft, exc: Transient
    ) -> tuple[str, Posted | None, str | None] | None:
        """After a maybe-sent failure on a network without idempotency: look, or give up.

        None means "certainly not posted": retrying is safe.
        """
        if not network.can_find_earlier:
            return UNKNOWN, None, f"{exc.message}; {network.label} cannot say whether it was posted"
        try:
            found = network.find_earlier(draft)
        except (CannotTell, Transient) as failure:
            return UNKNOWN, None, f"{exc.message}; and checking failed: {failure.message}"
        if found is not None:
            return POSTED, found, None
        return None

    def _resume(
        self, network: Network, group: list[Waiting], ledger: Ledger, report: RunReport
    ) -> bool:
        """Resolve a post an earlier run left pending, without ever posting it twice."""
        first = group[0]
        record = first.record
        keys = tuple(record.data.get("keys") or [w.key for w in group])
        if first.published is None or "text" not in record.data:
            error = "an earlier run stopped while posting this, and it is no longer published"
            self._write(ledger, network.name, keys, UNKNOWN, error=error)
            report.waiting.append(Waiting(first.key, network.name, record, None))
            return True
        announcement = announcement_for(
            first.published,
            keys,
            record.data.get("kind", ""),
            self.clock.now(),
            self.settings.artist,
            self.output_dir,
        )
        try:
            draft = self.draft(network, Due(network.name, announcement))
        except ComposeError:
            draft = None
        if draft is None or draft.keys != keys:
            error = "an earlier run stopped while posting this; the entry has changed since"
            self._write(ledger, network.name, keys, UNKNOWN, error=error)
            report.waiting.append(Waiting(first.key, network.name, record, first.published))
            return True
        rules = network.rules_with_images() if draft.images else network.rules()
        draft = with_text(draft, record.data["text"], rules)
        if not self._safe_to_repeat(network, record):
            try:
                if not network.can_find_earlier:
                    raise CannotTell("it cannot list the account's recent posts")
                found = network.find_earlier(draft)
            except (CannotTell, Transient) as exc:
                error = (
                    f"an earlier run stopped while posting this; {network.label} cannot say "
                    f"whether it was posted ({exc.message})"
                )
                self._write(ledger, network.name, keys, UNKNOWN, error=error)
                report.waiting.append(Waiting(first.key, network.name, record, first.published))
                self.echo(f"{network.name}: {keys[0]}: unknown: {error}")
                return True
            if found is not None:
                self._write(ledger, network.name, keys, POSTED, posted=found)
                report.outcomes.append(Outcome(network.name, keys, POSTED, found.url))
                self.echo(f"{network.name}: {keys[0]}: posted {found.url or ''} (found)".rstrip())
                return True
        self._write(ledger, network.name, keys, PENDING, data=record.data, attempt=True)
        self.echo(f"{network.name}: resuming {keys[0]}...")
        return self._send_and_record(network, draft, ledger, report, announcement.source)

    def _safe_to_repeat(self, network: Network, record: Record) -> bool:
        if not network.idempotent:
            return False
        window = network.idempotency_window
        if window is None:
            return True
        try:
            written = datetime.fromisoformat(record.at.replace("Z", "+00:00"))
        except ValueError:
            return False
        return (self.clock.now() - written).total_seconds() < window * 0.9

    def _retrying(self, action: Callable[[], None], what: str) -> None:
        deadline = self.clock.monotonic() + self.settings.retry_seconds
        attempt = 0
        while True:
            try:
                action()
                return
            except Transient as exc:
                wait = exc.retry_after
                if wait is None:
                    wait = min(MAX_DELAY, FIRST_DELAY * 2**attempt)
                if self.clock.monotonic() + wait > deadline:
                    raise
                self.echo(f"{what}: {exc.message}; retrying in {wait:.0f} s")
                self.clock.sleep(wait)
                attempt += 1

    def _write(
        self,
        ledger: Ledger,
        network: str,
        keys: Sequence[str],
        state: str,
        *,
        posted: Posted | None = None,
        error: str | None = None,
        data: Mapping | None = None,
        attempt: bool = False,
    ) -> None:
        """One state for every key of a post, in one atomic write."""
        for key in keys:
            old = ledger.get(key, network)
            record = with_attempt(old, state) if attempt else _next(old, state)
            record = _with_result(record, state, posted, error, data)
            ledger.set(key, network, record)
        ledger.save()


def _next(old: Record | None, state: str) -> Record:
    """The next record for a key without counting an attempt (a result, a settlement)."""
    return Record(state, utc_now()) if old is None else replace(old, state=state, at=utc_now())


def _with_result(
    record: Record, state: str, posted: Posted | None, error: str | None, data: Mapping | None
) -> Record:
    if state == POSTED:
        return replace(
            record,
            id=posted.id if posted else record.id,
            url=posted.url if posted else record.url,
            error=redact(error) if error else None,
            posted_at=record.at,
            data=dict(posted.data) if posted else {},
        )
    return replace(
        record,
        error=redact(error) if error else None,
        data=dict(data) if data is not None else record.data,
    )


def _pending_groups(pending: list[Waiting]) -> list[list[Waiting]]:
    """Pending records of one post (the shows of one "new dates" post) together."""
    groups: dict[tuple, list[Waiting]] = {}
    for waiting in pending:
        keys = tuple(waiting.record.data.get("keys") or [waiting.key])
        groups.setdefault(keys, []).append(waiting)
    return list(groups.values())


@dataclass(frozen=True)
class Preview:
    """What ``--dry-run`` shows: the plan, and each due post composed for its network."""

    plan: Plan
    drafts: list[tuple[Due, Draft | None, str | None]]  # (due, draft, why it cannot be composed)


def preview(runner: Runner, only: Sequence[str] = (), backfill: int = 0) -> Preview:
    """Plan and compose without secrets, sending nothing and writing nothing.

    Each network counts as on its last run (Mastodon's limit as last read from the
    instance, else its default).
    """
    ledger = load_ledger(runner.settings.ledger_path)
    plan = runner.plan(ledger, only, backfill)
    drafts: list[tuple[Due, Draft | None, str | None]] = []
    networks: dict[str, Network] = {}
    for due in plan.due:
        network = networks.get(due.network)
        if network is None:
            network = networks[due.network] = runner.network(due.network, ledger, {})
        try:
            drafts.append((due, runner.draft(network, due), None))
        except ComposeError as exc:
            drafts.append((due, None, str(exc)))
    return Preview(plan, drafts)
