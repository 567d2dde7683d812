"""The one joiner of the site's address and a site-relative path, for every room.

``SITEURL`` is checked and kept without a trailing slash (:mod:`fanpage.settings`); paths are
site-relative (``news/a/``, ``images/x.jpg``), with or without a leading slash. Absolute URLs
(an image on a CDN, a ticket shop) pass through unchanged.
"""

from __future__ import annotations


def is_absolute(url: str) -> bool:
    """True for ``http://`` and ``https://`` URLs (what content and settings accept)."""
    return url.startswith(("http://", "https://"))


def site_url(base: str, path: str) -> str:
    """``("https://band.example", "news/a/")`` -> ``https://band.example/news/a/``.

    With an empty ``base`` (a development build) the result is root-relative: ``/news/a/``.
    """
    if is_absolute(path):
        return path
    return f"{base.rstrip('/')}/{path.lstrip('/')}"


def public_url(base: str, path: str) -> str | None:
    """The absolute address of ``path``; None when there is none (no SITEURL, a local path)."""
    if is_absolute(path):
        return path
    return site_url(base, path) if base else None
