"""Which feeds and calendars a build writes, and the links pages announce them with.

The one answer for the theme's subscribe links (:mod:`fanpage.feeds.hooks`) and the page
heads' ``<link rel="alternate">`` (:mod:`fanpage.metadata`): a page never announces a feed the
build does not write, and calls each feed by the title the feed gives itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fanpage.content.models import Entry, Tour, section_of
from fanpage.feeds.locations import FeedLink, feed_links
from fanpage.feeds.options import FeedSite, feed_site
from fanpage.feeds.spec import feed_spec
from fanpage.settings import Settings


@dataclass(frozen=True)
class FeedIndex:
    """Which feeds and calendars a build writes, and the links pages announce them with."""

    site: FeedSite
    enabled: bool  # WRITE_FEEDS
    feeds: frozenset[tuple[str, str]]  # (section or "all", lang) of every feed written
    tours: frozenset[str]  # slugs of the tours with a calendar of their own

    def feed_links(self, lang: str) -> list[FeedLink]:
        """The site-wide feeds of ``lang`` (Atom, RSS, JSON Feed); empty when not written."""
        return self.section_links("all", lang)

    def section_links(self, section: str, lang: str) -> list[FeedLink]:
        """Atom and RSS of one section (or "all") in ``lang``; empty when not written."""
        if (section, lang) not in self.feeds:
            return []
        spec = feed_spec(section, lang, self.site)
        return feed_links(spec.title, section, spec.path_lang)

    def links_for(self, lang: str) -> list[FeedLink]:
        """What a page in ``lang`` offers: its language's feeds, else the default language's."""
        return self.feed_links(lang) or self.feed_links(self.site.default_lang)

    @property
    def calendars(self) -> bool:
        """``tours.ics`` (every show) is written."""
        return bool(self.tours)

    def has_tour_calendar(self, tour: Tour) -> bool:
        return tour.slug in self.tours


def feed_index(settings: Settings, entries: Iterable[Entry]) -> FeedIndex:
    """The feeds and calendars a build of ``entries`` writes (see :mod:`fanpage.feeds.plan`)."""
    feeds: set[tuple[str, str]] = set()
    tours: set[str] = set()
    enabled = settings.write_feeds
    for entry in entries if enabled else ():
        section = section_of(entry)
        if section and entry.status == "published":
            feeds.update({("all", entry.lang), (section, entry.lang)})
            if isinstance(entry, Tour) and entry.shows:
                tours.add(entry.slug)
    return FeedIndex(feed_site(settings), enabled, frozenset(feeds), frozenset(tours))
