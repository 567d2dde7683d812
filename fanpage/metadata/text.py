"""Plain-text descriptions for previews: a summary, or the first paragraph, cut cleanly.

The plain-text helpers themselves are :mod:`fanpage.text`'s; ``clip`` here cuts at the length
a preview's description has.
"""

from __future__ import annotations

from fanpage import text

__all__ = ["DESCRIPTION_LIMIT", "clip", "describe"]

DESCRIPTION_LIMIT = 200


def clip(value: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """:func:`fanpage.text.clip` at a description's length unless told otherwise."""
    return text.clip(value, limit)


def describe(summary: str | None, rendered_html: str, fallback: str = "") -> str:
    """og:description: the summary as written, else the body's first paragraph, clipped."""
    if summary and summary.strip():
        return clip(summary)
    return clip(text.first_paragraph(rendered_html)) or clip(fallback)
