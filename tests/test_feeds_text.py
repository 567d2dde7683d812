"""Text that looks like markup reaches feed readers as the text the artist wrote (issue 13).

A corpus of titles, summaries, bodies, tags, track titles and show details with ``<``, ``>``,
``&``, a literal ``&amp;``, ``<script>``, CDATA terminators, quotes, right-to-left text and
emoji, in English and Indonesian, is built for real (``make_site``, publish settings). Each
feed is then read as a reader reads it: feedparser for RSS and Atom (its sanitised values,
with the type it decided on), ``json`` plus feedparser's sanitiser for JSON Feed, icalendar
for calendars; an HTML value is shown through html5lib, as a browser parses it. What is shown
must equal what was written, character for character.

The exceptions are documented in the README ("What fans can subscribe to"): RSS cannot say
that a title is text, and readers that guess take a title holding an entity reference (a
literal ``&amp;``) or an end tag of an HTML element as HTML; feedparser renders the channel's
description (plain text by RSS 2.0 and the W3C validator) as HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.entities import name2codepoint
from pathlib import Path

import feedparser
import html5lib
import pytest
from factories import news, published, settings
from feedparser.mixin import _FeedParserMixin
from feedparser.sanitizer import _sanitize_html
from icalendar import Calendar
from lxml import etree

from fanpage.engine.build import build_site
from fanpage.feeds import ids
from fanpage.feeds.atom_rss import render_atom_rss
from fanpage.feeds.fields import FIELDS, HTML, TEXT, Html, field_text, rss_character_data
from fanpage.feeds.items import feed_item
from fanpage.feeds.jsonfeed import render_json_feed
from fanpage.feeds.options import feed_site
from fanpage.feeds.spec import feed_spec

SITEURL = "https://band.example"
ATOM = "{http://www.w3.org/2005/Atom}"
ARTIST = "Sun & Moon"
BIO = 'Dream-pop <live> & loud, "quoted", with &amp; as written'
CONF = f"""\
SITENAME = {ARTIST!r}
SITEURL = ""
TIMEZONE = "Asia/Jakarta"
LANGUAGES = ["en", "id"]
ARTIST_BIO = {BIO!r}
"""

# What artists write, each used in a title, a summary and a body.
CORPUS: tuple[str, ...] = (
    "Stream it <everywhere>.",
    "Rock & roll &amp; more: AT&T, &lt;b&gt; and &#38; as written",
    '<script>alert("boo")</script> is only text',
    "CDATA ends with ]]> and starts with <![CDATA[ here",
    "\"Double\", 'single', and a < b > c",
    "שלום, مرحبا & עולם <ltr> mixed",
    "Emoji 🎸🔥 & 👩‍🎤 <3",
)
# Titles a guessing RSS reader takes as HTML (an entity reference): see the README.
GUESSED_AS_HTML = {CORPUS[1]}
TAG = "R&B"
LANGS = {"en": "", "id": " (versi Indonesia)"}
# Outside a code span Markdown shows these as written too (no quotes: typography curls them).
PLAIN_TAIL = "and 5 < 8 & 9 > 3 ]]> done."
DERIVED = "No summary: `<everywhere> &amp; <script>` is the first paragraph"
TRACK = '<Intro> & "Outro" ]]>'
LABEL = "Label & Co <ltd>"
VENUE = 'Club <Noise> & "Bar"'
CITY = "Tel Aviv & Yafo"
NOTES = "Bring earplugs <really> & ]]> ear-muffs 🎧 — שלום"
SUPPORT = "Band & Friends <b>"


def front_matter(**fields: object) -> str:
    """YAML front matter; JSON strings are YAML, so every value is quoted exactly."""
    lines = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fields.items())
    return f"---\n{lines}---\n"


def title_of(text: str, lang: str) -> str:
    return text + LANGS[lang]


def summary_of(text: str, lang: str) -> str:
    return f"{text} — summary{LANGS[lang]}"


def body_shown(text: str) -> str:
    """The body's first paragraph as a page (and a reader) shows it."""
    return f"Body: {text} {PLAIN_TAIL}"


def corpus_files() -> dict[str, str]:
    files = {}
    for lang, suffix in (("en", ""), ("id", ".id")):
        for n, text in enumerate(CORPUS):
            head = front_matter(
                title=title_of(text, lang),
                summary=summary_of(text, lang),
                date=f"2026-03-{n + 1:02d} 10:00",
                lang=lang,
                tags=[TAG],
            )
            files[f"news/c{n}{suffix}.md"] = f"{head}\nBody: `{text}` {PLAIN_TAIL}\n\nMore.\n"
        files[f"news/derived{suffix}.md"] = (
            front_matter(title=f"Derived{LANGS[lang]}", date="2026-03-20 10:00", lang=lang)
            + f"\n{DERIVED} {PLAIN_TAIL}\n\nSecond paragraph.\n"
        )
        files[f"albums/corpus-album{suffix}.md"] = front_matter(
            title=title_of(CORPUS[0], lang),
            summary=summary_of(CORPUS[3], lang),
            release_date="2026-02-01",
            lang=lang,
            label=LABEL,
            tracks=[{"title": TRACK, "duration": "3:30"}],
        ) + (f"\nAlbum body: `{CORPUS[2]}` {PLAIN_TAIL}\n")
        files[f"tours/corpus-tour{suffix}.md"] = front_matter(
            title=title_of(CORPUS[5], lang),
            summary=summary_of(CORPUS[6], lang),
            date="2026-02-10",
            lang=lang,
            shows=[
                {
                    "date": "2026-12-05 20:00",
                    "timezone": "Asia/Jerusalem",
                    "venue": VENUE,
                    "city": CITY,
                    "country": "IL",
                    "status": "on_sale",
                    "notes": NOTES,
                    "support": [SUPPORT],
                }
            ],
        ) + (f"\nTour body: `{CORPUS[4]}` {PLAIN_TAIL}\n")
    return files


def expected_items(lang: str) -> dict[str, dict[str, str]]:
    """Entry id -> what a reader must show for it: title, summary, a text of its body."""
    suffix = "" if lang == "en" else ".id"
    wanted = {
        f"news/c{n}{suffix}": {
            "title": title_of(text, lang),
            "summary": summary_of(text, lang),
            "body": body_shown(text),
        }
        for n, text in enumerate(CORPUS)
    }
    first = f"{DERIVED.replace('`', '')} {PLAIN_TAIL}"
    wanted[f"news/derived{suffix}"] = {
        "title": f"Derived{LANGS[lang]}",
        "summary": first,  # the first paragraph, as plain text
        "body": first,
    }
    wanted[f"albums/corpus-album{suffix}"] = {
        "title": title_of(CORPUS[0], lang),
        "summary": summary_of(CORPUS[3], lang),
        "body": f"Album body: {CORPUS[2]} {PLAIN_TAIL}",
        "described": (TRACK, LABEL),  # the tracklist and facts (fanpage.feeds.describe)
    }
    wanted[f"tours/corpus-tour{suffix}"] = {
        "title": title_of(CORPUS[5], lang),
        "summary": summary_of(CORPUS[6], lang),
        "body": f"Tour body: {CORPUS[4]} {PLAIN_TAIL}",
        "described": (VENUE, CITY, NOTES, SUPPORT),  # the shows
    }
    return {ids.entry_id(uid): item for uid, item in wanted.items()}


FEEDS = {"en": ("feeds/all.rss.xml", "feeds/all.atom.xml", "feed.json")}
FEEDS["id"] = ("feeds/all-id.rss.xml", "feeds/all-id.atom.xml", "feed-id.json")


@pytest.fixture
def corpus(make_site: Callable[..., Path], tmp_path: Path) -> Path:
    """The corpus site built with publish settings: its output folder."""
    site = make_site(corpus_files(), conf=CONF, siteurl=SITEURL)
    out = tmp_path / "out"
    build_site(site, publish=True, output=out)
    return out


def html_text(fragment: str) -> str:
    """The text a browser shows for an HTML fragment (white space collapsed, as rendered)."""
    root = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    return " ".join("".join(root.itertext()).split())


def elements(fragment: str) -> list[str]:
    return [e.tag for e in html5lib.parseFragment(fragment, namespaceHTMLElements=False).iter()][1:]


def shown(detail: dict) -> str:
    """What a reader shows for a feedparser value: text as it is, HTML as rendered."""
    if detail["type"] == "text/plain":
        return detail["value"]
    assert detail["type"] == "text/html", detail
    return html_text(detail["value"])


def read(out: Path, name: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((out / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_the_corpus_reads_as_written_in_rss_atom_and_json_feed(corpus: Path) -> None:
    for lang, (rss_name, atom_name, json_name) in FEEDS.items():
        wanted = expected_items(lang)
        rss, atom = read(corpus, rss_name), read(corpus, atom_name)
        assert (rss.version, atom.version) == ("rss20", "atom10")
        # What remains (README): the channel's description is text (RSS 2.0, the validator),
        # but feedparser renders it as HTML whatever it holds.
        assert rss.feed.subtitle_detail.type == "text/html"
        assert shown(rss.feed.subtitle_detail) == html_text(BIO) != BIO
        assert atom.feed.subtitle_detail.type == "text/plain" and atom.feed.subtitle == BIO
        assert shown(rss.feed.title_detail) == shown(atom.feed.title_detail)
        assert atom.feed.title.startswith(ARTIST)
        for feed in (rss, atom):
            assert sorted(e.id for e in feed.entries) == sorted(wanted)
            for entry in feed.entries:
                want = wanted[entry.id]
                assert shown(entry.summary_detail) == want["summary"], (feed.version, entry.id)
                assert entry.summary_detail.type == (
                    "text/html" if feed is rss else "text/plain"
                )  # RSS description is HTML; Atom summary is type="text"
                content = entry.content[0]
                assert content.type == "text/html"
                text = html_text(content.value)
                assert want["body"] in text, (feed.version, entry.id)
                assert all(part in text for part in want.get("described", ())), entry.id
                assert "p" in elements(content.value)  # real HTML where the content is HTML
                if want["body"].startswith("Body: "):
                    assert [t.term for t in entry.tags] == [TAG]
                title = want["title"]
                if feed is rss and any(title.startswith(g) for g in GUESSED_AS_HTML):
                    # What remains (README): RSS cannot type a title; feedparser guesses HTML.
                    assert _FeedParserMixin.looks_like_html(title)
                    assert entry.title_detail.type == "text/html"
                    assert shown(entry.title_detail) == html_text(title) != title
                else:
                    assert shown(entry.title_detail) == title, (feed.version, entry.id)
        feed = json.loads((corpus / json_name).read_bytes())
        assert feed["description"] == BIO and feed["title"] == atom.feed.title
        assert sorted(item["id"] for item in feed["items"]) == sorted(wanted)
        for item in feed["items"]:
            want = wanted[item["id"]]
            assert item["title"] == want["title"]  # JSON Feed: plain text
            assert item["summary"] == want["summary"]
            content = _sanitize_html(item["content_html"], "utf-8", "text/html")
            assert want["body"] in html_text(content)
            assert all(part in html_text(content) for part in want.get("described", ()))
            assert "p" in elements(content) and "script" not in elements(content)


def test_rss_html_fields_hold_text_as_escaped_text(corpus: Path) -> None:
    """The description is HTML that holds no element: "<script>" is text, not a tag."""
    for lang, (rss_name, _, _) in FEEDS.items():
        root = etree.parse(str(corpus / rss_name)).getroot()
        wanted = expected_items(lang)
        channel = root.find("channel")
        assert channel.findtext("description") == BIO  # "a phrase or sentence": plain text
        for item in root.iter("item"):
            want = wanted[item.findtext("guid")]
            description = item.findtext("description")
            assert elements(description) == []  # nothing a reader could take for a tag
            assert html_text(description) == want["summary"]
            assert item.findtext("title") == want["title"]  # text, never escaped twice
            assert [c.text for c in item.iter("category")] in ([], [TAG])


def test_atom_and_json_text_fields_are_never_escaped_twice(corpus: Path) -> None:
    for lang, (_, atom_name, json_name) in FEEDS.items():
        wanted = expected_items(lang)
        root = etree.parse(str(corpus / atom_name)).getroot()
        assert root.findtext(f"{ATOM}subtitle") == BIO
        for entry in root.iter(f"{ATOM}entry"):
            want = wanted[entry.findtext(f"{ATOM}id")]
            summary, title = entry.find(f"{ATOM}summary"), entry.find(f"{ATOM}title")
            assert summary.get("type") is None and title.get("type") is None  # "text"
            assert (title.text, summary.text) == (want["title"], want["summary"])
            assert entry.find(f"{ATOM}content").get("type") == "html"
        for item in json.loads((corpus / json_name).read_bytes())["items"]:
            assert (item["title"], item["summary"]) == (
                wanted[item["id"]]["title"],
                wanted[item["id"]]["summary"],
            )


def test_calendars_read_as_written(corpus: Path) -> None:
    tour_title = title_of(CORPUS[5], "en")  # calendars carry the default language's tour
    for name in ("tours.ics", "tours/corpus-tour.ics"):
        raw = (corpus / name).read_bytes()
        assert b"X-ALT-DESC" not in raw and b"&lt;" not in raw and b"&amp;" not in raw
        cal = Calendar.from_ical(raw)
        (event,) = cal.walk("VEVENT")
        assert str(event["SUMMARY"]) == f"{ARTIST} — {CITY}, {VENUE}"
        assert str(event["LOCATION"]) == f"{VENUE}, {CITY}, Israel"
        lines = str(event["DESCRIPTION"]).split("\n")
        assert NOTES in lines
        assert f"With {SUPPORT}" in lines
        assert f"{tour_title}: {SITEURL}/tours/corpus-tour/" in lines
    cal = Calendar.from_ical((corpus / "tours/corpus-tour.ics").read_bytes())
    assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"]) == f"{ARTIST} — {tour_title}"


# The W3C Feed Validation Service's rule for RSS titles (feedvalidator.validators.nonhtml):
# an end tag of an HTML element is "HTML" whatever its encoding; an entity reference, "&#"
# or "<" followed by a letter or "/" is accepted only when the line also holds "&#x", the RSS
# Profile's hexadecimal character references.
_END_TAG = re.compile(r"</(\w+)>")
_ENTITY = re.compile(r"&(#?\w+)")
# A few of the validator's HTML elements (HTMLValidator.htmltags), enough for the corpus.
_HTML_ELEMENTS = {"a", "b", "div", "em", "i", "p", "script", "span", "strong"}


def validator_warning(line: str, value: str) -> str | None:
    """The validator's warning for an RSS plain-text element on ``line`` that reads ``value``."""
    hex_references = "&#x" in line
    if any(tag.lower() in _HTML_ELEMENTS for tag in _END_TAG.findall(value)):
        return "ContainsHTML"
    entities = _ENTITY.findall(value)
    if entities:
        known = any(e in name2codepoint or e == "apos" or not e.isalpha() for e in entities)
        return "ContainsHTML" if known and not hex_references else None
    if re.search(r"&#[x0-9]|<[/a-zA-Z]", value) and not hex_references:
        return "CharacterData"
    return None


def test_rss_plain_text_follows_the_rss_profile(corpus: Path) -> None:
    """``&``, ``<`` and ``>`` in RSS titles and in the channel's description are hexadecimal
    references, so the validator's rule holds for all of them but a title with an end tag of an
    HTML element (``</script>``)."""
    # The rule as restated flags what the validator flags (compared by hand with its output).
    assert validator_warning("<title>Stream it &lt;x&gt;</title>", "Stream it <x>")
    assert validator_warning("<title>Stream it &#x3C;x&#x3E;</title>", "Stream it <x>") is None
    assert validator_warning("<title>a &amp;amp; b</title>", "a &amp; b") == "ContainsHTML"
    assert validator_warning("<title>a &#x3C;/b&#x3E;</title>", "a </b>") == "ContainsHTML"
    assert validator_warning("<title>A &amp; B</title>", "A & B") is None
    assert validator_warning("<title>AT&amp;T &lt;x</title>", "AT&T <x") is None  # "&T": no entity
    warned = set()
    for lang, (rss_name, _, _) in FEEDS.items():
        raw = (corpus / rss_name).read_text(encoding="utf-8")
        root = etree.fromstring(raw.encode("utf-8"))
        channel = root.find("channel")
        texts = [t.text for t in root.iter("title")] + [channel.findtext("description")]
        lines = [line.strip() for line in raw.split("\n")]
        lines = [line for line in lines if line.startswith("<title>")] + [
            next(line for line in lines if line.startswith("<description>"))
        ]
        assert len(lines) == len(texts) == len(expected_items(lang)) + 2  # + the channel's
        for line, value in zip(lines, texts, strict=True):
            inner = re.sub(r"</?\w+>", "", line)
            assert not re.search("&(amp|lt|gt);", inner), line
            assert inner.count("&#x26;") == value.count("&")
            assert inner.count("&#x3C;") == value.count("<")
            assert inner.count("&#x3E;") == value.count(">")
            if validator_warning(line, value):
                warned.add(value.removesuffix(LANGS[lang]))
        assert lines[0].startswith(f"<title>{ARTIST.replace('&', '&#x26;')}")  # the channel's
        assert texts[-1] == BIO
    assert warned == {CORPUS[2]}  # the documented remainder: "</script>" in a title


def test_field_text_decides_every_field_by_its_kind() -> None:
    written = "a <b> & &amp; ]]> \"q\" 'q' שלום 🎸"
    for (fmt, field), kind in FIELDS.items():
        value = field_text(fmt, field, written)
        if kind == HTML:
            assert value == "a &lt;b&gt; &amp; &amp;amp; ]]&gt; \"q\" 'q' שלום 🎸"
            assert html_text(value) == written
        else:
            assert value == written  # never escaped
        markup = Html("<p>a &lt;b&gt; <em>c</em></p>")
        assert field_text(fmt, field, markup) == (markup.markup if kind == HTML else "a <b> c")
    html_fields = {k for k, v in FIELDS.items() if v == HTML}
    assert html_fields == {
        ("rss", "description"),
        ("rss", "content:encoded"),
        ("atom", "content"),
        ("json", "content_html"),
        ("ics", "X-ALT-DESC"),
    }
    assert {("rss", "title"), ("atom", "summary"), ("json", "summary")} <= {
        k for k, v in FIELDS.items() if v == TEXT
    }
    with pytest.raises(KeyError):
        field_text("rss", "comments", "x")  # no field is filled without a decision


def test_rss_character_data_touches_plain_text_elements_only() -> None:
    media = b'xmlns:media="http://search.yahoo.com/mrss/"'
    rss = (
        b"<c %s><title>Sun &amp; Moon</title><description>Rock &amp; &lt;roll&gt;</description>"
        b"<item><title>A &amp; B &lt;c&gt;</title><category>R&amp;B</category>"
        b"<description>&lt;p&gt;x &amp;amp; y&lt;/p&gt;</description>"
        b"<media:title>a &amp; b</media:title></item><item><title>plain</title></item></c>"
    ) % media
    assert (
        rss_character_data(rss)
        == (
            b"<c %s><title>Sun &#x26; Moon</title><description>Rock &#x26; &#x3C;roll&#x3E;"
            b"</description><item><title>A &#x26; B &#x3C;c&#x3E;</title><category>R&#x26;B"
            b"</category><description>&lt;p&gt;x &amp;amp; y&lt;/p&gt;</description>"
            b"<media:title>a &amp; b</media:title></item><item><title>plain</title></item></c>"
        )
        % media
    )
    root = etree.fromstring(rss_character_data(rss))
    assert [t.text for t in root.iter("title")] == ["Sun & Moon", "A & B <c>", "plain"]
    assert root.findtext("description") == "Rock & <roll>"
    assert root.findtext("item/description") == "<p>x &amp; y</p>"  # HTML: left as it is


def test_one_item_in_every_format_from_the_pure_writers() -> None:
    """The same summary: text in Atom and JSON Feed, escaped HTML in RSS; bytes as expected."""
    site = feed_site(settings(siteurl=SITEURL, sitename="Band", artist_bio="Rock & <roll>"))
    entry = news(title="Stream it <everywhere> & more", summary="Stream it <everywhere>.")
    item = feed_item(published(entry, html="<p>Body &lt;x&gt;</p>"), site)
    spec = feed_spec("all", "en", site)
    atom, rss = render_atom_rss(spec, [item], site)
    assert b"<description>Stream it &amp;lt;everywhere&amp;gt;.</description>" in rss
    assert b"<title>Stream it &#x3C;everywhere&#x3E; &#x26; more</title>" in rss
    assert b"<summary>Stream it &lt;everywhere&gt;.</summary>" in atom
    assert b"<description>Rock &#x26; &#x3C;roll&#x3E;</description>" in rss  # the channel's
    assert b"<subtitle>Rock &amp; &lt;roll&gt;</subtitle>" in atom
    assert b"<title>Stream it &lt;everywhere&gt; &amp; more</title>" in atom
    assert b"<content:encoded>&lt;p&gt;Body &amp;lt;x&amp;gt;&lt;/p&gt;</content:encoded>" in rss
    data = json.loads(render_json_feed(spec, [item], site))["items"][0]
    assert data["summary"] == "Stream it <everywhere>."
    assert data["content_html"] == "<p>Body &lt;x&gt;</p>"
    # The WebSub hub link is added by re-serialising the RSS: the references come after it.
    hub = feed_site(settings(siteurl=SITEURL, sitename="Band", websub_hub="https://hub.example/"))
    _, rss = render_atom_rss(spec, [item], hub)
    assert b"<title>Stream it &#x3C;everywhere&#x3E; &#x26; more</title>" in rss
    assert b'rel="hub"' in rss
    # A summary without markup characters is written as before: nothing else changes.
    plain = feed_item(published(news(uid="news/b", summary="Just words."), html="<p>x</p>"), site)
    _, rss = render_atom_rss(spec, [plain], site)
    assert b"<description>Just words.</description>" in rss
