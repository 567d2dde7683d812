"""From a Pelican template context to :class:`PageMeta`: which page this is, in which language,
with which entry, image, events, feeds and language versions.

Reads only what Pelican and the fanpage reader put in the context (``article``/``page`` with
their validated ``entry``, ``output_file``, ``category``, ``tag``, ``articles_page``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from fanpage.content.models import SECTIONS, Entry, Gallery, Tour, Video
from fanpage.feeds.index import FeedIndex
from fanpage.feeds.locations import ALL_TOURS_CALENDAR, MIME_TYPES, FeedLink, tour_calendar_path
from fanpage.i18n import list_title, translate
from fanpage.metadata import images
from fanpage.metadata.images import MediaLookup
from fanpage.metadata.jsonld import HOME_EVENTS
from fanpage.metadata.page import EventRef, PageMeta, PhotoMeta, ShareImage, SiteInfo, VideoMeta
from fanpage.metadata.text import clip, describe
from fanpage.metadata.urls import Version, path_of_output

ENTRY_KINDS: dict[str, str] = {
    "news": "news",
    "album": "album",
    "tour": "tour",
    "gallery": "gallery",
}
NOT_FOUND = "404.html"
# What a list page is about, for its description (its title: fanpage.i18n.list_title).
ABOUT: dict[str, str] = {
    "news": "News from {artist}.",
    "albums": "Albums, EPs and singles by {artist}.",
    "tours": "Tour dates and tickets for {artist}.",
    "galleries": "Photos from the shows and sessions of {artist}.",
    "tags": "Everything on {site}, by tag.",
    "tag": "Everything on {site} tagged “{name}”.",
}

ImageFor = Callable[[Entry], ShareImage | None]
# Local video files by suffix (what ``og:video:type`` says); hosted videos play in text/html.
VIDEO_TYPES: dict[str, str] = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mov": "video/quicktime",
}
EMBED_TYPE = "text/html"


def page_meta(
    ctx: Mapping[str, Any],
    site: SiteInfo,
    languages: tuple[str, ...],
    entry_image: ImageFor,
    site_image: ShareImage | None,
    feeds: FeedIndex,
    item: Any = None,
    media: MediaLookup | None = None,
) -> PageMeta:
    """The metadata of the page a template context renders; ``feeds`` says which feeds and
    calendars the build writes (only those are announced); ``media`` names the derived files
    of the build's images (None: images as written)."""
    item = item if item is not None else (ctx.get("article") or ctx.get("page"))
    entry = getattr(item, "entry", None)
    if isinstance(entry, Entry):
        page = entry_meta(item, entry, site, entry_image, feeds, media)
        if isinstance(entry, Gallery) and entry.show_uid:
            page = replace(page, about_event=show_ref(ctx, entry, entry_image))
        return page
    return list_meta(ctx, site, languages, entry_image, site_image, feeds)


def entry_meta(
    item: Any,
    entry: Entry,
    site: SiteInfo,
    entry_image: ImageFor,
    feeds: FeedIndex,
    media: MediaLookup | None = None,
) -> PageMeta:
    kind = ENTRY_KINDS.get(entry.kind) or ("about" if entry.slug == site.about_slug else "page")
    translations = list(getattr(item, "translations", ()) or ())
    versions = (
        (Version(entry.lang, item.url), *(Version(t.lang, t.url) for t in translations))
        if translations
        else ()
    )
    image = entry_image(entry)
    events: tuple[EventRef, ...] = ()
    calendars: tuple[FeedLink, ...] = ()
    if isinstance(entry, Tour):
        events = tuple(EventRef(show, entry, item.url, image) for show in entry.shows)
        if feeds.has_tour_calendar(entry):
            title = translate("{title} (iCalendar)", entry.lang, title=entry.title)
            calendars = (
                FeedLink(title, tour_calendar_path(entry), MIME_TYPES["ics"]),
                *_all_shows_calendar(site, entry.lang, feeds),
            )
    return PageMeta(
        kind=kind,
        lang=entry.lang,
        title=entry.title,
        description=describe(
            entry.summary, getattr(item, "_content", "") or "", site.artist_bio or site.name
        ),
        path=item.url,
        entry=entry,
        versions=versions,
        image=image,
        events=events,
        feeds=_feeds(feeds, site, entry.lang),
        calendars=calendars,
        noindex=entry.status != "published",
        photos=gallery_photos(entry, media) if isinstance(entry, Gallery) else (),
        videos=tuple(
            meta for video in entry.videos if (meta := video_meta(video, media, image)).url
        ),
    )


def gallery_photos(gallery: Gallery, media: MediaLookup | None) -> tuple[PhotoMeta, ...]:
    """Each photo with its largest published JPEG and thumbnail (as written without a plan)."""
    found = []
    for photo in gallery.photos:
        full = images.full_size(media, photo.src)
        thumb = images.thumbnail(media, photo.src)
        found.append(
            PhotoMeta(
                src=full.src,
                alt=photo.alt,
                caption=photo.caption,
                credit=photo.credit,
                width=full.width,
                height=full.height,
                thumbnail=thumb.src if thumb else None,
            )
        )
    return tuple(found)


def video_meta(video: Video, media: MediaLookup | None, page_image: ShareImage | None) -> VideoMeta:
    """Where the video plays (the host's embed player, or the site's own file) and its
    picture: the poster's derived JPEG, else the page's share image (its card without one)."""
    if video.is_local and video.src:
        url = video.src
        mime = VIDEO_TYPES.get(PurePosixPath(video.src).suffix.lower(), "video/mp4")
    else:
        url, mime = video.embed_url or video.url or "", EMBED_TYPE
    thumbnail = page_image
    if video.poster:
        poster = images.preview(media, video.poster)
        thumbnail = ShareImage(poster.src, video.title, poster.width, poster.height)
    return VideoMeta(video, url, mime, thumbnail)


def show_ref(ctx: Mapping[str, Any], gallery: Gallery, entry_image: ImageFor) -> EventRef | None:
    """The show a gallery documents (by its uid, unique in the site) on the tour page that
    lists it, the one in the gallery's language first; None when no published tour has it."""
    found: list[tuple[Any, Any]] = []
    for article in ctx.get("articles") or ():
        for version in (article, *(getattr(article, "translations", ()) or ())):
            tour = getattr(version, "entry", None)
            if not isinstance(tour, Tour):
                continue
            show = next((s for s in tour.shows if s.uid == gallery.show_uid), None)
            if show is not None:
                found.append((version, show))
    if not found:
        return None
    version, show = next(((v, s) for v, s in found if v.entry.lang == gallery.lang), found[0])
    return EventRef(show, version.entry, version.url, entry_image(version.entry))


def list_meta(
    ctx: Mapping[str, Any],
    site: SiteInfo,
    languages: tuple[str, ...],
    entry_image: ImageFor,
    site_image: ShareImage | None,
    feeds: FeedIndex,
) -> PageMeta:
    """Home, section lists (news, albums, tours, galleries), tag pages, the tag index and the
    404 page."""
    output_file = str(ctx.get("output_file") or "")
    lang = str(ctx.get("ui_lang") or _lang_of_output(output_file, languages, site.default_lang))
    fill = {"artist": site.artist_name, "site": site.name}
    site_feeds = _feeds(feeds, site, lang)
    if output_file == NOT_FOUND:
        return PageMeta(
            kind="notfound",
            lang=lang,
            title=f"{list_title('notfound', lang)} — {site.name}",
            description="",
            path=None,
            image=site_image,
            feeds=site_feeds,
            noindex=True,
        )
    listed = _list_key(ctx)
    number = getattr(ctx.get("articles_page"), "number", 1) or 1
    versions = _list_versions(listed, number, languages, site.default_lang)
    events: tuple[EventRef, ...] = ()
    calendars: tuple[FeedLink, ...] = ()
    tag = ctx.get("tag")
    if listed == "home" and number == 1:
        kind, title = "home", site.name
        description = site.artist_bio or site.name
        events = tuple(
            EventRef(view.show, view.tour.entry, view.tour.url, entry_image(view.tour.entry))
            for view in list(ctx.get("fp_upcoming_shows") or ())[:HOME_EVENTS]
        )
        calendars = _all_shows_calendar(site, lang, feeds)
    elif listed in SECTIONS:
        kind, title = "list", f"{list_title(listed, lang)} — {site.name}"
        description = translate(ABOUT[listed], lang, **fill)
        site_feeds = (*feeds.section_links(listed, lang), *site_feeds)
        if listed == "tours":
            calendars = _all_shows_calendar(site, lang, feeds)
    elif tag is not None:
        name = str(getattr(tag, "name", tag))
        kind, title = "list", f"{list_title('tag', lang, name=name)} — {site.name}"
        description = translate(ABOUT["tag"], lang, name=name, **fill)
    elif listed == "home":
        kind, title = "list", site.name
        description = site.artist_bio or site.name
    else:
        kind, title = "list", f"{list_title('tags', lang)} — {site.name}"
        description = translate(ABOUT["tags"], lang, **fill)
    if number > 1:
        title = f"{title} ({translate('page {number}', lang, number=number)})"
    return PageMeta(
        kind=kind,
        lang=lang,
        title=title,
        description=clip(description),
        path=path_of_output(output_file),
        versions=versions,
        image=site_image,
        events=events,
        feeds=site_feeds,
        calendars=calendars,
    )


def _list_key(ctx: Mapping[str, Any]) -> str | None:
    """``home``, ``news``, ``albums``, ``tours`` for those lists (any language), else None."""
    key = ctx.get("fp_list")
    if key:
        return str(key)
    output_file = str(ctx.get("output_file") or "")
    if ctx.get("page_name") == "index" or output_file == "index.html":
        return "home"
    category = ctx.get("category")
    slug = getattr(category, "slug", None)
    return slug if slug in SECTIONS else None


def _list_versions(
    key: str | None, number: int, languages: tuple[str, ...], default_lang: str
) -> tuple[Version, ...]:
    """The home and section lists exist in every language of the site (the theme writes them)."""
    if key is None or len(languages) < 2:
        return ()
    try:
        from fanpage.i18n.lists import LIST_PAGES, list_url
    except ImportError:  # a theme without per-language lists
        return ()
    if key not in LIST_PAGES:
        return ()
    return tuple(Version(code, list_url(key, code, default_lang, number)) for code in languages)


def _lang_of_output(output_file: str, languages: tuple[str, ...], default: str) -> str:
    first = output_file.split("/", 1)[0]
    return first if first in languages and first != default else default


def _feeds(feeds: FeedIndex, site: SiteInfo, lang: str) -> tuple[FeedLink, ...]:
    """The site's feeds in the page's language first, then the default language's."""
    default = feeds.feed_links(site.default_lang)
    if lang == site.default_lang:
        return tuple(default)
    return (*feeds.feed_links(lang), *default)


def _all_shows_calendar(site: SiteInfo, lang: str, feeds: FeedIndex) -> tuple[FeedLink, ...]:
    if not feeds.calendars:
        return ()
    title = translate("{artist}: tour dates (iCalendar)", lang, artist=site.artist_name)
    return (FeedLink(title, ALL_TOURS_CALENDAR, MIME_TYPES["ics"]),)
