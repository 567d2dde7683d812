"""Every fanpage setting, declared once with its type, default and doc, validated before a build.

A site's ``pelicanconf.py`` sets these next to Pelican's own settings. Problems are reported as
``pelicanconf.py:LINE: message`` like content problems. The checked values reach every room as
one frozen :class:`Settings` object (MkDocs' ``config_options`` are the model): one attribute
per declaration, its name in lower case (``CARD_FONT`` -> ``settings.card_font``), so that no
caller restates a default.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fanpage.content.problems import FieldError, ProblemList

if TYPE_CHECKING:
    from fanpage.crosspost.network import NetworkConfig

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
        from fanpage.content.zones import zone_of_city

        zone = zone_of_city(value)
        hint = f"did you mean {zone}?" if zone else "e.g. Asia/Jakarta"
        raise FieldError(f'TIMEZONE "{value}" is not a known IANA time zone ({hint})') from None
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
    if not value:  # nothing to announce on: the cross-posting room is not even loaded
        return {}
    from fanpage.crosspost.options import check_crosspost

    return check_crosspost(value)


def _deploy_target(value: str | None) -> str | None:
    if value is None:
        return None
    from fanpage.publish.targets import TargetError, parse_target

    try:
        parse_target(value)  # the grammar only: nothing is contacted
    except TargetError as exc:
        raise FieldError(f"DEPLOY_TARGET: {exc}") from None
    return value


S3_OPTIONS = ("endpoint_url", "region", "addressing_style")


def _deploy_s3(value: dict) -> dict:
    for key, option in value.items():
        if key not in S3_OPTIONS:
            raise FieldError(f'DEPLOY_S3: unknown option "{key}"; one of: {", ".join(S3_OPTIONS)}')
        if not isinstance(option, str):
            raise FieldError(f'DEPLOY_S3["{key}"] must be text, not {option!r}')
    endpoint = value.get("endpoint_url")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise FieldError(f'DEPLOY_S3["endpoint_url"] "{endpoint}" must start with https://')
    return value


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


def _image_widths(value: Any) -> tuple[int, ...]:
    widths = tuple(value)
    if not widths or not all(
        isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8000 for w in widths
    ):
        raise FieldError(
            "IMAGE_WIDTHS must be a non-empty list of widths in pixels, each from 16 to 8000, "
            f"e.g. (480, 960, 1600), not {value!r}"
        )
    return tuple(sorted(set(widths)))


def _thumbnail_size(value: int) -> int:
    if isinstance(value, bool) or not 16 <= value <= 8000:
        raise FieldError(
            f"IMAGE_THUMBNAIL_SIZE must be a side in pixels from 16 to 8000, not {value!r}"
        )
    return value


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
    Setting(
        "LEDGER_PATH",
        str,
        "syndication.json",
        "Where cross-posts are recorded: relative to the site folder, or absolute. The "
        "environment variable FANPAGE_LEDGER_PATH, when set, wins (a deploy's state folder).",
    ),
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
        "DEPLOY_TARGET",
        (str, type(None)),
        None,
        "Where `fanpage deploy` publishes: dir:/var/www/site, github-pages (or git:BRANCH), "
        "rsync:user@host:/path or s3://bucket/prefix.",
        _deploy_target,
    ),
    Setting(
        "DEPLOY_S3",
        dict,
        {},
        'Options of an s3:// target: {"endpoint_url": ..., "region": ...} (R2, B2, MinIO).',
        _deploy_s3,
    ),
    Setting(
        "DEPLOY_WAIT_SECONDS",
        (int, float),
        300,
        "How long a deploy waits for new pages to be live before posting about them (0: not).",
        _seconds("DEPLOY_WAIT_SECONDS", allow_zero=True),
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
    Setting(
        "IMAGE_WIDTHS",
        (list, tuple),
        (480, 960, 1600),
        "Widths in pixels every published image is resized to (srcset); never enlarged.",
        _image_widths,
    ),
    Setting(
        "IMAGE_THUMBNAIL_SIZE",
        int,
        400,
        "Side in pixels of the square thumbnail of every published image (gallery grids).",
        _thumbnail_size,
    ),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def default(name: str) -> Any:
    """The declared default of a setting, for a view that may be made without settings."""
    return BY_NAME[name].default


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
    if result["CARD_FONT"] is not None:
        wrong = _font_problem(source.parent / result["CARD_FONT"])
        if wrong:
            problems.error(
                shown, lines.get("CARD_FONT", 1), f'CARD_FONT "{result["CARD_FONT"]}" {wrong}'
            )
            result["CARD_FONT"] = None
    return result


def _font_problem(path: Path) -> str | None:
    """Why share cards could not be drawn with the font at ``path``; None when they can."""
    if not path.is_file():
        return f"does not exist (looked for {path})"
    from PIL import ImageFont

    try:
        ImageFont.truetype(str(path), 12)
    except OSError:
        return "is not a font file Pillow can read (TrueType or OpenType)"
    return None


@dataclass(frozen=True)
class Settings:
    """A site's fanpage settings, checked: what hooks, metadata, feeds and cross-posting read.

    The first fields are the declarations of :data:`SETTINGS`, in order, named in lower case;
    adding a setting is one ``Setting`` there and one field here (:func:`settings_from` fails
    on a mismatch). The last fields say where this build runs and where its settings file is;
    a site does not write them.
    """

    sitename: str
    siteurl: str  # without a trailing slash; "" in development
    artist_name: str  # SITENAME when not set
    artist_type: str
    artist_image: str | None
    artist_image_alt: str | None
    artist_bio: str | None
    timezone: str
    default_lang: str
    languages: tuple[str, ...]
    social_profiles: Mapping[str, str]
    x_handle: str | None
    feed_max_items: int
    websub_hub: str | None
    show_duration_minutes: int
    calendar_refresh_hours: int
    news_per_page: int
    write_feeds: bool  # always True in publish builds
    ledger_path: str
    crosspost: Mapping[str, NetworkConfig]
    crosspost_timeout: float
    crosspost_retry_seconds: float
    crosspost_changes: bool
    deploy_target: str | None
    deploy_s3: Mapping[str, str]
    deploy_wait_seconds: float
    about_page: str
    social_cards: bool
    card_font: str | None  # relative to site_dir
    card_colors: tuple[str, str]
    image_widths: tuple[int, ...]  # sorted, each 16..8000
    image_thumbnail_size: int
    # -- where this build runs ------------------------------------------------------------
    site_dir: Path
    content_dir: Path  # Pelican's PATH
    output_dir: Path  # Pelican's OUTPUT_PATH
    publish: bool  # built with publishconf.py
    source: str = "pelicanconf.py"  # the settings file, as messages name it
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def where(self, name: str) -> tuple[str, int]:
        """(file, line) of a setting, for a problem about it (line 1 when it is not set)."""
        return self.source, self.lines.get(name, 1)


def settings_from(
    values: Mapping[str, Any],
    *,
    site_dir: Path,
    content_dir: Path,
    output_dir: Path,
    publish: bool = False,
    source: str = "pelicanconf.py",
    lines: Mapping[str, int] | None = None,
) -> Settings:
    """The :class:`Settings` of ``values``, as :func:`validate` returned them (mappings are
    copied read-only: the object is frozen all the way down)."""
    checked = {setting.name.lower(): _read_only(values[setting.name]) for setting in SETTINGS}
    return Settings(
        **checked,
        site_dir=site_dir,
        content_dir=content_dir,
        output_dir=output_dir,
        publish=publish,
        source=source,
        lines=MappingProxyType(dict(lines or {})),
    )


def _read_only(value: Any) -> Any:
    return MappingProxyType(dict(value)) if isinstance(value, Mapping) else value


def check_ledger(settings: Settings) -> ProblemList:
    """``LEDGER_PATH`` names a cross-post ledger the build can read, or no file yet.

    The ledger is the cross-posting room's (its "also on" links are on the pages): a broken
    one fails the build, so ``check`` reports it first, at the ledger's own file and line.
    """
    from fanpage.content.site import display_path
    from fanpage.crosspost.also_on import ledger_path
    from fanpage.crosspost.ledger import LedgerError, load_ledger

    problems = ProblemList()
    path = ledger_path(settings.site_dir, settings.ledger_path)
    try:
        load_ledger(path)
    except LedgerError as exc:
        message = str(exc).removeprefix(f"{path}: ")
        found = re.search(r"\bline (\d+) column \d+", message)  # where the JSON broke
        problems.error(
            display_path(path, settings.site_dir), int(found.group(1)) if found else 1, message
        )
    return problems
