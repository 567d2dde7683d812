"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the standard library.

Keys are sorted and non-ASCII text is written as UTF-8, so the same items give the same bytes.
Texts go in through :func:`fanpage.feeds.fields.field_text`: ``content_html`` is HTML, every
other text (``title``, ``summary``, ``description``, tags) is plain text as written.
"""

from __future__ import annotations

import json
from typing import Any

from fanpage.feeds.fields import Html, field_text
from fanpage.feeds.items import FeedItem
from fanpage.feeds.options import FeedSite
from fanpage.feeds.spec import FeedSpec, description

VERSION = "https://jsonfeed.org/version/1.1"


def json_item(item: FeedItem) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "url": item.url,
        "title": field_text("json", "title", item.title),
        "content_html": field_text("json", "content_html", Html(item.content_html)),
        "summary": field_text("json", "summary", item.summary),
        "date_published": item.published.isoformat(),
        "authors": [{"name": item.author}],
        "language": item.lang,
    }
    if item.modified is not None:
        data["date_modified"] = item.modified.isoformat()
    if item.tags:
        data["tags"] = [field_text("json", "tag", tag) for tag in item.tags]
    if item.image:
        data["image"] = item.image
    attachments = [
        {
            "url": a.url,
            "mime_type": a.mime,
            "title": field_text("json", "attachment title", a.title),
            **({"size_in_bytes": a.size} if a.size is not None else {}),
        }
        for a in item.attachments
    ]
    # A gallery's photos, each titled with its alt text (JSON Feed 1.1 attachments: url,
    # mime_type, title, size_in_bytes, duration_in_seconds; a derived file's size is not known
    # while the feed is written beside the resizing, so it is left out).
    attachments += [
        {
            "url": photo.url,
            "mime_type": photo.mime,
            "title": field_text("json", "attachment title", photo.alt),
        }
        for photo in item.photos
    ]
    if attachments:
        data["attachments"] = attachments
    return data


def render_json_feed(spec: FeedSpec, items: list[FeedItem], site: FeedSite) -> bytes:
    """The JSON Feed of ``items`` (already selected and ordered, newest first)."""
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": field_text("json", "title", spec.title),
        "home_page_url": spec.home,
        "feed_url": site.url(spec.path("json")),
        "description": field_text("json", "description", description(site, spec.lang)),
        "authors": [{"name": site.artist, "url": site.url("")}],
        "language": spec.lang,
        "items": [json_item(item) for item in items],
    }
    if site.icon_url:
        feed["icon"] = site.icon_url
    if site.hub:
        feed["hubs"] = [{"type": "WebSub", "url": site.hub}]
    text = json.dumps(feed, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")
