"""Plain text from rendered HTML, for every room: descriptions, feed summaries, post texts.

Regular expressions rather than a parser: the HTML is Python-Markdown's own output, and the work
runs for every page, feed item and post of a build.
"""

from __future__ import annotations

import html
import re

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# Elements whose content is not text a reader sees.
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
# Tags that separate words: "<li>a</li><li>b</li>" reads "a b", not "ab".
_BREAK = re.compile(
    r"</?(?:p|br|hr|li|h[1-6]|div|tr|td|th|blockquote|ul|ol|dl|dt|dd|pre|figure|figcaption)\b"
    r"[^>]*>",
    re.IGNORECASE,
)
# Cut here and the text ends mid-clause; dropped before the ellipsis.
_TRAILING = " \t\n,;:.–—-([{"


def plain_text(fragment: str) -> str:
    """HTML fragment -> one line of text: hidden elements and tags dropped, entities decoded,
    white space collapsed."""
    visible = _BREAK.sub(" ", _HIDDEN.sub(" ", fragment))
    return " ".join(html.unescape(_TAG.sub("", visible)).split())


def first_paragraph(rendered_html: str) -> str:
    """The first non-empty ``<p>`` of a rendered body as plain text, else all of its text."""
    for match in _PARAGRAPH.finditer(rendered_html):
        text = plain_text(match.group(1))
        if text:
            return text
    return plain_text(rendered_html)


def clip(text: str, limit: int) -> str:
    """Cut at a word boundary at most ``limit`` characters long, ending in an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)  # the last space that leaves room for the ellipsis
    # A single very long "word" (a URL, text without spaces) is cut where it must be.
    head = text[:space] if space > limit // 2 else text[: limit - 1]
    return head.rstrip(_TRAILING) + "…"
