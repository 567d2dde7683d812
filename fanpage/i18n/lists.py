"""The list pages (home, news, discography, tours, galleries) in every language of the site.

Pelican writes them once, in the default language; a reader of Indonesian expects ``/id/`` and
``/id/news/`` too, with the interface in Indonesian and each entry in its Indonesian translation
where one exists. This module names those pages and writes them with Pelican's own writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fanpage.engine.run import build_of

# List page key -> its path in the default language.
LIST_PAGES: dict[str, str] = {
    "home": "",
    "news": "news/",
    "albums": "albums/",
    "tours": "tours/",
    "galleries": "galleries/",
}


@dataclass(frozen=True)
class Alternate:
    """The current page in ``lang``; ``exact`` is False when only that language's home exists."""

    lang: str
    url: str  # site-relative, "" for the home page
    current: bool
    exact: bool = True


def list_url(key: str, lang: str, default_lang: str, page: int = 1) -> str:
    """``list_url("news", "id", "en", 2)`` -> ``id/news/page/2/``."""
    path = LIST_PAGES[key]
    if page > 1:
        path = f"{path}page/{page}/"
    return path if lang == default_lang else f"{lang}/{path}"


def list_page_of(context: Any) -> tuple[str, int] | None:
    """Which list page a template context renders, and its page number; None for other pages."""
    if context.get("article") or context.get("page"):
        return None
    key = context.get("fp_list")
    if not key:
        if context.get("page_name") == "index":
            key = "home"
        else:
            category = context.get("category")
            key = getattr(category, "slug", None)
    if key not in LIST_PAGES:
        return None
    articles_page = context.get("articles_page")
    return key, getattr(articles_page, "number", 1) or 1


def alternates_for(
    context: Any, lang: str, languages: tuple[str, ...], default: str
) -> list[Alternate]:
    """The page in every language the site has: a translation, a list page, or that home."""
    item = context.get("article") or context.get("page")
    if item is not None:
        versions = {item.lang: item.url, **{t.lang: t.url for t in item.translations}}
        return [
            Alternate(code, versions[code], code == lang)
            if code in versions
            else Alternate(code, list_url("home", code, default), False, exact=False)
            for code in languages
        ]
    found = list_page_of(context)
    if found is None:
        return [
            Alternate(code, list_url("home", code, default), code == lang, exact=code == lang)
            for code in languages
        ]
    key, number = found
    return [
        Alternate(code, list_url(key, code, default, number), code == lang) for code in languages
    ]


def write_language_lists(generator: Any, writer: Any) -> None:
    """Write the list pages: news (paginated), discography, tour dates and galleries in every
    language, and ``/<lang>/`` home pages for the translations (Pelican writes the default
    home)."""
    build = build_of(generator.settings)
    if build is None:
        return
    default = build.settings.default_lang
    context = generator.context
    categories = {
        category.slug: (category, articles) for category, articles in generator.categories
    }
    relative = generator.settings["RELATIVE_URLS"]
    for lang in build.settings.languages:
        common = {"ui_lang": lang, "relative_urls": relative}
        if lang != default:
            home = list_url("home", lang, default)
            writer.write_file(
                f"{home}index.html",
                generator.get_template("index"),
                context,
                fp_list="home",
                page_name=f"{home}index",
                url=home,
                **common,
            )
        for key in ("news", "albums", "tours", "galleries"):
            if key not in categories:
                continue
            category, articles = categories[key]
            url = list_url(key, lang, default)
            # Only news is paginated: the discography, tour dates and galleries show everything.
            paginated = {"articles": articles} if key == "news" else {}
            writer.write_file(
                f"{url}index.html",
                generator.get_template("category"),
                context,
                paginated=paginated,
                template_name="category",
                url=url,
                category=category,
                articles=articles,
                fp_list=key,
                page_name=f"{url}index",
                **common,
            )
