"""What fanpage.engine.pelican_internals relies on in Pelican still holds.

Each test names the patch it guards; a Pelican upgrade that changes the behaviour a patch
replaces or repeats fails here, not as a quietly wrong site.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.utils import memoized
from pelican.writers import Writer

from fanpage.engine import pelican_internals
from fanpage.engine.build import build_site
from fanpage.engine.pelican_internals import (
    CONTENT_LISTS,
    IndexedList,
    replace_text,
    write_content_page,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    """The demo built once, with Pelican's generators kept."""
    out = tmp_path_factory.mktemp("internals")
    generators: list[Any] = []
    build_site(ROOT, output=out, keep=generators)
    return out, generators


def _articles(generators: list[Any]) -> Any:
    return next(g for g in generators if isinstance(g, ArticlesGenerator))


def test_every_patch_is_in_one_module() -> None:
    """Nothing outside pelican_internals writes Pelican's private attributes."""
    package = Path(pelican_internals.__file__).parent.parent
    offenders = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if path.name != "pelican_internals.py"
        and any(
            marker in path.read_text(encoding="utf-8")
            for marker in (
                "override_url =",
                "._content =",
                "get_content.cache",
                "get_summary.cache",
                "IndexedList(",
            )
        )
    ]
    assert offenders == []


def test_freeze_urls_keeps_pelicans_urls(demo_build: tuple[Path, list[Any]]) -> None:
    """freeze_urls: ``Content.url`` returns ``override_url`` and equals what Pelican formats."""
    out, generators = demo_build
    articles = _articles(generators)
    for article in [*articles.articles, *articles.translations]:
        url = article.override_url
        del article.override_url  # what Pelican computes from the settings
        assert article.url == url
        article.override_url = url
        assert (out / article.save_as).is_file()
    for name in CONTENT_LISTS:  # the lists freeze_urls walks still exist
        assert any(hasattr(g, name) for g in generators), name


def test_tag_lists_answer_membership_like_a_list(demo_build: tuple[Path, list[Any]]) -> None:
    """index_tag_lists: ``ArticlesGenerator.tags`` is a dict of lists, complete once read."""
    _, generators = demo_build
    articles = _articles(generators)
    assert isinstance(articles.tags, dict) and articles.tags
    outsider = object()
    for articles_of_tag in articles.tags.values():
        assert isinstance(articles_of_tag, IndexedList)
        assert all(article in articles_of_tag for article in articles_of_tag)
        assert outsider not in articles_of_tag
        others = [a for a in articles.articles if a not in list(articles_of_tag)]
        assert not any(a in articles_of_tag for a in others)
    # generate_tags still filters with ``in`` on those lists (what makes the patch pay).
    assert "tag" in inspect.getsource(ArticlesGenerator.generate_tags)


def test_replace_text_forgets_what_pelican_memoized(demo_build: tuple[Path, list[Any]]) -> None:
    """replace_text: ``get_content``/``get_summary`` are ``memoized`` with ``(self, ...)`` keys
    and ``content`` reads ``_content``."""
    _, generators = demo_build
    for method in (Content.get_content, Content.get_summary):
        assert isinstance(method, memoized) or hasattr(method, "cache")
    article = _articles(generators).articles[0]
    before = article.content
    assert any(key and key[0] is article for key in article.get_content.cache)
    replace_text(article, article.entry, "<p>Changed.</p>")
    assert article.content == "<p>Changed.</p>" != before
    assert article.metadata["entry"] is article.entry


@pytest.mark.parametrize("generator_class", [ArticlesGenerator, PagesGenerator])
def test_write_content_page_writes_what_pelican_wrote(
    demo_build: tuple[Path, list[Any]], tmp_path: Path, generator_class: type
) -> None:
    """write_content_page repeats the generators' own ``write_file`` calls: same bytes."""
    out, generators = demo_build
    generator = next(g for g in generators if isinstance(g, generator_class))
    content = (generator.articles if generator_class is ArticlesGenerator else generator.pages)[1]
    keyword = "articles" if generator_class is ArticlesGenerator else "page"
    writer = Writer(str(tmp_path), settings=generator.settings)
    written = write_content_page(generator, writer, content, keyword)
    assert (tmp_path / written).read_bytes() == (out / written).read_bytes()
