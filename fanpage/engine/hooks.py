"""Functions the Pelican plugins connect to signals; each does one small thing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fanpage import settings as declared
from fanpage.config import content_settings
from fanpage.content.problems import ContentError, ProblemList
from fanpage.content.site import load_content
from fanpage.engine import filters
from fanpage.engine.context import template_context
from fanpage.engine.markdown_render import markdown_cache
from fanpage.engine.reader import FanpageReader
from fanpage.engine.run import Build, build_of


def ensure_content_loaded(pelican: Any) -> None:
    """When Pelican runs on its own (``pelican content``), check settings and read the content
    here instead: the settings file is the one in the folder Pelican runs in."""
    if build_of(pelican.settings) is not None:
        return
    site_dir = Path.cwd()
    problems = ProblemList()
    source = site_dir / "pelicanconf.py"
    values = declared.validate(pelican.settings, source, source.name, problems)
    settings = declared.settings_from(
        values,
        site_dir=site_dir,
        content_dir=Path(pelican.settings["PATH"]),
        output_dir=Path(pelican.settings["OUTPUT_PATH"]),
        lines=declared.assignment_lines(source),
    )
    content = load_content(content_settings(settings))
    problems.extend(content.problems)
    if problems.errors:
        raise ContentError(problems)
    Build(settings, content).install(pelican.settings)


def prerender_markdown(pelican: Any) -> None:
    """Render every body and lyric of the build up front, on all cores, reusing earlier HTML."""
    build = build_of(pelican.settings)
    if build is not None:
        markdown_cache(pelican.settings["MARKDOWN"]).prepare(build.content.markdown_texts())


def install_reader(readers: Any) -> None:
    """Read Markdown through fanpage (Pelican's signals are process-wide: only in its builds)."""
    if build_of(readers.settings) is not None:
        readers.reader_classes["md"] = FanpageReader


def add_template_helpers(generator: Any) -> None:
    env = getattr(generator, "env", None)
    build = build_of(generator.settings)
    if env is not None and build is not None:
        filters.install(env, build.settings, generator.settings["MARKDOWN"], build)


def add_template_context(generators: list[Any]) -> None:
    articles_generator = next((g for g in generators if hasattr(g, "articles")), None)
    if articles_generator is None:
        return
    context = articles_generator.context
    context.update(template_context(articles_generator.articles))
