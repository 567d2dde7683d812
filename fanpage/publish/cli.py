"""``fanpage deploy``: the whole way from a push to the live site and the posts about it;
``fanpage hook``: the same on every ``git push`` to a bare repository on your own server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fanpage.cli_options import site_option
from fanpage.crosspost.secrets import redact

if TYPE_CHECKING:
    from fanpage.crosspost.runner import RunReport


def echo(text: str = "", err: bool = False) -> None:
    click.echo(redact(text), err=err)


@click.command()
@click.option("--target", default=None, help="Where to publish (default: DEPLOY_TARGET).")
@click.option(
    "--dry-run", is_flag=True, help="Check and build; show what would be published and posted."
)
@click.option("--no-crosspost", is_flag=True, help="Publish only; announce nothing.")
@click.option("--rollback", is_flag=True, help="Go back to the previous release (dir: targets).")
@site_option
def deploy(
    target: str | None, dry_run: bool, no_crosspost: bool, rollback: bool, site_dir: Path
) -> None:
    """Check, build with publishconf.py, publish, wait until live, cross-post, republish.

    Safe to run twice, at once or after a crash: nothing is published from invalid content,
    nothing is posted unless the publish succeeded, and nothing is posted twice.
    """
    from fanpage.config import NoSiteError
    from fanpage.content.problems import ContentError
    from fanpage.crosspost.cli import summary_lines
    from fanpage.publish.deploy import Deploy, DeployError
    from fanpage.publish.targets import TargetError

    try:
        run = Deploy(site_dir, target, crosspost=not no_crosspost, echo=lambda t: echo(t, err=True))
        if rollback:
            echo(run.rollback().summary())
            return
        report = run.run(dry_run=dry_run)
    except NoSiteError as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(1)
    except ContentError as exc:
        from fanpage.cli import report as report_problems

        report_problems(exc.problems, strict=True)  # a deploy checks strictly
        echo("Not deployed: nothing was published or posted.", err=True)
        sys.exit(1)
    except (DeployError, TargetError) as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(1)
    if dry_run:
        echo("Dry run: nothing was published or posted.")
        return
    echo("Summary:")
    if report.published is not None:
        echo(f"  {report.published.summary()}")
    if report.republished is not None:
        echo(f"  'Also on' links: {report.republished.summary()}")
    if report.crosspost is not None:
        enabled = [name for name, config in run.settings.networks.items() if config.enabled]
        for line in post_lines(report.crosspost, summary_lines(report.crosspost, enabled)):
            echo(f"  {line}" if line else "")
    for url in report.pinged:
        echo(f"  WebSub: {url}")
    for problem in report.problems:
        echo(f"  problem: {problem}")
    if not report.ok:
        sys.exit(1)


def post_lines(crosspost: RunReport, lines: list[str]) -> list[str]:
    """The cross-posting summary with each post's URL under its network's line."""
    shown: list[str] = []
    for line in lines:
        shown.append(line)
        if line == "Needs attention:":
            shown.extend(lines[len(shown) :])
            break
        network = line.partition(":")[0]
        for outcome in crosspost.of(network):
            if outcome.state == "posted" and outcome.url:
                shown.append(f"  {', '.join(outcome.keys)}: {outcome.url}")
    return shown


# -- fanpage hook ----------------------------------------------------------------------------


@click.group()
def hook() -> None:
    """Deploy on git push: a post-receive hook for a bare repository on your own server.

    Each push to the repository's main branch deploys exactly the pushed commit with
    `fanpage deploy`, and the push prints the deploy's progress and result.
    """


@hook.command("install")
@click.argument("repo", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--target",
    default=None,
    help="Where to publish, e.g. dir:/var/www/site (default: DEPLOY_TARGET of the site).",
)
@click.option("--force", is_flag=True, help="Replace a post-receive hook fanpage did not write.")
def hook_install(repo: Path, target: str | None, force: bool) -> None:
    """Install the post-receive hook into the bare repository REPO.

    Makes the state folder REPO/fanpage-state/ (the cross-post ledger, the secrets file
    env, the checkout being deployed); the hook runs this very Python.
    """
    from fanpage.publish.hook import HookError, install
    from fanpage.publish.targets import TargetError

    try:
        done = install(repo, target, force=force)
    except (HookError, TargetError) as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(1)
    state = done.state
    verb = "Replaced" if done.replaced else "Installed"
    echo(f"{verb} the post-receive hook: {done.hook}")
    where = f"--target {done.target}" if done.target else "to DEPLOY_TARGET of publishconf.py"
    echo(f"  Each push to the main branch deploys the pushed commit ({where}),")
    echo(f"  with {done.python}.")
    echo(f"State folder: {state.root}")
    echo(f"  {state.ledger.name}  the cross-post ledger every deploy uses (back it up)")
    made = "created empty, mode 600" if done.env_created else "kept as it was"
    echo(f"  {state.env.name:<16}  secrets, one NAME=value a line ({made}): add the")
    echo(f"  {'':<16}  FANPAGE_* variables of your networks; nothing prints this file")
    echo("Next: push to the main branch; the push shows the deploy as remote: lines.")


@hook.command("run")
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The bare repository (default: $GIT_DIR, as git sets it for a hook).",
)
@click.option("--target", default=None, help="Where to publish (default: DEPLOY_TARGET).")
@click.option(
    "--tip",
    is_flag=True,
    help="Deploy the main branch as it is now, instead of reading git's lines on stdin.",
)
def hook_run(repo: Path | None, target: str | None, tip: bool) -> None:
    """What the installed hook runs: deploy the pushed commit of the main branch.

    Reads git's post-receive lines (OLD NEW REF) on stdin. With --tip, deploys the main
    branch's tip now, e.g. after adding a secret to the env file.
    """
    from fanpage.publish.hook import run_hook

    sys.exit(run_hook(repo, target, tip=tip))


if __name__ == "__main__":  # what the installed hook runs: only the light imports
    click.Group(commands=[deploy, hook])(prog_name="fanpage")
