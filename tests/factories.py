"""Models for unit tests, one factory each: what a test does not say is a plain, valid default.

Every factory takes the model's own fields as keywords to change (``news(title="Hi")``);
:func:`settings` takes the typed settings' attribute names (``settings(feed_max_items=2)``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fanpage import settings as declared
from fanpage.content.models import (
    Album,
    Gallery,
    NewsPost,
    Page,
    Photo,
    Show,
    Tour,
    Video,
    section_of,
)
from fanpage.content.problems import ProblemList
from fanpage.content.published import PublishedEntry
from fanpage.content.video import parse_video_url
from fanpage.settings import Settings

JAKARTA = ZoneInfo("Asia/Jakarta")
SITEURL = "https://band.example"


def news(uid: str = "news/a", day: int = 2, lang: str = "en", **changes: Any) -> NewsPost:
    """A news post of 2026-03-``day`` at 10:00 in Jakarta."""
    values: dict[str, Any] = {
        "uid": uid,
        "title": f"Post {uid}",
        "slug": uid.rsplit("/", 1)[-1],
        "lang": lang,
        "date": datetime(2026, 3, day, 10, 0, tzinfo=JAKARTA),
        "source_path": f"content/{uid}.md",
    }
    return NewsPost(**{**values, **changes})


def page(uid: str = "pages/about", **changes: Any) -> Page:
    values: dict[str, Any] = {
        "uid": uid,
        "title": "About",
        "slug": uid.rsplit("/", 1)[-1],
        "lang": "en",
        "date": datetime(2026, 1, 1, tzinfo=JAKARTA),
        "source_path": f"content/{uid}.md",
    }
    return Page(**{**values, **changes})


def album(uid: str = "albums/x", **changes: Any) -> Album:
    """An album released (and announced) on 2026-01-01."""
    values: dict[str, Any] = {
        "uid": uid,
        "title": "X",
        "slug": uid.rsplit("/", 1)[-1],
        "lang": "en",
        "date": datetime(2026, 1, 1, tzinfo=JAKARTA),
        "source_path": f"content/{uid}.md",
        "release_date": date(2026, 1, 1),
    }
    return Album(**{**values, **changes})


def show(uid: str = "t/2026-11-14-jakarta", **changes: Any) -> Show:
    """A show at 20:00 on 2026-11-14 in Jakarta."""
    values: dict[str, Any] = {
        "uid": uid,
        "starts_at": datetime(2026, 11, 14, 20, 0, tzinfo=JAKARTA),
        "has_time": True,
        "timezone": "Asia/Jakarta",
        "venue": "Tennis Indoor Senayan",
        "city": "Jakarta",
        "country": "ID",
    }
    return Show(**{**values, **changes})


def tour(*shows: Show, **changes: Any) -> Tour:
    values: dict[str, Any] = {
        "uid": "t",
        "title": "Test Tour",
        "slug": "test-tour",
        "lang": "en",
        "date": datetime(2026, 8, 1, tzinfo=JAKARTA),
        "source_path": "content/tours/t.md",
        "shows": shows,
    }
    return Tour(**{**values, **changes})


def published(
    entry: Any, path: str | None = None, html: str = "", **changes: Any
) -> PublishedEntry:
    """``entry`` as a build published it at ``path`` (default: its section and slug)."""
    if path is None:
        section = section_of(entry)
        path = f"{section}/{entry.slug}/" if section else f"{entry.slug}/"
    return PublishedEntry(entry, path, f"{SITEURL}/{path}", html, **changes)


def settings(**changes: Any) -> Settings:
    """Every setting at its declared default (as ``validate`` gives it), then ``changes``.

    ``sitename`` alone also names the artist, as an unset ARTIST_NAME does.
    """
    values = declared.validate({}, Path("/nowhere/pelicanconf.py"), "pelicanconf.py", ProblemList())
    if "sitename" in changes and "artist_name" not in changes:
        changes["artist_name"] = changes["sitename"]
    base = declared.settings_from(
        values,
        site_dir=Path("/site"),
        content_dir=Path("/site/content"),
        output_dir=Path("/site/output"),
    )
    return replace(base, **changes)


def video(url: str | None = "https://www.youtube.com/watch?v=Xq3vT8pLw2M", **changes: Any) -> Video:
    """A hosted YouTube video (``url=None, src=...`` for a local file), no poster."""
    values: dict[str, Any] = {"title": "Arus Balik (Official Video)", "url": url}
    if url is not None and "host" not in changes:
        link = parse_video_url(url)
        values.update(host=link.host, video_id=link.video_id, embed_url=link.embed_url)
    return Video(**{**values, **changes})


def gallery(uid: str = "galleries/g", photos: int = 3, **changes: Any) -> Gallery:
    """A gallery of 2026-11-15 with ``photos`` described photos images/shows/g/01.jpg, ..."""
    values: dict[str, Any] = {
        "uid": uid,
        "title": "Jakarta, night one",
        "slug": uid.rsplit("/", 1)[-1],
        "lang": "en",
        "date": datetime(2026, 11, 15, 12, 0, tzinfo=JAKARTA),
        "source_path": f"content/{uid}.md",
        "photos": tuple(
            Photo(f"images/shows/g/{n:02d}.jpg", f"Photo {n} of the show", line=6 + n)
            for n in range(1, photos + 1)
        ),
    }
    return Gallery(**{**values, **changes})
