"""Dates, times and prices formatted the way a reader of the page's language expects (Babel)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.dates import format_time as babel_format_time
from babel.numbers import format_currency

_LETTERS_THEN_DIGIT = re.compile(r"^([A-Za-z]{2,})(\d)")


@lru_cache(maxsize=16)
def locale_for(lang: str) -> Locale:
    """Parsing a locale is the slow part of Babel; do it once per language."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, LookupError):
        return Locale.parse("en")


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


@lru_cache(maxsize=4096)
def format_long_date(moment: date, lang: str) -> str:
    """ "20 November 2026" / "November 20, 2026": a news post's or release's date."""
    return format_date(_day(moment), format="long", locale=locale_for(lang))


@lru_cache(maxsize=4096)
def format_day(moment: date, lang: str) -> str:
    """ "Sat, 14 Nov 2026" / "Sab, 14 Nov 2026": a show's day, weekday first."""
    return format_date(_day(moment), format="EEE, d MMM y", locale=locale_for(lang))


@lru_cache(maxsize=4096)
def format_short_day(moment: date, lang: str) -> str:
    """ "12 Dec" / "12 Des": a show's day in a post, where every character counts."""
    return format_date(_day(moment), format="d MMM", locale=locale_for(lang))


@lru_cache(maxsize=1024)
def country_label(code: str, lang: str) -> str:
    """ "Indonesia", "Jepang": a country (ISO 3166-1 alpha-2) as the language names it."""
    from fanpage.content.fields import country_name

    return locale_for(lang).territories.get(code) or country_name(code)


def format_time(moment: datetime, lang: str) -> str:
    """Wall-clock time as written in the moment's own zone (the venue's): "8:00 PM" / "20.00"."""
    return _format_clock(moment.hour, moment.minute, lang)


@lru_cache(maxsize=1024)
def _format_clock(hour: int, minute: int, lang: str) -> str:
    return babel_format_time(time(hour, minute), format="short", locale=locale_for(lang))


@lru_cache(maxsize=1024)
def format_price(amount: float, currency: str, lang: str) -> str:
    """ "IDR 350,000" / "Rp 350.000"; whole amounts without decimals."""
    whole = float(amount).is_integer()
    text = format_currency(
        amount,
        currency,
        locale=locale_for(lang),
        format_type="standard",
        currency_digits=not whole,
        decimal_quantization=not whole,
        **({"format": "¤#,##0"} if whole else {}),
    )
    # Babel glues letter codes to the number ("IDR350,000"); a no-break space reads better.
    return _LETTERS_THEN_DIGIT.sub("\\1\u00a0\\2", text)
