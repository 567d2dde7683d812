"""What the ``fanpage_feeds`` plugin connects to Pelican's signals.

Template helpers (installed in every generator's Jinja environment, for the theme):

- filter ``show_calendar_url``: a ``Show`` (or a view with ``.show``) -> site-relative path of
  its own ``.ics`` ("add to calendar"), e.g. ``calendar/tour-x-2026-11-14-jakarta.ics``.
- filter ``tour_calendar_url``: a ``Tour`` (or a Pelican article with ``.entry``) -> its
  ``tours/<slug>.ics``.
- global ``fp_calendar_path``: ``"tours.ics"``, every show of every tour.
- global ``fp_feed_links``: the :class:`~fanpage.feeds.locations.FeedLink` list (Atom, RSS, JSON
  Feed) of the default language; ``fp_feed_links_for(lang)`` the same for a language (the
  default language's feeds when ``lang`` has no feeds of its own).
- global ``fp_section_feed_links(section, lang=None)``: Atom and RSS of ``news``, ``albums`` or
  ``tours``; empty when that feed is not written.
- global ``fp_webcal_url(path)``: ``webcal://host/path`` for a calendar path (the plain path
  when SITEURL is empty).
- global ``fp_feeds_enabled``: False when this build writes no feeds (WRITE_FEEDS off).

Feeds and calendars are written once all generators have read the content, only when
``WRITE_FEEDS`` is true (publish builds force it on).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from fanpage.content.models import Entry, Show, Tour
from fanpage.feeds.items import Published, section_of
from fanpage.feeds.locations import (
    ALL_TOURS_CALENDAR,
    FeedLink,
    feed_links,
    section_feed_links,
    show_calendar_path,
    tour_calendar_path,
    webcal_url,
)
from fanpage.feeds.options import FeedSite, feed_site
from fanpage.feeds.plan import site_files, write_files
from fanpage.feeds.spec import feed_spec
from fanpage.forking import ChildFailed, run_beside

log = logging.getLogger(__name__)


def feeds_enabled(settings: dict[str, Any]) -> bool:
    return bool(settings.get("WRITE_FEEDS", True))


def show_calendar_url(show: Any) -> str:
    return show_calendar_path(show if isinstance(show, Show) else show.show)


def tour_calendar_url(tour: Any) -> str:
    return tour_calendar_path(tour if isinstance(tour, Tour) else tour.entry)


def written_feeds(entries: list[Entry]) -> set[tuple[str, str]]:
    """(section, lang) of every feed the build writes, "all" included."""
    found: set[tuple[str, str]] = set()
    for entry in entries:
        section = section_of(entry)
        if section and entry.status == "published":
            found.update({("all", entry.lang), (section, entry.lang)})
    return found


def template_helpers(settings: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(filters, globals) for the theme; see the module docstring."""
    site_name = settings.get("SITENAME") or ""
    default = settings.get("DEFAULT_LANG", "en")
    content = settings.get("FANPAGE_CONTENT")
    written = written_feeds(list(content) if content is not None else [])
    enabled = feeds_enabled(settings)

    def links_for(lang: str | None = None) -> list[FeedLink]:
        lang = lang or default
        if lang != default and ("all", lang) in written:
            return feed_links(site_name, lang)
        return feed_links(site_name)

    def section_links(section: str, lang: str | None = None) -> list[FeedLink]:
        lang = lang or default
        if not enabled or (section, lang) not in written:
            return []
        spec = feed_spec(section, lang, _spec_site(settings))
        return section_feed_links(spec.title, section, spec.path_lang)

    filters = {"show_calendar_url": show_calendar_url, "tour_calendar_url": tour_calendar_url}
    globals_ = {
        "fp_calendar_path": ALL_TOURS_CALENDAR,
        "fp_feed_links": links_for(default),
        "fp_feed_links_for": links_for,
        "fp_section_feed_links": section_links,
        "fp_webcal_url": lambda path: webcal_url(str(settings.get("SITEURL") or ""), path),
        "fp_feeds_enabled": enabled,
    }
    return filters, globals_


# Where a build keeps its feeds job between the two signals (the settings are per build).
_FEEDS_JOB = "_FANPAGE_FEEDS_JOB"


def _spec_site(settings: dict[str, Any]) -> FeedSite:
    return FeedSite(
        site_url=str(settings.get("SITEURL") or ""),
        site_name=settings.get("SITENAME") or "",
        artist=settings.get("ARTIST_NAME") or settings.get("SITENAME") or "",
        default_lang=settings.get("DEFAULT_LANG", "en"),
    )


def install_template_helpers(generator: Any) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    filters, globals_ = template_helpers(generator.settings)
    env.filters.update(filters)
    env.globals.update(globals_)


def published_entries(generators: list[Any]) -> list[Published]:
    """Every article and translation Pelican publishes, with its URL and rendered body."""
    found: list[Published] = []
    for generator in generators:
        for name in ("articles", "translations", "pages"):
            for article in getattr(generator, name, None) or ():
                entry = getattr(article, "entry", None)
                if isinstance(entry, Entry) and entry.status == "published":
                    found.append(Published(entry, article.url, article.content))
    return found


def write_feeds(generators: list[Any]) -> None:
    """Start writing every feed and calendar (when WRITE_FEEDS is on) beside the page output.

    Feeds need only the read entries, so a forked child writes them while Pelican renders the
    pages; :func:`finish_feeds` waits for it when the build ends.
    """
    if not generators:
        return
    settings = generators[0].settings
    if not feeds_enabled(settings):
        return
    site = feed_site(settings)
    output = Path(settings["OUTPUT_PATH"])

    def work() -> None:
        started = time.perf_counter()
        files = site_files(published_entries(generators), site)
        write_files(files, output)
        elapsed = time.perf_counter() - started
        log.info("fanpage: %d feeds and calendars in %.3f s", len(files), elapsed)

    settings[_FEEDS_JOB] = run_beside(work)


def finish_feeds(pelican: Any) -> None:
    """Wait for the feeds started by :func:`write_feeds`; their failure fails the build."""
    job = pelican.settings.pop(_FEEDS_JOB, None)
    if job is None:
        return
    try:
        job.wait()
    except ChildFailed as exc:
        raise RuntimeError(f"writing feeds and calendars failed: {exc}") from None
