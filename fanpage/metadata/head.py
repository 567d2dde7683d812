"""The ``<head>`` fragment of a page: canonical and alternate links, Open Graph, X card, JSON-LD.

Every attribute value is escaped (``& < > " '``, as markupsafe does; the standard library's
``html.escape`` is used because it is several times faster here) and every script goes through
:func:`jsonld.script_json`, so quotes, ``<``, ``&`` and ``</script>`` in titles stay text.
"""

from __future__ import annotations

from html import escape as _escape

from markupsafe import Markup

from fanpage.metadata.jsonld import page_graph, script_json
from fanpage.metadata.opengraph import og_tags
from fanpage.metadata.page import PageMeta, SiteInfo
from fanpage.metadata.urls import hreflang_alternates
from fanpage.metadata.xcard import x_tags
from fanpage.urls import site_url


def head_html(page: PageMeta, site: SiteInfo) -> Markup:
    lines: list[str] = []
    if page.noindex:
        lines.append('<meta name="robots" content="noindex">')
    if page.description:
        lines.append(_meta("name", "description", page.description))
    lines.extend(link_tags(page, site))
    lines.extend(_meta("property", prop, value) for prop, value in og_tags(page, site))
    lines.extend(_meta("name", name, value) for name, value in x_tags(page, site))
    lines.extend(
        f'<script type="application/ld+json">{script_json(node)}</script>'
        for node in page_graph(page, site)
    )
    return Markup("\n".join(lines))


def link_tags(page: PageMeta, site: SiteInfo) -> list[str]:
    """canonical, hreflang alternates, feeds and calendars."""
    links: list[str] = []
    if page.path is not None:
        links.append(_link(rel="canonical", href=site_url(site.url, page.path)))
        for lang, path in hreflang_alternates(page.versions, site.default_lang):
            links.append(_link(rel="alternate", hreflang=lang, href=site_url(site.url, path)))
    for feed in (*page.feeds, *page.calendars):
        links.append(
            _link(
                rel="alternate",
                type=feed.mime,
                title=feed.title,
                href=site_url(site.url, feed.path),
            )
        )
    return links


def escape(value: str) -> str:
    """An attribute value, safe between double quotes."""
    return _escape(value, quote=True)


def _meta(attribute: str, key: str, value: str) -> str:
    return f'<meta {attribute}="{escape(key)}" content="{escape(value)}">'


def _link(**attributes: str) -> str:
    return (
        "<link " + " ".join(f'{key}="{escape(value)}"' for key, value in attributes.items()) + ">"
    )
