"""Pelican's own costs that fanpage works around keep Pelican's results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fanpage.engine.build import build_site
from fanpage.engine.hooks import _IndexedList

ROOT = Path(__file__).resolve().parent.parent


def test_tag_lists_answer_membership_like_a_list_and_urls_are_computed_once(
    tmp_path: Path,
) -> None:
    generators: list[Any] = []
    build_site(ROOT, output=tmp_path / "out", keep=generators)
    articles = next(g for g in generators if hasattr(g, "tags"))
    assert articles.tags
    outsider = object()
    for articles_of_tag in articles.tags.values():
        assert isinstance(articles_of_tag, _IndexedList)
        assert all(article in articles_of_tag for article in articles_of_tag)
        assert outsider not in articles_of_tag
        others = [a for a in articles.articles if a not in list(articles_of_tag)]
        assert not any(a in articles_of_tag for a in others)
    for article in [*articles.articles, *articles.translations]:
        url = article.override_url
        del article.override_url  # what Pelican computes from the settings
        assert article.url == url
        assert (tmp_path / "out" / article.save_as).is_file()
