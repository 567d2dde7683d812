"""The one entry model: every page, feed, share preview and cross-post is a view of these.

Entries are built once per build by :mod:`fanpage.content.reader` and never re-parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

RELEASE_TYPES: tuple[str, ...] = ("album", "ep", "single", "live", "compilation")
ENTRY_STATUSES: tuple[str, ...] = ("published", "draft", "hidden")
SHOW_STATUSES: tuple[str, ...] = (
    "announced",
    "on_sale",
    "sold_out",
    "cancelled",
    "postponed",
    "rescheduled",
    "free",
)
# Listening services with the label a fan recognises; any other name is allowed too.
SERVICE_LABELS: dict[str, str] = {
    "spotify": "Spotify",
    "apple_music": "Apple Music",
    "bandcamp": "Bandcamp",
    "youtube_music": "YouTube Music",
    "youtube": "YouTube",
    "deezer": "Deezer",
    "tidal": "TIDAL",
    "soundcloud": "SoundCloud",
    "amazon_music": "Amazon Music",
    "buy": "Buy",
}


@dataclass(frozen=True)
class Link:
    """A listen or buy link on an album."""

    service: str
    url: str

    @property
    def label(self) -> str:
        return SERVICE_LABELS.get(self.service, self.service.replace("_", " ").title())


@dataclass(frozen=True)
class Track:
    number: int
    title: str
    duration_seconds: int
    isrc: str | None = None
    preview: str | None = None  # a path under content/ or a URL
    lyrics: str | None = None  # Markdown
    explicit: bool = False

    @property
    def duration(self) -> str:
        return format_duration(self.duration_seconds)


@dataclass(frozen=True)
class PressQuote:
    quote: str
    source: str
    url: str | None = None
    rating: str | None = None


@dataclass(frozen=True)
class Show:
    """One concert. ``starts_at`` is aware, in the venue's own time zone."""

    uid: str
    starts_at: datetime
    has_time: bool
    timezone: str
    venue: str
    city: str
    country: str
    status: str = "announced"
    doors_at: datetime | None = None
    region: str | None = None
    address: str | None = None
    tickets: str | None = None
    price: float | None = None
    price_min: float | None = None
    price_max: float | None = None
    currency: str | None = None
    on_sale_at: datetime | None = None
    support: tuple[str, ...] = ()
    previous_dates: tuple[datetime, ...] = ()  # oldest first, for rescheduled shows
    notes: str | None = None
    line: int = 1  # line of the show in its tour file

    BUYABLE: ClassVar[frozenset[str]] = frozenset({"announced", "on_sale", "rescheduled"})

    @property
    def is_active(self) -> bool:
        """False for a show that will not happen on the announced date."""
        return self.status not in ("cancelled", "postponed")

    @property
    def tickets_available(self) -> bool:
        """A ticket button makes sense: there is a link and the show can still be bought."""
        return bool(self.tickets) and self.status in self.BUYABLE

    @property
    def previous_date(self) -> datetime | None:
        return self.previous_dates[-1] if self.previous_dates else None

    def is_past(self, now: datetime) -> bool:
        return self.starts_at.date() < now.astimezone(self.starts_at.tzinfo).date()


@dataclass(frozen=True)
class Photo:
    """One photo of a gallery: a file under content/, always described."""

    src: str  # path under content/, e.g. images/shows/jakarta-2026/01.jpg
    alt: str
    caption: str | None = None
    credit: str | None = None
    line: int = 1  # where it is listed (or the photos_dir line), for messages


# Where a video may be hosted (besides a local file under content/).
VIDEO_HOSTS: tuple[str, ...] = ("youtube", "vimeo", "peertube")


@dataclass(frozen=True)
class Video:
    """A video on an entry: hosted (YouTube, Vimeo, PeerTube: shown as a facade until the fan
    clicks) or a local file (``<video preload="none">``)."""

    title: str
    url: str | None = None  # the video's page on its host, as the artist wrote it
    src: str | None = None  # a local file under content/
    host: str | None = None  # one of VIDEO_HOSTS, for ``url``
    video_id: str | None = None  # the host's id of the video
    embed_url: str | None = None  # the player loaded after the click (youtube-nocookie.com)
    poster: str | None = None  # image under content/: given, or fetched by fetch-posters
    captions: str | None = None  # WebVTT file under content/
    captions_lang: str | None = None  # language of the captions (default: the entry's)
    duration_seconds: int | None = None
    line: int = 1

    @property
    def is_local(self) -> bool:
        return self.src is not None


@dataclass(kw_only=True)
class Entry:
    """What every kind of entry has in common."""

    kind: ClassVar[str] = "entry"

    uid: str
    title: str
    slug: str
    lang: str
    date: datetime
    source_path: str  # relative to the site folder, for messages
    body: str = ""  # Markdown
    body_line: int = 1
    summary: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    image_alt: str | None = None
    status: str = "published"
    modified: datetime | None = None
    # Which networks may announce it (true: all) and the artist's own text, network or "*"
    # -> text; read by fanpage.crosspost, which owns the list of networks.
    crosspost: bool | tuple[str, ...] = True
    crosspost_text: dict[str, str] = field(default_factory=dict)
    videos: tuple[Video, ...] = ()  # ``video`` or ``videos`` in the front matter
    key_lines: dict[str, int] = field(default_factory=dict, repr=False)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    @property
    def share_image(self) -> str | None:
        return self.image

    @property
    def share_image_alt(self) -> str | None:
        return self.image_alt

    def image_files(self) -> list[str]:
        """Every image under content/ this entry publishes (URLs left out), in page order:
        the media pipeline plans its sizes before the pages are written."""
        found = [self.image, *(v.poster for v in self.videos)]
        return [path for path in found if path and "://" not in path and not path.startswith("//")]


@dataclass(kw_only=True)
class NewsPost(Entry):
    kind: ClassVar[str] = "news"


@dataclass(kw_only=True)
class Page(Entry):
    kind: ClassVar[str] = "page"


@dataclass(kw_only=True)
class Album(Entry):
    kind: ClassVar[str] = "album"

    release_date: date
    release_type: str = "album"
    cover: str | None = None
    cover_alt: str | None = None
    label: str | None = None
    tracks: tuple[Track, ...] = ()
    links: tuple[Link, ...] = ()
    credits: tuple[str, ...] = ()
    press: tuple[PressQuote, ...] = ()

    @property
    def total_seconds(self) -> int:
        return sum(track.duration_seconds for track in self.tracks)

    @property
    def total_duration(self) -> str:
        return format_duration(self.total_seconds)

    @property
    def share_image(self) -> str | None:
        return self.image or self.cover

    @property
    def share_image_alt(self) -> str | None:
        return self.image_alt if self.image else self.cover_alt

    def image_files(self) -> list[str]:
        local = [self.cover] if self.cover and "://" not in self.cover else []
        return local + super().image_files()


@dataclass(kw_only=True)
class Tour(Entry):
    kind: ClassVar[str] = "tour"

    poster: str | None = None
    poster_alt: str | None = None
    shows: tuple[Show, ...] = ()

    def upcoming(self, now: datetime) -> list[Show]:
        return [show for show in self.shows if not show.is_past(now)]

    def past(self, now: datetime) -> list[Show]:
        return [show for show in self.shows if show.is_past(now)]

    @property
    def share_image(self) -> str | None:
        return self.image or self.poster

    @property
    def share_image_alt(self) -> str | None:
        return self.image_alt if self.image else self.poster_alt

    def image_files(self) -> list[str]:
        local = [self.poster] if self.poster and "://" not in self.poster else []
        return local + super().image_files()


@dataclass(kw_only=True)
class Gallery(Entry):
    """Photos of a show, a session, a shoot; optionally of one show of a tour."""

    kind: ClassVar[str] = "gallery"

    photos: tuple[Photo, ...] = ()
    tour_uid: str | None = None  # ``tour``: the uid of the tour the show belongs to
    show_uid: str | None = None  # ``show``: the uid of the show the gallery documents

    @property
    def share_image(self) -> str | None:
        return self.image or (self.photos[0].src if self.photos else None)

    @property
    def share_image_alt(self) -> str | None:
        if self.image:
            return self.image_alt
        return self.photos[0].alt if self.photos else None

    def image_files(self) -> list[str]:
        return [photo.src for photo in self.photos] + super().image_files()


# Content folder -> the kind of entry its files are.
ENTRY_TYPES: dict[str, type[Entry]] = {
    "news": NewsPost,
    "albums": Album,
    "tours": Tour,
    "galleries": Gallery,
    "pages": Page,
}
# The folders whose entries form a section of the site: listed on their own page
# (``news/``, ``albums/``, ``tours/``, ``galleries/``), Pelican's category, a feed each. Pages
# have no section.
SECTIONS: tuple[str, ...] = ("news", "albums", "tours", "galleries")
_SECTION_OF: dict[type[Entry], str] = {ENTRY_TYPES[name]: name for name in SECTIONS}


def section_of(entry: Entry) -> str | None:
    """The section of an entry (``news``, ``albums``, ``tours``); None for a page."""
    return _SECTION_OF.get(type(entry))


def format_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def iso_duration(seconds: int) -> str:
    """ISO 8601 for ``<time datetime>`` and JSON-LD: ``225`` -> ``PT3M45S``, ``180`` ->
    ``PT3M``, ``3725`` -> ``PT1H2M5S``."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if secs or text == "PT":
        text += f"{secs}S"
    return text
