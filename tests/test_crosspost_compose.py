"""The composer: templates, counting and truncation, as pure functions (property-tested)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanpage.crosspost.compose import (
    Announcement,
    ComposeError,
    break_points,
    compose,
    compose_text,
    hashtag,
    hashtags_for,
    render,
    shortened,
)
from fanpage.crosspost.counting import (
    ELLIPSIS,
    TextRules,
    find_urls,
    graphemes,
    mastodon_length,
    x_length,
)
from fanpage.crosspost.options import network_config
from fanpage.crosspost.registry import NETWORKS, network_class

WHEN = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


# Each network's required options, as the demo's publishconf.py gives them.
OPTIONS: dict[str, dict[str, str]] = {
    "mastodon": {"instance": "https://musician.social"},
    "bluesky": {"handle": "suarasenja.band"},
    "facebook": {"page_id": "101000000000001"},
    "linkedin": {"organization": "5515715"},
    "threads": {"user_id": "17841400000000001"},
    "telegram": {"chat": "@suarasenja"},
}


def rules_of(name: str) -> TextRules:
    """Each network's own rules, as its module declares them (no secrets needed)."""
    config = network_config(name, OPTIONS.get(name, {}))
    return network_class(name)(config, {}, 20.0).rules()


def announcement(**changes: object) -> Announcement:
    values: dict = {
        "kind": "news",
        "keys": ("news/a",),
        "uid": "news/a",
        "title": "A new song",
        "url": "https://suarasenja.band/news/a-new-song/",
        "lang": "en",
        "created_at": WHEN,
        "summary": "It is out today.",
        "source": "content/news/a.md:1",
    }
    values.update(changes)
    return Announcement(**values)


# Text as artists write it: Latin with accents, Indonesian, CJK, emoji sequences, Arabic,
# combining marks; no control characters or line breaks (titles and summaries are one line).
PIECES = st.one_of(
    st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S")),
    st.sampled_from(["👩‍👩‍👧", "🇮🇩", "1️⃣", "🎸", "日本", "é", "e\u0301", "ـا", "ไทย"]),
)
WORDS = st.lists(PIECES, min_size=1, max_size=10).map("".join)
LINES = st.lists(WORDS, min_size=0, max_size=70).map(" ".join)
SLUGS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=120)
TAGS = st.lists(st.text(alphabet="abcdefghij klm", min_size=1, max_size=20), max_size=6)


def fields_ok(original: str, used: str) -> bool:
    """``used`` is ``original``, or it cut at a break point with an ellipsis, or nothing."""
    if used in (original, ""):
        return True
    return used in {shortened(original, p) for p in break_points(original)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=LINES.filter(bool), summary=LINES, tags=TAGS, slug=SLUGS)
def test_every_post_fits_keeps_its_url_and_never_cuts_a_word(
    title: str, summary: str, tags: list[str], slug: str
) -> None:
    url = f"https://suarasenja.band/news/{slug}/"
    item = announcement(title=title, summary=summary, tags=tuple(tags), url=url)
    for name in NETWORKS:
        rules = rules_of(name)
        composed = compose_text(item, name, rules, extra_hashtags=("dreampop",))
        text = composed.text
        assert rules.fits(text), (name, rules.length(text), rules.limit)
        assert url in text
        # The URL stands alone: white space (or the end) on both sides.
        start = text.index(url)
        assert start == 0 or text[start - 1].isspace()
        end = start + len(url)
        assert end == len(text) or text[end].isspace()
        assert fields_ok(title, composed.values["title"]), name
        assert fields_ok(summary, composed.values["summary"]), name
        # Whole graphemes only: the text re-segments into the clusters it was built from.
        assert "".join(graphemes(text)) == text
        for tag in composed.values["hashtags"].split():
            assert tag.lstrip("#") in composed.hashtags


def test_a_title_of_400_graphemes_with_emoji_cjk_and_a_long_url_fits_everywhere() -> None:
    title = ("Gelombang 🌊 日本の夏 " * 40)[:400]
    url = "https://suarasenja.band/news/" + "a-very-long-slug-" * 8 + "end/"
    item = announcement(title=title, summary="Laut " * 200, url=url, tags=("dream pop",))
    for name in NETWORKS:
        rules = rules_of(name)
        draft = compose(item, name, rules)
        assert rules.fits(draft.text) and draft.length <= draft.limit
        assert url in draft.text
        assert draft.text.split("\n")[0].endswith(ELLIPSIS) or len(title) < rules.limit


def test_urls_count_23_on_mastodon_and_x_only_on_a_known_tld() -> None:
    long_path = "https://suarasenja.band/" + "x" * 60
    assert mastodon_length(long_path) == 23
    assert x_length(long_path) == 23
    assert mastodon_length("https://band.test/" + "x" * 60) == len("https://band.test/") + 60
    assert x_length("see suarasenja.band") == 4 + 23  # X links bare domains too
    assert mastodon_length("see suarasenja.band") == len("see suarasenja.band")


def test_x_weights_cjk_and_emoji_two() -> None:
    assert x_length("abc") == 3
    assert x_length("日本") == 4
    assert x_length("👩‍👩‍👧") == 2
    assert x_length("é") == 1  # NFC: one code point


def test_mastodon_counts_a_remote_mention_as_its_local_part() -> None:
    assert mastodon_length("hi @band@musician.social") == len("hi @band")


def test_the_summary_is_shortened_before_the_title() -> None:
    item = announcement(title="Short title", summary="word " * 100)
    text = compose(item, "x", TextRules(280, x_length)).text
    assert text.startswith("Short title\n\n")
    assert "word…" in text


def test_an_empty_summary_leaves_no_blank_lines_behind() -> None:
    text = compose(announcement(summary=""), "x", TextRules(280, x_length)).text
    assert text == "A new song\n\nhttps://suarasenja.band/news/a-new-song/"


def test_the_artists_own_text_is_never_shortened() -> None:
    item = announcement(custom_text={"x": "Ours: " + "la " * 120})
    with pytest.raises(ComposeError, match=r"content/news/a.md:1: crosspost_text is \d+"):
        compose(item, "x", TextRules(280, x_length))
    short = announcement(custom_text={"*": "Out now!"})
    assert compose(short, "x", TextRules(280, x_length)).text == (
        "Out now!\n\nhttps://suarasenja.band/news/a-new-song/"
    )


def test_templates_fill_known_fields_and_keep_other_braces() -> None:
    assert render("{title} {unknown} {url}", {"title": "T", "url": "U"}) == "T {unknown} U"


def test_hashtags_from_tags_are_words_and_unique() -> None:
    assert hashtag("dream pop") == "DreamPop"
    assert hashtag("2026") is None
    assert hashtags_for(("indie", "Indie", "new music"), ("newmusic",)) == ("indie", "NewMusic")


def test_new_dates_list_is_shortened_with_a_count_of_what_is_left_out() -> None:
    dates = tuple(f"City{n} {n} Dec" for n in range(1, 40))
    item = announcement(
        kind="new_dates",
        keys=tuple(f"t/{n}" for n in range(1, 40)),
        headline="39 new dates",
        dates=dates,
        title="Gelombang Tour",
        url="https://suarasenja.band/tours/gelombang/",
    )
    text = compose(item, "x", TextRules(280, x_length)).text
    assert text.startswith("39 new dates: City1 1 Dec, City2 2 Dec")
    assert "more" in text and x_length(text) <= 280


def test_find_urls_ignores_trailing_punctuation() -> None:
    assert [u.url for u in find_urls("(see https://suarasenja.band/x).")] == [
        "https://suarasenja.band/x"
    ]
