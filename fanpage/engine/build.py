"""Run a build: check settings and content first, then let Pelican render the checked entries."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fanpage.config import SiteConfig, load_config
from fanpage.content.problems import ContentError, ProblemList
from fanpage.content.published import PublishedEntry
from fanpage.content.site import SiteContent, display_path, load_content
from fanpage.engine.run import Build
from fanpage.settings import Settings, check_ledger
from fanpage.stubs import leftover_stubs

if TYPE_CHECKING:
    from fanpage.media.pipeline import MediaStats

# Files Pelican may name in a warning: the sources it read.
SOURCE_SUFFIXES: tuple[str, ...] = (".md", ".markdown", ".html", ".htm", ".rst")
# Pelican's words for a link to a file that is not there, which fanpage.content.links has
# already reported at its line ('link to "gone.md" points to no file under content/').
_MISSING_LINK = re.compile(
    r"^Unable to find '(?P<link>[^']+)', skipping url replacement\.$"
    r"|^Cannot get modification stamp for (?P<file>\S+) "
)


class BuildError(Exception):
    """Pelican failed (a template error, say); the message is one line for the artist."""


@dataclass
class CheckedSite:
    """A site's settings and content, checked; after a build, also what it published."""

    config: SiteConfig
    content: SiteContent
    # Problems of the site beyond its settings and content: its cross-post ledger, and the
    # warnings of the build itself (Pelican's own, share previews without SITEURL).
    site_problems: ProblemList = field(default_factory=ProblemList)
    # Every entry the build published, in every language (empty before a build).
    published: list[PublishedEntry] = field(default_factory=list)
    # What the build did with images (derived now, reused from the cache); None before.
    media: MediaStats | None = None

    @property
    def settings(self) -> Settings:
        return self.config.settings

    @property
    def problems(self) -> ProblemList:
        merged = ProblemList()
        merged.extend(self.config.problems)
        merged.extend(self.content.problems)
        merged.extend(self.site_problems)
        return merged


def check_site(
    site_dir: Path, publish: bool = False, output: Path | None = None, render: bool = False
) -> CheckedSite:
    """Read settings, every content file and the cross-post ledger; nothing is written.

    With ``render`` (a build), Markdown bodies render on the other cores meanwhile.
    """
    config = load_config(site_dir, publish=publish, output=output)
    if config.problems.errors:
        return CheckedSite(config, SiteContent(settings=config.content))
    ledger = check_ledger(config.settings)  # the "also on" links read it
    if not render:
        return _checked(config, load_content(config.content), ledger, publish)
    from fanpage.engine.markdown_render import markdown_cache

    markdown = markdown_cache(config.pelican["MARKDOWN"])
    early = markdown.start_files(sorted(config.content.content_dir.rglob("*.md")))
    try:
        return _checked(config, load_content(config.content), ledger, publish)
    finally:
        early.finish()


def _checked(
    config: SiteConfig, content: SiteContent, ledger: ProblemList, publish: bool
) -> CheckedSite:
    """The checked site; publishing also warns of example text left from ``fanpage new``."""
    if publish:
        for entry in content.entries:
            if entry.status != "published":
                continue
            for line, what in leftover_stubs(entry):
                content.problems.warning(
                    entry.source_path, line, f"{what} from `fanpage new` is still here"
                )
    return CheckedSite(config, content, ledger)


def build_site(
    site_dir: Path,
    publish: bool = False,
    output: Path | None = None,
    strict: bool = False,
    keep: list[Any] | None = None,
    site_url: str | None = None,
) -> CheckedSite:
    """Build the site into its output folder; raises ContentError or BuildError on failure.

    The result's ``published`` lists every entry the build published. ``keep``, when given,
    receives Pelican's generators (for a later partial rebuild); ``site_url`` replaces SITEURL
    (a publish build served on 127.0.0.1 for testing).
    """
    from fanpage.engine.media import (
        copy_other_images,
        plan_media,
        prune_images,
        video_files,
        workers,
    )

    checked = check_site(site_dir, publish=publish, output=output, render=True)
    if checked.problems.failed(strict):
        raise ContentError(checked.problems)
    settings = checked.settings
    if site_url is not None:
        settings = replace(settings, siteurl=site_url.rstrip("/"))
    pelican_settings = dict(checked.config.pelican)
    pelican_settings["SITEURL"] = settings.siteurl
    pelican_settings["STATIC_PATHS"] = [
        *pelican_settings["STATIC_PATHS"],
        *video_files(checked.content),
    ]
    build = Build(settings, checked.content)
    build.media, media_problems = plan_media(checked.content, settings)
    if media_problems.errors:
        checked.site_problems.extend(media_problems)
        raise ContentError(checked.problems)
    build.install(pelican_settings)
    # The pixel work runs on the other cores while Pelican writes the pages that name it.
    images = build.media.start(settings.output_dir, workers())
    copy_other_images(settings)
    generators: list[Any] = []
    links = {p.message for p in checked.content.problems.warnings if p.message.startswith("link")}
    try:
        warnings = run_pelican(pelican_settings, generators)
    finally:
        checked.media = _wait_for(images)
    prune_images(build.media, settings)
    build.media.forget_unused()  # the cache's sizes of photos changed or removed long ago
    for where, line, message in warnings:
        if _reported_link(message, links, settings):
            continue
        build.problems.warning(_shown(where, settings), line, f"pelican: {message}")
    if keep is not None:
        keep.extend(generators)
    checked.site_problems.extend(build.problems)
    checked.published = published_of(build, generators)
    if strict and checked.problems.warnings:
        raise ContentError(checked.problems)
    return checked


def _wait_for(images: Any) -> MediaStats:
    """The image work's result; its failure is a build failure in one line."""
    from fanpage.forking import ChildFailed

    try:
        return images.wait()
    except ChildFailed as exc:
        raise BuildError(f"images: {exc}") from None


def published_of(build: Build, generators: list[Any]) -> list[PublishedEntry]:
    """What a finished run published, with the share images its previews show."""
    from fanpage.engine.published import published_entries, with_photos, with_share_images

    published = published_entries(generators, build.settings)
    if build.metadata is not None:
        published = with_share_images(published, build.metadata.share_image_of, build.settings)
    if build.media is not None:
        published = with_photos(published, build.media, build.settings, build.settings.output_dir)
    return published


def _shown(path: str, settings: Settings) -> str:
    """A file Pelican named (absolute, or relative to the content folder) as messages name it."""
    if not path:
        return ""
    file = Path(path) if Path(path).is_absolute() else settings.content_dir / path
    return display_path(file, settings.site_dir)


def _reported_link(message: str, links: set[str], settings: Settings) -> bool:
    """Pelican's warning is about a link fanpage has already reported in its own words."""
    match = _MISSING_LINK.match(message)
    if match is None:
        return False
    target = match.group("link")
    if target is None:  # an absolute path under content/: the link named it from there
        file = Path(match.group("file"))
        if not file.is_relative_to(settings.content_dir):
            return False
        target = "/" + file.relative_to(settings.content_dir).as_posix()
    return any(f'"{target}"' in link or f'"{target.lstrip("/")}"' in link for link in links)


def run_pelican(settings: dict, keep: list[Any] | None = None) -> list[tuple[str, int, str]]:
    """Run Pelican; its logged errors fail the build, its warnings are returned as
    (file, line, message): the file Pelican names ("" when none), line 0 (it gives none).

    Pelican logs rather than raises for a plugin that fails to load or a file it skips:
    left alone, that is a site quietly missing pages. ``keep`` receives the generators.
    """

    from pelican import Pelican, signals  # only a build needs Pelican loaded

    from fanpage.engine.pelican_log import PelicanLog

    def keep_generators(generators: list[Any]) -> None:
        if keep is not None:
            keep.extend(generators)

    with (
        PelicanLog(settings["PATH"], SOURCE_SUFFIXES) as log,
        _connected(signals.all_generators_finalized, keep_generators),
    ):
        try:
            # Pelican prints "Done: Processed 4 articles" (albums and tours counted as
            # articles); fanpage's commands say what was built in their own words.
            with redirect_stdout(io.StringIO()):
                Pelican(settings).run()
        except ContentError:
            raise
        except Exception as exc:  # Pelican and Jinja raise many kinds; the artist needs one line
            raise BuildError(_describe(exc)) from exc
    if log.errors:
        raise BuildError("; ".join(log.errors))
    return log.warnings


@contextmanager
def _connected(signal: Any, receiver: Callable[..., None]) -> Iterator[None]:
    """``receiver`` on ``signal`` for the duration of one run (signals are process-wide)."""
    signal.connect(receiver, weak=False)
    try:
        yield
    finally:
        signal.disconnect(receiver)


def _describe(exc: BaseException) -> str:
    from jinja2 import TemplateError, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}"
    if isinstance(exc, TemplateError):
        return f"template error: {exc}"
    return f"build failed: {type(exc).__name__}: {exc}"
