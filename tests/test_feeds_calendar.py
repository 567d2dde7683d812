"""The demo's calendars parsed back with icalendar and checked field by field against the model."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from fanpage.config import load_config
from fanpage.content.models import Show, Tour
from fanpage.content.site import load_content
from fanpage.feeds import ids
from fanpage.feeds.ical import show_sequence
from fanpage.feeds.locations import show_calendar_path, tour_calendar_path

ROOT = Path(__file__).resolve().parent.parent
SITEURL = "https://suarasenja.band"
STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}


@pytest.fixture(scope="module")
def demo_tours() -> tuple[list[Tour], dict]:
    config = load_config(ROOT, publish=True)
    content = load_content(config.content)
    tours = [t for t in content.tours if t.status == "published" and t.lang == "en"]
    return tours, config.pelican


def read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def check_event(event, show: Show, tour: Tour, settings: dict) -> None:
    assert str(event["UID"]) == ids.show_uid(show.uid)
    start = event["DTSTART"]
    if show.has_time:
        assert start.params["TZID"] == show.timezone
        assert start.dt == show.starts_at
        assert start.dt.utcoffset() == show.starts_at.utcoffset()
        minutes = settings["SHOW_DURATION_MINUTES"]
        assert event["DTEND"].dt - start.dt == timedelta(minutes=minutes)
    else:
        assert start.dt == show.starts_at.date()
    stamp = event["DTSTAMP"].dt
    assert stamp == (tour.modified or tour.date) and stamp.utcoffset() == timedelta(0)
    assert str(event["SUMMARY"]) == f"{settings['ARTIST_NAME']} — {show.city}, {show.venue}"
    assert show.venue in str(event["LOCATION"]) and show.city in str(event["LOCATION"])
    assert str(event["STATUS"]) == STATUS.get(show.status, "CONFIRMED")
    assert int(event["SEQUENCE"]) == show_sequence(show)
    url = str(event["URL"])
    assert url == (show.tickets if show.tickets_available else f"{SITEURL}/tours/{tour.slug}/")
    assert f"{SITEURL}/tours/{tour.slug}/" in str(event["DESCRIPTION"])


def test_tours_ics_has_every_show_of_every_tour(demo_publish: Path, demo_tours) -> None:
    tours, settings = demo_tours
    cal = read(demo_publish / "tours.ics")
    assert cal["VERSION"] == "2.0" and str(cal["PRODID"])
    assert str(cal["NAME"]) == f"{settings['ARTIST_NAME']} — tour dates"
    interval = cal["REFRESH-INTERVAL"]
    assert interval.params["VALUE"] == "DURATION"
    assert interval.dt == timedelta(hours=settings["CALENDAR_REFRESH_HOURS"])
    assert str(cal["SOURCE"]) == f"{SITEURL}/tours.ics"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    shows = [(show, tour) for tour in tours for show in tour.shows]
    assert len(events) == len(shows) >= 15  # past shows included
    for show, tour in shows:
        check_event(events[ids.show_uid(show.uid)], show, tour, settings)
    # Every TZID used has its VTIMEZONE, and no other is added.
    used = {show.timezone for show, _ in shows if show.has_time}
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == used
    assert len(used) >= 3


def test_the_demo_keeps_cancelled_postponed_and_rescheduled_shows(demo_publish, demo_tours):
    tours, _ = demo_tours
    statuses = {show.status for tour in tours for show in tour.shows}
    assert {"cancelled", "postponed", "rescheduled"} <= statuses
    events = {str(e["UID"]): e for e in read(demo_publish / "tours.ics").walk("VEVENT")}
    for tour in tours:
        for show in tour.shows:
            event = events[ids.show_uid(show.uid)]
            if show.status == "cancelled":
                assert str(event["STATUS"]) == "CANCELLED"
            if show.previous_dates:
                assert int(event["SEQUENCE"]) >= len(show.previous_dates) >= 1


def test_one_calendar_per_tour_and_per_show(demo_publish: Path, demo_tours) -> None:
    tours, settings = demo_tours
    written = {p.relative_to(demo_publish).as_posix() for p in demo_publish.rglob("*.ics")}
    expected = {"tours.ics"}
    for tour in tours:
        expected.add(tour_calendar_path(tour))
        expected.update(show_calendar_path(show) for show in tour.shows)
    assert written == expected
    for tour in tours:
        cal = read(demo_publish / tour_calendar_path(tour))
        assert str(cal["NAME"]) == f"{settings['ARTIST_NAME']} — {tour.title}"
        events = cal.walk("VEVENT")
        assert [str(e["UID"]) for e in events] == [ids.show_uid(s.uid) for s in tour.shows]
        for show in tour.shows:
            one = read(demo_publish / show_calendar_path(show))
            (event,) = one.walk("VEVENT")
            check_event(event, show, tour, settings)
            zones = [str(tz["TZID"]) for tz in one.walk("VTIMEZONE")]
            assert zones == ([show.timezone] if show.has_time else [])


def test_calendar_text_is_crlf_and_folded(demo_publish: Path) -> None:
    data = (demo_publish / "tours.ics").read_bytes()
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in data.replace(b"\r\n", b"")
