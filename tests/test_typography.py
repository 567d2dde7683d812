"""Typographic punctuation: the same result as Python-Markdown's smarty, in one pass."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from fanpage.content.frontmatter import split_front_matter
from fanpage.engine.markdown_render import MarkdownRenderer
from fanpage.engine.typography import smarten

ROOT = Path(__file__).resolve().parent.parent
BASE = {"markdown.extensions.extra": {}, "markdown.extensions.sane_lists": {}}
FAST = MarkdownRenderer({"extension_configs": {**BASE, "fanpage.engine.typography": {}}})
SMARTY = MarkdownRenderer({"extension_configs": {**BASE, "markdown.extensions.smarty": {}}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Hello," she said.', "\u201cHello,\u201d she said."),
        ("It's the '80s", "It\u2019s the \u201980s"),
        ("1990--2000 --- wow...", "1990\u20132000 \u2014 wow\u2026"),
        ("rock 'n' roll", "rock \u2018n\u2019 roll"),
        ('("aside")', "(\u201caside\u201d)"),
        ("5'10\" tall", "5\u201910\u201d tall"),
        ("no quotes at all", "no quotes at all"),
    ],
)
def test_smarten(text: str, expected: str) -> None:
    assert smarten(text) == expected


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ('"*Gelombang*" is out', "<p>\u201c<em>Gelombang</em>\u201d is out</p>"),
        ('we\'re "[on tour](/t/)".', '<p>we\u2019re \u201c<a href="/t/">on tour</a>\u201d.</p>'),
        ('a `"code" -- as is` span', '<p>a <code>"code" -- as is</code> span</p>'),
        ('    "block" -- as is', '<pre><code>"block" -- as is\n</code></pre>'),
        ('An <b>"bold"</b> word', "<p>An <b>\u201cbold\u201d</b> word</p>"),
        ('one  \n"two"', "<p>one<br>\n\u201ctwo\u201d</p>"),
    ],
)
def test_quotes_follow_the_text_across_elements_and_leave_code_alone(
    markdown: str, expected: str
) -> None:
    assert FAST.render(markdown) == expected


def test_the_demo_reads_exactly_as_with_smarty() -> None:
    texts = [
        split_front_matter(path.read_text(encoding="utf-8")).body
        for path in sorted((ROOT / "content").rglob("*.md"))
    ]
    assert len(texts) > 20
    for text in texts:
        assert html.unescape(FAST.render(text)) == html.unescape(SMARTY.render(text))
