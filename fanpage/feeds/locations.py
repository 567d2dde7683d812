"""Where every feed and calendar is written: one place, read by the feed writers and the theme."""

from __future__ import annotations

from dataclasses import dataclass

from fanpage.content.models import Show, Tour
from fanpage.content.slugs import slugify

SECTIONS: tuple[str, ...] = ("news", "albums", "tours")
ALL_TOURS_CALENDAR = "tours.ics"


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


def feed_links(site_name: str, lang: str | None = None) -> list[FeedLink]:
    """The site-wide feeds a page announces."""
    return [
        FeedLink(f"{site_name} (Atom)", feed_path("all", "atom", lang), "application/atom+xml"),
        FeedLink(f"{site_name} (RSS)", feed_path("all", "rss", lang), "application/rss+xml"),
        FeedLink(
            f"{site_name} (JSON Feed)", feed_path("all", "json", lang), "application/feed+json"
        ),
    ]
