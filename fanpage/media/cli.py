"""``fanpage media``: image and video work that needs the network, kept out of ``build``.

``fanpage media fetch-posters`` fetches, once, the poster of every hosted video that has
none, into ``content/images/videos/`` (see :mod:`fanpage.media.posters`): the build then
never asks a video host for anything, and the files are the artist's to keep in git.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fanpage.cli_options import site_option
from fanpage.content.problems import ContentError


@click.group()
def media() -> None:
    """Images and video posters: the work that needs the network (never done by build)."""


@media.command("fetch-posters")
@click.option("--dry-run", is_flag=True, help="List the posters that would be fetched; fetch none.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help="Seconds to wait for one answer from a host.",
)
@site_option
def fetch_posters_command(dry_run: bool, timeout: float, site_dir: Path) -> None:
    """Fetch the poster of every YouTube, Vimeo or PeerTube video without a poster.

    Each lands once in content/images/videos/<host>-<id>.jpg (a JPEG with no metadata) and is
    never replaced; a video with a poster: of its own is left alone. Exits with status 1 when
    a poster could not be fetched (that video shows a drawn card until it has one).
    """
    from fanpage.config import load_config
    from fanpage.content.site import display_path, load_content
    from fanpage.media import posters

    config = load_config(site_dir)
    if config.problems.errors:
        raise ContentError(config.problems)
    content = load_content(config.content)
    if content.problems.errors:  # the same refusal as build: fix the content first
        raise ContentError(content.problems)
    try:
        hosts = posters.HostURLs.from_environment()
    except posters.HostsError as exc:
        raise click.ClickException(str(exc)) from None
    jobs = posters.pending_posters(content)
    if not jobs:
        click.echo("Every hosted video has a poster: nothing to fetch.")
        return
    if dry_run:
        for job in jobs:
            shown = display_path(content.settings.content_dir / job.target, config.site_dir)
            click.echo(
                f'{job.where}: would fetch the poster for "{job.title}" ({job.host} '
                f"{job.video_id}) -> {shown}"
            )
        click.echo(f"{len(jobs)} poster(s) to fetch (--dry-run: nothing fetched).")
        return
    report = posters.fetch_posters(
        jobs, content, hosts, timeout, echo=lambda text, err: click.echo(text, err=err)
    )
    click.echo(f"{len(report.fetched)} poster(s) fetched, {len(report.failed)} failed.")
    if report.failed:
        click.echo(
            "A video without a poster shows a drawn card: run this again later, or give it "
            "poster: (an image under content/).",
            err=True,
        )
        sys.exit(1)
