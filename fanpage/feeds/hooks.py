"""What the ``fanpage_feeds`` plugin connects to Pelican's signals.

The feeds room is the one owner of what the theme and the page heads say about feeds and
calendars: which are written and what each is called (:mod:`fanpage.feeds.index`), where
each is (:mod:`fanpage.feeds.locations`). Template helpers, installed in every generator's
Jinja environment:

- filter ``fp_show_ics``: a ``Show`` -> the URL of its own ``.ics`` ("add to calendar"),
  e.g. ``https://band.example/calendar/tour-x-2026-11-14-jakarta.ics``.
- filter ``fp_tour_ics``: a ``Tour`` (or its Pelican article) -> the URL of ``tours/<slug>.ics``.
- filter ``fp_webcal``: a calendar URL as ``webcal://`` (subscribe rather than import once);
  a development build's root-relative path stays as it is.
- global ``fp_tours_ics_url`` / ``fp_tours_webcal``: ``tours.ics``, every show of every tour.
- global ``fp_feed_links_for(lang)``: the :class:`~fanpage.feeds.locations.FeedLink` list
  (Atom, RSS, JSON Feed) of ``lang``'s feeds, the default language's when ``lang`` has none.
- global ``fp_section_feed_links(section, lang=None)``: Atom and RSS of ``news``, ``albums``,
  ``tours`` or ``galleries``; empty when that feed is not written.
- global ``fp_feeds_on``: False when this build writes no feeds (``WRITE_FEEDS`` off).

Feeds and calendars are written once all generators have read the content, only when
``WRITE_FEEDS`` is true (publish builds force it on).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fanpage.content.models import Show, Tour
from fanpage.engine.published import published_entries
from fanpage.engine.run import build_of
from fanpage.feeds.index import FeedIndex, feed_index
from fanpage.feeds.locations import (
    ALL_TOURS_CALENDAR,
    FeedLink,
    show_calendar_path,
    tour_calendar_path,
    webcal,
)
from fanpage.feeds.options import NO_SITEURL_WARNING, feed_site
from fanpage.feeds.plan import site_files, write_files
from fanpage.forking import ChildFailed, run_beside
from fanpage.urls import site_url

log = logging.getLogger(__name__)


def template_helpers(index: FeedIndex) -> tuple[dict[str, Any], dict[str, Any]]:
    """(filters, globals) for the theme; see the module docstring."""
    base = index.site.site_url
    default = index.site.default_lang
    tours_ics = site_url(base, ALL_TOURS_CALENDAR)

    def show_ics(show: Show) -> str:
        return site_url(base, show_calendar_path(show))

    def tour_ics(tour: Any) -> str:
        return site_url(base, tour_calendar_path(tour if isinstance(tour, Tour) else tour.entry))

    def section_links(section: str, lang: str | None = None) -> list[FeedLink]:
        return index.section_links(section, lang or default)

    filters = {"fp_show_ics": show_ics, "fp_tour_ics": tour_ics, "fp_webcal": webcal}
    globals_ = {
        "fp_feeds_on": index.enabled,
        "fp_feed_links_for": index.links_for,
        "fp_section_feed_links": section_links,
        "fp_tours_ics_url": tours_ics,
        "fp_tours_webcal": webcal(tours_ics),
    }
    return filters, globals_


def install_template_helpers(generator: Any) -> None:
    env = getattr(generator, "env", None)
    build = build_of(generator.settings)
    if env is None or build is None:
        return
    filters, globals_ = template_helpers(feed_index(build.settings, build.content))
    env.filters.update(filters)
    env.globals.update(globals_)


def write_feeds(generators: list[Any]) -> None:
    """Start writing every feed and calendar (when WRITE_FEEDS is on) beside the page output.

    Feeds need only the read entries, so a forked child writes them while Pelican renders the
    pages; :func:`finish_feeds` waits for it when the build ends.
    """
    build = build_of(generators[0].settings) if generators else None
    if build is None or not build.settings.write_feeds:
        return
    settings = build.settings
    if not settings.siteurl:
        build.problems.warning(*settings.where("SITEURL"), NO_SITEURL_WARNING)
    site = feed_site(settings, build.media)  # feeds link the derived images, not the originals

    def work() -> None:
        started = time.perf_counter()
        files = site_files(published_entries(generators, settings), site)
        write_files(files, settings.output_dir)
        elapsed = time.perf_counter() - started
        log.info("fanpage: %d feeds and calendars in %.3f s", len(files), elapsed)

    build.feeds = run_beside(work)


def finish_feeds(pelican: Any) -> None:
    """Wait for the feeds started by :func:`write_feeds`; their failure fails the build."""
    build = build_of(pelican.settings)
    job, build.feeds = (build.feeds, None) if build is not None else (None, None)
    if job is None:
        return
    try:
        job.wait()
    except ChildFailed as exc:
        raise RuntimeError(f"writing feeds and calendars failed: {exc}") from None
