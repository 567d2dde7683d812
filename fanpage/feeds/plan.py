"""Every feed and calendar of a site, as ``{site-relative path: bytes}``: no Pelican, no disk.

Feed items: news posts, albums, tours and galleries with status ``published`` (pages such as
the about page are not feed items). Each language that has items gets the "all" feeds (Atom,
RSS, JSON Feed) and an Atom and RSS feed per section that has items in it; the default
language's files have no language suffix. Calendars: every show of every tour, in the default
language's version of each tour (a translated tour adds no second copy of its shows).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fanpage.content.models import SECTIONS, Tour, section_of
from fanpage.content.published import PublishedEntry
from fanpage.feeds.atom_rss import render_atom_rss
from fanpage.feeds.ical import CalendarCache, TourShow, render_calendar, summary
from fanpage.feeds.items import FeedItem, feed_item
from fanpage.feeds.jsonfeed import render_json_feed
from fanpage.feeds.locations import ALL_TOURS_CALENDAR, show_calendar_path, tour_calendar_path
from fanpage.feeds.options import FeedSite
from fanpage.feeds.spec import feed_spec
from fanpage.i18n import translate


def feed_languages(entries: Iterable[PublishedEntry], site: FeedSite) -> list[str]:
    """Languages with at least one feed item, the default language first."""
    found = {p.entry.lang for p in entries if section_of(p.entry) is not None}
    return sorted(found, key=lambda lang: (lang != site.default_lang, lang))


def feed_files(
    published: list[PublishedEntry], site: FeedSite, carrying: set[str] | None = None
) -> dict[str, bytes]:
    """All feeds of the published entries (or only those carrying an entry of ``carrying``).

    Entries are chosen per feed from the model first (language, section, date), and only the
    chosen ones become feed items, each once: a site with thousands of entries renders at most
    ``FEED_MAX_ITEMS`` items per feed. ``carrying`` (uids) is for a rebuild after an edit of
    those entries' text: the other feeds are unchanged.
    """
    live = [p for p in published if p.entry.status == "published" and section_of(p.entry)]
    live.sort(key=lambda p: (-p.entry.date.timestamp(), p.entry.uid))
    items: dict[str, FeedItem] = {}
    files: dict[str, bytes] = {}
    cache: dict = {}
    for lang in feed_languages(live, site):
        for section in ("all", *SECTIONS):
            chosen = [
                p for p in live if p.entry.lang == lang and section in ("all", section_of(p.entry))
            ][: site.max_items]
            if not chosen or (
                carrying is not None and not any(p.entry.uid in carrying for p in chosen)
            ):
                continue
            feed = [
                items.get(p.entry.uid) or items.setdefault(p.entry.uid, feed_item(p, site))
                for p in chosen
            ]
            spec = feed_spec(section, lang, site)
            files[spec.path("atom")], files[spec.path("rss")] = render_atom_rss(
                spec, feed, site, cache
            )
            if section == "all":
                files[spec.path("json")] = render_json_feed(spec, feed, site)
    return files


def calendar_tours(published: list[PublishedEntry], site: FeedSite) -> list[PublishedEntry]:
    """One version of each published tour: the default language's, else the first."""
    chosen: dict[str, PublishedEntry] = {}
    tours = [p for p in published if isinstance(p.entry, Tour) and p.entry.status == "published"]
    for p in sorted(tours, key=lambda p: (p.entry.lang != site.default_lang, p.entry.lang)):
        chosen.setdefault(p.entry.slug, p)
    return sorted(chosen.values(), key=lambda p: (p.entry.shows[0].starts_at, p.entry.uid))


def calendar_files(published: list[PublishedEntry], site: FeedSite) -> dict[str, bytes]:
    """``tours.ics``, one calendar per tour and one per show."""
    cache = CalendarCache.new()
    files: dict[str, bytes] = {}
    every: list[TourShow] = []
    for p in calendar_tours(published, site):
        tour: Tour = p.entry  # type: ignore[assignment]
        shows = [TourShow(show, tour, site.url(p.path)) for show in tour.shows]
        every.extend(shows)
        path = tour_calendar_path(tour)
        files[path] = render_calendar(f"{site.artist} — {tour.title}", path, shows, site, cache)
        for item in shows:
            path = show_calendar_path(item.show)
            files[path] = render_calendar(
                summary(item.show, site.artist), path, [item], site, cache
            )
    if every:
        name = translate("{artist} — tour dates", site.default_lang, artist=site.artist)
        files[ALL_TOURS_CALENDAR] = render_calendar(name, ALL_TOURS_CALENDAR, every, site, cache)
    return files


def site_files(published: list[PublishedEntry], site: FeedSite) -> dict[str, bytes]:
    return {**feed_files(published, site), **calendar_files(published, site)}


def write_files(files: dict[str, bytes], output_dir: Path) -> None:
    """Write each file, skipping those whose bytes did not change (kind to rsync and mtimes)."""
    for relative, data in sorted(files.items()):
        target = output_dir / relative
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


__all__ = ["FeedItem", "calendar_files", "feed_files", "site_files", "write_files"]
