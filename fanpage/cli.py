"""The ``fanpage`` command: make, check, build and serve a fan site.

Every problem is one line (``path:line: message``); no traceback reaches the artist unless
FANPAGE_DEBUG=1 is set.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fanpage import __version__
from fanpage.cli_options import site_option
from fanpage.stubs import KINDS

if TYPE_CHECKING:
    from fanpage.content.problems import ProblemList

# Each command imports what it needs when it runs: ``fanpage --help`` and ``fanpage check``
# start without Pelican, Pillow, Babel or the networks' SDKs (``tests/test_cli_startup.py``).


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn expected failures into one-line messages and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            from fanpage.config import NoSiteError
            from fanpage.content.problems import ContentError
            from fanpage.engine.build import BuildError
            from fanpage.scaffold import InitError

            if isinstance(exc, NoSiteError | BuildError | InitError):
                click.echo(f"error: {exc}", err=True)
                sys.exit(1)
            if isinstance(exc, ContentError):
                report(exc.problems, strict=kwargs.get("strict", False))
                sys.exit(1)
            if os.environ.get("FANPAGE_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(exc).__name__}: {exc} (set FANPAGE_DEBUG=1 for details)",
                err=True,
            )
            sys.exit(2)

    return wrapper


def report(problems: ProblemList, strict: bool = False) -> None:
    """Print every problem, then one summary line."""
    for problem in problems.sorted():
        click.echo(str(problem), err=True)
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors or warnings:
        verdict = "failed" if problems.failed(strict) else "passed with warnings"
        mode = " (--strict: warnings are errors)" if strict and warnings else ""
        click.echo(f"{errors} error(s), {warnings} warning(s): {verdict}{mode}", err=True)


# Commands that live with their rooms: name -> (module, attribute, the first line of its help).
# Each is imported only when it runs; ``--help`` lists it from this line
# (``tests/test_cli_startup.py`` checks that the line is the command's own).
ROOM_COMMANDS: dict[str, tuple[str, str, str]] = {
    "crosspost": (
        "fanpage.crosspost.cli",
        "crosspost",
        "Announce new entries on the networks in CROSSPOST (publishconf.py), exactly once.",
    ),
    "deploy": (
        "fanpage.publish.cli",
        "deploy",
        "Check, build with publishconf.py, publish, wait until live, cross-post, republish.",
    ),
    "hook": (
        "fanpage.publish.cli",
        "hook",
        "Deploy on git push: a post-receive hook for a bare repository on your own server.",
    ),
    "media": (
        "fanpage.media.cli",
        "media",
        "Images and video posters: the work that needs the network (never done by build).",
    ),
}


class FanpageGroup(click.Group):
    """The ``fanpage`` group: its own commands, and the rooms' commands loaded on demand,
    each with the same error handling."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *ROOM_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in ROOM_COMMANDS and name not in self.commands:
            module, attribute, _ = ROOM_COMMANDS[name]
            command = getattr(importlib.import_module(module), attribute)
            subcommands = getattr(command, "commands", {}).values()
            for each in (command, *subcommands):
                if each.callback is not None:
                    each.callback = friendly_errors(each.callback)
            self.add_command(command, name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, without loading the rooms' ones to read their help."""
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        rows = []
        for name in self.list_commands(ctx):
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                rows.append(
                    (
                        name,
                        click.Command(name, help=ROOM_COMMANDS[name][2]).get_short_help_str(limit),
                    )
                )
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=FanpageGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fanpage")
def main() -> None:
    """fanpage: a fan site for musicians, from Markdown.

    Write albums, tours, news and pages in content/ as Markdown with YAML front matter;
    fanpage checks them, builds a fast bilingual site with feeds and a tour calendar, and
    serves it while you write.
    """


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="My Band", show_default=True, help="The artist's name.")
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    help="IANA time zone of the artist, e.g. Asia/Jakarta.",
)
@friendly_errors
def init(directory: Path, name: str, timezone: str) -> None:
    """Make a new site in DIRECTORY with example content."""
    from fanpage.scaffold import init_site

    result = init_site(directory, name, timezone, date.today())
    click.echo(f"Created a site in {directory} ({len(result.files)} files).")
    click.echo(f"Next: fanpage build --site {directory}   then   fanpage serve --site {directory}")


@main.command()
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("title")
@click.option("--lang", default=None, help="Language of the entry (default: DEFAULT_LANG).")
@site_option
@friendly_errors
def new(kind: str, title: str, lang: str | None, site_dir: Path) -> None:
    """Write a new KIND entry (album, ep, single, tour, news, gallery, page) titled TITLE.

    Every front-matter key is written, documented, with an explicit uid. New entries start
    as drafts: set status to published when ready.
    """
    from fanpage.content.problems import ContentError
    from fanpage.engine.build import check_site
    from fanpage.stubs import stub_for

    checked = check_site(site_dir)
    if checked.config.problems.errors:
        raise ContentError(checked.config.problems)
    content = checked.config.content
    language = lang or content.default_lang
    if language not in content.languages:
        raise click.BadParameter(
            f'"{language}" is not one of LANGUAGES: {", ".join(content.languages)}',
            param_hint="--lang",
        )
    stub = stub_for(kind, title, language, content.default_lang, date.today())
    target = site_dir / stub.path
    if target.exists():
        raise click.ClickException(f"{target} already exists; choose another title")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stub.text, encoding="utf-8")
    import shutil

    for path, source in stub.files:  # a gallery's example photo, unless one is there already
        if not (site_dir / path).exists():
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, site_dir / path)
    click.echo(f"Wrote {target}")


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--publish", is_flag=True, help="Check with publishconf.py.")
@site_option
@friendly_errors
def check(strict: bool, publish: bool, site_dir: Path) -> None:
    """Check settings and every content file; report all problems at once."""
    from fanpage.engine.build import check_site

    checked = check_site(site_dir, publish=publish)
    problems = checked.problems
    report(problems, strict)
    if problems.failed(strict):
        sys.exit(1)
    click.echo(
        f"{len(checked.content.entries)} entries checked: no problems found."
        if not problems
        else f"{len(checked.content.entries)} entries checked."
    )


@main.command()
@click.option("--publish", is_flag=True, help="Use publishconf.py (public SITEURL, all feeds).")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: OUTPUT_PATH, output/).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@site_option
@friendly_errors
def build(publish: bool, output: Path | None, strict: bool, site_dir: Path) -> None:
    """Build the site into the output folder."""
    from fanpage.config import require_site
    from fanpage.engine.build import build_site

    started = time.perf_counter()
    require_site(site_dir)  # before "Building ...": a wrong folder is one message
    mode = "publish" if publish else "development"
    click.echo(f"Building {site_name(site_dir, publish)} ({mode} settings)...", err=True)
    checked = build_site(site_dir, publish=publish, output=output, strict=strict)
    report(checked.problems, strict)
    elapsed = time.perf_counter() - started
    pages = sum(1 for _ in checked.config.output_dir.rglob("*.html"))
    click.echo(
        f"Built {len(checked.content.entries)} entries ({entry_counts(checked.content.entries)}) "
        f"into {checked.config.output_dir} ({pages} HTML pages) in {elapsed:.2f} s."
    )
    if checked.media is not None and (checked.media.derived or checked.media.reused):
        click.echo(
            f"Images: {checked.media.derived} resized, {checked.media.reused} unchanged "
            "(from .cache/fanpage/media)."
        )


def site_name(site_dir: Path, publish: bool) -> str:
    """The site's SITENAME for messages (the folder's name only when the settings are broken)."""
    from fanpage.config import load_config

    config = load_config(site_dir, publish=publish)
    if config.problems.errors:
        return site_dir.resolve().name or str(site_dir)
    return config.settings.sitename


def entry_counts(entries: Sequence[Any]) -> str:
    """ "12 news posts, 4 albums, 2 tours, 3 pages": fanpage's kinds, not Pelican's articles."""
    names = {"news": ("news post", "news posts"), "album": ("album", "albums")}
    names |= {"tour": ("tour", "tours"), "gallery": ("gallery", "galleries")}
    names |= {"page": ("page", "pages")}
    parts = []
    for kind, (one, many) in names.items():
        count = sum(1 for entry in entries if entry.kind == kind)
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts) or "no entries"


@main.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--publish", is_flag=True, help="Build with publishconf.py.")
@site_option
@friendly_errors
def serve(port: int, publish: bool, site_dir: Path) -> None:
    """Build, serve on http://127.0.0.1:PORT/ and rebuild when a file changes."""
    from fanpage.serve import serve_site

    serve_site(site_dir, port=port, publish=publish, echo=lambda text: click.echo(text, err=True))


if __name__ == "__main__":  # pragma: no cover
    main()
