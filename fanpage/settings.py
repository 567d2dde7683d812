"""Every fanpage setting, declared once with its type, default and doc, validated before a build.

A site's ``pelicanconf.py`` sets these next to Pelican's own settings. Problems are reported as
``pelicanconf.py:LINE: message`` like content problems.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fanpage.content.problems import FieldError, ProblemList

Check = Callable[[Any], Any]


@dataclass(frozen=True)
class Setting:
    name: str
    type: type | tuple[type, ...]
    default: Any
    doc: str
    check: Check | None = None


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(
            f'TIMEZONE "{value}" is not a known IANA time zone (e.g. Asia/Jakarta)'
        ) from None
    return value


def _site_url(value: str) -> str:
    if value and not value.startswith(("http://", "https://")):
        raise FieldError(f'SITEURL "{value}" must be empty or start with https://')
    return value.rstrip("/")


def _optional_url(name: str) -> Check:
    def check(value: str | None) -> str | None:
        if value and not str(value).startswith(("http://", "https://")):
            raise FieldError(f'{name} "{value}" must start with https://')
        return value

    return check


def _profiles(value: dict) -> dict:
    for network, target in value.items():
        if not str(target).startswith(("http://", "https://")):
            raise FieldError(f'SOCIAL_PROFILES["{network}"] "{target}" must start with https://')
    return value


def _languages(value: Any) -> tuple[str, ...]:
    languages = tuple(value)
    if not languages or not all(isinstance(code, str) and code for code in languages):
        raise FieldError("LANGUAGES must be a non-empty list of language codes, e.g. ['en', 'id']")
    return languages


def _positive(name: str) -> Check:
    def check(value: int) -> int:
        if value <= 0:
            raise FieldError(f"{name} must be a positive number, not {value}")
        return value

    return check


def _artist_type(value: str) -> str:
    if value not in ("group", "person"):
        raise FieldError(f'ARTIST_TYPE "{value}" must be "group" or "person"')
    return value


def _crosspost(value: dict) -> dict:
    from fanpage.crosspost.options import check_crosspost

    return check_crosspost(value)


def _seconds(name: str, allow_zero: bool = False) -> Check:
    def check(value: int | float) -> float:
        if isinstance(value, bool) or value < 0 or (value == 0 and not allow_zero):
            raise FieldError(f"{name} must be a positive number of seconds, not {value!r}")
        return float(value)

    return check


def _card_colors(value: Any) -> tuple[str, str]:
    colors = tuple(value)
    pattern = re.compile(r"^#[0-9a-fA-F]{6}$")
    if len(colors) != 2 or not all(isinstance(c, str) and pattern.match(c) for c in colors):
        raise FieldError(
            'CARD_COLORS must be two colours "#rrggbb": background and text, '
            'e.g. ("#16324a", "#faecd6")'
        )
    return (colors[0], colors[1])


SETTINGS: tuple[Setting, ...] = (
    Setting("SITENAME", str, "My Band", "The site's name, shown in the header and previews."),
    Setting(
        "SITEURL",
        str,
        "",
        "Absolute address of the published site; empty while developing.",
        _site_url,
    ),
    Setting("ARTIST_NAME", (str, type(None)), None, "The artist's name; default: SITENAME."),
    Setting(
        "ARTIST_TYPE", str, "group", '"group" for a band, "person" for a solo artist.', _artist_type
    ),
    Setting(
        "ARTIST_IMAGE", (str, type(None)), None, "Artist photo under content/ for the home page."
    ),
    Setting("ARTIST_IMAGE_ALT", (str, type(None)), None, "Describes the artist photo."),
    Setting("ARTIST_BIO", (str, type(None)), None, "One-line description for the home page."),
    Setting("TIMEZONE", str, "UTC", "The site's IANA time zone; shows default to it.", _timezone),
    Setting("DEFAULT_LANG", str, "en", "Language of entries that do not say otherwise."),
    Setting(
        "LANGUAGES", (list, tuple), ("en", "id"), "Languages the site is written in.", _languages
    ),
    Setting(
        "SOCIAL_PROFILES",
        dict,
        {},
        "Network name -> profile URL (mastodon, bluesky, ...).",
        _profiles,
    ),
    Setting("X_HANDLE", (str, type(None)), None, 'The artist\'s X handle, e.g. "@band".'),
    Setting(
        "FEED_MAX_ITEMS", int, 50, "Items per feed, newest first.", _positive("FEED_MAX_ITEMS")
    ),
    Setting(
        "WEBSUB_HUB",
        (str, type(None)),
        None,
        "WebSub hub announced in feeds.",
        _optional_url("WEBSUB_HUB"),
    ),
    Setting(
        "SHOW_DURATION_MINUTES",
        int,
        180,
        "Length of a show in calendars when not given.",
        _positive("SHOW_DURATION_MINUTES"),
    ),
    Setting(
        "CALENDAR_REFRESH_HOURS",
        int,
        12,
        "How often calendar apps should refresh.",
        _positive("CALENDAR_REFRESH_HOURS"),
    ),
    Setting("NEWS_PER_PAGE", int, 10, "News posts per list page.", _positive("NEWS_PER_PAGE")),
    Setting("WRITE_FEEDS", bool, True, "Write feeds and calendars (publish builds always do)."),
    Setting("LEDGER_PATH", str, "syndication.json", "Where cross-posts are recorded, in the site."),
    Setting(
        "CROSSPOST",
        dict,
        {},
        "Network name -> options: the networks new entries are announced on "
        '(e.g. {"mastodon": {"instance": "https://musician.social"}}).',
        _crosspost,
    ),
    Setting(
        "CROSSPOST_TIMEOUT",
        (int, float),
        20,
        "Seconds to wait for one request to a network.",
        _seconds("CROSSPOST_TIMEOUT"),
    ),
    Setting(
        "CROSSPOST_RETRY_SECONDS",
        (int, float),
        120,
        "Total seconds a run may spend retrying one post.",
        _seconds("CROSSPOST_RETRY_SECONDS", allow_zero=True),
    ),
    Setting(
        "CROSSPOST_CHANGES",
        bool,
        False,
        "Also announce a show that becomes cancelled, postponed or rescheduled (once per change).",
    ),
    Setting(
        "ABOUT_PAGE",
        str,
        "about",
        "Slug of the page about the artist (share previews: profile, artist JSON-LD).",
    ),
    Setting(
        "SOCIAL_CARDS",
        bool,
        True,
        "Draw a 1200x630 share image (title + artist) for entries without an image.",
    ),
    Setting(
        "CARD_FONT",
        (str, type(None)),
        None,
        "Font file (TTF/OTF; relative to the site folder) for share cards; default DejaVu Sans "
        "Bold, shipped. Set a CJK font when titles are in Chinese, Japanese or Korean.",
    ),
    Setting(
        "CARD_COLORS",
        (list, tuple),
        ("#16324a", "#faecd6"),
        "Share card colours: background, text.",
        _card_colors,
    ),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def assignment_lines(path: Path) -> dict[str, int]:
    """Line of each top-level ``NAME = ...`` in a settings file, for messages."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return {}
    lines: dict[str, int] = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                lines[target.id] = node.lineno
    return lines


def _line_in_value(path: Path, name: str, exc: FieldError) -> int | None:
    """For a problem inside a dict setting (``CROSSPOST["x"]``), the line of that key."""
    if exc.line is not None:
        return exc.line
    key = getattr(exc, "key", None)  # the dict key the problem is under, when known
    if key is None:
        return None
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            for sub in ast.walk(node.value):
                if isinstance(sub, ast.Dict):
                    for item in sub.keys:
                        if isinstance(item, ast.Constant) and item.value == key:
                            return item.lineno
    return None


def validate(
    values: dict[str, Any], source: Path, shown: str, problems: ProblemList
) -> dict[str, Any]:
    """Fill defaults, check types and values; return the fanpage settings, normalised."""
    lines = assignment_lines(source)
    result: dict[str, Any] = {}
    for setting in SETTINGS:
        value = values.get(setting.name, setting.default)
        line = lines.get(setting.name, 1)
        if not isinstance(value, setting.type):
            expected = setting.type if isinstance(setting.type, type) else setting.type[0]
            problems.error(
                shown, line, f"{setting.name} must be a {expected.__name__}, not {value!r}"
            )
            result[setting.name] = setting.default
            continue
        try:
            result[setting.name] = setting.check(value) if setting.check else value
        except FieldError as exc:
            problems.error(shown, _line_in_value(source, setting.name, exc) or line, exc.message)
            result[setting.name] = setting.default
    if result["ARTIST_NAME"] is None:
        result["ARTIST_NAME"] = result["SITENAME"]
    if result["DEFAULT_LANG"] not in result["LANGUAGES"]:
        problems.error(
            shown,
            lines.get("DEFAULT_LANG", 1),
            f'DEFAULT_LANG "{result["DEFAULT_LANG"]}" is not in LANGUAGES',
        )
    return result
