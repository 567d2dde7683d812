"""Pure feed functions, without Pelican: ids, links, items, selection, calendar fields."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from factories import JAKARTA, album, news, page, published, settings, show, tour
from icalendar import Calendar
from lxml import etree

from fanpage.content.models import Link, Track
from fanpage.feeds import ids
from fanpage.feeds.atom_rss import render_atom_rss
from fanpage.feeds.html import absolutize, xml_safe
from fanpage.feeds.ical import (
    CalendarCache,
    TourShow,
    render_calendar,
    show_sequence,
    show_status,
)
from fanpage.feeds.items import feed_item, mime_type, select
from fanpage.feeds.jsonfeed import render_json_feed
from fanpage.feeds.locations import (
    feed_links,
    feed_path,
    show_calendar_path,
    tour_calendar_path,
    webcal,
)
from fanpage.feeds.options import feed_site
from fanpage.feeds.plan import calendar_files, feed_files
from fanpage.feeds.spec import feed_spec

SITE = feed_site(settings(siteurl="https://band.example", sitename="Test Band", feed_max_items=2))
ATOM = "{http://www.w3.org/2005/Atom}"


# --- ids -----------------------------------------------------------------------------------


def test_entry_id_is_a_urn_uuid_from_the_uid_alone() -> None:
    value = ids.entry_id("news/2026-03-02-hello")
    assert value == uuid.uuid5(ids.NAMESPACE, "entry:news/2026-03-02-hello").urn
    assert value.startswith("urn:uuid:")
    assert value == ids.entry_id("news/2026-03-02-hello")
    assert value != ids.entry_id("news/2026-03-02-hello.id")


def test_show_uid_differs_from_an_entry_id_with_the_same_uid() -> None:
    assert str(uuid.UUID(ids.show_uid("x"))) == ids.show_uid("x")
    assert ids.show_uid("x") not in ids.entry_id("x")


def test_the_namespace_never_changes() -> None:
    # Changing it would make every feed reader and calendar show duplicates.
    assert ids.entry_id("news/a") == "urn:uuid:" + str(uuid.uuid5(ids.NAMESPACE, "entry:news/a"))
    assert str(ids.NAMESPACE) == "5a6d1aa9-c4a4-53aa-8892-15561f6a5e79"


# --- locations -----------------------------------------------------------------------------


def test_locations() -> None:
    assert feed_path("all", "atom") == "feeds/all.atom.xml"
    assert feed_path("all", "rss", "id") == "feeds/all-id.rss.xml"
    assert feed_path("all", "json") == "feed.json"
    assert feed_path("all", "json", "id") == "feed-id.json"
    assert feed_path("news", "atom", "id") == "feeds/news-id.atom.xml"
    assert tour_calendar_path(tour(show())) == "tours/test-tour.ics"
    assert show_calendar_path(show()) == "calendar/t-2026-11-14-jakarta.ics"
    assert [(link.title, link.path) for link in feed_links("B", "all", "id")] == [
        ("B (Atom)", "feeds/all-id.atom.xml"),
        ("B (RSS)", "feeds/all-id.rss.xml"),
        ("B (JSON Feed)", "feed-id.json"),
    ]
    assert [link.path for link in feed_links("B — News", "news")] == [
        "feeds/news.atom.xml",
        "feeds/news.rss.xml",
    ]
    assert webcal("https://band.example/tours.ics") == "webcal://band.example/tours.ics"
    assert webcal("/tours.ics") == "/tours.ics"  # a development build: no host to subscribe to


# --- html ----------------------------------------------------------------------------------


def test_absolutize_resolves_links_and_images_against_the_page() -> None:
    fragment = (
        '<p><a href="/albums/x/">x</a> <img src="images/a.jpg" alt="a"> '
        '<a href="../y/">y</a> <a href="https://other.example/z">z</a> '
        '<a href="#top">top</a> <a href="mailto:a@b.example">mail</a> '
        '<img src="/images/b.jpg" srcset="/images/b.jpg 1x, /images/b2.jpg 2x" alt=""> '
        "<a href='/q?a=1&amp;b=2'>q</a></p><pre><code>href=\"/not-a-link\"</code></pre>"
    )
    out = absolutize(fragment, "https://band.example/news/post/")
    assert 'href="https://band.example/albums/x/"' in out
    assert 'src="https://band.example/news/post/images/a.jpg"' in out
    assert 'href="https://band.example/news/y/"' in out
    assert 'href="https://other.example/z"' in out
    assert 'href="#top"' in out
    assert 'href="mailto:a@b.example"' in out
    assert (
        'srcset="https://band.example/images/b.jpg 1x, https://band.example/images/b2.jpg 2x"'
        in out
    )
    assert "href='https://band.example/q?a=1&amp;b=2'" in out
    assert '<code>href="/not-a-link"</code>' in out  # text, not a tag: untouched


def test_xml_safe_drops_what_xml_cannot_carry() -> None:
    assert xml_safe("a\x00b\x0bc\td") == "abc\td"


def test_a_summary_from_the_first_paragraph_is_cut_at_a_word() -> None:
    body = "<h2>T</h2><p></p><p>" + "word " * 200 + "</p><p>Second</p>"
    item = feed_item(published(news(), html=body), SITE)
    assert len(item.summary) <= 300 and item.summary.endswith("word…")
    assert feed_item(published(news(), html="<p>First <b>one</b>.</p>"), SITE).summary == (
        "First one."
    )


def test_mime_types_do_not_depend_on_the_machine() -> None:
    assert mime_type("audio/a.wav") == "audio/wav"
    assert mime_type("audio/a.MP3") == "audio/mpeg"
    assert mime_type("images/a.jpg") == "image/jpeg"
    assert mime_type("https://cdn.example/a.webp?x=1") == "image/webp"


# --- items ---------------------------------------------------------------------------------


def test_feed_item_of_an_album_lists_tracks_links_and_previews(tmp_path) -> None:
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "one.mp3").write_bytes(b"x" * 1234)
    entry = album(
        "album-x",
        title="Kota Hujan",
        slug="kota-hujan",
        date=datetime(2026, 10, 3, tzinfo=JAKARTA),
        release_date=date(2026, 10, 3),
        release_type="ep",
        cover="images/covers/x.jpg",
        cover_alt="A rainy street",
        tracks=(
            Track(1, "Hujan", 241, preview="audio/one.mp3"),
            Track(2, "Reda", 200, preview="https://cdn.example/two.ogg"),
        ),
        links=(Link("spotify", "https://open.spotify.com/album/x"),),
        tags=("album",),
    )
    site = replace(SITE, content_dir=tmp_path)
    item = feed_item(published(entry, "albums/kota-hujan/", "<p>Our <b>EP</b>.</p>"), site)
    assert item.id == ids.entry_id("album-x")
    assert item.url == "https://band.example/albums/kota-hujan/"
    assert item.image == "https://band.example/images/covers/x.jpg"
    assert item.image_alt == "A rainy street"
    assert item.summary == "Our EP."
    assert "<ol><li>Hujan (4:01)" in item.content_html
    assert "Spotify</a>" in item.content_html and "EP · " in item.content_html
    assert [(a.url, a.mime, a.size) for a in item.attachments] == [
        ("https://band.example/audio/one.mp3", "audio/mpeg", 1234),
        ("https://cdn.example/two.ogg", "audio/ogg", None),
    ]


def test_feed_item_of_a_tour_lists_shows_with_local_time_and_status() -> None:
    sydney = ZoneInfo("Australia/Sydney")
    moved = show(
        "t/2027-02-01-sydney",
        starts_at=datetime(2027, 2, 5, 20, 0, tzinfo=sydney),
        timezone="Australia/Sydney",
        city="Sydney",
        venue="Oxford Art Factory",
        country="AU",
        status="rescheduled",
        previous_dates=(datetime(2027, 2, 1, 20, 0, tzinfo=sydney),),
    )
    gone = show(status="cancelled")
    item = feed_item(published(tour(gone, moved)), SITE)
    html = item.content_html
    assert "Sat, 14 Nov 2026, 8:00\u202fPM" in html and "<strong>Cancelled</strong>" in html
    # The venue's own clock, not the site's: 20:00 in Sydney.
    assert '<time datetime="2027-02-05T20:00:00+11:00">Fri, 5 Feb 2027, 8:00\u202fPM</time>' in html
    assert "(Was <s>Mon, 1 Feb 2027, 8:00\u202fPM</s>)" in html


def test_an_indonesian_tour_item_speaks_as_the_indonesian_pages_do() -> None:
    from fanpage.i18n import translate

    sold = show(status="sold_out", doors_at=datetime(2026, 11, 14, 19, 0, tzinfo=JAKARTA))
    indonesian = tour(sold, uid="t.id", title="Tur 2026", lang="id")
    html = feed_item(published(indonesian, "id/tours/test-tour/"), SITE).content_html
    assert "<h2>Konser</h2>" in html
    assert "Sab, 14 Nov 2026, 20.00" in html and "(Pintu dibuka 19.00)" in html
    # The same words as the site's own badge, not a second translation.
    assert f"<strong>{translate('sold_out', 'id')}</strong>" in html


def test_pages_are_not_feed_items() -> None:
    files = feed_files([published(page(), "about/", "<p>Hi</p>")], SITE)
    assert files == {}


def test_select_is_newest_first_per_language_and_limited() -> None:
    items = [
        feed_item(published(news(f"news/{n}", n, lang), html="<p>x</p>"), SITE)
        for n, lang in [(1, "en"), (3, "en"), (2, "en"), (4, "id")]
    ]
    chosen = select(items, "en", "all", 2)
    assert [i.uid for i in chosen] == ["news/3", "news/2"]
    assert [i.uid for i in select(items, "id", "news")] == ["news/4"]
    assert select(items, "en", "albums") == []


def test_feed_files_of_two_languages_and_limits() -> None:
    entries = [news(f"news/{n}", n) for n in (1, 2, 3)] + [news("news/1.id", 5, "id")]
    files = feed_files([published(e, html="<p>x</p>") for e in entries], SITE)
    assert sorted(files) == [
        "feed-id.json",
        "feed.json",
        "feeds/all-id.atom.xml",
        "feeds/all-id.rss.xml",
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "feeds/news-id.atom.xml",
        "feeds/news-id.rss.xml",
        "feeds/news.atom.xml",
        "feeds/news.rss.xml",
    ]
    atom = etree.fromstring(files["feeds/all.atom.xml"])
    assert [e.findtext(f"{ATOM}id") for e in atom.iter(f"{ATOM}entry")] == [
        ids.entry_id("news/3"),
        ids.entry_id("news/2"),
    ]
    # The feed's updated is its newest item's, not the build's time.
    assert atom.findtext(f"{ATOM}updated") == "2026-03-03T10:00:00+07:00"
    data = json.loads(files["feed-id.json"])
    assert [item["id"] for item in data["items"]] == [ids.entry_id("news/1.id")]
    assert data["language"] == "id"


def test_hub_links_in_every_format() -> None:
    site = replace(SITE, hub="https://hub.example/")
    spec = feed_spec("all", "en", site)
    item = feed_item(published(news("news/1", 1), html="<p>x</p>"), site)
    atom, rss = render_atom_rss(spec, [item], site)
    atom_links = {
        link.get("rel"): link.get("href") for link in etree.fromstring(atom).findall(f"{ATOM}link")
    }
    assert atom_links == {
        "self": "https://band.example/feeds/all.atom.xml",
        "hub": "https://hub.example/",
        "alternate": "https://band.example/",
    }
    channel = etree.fromstring(rss).find("channel")
    rss_links = {link.get("rel"): link.get("href") for link in channel.findall(f"{ATOM}link")}
    assert rss_links == {
        "self": "https://band.example/feeds/all.rss.xml",
        "hub": "https://hub.example/",
    }
    assert channel.findtext("link") == "https://band.example/"
    data = json.loads(render_json_feed(spec, [item], site))
    assert data["hubs"] == [{"type": "WebSub", "url": "https://hub.example/"}]
    assert data["feed_url"] == "https://band.example/feed.json"


# --- calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "previous", "expected_status", "expected_sequence"),
    [
        ("on_sale", 0, "CONFIRMED", 0),
        ("sold_out", 0, "CONFIRMED", 0),
        ("rescheduled", 1, "CONFIRMED", 1),
        ("rescheduled", 2, "CONFIRMED", 2),
        ("cancelled", 0, "CANCELLED", 1),
        ("postponed", 0, "TENTATIVE", 1),
        ("cancelled", 1, "CANCELLED", 2),
    ],
)
def test_status_and_sequence(status, previous, expected_status, expected_sequence) -> None:
    earlier = tuple(datetime(2026, 10, 1 + n, 20, 0, tzinfo=JAKARTA) for n in range(previous))
    one = show(status=status, previous_dates=earlier)
    assert show_status(one) == expected_status
    assert show_sequence(one) == expected_sequence


def test_calendar_event_fields() -> None:
    one = show(
        status="on_sale",
        tickets="https://tickets.example/1",
        address="Jl. Pintu Satu",
        notes="Bring earplugs.",
    )
    the_tour = tour(one, modified=datetime(2026, 9, 1, 12, 0, tzinfo=JAKARTA))
    data = render_calendar(
        "Band — tour", "tours.ics", [TourShow(one, the_tour, "https://band.example/t/")], SITE
    )
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and cal["NAME"] == "Band — tour"
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert cal["REFRESH-INTERVAL"].dt == timedelta(hours=12)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == ids.show_uid(one.uid)
    assert event["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert event["DTSTART"].dt == one.starts_at
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=180)
    assert event["DTSTAMP"].dt == datetime(2026, 9, 1, 5, 0, tzinfo=ZoneInfo("UTC"))
    assert str(event["SUMMARY"]) == "Test Band — Jakarta, Tennis Indoor Senayan"
    assert str(event["LOCATION"]) == "Tennis Indoor Senayan, Jl. Pintu Satu, Jakarta, Indonesia"
    assert str(event["URL"]) == "https://tickets.example/1"
    assert "Bring earplugs." in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Jakarta"]


def test_sold_out_show_links_the_tour_page_and_date_only_show_is_all_day() -> None:
    sold = show(status="sold_out", tickets="https://tickets.example/1")
    day = show(
        "t/2026-12-01-bogor",
        starts_at=datetime(2026, 12, 1, tzinfo=JAKARTA),
        has_time=False,
        city="Bogor",
    )
    the_tour = tour(sold, day)
    items = [TourShow(s, the_tour, "https://band.example/t/") for s in (sold, day)]
    cal = Calendar.from_ical(render_calendar("x", "tours.ics", items, SITE))
    first, second = cal.walk("VEVENT")
    assert str(first["URL"]) == "https://band.example/t/"
    assert second["DTSTART"].dt == date(2026, 12, 1)
    assert second["DTEND"].dt == date(2026, 12, 2)


def test_calendar_files_and_cache_reuse() -> None:
    shows = (show(), show("t/2027-01-15-tokyo", city="Tokyo", timezone="Asia/Tokyo"))
    files = calendar_files([published(tour(*shows))], SITE)
    assert sorted(files) == [
        "calendar/t-2026-11-14-jakarta.ics",
        "calendar/t-2027-01-15-tokyo.ics",
        "tours.ics",
        "tours/test-tour.ics",
    ]
    cache = CalendarCache.new()
    items = [TourShow(s, tour(*shows), "https://band.example/t/") for s in shows]
    once = render_calendar("x", "tours.ics", items, SITE, cache)
    assert render_calendar("x", "tours.ics", items, SITE, cache) == once
    assert render_calendar("x", "tours.ics", items, SITE) == once


def test_fast_serialization_equals_icalendars_own() -> None:
    from icalendar import Timezone

    from fanpage.feeds.ical import serialize, show_event, vtimezone

    noted = show(notes="Ç" * 40 + "; a, b\\c " + "東京" * 30, support=("X",), doors_at=None)
    event = show_event(TourShow(noted, tour(noted), "https://band.example/t/"), SITE)
    ours = serialize(event)
    assert ours.replace(b"\r\n ", b"") == event.to_ical().replace(b"\r\n ", b"")
    for line in ours.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # never split inside a character
        assert not line.endswith(b"\\") or line.endswith(b"\\\\")
    assert (
        Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + ours + b"END:VCALENDAR\r\n").walk("VEVENT")[0][
            "DESCRIPTION"
        ]
        == event["DESCRIPTION"]
    )
    for tzid in ("Asia/Jakarta", "Asia/Tokyo", "Australia/Sydney", "America/Los_Angeles"):
        theirs = Timezone.from_tzid(tzid, first_date=date(2026, 1, 1), last_date=date(2028, 1, 1))
        assert vtimezone(tzid, 2026, 2028) == serialize(theirs)
        assert serialize(theirs).replace(b"\r\n ", b"") == theirs.to_ical().replace(b"\r\n ", b"")
