"""Which IANA time zone a person means: by a city's name (``Melbourne`` ->
``Australia/Melbourne``) or by a country (``JP`` -> ``Asia/Tokyo``).

From zoneinfo's zone names and Babel's CLDR data (the cities' names in English and Indonesian,
the zones of each country). Read only to explain a time zone that is not one, so built lazily.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zoneinfo
from datetime import datetime, timedelta

# The areas of geographic zones (not Etc/GMT+7, US/Pacific or SystemV/...).
_AREAS = frozenset(
    (
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    )
)
_LOCALES = ("en", "id")
_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def zone_of_city(name: str) -> str | None:
    """The zone named after the city ``name`` (any case, spaces or underscores), or None."""
    return _cities().get(_normal(name))


def zones_of_country(code: str) -> tuple[str, ...]:
    """The zones of a country (ISO 3166-1 alpha-2), west to east."""
    from babel.core import get_global

    zones = [z for z in get_global("territory_zones").get(code.upper(), ()) if _exists(z)]
    january = datetime(2026, 1, 15)

    def offset(zone: str) -> timedelta:
        return zoneinfo.ZoneInfo(zone).utcoffset(january) or timedelta(0)

    return tuple(sorted(zones, key=lambda zone: (offset(zone), zone)))


@functools.cache
def _cities() -> dict[str, str]:
    from babel.core import get_global
    from babel.dates import get_timezone_location

    aliases: dict[str, str] = get_global("zone_aliases")
    found: dict[str, str] = {}
    # Canonical zones first, so that an old name (Asia/Calcutta) never hides the current one.
    names = sorted(zoneinfo.available_timezones(), key=lambda z: (z in aliases, z))
    for zone in names:
        area, _, place = zone.partition("/")
        if area not in _AREAS or not place:
            continue
        canonical = aliases.get(zone, zone)
        if not _exists(canonical):
            canonical = zone
        spellings = {zone, place.rsplit("/", 1)[-1]}
        for locale in _LOCALES:
            try:
                spellings.add(get_timezone_location(zone, locale=locale, return_city=True))
            except (LookupError, ValueError):
                continue
        for spelling in spellings:
            found.setdefault(_normal(spelling), canonical)
    return found


def _exists(zone: str) -> bool:
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _normal(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NOT_LETTERS.sub(" ", folded.casefold()).strip()
