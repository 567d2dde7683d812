"""A Pelican reader for fanpage's Markdown files that reuses the entries read before the build.

The content was parsed and validated once by :func:`fanpage.content.load_content`; this reader
only renders the body and maps the entry to the metadata Pelican understands.
"""

from __future__ import annotations

from typing import Any, ClassVar

from markupsafe import escape
from pelican.readers import BaseReader, MarkdownReader
from pelican.urlwrappers import Category, Tag
from pelican.utils import SafeDatetime

from fanpage.content.models import Album, Entry, Gallery, NewsPost, Page, Tour, section_of
from fanpage.engine.markdown_render import markdown_cache
from fanpage.engine.media import rewrite_body_images
from fanpage.engine.run import build_of

TEMPLATE_OF: dict[type[Entry], str] = {
    NewsPost: "article",
    Album: "album",
    Tour: "tour",
    Gallery: "gallery",
    Page: "page",
}


def safe_datetime(moment):
    return SafeDatetime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        tzinfo=moment.tzinfo,
    )


def pelican_metadata(entry: Entry, settings: dict[str, Any]) -> dict[str, Any]:
    """The metadata Pelican expects for ``entry``, plus the entry itself as ``entry``."""
    metadata: dict[str, Any] = {
        "title": entry.title,
        "slug": entry.slug,
        "lang": entry.lang,
        "status": entry.status,
        "template": TEMPLATE_OF[type(entry)],
        "entry": entry,
        "uid": entry.uid,
    }
    if entry.date is not None:
        metadata["date"] = safe_datetime(entry.date)
    if entry.modified is not None:
        metadata["modified"] = safe_datetime(entry.modified)
    if entry.summary:
        metadata["summary"] = str(escape(entry.summary))
    if entry.tags:
        metadata["tags"] = [Tag(tag, settings) for tag in entry.tags]
    category = section_of(entry)  # a section is Pelican's category
    if category:
        metadata["category"] = Category(category, settings)
    return metadata


class FanpageReader(BaseReader):
    """Reads ``.md`` files under the content sections via the fanpage model."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        self._markdown = markdown_cache(settings["MARKDOWN"])

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        build = build_of(self.settings)
        if build is None:
            # Pelican picks up every BaseReader subclass of the process, also for a plain
            # Pelican run beside fanpage (the benchmark's baseline): read as Pelican would.
            return MarkdownReader(self.settings).read(source_path)
        entry = build.content.entry_for(source_path)
        if entry is None:
            # Not an entry (invalid files stop the build before Pelican runs): keep it unpublished.
            return "", {"title": source_path, "status": "draft", "template": "page"}
        html = self._markdown.render(entry.body)
        if build.media is not None:
            html = rewrite_body_images(html, build.media, build.settings.siteurl)
        return html, pelican_metadata(entry, self.settings)
