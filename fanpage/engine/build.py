"""Run a build: check settings and content first, then let Pelican render the checked entries."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import Pelican, signals

from fanpage.config import SiteConfig, load_config
from fanpage.content.problems import ContentError, ProblemList
from fanpage.content.site import SiteContent, load_content
from fanpage.engine.markdown_render import markdown_cache


class BuildError(Exception):
    """Pelican failed (a template error, say); the message is one line for the artist."""


@dataclass
class CheckedSite:
    config: SiteConfig
    content: SiteContent

    @property
    def problems(self) -> ProblemList:
        merged = ProblemList()
        merged.extend(self.config.problems)
        merged.extend(self.content.problems)
        return merged


def check_site(
    site_dir: Path, publish: bool = False, output: Path | None = None, render: bool = False
) -> CheckedSite:
    """Read settings and every content file; nothing is written.

    With ``render`` (a build), Markdown bodies render on the other cores meanwhile.
    """
    config = load_config(site_dir, publish=publish, output=output)
    if config.problems.errors:
        return CheckedSite(config, SiteContent(settings=config.content))
    if not render:
        return CheckedSite(config, load_content(config.content))
    markdown = markdown_cache(config.pelican.get("MARKDOWN", {}))
    early = markdown.start_files(sorted(config.content.content_dir.rglob("*.md")))
    try:
        return CheckedSite(config, load_content(config.content))
    finally:
        early.finish()


def build_site(
    site_dir: Path,
    publish: bool = False,
    output: Path | None = None,
    strict: bool = False,
    keep: list[Any] | None = None,
    site_url: str | None = None,
) -> CheckedSite:
    """Build the site into its output folder; raises ContentError or BuildError on failure.

    ``keep``, when given, receives Pelican's generators (for a later partial rebuild);
    ``site_url`` replaces SITEURL (a publish build served on 127.0.0.1 for testing).
    """
    checked = check_site(site_dir, publish=publish, output=output, render=True)
    if checked.problems.failed(strict):
        raise ContentError(checked.problems)
    settings = dict(checked.config.pelican)
    settings["FANPAGE_CONTENT"] = checked.content
    if site_url is not None:
        settings["SITEURL"] = site_url
    for message in run_pelican(settings, keep):
        checked.content.problems.warning("", 0, f"pelican: {message}")
    if strict and checked.problems.warnings:
        raise ContentError(checked.problems)
    return checked


def run_pelican(settings: dict, keep: list[Any] | None = None) -> list[str]:
    """Run Pelican; its logged errors fail the build, its warnings are returned.

    Pelican logs rather than raises for a plugin that fails to load or a file it skips:
    left alone, that is a site quietly missing pages. ``keep`` receives the generators.
    """

    def keep_generators(generators: list[Any]) -> None:
        if keep is not None:
            keep.extend(generators)

    with _PelicanLog() as log, _connected(signals.all_generators_finalized, keep_generators):
        try:
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


class _PelicanLog(logging.Handler):
    """Collects Pelican's warnings and errors during a run instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self._logger = logging.getLogger("pelican")

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)

    def __enter__(self) -> _PelicanLog:
        self._saved = (self._logger.level, self._logger.propagate)
        self._logger.setLevel(logging.WARNING)
        self._logger.propagate = False
        self._logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._saved[0])
        self._logger.propagate = self._saved[1]


def _describe(exc: BaseException) -> str:
    from jinja2 import TemplateError, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}"
    if isinstance(exc, TemplateError):
        return f"template error: {exc}"
    return f"build failed: {type(exc).__name__}: {exc}"
