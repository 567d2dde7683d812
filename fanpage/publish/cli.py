"""``fanpage deploy``: the whole way from a push to the live site and the posts about it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fanpage.crosspost.secrets import redact


def echo(text: str = "", err: bool = False) -> None:
    click.echo(redact(text), err=err)


@click.command()
@click.option("--target", default=None, help="Where to publish (default: DEPLOY_TARGET).")
@click.option(
    "--dry-run", is_flag=True, help="Check and build; show what would be published and posted."
)
@click.option("--no-crosspost", is_flag=True, help="Publish only; announce nothing.")
@click.option("--rollback", is_flag=True, help="Go back to the previous release (dir: targets).")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The site folder (where pelicanconf.py is).",
)
def deploy(
    target: str | None, dry_run: bool, no_crosspost: bool, rollback: bool, site_dir: Path
) -> None:
    """Check, build with publishconf.py, publish, wait until live, cross-post, republish.

    Safe to run twice, at once or after a crash: nothing is published from invalid content,
    nothing is posted unless the publish succeeded, and nothing is posted twice.
    """
    from fanpage.crosspost.cli import summary_lines
    from fanpage.publish.deploy import Deploy, DeployError
    from fanpage.publish.targets import TargetError

    try:
        run = Deploy(site_dir, target, crosspost=not no_crosspost, echo=lambda t: echo(t, err=True))
        if rollback:
            echo(run.rollback().summary())
            return
        report = run.run(dry_run=dry_run)
    except (DeployError, TargetError) as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(1)
    if dry_run:
        echo("Dry run: nothing was published or posted.")
        return
    if report.published is not None:
        echo(report.published.summary())
    if report.crosspost is not None:
        enabled = [name for name, config in run.settings.networks.items() if config.enabled]
        for line in summary_lines(report.crosspost, enabled):
            echo(line)
    if report.republished is not None:
        echo(f"'Also on' links: {report.republished.summary()}")
    for url in report.pinged:
        echo(f"WebSub: {url}")
    for problem in report.problems:
        echo(f"problem: {problem}")
    if not report.ok:
        sys.exit(1)
