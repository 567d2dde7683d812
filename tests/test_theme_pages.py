"""The built demo site, read as HTML: every page a fan needs, with the parts the issue asks for."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import extruct
import pytest
from bs4 import BeautifulSoup

from fanpage.engine.build import build_site

SHARE_HOSTS = (
    "bsky.app",
    "x.com",
    "www.facebook.com",
    "www.linkedin.com",
    "t.me",
    "wa.me",
    "www.reddit.com",
)


def soup(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser")


def microformats(out: Path, path: str) -> list[dict]:
    html = (out / path).read_text(encoding="utf-8")
    return extruct.extract(html, base_url="https://example.org/", syntaxes=["microformat"])[
        "microformat"
    ]


def test_home_has_artist_release_shows_news_and_profiles(demo_dev):
    page = soup(demo_dev, "index.html")
    hero = page.select_one(".hero.h-card")
    assert hero.select_one("h1").get_text(strip=True) == "Suara Senja"
    photo = hero.select_one("picture img.u-photo")
    # The widest derived JPEG (the original is 1200 wide: never enlarged), in every width.
    assert re.fullmatch(r"/images/band-[0-9a-f]{8}-1200\.jpg", photo["src"]), photo["src"]
    assert (photo["width"], photo["height"]) == ("1200", "800")
    assert [c.split()[1] for c in photo["srcset"].split(", ")] == ["480w", "960w", "1200w"]
    assert "53vw" in photo["sizes"]
    assert {s["type"] for s in photo.parent.select("source")} >= {"image/webp"}
    assert "loading" not in photo.attrs  # above the fold: load it first
    assert {a["href"] for a in hero.select("a[rel=me]")} >= {
        "https://musician.social/@suarasenja",
        "https://bsky.app/profile/suarasenja.band",
    }
    latest = page.select_one(".latest")
    assert latest.select_one("h3").get_text(strip=True) == "Gelombang"
    assert latest.select_one("img")["loading"] == "lazy"
    assert [a.get_text() for a in latest.select(".buttons a")][-1] == "Buy"
    shows = page.select("section[aria-labelledby=shows-title] .show")
    assert len(shows) == 5
    starts = [datetime.fromisoformat(s.select_one(".dt-start")["datetime"]) for s in shows]
    assert starts == sorted(starts)
    for show in shows:
        status = show.select_one(".badge")["class"][1].removeprefix("badge-")
        has_button = show.select_one("a.btn") is not None
        assert has_button == (status in ("on_sale", "rescheduled", "announced")), status
    assert len(page.select("section[aria-labelledby=news-title] article.h-entry")) == 3


def test_home_page_is_lean(demo_dev):
    html = (demo_dev / "index.html").stat().st_size
    css = (demo_dev / "theme/css/site.css").stat().st_size
    assert html + css < 40_000, (html, css)


def test_every_image_has_its_real_size(demo_dev):
    for file in demo_dev.rglob("*.html"):
        for img in soup(demo_dev, str(file.relative_to(demo_dev))).select("img"):
            assert img.get("width") and img.get("height"), f"{file}: {img}"
            assert "alt" in img.attrs, f"{file}: {img}"


def test_indonesian_list_pages_use_translations_and_indonesian_text(demo_dev):
    home = soup(demo_dev, "id/index.html")
    assert home.html["lang"] == "id"
    assert home.select_one("#shows-title").get_text() == "Konser mendatang"
    assert home.select_one(".main-nav a").get_text() == "Berita"
    news = soup(demo_dev, "id/news/index.html")
    titles = [a.get_text() for a in news.select(".summary h2 a")]
    assert "Tur Dunia Gelombang 2026–2027" in titles
    assert news.select_one('a[href="/id/news/world-tour/"]') is not None
    # An entry with no Indonesian version keeps its own language on the Indonesian list: its
    # title and summary say so, the interface around them (its date) stays Indonesian.
    english = news.select_one('h2[lang="en"]').find_parent("article")
    assert english.select_one(".p-summary")["lang"] == "en"
    assert not news.select('article[lang="en"]')
    latest = home.select_one(".latest .release")
    assert "lang" not in latest.attrs and latest.select_one("h3")["lang"] == "en"
    assert latest.select_one(".btn:not(.btn-quiet)").get_text() == "Beli"
    dates = [t.get_text() for t in news.select("time.dt-published")]
    assert any(re.fullmatch(r"\d{1,2} (November|Oktober|Agustus) 2026", d) for d in dates)
    assert (demo_dev / "id/news/page/2/index.html").is_file()
    tours = soup(demo_dev, "id/tours/index.html")
    assert "Habis terjual" in [b.get_text() for b in tours.select(".badge")]
    assert soup(demo_dev, "id/albums/index.html").select_one("h1").get_text() == "Diskografi"


def test_language_switcher_links_translations_with_hreflang(demo_dev):
    english = soup(demo_dev, "news/world-tour/index.html")
    link = english.select_one(".lang-switch a[hreflang=id]")
    assert link["href"] == "/id/news/world-tour/" and link["lang"] == "id"
    indonesian = soup(demo_dev, "id/news/world-tour/index.html")
    assert indonesian.html["lang"] == "id"
    assert indonesian.select_one(".lang-switch a[hreflang=en]")["href"] == "/news/world-tour/"
    assert soup(demo_dev, "news/index.html").select_one(".lang-switch a")["href"] == "/id/news/"


def test_discography_is_a_grid_newest_first_with_type_and_year(demo_dev):
    cards = soup(demo_dev, "albums/index.html").select(".grid .card")
    years = [c.select_one("time")["datetime"] for c in cards]
    assert years == sorted(years, reverse=True)
    assert " ".join(cards[0].select_one(".meta").get_text().split()) == "Album · 2026"
    assert {c.select_one(".meta").get_text().split(" ·")[0] for c in cards} >= {"EP", "Single"}


def test_album_page_has_tracklist_previews_lyrics_credits_and_press(demo_dev):
    page = soup(demo_dev, "albums/gelombang/index.html")
    cover = page.select_one("img.cover")
    assert cover["alt"].startswith("Pale wave lines")
    rows = page.select(".tracklist > li")
    assert len(rows) == 11
    assert [r.select_one(".no").get_text() for r in rows[:3]] == ["1", "2", "3"]
    assert rows[0].select_one(".dur").get_text() == "4:21"
    assert rows[0].select_one(".dur")["datetime"] == "PT4M21S"
    assert page.select_one(".total time").get_text() == "52:23"
    audio = rows[0].select_one("audio")
    assert audio["preload"] == "none"
    assert (demo_dev / audio["src"].lstrip("/")).is_file()
    assert rows[0].select_one("details.lyrics summary") is not None
    assert rows[2].select_one("audio") is None
    assert len(page.select(".credits li")) == 7
    assert page.select_one(".quote figcaption a")["href"].startswith("https://pitchfork.com/")
    assert "Spotify" in [a.get_text() for a in page.select(".buttons a")]


def test_tour_dates_upcoming_first_grouped_past_collapsed(demo_dev):
    page = soup(demo_dev, "tours/index.html")
    groups = page.select(".tour-group")
    assert len(groups) == 1  # the 2025 tour is over by the pinned date
    shows = groups[0].select(".show")
    starts = [datetime.fromisoformat(s.select_one(".dt-start")["datetime"]) for s in shows]
    assert [s.astimezone().timestamp() for s in starts] == sorted(
        s.astimezone().timestamp() for s in starts
    )
    tokyo = next(s for s in shows if "Tokyo" in s.get_text())
    # The venue's own clock, with its zone: it is not the site's (Asia/Jakarta).
    assert tokyo.select_one(".time").get_text() == "7:00\u202fPM JST"
    assert tokyo.select_one(".time abbr.tz")["title"] == "Japan Standard Time"
    assert tokyo.select_one(".dt-start")["datetime"].endswith("+09:00")
    rescheduled = next(s for s in shows if "status-rescheduled" in s["class"])
    assert rescheduled.select_one("del time")["datetime"].startswith("2026-11-21")
    for show in shows:
        status = next(c for c in show["class"] if c.startswith("status-")).removeprefix("status-")
        if status in ("sold_out", "cancelled", "postponed", "free"):
            assert show.select_one("a.btn") is None, status
    past = page.select_one("details.past")
    assert "open" not in past.attrs
    assert len(past.select(".show")) >= 5
    assert not past.select("a.btn")


def test_microformats_on_entries_and_shows(demo_dev):
    home_types = {t for item in microformats(demo_dev, "index.html") for t in item["type"]}
    assert {"h-card", "h-event", "h-entry"} <= home_types
    post = next(
        i for i in microformats(demo_dev, "news/world-tour/index.html") if "h-entry" in i["type"]
    )
    assert post["properties"]["name"] == ["Gelombang World Tour 2026–2027"]
    assert post["properties"]["published"][0].startswith("2026-08-18")
    assert post["properties"]["author"][0]["type"] == ["h-card"]
    tour = next(
        i
        for i in microformats(demo_dev, "tours/gelombang-world-tour/index.html")
        if "h-entry" in i["type"]
    )
    events = [c for c in tour.get("children", []) if "h-event" in c["type"]]
    assert len(events) >= 15
    assert events[0]["properties"]["location"][0]["properties"]["locality"] == ["Bandung"]


def test_entries_have_share_links_and_mastodon_form(demo_dev):
    for path in ("news/world-tour/index.html", "albums/pulang/index.html", "about/index.html"):
        share = soup(demo_dev, path).select_one(".share")
        hosts = {a["href"].split("/")[2] for a in share.select("a") if a["href"].startswith("http")}
        assert set(SHARE_HOSTS) <= hosts, path
        assert share.select_one('a[href^="mailto:?subject="]') is not None
        form = share.select_one("form.mastodon-share")
        assert form.select_one("input[name=instance]")["id"] == "mastodon-instance"
        assert form.select_one("label[for=mastodon-instance]") is not None
        # Without JavaScript the form asks Share2Fedi, which asks for the server too.
        assert form["action"] == "https://s2f.kytta.dev/"
        assert form.select_one("input[name=text]")["value"].endswith(
            f"/{path[: -len('index.html')]}"
        )
        assert share.select_one(".native-share-item").has_attr("hidden")
        # No inline scripts (JSON-LD data is not a script that runs).
        assert not soup(demo_dev, path).select(
            'script:not([src]):not([type="application/ld+json"])'
        )


def test_article_has_date_tags_and_previous_next(demo_dev):
    page = soup(demo_dev, "news/world-tour/index.html")
    assert page.select_one("time.dt-published").get_text() == "August 18, 2026"
    assert [a.get_text() for a in page.select(".tags a")] == ["#tour", "#gelombang"]
    nav = page.select_one("nav.prevnext")
    assert nav.select_one("a[rel=prev]")["href"] == "/news/single-arus-balik/"
    assert nav.select_one("a[rel=next]")["href"] == "/news/gelombang-out-now/"


def test_internal_links_lead_somewhere(demo_dev):
    missing = set()
    for file in demo_dev.rglob("*.html"):
        for a in soup(demo_dev, str(file.relative_to(demo_dev))).select("a[href^='/']"):
            target = a["href"].split("#")[0]
            candidate = demo_dev / target.lstrip("/")
            if not (candidate.is_file() or (candidate / "index.html").is_file()):
                missing.add((str(file.relative_to(demo_dev)), target))
    assert missing == set()


def test_404_page_is_helpful_in_both_languages(demo_dev):
    page = soup(demo_dev, "404.html")
    assert {a["href"] for a in page.select(".big-links a")} == {
        "/",
        "/news/",
        "/albums/",
        "/tours/",
        "/galleries/",  # the demo has galleries (a site without them gets no link)
    }
    assert page.select_one('section[lang="id"] h2').get_text() == "Halaman tidak ditemukan"
    assert page.select_one('link[rel="stylesheet"]')["href"].startswith("/")


HOSTILE = 'Quote " & <b>bold</b> </script><script>alert(1)</script> 🎸 שלום'


@pytest.fixture
def hostile_site(make_site, tmp_path):
    site = make_site(
        {
            "news/2026-01-01-hostile.md": f"""
                ---
                title: '{HOSTILE.replace("'", "''")}'
                date: 2026-01-01
                summary: 'Summary {HOSTILE.replace("'", "''")}'
                tags: [odd]
                ---
                Body.
                """,
        }
    )
    (site / "syndication.json").write_text(
        json.dumps(
            {
                "version": 1,
                "entries": {
                    "news/2026-01-01-hostile": {
                        "mastodon": {"url": "https://musician.social/@band/1"},
                        "bluesky": {"url": "https://bsky.app/profile/band/post/2"},
                    }
                },
            }
        )
    )
    out = tmp_path / "out"
    build_site(site, output=out)
    return out


def test_hostile_titles_stay_text(hostile_site):
    page = soup(hostile_site, "news/hostile/index.html")
    assert page.select_one("h1").get_text() == HOSTILE
    assert page.select_one(".native-share")["data-title"] == HOSTILE
    assert page.select_one(".p-summary").get_text() == "Summary " + HOSTILE
    assert not page.select("main script")
    html = (hostile_site / "news/hostile/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html


def test_also_on_links_come_from_the_ledger(hostile_site):
    page = soup(hostile_site, "news/hostile/index.html")
    links = page.select(".also-on a.u-syndication")
    assert [a["href"] for a in links] == [
        "https://bsky.app/profile/band/post/2",
        "https://musician.social/@band/1",
    ]
    assert [a.get_text() for a in links] == ["Bluesky", "Mastodon"]


def test_only_news_is_paginated_and_lists_exist_in_every_language(make_site, tmp_path):
    files = {
        f"albums/a{i:02}.md": f"---\ntitle: Album {i:02}\nrelease_date: 2020-01-{i + 1:02}\n---\n"
        for i in range(12)
    }
    files.update(
        {
            f"news/n{i:02}.md": f"---\ntitle: News {i:02}\ndate: 2021-02-{i + 1:02}\n---\nHi.\n"
            for i in range(12)
        }
    )
    conf = (
        'SITENAME = "T"\nTIMEZONE = "Asia/Jakarta"\nLANGUAGES = ["en", "id"]\nNEWS_PER_PAGE = 5\n'
    )
    site = make_site(files, conf=conf)
    out = tmp_path / "out"
    build_site(site, publish=False, output=out)
    for prefix in ("", "id/"):
        # The whole discography on one page, never again on page/2/, page/3/...
        discography = BeautifulSoup((out / f"{prefix}albums/index.html").read_text(), "html.parser")
        assert len(discography.select("ul.grid li.h-entry")) == 12
        assert not (out / f"{prefix}albums/page").exists()
        assert (out / f"{prefix}news/page/3/index.html").is_file()
        assert not (out / f"{prefix}news/page/4").exists()


def test_a_release_without_a_cover_gets_a_drawn_one_everywhere(demo_dev):
    card = next(
        c
        for c in soup(demo_dev, "albums/index.html").select(".grid .card")
        if c.select_one("h2").get_text() == "Arus Balik"
    )
    drawn = card.select_one(".cover.cover-drawn")
    assert drawn["aria-hidden"] == "true" and card.select_one("img") is None
    assert drawn.select_one(".cover-title").get_text() == "Arus Balik"
    page = soup(demo_dev, "albums/arus-balik/index.html")
    assert page.select_one(".album-head .cover-drawn") is not None
    assert page.select_one(".album-head img") is None


def test_show_rows_carry_zone_price_range_and_no_stray_point(demo_dev):
    for path, lang in (("tours/index.html", "en"), ("id/tours/index.html", "id")):
        page = soup(demo_dev, path)
        singapore = page.select_one("#show-tour-gelombang-2026-2027-01-30-singapore")
        zone = singapore.select_one(".time abbr.tz")
        assert zone.get_text() == "UTC+8"
        assert (
            zone["title"]
            == {"en": "Singapore Standard Time", "id": "Waktu Standar Singapura"}[lang]
        )
        assert singapore.select_one(".price").get_text() == "SGD\u00a048–88"
        bandung = page.select_one("#show-tour-gelombang-2026-2026-11-28-bandung")
        assert bandung.select_one(".tz") is None  # the site's own zone
        notes = " ".join(bandung.select_one(".show-notes").get_text().split())
        facts = {"en": "Doors 7:00 PM · IDR 300,000", "id": "Pintu dibuka 19.00 · IDR 300.000"}
        assert notes == f"{facts[lang]} · Hometown show with Kuartet Braga on strings."


@pytest.fixture
def tba_site(make_site, tmp_path):
    site = make_site(
        {
            "tours/t.md": """
                ---
                title: T
                shows:
                  - date: 2027-01-16 20:00
                    venue: TBA
                    city: Jakarta
                    region: DKI Jakarta
                    country: ID
                    price_max: 450000
                    currency: IDR
                  - date: 2027-01-18 20:00
                    venue: Sabuga
                    city: Bandung
                    country: ID
                ---
                Body.
                """,
        }
    )
    out = tmp_path / "out"
    build_site(site, output=out)
    return out


def test_a_tba_venue_says_so_and_json_ld_names_no_place(tba_site):
    page = soup(tba_site, "tours/t/index.html")
    jakarta = page.select_one("#show-tours-t-2027-01-16-jakarta")
    assert jakarta.select_one(".venue-tba").get_text() == "Venue to be announced"
    assert "TBA" not in jakarta.get_text()
    assert jakarta.select_one(".h-card") is None  # no venue card for a venue nobody knows
    assert jakarta.select_one(".price").get_text() == "up to IDR\u00a0450,000"
    events = [
        json.loads(s.string)
        for s in page.select('script[type="application/ld+json"]')
        if '"MusicEvent"' in s.string
    ]
    tba = next(e for e in events if e["location"]["address"]["addressLocality"] == "Jakarta")
    assert tba["name"] == "Test Band — Jakarta"
    assert tba["location"] == {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Jakarta",
            "addressRegion": "DKI Jakarta",
            "addressCountry": "ID",
        },
    }
    known = next(e for e in events if e["location"]["address"]["addressLocality"] == "Bandung")
    assert known["location"]["name"] == "Sabuga" and known["name"] == "Test Band — Bandung, Sabuga"
    assert "Tempat akan diumumkan" in (tba_site / "id/tours/index.html").read_text()
