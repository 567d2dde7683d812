"""robots.txt: everything may be crawled; the sitemap is named by its absolute URL."""

from __future__ import annotations

from fanpage.metadata.sitemap import SITEMAP_FILE
from fanpage.urls import public_url

ROBOTS_FILE = "robots.txt"


def robots_txt(site_url: str) -> str:
    """Without a SITEURL there is no absolute sitemap URL, and no sitemap line."""
    lines = ["User-agent: *", "Disallow:"]
    sitemap = public_url(site_url, SITEMAP_FILE)
    if sitemap:
        lines += ["", f"Sitemap: {sitemap}"]
    return "\n".join(lines) + "\n"
