"""Jinja filters and globals the theme uses: Markdown fields, interface text, dates, links.

Functions that depend on the page's language take the Jinja context and read its language with
``page_lang``, so templates stay free of language plumbing.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from jinja2 import pass_context
from jinja2.runtime import Context

from fanpage.content.models import Show, Video, format_duration, iso_duration
from fanpage.content.slugs import slugify
from fanpage.engine import images, share
from fanpage.engine.context import clock_differs, venue_to_be_announced
from fanpage.engine.markdown_render import markdown_cache
from fanpage.i18n import (
    LANGUAGE_NAMES,
    country_label,
    dates,
    list_title,
    release_type_label,
    translate,
)
from fanpage.i18n.lists import alternates_for, list_url
from fanpage.paths import THEME_DIR
from fanpage.settings import Settings
from fanpage.urls import is_absolute, site_url

if TYPE_CHECKING:
    from fanpage.engine.run import Build
    from fanpage.media.plan import Rendition

# Pelican's Jinja environment does not escape output. The theme's own templates are escaped
# (a title with a quote or "</script>" must stay text); partials owned elsewhere keep their mode.
ESCAPED_TEMPLATES: frozenset[str] = frozenset(
    path.name
    for path in (THEME_DIR / "templates").glob("*.html")
    if path.name not in ("_head_meta.html",)
)


def install(
    env: Any, settings: Settings, markdown_settings: dict[str, Any], build: Build | None = None
) -> None:
    """Register everything on a generator's Jinja environment (called once per generator).

    Feed, calendar and webcal helpers are the feeds room's (:mod:`fanpage.feeds.hooks`),
    ``fp_head_meta`` the metadata room's. ``build`` gives the images' derived sizes
    (``fp_rendition``); it is read when a page is rendered, not now.
    """
    _escape_theme_templates(env)
    renderer = markdown_cache(markdown_settings)
    sizes = images.ImageSizes(settings.content_dir)
    base = settings.siteurl

    def fp_rendition(path: str | None) -> Rendition | None:
        """Every derived size of the content image ``path`` (None for a URL, an image the
        build did not plan, or a run without the media pipeline): ``<picture>`` is made of it."""
        media = build.media if build is not None else None
        if media is None or not path or is_remote(path):
            return None
        return media.get(path.lstrip("/"))

    def fp_srcset(rendition: Rendition, mime: str, thumbnail: bool = False) -> str:
        """``srcset`` of one format (or of its square thumbnail), the site's address before
        each file."""
        chosen = [rendition.thumbnail(mime)] if thumbnail else rendition.of(mime)
        return ", ".join(f"{site_url(base, v.path)} {v.width}w" for v in chosen)

    @pass_context
    def page_lang(context: Context) -> str:
        """The page's language: set for generated list pages, else its entry's."""
        lang = context.get("ui_lang")
        if lang:
            return lang
        item = context.get("article") or context.get("page")
        return getattr(item, "lang", None) or settings.default_lang

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
        """ "IDR 300,000", "IDR 350,000–900,000", "from IDR 350,000", "up to IDR 900,000": in the
        page's language; empty when no price is known."""
        lang = page_lang(context)
        if not show.currency:
            return ""
        if show.price is not None:
            return dates.format_price(show.price, show.currency, lang)
        low, high = show.price_min, show.price_max
        if low is not None and high is not None:
            return dates.format_price_range(low, high, show.currency, lang)
        if low is not None:
            return translate(
                "from {price}", lang, price=dates.format_price(low, show.currency, lang)
            )
        if high is not None:
            return translate(
                "up to {price}", lang, price=dates.format_price(high, show.currency, lang)
            )
        return ""

    @pass_context
    def fp_zone(context: Context, show: Show) -> tuple[str, str] | None:
        """(abbreviation, full name) of the show's time zone when its clock is not the site's:
        ("AEDT", "Australian Eastern Daylight Time"); None for a show on the site's clock."""
        if not show.has_time or not clock_differs(show, settings.timezone):
            return None
        label = dates.zone_label(show.starts_at)
        name = dates.zone_name(show.starts_at, page_lang(context))
        return label, name

    @pass_context
    def fp_country(context: Context, code: str) -> str:
        """The country's name in the page's language."""
        return country_label(code, page_lang(context))

    @pass_context
    def fp_release_type(context: Context, release_type: str) -> str:
        return release_type_label(release_type, page_lang(context))

    @pass_context
    def fp_status(context: Context, status: str) -> str:
        return translate(status, page_lang(context))

    @pass_context
    def fp_alternates(context: Context) -> list[Any]:
        """The same page in every language, for the language switcher."""
        return alternates_for(
            context, page_lang(context), settings.languages, settings.default_lang
        )

    @pass_context
    def fp_list_url(context: Context, key: str, page: int = 1) -> str:
        """A list page (home, news, albums, tours) in the page's language, site-relative."""
        return list_url(key, page_lang(context), settings.default_lang, page)

    @pass_context
    def fp_list_title(context: Context, key: str, **values: object) -> str:
        """The name of a list page (news, albums, tours, tags...) in the page's language: its
        ``<title>`` and heading say it, and so does its share preview."""
        return list_title(key, page_lang(context), **values)

    @pass_context
    def fp_localize(context: Context, item: Any) -> Any:
        """The translation of ``item`` in the page's language, else ``item`` itself."""
        lang = page_lang(context)
        if getattr(item, "lang", lang) == lang:
            return item
        return next((t for t in getattr(item, "translations", ()) if t.lang == lang), item)

    env.filters.update(
        {
            "markdown": renderer.render_markup,
            "duration": format_duration,
            "fp_date": fp_date,
            "fp_day": fp_day,
            "fp_time": fp_time,
            "fp_price": fp_price,
            "fp_zone": fp_zone,
            "fp_venue_tba": venue_to_be_announced,
            "fp_variant": variant,
            "fp_country": fp_country,
            "fp_release_type": fp_release_type,
            "fp_status": fp_status,
            "fp_asset": lambda path: site_url(base, path) if path else "",
            "fp_absolute": lambda url: site_url(base, url),
            "fp_show_id": show_id,
            "fp_show_on": show_on,
            "fp_iso_duration": iso_duration,
            "fp_srcset": fp_srcset,
            "fp_video_type": video_type,
            "fp_embed_autoplay": embed_autoplay,
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
            "fp_list_url": fp_list_url,
            "fp_list_title": fp_list_title,
            "fp_share_links": share.share_links,
            "fp_mastodon_fallback": share.MASTODON_FALLBACK,
            "fp_network_label": share.network_label,
            "fp_image_size": sizes.size,
            "fp_rendition": fp_rendition,
            "fp_video_host_label": lambda host: VIDEO_HOST_LABELS.get(host or "", host or ""),
        }
    )


# How a video host is named on the page ("on YouTube").
VIDEO_HOST_LABELS: dict[str, str] = {"youtube": "YouTube", "vimeo": "Vimeo", "peertube": "PeerTube"}
# A local video's file suffix -> the type its ``<source>`` declares.
VIDEO_TYPES: dict[str, str] = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".ogg": "video/ogg",
    ".mov": "video/quicktime",
}


def is_remote(path: str) -> bool:
    return is_absolute(path) or path.startswith("//") or "://" in path


def video_type(video: Video) -> str:
    """The MIME type of a local video's file, from its suffix (``video/mp4`` when unknown)."""
    suffix = "." + (video.src or "").rsplit(".", 1)[-1].lower()
    return VIDEO_TYPES.get(suffix, "video/mp4")


def embed_autoplay(url: str) -> str:
    """The player's address that starts playing at once: the fan has just clicked play."""
    return url + ("&" if "?" in url else "?") + "autoplay=1"


def show_id(show: Show) -> str:
    """The id of a show's row on its tour page (the JSON-LD event's URL ends with it too)."""
    return "show-" + slugify(show.uid)


def show_on(show: Show, tour: Any) -> Show:
    """``show`` as the page of ``tour`` lists it. A translated tour lists the same shows with its
    own words (notes) and uids, so a list in its language takes its show of the same start and
    city; the show itself when there is none."""
    shows = getattr(getattr(tour, "entry", None), "shows", ())
    if any(other is show for other in shows):
        return show
    same = (s for s in shows if s.starts_at == show.starts_at and s.city == show.city)
    return next(same, show)


def variant(text: str, count: int = 6) -> int:
    """A stable number in ``range(count)`` for ``text``: the colours of a drawn cover."""
    return zlib.crc32(text.encode("utf-8")) % count


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
