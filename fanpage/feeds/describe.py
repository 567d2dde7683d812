"""What an album or tour item says in a feed reader: tracklist and listen links, shows and status.

Readers show only the item's HTML, not the site's templates, so these fragments carry the
facts a fan wants: for an album its release, tracklist and where to listen; for a tour every
show with the local date and time as the venue sees it, and its status.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from html import escape

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from fanpage.content.fields import country_name
from fanpage.content.models import Album, Show, Tour
from fanpage.feeds.options import FeedSite

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "tracklist": "Tracklist",
        "total": "Total running time",
        "listen": "Listen and buy",
        "shows": "Shows",
        "doors": "doors",
        "support": "with",
        "tickets": "Tickets",
        "previously": "previously",
        "preview": "preview",
        "announced": "Announced",
        "on_sale": "On sale",
        "sold_out": "Sold out",
        "cancelled": "Cancelled",
        "postponed": "Postponed",
        "rescheduled": "Rescheduled",
        "free": "Free entry",
        "album": "Album",
        "ep": "EP",
        "single": "Single",
        "live": "Live album",
        "compilation": "Compilation",
    },
    "id": {
        "tracklist": "Daftar lagu",
        "total": "Durasi total",
        "listen": "Dengarkan dan beli",
        "shows": "Jadwal konser",
        "doors": "pintu dibuka",
        "support": "bersama",
        "tickets": "Tiket",
        "previously": "sebelumnya",
        "preview": "cuplikan",
        "announced": "Diumumkan",
        "on_sale": "Tiket dijual",
        "sold_out": "Tiket habis",
        "cancelled": "Dibatalkan",
        "postponed": "Ditunda",
        "rescheduled": "Dijadwal ulang",
        "free": "Gratis",
        "album": "Album",
        "ep": "EP",
        "single": "Singel",
        "live": "Album live",
        "compilation": "Kompilasi",
    },
}


def label(key: str, lang: str) -> str:
    return LABELS.get(lang, LABELS["en"]).get(key) or LABELS["en"].get(key, key)


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, LookupError):
        return Locale.parse("en")


@lru_cache(maxsize=4096)
def long_date(day: date, lang: str) -> str:
    return format_date(day, format="long", locale=_locale(lang))


@lru_cache(maxsize=4096)
def show_day(day: date, lang: str) -> str:
    return format_date(day, format="EEE d MMM y", locale=_locale(lang))


def local_time(show: Show, lang: str, moment: datetime | None = None) -> str:
    """The show's date (and time, when known) as written at the venue: "Sat 14 Nov 2026, 20:00"."""
    moment = moment or show.starts_at
    text = show_day(moment.date(), lang)
    return f"{text}, {moment:%H:%M}" if show.has_time else text


def price_text(show: Show, lang: str) -> str | None:
    """ "IDR 300,000" or "IDR 350,000–900,000"; None when the show has no price."""
    if not show.currency:
        return None
    amounts = [a for a in (show.price, show.price_min, show.price_max) if a is not None]
    if not amounts:
        return None
    locale = _locale(lang)
    shown = "–".join(format_decimal(a, locale=locale) for a in amounts)
    return f"{show.currency} {shown}"


def place(show: Show) -> str:
    """ "Tennis Indoor Senayan, Jakarta, Indonesia"."""
    return ", ".join(
        part for part in (show.venue, show.city, show.region, country_name(show.country)) if part
    )


def album_html(album: Album, lang: str, site: FeedSite) -> str:
    """Release facts, the tracklist with durations and the listen/buy links."""
    facts = [label(album.release_type, lang), long_date(album.release_date, lang)]
    if album.label:
        facts.append(album.label)
    parts = [f"<p>{escape(' · '.join(facts))}</p>"]
    if album.tracks:
        parts.append(f"<h2>{escape(label('tracklist', lang))}</h2><ol>")
        for track in album.tracks:
            item = f"{escape(track.title)} ({track.duration})"
            if track.preview:
                preview = escape(site.url(track.preview), quote=True)
                item += f' <a href="{preview}">{escape(label("preview", lang))}</a>'
            parts.append(f"<li>{item}</li>")
        parts.append(
            f"</ol><p>{escape(label('total', lang))}: {album.total_duration}</p>",
        )
    if album.links:
        parts.append(f"<h2>{escape(label('listen', lang))}</h2><ul>")
        parts.extend(
            f'<li><a href="{escape(link.url, quote=True)}">{escape(link.label)}</a></li>'
            for link in album.links
        )
        parts.append("</ul>")
    return "".join(parts)


def show_html(show: Show, lang: str) -> str:
    """One line per show: local date, place, status, tickets."""
    when = escape(local_time(show, lang))
    text = f'<time datetime="{show.starts_at.isoformat()}">{when}</time>'
    if show.doors_at and show.has_time:
        text += f" ({escape(label('doors', lang))} {show.doors_at:%H:%M})"
    text += f" — {escape(place(show))}"
    if show.support:
        text += f" ({escape(label('support', lang))} {escape(', '.join(show.support))})"
    text += f" — <strong>{escape(label(show.status, lang))}</strong>"
    if show.previous_date is not None:
        before = escape(local_time(show, lang, show.previous_date))
        text += f" ({escape(label('previously', lang))} <s>{before}</s>)"
    price = price_text(show, lang)
    if price and show.status != "free":
        text += f" · {escape(price)}"
    if show.tickets_available and show.tickets:
        text += (
            f' · <a href="{escape(show.tickets, quote=True)}">{escape(label("tickets", lang))}</a>'
        )
    if show.notes:
        text += f"<br>{escape(show.notes)}"
    return f"<li>{text}</li>"


def tour_html(tour: Tour, lang: str) -> str:
    """Every show of the tour, in date order, past ones included."""
    shows = "".join(show_html(show, lang) for show in tour.shows)
    return f"<h2>{escape(label('shows', lang))}</h2><ul>{shows}</ul>"
