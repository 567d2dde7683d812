"""A seeded synthetic fan site of N entries, written twice: for fanpage and for bare Pelican.

Both sides get the same entries, the same Markdown bodies and the same shared images; only the
front matter differs (fanpage's YAML, or Pelican's ``Key: value`` lines). Structured data that
only fanpage understands (tracklists, shows, links, credits, press) stays in fanpage's front
matter and is not given to Pelican: bare Pelican builds the bodies, fanpage builds the bodies
plus everything its theme, metadata and feeds make of that data.

Proportions (the demo site's, see ``composition``):

- pages: 4 when N >= 40 (about, its Indonesian translation, press kit, contact), fewer below;
- of the rest: albums 16% (12 tracks each, 2 with lyrics, 5 service links, credits, 2 press
  quotes), tours 8% (20 shows each, in 10 time zones, every show status), news the remainder,
  of which 20% are Indonesian translations of English posts (same slug);
- 30% of news posts and every album, tour and the about page carry an image; the others get a
  generated social card in fanpage;
- every body: ~400 words, one ``##`` heading, a 4-item list, an external link, a ``{filename}``
  link to an album (when one exists) and a ``{static}`` image; 2 or 3 tags per news post from a
  pool of 40, an own tag per album.

Same seed, same N: byte-identical files. Run ``python bench/synth.py N DIR`` to look at one.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SEED = 20261120


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ARTIST = "Suara Senja"
SITEURL = "https://suarasenja.band"
FIRST_DAY = date(2006, 1, 1)
LAST_DAY = date(2026, 11, 1)

EN_WORDS = _words(
    "the rain city night song band light street sea we our new album tour studio record "
    "play live stage crowd friends bandung jakarta guitar drums bass synth voice dream slow "
    "wave harbour ferry morning evening evening window room roof and of to in with for on "
    "at from after before under over quiet loud warm cold blue grey gold long short every "
    "first last again still always never together home away back writing mixing singing "
    "listening waiting travelling learning remember forget carry hold open close sound echo"
)
ID_WORDS = _words(
    "hujan kota malam lagu band cahaya jalan laut kami baru album tur studio rekaman main "
    "panggung penonton teman bandung jakarta gitar drum bas suara mimpi pelan ombak pelabuhan "
    "pagi sore jendela kamar atap dan dari ke di dengan untuk pada setelah sebelum sunyi keras "
    "hangat dingin biru abu emas panjang pendek setiap pertama terakhir lagi masih selalu "
    "bersama rumah pulang menulis menyanyi mendengar menunggu belajar ingat lupa bunyi gema"
)
TAGS = _words(
    "news tour studio live gelombang kota-hujan lampu-jalan pulang bandung jakarta video "
    "interview merch vinyl radio festival acoustic lyrics behind-the-scenes rehearsal press "
    "award charity collaboration remix soundtrack podcast photo fans japan europe australia "
    "usa asia anniversary single ep cover-song announcement thank-you"
)
CITIES: tuple[tuple[str, str, str, str], ...] = (
    ("Jakarta", "ID", "Asia/Jakarta", "IDR"),
    ("Bandung", "ID", "Asia/Jakarta", "IDR"),
    ("Denpasar", "ID", "Asia/Makassar", "IDR"),
    ("Tokyo", "JP", "Asia/Tokyo", "JPY"),
    ("Osaka", "JP", "Asia/Tokyo", "JPY"),
    ("Seoul", "KR", "Asia/Seoul", "KRW"),
    ("Taipei", "TW", "Asia/Taipei", "TWD"),
    ("Manila", "PH", "Asia/Manila", "PHP"),
    ("Melbourne", "AU", "Australia/Melbourne", "AUD"),
    ("Auckland", "NZ", "Pacific/Auckland", "NZD"),
    ("Los Angeles", "US", "America/Los_Angeles", "USD"),
    ("New York", "US", "America/New_York", "USD"),
    ("London", "GB", "Europe/London", "GBP"),
    ("Berlin", "DE", "Europe/Berlin", "EUR"),
    ("Amsterdam", "NL", "Europe/Amsterdam", "EUR"),
)
SHOW_STATUSES = (
    ("on_sale", 10),
    ("sold_out", 5),
    ("announced", 2),
    ("cancelled", 1),
    ("postponed", 1),
    ("rescheduled", 1),
    ("free", 1),
)
RELEASE_TYPES = (("album", 5), ("ep", 3), ("single", 3), ("live", 1), ("compilation", 1))
SERVICES = ("spotify", "apple_music", "bandcamp", "youtube_music", "buy")
IMAGES = {
    "images/band.jpg": (640, 400, (22, 50, 74)),
    "images/covers/cover-1.jpg": (500, 500, (30, 90, 110)),
    "images/covers/cover-2.jpg": (500, 500, (120, 60, 40)),
    "images/covers/cover-3.jpg": (500, 500, (60, 40, 120)),
    "images/covers/cover-4.jpg": (500, 500, (40, 110, 60)),
    "images/posters/poster-1.jpg": (420, 600, (200, 120, 90)),
    "images/posters/poster-2.jpg": (420, 600, (90, 120, 200)),
    "images/news/photo-1.jpg": (800, 450, (70, 70, 70)),
    "images/news/photo-2.jpg": (800, 450, (150, 110, 60)),
    "images/news/photo-3.jpg": (800, 450, (40, 80, 140)),
}
COVERS = sorted(p for p in IMAGES if "/covers/" in p)
POSTERS = sorted(p for p in IMAGES if "/posters/" in p)
PHOTOS = sorted(p for p in IMAGES if "/news/" in p)


@dataclass(frozen=True)
class Composition:
    """How many entries of each kind a site of N entries has."""

    news_en: int
    news_id: int
    albums: int
    tours: int
    pages: int

    @property
    def total(self) -> int:
        return self.news_en + self.news_id + self.albums + self.tours + self.pages

    @property
    def shows(self) -> int:
        return self.tours * 20

    def as_dict(self) -> dict[str, int]:
        return {
            "news_en": self.news_en,
            "news_id": self.news_id,
            "albums": self.albums,
            "tours": self.tours,
            "pages": self.pages,
            "shows": self.shows,
            "tracks": self.albums * 12,
            "total": self.total,
        }


def composition(n: int) -> Composition:
    """The demo's proportions for ``n`` entries (n >= 8)."""
    if n < 8:
        raise ValueError("a synthetic site needs at least 8 entries")
    pages = 4 if n >= 40 else 2
    rest = n - pages
    albums = max(1, round(rest * 0.16))
    tours = max(1, round(rest * 0.08))
    news = rest - albums - tours
    news_id = news // 5
    return Composition(news - news_id, news_id, albums, tours, pages)


@dataclass
class Doc:
    """One entry: where it lives, its front matter for each side, its body."""

    relative: str  # path under content/
    kind: str  # news, album, tour, page
    title: str
    slug: str
    lang: str
    day: date
    time: str  # "HH:MM" or ""
    tags: list[str]
    summary: str
    body: str
    extra: dict = field(default_factory=dict)  # fanpage-only front matter, in order


class _Writer:
    """Deterministic text from one random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, count: int, lang: str = "en") -> list[str]:
        return self.rng.choices(EN_WORDS if lang == "en" else ID_WORDS, k=count)

    def sentence(self, count: int, lang: str = "en") -> str:
        words = self.words(count, lang)
        if self.rng.random() < 0.3:
            i = self.rng.randrange(count)
            words[i] = f"*{words[i]}*"
        if self.rng.random() < 0.15:
            i = self.rng.randrange(count)
            words[i] = f"**{words[i]}**"
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice((".", ".", ".", "!", "?"))

    def paragraph(self, words: int, lang: str = "en") -> str:
        out: list[str] = []
        left = words
        while left > 0:
            count = min(left, self.rng.randint(8, 18))
            out.append(self.sentence(count, lang))
            left -= count
        lines, line = [], ""
        for token in " ".join(out).split(" "):  # wrap at ~90 columns, as people write Markdown
            if line and len(line) + len(token) + 1 > 90:
                lines.append(line)
                line = token
            else:
                line = f"{line} {token}" if line else token
        lines.append(line)
        return "\n".join(lines)

    def title(self, lang: str = "en") -> str:
        words = self.words(self.rng.randint(3, 6), lang)
        return " ".join(words).capitalize()

    def body(self, lang: str, album_link: str | None, image: str, heading: str) -> str:
        """~400 words: paragraphs, a heading, a list, links and an image."""
        site = self.rng.choice(("bandcamp.com", "youtube.com", "instagram.com", "rollingstone.com"))
        link_text = " ".join(self.words(3, lang))
        parts = [
            self.paragraph(80, lang) + f"\n[{link_text}](https://www.{site}/suarasenja).",
            f"## {heading}",
            self.paragraph(80, lang),
            "\n".join(f"- {self.sentence(self.rng.randint(5, 9), lang)}" for _ in range(4)),
        ]
        third = self.paragraph(70, lang)
        if album_link:
            third += f"\nMore on [{' '.join(self.words(2, lang))}]({{filename}}{album_link})."
        parts.append(third)
        alt = self.sentence(6, lang).rstrip(".!?")
        parts.append(f"![{alt}]({{static}}/{image})")
        parts.append(self.paragraph(110, lang))
        return "\n\n".join(parts) + "\n"


def _spread_day(rng: random.Random, i: int, count: int) -> date:
    """Entries spread over twenty years, in order, a little jitter."""
    span = (LAST_DAY - FIRST_DAY).days
    base = span * i // max(count, 1)
    return FIRST_DAY + timedelta(days=min(span, base + rng.randint(0, 3)))


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs], k=1)[0]


def make_docs(n: int, seed: int = SEED) -> tuple[Composition, list[Doc]]:
    """Every entry of the N-entry site, in a fixed order."""
    mix = composition(n)
    w = _Writer(seed)
    rng = w.rng
    docs: list[Doc] = []

    album_files: list[str] = []
    for i in range(mix.albums):
        day = _spread_day(rng, i, mix.albums)
        title = w.title()
        slug = f"{_slug(title)}-{i + 1}"
        album_files.append(f"albums/{slug}.md")
        kind = _weighted(rng, RELEASE_TYPES)
        tracks = []
        for t in range(12):
            track = {
                "title": w.title(),
                "duration": f"{rng.randint(2, 7)}:{rng.randint(0, 59):02d}",
                "isrc": f"IDA01{day.year % 100:02d}{(i * 12 + t) % 100000:05d}",
            }
            if t < 2:
                track["lyrics"] = "\n".join(w.sentence(7) for _ in range(4)) + "\n"
            tracks.append(track)
        docs.append(
            Doc(
                relative=f"albums/{slug}.md",
                kind="album",
                title=title,
                slug=slug,
                lang="en",
                day=day,
                time="",
                tags=["album" if kind == "album" else kind, f"release-{i + 1}"],
                summary=w.sentence(14),
                body=w.body("en", None, COVERS[i % len(COVERS)], w.title()),
                extra={
                    "release_date": day.isoformat(),
                    "release_type": kind,
                    "label": "Rumah Senja Records",
                    "cover": COVERS[i % len(COVERS)],
                    "cover_alt": w.sentence(8),
                    "tracks": tracks,
                    "links": {
                        s: f"https://{s.replace('_', '-')}.example.com/album/{slug}"
                        for s in SERVICES
                    },
                    "credits": [f"{w.title()}: {w.title().lower()}" for _ in range(4)],
                    "press": [
                        {
                            "quote": w.sentence(12),
                            "source": "Rolling Stone Indonesia",
                            "url": f"https://rollingstone.co.id/review/{slug}",
                            "rating": "4/5",
                        },
                        {"quote": w.sentence(10), "source": "Tempo"},
                    ],
                },
            )
        )

    for i in range(mix.tours):
        start = _spread_day(rng, i, mix.tours)
        title = f"{w.title()} Tour {start.year}"
        slug = f"{_slug(title)}-{i + 1}"
        shows = []
        day = start + timedelta(days=30)
        for s in range(20):
            day += timedelta(days=rng.randint(1, 4))
            city, country, zone, currency = CITIES[(i * 7 + s) % len(CITIES)]
            status = _weighted(rng, SHOW_STATUSES)
            show: dict = {
                "date": f"{day.isoformat()} 20:00",
                "timezone": zone,
                "doors": "19:00",
                "venue": f"{w.title()} Hall",
                "city": city,
                "country": country,
                "status": status,
            }
            if status == "rescheduled":
                show["previous_date"] = f"{(day - timedelta(days=7)).isoformat()} 20:00"
            if status != "free":
                show["tickets"] = f"https://tickets.example.com/{slug}/{s + 1}"
                show["price"] = rng.randint(20, 90) * 1000 if currency == "IDR" else 35
                show["currency"] = currency
            shows.append(show)
        docs.append(
            Doc(
                relative=f"tours/{slug}.md",
                kind="tour",
                title=title,
                slug=slug,
                lang="en",
                day=start,
                time="",
                tags=["tour", str(start.year)],
                summary=w.sentence(12),
                body=w.body("en", _rel(album_files, rng), POSTERS[i % len(POSTERS)], w.title()),
                extra={
                    "poster": POSTERS[i % len(POSTERS)],
                    "poster_alt": w.sentence(9),
                    "shows": shows,
                },
            )
        )

    # Which English posts get an Indonesian translation: evenly spread, news_id of them.
    translate = {k * mix.news_en // mix.news_id for k in range(mix.news_id)}
    for i in range(mix.news_en):
        day = _spread_day(rng, i, mix.news_en)
        hour = f"{rng.randint(8, 20):02d}:{rng.choice(('00', '15', '30', '45'))}"
        title = w.title()
        slug = f"{_slug(title)}-{i + 1}"
        stem = f"{day.isoformat()}-{slug}"
        tags = sorted(set(rng.choices(TAGS, weights=range(len(TAGS), 0, -1), k=3)))
        image = PHOTOS[i % len(PHOTOS)] if rng.random() < 0.3 else None
        body_image = image or PHOTOS[(i + 1) % len(PHOTOS)]
        extra = {"image": image, "image_alt": w.sentence(8)} if image else {}
        album = _rel(album_files, rng)
        docs.append(
            Doc(
                relative=f"news/{stem}.md",
                kind="news",
                title=title,
                slug=slug,
                lang="en",
                day=day,
                time=hour,
                tags=tags,
                summary=w.sentence(16),
                body=w.body("en", album, body_image, w.title()),
                extra=extra,
            )
        )
        if i in translate:
            docs.append(
                Doc(
                    relative=f"news/{stem}.id.md",
                    kind="news",
                    title=w.title("id"),
                    slug=slug,
                    lang="id",
                    day=day,
                    time=hour,
                    tags=tags,
                    summary=w.sentence(16, "id"),
                    body=w.body("id", album, body_image, w.title("id")),
                    extra=dict(extra),
                )
            )
    page_specs = [("about", "en", "About us"), ("about", "id", "Tentang kami")]
    page_specs += [("press-kit", "en", "Press kit"), ("contact", "en", "Contact")]
    for slug, lang, title in page_specs[: mix.pages]:
        image = "images/band.jpg" if slug == "about" else None
        suffix = ".id" if lang == "id" else ""
        docs.append(
            Doc(
                relative=f"pages/{slug}{suffix}.md",
                kind="page",
                title=title,
                slug=slug,
                lang=lang,
                day=LAST_DAY,
                time="",
                tags=[],
                summary=w.sentence(14, lang),
                body=w.body(lang, _rel(album_files, rng), "images/band.jpg", w.title(lang)),
                extra={"image": image, "image_alt": w.sentence(10)} if image else {},
            )
        )
    return mix, docs


def _rel(album_files: list[str], rng: random.Random) -> str | None:
    return f"../{rng.choice(album_files)}" if album_files else None


def _slug(text: str) -> str:
    return "-".join("".join(c for c in word.lower() if c.isalnum()) for word in text.split())


# --- writers -----------------------------------------------------------------------------------


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _yaml_lines(key: str, value: object, indent: int) -> list[str]:
    """A small YAML emitter: JSON-quoted scalars, block lists and mappings, ``|`` for text."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = [f"{pad}{key}:"]
        for k, v in value.items():
            lines += _yaml_lines(k, v, indent + 2)
        return lines
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value) and len(value) < 5:
            return [f"{pad}{key}: [" + ", ".join(_scalar(v) for v in value) + "]"]
        lines = [f"{pad}{key}:"]
        for item in value:
            if isinstance(item, dict):
                inner: list[str] = []
                for k, v in item.items():
                    inner += _yaml_lines(k, v, indent + 4)
                lines.append(f"{pad}  - {inner[0].lstrip()}")
                lines += inner[1:]
            else:
                lines.append(f"{pad}  - {_scalar(item)}")
        return lines
    if isinstance(value, str) and "\n" in value:
        text = [f"{pad}  {line}" for line in value.rstrip("\n").split("\n")]
        return [f"{pad}{key}: |", *text]
    return [f"{pad}{key}: {_scalar(value)}"]


def fanpage_text(doc: Doc) -> str:
    meta: dict = {"title": doc.title}
    if doc.kind == "news":
        meta["date"] = f"{doc.day.isoformat()} {doc.time}".strip()
    elif doc.kind == "tour":
        meta["date"] = doc.day.isoformat()
    if doc.summary:
        meta["summary"] = doc.summary
    if doc.tags:
        meta["tags"] = doc.tags
    meta.update(doc.extra)
    lines = [line for k, v in meta.items() for line in _yaml_lines(k, v, 0)]
    return "---\n" + "\n".join(lines) + "\n---\n" + doc.body


def pelican_text(doc: Doc) -> str:
    category = {"news": "news", "album": "albums", "tour": "tours"}.get(doc.kind)
    lines = [f"Title: {doc.title}"]
    if doc.kind != "page":
        lines.append(f"Date: {doc.day.isoformat()} {doc.time or '00:00'}")
    if category:
        lines.append(f"Category: {category}")
    if doc.tags:
        lines.append(f"Tags: {', '.join(doc.tags)}")
    lines += [f"Slug: {doc.slug}", f"Lang: {doc.lang}", f"Summary: {doc.summary}"]
    return "\n".join(lines) + "\n\n" + doc.body


FANPAGE_CONF = f'''"""Synthetic benchmark site (bench/synth.py)."""

SITENAME = "{ARTIST}"
SITEURL = ""
ARTIST_NAME = "{ARTIST}"
ARTIST_TYPE = "group"
ARTIST_BIO = "Dream-pop from Bandung, sung in English and Indonesian."
ARTIST_IMAGE = "images/band.jpg"
ARTIST_IMAGE_ALT = "The four members of the band on a rooftop at dusk."
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "en"
LANGUAGES = ["en", "id"]
X_HANDLE = "@suarasenja"
SOCIAL_PROFILES = {{
    "mastodon": "https://musician.social/@suarasenja",
    "bluesky": "https://bsky.app/profile/suarasenja.band",
    "instagram": "https://www.instagram.com/suarasenja.band",
}}
NEWS_PER_PAGE = 6
WRITE_FEEDS = False
'''
FANPAGE_PUBLISH = f'''"""Synthetic benchmark site: publish settings."""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: F403

SITEURL = "{SITEURL}"
WRITE_FEEDS = True
'''
# A typical site as `pelican-quickstart` writes it, publish settings, Pelican's own feeds on.
PELICAN_CONF = f'''"""Bare Pelican, synthetic site (bench/synth.py): quickstart's settings."""

AUTHOR = "{ARTIST}"
SITENAME = "{ARTIST}"
SITEURL = "{SITEURL}"
RELATIVE_URLS = False
PATH = "content"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "en"
ARTICLE_PATHS = ["news", "albums", "tours"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
# Pelican's defaults also write TRANSLATION_FEED_ATOM and AUTHOR_FEED_ATOM / AUTHOR_FEED_RSS.
DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
'''
PELICAN_CACHED = """
# Rebuild measurement: Pelican's content cache on.
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CACHE_PATH = "cache"
DELETE_OUTPUT_DIRECTORY = False
"""


def write_images(content: Path) -> None:
    from PIL import Image

    for relative, (width, height, colour) in IMAGES.items():
        target = content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        image = Image.new("RGB", (width, height), colour)
        for x in range(0, width, 40):  # a few stripes, so the JPEG is not trivially tiny
            image.paste(tuple(min(255, c + 40) for c in colour), (x, 0, x + 8, height))
        image.save(target, "JPEG", quality=70)


def write_fanpage_site(site: Path, docs: list[Doc]) -> None:
    content = site / "content"
    for doc in docs:
        target = content / doc.relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fanpage_text(doc), encoding="utf-8")
    write_images(content)
    (site / "pelicanconf.py").write_text(FANPAGE_CONF, encoding="utf-8")
    (site / "publishconf.py").write_text(FANPAGE_PUBLISH, encoding="utf-8")


def write_pelican_site(site: Path, docs: list[Doc]) -> None:
    content = site / "content"
    for doc in docs:
        target = content / doc.relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(pelican_text(doc), encoding="utf-8")
    write_images(content)
    (site / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    (site / "pelicanconf_cached.py").write_text(PELICAN_CONF + PELICAN_CACHED, encoding="utf-8")


def generate(n: int, root: Path, seed: int = SEED) -> Composition:
    """Write ``root/fanpage`` (a fanpage site) and ``root/pelican`` (a bare Pelican site)."""
    mix, docs = make_docs(n, seed)
    write_fanpage_site(root / "fanpage", docs)
    write_pelican_site(root / "pelican", docs)
    return mix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of entries")
    parser.add_argument("root", type=Path, help="folder to write fanpage/ and pelican/ into")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    mix = generate(args.n, args.root, args.seed)
    print(json.dumps(mix.as_dict()))


if __name__ == "__main__":
    main()
