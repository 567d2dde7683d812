"""Typographic quotes, dashes and ellipses in Markdown output, in one pass over the text.

Python-Markdown's ``smarty`` extension does this with a dozen inline patterns tried at every
position of every text, which doubles the cost of rendering a page. This tree processor walks
the finished tree once, in document order, so a quote knows the character before it even
across emphasis or links (``"*Gelombang*"`` opens and closes correctly), and leaves code,
preformatted text and raw HTML alone.

``"`` and ``'`` open after the start of a block, a space or an opening bracket or dash, and
close everywhere else (an apostrophe is a closing single quote: ``don’t``, ``’80s``);
``---`` is an em dash, ``--`` an en dash, ``...`` an ellipsis.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER, AtomicString

# Text in these is shown as written.
VERBATIM = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math"})
# A quote after one of these opens; after anything else it closes.
OPENS_AFTER = frozenset(" \t\r\n\u00a0([{<\u2014\u2013-/\u201c\u2018")
BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "dd", "dt", "div"}
)

_TOKENS = re.compile(r"---|--|\.\.\.|[\"']")
_DASHES = {"---": "\u2014", "--": "\u2013", "...": "\u2026"}
_QUOTES = {('"', True): "\u201c", ('"', False): "\u201d", ("'", True): "\u2018"}
_DECADE = re.compile(r"\d\ds\b")
# Markdown's placeholder for a piece of raw HTML (markdown.util.HTML_PLACEHOLDER).
_PLACEHOLDER = re.compile(HTML_PLACEHOLDER.replace("%s", r"(\d+)") + "$")
_PLACEHOLDER_END = HTML_PLACEHOLDER[-1]


def smarten(text: str, before: str = "", stash: list[str] | None = None) -> str:
    """``text`` with typographic punctuation; ``before`` is the character preceding it.

    ``stash`` is Markdown's raw HTML: a quote right after an opening tag kept there opens.
    """
    if not ('"' in text or "'" in text or "--" in text or "..." in text):
        return text
    out: list[str] = []
    last = 0
    for match in _TOKENS.finditer(text):
        start = match.start()
        token = match.group()
        out.append(text[last:start])
        last = match.end()
        if token in _DASHES:
            out.append(_DASHES[token])
            continue
        previous = text[start - 1] if start else before
        if previous == _PLACEHOLDER_END and stash is not None:
            previous = _before_raw_html(text, start, before, stash)
        opening = previous == "" or previous in OPENS_AFTER
        if token == "'" and opening and _DECADE.match(text, last):
            opening = False  # '80s
        out.append(_QUOTES.get((token, opening), "\u2019"))
    out.append(text[last:])
    return "".join(out)


def _before_raw_html(text: str, start: int, before: str, stash: list[str]) -> str:
    """What a quote right after raw HTML follows: a space after an opening tag, else the text
    before a closing tag (``<b>"x"</b>"`` ends with a closing quote)."""
    found = _PLACEHOLDER.search(text, 0, start)
    index = int(found.group(1)) if found else -1
    if not found or not 0 <= index < len(stash):
        return _PLACEHOLDER_END
    if not str(stash[index]).startswith("</"):
        return " "
    return text[found.start() - 1] if found.start() else before


class TypographyTreeprocessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self._walk(root, "")

    def _walk(self, element: ET.Element, before: str) -> str:
        """Smarten ``element``'s text and children; return the last character written."""
        if element.tag in VERBATIM:
            return _last_char(element, before)
        if element.tag == "br":
            return "\n"
        if element.tag in BLOCKS:
            before = ""
        if element.text:
            element.text = self._smart(element.text, before)
            before = element.text[-1:] or before
        for child in element:
            before = self._walk(child, before)
            if child.tail:
                child.tail = self._smart(child.tail, before)
                before = child.tail[-1:] or before
        return before

    def _smart(self, text: str, before: str) -> str:
        if isinstance(text, AtomicString):
            return text
        return smarten(text, before, self.md.htmlStash.rawHtmlBlocks)


def _last_char(element: ET.Element, before: str) -> str:
    text = "".join(element.itertext())
    return text[-1:] or before


class TypographyExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline patterns (20) have made the final tree, before output.
        md.treeprocessors.register(TypographyTreeprocessor(md), "fanpage_typography", 5)


def makeExtension(**kwargs: Any) -> TypographyExtension:
    return TypographyExtension(**kwargs)
