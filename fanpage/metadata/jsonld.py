"""schema.org JSON-LD: the artist, albums, news articles, galleries, videos and one MusicEvent
per show.

Events follow Google's Event rich-result guide: name, startDate with offset, location with a
PostalAddress, eventStatus (with previousStartDate when moved), attendance mode, performer,
organizer, image and offers. A gallery is an ``ImageGallery`` of ``ImageObject``s (Google's
image metadata: contentUrl, creditText, caption) ``about`` the show it documents; every video
of a page is a ``VideoObject`` as Google's video guide asks (name, description, thumbnailUrl,
uploadDate, and embedUrl or contentUrl).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from babel.numbers import get_territory_currencies

from fanpage.content.models import Album, Gallery, NewsPost, Show, iso_duration
from fanpage.content.slugs import slugify
from fanpage.engine.context import venue_to_be_announced
from fanpage.metadata.opengraph import iso
from fanpage.metadata.page import EventRef, PageMeta, PhotoMeta, ShareImage, SiteInfo, VideoMeta

SCHEMA = "https://schema.org/"
RELEASE_TYPES: dict[str, str] = {
    "album": "AlbumRelease",
    "ep": "EPRelease",
    "single": "SingleRelease",
    "live": "AlbumRelease",
    "compilation": "AlbumRelease",
}
PRODUCTION_TYPES: dict[str, str] = {
    "album": "StudioAlbum",
    "ep": "StudioAlbum",
    "single": "StudioAlbum",
    "live": "LiveAlbum",
    "compilation": "CompilationAlbum",
}
HOME_EVENTS = 5  # the home page lists the next five shows
_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})

Node = dict[str, Any]


def script_json(data: Any) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>``, ``&`` are escaped, so
    no content (``</script>``, ``<!--``) can end the element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_UNSAFE)


def page_graph(page: PageMeta, site: SiteInfo) -> list[Node]:
    """The JSON-LD objects of a page, each a complete document with its ``@context``."""
    nodes: list[Node] = []
    if page.kind in ("home", "about"):
        nodes.append(artist(site, full=True))
    if page.kind == "album" and isinstance(page.entry, Album):
        nodes.append(album(page.entry, page, site))
    if page.kind == "news" and isinstance(page.entry, NewsPost):
        nodes.append(news_article(page.entry, page, site))
    if page.kind == "gallery" and isinstance(page.entry, Gallery):
        nodes.append(image_gallery(page.entry, page, site))
    nodes.extend(event(ref, site) for ref in page.events)
    nodes.extend(video_object(video, page, site) for video in page.videos)
    return [{"@context": "https://schema.org", **node} for node in nodes]


def artist(site: SiteInfo, full: bool = False) -> Node:
    """The artist: a MusicGroup, or a Person for a solo artist; ``full`` adds the profile."""
    node: Node = {
        "@type": "Person" if site.artist_type == "person" else "MusicGroup",
        "@id": site.artist_id,
        "name": site.artist_name,
        "url": site.home_url,
    }
    if full:
        image = site.absolute(site.artist_image.src) if site.artist_image else None
        node.update(
            {
                "description": site.artist_bio,
                "image": image,
                "sameAs": list(site.profiles) or None,
            }
        )
    return _clean(node)


def album(entry: Album, page: PageMeta, site: SiteInfo) -> Node:
    url = site.absolute(page.path)
    by_artist = artist(site)
    tracks = [
        {
            "@type": "ListItem",
            "position": track.number,
            "item": _clean(
                {
                    "@type": "MusicRecording",
                    "name": track.title,
                    "duration": iso_duration(track.duration_seconds),
                    "isrcCode": track.isrc,
                    "byArtist": by_artist,
                    "url": f"{url}#track-{track.number}" if url else None,
                }
            ),
        }
        for track in entry.tracks
    ]
    return _clean(
        {
            "@type": "MusicAlbum",
            "@id": f"{url}#album" if url else None,
            "name": entry.title,
            "url": url,
            "description": page.description or None,
            "image": _image_url(page.image, site),
            "inLanguage": entry.lang,
            "byArtist": by_artist,
            "datePublished": entry.release_date.isoformat(),
            "albumReleaseType": SCHEMA + RELEASE_TYPES[entry.release_type],
            "albumProductionType": SCHEMA + PRODUCTION_TYPES[entry.release_type],
            "recordLabel": {"@type": "Organization", "name": entry.label} if entry.label else None,
            "numTracks": len(entry.tracks),
            "duration": iso_duration(entry.total_seconds) if entry.tracks else None,
            "track": {
                "@type": "ItemList",
                "numberOfItems": len(tracks),
                "itemListElement": tracks,
            }
            if tracks
            else None,
            "sameAs": [link.url for link in entry.links if link.service != "buy"] or None,
        }
    )


def news_article(entry: NewsPost, page: PageMeta, site: SiteInfo) -> Node:
    url = site.absolute(page.path)
    author = artist(site)
    return _clean(
        {
            "@type": "NewsArticle",
            "@id": f"{url}#article" if url else None,
            "headline": entry.title,
            "description": page.description or None,
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": entry.lang,
            "datePublished": iso(entry.date),
            "dateModified": iso(entry.modified or entry.date),
            "image": [image] if (image := _image_url(page.image, site)) else None,
            "keywords": list(entry.tags) or None,
            "author": author,
            "publisher": author,
        }
    )


def image_gallery(entry: Gallery, page: PageMeta, site: SiteInfo) -> Node:
    """The gallery page: its photos in page order, by the artist, about the show it shows."""
    url = site.absolute(page.path)
    author = artist(site)
    about = event_id(page.about_event, site) if page.about_event else None
    return _clean(
        {
            "@type": "ImageGallery",
            "@id": f"{url}#gallery" if url else None,
            "name": entry.title,
            "description": page.description or None,
            "url": url,
            "inLanguage": entry.lang,
            "datePublished": iso(entry.date),
            "dateModified": iso(entry.modified or entry.date),
            "author": author,
            "creator": author,
            "about": {"@id": about} if about else None,
            "keywords": list(entry.tags) or None,
            "image": [image_object(photo, site) for photo in page.photos] or None,
        }
    )


def image_object(photo: PhotoMeta, site: SiteInfo) -> Node:
    """One photo: its largest published JPEG with that file's size, caption and credit."""
    url = site.absolute(photo.src)
    return _clean(
        {
            "@type": "ImageObject",
            "contentUrl": url,
            "url": url,
            "caption": photo.caption or photo.alt,
            "description": photo.alt,
            "creditText": photo.credit,
            "width": photo.width,
            "height": photo.height,
            "thumbnailUrl": site.absolute(photo.thumbnail) if photo.thumbnail else None,
        }
    )


def video_object(video: VideoMeta, page: PageMeta, site: SiteInfo) -> Node:
    """A video of the page: the host's player (``embedUrl``) or the site's own file
    (``contentUrl``), with the poster (or the page's share image) as its thumbnail."""
    entry = page.entry
    played = site.absolute(video.url)
    thumbnail = site.absolute(video.thumbnail.src) if video.thumbnail else None
    seconds = video.video.duration_seconds
    return _clean(
        {
            "@type": "VideoObject",
            "name": video.video.title,
            "description": (entry.summary or entry.title) if entry else page.title,
            "thumbnailUrl": [thumbnail] if thumbnail else None,
            "uploadDate": iso(entry.date) if entry else None,
            "duration": iso_duration(seconds) if seconds else None,
            "inLanguage": entry.lang if entry else None,
            "embedUrl": None if video.video.is_local else played,
            "contentUrl": played if video.video.is_local else None,
        }
    )


def event_id(ref: EventRef, site: SiteInfo) -> str | None:
    """The ``@id`` of a show's MusicEvent: its row on the tour page."""
    page_url = site.absolute(ref.tour_path)
    return f"{page_url}#{show_anchor(ref.show)}" if page_url else None


def event(ref: EventRef, site: SiteInfo) -> Node:
    show = ref.show
    page_url = site.absolute(ref.tour_path)
    performer = [artist(site)] + [{"@type": "MusicGroup", "name": act} for act in show.support]
    show_url = event_id(ref, site)
    node: Node = {
        "@type": "MusicEvent",
        "@id": show_url,
        "name": event_name(show, site.artist_name),
        "description": show.notes or ref.tour.title,
        "url": show_url,
        "startDate": _moment(show.starts_at, show.has_time),
        "endDate": iso(show.starts_at + timedelta(minutes=site.show_minutes))
        if show.has_time
        else None,
        "doorTime": iso(show.doors_at) if show.doors_at else None,
        "eventStatus": SCHEMA + event_status(show),
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": _place(show),
        "performer": performer,
        "organizer": artist(site),
        "image": [image] if (image := _image_url(ref.image, site)) else None,
        "isAccessibleForFree": True if show.status == "free" else None,
        "offers": offers(show, page_url),
    }
    if show.previous_dates and show.is_active:
        moments = [_moment(moment, show.has_time) for moment in show.previous_dates]
        node["previousStartDate"] = moments[0] if len(moments) == 1 else moments
    return _clean(node)


def show_anchor(show: Show) -> str:
    """The id of the show's row on the tour page (the theme uses the same)."""
    return f"show-{slugify(show.uid)}"


def event_name(show: Show, artist_name: str) -> str:
    """``Artist — City, Venue``, as in the calendars; ``Artist — City`` while the venue is TBA."""
    if venue_to_be_announced(show):
        return f"{artist_name} — {show.city}"
    return f"{artist_name} — {show.city}, {show.venue}"


def event_status(show: Show) -> str:
    if show.status == "cancelled":
        return "EventCancelled"
    if show.status == "postponed":
        return "EventPostponed"
    if show.status == "rescheduled" or show.previous_dates:
        return "EventRescheduled"
    return "EventScheduled"


def offers(show: Show, page_url: str | None) -> Node | None:
    """Tickets: price or price range, currency, availability, on-sale date.

    Cancelled and postponed shows sell nothing and get no offer; an announced show whose sale
    opens later is ``InStock`` with ``validFrom`` the moment sales open.
    """
    if not show.is_active:
        return None
    free = show.status == "free"
    priced = show.price is not None or show.price_min is not None or show.price_max is not None
    if not (show.tickets or priced or free):
        return None
    node: Node = {
        "@type": "Offer",
        "url": show.tickets or page_url,
        "availability": SCHEMA + ("SoldOut" if show.status == "sold_out" else "InStock"),
        "validFrom": iso(show.on_sale_at) if show.on_sale_at else None,
    }
    if show.price_min is not None or show.price_max is not None:
        low = show.price_min if show.price_min is not None else show.price_max
        high = show.price_max if show.price_max is not None else show.price_min
        node.update(
            {"@type": "AggregateOffer", "lowPrice": _number(low), "highPrice": _number(high)}
        )
    elif show.price is not None or free:
        node["price"] = _number(show.price or 0)
    if priced or free:
        node["priceCurrency"] = show.currency or local_currency(show.country)
    return _clean(node)


@lru_cache(maxsize=256)
def local_currency(country: str) -> str | None:
    """The currency of a country (ISO 4217), for a price given without one."""
    found = get_territory_currencies(country, tender=True)
    return found[0] if found else None


def _moment(moment: datetime, has_time: bool) -> str:
    return iso(moment) if has_time else moment.date().isoformat()


def _place(show: Show) -> Node:
    """The venue and its address; for ``venue: TBA`` only what is known, the city (no place
    named "TBA", and no venue guessed)."""
    tba = venue_to_be_announced(show)
    return _clean(
        {
            "@type": "Place",
            "name": None if tba else show.venue,
            "address": _clean(
                {
                    "@type": "PostalAddress",
                    "streetAddress": show.address,
                    "addressLocality": show.city,
                    "addressRegion": show.region,
                    "addressCountry": show.country,
                }
            ),
        }
    )


def _image_url(image: ShareImage | None, site: SiteInfo) -> str | None:
    return site.absolute(image.src) if image else None


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _clean(node: Node) -> Node:
    """Drop properties without a value: no ``null`` in the output."""
    return {key: value for key, value in node.items() if value is not None}
