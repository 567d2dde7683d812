"""Documented front-matter stubs for ``fanpage new``, generated from the one schema."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fanpage.content.models import Album, Entry, Gallery, Tour

if TYPE_CHECKING:
    from fanpage.content.schema import Key

KINDS: dict[str, str] = {
    "news": "news",
    "album": "albums",
    "ep": "albums",
    "single": "albums",
    "tour": "tours",
    "gallery": "galleries",
    "page": "pages",
}
# ``fanpage new ep`` and ``fanpage new single`` are albums of that release type.
RELEASE_KINDS: dict[str, str] = {"ep": "ep", "single": "single"}

_NESTED_EXAMPLES: dict[str, str] = {
    "tracks": """\
tracks:                      # one item per track, in order
  - title: "{track}"
    duration: "3:45"         # m:ss
    # isrc: IDA012600001
    # preview: audio/first-song.mp3   # a file under content/, or a URL
    # explicit: false
    # lyrics: |
    #   Lyrics in Markdown.""",
    "links": """\
links:                       # service -> URL; any other service name works too
  # spotify: https://open.spotify.com/album/...
  # apple_music: https://music.apple.com/...
  # bandcamp: https://yourband.bandcamp.com/album/...
  # buy: https://store.example.com/...""",
    "press": """\
# press:
#   - quote: "A record that lingers."
#     source: Some Magazine
#     url: https://magazine.example.com/review
#     rating: 4/5""",
    "photos": """\
photos:                      # one item per photo, in order (or photos_dir: a folder)
  - src: {photo}   # a file under content/: replace this example
    alt: "{photo_alt}"
    # caption: A line under the photo
    # credit: Who took it""",
    "shows": """\
shows:                       # one item per show
  - date: "{day} 20:00"       # local time at the venue, YYYY-MM-DD HH:MM
    # timezone: Asia/Jakarta  # IANA zone of the venue; default: the site's TIMEZONE
    # doors: "19:00"
    venue: {venue}
    city: City
    country: ID              # ISO 3166-1 alpha-2
    # region: West Java
    # address: Street and number
    status: announced        # announced, on_sale, sold_out, cancelled, postponed, rescheduled, free
    # tickets: https://tickets.example.com/...
    # price: 250000          # or price_min and price_max
    # currency: IDR          # ISO 4217
    # on_sale_date: "{day} 10:00"
    # previous_date: "{day} 20:00"   # the original date, when rescheduled
    # support: [Support act]
    # notes: Anything fans should know""",
}


STUB_BODY = "Write the {what} here, in Markdown."
STUB_TRACK = "First song"
STUB_VENUE = "Venue name"
STUB_PHOTO_ALT = "Describe the photo here, for fans who cannot see it."
# The example photo ``fanpage new gallery`` puts beside the stub (the scaffold's drawn cover).
STUB_PHOTO_SOURCE = Path(__file__).parent / "scaffold" / "site" / "content" / "images" / "cover.jpg"


def leftover_stubs(entry: Entry) -> list[tuple[int, str]]:
    """(line, what) for each piece of ``fanpage new``'s example text still in ``entry``:
    published, it would show "Write the album here" to fans."""
    found: list[tuple[int, str]] = []
    for offset, line in enumerate(entry.body.splitlines()):
        for what in ("news post", "EP", *KINDS):
            if line.strip() == STUB_BODY.format(what=what):
                found.append((entry.body_line + offset, f'the example text "{line.strip()}"'))
    if isinstance(entry, Album):
        for track in entry.tracks:
            if track.title == STUB_TRACK:
                found.append((entry.line_of("tracks"), f'the example track "{STUB_TRACK}"'))
    if isinstance(entry, Gallery):
        for photo in entry.photos:
            if photo.alt == STUB_PHOTO_ALT:
                found.append((photo.line, f'the example photo "{photo.src}"'))
    if isinstance(entry, Tour):
        for show in entry.shows:
            if show.venue == STUB_VENUE:
                found.append((show.line, f'the example venue "{STUB_VENUE}"'))
    return found


@dataclass(frozen=True)
class Stub:
    path: Path  # relative to the site folder
    text: str
    # Files the stub refers to, written beside it (a gallery's example photo): path -> source.
    files: tuple[tuple[Path, Path], ...] = ()


def stub_for(kind: str, title: str, lang: str, default_lang: str, today: date) -> Stub:
    """The file ``fanpage new KIND TITLE`` writes: every key present or commented, with its doc."""
    from fanpage.content.schema import SCHEMAS
    from fanpage.content.slugs import slugify

    section = KINDS[kind]
    slug = slugify(title) or "untitled"
    stem = f"{today.isoformat()}-{slug}" if kind == "news" else slug
    name = stem if lang == default_lang else f"{stem}.{lang}"
    uid = f"{section}/{stem}" if lang == default_lang else f"{section}/{stem}.{lang}"
    values = {
        "TITLE": title,
        "DATE": today.isoformat(),
        "LANG": lang,
        "SLUG": slug,
        "UID": uid,
    }
    chosen = {"release_type": RELEASE_KINDS[kind]} if kind in RELEASE_KINDS else {}
    photo = f"images/galleries/{slug}/01.jpg"
    what = {"news": "news post", "ep": "EP"}.get(kind, kind)
    lines = ["---", f"# A new {what}. Every key is documented; delete what you do not need."]
    for key in SCHEMAS[section].keys:
        lines.append(_line(key, values, today, chosen.get(key.name), photo))
    lines.append("---")
    lines.append("")
    lines.append(STUB_BODY.format(what=what))
    files = ((Path("content") / photo, STUB_PHOTO_SOURCE),) if kind == "gallery" else ()
    return Stub(Path("content") / section / f"{name}.md", "\n".join(lines) + "\n", files)


def _line(
    key: Key, values: dict[str, str], today: date, chosen: str | None = None, photo: str = ""
) -> str:
    if chosen is not None:  # a value the command decided (``fanpage new ep``: release_type)
        return _with_doc(f"{key.name}: {_yaml(chosen)}", key.doc)
    if key.name in _NESTED_EXAMPLES:
        return _NESTED_EXAMPLES[key.name].format(
            day=today.isoformat(),
            track=STUB_TRACK,
            venue=STUB_VENUE,
            photo=photo,
            photo_alt=STUB_PHOTO_ALT,
        )
    example: Any = key.example
    if isinstance(example, str) and example in values:
        example = values[example]
    if example is None:
        return _with_doc(f"# {key.name}:", key.doc)
    return _with_doc(f"{key.name}: {_yaml(example)}", key.doc)


def _with_doc(text: str, doc: str) -> str:
    return f"{text.ljust(28)} # {doc}"


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
