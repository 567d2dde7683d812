"""Every place fanpage reaches into Pelican's internals (Pelican 4.12), one function each.

Each function says which Pelican behaviour it replaces or repeats; ``tests/
test_pelican_internals.py`` fails when a Pelican upgrade changes what it relies on. Nothing
else in fanpage sets attributes of Pelican's objects or copies its code.
"""

from __future__ import annotations

import os
from typing import Any

# Every list of content objects Pelican's article and page generators keep.
CONTENT_LISTS: tuple[str, ...] = (
    *("articles", "translations", "hidden_articles", "hidden_translations"),
    *("drafts", "drafts_translations"),
    *("pages", "hidden_pages", "draft_pages", "draft_translations"),
)


def freeze_urls(generator: Any) -> None:
    """Compute each entry's URL once, through Pelican's own ``override_url``.

    Replaces: ``pelican.contents.Content.url``, a property that formats ``*_URL`` from the
    settings on every access (tens of thousands of times in a large build); once the entries
    are read, nothing it depends on changes. Relies on: ``url`` returning ``override_url``
    when set. (``save_as`` is left alone: overriding it would also relax Pelican's check
    against two pages writing one file.)
    """
    for name in CONTENT_LISTS:
        for content in getattr(generator, name, None) or ():
            content.override_url = content.url


class IndexedList(list):
    """A list whose ``in`` is a set lookup (its items never change once built)."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self._ids = {id(item) for item in items}

    def __contains__(self, item: object) -> bool:
        return id(item) in self._ids


def index_tag_lists(generator: Any) -> None:
    """Make Pelican's tag pages linear.

    Replaces: the lists in ``ArticlesGenerator.tags`` (tag -> articles), which
    ``generate_tags`` filters every date by with ``article in tag_articles``: a list search
    per article and tag, quadratic on large sites (about 10 s of a 20,000-entry build). Relies
    on: ``tags`` being a dict of lists, complete once the articles are read.
    """
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, articles in tags.items():
            tags[tag] = IndexedList(articles)


def replace_text(content: Any, entry: Any, html: str) -> None:
    """Give a content object new rendered text (a quick rebuild after an edit of its text).

    Replaces: what ``pelican.contents.Content.__init__`` sets from the reader (``_content``,
    the ``entry`` metadata) and forgets what ``get_content`` and ``get_summary`` memoized
    (``pelican.utils.memoized``: a ``cache`` dict keyed by ``(self, *args)``) for it.
    """
    content._content = html
    content.entry = entry
    content.metadata["entry"] = entry
    for memo in (content.get_content.cache, content.get_summary.cache):
        for key in [key for key in memo if key and key[0] is content]:
            del memo[key]


# Lists of draft content objects: their pages are written with every article as context.
DRAFT_LISTS: tuple[str, ...] = ("drafts", "drafts_translations")


def write_content_page(generator: Any, writer: Any, content: Any, keyword: str) -> str:
    """Write one entry's page as Pelican's generator would; returns its output path.

    Repeats: the ``writer.write_file`` calls of ``ArticlesGenerator.generate_articles`` and
    ``generate_drafts`` (``keyword`` "articles", "translations", "drafts"...) and of
    ``PagesGenerator.generate_output`` (``keyword`` "page"), with the same template context.
    """
    extra: dict[str, Any] = {}
    if keyword == "page":
        extra = {"page": content, "relative_urls": generator.settings["RELATIVE_URLS"]}
    else:
        extra = {"article": content, "category": getattr(content, "category", None), "blog": True}
        if keyword in DRAFT_LISTS:
            extra["all_articles"] = generator.articles
    writer.write_file(
        content.save_as,
        generator.get_template(content.template),
        generator.context,
        override_output=hasattr(content, "override_save_as"),
        url=content.url,
        **extra,
    )
    return content.save_as.replace(os.sep, "/")
