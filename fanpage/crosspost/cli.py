"""``fanpage crosspost``: announce new entries on the configured networks, exactly once.

Builds the site with the publish settings (into a temporary folder: posts link to the
absolute SITEURL pages, and the share images come from that build), plans against the
ledger and posts. ``--dry-run`` shows every post as it would go out, needing no secret;
``--status`` shows the ledger; ``--settle`` records what a person found out about a post
the program could not be sure of.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fanpage.cli_options import site_option
from fanpage.crosspost.ledger import (
    FAILED,
    PENDING,
    POSTED,
    UNKNOWN,
    Ledger,
    LedgerBusy,
    LedgerError,
    Record,
    load_ledger,
    locked,
    utc_now,
)
from fanpage.crosspost.registry import NETWORKS, network_class
from fanpage.crosspost.secrets import redact

if TYPE_CHECKING:  # the runner loads the composer and i18n: only when a command needs them
    from fanpage.crosspost.runner import CrosspostSettings, Preview, Runner, RunReport


def echo(text: str = "", err: bool = False) -> None:
    click.echo(redact(text), err=err)


def settle_hint(key: str, network: str) -> list[str]:
    return [
        f"    if it was posted:    fanpage crosspost --settle {key} {network} --url URL",
        f"    if it was not:       fanpage crosspost --settle {key} {network} --retry",
    ]


# -- --status ------------------------------------------------------------------------------


def status_table(ledger: Ledger, only: Sequence[str] = ()) -> list[str]:
    rows = [("ENTRY", "NETWORK", "STATE", "URL OR ERROR", "ATTEMPTS")]
    for key, network, record in ledger.in_state(*_ALL_STATES):
        if only and network not in only:
            continue
        detail = record.url or record.error or ""
        rows.append((key, network, record.state, detail, str(record.attempts)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return [
        "  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


_ALL_STATES = (PENDING, POSTED, FAILED, UNKNOWN, "baseline")


# -- --dry-run -----------------------------------------------------------------------------


def preview_lines(result: Preview, runner: Runner) -> list[str]:
    lines: list[str] = []
    plan = result.plan
    for network in plan.first_run:
        count = sum(1 for key, n in plan.baseline if n == network and "#" not in key)
        lines.append(
            f"{network}: first run: nothing would be posted; {count} entries and shows would be "
            "recorded as already announced (use --backfill N to post the N newest)"
        )
    for due, draft, problem in result.drafts:
        label = network_class(due.network).label
        lines.append("")
        lines.append(f"{due.network} · {due.announcement.uid} ({due.announcement.kind})")
        if draft is None:
            lines.append(f"  cannot compose: {problem}")
            continue
        lines.append(f"  text ({draft.length}/{draft.limit} as {label} counts it):")
        lines.extend(f"    | {line}" for line in draft.text.split("\n"))
        if draft.card is not None:
            lines.append(
                f"  card: {draft.card.title} | {draft.card.description} | {draft.card.url}"
            )
            image = draft.card.image
            if image is not None:
                lines.append(f'  image: {_shown_path(image.path, runner)} (alt: "{image.alt}")')
        for number, photo in enumerate(draft.images, start=1):
            lines.append(
                f'  photo {number}: {_shown_path(photo.path, runner)} (alt: "{photo.alt}")'
            )
    for waiting in plan.pending:
        lines.append(f"{waiting.network}: {waiting.key}: left pending by an earlier run")
    for waiting in plan.unknown:
        lines.append(f"{waiting.network}: {waiting.key}: unknown, needs a person")
        lines.extend(settle_hint(waiting.key, waiting.network))
    if not result.drafts and not plan.first_run:
        lines.append("Nothing new to post.")
    return lines


def _shown_path(path: Path, runner: Runner) -> str:
    if runner.output_dir is not None:
        try:
            return str(path.relative_to(runner.output_dir))
        except ValueError:
            pass
    return str(path)


# -- the run's summary ---------------------------------------------------------------------


def summary_lines(report: RunReport, networks: Sequence[str]) -> list[str]:
    """One line per network, then what needs attention and what to do about it."""
    lines: list[str] = []
    for network in networks:
        outcomes = report.of(network)
        counts: dict[str, int] = {}
        for outcome in outcomes:
            counts[outcome.state] = counts.get(outcome.state, 0) + 1
        parts = [f"{n} {state}" for state, n in sorted(counts.items())]
        if network in report.baselined:
            parts.append(f"{report.baselined[network]} recorded as already announced (first run)")
        if network in report.skipped:
            parts.append(f"skipped: {report.skipped[network]}")
        lines.append(f"{network}: {', '.join(parts) if parts else 'nothing new'}")
    problems = [o for o in report.outcomes if o.state != POSTED]
    if problems or report.waiting:
        lines.append("")
        lines.append("Needs attention:")
        for outcome in problems:
            lines.append(
                f"  {outcome.keys[0]} on {outcome.network}: {outcome.state}: {outcome.error}"
            )
            if outcome.state == UNKNOWN:
                lines.extend(settle_hint(outcome.keys[0], outcome.network))
            elif outcome.state in (FAILED, PENDING):
                lines.append("    the next run tries it again")
        seen = {(o.keys[0], o.network) for o in problems}
        for waiting in report.waiting:
            if (waiting.key, waiting.network) in seen:
                continue
            lines.append(f"  {waiting.key} on {waiting.network}: unknown: {waiting.record.error}")
            lines.extend(settle_hint(waiting.key, waiting.network))
    return lines


# -- --settle ------------------------------------------------------------------------------


def settle(
    ledger_path: Path, key: str, network: str, url: str | None, post_id: str | None, retry: bool
) -> str:
    """Record a person's answer for one key; returns the line to print."""
    if network not in NETWORKS:
        raise click.BadParameter(f'"{network}" is not one of: {", ".join(NETWORKS)}')
    if bool(url) == retry:
        raise click.UsageError("--settle needs either --url URL (it was posted) or --retry")
    if url and not url.startswith(("http://", "https://")):
        raise click.BadParameter(f'"{url}" is not a URL', param_hint="--url")
    try:
        with locked(ledger_path, wait=False):
            ledger = load_ledger(ledger_path)
            record = ledger.get(key, network)
            if record is None:
                raise click.ClickException(f"the ledger has nothing for {key} on {network}")
            if retry:
                if record.state == POSTED:
                    raise click.ClickException(
                        f"{key} was posted on {network} ({record.url}); nothing to retry"
                    )
                ledger.remove(key, network)
                ledger.save()
                return f"{key} on {network}: will be posted by the next run"
            at = utc_now()
            keys = record.data.get("keys") or [key]
            for each in keys:
                ledger.set(
                    each,
                    network,
                    Record(POSTED, at, post_id, url, record.attempts, None, at, {"settled": True}),
                )
            ledger.save()
            return f"{key} on {network}: recorded as posted at {url}"
    except LedgerBusy:
        raise click.ClickException(
            "a cross-posting run is in progress; try again when it ends"
        ) from None


# -- the command ---------------------------------------------------------------------------


@click.command()
@click.option("--dry-run", is_flag=True, help="Show every post as it would go out; send nothing.")
@click.option(
    "--network",
    "networks",
    multiple=True,
    type=click.Choice(NETWORKS),
    help="Only this network (repeatable).",
)
@click.option(
    "--backfill",
    type=click.IntRange(min=0),
    default=0,
    help="On a network's first run, post the N newest entries instead of none.",
)
@click.option("--status", is_flag=True, help="Show the ledger: what was posted where.")
@click.option(
    "--settle",
    nargs=2,
    metavar="ENTRY NETWORK",
    default=None,
    help="Settle a post the program could not be sure of, with --url or --retry.",
)
@click.option("--url", default=None, help="With --settle: where the post is.")
@click.option("--id", "post_id", default=None, help="With --settle: the post's id, if known.")
@click.option("--retry", is_flag=True, help="With --settle: it was not posted; post it next run.")
@site_option
def crosspost(
    dry_run: bool,
    networks: tuple[str, ...],
    backfill: int,
    status: bool,
    settle: tuple[str, str] | None,
    url: str | None,
    post_id: str | None,
    retry: bool,
    site_dir: Path,
) -> None:
    """Announce new entries on the networks in CROSSPOST (publishconf.py), exactly once.

    The first run on a network posts nothing and records every entry as already
    announced. Secrets come from FANPAGE_* environment variables (see the README).
    """
    from fanpage.crosspost.runner import Runner, preview
    from fanpage.crosspost.site import crosspost_settings, load_for_crosspost

    config_only = status or settle is not None
    try:
        loaded = load_for_crosspost(site_dir, build=not config_only)
    except LedgerError as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(1)
    settings = crosspost_settings(loaded.config)
    if settle is not None:
        echo(_settle(settings, settle, url, post_id, retry))
        return
    if status:
        try:
            ledger = load_ledger(settings.ledger_path)
        except LedgerError as exc:
            echo(f"error: {exc}", err=True)
            sys.exit(1)
        for line in status_table(ledger, networks):
            echo(line)
        return
    if not settings.networks:
        echo("CROSSPOST in publishconf.py names no network: nothing to do.")
        return
    with tempfile.TemporaryDirectory(prefix="fanpage-crosspost-") as scratch:
        published, output_dir = loaded.build(Path(scratch))
        runner = Runner(settings, published, output_dir, echo=lambda t: echo(t, err=True))
        try:
            if dry_run:
                for line in preview_lines(preview(runner, networks, backfill), runner):
                    echo(line)
                return
            report = runner.run(networks, backfill)
        except LedgerError as exc:
            echo(f"error: {exc}; nothing was posted", err=True)
            sys.exit(1)
    for line in summary_lines(report, runner.selected(networks)):
        echo(line)
    if not report.ok:
        sys.exit(1)


def _settle(
    settings: CrosspostSettings,
    target: tuple[str, str],
    url: str | None,
    post_id: str | None,
    retry: bool,
) -> str:
    key, network = target
    return settle(settings.ledger_path, key, network, url, post_id, retry)
