"""The few settings every feed writer needs, read once from Pelican's settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Used for absolute links when SITEURL is empty (development builds that still write feeds).
DEVELOPMENT_URL = "http://localhost:8000"


@dataclass(frozen=True)
class FeedSite:
    """What feeds say about the site: names, address, limits."""

    site_url: str
    site_name: str
    artist: str
    default_lang: str = "en"
    languages: tuple[str, ...] = ("en",)
    description: str | None = None
    icon: str | None = None  # path under content/ or URL
    max_items: int = 50
    hub: str | None = None
    show_minutes: int = 180
    refresh_hours: int = 12
    content_dir: Path | None = None  # to measure local attachments

    @property
    def base(self) -> str:
        """The site's absolute address without a trailing slash."""
        return (self.site_url or DEVELOPMENT_URL).rstrip("/")

    def url(self, path: str) -> str:
        """Absolute URL of a site-relative path (URLs pass through unchanged)."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base}/{path.lstrip('/')}"

    def lang_suffix(self, lang: str) -> str | None:
        """The ``lang`` argument of :func:`feed_path`: None for the default language."""
        return None if lang == self.default_lang else lang


def feed_site(settings: dict[str, Any]) -> FeedSite:
    """Build a :class:`FeedSite` from (checked) Pelican settings."""
    site_url = str(settings.get("SITEURL") or "").rstrip("/")
    if not site_url:
        log.warning("SITEURL is empty: feeds and calendars link to %s", DEVELOPMENT_URL)
    path = settings.get("PATH")
    return FeedSite(
        site_url=site_url,
        site_name=settings.get("SITENAME") or "",
        artist=settings.get("ARTIST_NAME") or settings.get("SITENAME") or "",
        default_lang=settings.get("DEFAULT_LANG", "en"),
        languages=tuple(settings.get("LANGUAGES", ("en",))),
        description=settings.get("ARTIST_BIO"),
        icon=settings.get("ARTIST_IMAGE"),
        max_items=int(settings.get("FEED_MAX_ITEMS", 50)),
        hub=settings.get("WEBSUB_HUB"),
        show_minutes=int(settings.get("SHOW_DURATION_MINUTES", 180)),
        refresh_hours=int(settings.get("CALENDAR_REFRESH_HOURS", 12)),
        content_dir=Path(path) if path else None,
    )
