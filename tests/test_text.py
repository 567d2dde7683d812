"""fanpage.text and fanpage.urls: the one plain-text helper and the one site-URL joiner."""

from __future__ import annotations

import pytest

from fanpage.text import clip, first_paragraph, plain_text
from fanpage.urls import is_absolute, public_url, site_url


def test_plain_text_drops_tags_and_decodes_entities() -> None:
    assert plain_text("<p>A &amp; <em>B</em></p>") == "A & B"
    assert (
        plain_text("We &amp; <em>you</em>\n at <a href='/x'>Sabuga</a>.") == "We & you at Sabuga."
    )


def test_plain_text_leaves_out_what_a_reader_does_not_see() -> None:
    html = "<p>Hi <script>alert('x')</script><style>p {}</style><template>t</template>there</p>"
    assert plain_text(html) == "Hi there"


def test_block_tags_separate_words() -> None:
    assert plain_text("<ul><li>one</li><li>two</li></ul>") == "one two"
    assert plain_text("line<br>break<div>block</div>end") == "line break block end"


def test_first_paragraph_skips_empty_ones_and_falls_back_to_all_text() -> None:
    assert first_paragraph("<h2>T</h2><p></p><p>First <b>one</b>.</p><p>Second</p>") == "First one."
    assert first_paragraph("<h2>Only</h2><ul><li>a list</li></ul>") == "Only a list"


@pytest.mark.parametrize("limit", [50, 200, 300])
def test_clip_fits_the_limit_and_cuts_at_a_word(limit: int) -> None:
    for text in ("word " * 200, "ab " * 200, "x" * 500, "a, " * 300):
        cut = clip(text, limit)
        assert len(cut) <= limit and cut.endswith("…"), (text[:10], cut)
        assert not cut[:-1].endswith((" ", ",")), cut
    assert clip("short text", limit) == "short text"


def test_one_joiner_for_site_urls() -> None:
    assert site_url("https://band.example", "news/a/") == "https://band.example/news/a/"
    assert site_url("https://band.example/", "/images/a.jpg") == "https://band.example/images/a.jpg"
    assert site_url("", "tours.ics") == "/tours.ics"  # development: root-relative
    assert site_url("https://band.example", "https://cdn.example/a.jpg") == (
        "https://cdn.example/a.jpg"
    )
    assert public_url("", "news/a/") is None
    assert public_url("", "https://cdn.example/a.jpg") == "https://cdn.example/a.jpg"
    assert is_absolute("http://a.example") and not is_absolute("//cdn.example/a.jpg")
