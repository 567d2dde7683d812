"""Dates, times and prices formatted the way a reader of the page's language expects (Babel)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, get_timezone_name
from babel.dates import format_time as babel_format_time
from babel.numbers import format_currency

_LETTERS_THEN_DIGIT = re.compile(r"^([A-Za-z]{2,})(\d)")
_DIGIT_THEN_LETTERS = re.compile(r"(\d)([A-Za-z]{2,})$")


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


def zone_label(moment: datetime) -> str:
    """ "AEDT", "WITA", "UTC+8": the moment's time zone as the tz database abbreviates it then
    (daylight saving included); a zone with no abbreviation of its own as its UTC offset."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-" and not name[0].isdigit():
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02}" if rest else "")


def zone_name(moment: datetime, lang: str) -> str:
    """ "Australian Eastern Daylight Time" / "Waktu Musim Panas Timur Australia"."""
    return get_timezone_name(moment, "long", locale=locale_for(lang))


@lru_cache(maxsize=16)
def _code_pattern(lang: str, whole: bool) -> str:
    """The locale's own currency pattern, with the ISO code (``¤¤``) in place of the symbol."""
    pattern = locale_for(lang).currency_formats["standard"].pattern.split(";")[0]
    pattern = re.sub("¤+", "¤¤", pattern)
    return re.sub(r"\.0+", "", pattern) if whole else pattern


@lru_cache(maxsize=1024)
def format_price(amount: float, currency: str, lang: str) -> str:
    """ "IDR 350,000" / "IDR 350.000", "GBP 16.50" / "GBP 16,50": every currency by its ISO
    code (one style on a page of a world tour, where "$" could be any of five), the number as
    the page's locale writes it; whole amounts without decimals."""
    return _price(amount, currency, lang, float(amount).is_integer())


def _price(amount: float, currency: str, lang: str, whole: bool) -> str:
    text = format_currency(
        amount,
        currency,
        format=_code_pattern(lang, whole),
        locale=locale_for(lang),
        currency_digits=not whole,
    )
    # CLDR's currency spacing, which Babel leaves out: a no-break space between code and number.
    text = _LETTERS_THEN_DIGIT.sub("\\1\u00a0\\2", text)
    return _DIGIT_THEN_LETTERS.sub("\\1\u00a0\\2", text)


@lru_cache(maxsize=1024)
def format_price_range(low: float, high: float, currency: str, lang: str) -> str:
    """ "IDR 350,000–900,000": both ends in the locale's style, the currency written once."""
    if low == high:
        return format_price(low, currency, lang)
    whole = float(low).is_integer() and float(high).is_integer()  # both with cents, or neither
    first, second = _price(low, currency, lang, whole), _price(high, currency, lang, whole)
    prefix = re.match(r"\D*", first).group()  # type: ignore[union-attr]
    suffix = re.search(r"\D*$", first).group()  # type: ignore[union-attr]
    if prefix and second.startswith(prefix):
        second = second[len(prefix) :]
    elif suffix and second.endswith(suffix):
        first = first[: -len(suffix)]
    return f"{first}\u2013{second}"
