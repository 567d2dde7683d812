"""Builds again and again in one process (``fanpage serve``), rendering only what an edit affects.

Most saves while writing change the text of an entry and nothing else. Only two outputs depend
on an entry's text: its own page and the feeds that carry it. Lists, tag pages, the home page,
calendars, share cards and the sitemap are made from front matter alone (the theme shows a
body nowhere else). So such an edit is rendered in place, on the previous build's Pelican
objects. Any other change (front matter, a file added or removed, an image, settings, the
theme) builds everything again, with Markdown already rendered for every unchanged text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.writers import Writer

from fanpage.config import SiteConfig, load_config
from fanpage.content.models import Entry
from fanpage.content.site import reread_entry
from fanpage.engine.build import CheckedSite, build_site
from fanpage.engine.markdown_render import markdown_cache
from fanpage.engine.media import body_images, rewrite_body_images
from fanpage.engine.pelican_internals import DRAFT_LISTS, replace_text, write_content_page
from fanpage.engine.published import published_entries
from fanpage.engine.run import build_of
from fanpage.feeds.options import feed_site
from fanpage.feeds.plan import feed_files, write_files
from fanpage.paths import THEME_DIR

Snapshot = dict[Path, tuple[int, int]]

# Pelican's lists of content objects, with the keyword each one's template gets it as.
_ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations")
_PAGE_LISTS = (
    *("pages", "translations", "hidden_pages", "hidden_translations"),
    *("draft_pages", "draft_translations"),
)


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """Modification time and size of every file under ``roots`` (files or folders)."""
    state: Snapshot = {}
    for root in roots:
        paths = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())
        for path in paths:
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            state[path] = (info.st_mtime_ns, info.st_size)
    return state


def changed_files(before: Snapshot, after: Snapshot) -> list[Path]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def watched_paths(config: SiteConfig) -> list[Path]:
    """Everything a build reads: content, the theme, the settings files."""
    site_dir = config.site_dir
    return [
        config.content.content_dir,
        Path(config.pelican["THEME"]),
        THEME_DIR,
        site_dir / "pelicanconf.py",
        site_dir / "publishconf.py",
    ]


@dataclass
class Rebuild:
    """What one :meth:`SiteBuilder.build` did."""

    checked: CheckedSite
    quick: bool  # only the edited entries' pages and feeds were written
    written: list[str]  # site-relative outputs of a quick rebuild


@dataclass
class _LastBuild:
    checked: CheckedSite
    generators: list[Any]
    files: Snapshot


class SiteBuilder:
    """Builds one site; after a successful build, an edit of entry text is a quick rebuild."""

    def __init__(
        self,
        site_dir: Path,
        publish: bool = False,
        output: Path | None = None,
        strict: bool = False,
    ) -> None:
        self.site_dir = site_dir
        self.publish = publish
        self.output = output
        self.strict = strict
        self._last: _LastBuild | None = None

    def build(self) -> Rebuild:
        """Build; raises ContentError or BuildError like :func:`build_site`."""
        last, self._last = self._last, None  # a failed build leaves nothing to build on
        if last is not None:
            now = snapshot(watched_paths(last.checked.config))
            quick = _quick_rebuild(last, changed_files(last.files, now))
            if quick is not None:
                last.files = now
                self._last = last
                return quick
        # Before the build, so that a file saved during it is seen next time; the settings
        # are read again here as they may be what changed.
        files = snapshot(watched_paths(load_config(self.site_dir, publish=self.publish)))
        generators: list[Any] = []
        checked = build_site(self.site_dir, self.publish, self.output, self.strict, keep=generators)
        self._last = _LastBuild(checked, generators, files)
        return Rebuild(checked, quick=False, written=[])


def _quick_rebuild(last: _LastBuild, changes: list[Path]) -> Rebuild | None:
    """Render the edited entries' pages and feeds again; None when the edit needs a full build."""
    content_settings = last.checked.config.content
    settings = last.checked.settings
    edits: list[tuple[Entry, Entry]] = []
    for path in changes:
        old = last.checked.content.by_path.get(path.resolve())
        if path.suffix != ".md" or old is None or not path.is_file():
            return None
        new, problems = reread_entry(content_settings, path)
        if new is None or problems or not _only_text_changed(old, new):
            return None
        edits.append((old, new))
    if not edits:
        return None
    pelican_settings = last.generators[0].settings
    build = build_of(pelican_settings)
    if build is None:
        return None
    markdown = markdown_cache(pelican_settings["MARKDOWN"])
    writer = Writer(str(settings.output_dir), settings=pelican_settings)
    written: list[str] = []
    for old, new in edits:
        found = _content_objects(last.generators, old)
        if not found:
            return None
        html = markdown.render(new.body)
        if build.media is not None:
            html = rewrite_body_images(html, build.media, settings.siteurl)
        for generator, content, keyword in found:
            replace_text(content, new, html)
            if content.save_as:  # a draft in a publish build has no page
                written.append(write_content_page(generator, writer, content, keyword))
        _replace_entry(last.checked, old, new)
    edited = {new.uid for _, new in edits}
    published = published_entries(last.generators, settings)
    _refresh_published(last.checked, published, edited)
    if settings.write_feeds:
        files = feed_files(published, feed_site(settings, build.media), carrying=edited)
        write_files(files, settings.output_dir)
        written.extend(sorted(files))
    return Rebuild(last.checked, quick=True, written=written)


def _only_text_changed(old: Entry, new: Entry) -> bool:
    """Only the words: an image added to the body needs its sizes made (a full build)."""
    if body_images(old) != body_images(new):
        return False
    return dataclasses.replace(old, body=new.body, body_line=new.body_line) == new


def _content_objects(generators: list[Any], entry: Entry) -> list[tuple[Any, Any, str]]:
    """Pelican's content objects made from ``entry``, with their generator and template keyword."""
    found = []
    for generator in generators:
        is_pages = hasattr(generator, "hidden_pages")
        lists = _PAGE_LISTS if is_pages else (*_ARTICLE_LISTS, *DRAFT_LISTS)
        for name in lists:
            for content in getattr(generator, name, None) or ():
                if getattr(content, "entry", None) is entry:
                    found.append((generator, content, "page" if is_pages else name))
    return found


def _replace_entry(checked: CheckedSite, old: Entry, new: Entry) -> None:
    entries = checked.content.entries
    entries[entries.index(old)] = new
    for path, entry in checked.content.by_path.items():
        if entry is old:
            checked.content.by_path[path] = new


def _refresh_published(checked: CheckedSite, published: list[Any], edited: set[str]) -> None:
    """The build's list of what it published, with the edited entries' new text."""
    fresh = {item.entry.uid: item for item in published if item.entry.uid in edited}
    checked.published = [
        dataclasses.replace(item, entry=fresh[uid].entry, html=fresh[uid].html)
        if (uid := item.entry.uid) in fresh
        else item
        for item in checked.published
    ]
