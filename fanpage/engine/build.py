"""Run a build: check settings and content first, then let Pelican render the checked entries."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pelican import Pelican

from fanpage.config import SiteConfig, load_config
from fanpage.content.problems import ContentError, ProblemList
from fanpage.content.site import SiteContent, load_content


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


def check_site(site_dir: Path, publish: bool = False, output: Path | None = None) -> CheckedSite:
    """Read settings and every content file; nothing is written."""
    config = load_config(site_dir, publish=publish, output=output)
    if config.problems.errors:
        return CheckedSite(config, SiteContent(settings=config.content))
    return CheckedSite(config, load_content(config.content))


def build_site(
    site_dir: Path,
    publish: bool = False,
    output: Path | None = None,
    strict: bool = False,
) -> CheckedSite:
    """Build the site into its output folder; raises ContentError or BuildError on failure."""
    checked = check_site(site_dir, publish=publish, output=output)
    if checked.problems.failed(strict):
        raise ContentError(checked.problems)
    settings = dict(checked.config.pelican)
    settings["FANPAGE_CONTENT"] = checked.content
    run_pelican(settings)
    return checked


def run_pelican(settings: dict) -> None:
    _quiet_pelican()
    try:
        Pelican(settings).run()
    except ContentError:
        raise
    except Exception as exc:  # Pelican and Jinja raise many kinds; the artist needs one line
        raise BuildError(_describe(exc)) from exc


def _quiet_pelican() -> None:
    logging.getLogger("pelican").setLevel(logging.WARNING)


def _describe(exc: BaseException) -> str:
    from jinja2 import TemplateError, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}"
    if isinstance(exc, TemplateError):
        return f"template error: {exc}"
    return f"build failed: {type(exc).__name__}: {exc}"
