"""What an album or tour item says in a feed reader: tracklist and listen links, shows and status.

Readers show only the item's HTML, not the site's templates, so these fragments carry the
facts a fan wants: for an album its release, tracklist and where to listen; for a tour every
show with the local date and time as the venue sees it, and its status.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from fanpage.content.models import Album, Show, Tour
from fanpage.feeds.options import FeedSite
from fanpage.i18n import (
    country_label,
    format_day,
    format_long_date,
    format_price,
    format_time,
    release_type_label,
    translate,
)


def local_time(show: Show, lang: str, moment: datetime | None = None) -> str:
    """The show's day (and time, when known) on the venue's clock: "Sat, 14 Nov 2026, 8:00 PM"."""
    moment = moment or show.starts_at
    text = format_day(moment, lang)
    return f"{text}, {format_time(moment, lang)}" if show.has_time else text


def price_text(show: Show, lang: str) -> str | None:
    """ "IDR 300,000" or "IDR 350,000 – IDR 900,000"; None when the show has no price."""
    if not show.currency:
        return None
    amounts = [a for a in (show.price, show.price_min, show.price_max) if a is not None]
    if not amounts:
        return None
    return " – ".join(format_price(a, show.currency, lang) for a in amounts)


def place(show: Show, lang: str) -> str:
    """ "Tennis Indoor Senayan, Jakarta, Indonesia" (the country as the site's pages name it)."""
    country = country_label(show.country, lang)
    return ", ".join(part for part in (show.venue, show.city, show.region, country) if part)


def album_html(album: Album, lang: str, site: FeedSite) -> str:
    """Release facts, the tracklist with durations and the listen/buy links."""
    facts = [
        release_type_label(album.release_type, lang),
        format_long_date(album.release_date, lang),
    ]
    if album.label:
        facts.append(album.label)
    parts = [f"<p>{escape(' · '.join(facts))}</p>"]
    if album.tracks:
        parts.append(f"<h2>{escape(translate('Tracklist', lang))}</h2><ol>")
        for track in album.tracks:
            item = f"{escape(track.title)} ({track.duration})"
            if track.preview:
                preview = escape(site.url(track.preview), quote=True)
                item += f' <a href="{preview}">{escape(translate("Preview", lang))}</a>'
            parts.append(f"<li>{item}</li>")
        parts.append(
            f"</ol><p>{escape(translate('Total running time', lang))}: {album.total_duration}</p>",
        )
    if album.links:
        parts.append(f"<h2>{escape(translate('Listen and buy', lang))}</h2><ul>")
        for link in album.links:  # a service's name, or "Buy" in the item's language
            label = escape(translate(link.label, lang))
            parts.append(f'<li><a href="{escape(link.url, quote=True)}">{label}</a></li>')
        parts.append("</ul>")
    return "".join(parts)


def show_html(show: Show, lang: str) -> str:
    """One line per show: local date, place, status, tickets."""
    when = escape(local_time(show, lang))
    text = f'<time datetime="{show.starts_at.isoformat()}">{when}</time>'
    if show.doors_at and show.has_time:
        doors = translate("Doors {time}", lang, time=format_time(show.doors_at, lang))
        text += f" ({escape(doors)})"
    text += f" — {escape(place(show, lang))}"
    if show.support:
        text += f" ({escape(translate('with {names}', lang, names=', '.join(show.support)))})"
    text += f" — <strong>{escape(translate(show.status, lang))}</strong>"
    if show.previous_date is not None:
        before = escape(local_time(show, lang, show.previous_date))
        text += f" ({escape(translate('Was', lang))} <s>{before}</s>)"
    price = price_text(show, lang)
    if price and show.status != "free":
        text += f" · {escape(price)}"
    if show.tickets_available and show.tickets:
        tickets = escape(translate("Tickets", lang))
        text += f' · <a href="{escape(show.tickets, quote=True)}">{tickets}</a>'
    if show.notes:
        text += f"<br>{escape(show.notes)}"
    return f"<li>{text}</li>"


def tour_html(tour: Tour, lang: str) -> str:
    """Every show of the tour, in date order, past ones included."""
    shows = "".join(show_html(show, lang) for show in tour.shows)
    return f"<h2>{escape(translate('Shows', lang))}</h2><ul>{shows}</ul>"
