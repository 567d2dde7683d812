"""The site as cross-posting sees it: the publish settings, and a build that says what it
published (entries, public URLs, share images)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fanpage.config import SiteConfig, load_config
from fanpage.content.problems import ContentError, ProblemList
from fanpage.content.published import PublishedEntry
from fanpage.crosspost.also_on import ledger_path
from fanpage.crosspost.runner import CrosspostSettings


def crosspost_settings(config: SiteConfig) -> CrosspostSettings:
    settings = config.settings
    return CrosspostSettings(
        networks=settings.crosspost,
        ledger_path=ledger_path(settings.site_dir, settings.ledger_path),
        timeout=settings.crosspost_timeout,
        retry_seconds=settings.crosspost_retry_seconds,
        changes=settings.crosspost_changes,
        artist=settings.artist_name,
    )


@dataclass
class CrosspostSite:
    site_dir: Path
    config: SiteConfig

    def build(self, output: Path) -> tuple[list[PublishedEntry], Path]:
        """A publish build into ``output``; what it published, and where."""
        from fanpage.engine.build import build_site

        checked = build_site(self.site_dir, publish=True, output=output)
        return list(checked.published), output


def load_for_crosspost(site_dir: Path, build: bool = True) -> CrosspostSite:
    """The publish settings, checked; posts need an absolute SITEURL to link to."""
    config = load_config(site_dir, publish=True)
    if config.problems.errors:
        raise ContentError(config.problems)
    site_url = config.settings.siteurl
    if build and not site_url.startswith(("http://", "https://")):
        problems = ProblemList()
        problems.error(
            config.settings_file.name,
            1,
            "SITEURL must be the site's public address (https://...) for posts to link to it",
        )
        raise ContentError(problems)
    return CrosspostSite(site_dir, config)
