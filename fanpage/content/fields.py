"""Parsers for front-matter values: each turns raw YAML into a typed value or raises FieldError.

Messages quote the offending value and say what was expected, because the artist reading them
may never have seen a stack trace.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fanpage.content import iso, zones
from fanpage.content.problems import FieldError

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_ISO_OFFSET = re.compile(
    r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$"
)
_SLASHED = re.compile(r"^\d{1,4}[/.]\d{1,2}[/.]\d{1,4}")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_ISRC = re.compile(r"^[A-Z]{2}-?[A-Z0-9]{3}-?\d{2}-?\d{5}$")


def text(value: Any, what: str = "value") -> str:
    """A non-empty string; numbers are accepted and turned into text."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise FieldError(f"{what} must be text, not {_describe(value)}")
    result = str(value).strip()
    if not result:
        raise FieldError(f"{what} must not be empty")
    return result


def boolean(value: Any, what: str = "value") -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"{what} must be true or false, not {_describe(value)}")
    return value


def number(value: Any, what: str = "value") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FieldError(f"{what} must be a number, not {_describe(value)}")
    if value < 0:
        raise FieldError(f"{what} must not be negative, not {value}")
    return value


def text_list(value: Any, what: str = "value") -> list[str]:
    """A list of strings; a single string is accepted as a one-item list."""
    if isinstance(value, str):
        return [text(value, what)]
    if not isinstance(value, list):
        raise FieldError(f"{what} must be a list, not {_describe(value)}")
    return [text(item, f"each item of {what}") for item in value]


def choice(value: Any, choices: tuple[str, ...], what: str) -> str:
    word = text(value, what)
    if word not in choices:
        raise FieldError(f'{what} "{word}" is not one of: {", ".join(choices)}')
    return word


def url(value: Any, what: str = "URL") -> str:
    """An absolute http(s) URL with a host."""
    raw = text(value, what)
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in raw:
        raise FieldError(
            f'{what} "{raw}" is not a valid URL (it must start with https:// or http://)'
        )
    host = parts.hostname or ""
    if "." not in host and host != "localhost":
        raise FieldError(f'{what} "{raw}" is not a valid URL (the host "{host}" has no domain)')
    return raw


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def local_file_or_url(value: Any, content_dir: Path, what: str) -> str:
    """A URL, or a path under the content folder that must exist (``images/cover.jpg``)."""
    raw = text(value, what)
    if is_url(raw):
        return url(raw, what)
    relative = raw.lstrip("/")
    if relative.startswith("{static}"):
        relative = relative[len("{static}") :].lstrip("/")
    target = content_dir / relative
    if ".." in Path(relative).parts or not target.is_file():
        near = _same_name(target) if ".." not in Path(relative).parts else None
        also = ""
        if near is not None:
            also = f"; there is {near.relative_to(content_dir).as_posix()}: did you mean that?"
        raise FieldError(f'{what} "{raw}" does not exist (looked for {_display(target)}){also}')
    return relative


def _same_name(target: Path) -> Path | None:
    """A file beside ``target`` with its name and another extension (``cover.png`` for
    ``cover.jpg``), or the same name in other letter case."""
    folder = target.parent
    if not folder.is_dir():
        return None
    wanted = target.stem.casefold()
    candidates = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.stem.casefold() == wanted and p.name != target.name
    )
    return candidates[0] if candidates else None


def calendar_date(value: Any, what: str = "date") -> date:
    raw = text(value, what)
    match = _ISO_DATE.match(raw)
    if not match:
        _reject_date_format(raw, what)
        raise FieldError(f'{what} "{raw}" is not a valid date (write it as YYYY-MM-DD)')
    return _make_date(raw, match.groups(), what)


def local_datetime(value: Any, zone: ZoneInfo, what: str = "date") -> tuple[datetime, bool]:
    """A wall-clock time at a place: ``YYYY-MM-DD HH:MM`` or a bare date.

    Returns the aware datetime and whether a time of day was given. Times that do not exist
    (skipped by a daylight-saving change) or that happen twice (the hour repeated when clocks go
    back) are refused: a show must have one unambiguous start.
    """
    raw = text(value, what)
    if _ISO_DATE.match(raw):
        day = calendar_date(raw, what)
        return datetime.combine(day, time(0, 0), tzinfo=zone), False
    match = _ISO_DATETIME.match(raw)
    if not match:
        _reject_date_format(raw, what)
        raise FieldError(f'{what} "{raw}" is not a valid date and time (write YYYY-MM-DD HH:MM)')
    year, month, day_, hour, minute, second = match.groups()
    day = _make_date(raw, (year, month, day_), what)
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        raise FieldError(f'{what} "{raw}" is not a valid time of day')
    naive = datetime.combine(day, time(int(hour), int(minute), int(second or 0)))
    return wall_clock(naive, zone, raw, what), True


def wall_clock(naive: datetime, zone: ZoneInfo, raw: str, what: str) -> datetime:
    """Attach ``zone`` to a naive time, refusing skipped and repeated wall-clock times."""
    early = naive.replace(tzinfo=zone, fold=0)
    late = naive.replace(tzinfo=zone, fold=1)
    if early.utcoffset() != late.utcoffset():
        round_trip = early.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
        if round_trip != naive:
            raise FieldError(
                f'{what} "{raw}" does not exist in {zone.key}: the clocks skip that hour '
                "for daylight saving time"
            )
        raise FieldError(
            f'{what} "{raw}" is ambiguous in {zone.key}: that hour happens twice when the clocks '
            "go back; pick another time or give the show an explicit offset"
        )
    return early


def published_datetime(value: Any, zone: ZoneInfo, what: str = "date") -> datetime:
    """An entry's date: a date, a local ``YYYY-MM-DD HH:MM``, or ISO 8601 with an offset."""
    raw = text(value, what)
    if _ISO_OFFSET.match(raw):
        try:
            return datetime.fromisoformat(raw.replace(" ", "T").replace("Z", "+00:00"))
        except ValueError:
            raise FieldError(f'{what} "{raw}" is not a valid date and time') from None
    moment, _ = local_datetime(raw, zone, what)
    return moment


def clock_time(value: Any, what: str = "time") -> time:
    raw = text(value, what)
    match = _CLOCK.match(raw)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise FieldError(f'{what} "{raw}" is not a valid time of day (write HH:MM)')
    return time(int(match.group(1)), int(match.group(2)))


def duration(value: Any, what: str = "duration") -> int:
    """Seconds from ``m:ss`` or ``h:mm:ss``."""
    raw = text(value, what)
    match = _DURATION.match(raw)
    if not match or int(match.group(3)) > 59 or (match.group(1) and int(match.group(2)) > 59):
        raise FieldError(f'{what} "{raw}" is not a duration in m:ss (for example 3:45)')
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return int(timedelta(hours=hours, minutes=minutes, seconds=seconds).total_seconds())


def timezone(
    value: Any, what: str = "timezone", city: str | None = None, country: str | None = None
) -> ZoneInfo:
    """An IANA time zone. When it is not one, the message names the zone meant when it can
    tell: the value written as a city (``Melbourne``), else the zone of the show's city, else
    the zones of its country."""
    raw = text(value, what)
    try:
        if "/" not in raw and raw != "UTC":
            raise ZoneInfoNotFoundError(raw)
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    meant = zones.zone_of_city(raw)
    if meant:
        raise FieldError(f'{what} "{raw}" is not a known IANA time zone: did you mean {meant}?')
    example = "for example Asia/Jakarta"
    of_city = zones.zone_of_city(city) if city else None
    of_country = zones.zones_of_country(country) if country else ()
    if of_city:
        example = f"for {city.strip()}: {of_city}"
    elif country and 0 < len(of_country) <= 5:
        *others, last = of_country
        listed = f"{', '.join(others)} or {last}" if others else last
        example = f"for {country_name(country.upper())}: {listed}"
    raise FieldError(f'{what} "{raw}" is not a known IANA time zone ({example})')


def country(value: Any, what: str = "country") -> str:
    raw = text(value, what)
    if len(raw) != 2 or raw.upper() not in iso.countries():
        raise FieldError(
            f'{what} "{raw}" is not an ISO 3166-1 alpha-2 country code (for example ID)'
        )
    return raw.upper()


def country_name(code: str) -> str:
    return iso.country_name(code)


def currency(value: Any, what: str = "currency") -> str:
    raw = text(value, what)
    if len(raw) != 3 or raw.upper() not in iso.currencies():
        raise FieldError(f'{what} "{raw}" is not an ISO 4217 currency code (for example IDR)')
    return raw.upper()


def isrc(value: Any, what: str = "isrc") -> str:
    raw = text(value, what).upper()
    if not _ISRC.match(raw):
        raise FieldError(f'{what} "{raw}" is not an ISRC (for example IDA012500001)')
    return raw.replace("-", "")


def _make_date(raw: str, parts: tuple[str, str, str], what: str) -> date:
    year, month, day = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldError(f'{what} "{raw}" is not a valid date') from None


def _reject_date_format(raw: str, what: str) -> None:
    if _SLASHED.match(raw):
        raise FieldError(
            f'{what} "{raw}" is ambiguous: day and month could be either way round; '
            "write it as YYYY-MM-DD"
        )


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f'"{value}"'


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# Files a gallery's photos_dir takes as photos (other files, alt.yaml among them, are left).
IMAGE_SUFFIXES: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".tif")
# Video files every current browser plays in ``<video>``.
VIDEO_SUFFIXES: tuple[str, ...] = (".mp4", ".webm", ".m4v", ".mov", ".ogv")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def content_file(value: Any, content_dir: Path, what: str, folder: bool = False) -> str:
    """A file (or, with ``folder``, a folder) under content/, as a path relative to it.

    Never a URL and never outside content/: only what is there can be resized and published.
    """
    raw = text(value, what)
    if is_url(raw) or raw.startswith("//"):
        raise FieldError(f'{what} "{raw}" is a URL: it must be a file under content/')
    relative = raw.lstrip("/")
    if relative.startswith("{static}"):
        relative = relative[len("{static}") :].lstrip("/")
    relative = relative.rstrip("/") if folder else relative
    target = content_dir / relative
    if ".." in Path(relative).parts or not _inside(target, content_dir):
        raise FieldError(f'{what} "{raw}" is outside content/: it must be a file under content/')
    if folder:
        if not target.is_dir():
            raise FieldError(f'{what} "{raw}" is not a folder (looked for {_display(target)})')
        return Path(relative).as_posix()
    if not target.is_file():
        near = _same_name(target)
        also = ""
        if near is not None:
            also = f"; there is {near.relative_to(content_dir).as_posix()}: did you mean that?"
        raise FieldError(f'{what} "{raw}" does not exist (looked for {_display(target)}){also}')
    return Path(relative).as_posix()


def _inside(target: Path, content_dir: Path) -> bool:
    """False when ``target`` resolves outside ``content_dir`` (a symbolic link out of it)."""
    try:
        target.resolve().relative_to(content_dir.resolve())
    except ValueError:
        return False
    return True


def content_image(value: Any, content_dir: Path, what: str) -> str:
    """An image file under content/ (the media pipeline resizes it)."""
    from fanpage.media.sniff import KINDS, is_image

    relative = content_file(value, content_dir, what)
    if not is_image(content_dir / relative):
        raise FieldError(f'{what} "{text(value, what)}" is not an image ({KINDS})')
    return relative


def local_video(value: Any, content_dir: Path, what: str = "src") -> str:
    """A video file under content/ that browsers play."""
    relative = content_file(value, content_dir, what)
    if Path(relative).suffix.lower() not in VIDEO_SUFFIXES:
        raise FieldError(
            f'{what} "{text(value, what)}" is not a video file browsers play: use '
            + ", ".join(VIDEO_SUFFIXES[:-1])
            + f" or {VIDEO_SUFFIXES[-1]}"
        )
    return relative


def webvtt(value: Any, content_dir: Path, what: str = "captions") -> str:
    """A WebVTT file under content/: browsers show no other captions format in ``<track>``."""
    relative = content_file(value, content_dir, what)
    raw = text(value, what)
    if Path(relative).suffix.lower() != ".vtt":
        raise FieldError(
            f'{what} "{raw}" is not WebVTT: its name must end in .vtt and its first line '
            "must be WEBVTT"
        )
    with (content_dir / relative).open("rb") as file:
        head = file.read(16)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head.startswith(b"WEBVTT") or head[6:7] not in (b"", b" ", b"\t", b"\n", b"\r"):
        raise FieldError(f'{what} "{raw}" is not WebVTT: its first line must be WEBVTT')
    return relative


def language_tag(value: Any, what: str = "language") -> str:
    """A BCP 47 language tag (``en``, ``id``, ``pt-BR``)."""
    raw = text(value, what)
    if not _LANGUAGE_TAG.match(raw):
        raise FieldError(f'{what} "{raw}" is not a language tag (for example en or id)')
    return raw
