"""Tour calendars (RFC 5545 with the RFC 7986 properties) with icalendar, as pure functions.

Every show is one ``VEVENT``:

- ``UID`` from the show's uid (:func:`fanpage.feeds.ids.show_uid`), so a reschedule, a renamed
  slug or a moved site keeps it.
- ``DTSTART``/``DTEND`` in the venue's time zone (``TZID`` with a matching ``VTIMEZONE``); a show
  lasts ``SHOW_DURATION_MINUTES`` (default 180). A show with a date and no time is an all-day
  event (``VALUE=DATE``).
- ``DTSTAMP`` is the tour file's ``modified`` date, else its ``date``: never the build time.
- ``STATUS``: ``CANCELLED`` for cancelled shows (they stay in the calendar), ``TENTATIVE`` for
  postponed ones, ``CONFIRMED`` otherwise.
- ``SEQUENCE`` = number of ``previous_date`` entries (each reschedule is one revision) plus one
  while the show is cancelled or postponed. It is derived from the content alone, so the same
  content always yields the same calendar; record ``previous_date`` when a show moves.
- ``SUMMARY`` "Artist — City, Venue"; ``LOCATION`` venue and address; ``URL`` the ticket page
  while tickets can be bought, else the tour page; ``DESCRIPTION`` status, times, price, notes.
  All of them plain text (:func:`fanpage.feeds.fields.field_text`), escaped by icalendar only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneStandard, vDDDTypes, vInt, vText, vUri
from icalendar.cal.component import Component

from fanpage.content.models import Show, Tour
from fanpage.feeds import ids
from fanpage.feeds.describe import local_time, place, price_text
from fanpage.feeds.fields import field_text
from fanpage.feeds.options import FeedSite
from fanpage.i18n import format_time, translate

PRODID = "-//fanpage//tour dates//EN"
STATUS: dict[str, str] = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}


@dataclass(frozen=True)
class TourShow:
    """A show with its tour and the tour page's absolute URL."""

    show: Show
    tour: Tour
    tour_url: str


def show_status(show: Show) -> str:
    return STATUS.get(show.status, "CONFIRMED")


def show_sequence(show: Show) -> int:
    """Revisions of the show: one per recorded move, one more while cancelled or postponed."""
    return len(show.previous_dates) + (0 if show.is_active else 1)


def summary(show: Show, artist: str) -> str:
    return f"{artist} — {show.city}, {show.venue}"


def location(show: Show, lang: str) -> str:
    if not show.address:
        return place(show, lang)
    return place(show, lang).replace(show.venue, f"{show.venue}, {show.address}", 1)


def description(item: TourShow, lang: str) -> str:
    show = item.show
    lines = [translate(show.status, lang)]
    if show.previous_date is not None:
        lines.append(f"{translate('Was', lang)}: {local_time(show, lang, show.previous_date)}")
    if show.doors_at and show.has_time:
        lines.append(translate("Doors {time}", lang, time=format_time(show.doors_at, lang)))
    if show.support:
        lines.append(translate("with {names}", lang, names=", ".join(show.support)))
    price = price_text(show, lang)
    if price and show.status != "free":
        lines.append(price)
    if show.tickets and show.tickets_available:
        lines.append(f"{translate('Tickets', lang)}: {show.tickets}")
    if show.notes:
        lines.append(show.notes)
    lines.append(f"{item.tour.title}: {item.tour_url}")
    return "\n".join(line[:1].upper() + line[1:] for line in lines)


def show_event(item: TourShow, site: FeedSite) -> Event:
    """The VEVENT of one show (properties set as icalendar values: ``add`` is 3x slower)."""
    show, tour = item.show, item.tour
    event = Event()
    event["UID"] = vText(ids.show_uid(show.uid))
    event["DTSTAMP"] = vDDDTypes((tour.modified or tour.date).astimezone(UTC))
    if tour.modified is not None:
        event["LAST-MODIFIED"] = vDDDTypes(tour.modified.astimezone(UTC))
    if show.has_time:
        event["DTSTART"] = vDDDTypes(show.starts_at)
        event["DTEND"] = vDDDTypes(show.starts_at + timedelta(minutes=site.show_minutes))
    else:
        day = show.starts_at.date()
        event["DTSTART"] = vDDDTypes(day)
        event["DTEND"] = vDDDTypes(day + timedelta(days=1))
    event["SEQUENCE"] = vInt(show_sequence(show))
    event["STATUS"] = vText(show_status(show))
    event["SUMMARY"] = vText(field_text("ics", "SUMMARY", summary(show, site.artist)))
    event["LOCATION"] = vText(field_text("ics", "LOCATION", location(show, site.default_lang)))
    url = show.tickets if show.tickets_available and show.tickets else item.tour_url
    event["URL"] = vUri(url)
    event["DESCRIPTION"] = vText(
        field_text("ics", "DESCRIPTION", description(item, site.default_lang))
    )
    return event


@dataclass
class CalendarCache:
    """Serialised events and the shared calendar properties, reused by every calendar of a build."""

    events: dict[str, bytes]
    common: bytes | None = None

    @classmethod
    def new(cls) -> CalendarCache:
        return cls({})


BEGIN = b"BEGIN:VCALENDAR\r\n"
END = b"END:VCALENDAR\r\n"


def _properties(calendar: Calendar) -> bytes:
    """The property lines of a calendar without its BEGIN/END lines."""
    return serialize(calendar).removeprefix(BEGIN).removesuffix(END)


def _common(site: FeedSite) -> bytes:
    """Properties every calendar of the site shares (RFC 5545 and RFC 7986)."""
    head = Calendar()
    head.add("version", "2.0")
    head.add("prodid", PRODID)
    head.add("calscale", "GREGORIAN")
    head.add("method", "PUBLISH")
    head.add("refresh-interval", timedelta(hours=site.refresh_hours), {"VALUE": "DURATION"})
    head.add("x-published-ttl", f"PT{site.refresh_hours}H")
    head.add("url", site.url("tours/"))
    return _properties(head)


def render_calendar(
    name: str,
    path: str,
    shows: list[TourShow],
    site: FeedSite,
    cache: CalendarCache | None = None,
) -> bytes:
    """A calendar of ``shows`` (in date order) written at ``path``, with their time zones."""
    cache = cache or CalendarCache.new()
    if cache.common is None:
        cache.common = _common(site)
    own = Calendar()
    own.add("name", field_text("ics", "NAME", name))
    own.add("x-wr-calname", field_text("ics", "X-WR-CALNAME", name))
    own.add("source", site.url(path), {"VALUE": "URI"})
    ordered = sorted(shows, key=lambda s: (s.show.starts_at.astimezone(UTC), s.show.uid))
    parts = [BEGIN, cache.common, _properties(own), *_zones(ordered)]
    for item in ordered:
        key = item.show.uid
        if key not in cache.events:
            cache.events[key] = serialize(show_event(item, site))
        parts.append(cache.events[key])
    parts.append(END)
    return b"".join(parts)


def _zones(shows: list[TourShow]) -> list[bytes]:
    """One VTIMEZONE per TZID used, covering the years of the calendar's shows."""
    timed = [item.show for item in shows if item.show.has_time]
    if not timed:
        return []
    first = min(show.starts_at.year for show in timed)
    last = max(show.starts_at.year for show in timed) + 2
    return [vtimezone(tzid, first, last) for tzid in sorted({show.timezone for show in timed})]


@lru_cache(maxsize=1024)
def vtimezone(tzid: str, first: int, last: int) -> bytes:
    """The VTIMEZONE of ``tzid`` from 1 January ``first`` to 1 January ``last``.

    icalendar's ``Timezone.from_tzid`` builds it from zoneinfo, but for a zone without any
    transition (Asia/Jakarta, Asia/Tokyo) it searches up to the year 9999 (about 12 ms each);
    such a zone gets the same one-STANDARD component built here directly.
    """
    zone = ZoneInfo(tzid)
    start = datetime(first, 1, 1, tzinfo=zone)
    days = (date(last, 1, 1) - date(first, 1, 1)).days
    # Weekly samples find any DST rule or permanent change (transients of days do not exist).
    offsets = {(start + timedelta(days=day)).utcoffset() for day in (*range(0, days, 7), days)}
    if len(offsets) > 1:
        found = Timezone.from_tzid(tzid, first_date=date(first, 1, 1), last_date=date(last, 1, 1))
        return serialize(found)
    (offset,) = offsets
    timezone = Timezone()
    timezone.add("tzid", tzid)
    timezone.add("comment", f"This timezone only works from {first}-01-01 to {last}-01-01.")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(first, 1, 1))
    standard.add("tzname", start.tzname())
    standard.add("tzoffsetfrom", offset)
    standard.add("tzoffsetto", offset)
    timezone.add_component(standard)
    return serialize(timezone)


def serialize(component: Component) -> bytes:
    """``component.to_ical()``, unfolded lines equal, about three times faster.

    Values and parameters are still encoded by icalendar; only the assembly of content lines
    and the folding are done here (icalendar builds a parameter object per line and encodes
    each character separately while folding, which dominated calendar writing).
    """
    lines = []
    for name, value in component.property_items():
        text = value.to_ical() if hasattr(value, "to_ical") else value
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        params = getattr(value, "params", None)
        encoded = params.to_ical().decode("utf-8") if params else ""
        lines.append(fold(f"{name};{encoded}:{text}" if encoded else f"{name}:{text}"))
    lines.append(b"")
    return b"\r\n".join(lines)


def fold(line: str, limit: int = 75) -> bytes:
    """Fold a content line into pieces of at most ``limit`` octets (RFC 5545, 3.1).

    Never inside a UTF-8 sequence, and never right after a backslash (some clients would read
    a split escape wrongly).
    """
    data = line.encode("utf-8")
    if len(data) <= limit:
        return data
    pieces = []
    start, room = 0, limit
    while len(data) - start > room:
        end = start + room
        while end > start + 1 and (data[end] & 0xC0 == 0x80 or data[end - 1] == 0x5C):
            end -= 1
        pieces.append(data[start:end])
        start, room = end, limit - 1  # continuation lines start with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)
