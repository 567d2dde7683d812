"""What the theme's templates get beyond Pelican's own context: releases, shows, the artist.

Plain functions over Pelican's article objects (each carries its validated ``entry``), so that
tests can call them without running a build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fanpage.content.models import Album, Gallery, NewsPost, Show, Tour


@dataclass(frozen=True)
class ShowView:
    """A show with the tour article it belongs to (for its URL and title)."""

    show: Show
    tour: Any  # pelican Article whose entry is a Tour

    @property
    def entry(self) -> Tour:
        return self.tour.entry


# What a show's ``venue`` says while the venue is not known yet (compared without case).
VENUE_TBA = "tba"


def venue_to_be_announced(show: Show) -> bool:
    """``venue: TBA``: the page says "Venue to be announced" and metadata names no place."""
    return show.venue.strip().casefold() == VENUE_TBA


def clock_differs(show: Show, site_timezone: str) -> bool:
    """True when the show's wall clock is not the site's at that moment (another offset or
    another zone abbreviation): its time then needs its zone beside it ("9:00 PM AEDT")."""
    site = show.starts_at.astimezone(ZoneInfo(site_timezone))
    return (site.utcoffset(), site.tzname()) != (
        show.starts_at.utcoffset(),
        show.starts_at.tzname(),
    )


def build_time() -> datetime:
    """The build's notion of now; the environment variable ``FANPAGE_NOW`` (ISO 8601) pins it
    for tests and demos."""
    pinned = os.environ.get("FANPAGE_NOW")
    if pinned:
        moment = datetime.fromisoformat(str(pinned))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def of_kind(articles: list[Any], kind: type) -> list[Any]:
    return [a for a in articles if isinstance(getattr(a, "entry", None), kind)]


def template_context(articles: list[Any]) -> dict[str, Any]:
    """Lists the home, discography and tour pages need, newest or soonest first."""
    now = build_time()
    albums = sorted(of_kind(articles, Album), key=lambda a: a.entry.release_date, reverse=True)
    tours = sorted(of_kind(articles, Tour), key=lambda a: a.entry.shows[0].starts_at)
    news = sorted(of_kind(articles, NewsPost), key=lambda a: a.entry.date, reverse=True)
    galleries = sorted(of_kind(articles, Gallery), key=lambda a: a.entry.date, reverse=True)
    shows_by_uid = show_index(tours)
    shows = [ShowView(show, tour) for tour in tours for show in tour.entry.shows]
    upcoming = sorted((v for v in shows if not v.show.is_past(now)), key=lambda v: v.show.starts_at)
    past = sorted(
        (v for v in shows if v.show.is_past(now)), key=lambda v: v.show.starts_at, reverse=True
    )
    return {
        "fp_now": now,
        "fp_albums": albums,
        "fp_tours": tours,
        "fp_news": news,
        "fp_latest_album": next((a for a in albums if a.entry.release_date <= now.date()), None)
        or (albums[0] if albums else None),
        "fp_upcoming_shows": upcoming,
        "fp_past_shows": past,
        "fp_tour_groups": group_by_tour(upcoming),
        "fp_tag_slugs": frozenset(tag.slug for a in articles for tag in getattr(a, "tags", ())),
        "fp_neighbours": neighbours(news),
        "fp_galleries": galleries,
        "fp_latest_gallery": galleries[0] if galleries else None,
        "fp_shows_by_uid": shows_by_uid,
        "fp_tours_by_uid": {t.entry.uid: t for tour in tours for t in (tour, *translations(tour))},
        "fp_show_galleries": show_galleries(galleries, shows_by_uid),
    }


def translations(article: Any) -> list[Any]:
    return list(getattr(article, "translations", ()) or ())


def show_index(tours: list[Any]) -> dict[str, ShowView]:
    """Show uid -> the show with its tour, over every tour and its translations: a gallery
    names the show it documents by uid (``show:``), in whichever language it was written."""
    index: dict[str, ShowView] = {}
    for tour in tours:
        for version in (tour, *translations(tour)):
            if not isinstance(getattr(version, "entry", None), Tour):
                continue  # a news post sharing the tour's slug is Pelican's "translation" too
            for show in version.entry.shows:
                index.setdefault(show.uid, ShowView(show, version))
    return index


def show_galleries(galleries: list[Any], shows: dict[str, ShowView]) -> dict[str, Any]:
    """Show uid -> the newest gallery of that show, so its row on a tour page links "Photos".

    A translated tour lists the same show under its own uid: every show of the same start and
    city gets the gallery too (the page then shows the gallery in its own language).
    """
    found: dict[str, Any] = {}
    for gallery in galleries:  # newest first: the first gallery of a show wins
        named = next(
            (
                shows[v.entry.show_uid]
                for v in (gallery, *translations(gallery))
                if v.entry.show_uid in shows
            ),
            None,
        )
        if named is None:
            continue
        same = (named.show.starts_at, named.show.city)
        for uid, view in shows.items():
            if (view.show.starts_at, view.show.city) == same:
                found.setdefault(uid, gallery)
    return found


def neighbours(news: list[Any]) -> dict[str, tuple[Any, Any]]:
    """News slug -> (newer post, older post), for previous/next links; None at either end."""
    pairs: dict[str, tuple[Any, Any]] = {}
    for index, article in enumerate(news):
        newer = news[index - 1] if index > 0 else None
        older = news[index + 1] if index + 1 < len(news) else None
        pairs[article.slug] = (newer, older)
    return pairs


@dataclass(frozen=True)
class TourGroup:
    """Upcoming shows of one tour, soonest first, for the tour dates page."""

    tour: Any  # pelican Article whose entry is a Tour
    shows: list[ShowView]


def group_by_tour(upcoming: list[ShowView]) -> list[TourGroup]:
    """Group date-ordered shows by tour; a tour comes where its next show does."""
    groups: dict[int, TourGroup] = {}
    for view in upcoming:
        groups.setdefault(id(view.tour), TourGroup(view.tour, [])).shows.append(view)
    return list(groups.values())
