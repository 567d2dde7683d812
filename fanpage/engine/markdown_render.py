"""Markdown to HTML: one converter per process, and a cache of what it rendered.

Markdown is the largest single cost of a build. Three things keep it down: one converter reset
between texts (building one per file is slow), rendering every text of a build up front on all
cores, and keeping the HTML between builds of one process, so that ``fanpage serve`` renders
again only the texts an edit changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from markdown import Markdown
from markupsafe import Markup

from fanpage.content.frontmatter import body_of
from fanpage.forking import fork_pool


class MarkdownRenderer:
    """One converter, reset between texts."""

    def __init__(self, markdown_settings: dict[str, Any]) -> None:
        configs = dict(markdown_settings.get("extension_configs", {}))
        self._md = Markdown(
            extensions=list(configs),
            extension_configs=configs,
            output_format=markdown_settings.get("output_format", "html5"),
        )

    def render(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)


class MarkdownCache:
    """HTML by Markdown text for one Markdown configuration, kept while the process lives."""

    # Below this many new texts, forking workers costs more than it saves.
    PARALLEL_AFTER = 64

    def __init__(self, markdown_settings: dict[str, Any]) -> None:
        self._settings = markdown_settings
        self._renderer = MarkdownRenderer(markdown_settings)
        self._html: dict[str, str] = {}
        self.rendered = 0  # texts converted by this cache (reused ones are not counted)

    def prepare(self, texts: Iterable[str], parallel: bool = True) -> None:
        """Render every text a build will ask for; forget texts the build no longer has."""
        wanted = {text for text in texts if text}
        self._html = {text: html for text, html in self._html.items() if text in wanted}
        missing = sorted(wanted - self._html.keys())
        elsewhere = None
        if parallel:
            elsewhere = _in_workers(_render_texts, self._settings, missing, self.PARALLEL_AFTER)
        if elsewhere is not None:
            self._keep(elsewhere.results())
        for text in missing:
            self.render(text)  # what no worker rendered

    def start_files(self, paths: list[Path]) -> EarlyRender:
        """Start rendering the bodies of ``paths`` on other cores, before their front matter is
        read; :meth:`EarlyRender.finish` adds the results. Nothing starts where forking is
        unsafe, or for a handful of files (the build renders them later either way)."""
        files = [str(path) for path in paths]
        workers = _in_workers(_render_files, self._settings, files, self.PARALLEL_AFTER)
        return EarlyRender(self, workers)

    def _keep(self, rendered: Iterable[tuple[str, str]]) -> None:
        for text, html in rendered:
            if self._html.setdefault(text, html) is html:
                self.rendered += 1

    def render(self, text: str) -> str:
        html = self._html.get(text)
        if html is None:
            html = self._html[text] = self._renderer.render(text)
            self.rendered += 1
        return html

    def render_markup(self, text: str | None) -> Markup:
        """For templates: lyrics and other Markdown fields."""
        return Markup(self.render(text)) if text else Markup("")


class _Workers:
    """Rendering in forked worker processes, one share of the items each."""

    def __init__(self, pool: ProcessPoolExecutor, futures: list[Future[Any]]) -> None:
        self._pool = pool
        self._futures = futures

    def results(self) -> Iterator[tuple[str, str]]:
        """Every (Markdown, HTML) pair; the workers are gone afterwards."""
        try:
            for future in self._futures:
                yield from future.result()
        finally:
            self._pool.shutdown()


def _in_workers(
    work: Callable[[dict[str, Any], list[str]], list[tuple[str, str]]],
    settings: dict[str, Any],
    items: list[str],
    minimum: int,
) -> _Workers | None:
    """Start ``work`` on a share of ``items`` per core; None when there are fewer than
    ``minimum`` items (forking would cost more than it saves) or forking is not safe."""
    workers = os.cpu_count() or 1
    if workers < 2 or len(items) < minimum:
        return None
    pool = fork_pool(workers)
    if pool is None:
        return None
    futures = [pool.submit(work, settings, items[i::workers]) for i in range(workers)]
    return _Workers(pool, futures)


class EarlyRender:
    """Bodies being rendered in worker processes while the parent reads front matter."""

    def __init__(self, cache: MarkdownCache, workers: _Workers | None) -> None:
        self._cache = cache
        self._workers = workers

    def finish(self) -> None:
        """Wait for the workers and keep what they rendered (safe to call more than once)."""
        workers, self._workers = self._workers, None
        if workers is not None:
            self._cache._keep(workers.results())


_CACHES: dict[str, MarkdownCache] = {}


def markdown_cache(markdown_settings: dict[str, Any]) -> MarkdownCache:
    """The process's cache for these Markdown settings (a site's ``MARKDOWN``)."""
    # Only what the converter is built from: Pelican appends its "meta" extension to the
    # settings' "extensions" list while it starts, which must not make a second cache.
    used = (markdown_settings.get("extension_configs", {}), markdown_settings.get("output_format"))
    key = json.dumps(used, sort_keys=True, default=repr)
    cache = _CACHES.get(key)
    if cache is None:
        cache = _CACHES[key] = MarkdownCache(markdown_settings)
    return cache


def _render_files(settings: dict[str, Any], paths: list[str]) -> list[tuple[str, str]]:
    renderer = MarkdownRenderer(settings)
    rendered = []
    for path in paths:
        try:
            body = body_of(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # the build reports it, with its line, when it reads the file
        if body:
            rendered.append((body, renderer.render(body)))
    return rendered


def _render_texts(settings: dict[str, Any], texts: list[str]) -> list[tuple[str, str]]:
    renderer = MarkdownRenderer(settings)
    return [(text, renderer.render(text)) for text in texts]
