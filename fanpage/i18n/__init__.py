"""Interface text and dates in the page's language (English and Indonesian).

The catalog is a typed dict rather than gettext files: no compile step, nothing to forget in a
release, and a test checks that every message has every translation.
"""

from fanpage.i18n.catalog import (
    LANGUAGE_NAMES,
    MESSAGES,
    list_title,
    release_type_label,
    translate,
)
from fanpage.i18n.dates import (
    country_label,
    format_day,
    format_long_date,
    format_price,
    format_price_range,
    format_time,
    zone_label,
    zone_name,
)

__all__ = [
    "LANGUAGE_NAMES",
    "MESSAGES",
    "country_label",
    "format_day",
    "format_long_date",
    "format_price",
    "format_price_range",
    "format_time",
    "list_title",
    "release_type_label",
    "translate",
    "zone_label",
    "zone_name",
]
