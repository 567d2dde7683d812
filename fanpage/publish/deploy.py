"""``fanpage deploy``: check, build, publish, wait until live, cross-post, republish, report.

Safe to run twice, at once, or after a crash:

- nothing is published unless the content checks strictly, and nothing is posted unless the
  publish succeeded (a failed publish leaves the previous site in place);
- only entries whose new page is live are posted, because Mastodon, Facebook, Threads and
  Telegram fetch the preview the moment the post is made;
- posting goes through the cross-posting runner: its ledger lock makes a second deploy wait,
  and its ledger makes every entry go out once;
- the pages whose "also on" links changed are rebuilt and published again at once.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from fanpage.config import SiteConfig, load_config
from fanpage.content.problems import ContentError
from fanpage.content.published import PublishedEntry
from fanpage.crosspost.ledger import load_ledger, locked
from fanpage.crosspost.runner import Runner, RunReport, preview
from fanpage.crosspost.site import crosspost_settings
from fanpage.publish.target import PublishError, PublishPlan, PublishResult, Target
from fanpage.publish.targets import parse_target
from fanpage.publish.wait import WaitResult, expect_built_page, wait_until_live

Echo = Callable[[str], None]
FEED_SUFFIXES = (".atom.xml", ".rss.xml", ".json")
FEED_STATE = "deploy"  # the ledger's networks-meta entry where feed hashes are kept


class DeployError(Exception):
    """A deploy step failed; the message is one line saying what to do."""


@dataclass
class DeployReport:
    published: PublishResult | None = None
    plan: PublishPlan | None = None
    wait: WaitResult | None = None
    crosspost: RunReport | None = None
    republished: PublishResult | None = None
    pinged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and (self.crosspost is None or self.crosspost.ok)


def _built(site_dir: Path, output: Path) -> list[PublishedEntry]:
    from fanpage.engine.build import build_site

    checked = build_site(site_dir, publish=True, output=output, strict=True)
    return list(checked.published)


def feed_hashes(output_dir: Path) -> dict[str, str]:
    """sha256 of every feed in a build, by path: which feeds changed since the last deploy."""
    hashes = {}
    for path in sorted(output_dir.rglob("*")):
        name = path.relative_to(output_dir).as_posix()
        if path.is_file() and name.endswith(FEED_SUFFIXES) and ("feed" in name):
            hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


class Deploy:
    def __init__(
        self,
        site_dir: Path,
        target: str | None = None,
        *,
        crosspost: bool = True,
        echo: Echo = print,
        environ: dict[str, str] | None = None,
    ) -> None:
        self.site_dir = site_dir
        self.config: SiteConfig = load_config(site_dir, publish=True)
        if self.config.problems.errors:
            raise ContentError(self.config.problems)
        self.values = self.config.settings
        spec = target or self.values.deploy_target
        if not spec:
            raise DeployError(
                "no deploy target: set DEPLOY_TARGET in publishconf.py or pass --target "
                "(dir:/var/www/site, github-pages, rsync:user@host:/path, s3://bucket/prefix)"
            )
        self.target: Target = parse_target(
            spec, site_dir=site_dir, options={"s3": dict(self.values.deploy_s3)}
        )
        self.crosspost = crosspost and bool(self.values.crosspost)
        self.echo = echo
        self.environ = environ
        self.settings = crosspost_settings(self.config)
        self.site_url = self.values.siteurl

    def _runner(self, published: list[PublishedEntry], output: Path) -> Runner:
        return Runner(self.settings, published, output, environ=self.environ, echo=self.echo)

    # -- the steps ---------------------------------------------------------------------------

    def run(self, dry_run: bool = False) -> DeployReport:
        report = DeployReport()
        with tempfile.TemporaryDirectory(prefix="fanpage-deploy-") as scratch:
            output = Path(scratch) / "site"
            self.echo(f"Checking and building {self.values.sitename} (publish settings)...")
            published = _built(self.site_dir, output)
            if dry_run:
                return self._dry_run(report, published, output)
            self.echo(f"Publishing to {self.target.describe()}...")
            try:
                report.published = self.target.publish(output)
            except PublishError as exc:
                raise DeployError(
                    f"publish failed, the previous site is still live: {exc}"
                ) from None
            self.echo(report.published.summary())
            if self.crosspost:
                live = self._wait(report, self._runner(published, output), published, output)
                report.crosspost = self._runner(live, output).run()
            self._ping(report, output)
        if report.crosspost is not None and any(
            o.state == "posted" for o in report.crosspost.outcomes
        ):
            self._republish(report)
        return report

    def _dry_run(
        self, report: DeployReport, published: list[PublishedEntry], output: Path
    ) -> DeployReport:
        report.plan = self.target.plan(output)
        self.echo(report.plan.summary())
        for name in (*report.plan.added, *report.plan.changed):
            self.echo(f"  upload {name}")
        for name in report.plan.deleted:
            self.echo(f"  delete {name}")
        if self.crosspost:
            result = preview(self._runner(published, output))
            for due, draft, problem in result.drafts:
                shown = f"{draft.length}/{draft.limit}" if draft else f"cannot compose: {problem}"
                self.echo(f"  would post {due.announcement.uid} on {due.network} ({shown})")
            for network in result.plan.first_run:
                self.echo(f"  {network}: first run: would record a baseline, post nothing")
        return report

    def _wait(
        self,
        report: DeployReport,
        runner: Runner,
        published: list[PublishedEntry],
        output: Path,
    ) -> list[PublishedEntry]:
        """Entries due for posting whose new page is live; the others wait for the next run."""
        seconds = self.values.deploy_wait_seconds
        plan = runner.plan(load_ledger(self.settings.ledger_path))
        due_uids = {d.announcement.uid for d in plan.due}
        urls = {p.url: p for p in published if p.entry.uid in due_uids}
        if not urls or seconds <= 0:
            return published
        self.echo(f"Waiting for {len(urls)} new page(s) to be live (at most {seconds:.0f} s)...")
        checks = [expect_built_page(url, output, self.site_url) for url in urls]
        report.wait = wait_until_live(checks, seconds)
        late = {urls[url].entry.uid for url in report.wait.not_live}
        for uid in sorted(late):
            report.problems.append(
                f"{uid}: its page was not live in time, so it was not posted; "
                "the next deploy (or fanpage crosspost) posts it"
            )
        return [p for p in published if p.entry.uid not in late]

    def _ping(self, report: DeployReport, output: Path) -> None:
        """Tell the WebSub hub about every feed whose bytes changed since the last deploy."""
        hub = self.values.websub_hub
        if not hub:
            return
        ledger_path = self.settings.ledger_path
        with locked(ledger_path):
            ledger = load_ledger(ledger_path)
            before = ledger.networks.get(FEED_STATE, {}).get("feeds", {})
            now = feed_hashes(output)
            changed = [name for name, digest in now.items() if before.get(name) != digest]
            told = {name: digest for name, digest in now.items() if name not in changed}
            for name in changed:
                url = f"{self.site_url}/{name}"
                try:
                    answer = requests.post(
                        hub, data={"hub.mode": "publish", "hub.url": url}, timeout=20
                    )
                except requests.RequestException as exc:
                    report.problems.append(f"WebSub hub {hub}: {type(exc).__name__}")
                    continue
                if answer.status_code >= 400:
                    report.problems.append(f"WebSub hub {hub}: HTTP {answer.status_code} for {url}")
                else:
                    report.pinged.append(url)
                    told[name] = now[name]
            # A feed the hub was not told about stays "changed" for the next deploy.
            ledger.networks[FEED_STATE] = {"feeds": dict(sorted(told.items()))}
            ledger.save()

    def _republish(self, report: DeployReport) -> None:
        """Rebuild with the new posts in the ledger, so the live pages link to them now."""
        with tempfile.TemporaryDirectory(prefix="fanpage-deploy-") as scratch:
            output = Path(scratch) / "site"
            self.echo("Adding the new 'also on' links and publishing again...")
            _built(self.site_dir, output)
            try:
                report.republished = self.target.publish(output)
            except PublishError as exc:
                report.problems.append(
                    f"republishing with the new 'also on' links failed: {exc}; "
                    "the next deploy adds them"
                )
                return
            self.echo(report.republished.summary())

    def rollback(self) -> PublishResult:
        if not self.target.supports_rollback:
            raise DeployError(f"{self.target.describe()} keeps no previous release to go back to")
        try:
            return self.target.rollback()
        except PublishError as exc:
            raise DeployError(f"rollback failed: {exc}") from None
