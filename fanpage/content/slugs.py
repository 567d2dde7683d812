"""Slugs and the default ids derived from file names."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


def slugify(text: str) -> str:
    """``"Kota Hujan (Live)"`` -> ``"kota-hujan-live"``; accents are folded to ASCII."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


def slug_from_stem(stem: str) -> str:
    """A file's default slug: its name without a leading ``YYYY-MM-DD-`` date."""
    return slugify(_DATE_PREFIX.sub("", stem)) or slugify(stem)
