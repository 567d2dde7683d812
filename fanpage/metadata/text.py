"""Plain-text descriptions for previews: a summary, or the first paragraph, cut cleanly."""

from __future__ import annotations

import html
import re

DESCRIPTION_LIMIT = 200
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_BREAK = re.compile(r"<(?:br|hr|/p|/li|/h[1-6]|/div|/td|/th|/blockquote)\b[^>]*>", re.IGNORECASE)
_TRAILING = " \t\n,;:.–—-([{"


def plain_text(fragment: str) -> str:
    """HTML fragment -> one line of text (tags dropped, entities decoded, spaces collapsed)."""
    visible = _BREAK.sub(" ", _HIDDEN.sub(" ", fragment))
    return " ".join(html.unescape(_TAG.sub("", visible)).split())


def first_paragraph(rendered_html: str) -> str:
    """The first non-empty ``<p>`` of a rendered body as plain text, else all of its text."""
    for match in _PARAGRAPH.finditer(rendered_html):
        text = plain_text(match.group(1))
        if text:
            return text
    return plain_text(rendered_html)


def clip(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Cut at a word boundary at most ``limit`` characters long, ending in an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    space = head.rfind(" ")
    # A single very long "word" (a URL, text without spaces) is cut where it must be.
    head = head[:space] if space > limit // 2 else text[: limit - 1]
    return head.rstrip(_TRAILING) + "…"


def describe(summary: str | None, rendered_html: str, fallback: str = "") -> str:
    """og:description: the summary as written, else the body's first paragraph, clipped."""
    if summary and summary.strip():
        return clip(summary)
    return clip(first_paragraph(rendered_html)) or clip(fallback)
