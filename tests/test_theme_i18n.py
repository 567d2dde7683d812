"""Interface text and dates in English and Indonesian, and the list pages of each language."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from factories import show

from fanpage.engine.context import clock_differs, venue_to_be_announced
from fanpage.i18n import (
    MESSAGES,
    format_day,
    format_long_date,
    format_price,
    format_price_range,
    format_time,
    zone_label,
    zone_name,
)
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


def test_prices_have_one_style_per_language_the_iso_code_and_the_locales_number():
    assert format_price(350000, "IDR", "en") == "IDR\u00a0350,000"
    assert format_price(350000, "IDR", "id") == "IDR\u00a0350.000"
    assert format_price(16.5, "GBP", "en") == "GBP\u00a016.50"
    assert format_price(16.5, "GBP", "id") == "GBP\u00a016,50"
    # Never a symbol for some currencies and a code for others on one page ("A$30", "SGD 35").
    for currency in ("AUD", "USD", "SGD", "JPY", "EUR", "KRW", "NZD", "TWD"):
        for lang in ("en", "id"):
            assert format_price(30, currency, lang) == f"{currency}\u00a030"


def test_a_price_range_writes_the_currency_once():
    assert format_price_range(350000, 900000, "IDR", "en") == "IDR\u00a0350,000–900,000"
    assert format_price_range(350000, 900000, "IDR", "id") == "IDR\u00a0350.000–900.000"
    assert format_price_range(38, 68.5, "SGD", "en") == "SGD\u00a038.00–68.50"
    assert format_price_range(55, 55, "AUD", "en") == "AUD\u00a055"


@pytest.mark.parametrize(
    ("zone", "moment", "label"),
    [
        ("Australia/Sydney", datetime(2027, 2, 5, 21, 0), "AEDT"),  # daylight saving
        ("Australia/Sydney", datetime(2027, 7, 5, 21, 0), "AEST"),
        ("Asia/Makassar", datetime(2026, 12, 19, 16, 0), "WITA"),
        ("Asia/Singapore", datetime(2027, 1, 30, 20, 0), "UTC+8"),  # no abbreviation
        ("Asia/Kathmandu", datetime(2027, 1, 30, 20, 0), "UTC+5:45"),
        ("America/Sao_Paulo", datetime(2027, 1, 30, 20, 0), "UTC\u22123"),
        ("Europe/London", datetime(2027, 3, 5, 19, 30), "GMT"),
    ],
)
def test_zone_labels_follow_the_tz_database(zone, moment, label):
    assert zone_label(moment.replace(tzinfo=ZoneInfo(zone))) == label


def test_zone_names_are_in_the_page_language():
    sydney = datetime(2027, 2, 5, 21, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    assert zone_name(sydney, "en") == "Australian Eastern Daylight Time"
    assert zone_name(sydney, "id") == "Waktu Musim Panas Timur Australia"


def test_a_show_needs_its_zone_only_off_the_sites_clock():
    def at(zone: str) -> object:
        return show(starts_at=datetime(2027, 1, 10, 20, 0, tzinfo=ZoneInfo(zone)), timezone=zone)

    assert not clock_differs(at("Asia/Jakarta"), "Asia/Jakarta")
    assert not clock_differs(at("Asia/Pontianak"), "Asia/Jakarta")  # also WIB, UTC+7
    assert clock_differs(at("Asia/Makassar"), "Asia/Jakarta")
    assert clock_differs(at("Asia/Bangkok"), "Asia/Jakarta")  # UTC+7, but "+07", not WIB
    assert not clock_differs(at("Europe/Paris"), "Europe/Berlin")


def test_venue_tba_is_recognised_whatever_its_case():
    assert venue_to_be_announced(show(venue="TBA"))
    assert venue_to_be_announced(show(venue=" tba "))
    assert not venue_to_be_announced(show(venue="TBA Club"))


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
