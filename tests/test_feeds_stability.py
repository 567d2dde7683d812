"""Ids survive renames, calendars follow reschedules and cancellations, bytes never drift.

Small sites made with ``make_site`` and built for real with publish settings, twice.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from icalendar import Calendar
from jinja2 import Environment
from lxml import etree

from fanpage.config import load_config
from fanpage.content.models import Show, Tour
from fanpage.content.site import load_content
from fanpage.engine.build import build_site
from fanpage.engine.run import Build
from fanpage.feeds import ids
from fanpage.feeds.hooks import install_template_helpers
from fanpage.feeds.locations import FeedLink, feed_links

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
SITEURL = "https://band.example"
INDONESIAN = "Sampai jumpa di Bandung — tiket habis!"
EXTRA = "Terima kasih, semuanya — “Pasang” dinyanyikan 5.000 orang ✨ 東京 Ça va"

NEWS = """
---
title: Hello
date: 2026-03-02 10:00
tags: [news]
summary: First post.
---
Hello **world**, see [the album](/albums/kota-hujan/) and ![a cat](/images/cat.png).
"""
ALBUM = """
---
title: Kota Hujan
release_date: 2026-01-10
release_type: ep
tracks:
  - title: Hujan
    duration: "3:30"
links:
  bandcamp: https://band.bandcamp.com/album/kota-hujan
---
Our first EP.
"""
TOUR = """
---
title: Tour 2026
date: 2026-08-01
shows:
  - date: 2026-11-21 20:00
    venue: Dyandra Convention Center
    city: Surabaya
    country: ID
    status: on_sale
    tickets: https://tickets.example/surabaya
  - date: 2027-01-26 20:00
    timezone: Asia/Manila
    venue: Eastwood City Open Park
    city: Manila
    country: PH
    status: on_sale
---
Two shows.
"""


def feed_ids(out: Path) -> dict[str, list[str]]:
    """Every id in every feed and calendar of a build, by file."""
    found: dict[str, list[str]] = {}
    for path in sorted(out.glob("feeds/*.atom.xml")):
        root = etree.parse(str(path)).getroot()
        found[path.name] = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    for path in sorted(out.glob("feeds/*.rss.xml")):
        found[path.name] = [g.text for g in etree.parse(str(path)).getroot().iter("guid")]
    for path in sorted(out.glob("feed*.json")):
        found[path.name] = [item["id"] for item in json.loads(path.read_bytes())["items"]]
    for path in sorted(out.rglob("*.ics")):
        cal = Calendar.from_ical(path.read_bytes())
        found[path.relative_to(out).as_posix()] = [str(e["UID"]) for e in cal.walk("VEVENT")]
    return found


def links(out: Path) -> list[str]:
    root = etree.parse(str(out / "feeds/all.atom.xml")).getroot()
    return [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in root.iter(f"{ATOM}entry")]


def events(out: Path, name: str = "tours.ics") -> dict[str, object]:
    cal = Calendar.from_ical((out / name).read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def write(site: Path, name: str, text: str) -> None:
    (site / "content" / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def small_site(make_site: Callable[..., Path]) -> Path:
    return make_site(
        {
            "news/2026-03-02-hello.md": NEWS,
            "albums/kota-hujan.md": ALBUM,
            "tours/2026.md": TOUR,
            "images/cat.png": b"\x89PNG\r\n\x1a\n",
        },
        siteurl=SITEURL,
    )


def test_a_slug_rename_keeps_every_id(small_site: Path, tmp_path: Path) -> None:
    build_site(small_site, publish=True, output=tmp_path / "one")
    before = feed_ids(tmp_path / "one")
    write(
        small_site, "news/2026-03-02-hello.md", NEWS.replace("title: Hello", "title: Hi\nslug: hi")
    )
    write(
        small_site,
        "albums/kota-hujan.md",
        ALBUM.replace("title: Kota Hujan", "slug: rainy-city\ntitle: Kota Hujan"),
    )
    write(
        small_site, "tours/2026.md", TOUR.replace("title: Tour", "slug: on-the-road\ntitle: Tour")
    )
    build_site(small_site, publish=True, output=tmp_path / "two")
    after = feed_ids(tmp_path / "two")
    renamed = {"tours/2026.ics": "tours/on-the-road.ics"}
    assert {renamed.get(k, k): v for k, v in before.items()} == after
    assert sum(len(v) for v in after.values()) >= 10
    assert f"{SITEURL}/news/hi/" in links(tmp_path / "two")
    assert f"{SITEURL}/news/hello/" in links(tmp_path / "one")


def test_an_explicit_uid_keeps_ids_when_the_file_moves(small_site: Path, tmp_path: Path) -> None:
    text = NEWS.replace("title: Hello", "title: Hello\nuid: hello-post")
    write(small_site, "news/2026-03-02-hello.md", text)
    build_site(small_site, publish=True, output=tmp_path / "one")
    (small_site / "content/news/2026-03-02-hello.md").rename(small_site / "content/news/moved.md")
    build_site(small_site, publish=True, output=tmp_path / "two")
    assert feed_ids(tmp_path / "one")["news.atom.xml"] == [ids.entry_id("hello-post")]
    assert feed_ids(tmp_path / "two")["news.atom.xml"] == [ids.entry_id("hello-post")]


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(small_site, tmp_path) -> None:
    build_site(small_site, publish=True, output=tmp_path / "one")
    uid = ids.show_uid("tours/2026/2026-11-21-surabaya")
    before = events(tmp_path / "one")[uid]
    moved = TOUR.replace(
        "  - date: 2026-11-21 20:00\n",
        "  - date: 2026-12-12 19:30\n    previous_date: 2026-11-21 20:00\n",
    ).replace(
        "status: on_sale\n    tickets: https://tickets.example/surabaya", "status: rescheduled"
    )
    write(small_site, "tours/2026.md", moved)
    build_site(small_site, publish=True, output=tmp_path / "two")
    after = events(tmp_path / "two")[uid]
    assert int(before["SEQUENCE"]) == 0 and int(after["SEQUENCE"]) == 1
    assert before["DTSTART"].dt.isoformat() == "2026-11-21T20:00:00+07:00"
    assert after["DTSTART"].dt.isoformat() == "2026-12-12T19:30:00+07:00"
    assert after["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert "Was: Sat, 21 Nov 2026, 8:00\u202fPM" in str(after["DESCRIPTION"])
    # The show's own calendar file keeps its name and its UID too.
    assert list(events(tmp_path / "two", "calendar/tours-2026-2026-11-21-surabaya.ics")) == [uid]


def test_a_cancelled_show_stays_in_every_calendar(small_site: Path, tmp_path: Path) -> None:
    cancelled = TOUR.replace(
        "status: on_sale\n    tickets: https://tickets.example/surabaya", "status: cancelled"
    )
    write(small_site, "tours/2026.md", cancelled)
    build_site(small_site, publish=True, output=tmp_path / "out")
    uid = ids.show_uid("tours/2026/2026-11-21-surabaya")
    for name in ("tours.ics", "tours/2026.ics", "calendar/tours-2026-2026-11-21-surabaya.ics"):
        event = events(tmp_path / "out", name)[uid]
        assert str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == 1
    manila = events(tmp_path / "out")[ids.show_uid("tours/2026/2027-01-26-manila")]
    assert str(manila["STATUS"]) == "CONFIRMED"
    feed = (tmp_path / "out" / "feeds/tours.atom.xml").read_text(encoding="utf-8")
    assert "&lt;strong&gt;Cancelled&lt;/strong&gt;" in feed


def generated(out: Path) -> dict[str, bytes]:
    files = [*out.glob("feeds/*.xml"), *out.glob("feed*.json"), *out.rglob("*.ics")]
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in files}


def test_two_builds_of_the_demo_give_identical_bytes(
    demo_publish: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another "now", another output folder, another process state: the same bytes.
    monkeypatch.setenv("FANPAGE_NOW", "2031-01-01T00:00:00+00:00")
    build_site(ROOT, publish=True, output=tmp_path / "again")
    first, second = generated(demo_publish), generated(tmp_path / "again")
    assert len(first) >= 20
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_a_rebuild_into_the_same_folder_leaves_files_untouched(small_site, tmp_path) -> None:
    out = tmp_path / "out"
    build_site(small_site, publish=True, output=out)
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("feeds/*.xml")}
    os.utime(out / "feeds/all.atom.xml", ns=(1, 1))
    build_site(small_site, publish=True, output=out)
    assert (out / "feeds/all.atom.xml").stat().st_mtime_ns == 1  # same bytes: not rewritten
    assert {p: p.stat().st_mtime_ns for p in stamps if p.name != "all.atom.xml"} == {
        p: t for p, t in stamps.items() if p.name != "all.atom.xml"
    }


def test_indonesian_characters_survive_in_all_four_formats(make_site, tmp_path) -> None:
    post = f"""
    ---
    title: "{INDONESIAN}"
    date: 2026-11-19 20:00
    summary: "{EXTRA}"
    ---
    {INDONESIAN} {EXTRA}
    """
    tour = f"""
    ---
    title: Tur Pulang
    date: 2026-08-01
    shows:
      - date: 2026-11-28 20:00
        venue: Sabuga ITB ✨
        city: Bandung
        country: ID
        notes: "{INDONESIAN}"
    ---
    {EXTRA}
    """
    english = NEWS.replace("Hello **world**", "Bye")
    site = make_site(
        {
            "news/bye.md": english.replace("title: Hello", "title: Bye\nslug: bandung"),
            "news/bye.id.md": post.replace("---\n    title", "---\n    slug: bandung\n    title"),
            "tours/pulang.id.md": tour,
        },
        siteurl=SITEURL,
    )
    out = tmp_path / "out"
    build_site(site, publish=True, output=out)
    raw = INDONESIAN.encode("utf-8")
    atom = (out / "feeds/all-id.atom.xml").read_bytes()
    rss = (out / "feeds/all-id.rss.xml").read_bytes()
    assert raw in atom and raw in rss  # UTF-8 text, not character references
    entry = etree.fromstring(atom).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == INDONESIAN
    assert entry.findtext(f"{ATOM}summary") == EXTRA
    assert EXTRA in entry.findtext(f"{ATOM}content")
    item = etree.fromstring(rss).find("channel/item")
    assert item.findtext("title") == INDONESIAN and item.findtext("description") == EXTRA
    data = (out / "feed-id.json").read_bytes()
    assert raw in data
    (json_item,) = [i for i in json.loads(data)["items"] if i["title"] == INDONESIAN]
    assert json_item["summary"] == EXTRA and EXTRA in json_item["content_html"]
    assert json_item["language"] == "id"
    # The English feeds do not carry the translation.
    assert raw not in (out / "feeds/all.atom.xml").read_bytes()
    (event,) = events(out).values()
    assert INDONESIAN in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]) == "Test Band — Bandung, Sabuga ITB ✨"
    assert "Tur Pulang" in (out / "feeds/tours-id.atom.xml").read_text(encoding="utf-8")


def test_no_feeds_when_write_feeds_is_off(make_site, tmp_path) -> None:
    conf = 'SITENAME = "Test Band"\nSITEURL = ""\nTIMEZONE = "Asia/Jakarta"\nWRITE_FEEDS = False\n'
    site = make_site({"news/a.md": NEWS, "tours/t.md": TOUR}, conf=conf)
    out = tmp_path / "dev"
    build_site(site, publish=False, output=out)
    assert (out / "index.html").exists()
    assert not (out / "feeds").exists() and not list(out.rglob("*.ics"))
    assert not (out / "feed.json").exists()


def test_development_builds_with_feeds_use_a_local_address(make_site, tmp_path) -> None:
    site = make_site({"news/a.md": NEWS})  # SITEURL = "", WRITE_FEEDS default True
    out = tmp_path / "dev"
    build_site(site, publish=False, output=out)
    data = json.loads((out / "feed.json").read_bytes())
    assert data["items"][0]["url"] == "http://localhost:8000/news/a/"
    schema = etree.RelaxNG(etree.parse(str(ROOT.parent / "shared/schemas/atom.rng")))
    assert schema.validate(etree.parse(str(out / "feeds/all.atom.xml")))


def test_template_helpers_for_the_theme(small_site: Path, tmp_path: Path) -> None:
    config = load_config(small_site, publish=True)
    content = load_content(config.content)
    settings = dict(config.pelican)
    Build(config.settings, content).install(settings)

    class Generator:  # what Pelican hands to generator_init: settings and a Jinja env
        def __init__(self) -> None:
            self.settings = settings
            self.env = Environment(autoescape=True)

    generator = Generator()
    install_template_helpers(generator)
    tour: Tour = content.tours[0]
    show: Show = tour.shows[0]
    template = generator.env.from_string(
        "{{ show|fp_show_ics }} {{ tour|fp_tour_ics }} {{ tour|fp_tour_ics|fp_webcal }} "
        "{{ fp_tours_ics_url }} {{ fp_tours_webcal }} {{ fp_feeds_on }}"
    )
    assert template.render(show=show, tour=tour).split() == [
        f"{SITEURL}/calendar/tours-2026-2026-11-21-surabaya.ics",
        f"{SITEURL}/tours/2026.ics",
        "webcal://band.example/tours/2026.ics",
        f"{SITEURL}/tours.ics",
        "webcal://band.example/tours.ics",
        "True",
    ]
    env = generator.env.globals
    assert env["fp_feed_links_for"]("en") == [
        FeedLink("Test Band (Atom)", "feeds/all.atom.xml", "application/atom+xml"),
        FeedLink("Test Band (RSS)", "feeds/all.rss.xml", "application/rss+xml"),
        FeedLink("Test Band (JSON Feed)", "feed.json", "application/feed+json"),
    ]
    # No Indonesian entries: Indonesian pages announce the default feeds.
    assert env["fp_feed_links_for"]("id") == env["fp_feed_links_for"]("en")
    assert env["fp_section_feed_links"]("news") == [
        FeedLink("Test Band — News (Atom)", "feeds/news.atom.xml", "application/atom+xml"),
        FeedLink("Test Band — News (RSS)", "feeds/news.rss.xml", "application/rss+xml"),
    ]
    assert env["fp_section_feed_links"]("news", "id") == []
    # Every path the helpers announce is a file the build writes.
    out = tmp_path / "out"
    build_site(small_site, publish=True, output=out)
    announced = [link.path for link in env["fp_feed_links_for"]("en")]
    announced += [
        link.path for s in ("news", "albums", "tours") for link in env["fp_section_feed_links"](s)
    ]
    announced += [
        url.removeprefix(f"{SITEURL}/")
        for url in template.render(show=show, tour=tour).split()[:4]
        if url.startswith(SITEURL)
    ]
    assert len(announced) == 12
    assert [p for p in announced if not (out / p).is_file()] == []


def test_development_helpers_link_calendars_by_path(small_site: Path) -> None:
    """Without SITEURL the calendar links are root-relative, and there is no webcal:// host."""
    config = load_config(small_site)
    settings = dict(config.pelican)
    Build(config.settings, load_content(config.content)).install(settings)
    env = Environment(autoescape=True)
    generator = type("Generator", (), {"settings": settings, "env": env})()
    install_template_helpers(generator)
    assert env.globals["fp_tours_ics_url"] == env.globals["fp_tours_webcal"] == "/tours.ics"


def test_demo_helpers_point_at_written_files(demo_publish: Path) -> None:
    for lang in (None, "id"):
        for link in feed_links("Suara Senja", "all", lang):
            assert (demo_publish / link.path).is_file(), link.path
    assert (demo_publish / "tours.ics").is_file()
