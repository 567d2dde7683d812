"""URL paths of written pages, hreflang alternates and Open Graph locales.

Metadata needs absolute URLs (:func:`fanpage.urls.public_url`). Without a SITEURL (development
builds) there are none: URL-valued ``<meta>`` and JSON-LD properties are left out, and
``<link>`` elements use root-relative hrefs (:func:`fanpage.urls.site_url`), which browsers
and the dev server resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel.core import get_global

INDEX_FILE = "index.html"


def path_of_output(output_file: str) -> str:
    """The URL path of a written file: ``news/page/2/index.html`` -> ``news/page/2/``."""
    output_file = output_file.replace("\\", "/").lstrip("/")
    if output_file == INDEX_FILE:
        return ""
    if output_file.endswith("/" + INDEX_FILE):
        return output_file[: -len(INDEX_FILE)]
    return output_file


@lru_cache(maxsize=64)
def og_locale(lang: str) -> str:
    """``en`` -> ``en_US``, ``id`` -> ``id_ID``: language and its most likely territory."""
    code = lang.replace("-", "_")
    if "_" in code:
        language, territory = code.split("_", 1)
        return f"{language.lower()}_{territory.upper()}"
    likely = get_global("likely_subtags").get(code.lower())
    if likely:
        parts = likely.split("_")
        territory = next((p for p in parts[1:] if len(p) == 2 or p.isdigit()), None)
        if territory:
            return f"{parts[0]}_{territory}"
    return f"{code.lower()}_{code.upper()}"


@dataclass(frozen=True)
class Version:
    """One language version of a page."""

    lang: str
    path: str  # site-relative URL path


def hreflang_alternates(versions: tuple[Version, ...], default_lang: str) -> list[tuple[str, str]]:
    """``(hreflang, path)`` for every version and ``x-default``; empty for untranslated pages."""
    if len(versions) < 2:
        return []
    ordered = sorted(versions, key=lambda v: (v.lang != default_lang, v.lang))
    pairs = [(v.lang, v.path) for v in ordered]
    default = next((v for v in ordered if v.lang == default_lang), ordered[0])
    pairs.append(("x-default", default.path))
    return pairs
