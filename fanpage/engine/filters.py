"""Jinja filters and globals the theme uses: Markdown fields, interface text, dates, links.

Functions that depend on the page's language take the Jinja context and read its language with
:func:`page_lang`, so templates stay free of language plumbing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from fanpage.content.fields import country_name
from fanpage.content.models import Show, format_duration
from fanpage.content.slugs import slugify
from fanpage.engine import images, share
from fanpage.engine.markdown_render import markdown_cache
from fanpage.feeds import locations
from fanpage.i18n import LANGUAGE_NAMES, dates, release_type_label, translate
from fanpage.i18n.lists import alternates_for, list_url
from fanpage.paths import THEME_DIR

# Pelican's Jinja environment does not escape output. The theme's own templates are escaped
# (a title with a quote or "</script>" must stay text); partials owned elsewhere keep their mode.
ESCAPED_TEMPLATES: frozenset[str] = frozenset(
    path.name
    for path in (THEME_DIR / "templates").glob("*.html")
    if path.name not in ("_head_meta.html",)
)


def install(env: Any, settings: dict[str, Any]) -> None:
    """Register everything on a generator's Jinja environment (called once per generator)."""
    _escape_theme_templates(env)
    renderer = markdown_cache(settings.get("MARKDOWN", {}))
    site_url = settings.get("SITEURL", "")
    sizes = images.ImageSizes(settings.get("PATH", "content"))
    env.filters.update(
        {
            "markdown": renderer.render_markup,
            "duration": format_duration,
            "country_name": country_name,
            "isodate": lambda moment: moment.isoformat() if moment else "",
            "strftime_local": _strftime,
            "fp_date": fp_date,
            "fp_day": fp_day,
            "fp_time": fp_time,
            "fp_price": fp_price,
            "fp_country": fp_country,
            "fp_release_type": fp_release_type,
            "fp_status": fp_status,
            "fp_show_ics": lambda show: _site_path(site_url, locations.show_calendar_path(show)),
            "fp_tour_ics": lambda tour: _site_path(site_url, locations.tour_calendar_path(tour)),
            "fp_asset": lambda path: _asset_url(site_url, path),
            "fp_absolute": lambda url: _absolute(site_url, url),
            "fp_show_id": lambda show: "show-" + slugify(show.uid),
            "fp_iso_duration": iso_duration,
            "fp_webcal": lambda url: webcal(url) or url,
        }
    )
    env.globals.update(
        {
            "_": fp_translate,
            "fp_translate_to": lambda lang, message, **values: translate(message, lang, **values),
            "fp_lang": page_lang,
            "fp_language_name": lambda code: LANGUAGE_NAMES.get(code, code),
            "fp_alternates": fp_alternates,
            "fp_localize": fp_localize,
            "fp_share_links": share.share_links,
            "fp_mastodon_fallback": share.MASTODON_FALLBACK,
            "fp_network_label": share.network_label,
            "fp_list_url": fp_list_url,
            "fp_image_size": sizes.size,
            # Feeds and calendars exist (same rule as the feeds plugin's fp_feeds_enabled).
            "fp_feeds_on": bool(settings.get("WRITE_FEEDS", True)),
            # Used when the feeds plugin's fp_feed_links_for is not installed.
            "fp_theme_feeds": locations.feed_links(settings.get("SITENAME", "")),
            "fp_tours_ics_url": _site_path(site_url, locations.ALL_TOURS_CALENDAR),
            "fp_tours_webcal": webcal(_site_path(site_url, locations.ALL_TOURS_CALENDAR)),
        }
    )


def _escape_theme_templates(env: Any) -> None:
    previous = env.autoescape
    if getattr(previous, "fanpage_theme", False):
        return

    def autoescape(name: str | None) -> bool:
        if name in ESCAPED_TEMPLATES:
            return True
        return bool(previous(name) if callable(previous) else previous)

    autoescape.fanpage_theme = True  # type: ignore[attr-defined]
    env.autoescape = autoescape


@pass_context
def page_lang(context: Context) -> str:
    """The language the page is written in: set for generated list pages, else its entry's."""
    lang = context.get("ui_lang")
    if lang:
        return lang
    item = context.get("article") or context.get("page")
    return getattr(item, "lang", None) or context.get("DEFAULT_LANG") or "en"


@pass_context
def fp_translate(context: Context, message: str, **values: object) -> str:
    return translate(message, page_lang(context), **values)


@pass_context
def fp_date(context: Context, moment: date | None) -> str:
    return dates.format_long_date(moment, page_lang(context)) if moment else ""


@pass_context
def fp_day(context: Context, moment: date | None) -> str:
    return dates.format_day(moment, page_lang(context)) if moment else ""


@pass_context
def fp_time(context: Context, moment: datetime | None) -> str:
    return dates.format_time(moment, page_lang(context)) if moment else ""


@pass_context
def fp_price(context: Context, show: Show) -> str:
    """ "IDR 300,000", or "from IDR 350,000" for a range; empty when no price is known."""
    lang = page_lang(context)
    if not show.currency:
        return ""
    if show.price is not None:
        return dates.format_price(show.price, show.currency, lang)
    if show.price_min is not None:
        low = dates.format_price(show.price_min, show.currency, lang)
        return translate("from {price}", lang, price=low)
    return ""


@pass_context
def fp_country(context: Context, code: str) -> str:
    """The country's name in the page's language (Babel's territory names)."""
    return dates.locale_for(page_lang(context)).territories.get(code) or country_name(code)


@pass_context
def fp_release_type(context: Context, release_type: str) -> str:
    return release_type_label(release_type, page_lang(context))


@pass_context
def fp_status(context: Context, status: str) -> str:
    return translate(status, page_lang(context))


@pass_context
def fp_alternates(context: Context) -> list[Any]:
    """The same page in every language, for the language switcher."""
    return alternates_for(context, page_lang(context))


@pass_context
def fp_list_url(context: Context, key: str, page: int = 1) -> str:
    """A list page (home, news, albums, tours) in the page's language, site-relative."""
    default = context.get("DEFAULT_LANG") or "en"
    return list_url(key, page_lang(context), default, page)


@pass_context
def fp_localize(context: Context, item: Any) -> Any:
    """The translation of ``item`` in the page's language, else ``item`` itself."""
    lang = page_lang(context)
    if getattr(item, "lang", lang) == lang:
        return item
    return next((t for t in getattr(item, "translations", ()) if t.lang == lang), item)


def iso_duration(seconds: int) -> str:
    """``PT4M21S``: a machine-readable duration for ``<time datetime>``."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def _site_path(site_url: str, path: str) -> str:
    return f"{site_url}/{path}"


def _asset_url(site_url: str, path: str | None) -> str:
    """A content path (``images/x.jpg``) as a URL; absolute URLs stay as they are."""
    if not path:
        return ""
    if path.startswith(("http://", "https://", "//")):
        return path
    return f"{site_url}/{path.lstrip('/')}"


def _absolute(site_url: str, url: str) -> str:
    """Share links need the page's full address; in development that is only a path."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{site_url}/{url.lstrip('/')}" if site_url else f"/{url.lstrip('/')}"


def webcal(url: str) -> str:
    """``webcal://`` makes calendar apps subscribe instead of importing once; "" for a path."""
    if not url.startswith(("http://", "https://")):
        return ""
    return "webcal://" + url.split("://", 1)[1]


def _strftime(moment: datetime | None, pattern: str) -> str:
    return moment.strftime(pattern) if moment else ""
