"""Interface text and dates in English and Indonesian, and the list pages of each language."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from fanpage.i18n import MESSAGES, format_day, format_long_date, format_price, format_time
from fanpage.i18n.catalog import translate
from fanpage.i18n.lists import alternates_for, list_url


def test_every_message_has_an_indonesian_translation():
    missing = [message for message, translations in MESSAGES.items() if not translations.get("id")]
    assert missing == []


def test_placeholders_survive_translation():
    for message, translations in MESSAGES.items():
        for text in translations.values():
            assert sorted(_names(text)) == sorted(_names(message)), message


def _names(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_page_names_and_card_labels_are_catalog_messages():
    from fanpage.i18n.catalog import CARD_LABELS, LIST_TITLES, list_title

    assert set(LIST_TITLES.values()) | set(CARD_LABELS.values()) <= set(MESSAGES)
    assert list_title("albums", "en") == "Discography"
    assert list_title("albums", "id") == "Diskografi"
    assert list_title("tag", "id", name="live") == "#live"


def test_country_names_follow_the_language():
    from fanpage.i18n import country_label

    assert country_label("JP", "en") == "Japan"
    assert country_label("JP", "id") == "Jepang"
    assert country_label("XK", "en")  # known to Babel or pycountry, never empty


def test_translate_fills_placeholders_and_falls_back_to_english():
    assert translate("Page {n} of {total}", "id", n=2, total=3) == "Halaman 2 dari 3"
    assert translate("sold_out", "en") == "Sold out"
    assert translate("sold_out", "id") == "Habis terjual"
    assert translate("No such message", "id") == "No such message"


def test_dates_follow_the_page_language():
    day = date(2026, 11, 14)
    assert format_long_date(day, "en") == "November 14, 2026"
    assert format_long_date(day, "id") == "14 November 2026"
    assert format_day(day, "id") == "Sab, 14 Nov 2026"


def test_show_time_is_the_venues_wall_clock():
    tokyo = datetime(2027, 1, 15, 19, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert format_time(tokyo, "en") == "7:00\u202fPM"
    assert format_time(tokyo, "id") == "19.00"


def test_prices_are_written_the_local_way():
    assert format_price(350000, "IDR", "en") == "IDR\u00a0350,000"
    assert format_price(350000, "IDR", "id") == "Rp\u00a0350.000"
    assert format_price(16.5, "GBP", "en") == "£16.50"


@pytest.mark.parametrize(
    ("key", "lang", "page", "expected"),
    [
        ("home", "en", 1, ""),
        ("home", "id", 1, "id/"),
        ("news", "id", 2, "id/news/page/2/"),
        ("tours", "en", 1, "tours/"),
    ],
)
def test_list_urls(key, lang, page, expected):
    assert list_url(key, lang, "en", page) == expected


def test_alternates_of_a_list_page_keep_the_page_number():
    context = {
        "category": SimpleNamespace(slug="news"),
        "articles_page": SimpleNamespace(number=2),
    }
    found = [(a.lang, a.url, a.current) for a in alternates_for(context, "en", ("en", "id"), "en")]
    assert found == [("en", "news/page/2/", True), ("id", "id/news/page/2/", False)]


def test_an_untranslated_entry_offers_the_other_languages_home():
    article = SimpleNamespace(lang="en", url="albums/x/", translations=[])
    context = {"article": article}
    found = [(a.lang, a.url, a.exact) for a in alternates_for(context, "en", ("en", "id"), "en")]
    assert found == [("en", "albums/x/", True), ("id", "id/", False)]


def test_every_interface_text_in_the_templates_is_in_the_catalog():
    import re

    from fanpage.i18n.catalog import _ENGLISH
    from fanpage.paths import THEME_DIR

    used: set[str] = set()
    for template in (THEME_DIR / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        used.update(re.findall(r"""_\(\s*["']([^"']+)["']""", text))
        used.update(re.findall(r"""fp_translate_to\(\s*\w+,\s*["']([^"']+)["']""", text))
    assert used, "no interface text found: has the template syntax changed?"
    assert sorted(used - set(MESSAGES) - set(_ENGLISH)) == []
