"""sitemap.xml (sitemaps.org 0.9) with ``xhtml:link`` hreflang alternates for translations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import quoteattr

from fanpage.metadata.opengraph import iso
from fanpage.urls import public_url

SITEMAP_FILE = "sitemap.xml"


@dataclass(frozen=True)
class SitemapPage:
    path: str  # site-relative URL path
    lastmod: datetime | None = None
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, path), x-default included


def sitemap_xml(pages: list[SitemapPage], site_url: str) -> str:
    """The sitemap of ``pages`` (sorted by path, so the same site gives the same bytes)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for page in sorted(pages, key=lambda p: p.path):
        lines.append("<url>")
        lines.append(f"<loc>{_text(public_url(site_url, page.path) or page.path)}</loc>")
        if page.lastmod is not None:
            lines.append(f"<lastmod>{iso(page.lastmod)}</lastmod>")
        for lang, path in page.alternates:
            href = public_url(site_url, path) or path
            lines.append(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(href)}/>'
            )
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
