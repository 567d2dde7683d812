"""Hostile titles and summaries stay text in attributes and JSON-LD; development builds work
without SITEURL and say once that previews need it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import extruct
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from fanpage.content.problems import ContentError
from fanpage.engine.build import build_site

SITEURL = "https://hostile.example"
TITLE = "Quote \" and ' apostrophe <b>bold</b> & </script><script>alert(1)</script> 🎸 שלום عالم"
SUMMARY = '"Hi" <i>&amp;</i> </SCRIPT ><!-- 🎸 ‏עברית‏ & done'
VENUE = 'Club "</script>" & <Bar>'
CONF = """\
SITENAME = "Test <Band> & \\"Co\\""
SITEURL = ""
ARTIST_NAME = "Test <Band> & \\"Co\\""
TIMEZONE = "Asia/Jakarta"
LANGUAGES = ["en", "id"]
X_HANDLE = "testband"
SOCIAL_PROFILES = {"mastodon": "https://musician.social/@tb?a=1&b=2"}
"""


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML strings


FILES = {
    "news/2026-03-02-hostile.md": f"""
        ---
        title: {yaml_text(TITLE)}
        summary: {yaml_text(SUMMARY)}
        tags: ["<script>", "a&b"]
        date: 2026-03-02 10:00
        ---
        Body with <b>html</b>.
        """,
    "news/2026-03-03-no-summary.md": """
        ---
        title: Second
        date: 2026-03-03 10:00
        ---
        Tom & <em>Jerry</em> <script>alert(1)</script> and then many more words to make the
        first paragraph long enough to be cut at a
        word boundary somewhere after two hundred characters, which this sentence certainly
        reaches because it goes on and on about nothing in particular at all.

        Second paragraph.
        """,
    "tours/hostile.md": f"""
        ---
        title: {yaml_text(TITLE)}
        shows:
          - date: 2026-12-05 20:00
            venue: {yaml_text(VENUE)}
            city: {yaml_text("Tel Aviv <תל אביב>")}
            country: IL
            timezone: Asia/Jerusalem
            status: cancelled
          - date: 2026-12-07 20:00
            previous_date: 2026-12-01 20:00
            venue: {yaml_text(VENUE)}
            city: Haifa
            country: IL
            timezone: Asia/Jerusalem
            status: rescheduled
            tickets: https://tickets.example/?a=1&b=2
            price: 120
            currency: ILS
        ---
        Tour.
        """,
}


def build(make_site: Callable[..., Path], tmp_path: Path, publish: bool) -> Path:
    site = make_site(FILES, conf=CONF, siteurl=SITEURL)
    out = tmp_path / ("publish" if publish else "dev")
    build_site(site, publish=publish, output=out)
    return out


def head_of(page: Path) -> tuple[str, BeautifulSoup]:
    html = page.read_text(encoding="utf-8")
    head = html[html.index("<head>") : html.index("</head>") + len("</head>")]
    return head, BeautifulSoup(html, "html.parser")


def test_hostile_text_stays_text(make_site: Callable[..., Path], tmp_path: Path) -> None:
    out = build(make_site, tmp_path, publish=True)
    page = out / "news/hostile/index.html"
    head, soup = head_of(page)
    # Nothing from the content opened or closed an element.
    assert "<script>alert" not in head
    assert "<b>" not in head and "<i>" not in head and "<Bar>" not in head
    assert head.lower().count("</script") == head.count('<script type="application/ld+json">')
    for meta in soup.head.find_all("meta"):
        assert set(meta.attrs) <= {"charset", "name", "content", "property"}, meta
    og = dict(
        (p, v)
        for p, v in extruct.extract(page.read_text(), syntaxes=["opengraph"], uniform=False)[
            "opengraph"
        ][0]["properties"]
    )
    assert og["og:title"] == TITLE
    assert og["og:description"] == SUMMARY
    assert og["og:site_name"] == 'Test <Band> & "Co"'
    alt = soup.head.find("meta", attrs={"name": "twitter:image:alt"})["content"]
    assert TITLE in alt
    [article] = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert article["headline"] == TITLE
    assert article["description"] == SUMMARY
    assert article["keywords"] == ["<script>", "a&b"]
    assert article["author"]["name"] == 'Test <Band> & "Co"'
    card = og["og:image"].removeprefix(SITEURL + "/")
    with Image.open(out / card) as image:
        assert image.size == (1200, 630)


def test_first_paragraph_description_is_cut_cleanly(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    out = build(make_site, tmp_path, publish=True)
    _, soup = head_of(out / "news/no-summary/index.html")
    description = soup.head.find("meta", property="og:description")["content"]
    assert description.startswith("Tom & Jerry and then many more words")
    assert description.endswith("…") and len(description) <= 200
    assert description[:-1].split()[-1] in FILES["news/2026-03-03-no-summary.md"]
    assert "Second paragraph" not in description


def test_hostile_events_are_valid_json_ld(make_site: Callable[..., Path], tmp_path: Path) -> None:
    out = build(make_site, tmp_path, publish=True)
    head, soup = head_of(out / "tours/hostile/index.html")
    assert head.lower().count("</script") == head.count('<script type="application/ld+json">')
    events = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert [e["location"]["name"] for e in events] == [VENUE, VENUE]
    assert events[0]["location"]["address"]["addressLocality"] == "Tel Aviv <תל אביב>"
    assert events[0]["eventStatus"] == "https://schema.org/EventCancelled"
    assert events[0]["startDate"] == "2026-12-05T20:00:00+02:00"
    assert events[1]["eventStatus"] == "https://schema.org/EventRescheduled"
    assert events[1]["previousStartDate"] == "2026-12-01T20:00:00+02:00"
    assert events[1]["offers"]["url"] == "https://tickets.example/?a=1&b=2"
    found = extruct.extract(soup.decode(), syntaxes=["json-ld"], uniform=False)["json-ld"]
    assert found == events


def test_development_build_works_and_warns_once(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site = make_site(FILES, conf=CONF, siteurl=SITEURL)
    out = tmp_path / "dev"
    checked = build_site(site, publish=False, output=out)
    warnings = [p for p in checked.problems.warnings if "share previews" in p.message]
    assert len(warnings) == 1
    assert "pelicanconf.py:2: warning: SITEURL is empty" in str(warnings[0])  # where it is set
    assert "\n" not in str(warnings[0])
    with pytest.raises(ContentError, match="SITEURL is empty, so share previews"):
        build_site(site, publish=False, output=tmp_path / "strict", strict=True)
    _, soup = head_of(out / "news/hostile/index.html")
    assert soup.head.find("meta", property="og:title")["content"] == TITLE
    assert soup.head.find("meta", property="og:url") is None
    assert soup.head.find("meta", property="og:image") is None
    assert soup.head.find("link", rel="canonical")["href"] == "/news/hostile/"
    hrefs = [link["href"] for link in soup.head.find_all("link", rel="alternate")]
    assert "/feeds/all.atom.xml" in hrefs
    for script in soup.find_all("script", type="application/ld+json"):
        node = json.loads(script.string)
        assert "url" not in node and "@id" not in node
    assert not (out / "sitemap.xml").exists()
    assert not (out / "images" / "cards").exists()
    assert "Sitemap" not in (out / "robots.txt").read_text()


def test_solo_artist_is_a_person(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site(
        {"pages/about.md": "---\ntitle: About me\n---\nI sing.\n"},
        conf=CONF + 'ARTIST_TYPE = "person"\n',
        siteurl=SITEURL,
    )
    build_site(site, publish=True, output=tmp_path / "out")
    soup = BeautifulSoup((tmp_path / "out/about/index.html").read_text(), "html.parser")
    [artist] = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert artist["@type"] == "Person"
    assert artist["sameAs"] == ["https://musician.social/@tb?a=1&b=2"]
    assert soup.head.find("meta", property="og:type")["content"] == "profile"


@pytest.mark.java
def test_hostile_pages_are_valid_html(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """The Nu Html Checker finds nothing wrong with the escaped attributes and scripts."""
    out = build(make_site, tmp_path, publish=True)
    jar = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"
    pages = [str(out / "news/hostile/index.html"), str(out / "tours/hostile/index.html")]
    checked = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "gnu", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""


def test_hidden_and_draft_entries_stay_out_of_the_sitemap(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site = make_site(
        {
            "news/a.md": "---\ntitle: Shown\ndate: 2026-01-01\n---\nA.\n",
            "news/b.md": "---\ntitle: Hidden\ndate: 2026-01-02\nstatus: hidden\n---\nB.\n",
            "news/c.md": "---\ntitle: Draft\ndate: 2026-01-03\nstatus: draft\n---\nC.\n",
        },
        conf=CONF,
        siteurl=SITEURL,
    )
    out = tmp_path / "out"
    build_site(site, publish=True, output=out)
    sitemap = (out / "sitemap.xml").read_text()
    assert f"<loc>{SITEURL}/news/a/</loc>" in sitemap
    assert "/news/b/" not in sitemap and "/news/c/" not in sitemap and "404" not in sitemap
    _, soup = head_of(out / "news/b/index.html")  # hidden: built, not listed, not indexed
    assert soup.head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
