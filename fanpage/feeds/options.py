"""The few facts every feed writer needs, taken once from the site's checked settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fanpage.metadata.images import MediaLookup, Picture, preview, thumbnail
from fanpage.settings import Settings
from fanpage.urls import site_url

# Used for absolute links when SITEURL is empty (development builds that still write feeds).
DEVELOPMENT_URL = "http://localhost:8000"
NO_SITEURL_WARNING = f"SITEURL is empty: feeds and calendars link to {DEVELOPMENT_URL}"


@dataclass(frozen=True)
class FeedSite:
    """What feeds say about the site: names, address, limits (see :func:`feed_site`)."""

    site_url: str
    site_name: str
    artist: str
    default_lang: str
    languages: tuple[str, ...]
    description: str | None
    icon: str | None  # path under content/ or URL
    max_items: int
    hub: str | None
    show_minutes: int
    refresh_hours: int
    content_dir: Path | None  # to measure local attachments
    # The build's derived images (``Build.media``): feeds link those, never the unpublished
    # originals. None: images as written (unit tests, Pelican on its own).
    media: MediaLookup | None = field(default=None, compare=False, repr=False)

    @property
    def base(self) -> str:
        """The site's absolute address without a trailing slash."""
        return (self.site_url or DEVELOPMENT_URL).rstrip("/")

    def url(self, path: str) -> str:
        """Absolute URL of a site-relative path (URLs pass through unchanged)."""
        return site_url(self.base, path)

    def picture(self, src: str) -> Picture:
        """The file a feed shows for the image ``src`` (under content/, or a URL): its derived
        JPEG up to 1200 px wide, as ``og:image`` does; the URL made absolute."""
        chosen = preview(self.media, src)
        return Picture(self.url(chosen.src), chosen.width, chosen.height, chosen.mime)

    @property
    def icon_url(self) -> str | None:
        """The feed's square icon (JSON Feed ``icon``): the artist photo's square thumbnail
        when derived, else the photo as written."""
        if not self.icon:
            return None
        square = thumbnail(self.media, self.icon)
        return self.url(square.src) if square else self.url(self.icon)

    @property
    def logo_url(self) -> str | None:
        """The feed's logo (Atom ``logo``): the artist photo as previews show it."""
        return self.picture(self.icon).src if self.icon else None

    def lang_suffix(self, lang: str) -> str | None:
        """The ``lang`` argument of :func:`feed_path`: None for the default language."""
        return None if lang == self.default_lang else lang


def feed_site(settings: Settings, media: MediaLookup | None = None) -> FeedSite:
    return FeedSite(
        site_url=settings.siteurl,
        site_name=settings.sitename,
        artist=settings.artist_name,
        default_lang=settings.default_lang,
        languages=settings.languages,
        description=settings.artist_bio,
        icon=settings.artist_image,
        max_items=settings.feed_max_items,
        hub=settings.websub_hub,
        show_minutes=settings.show_duration_minutes,
        refresh_hours=settings.calendar_refresh_hours,
        content_dir=settings.content_dir,
        media=media,
    )
