"""Where every feed and calendar is written: one place, read by the feed writers and the theme.

Paths are site-relative, without a leading slash. Layout:

- ``feeds/all.atom.xml``, ``feeds/all.rss.xml``, ``feed.json``: every news post, album, tour
  and gallery in the default language; ``feeds/<section>.atom.xml`` / ``.rss.xml`` per section
  (:data:`fanpage.content.models.SECTIONS`: news, albums, tours, galleries).
- Translations: the same names with ``-<lang>`` (``feeds/all-id.atom.xml``, ``feed-id.json``,
  ``feeds/news-id.rss.xml``), written for each language that has entries.
- ``tours.ics`` (every show), ``tours/<tour slug>.ics``, ``calendar/<show uid slug>.ics``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fanpage.content.models import Show, Tour
from fanpage.content.slugs import slugify
from fanpage.urls import is_absolute

FORMATS: tuple[str, ...] = ("atom", "rss", "json")
ALL_TOURS_CALENDAR = "tours.ics"
MIME_TYPES: dict[str, str] = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
    "ics": "text/calendar",
}
_FORMAT_NAMES: dict[str, str] = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}


@dataclass(frozen=True)
class FeedLink:
    """A feed for ``<link rel="alternate">`` and the theme's subscribe links."""

    title: str
    path: str  # site-relative, no leading slash
    mime: str


def feed_path(section: str, fmt: str, lang: str | None = None) -> str:
    """``feed_path("all", "atom")`` -> ``feeds/all.atom.xml``; JSON Feed of all is ``feed.json``.

    ``lang`` is None for the default language, else the code of a translation's feed.
    """
    suffix = f"-{lang}" if lang else ""
    if fmt == "json":
        return f"feed{suffix}.json" if section == "all" else f"feeds/{section}{suffix}.json"
    return f"feeds/{section}{suffix}.{fmt}.xml"


def tour_calendar_path(tour: Tour) -> str:
    return f"tours/{tour.slug}.ics"


def show_calendar_path(show: Show) -> str:
    """One .ics per show for "add to calendar"; named from the stable uid so it never moves."""
    return f"calendar/{slugify(show.uid)}.ics"


def feed_links(title: str, section: str = "all", lang: str | None = None) -> list[FeedLink]:
    """The links to one feed in each of its formats: Atom, RSS, and for "all" JSON Feed.

    ``title`` is the feed's own (:func:`fanpage.feeds.spec.feed_spec`); each link adds its
    format: "Suara Senja — News (Atom)".
    """
    formats = ("atom", "rss", "json") if section == "all" else ("atom", "rss")
    return [
        FeedLink(f"{title} ({_FORMAT_NAMES[fmt]})", feed_path(section, fmt, lang), MIME_TYPES[fmt])
        for fmt in formats
    ]


def webcal(url: str) -> str:
    """``webcal://`` makes calendar apps subscribe instead of importing once; a URL without
    a scheme (a development build's ``/tours.ics``) stays as it is."""
    return "webcal://" + url.split("://", 1)[1] if is_absolute(url) else url
