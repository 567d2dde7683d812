"""Composing a post: templates, per-platform counting, truncation. Pure functions only."""

from __future__ import annotations

# Entry types a template can be given for, and the placeholders a template may use.
TEMPLATE_KINDS: tuple[str, ...] = ("news", "album", "tour", "new_dates", "change", "page")
TEMPLATE_FIELDS: tuple[str, ...] = (
    "title",
    "summary",
    "url",
    "hashtags",
    "artist",
    "release_type",
    "dates",
    "count",
    "change",
)
