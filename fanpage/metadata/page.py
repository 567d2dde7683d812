"""What the metadata of one page is made from: the site, the page, its entry and its image.

Plain data; :mod:`fanpage.metadata.context` fills it from a Pelican template context, tests
fill it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from fanpage.content.models import Entry, Show, Tour, Video
from fanpage.feeds.locations import FeedLink
from fanpage.metadata.urls import Version
from fanpage.settings import default
from fanpage.urls import public_url

# Page kinds and their Open Graph type (anything else is a "website").
# A gallery is dated and authored like a news post: an article with its published time.
OG_TYPES: dict[str, str] = {
    "album": "music.album",
    "news": "article",
    "gallery": "article",
    "about": "profile",
}
KINDS: tuple[str, ...] = (
    "home",
    "list",
    "album",
    "news",
    "tour",
    "gallery",
    "page",
    "about",
    "notfound",
)


@dataclass(frozen=True)
class ShareImage:
    """The image a preview shows; ``src`` is a site-relative path or an absolute URL."""

    src: str
    alt: str
    width: int | None = None
    height: int | None = None
    generated: bool = False  # a social card drawn by fanpage


@dataclass(frozen=True)
class PhotoMeta:
    """A gallery photo as JSON-LD describes it: its largest published JPEG (``src``, with that
    file's size) and square thumbnail, site-relative."""

    src: str
    alt: str
    caption: str | None = None
    credit: str | None = None
    width: int | None = None
    height: int | None = None
    thumbnail: str | None = None


@dataclass(frozen=True)
class VideoMeta:
    """A video of the page: where a client plays it and the picture that stands for it."""

    video: Video
    url: str  # hosted: the embed player (``embed_url``); local: the file's site-relative path
    mime: str  # "text/html" for an embed player, "video/mp4"... for a file
    thumbnail: ShareImage | None = None  # the poster's derived JPEG, else the page's image


@dataclass(frozen=True)
class SiteInfo:
    """The site-wide facts previews repeat on every page."""

    name: str
    url: str  # SITEURL without a trailing slash; "" in development builds
    artist_name: str
    artist_type: str = default("ARTIST_TYPE")  # or "person"
    artist_bio: str | None = None
    artist_image: ShareImage | None = None
    x_handle: str | None = None
    profiles: tuple[str, ...] = ()  # SOCIAL_PROFILES values, for sameAs
    default_lang: str = default("DEFAULT_LANG")
    about_slug: str = default("ABOUT_PAGE")  # the page about the artist
    about_path: str | None = None  # its URL path in the default language, when it exists
    show_minutes: int = default("SHOW_DURATION_MINUTES")

    def absolute(self, path: str | None) -> str | None:
        return None if path is None else public_url(self.url, path)

    @property
    def home_url(self) -> str | None:
        return public_url(self.url, "")

    @property
    def artist_url(self) -> str | None:
        """Where the artist is described: the about page, else the home page."""
        return public_url(self.url, self.about_path or "")

    @property
    def artist_id(self) -> str | None:
        home = self.home_url
        return f"{home}#artist" if home else None

    @property
    def x_site(self) -> str | None:
        if not self.x_handle:
            return None
        handle = self.x_handle.strip()
        return handle if handle.startswith("@") else "@" + handle


@dataclass(frozen=True)
class EventRef:
    """A show as an event: its tour, the tour page's path and the picture to show with it."""

    show: Show
    tour: Tour
    tour_path: str
    image: ShareImage | None = None


@dataclass(frozen=True)
class PageMeta:
    """Everything the ``<head>`` metadata of one page is built from."""

    kind: str
    lang: str
    title: str
    description: str
    path: str | None  # URL path of the page; None when it has no canonical address (404)
    entry: Entry | None = None
    versions: tuple[Version, ...] = ()  # every language version, this one included
    image: ShareImage | None = None
    events: tuple[EventRef, ...] = ()
    feeds: tuple[FeedLink, ...] = ()
    calendars: tuple[FeedLink, ...] = ()
    noindex: bool = False
    photos: tuple[PhotoMeta, ...] = ()  # a gallery's, in page order
    videos: tuple[VideoMeta, ...] = ()
    about_event: EventRef | None = None  # the show a gallery documents

    @property
    def og_type(self) -> str:
        return OG_TYPES.get(self.kind, "website")
