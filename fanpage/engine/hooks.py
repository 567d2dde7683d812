"""Functions the Pelican plugins connect to signals; each does one small thing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fanpage.content.problems import ContentError
from fanpage.content.site import ContentSettings, SiteContent, load_content
from fanpage.engine import filters
from fanpage.engine.context import template_context
from fanpage.engine.markdown_render import markdown_cache
from fanpage.engine.reader import FanpageReader


def ensure_content_loaded(pelican: Any) -> None:
    """When Pelican runs on its own (``pelican content``), read the content here instead."""
    settings = pelican.settings
    if "FANPAGE_CONTENT" in settings:
        return
    site_dir = Path(settings.get("FANPAGE_SITE_DIR") or Path.cwd())
    content = load_content(
        ContentSettings(
            site_dir=site_dir,
            content_dir=Path(settings["PATH"]),
            timezone=settings.get("TIMEZONE") or "UTC",
            default_lang=settings.get("DEFAULT_LANG", "en"),
            languages=tuple(settings.get("LANGUAGES", ("en", "id"))),
        )
    )
    if content.problems.errors:
        raise ContentError(content.problems)
    settings["FANPAGE_CONTENT"] = content


def prerender_markdown(pelican: Any) -> None:
    """Render every body and lyric of the build up front, on all cores, reusing earlier HTML."""
    settings = pelican.settings
    content: SiteContent | None = settings.get("FANPAGE_CONTENT")
    if content is not None:
        markdown_cache(settings.get("MARKDOWN", {})).prepare(content.markdown_texts())


def install_reader(readers: Any) -> None:
    """Read Markdown through fanpage (Pelican's signals are process-wide: only in its builds)."""
    if "FANPAGE_CONTENT" in readers.settings:
        readers.reader_classes["md"] = FanpageReader


# Every list of content objects Pelican's article and page generators keep.
_CONTENT_LISTS = (
    *("articles", "translations", "hidden_articles", "hidden_translations"),
    *("drafts", "drafts_translations"),
    *("pages", "hidden_pages", "draft_pages", "draft_translations"),
)


def freeze_urls(generator: Any) -> None:
    """Compute each entry's URL once, through Pelican's own ``override_url``.

    Pelican formats it from the settings on every access (tens of thousands of times in a
    large build); once the entries are read, nothing it depends on changes. (``save_as`` is
    left alone: overriding it would also relax Pelican's check against two pages writing one
    file.)
    """
    for name in _CONTENT_LISTS:
        for content in getattr(generator, name, None) or ():
            content.override_url = content.url


class _IndexedList(list):
    """A list whose ``in`` is a set lookup (its items never change once built)."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self._ids = {id(item) for item in items}

    def __contains__(self, item: object) -> bool:
        return id(item) in self._ids


def index_tag_lists(generator: Any) -> None:
    """Make Pelican's tag pages linear: it filters every date by ``article in tag_articles``.

    That list search per article and tag turns quadratic on large sites (about 10 s of a
    20,000-entry build); the tag lists are complete once the articles are read.
    """
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, articles in tags.items():
            tags[tag] = _IndexedList(articles)


def add_template_helpers(generator: Any) -> None:
    env = getattr(generator, "env", None)
    if env is not None:
        filters.install(env, generator.settings)


def add_template_context(generators: list[Any]) -> None:
    articles_generator = next((g for g in generators if hasattr(g, "articles")), None)
    if articles_generator is None:
        return
    context = articles_generator.context
    context.update(template_context(articles_generator.articles, articles_generator.settings))
