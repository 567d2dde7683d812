"""Every front-matter key, declared once: its parser, whether it is required, and its doc.

The same declarations validate content, suggest the right key for a typo, and write the
documented stubs of ``fanpage new``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fanpage.content import fields as f
from fanpage.content.frontmatter import YamlList, YamlMap
from fanpage.content.models import (
    ENTRY_STATUSES,
    RELEASE_TYPES,
    SHOW_STATUSES,
)
from fanpage.content.problems import FieldError, ProblemList
from fanpage.content.video import VideoLink, parse_video_url
from fanpage.crosspost.registry import NETWORKS


@dataclass
class Context:
    """What a parser needs to know beyond the value itself."""

    path: str  # as shown in messages
    content_dir: Path
    zone: ZoneInfo  # the site's time zone
    languages: tuple[str, ...]
    problems: ProblemList
    # The mapping whose key is being parsed (a show's city helps explain its time zone).
    mapping: YamlMap | None = None


Parser = Callable[[Any, Context], Any]


@dataclass(frozen=True)
class Key:
    name: str
    parse: Parser
    doc: str
    required: bool = False
    example: Any = None  # written by `fanpage new`; None means commented out
    # What to add when a required key is missing, worked out from the file (its name).
    hint: Callable[[Context], str | None] | None = None


@dataclass(frozen=True)
class Schema:
    """The keys of one mapping (an entry's front matter, a track, a show...)."""

    what: str  # "album", "show", ...
    keys: tuple[Key, ...]
    extra: tuple[str, ...] = field(default=())  # keys handled by the caller

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys) + self.extra

    def parse(self, mapping: Any, ctx: Context, line: int) -> dict[str, Any] | None:
        """Parse ``mapping``; report every problem; return None when anything required failed."""
        if not isinstance(mapping, YamlMap):
            ctx.problems.error(
                ctx.path, line, f"each {self.what} must be a mapping of keys to values"
            )
            return None
        result: dict[str, Any] = {}
        ok = True
        unknown = {name: self._closest(name) for name in mapping if name not in self.names}
        # A misspelt required key is one mistake: the unknown key, with the key it should be.
        misspelt = {
            hint: name
            for name, hint in unknown.items()
            if hint and self._is_missing_required(hint, mapping)
        }
        for key in self.keys:
            if key.name not in mapping or mapping[key.name] is None:
                if key.required:
                    ok = False
                    if key.name not in misspelt:
                        where = mapping.line if self.what in NESTED else 1
                        extra = key.hint(ctx) if key.hint else None
                        ctx.problems.error(
                            ctx.path,
                            where,
                            f'{self.what} is missing required "{key.name}"'
                            + (f"; {extra}" if extra else ""),
                        )
                continue
            key_line = mapping.line_of(key.name)
            ctx.mapping = mapping
            try:
                result[key.name] = key.parse(mapping[key.name], ctx, key_line)
            except FieldError as exc:
                ctx.problems.error(ctx.path, exc.line or key_line, exc.message)
                ok = ok and not key.required
        for name, hint in unknown.items():
            where = mapping.line_of(name)
            if hint in misspelt and misspelt[hint] == name:
                ctx.problems.error(
                    ctx.path,
                    where,
                    f'unknown key "{name}" in {self.what}: did you mean "{hint}" (required)?',
                )
                continue
            also = f' (did you mean "{hint}"?)' if hint else ""
            ctx.problems.warning(ctx.path, where, f'unknown key "{name}" in {self.what}{also}')
        return result if ok else None

    def _closest(self, name: str) -> str | None:
        hint = difflib.get_close_matches(name, self.names, n=1, cutoff=0.7)
        return hint[0] if hint else None

    def _is_missing_required(self, name: str, mapping: YamlMap) -> bool:
        key = next((k for k in self.keys if k.name == name), None)
        return key is not None and key.required and mapping.get(name) is None


NESTED = {"track", "show", "press quote", "photo", "video"}


def _simple(parser: Callable[..., Any], name: str) -> Callable[[Any, Context, int], Any]:
    return lambda value, ctx, line: parser(value, name)


def _path_or_url(name: str) -> Callable[[Any, Context, int], Any]:
    return lambda value, ctx, line: f.local_file_or_url(value, ctx.content_dir, name)


def _lang(value: Any, ctx: Context, line: int) -> str:
    code = f.text(value, "lang")
    if code not in ctx.languages:
        raise FieldError(
            f'lang "{code}" is not one of the site\'s LANGUAGES: {", ".join(ctx.languages)}'
        )
    return code


def _slug(value: Any, ctx: Context, line: int) -> str:
    from fanpage.content.slugs import slugify

    raw = f.text(value, "slug")
    if slugify(raw) != raw:
        raise FieldError(f'slug "{raw}" may use only lower-case letters, digits and hyphens')
    return raw


def _crosspost(value: Any, ctx: Context, line: int) -> bool | tuple[str, ...]:
    if isinstance(value, bool):
        return value
    names = f.text_list(value, "crosspost")
    for name in names:
        if name not in NETWORKS:
            raise FieldError(f'crosspost network "{name}" is not one of: {", ".join(NETWORKS)}')
    return tuple(names)


def _crosspost_text(value: Any, ctx: Context, line: int) -> dict[str, str]:
    if isinstance(value, str):
        return {"*": f.text(value, "crosspost_text")}
    if not isinstance(value, YamlMap):
        raise FieldError("crosspost_text must be text, or a mapping of network to text")
    result = {}
    for name, text in value.items():
        if name not in NETWORKS and name != "*":
            raise FieldError(
                f'crosspost_text network "{name}" is not one of: {", ".join(NETWORKS)}',
                value.line_of(name),
            )
        result[name] = f.text(text, f"crosspost_text for {name}")
    return result


def _date(value: Any, ctx: Context, line: int):
    return f.published_datetime(value, ctx.zone, "date")


def _modified(value: Any, ctx: Context, line: int):
    return f.published_datetime(value, ctx.zone, "modified")


Parsed = list[tuple[dict[str, Any], YamlMap]]


def _list_of(schema: Schema) -> Callable[[Any, Context, int], Parsed]:
    """A list of mappings, each parsed by ``schema``; (fields, mapping) for each good one."""

    def parse(value: Any, ctx: Context, line: int) -> Parsed:
        if not isinstance(value, YamlList):
            raise FieldError(f"{schema.what}s must be a list")
        good = []
        for index, item in enumerate(value):
            item_line = item.line if isinstance(item, YamlMap) else value.line_of(index)
            parsed = schema.parse(item, ctx, item_line)
            if parsed is not None:
                good.append((parsed, item))
        return good

    return parse


def _links(value: Any, ctx: Context, line: int) -> list[tuple[str, str]]:
    if not isinstance(value, YamlMap):
        raise FieldError("links must be a mapping of service name to URL (spotify: https://...)")
    result = []
    for service, target in value.items():
        try:
            result.append((service, f.url(target, f"{service} link")))
        except FieldError as exc:
            ctx.problems.error(ctx.path, value.line_of(service), exc.message)
    return result


# --- nested schemas ---------------------------------------------------------------------------

TRACK = Schema(
    "track",
    (
        Key("title", _simple(f.text, "track title"), "Track title.", required=True),
        Key("duration", _simple(f.duration, "duration"), 'Length as "m:ss".', required=True),
        Key("isrc", _simple(f.isrc, "isrc"), "International Standard Recording Code."),
        Key("preview", _path_or_url("preview"), "Audio preview: a file under content/ or a URL."),
        Key("lyrics", _simple(f.text, "lyrics"), "Lyrics, in Markdown."),
        Key("explicit", _simple(f.boolean, "explicit"), "true when the track has explicit lyrics."),
    ),
)

PRESS = Schema(
    "press quote",
    (
        Key("quote", _simple(f.text, "quote"), "The words quoted.", required=True),
        Key("source", _simple(f.text, "source"), "Who said it.", required=True),
        Key("url", _simple(f.url, "press url"), "Where it was said."),
        Key("rating", _simple(f.text, "rating"), 'A rating as printed, e.g. "4/5".'),
    ),
)


def _show_status(value: Any, ctx: Context, line: int) -> str:
    return f.choice(value, SHOW_STATUSES, "show status")


def _previous(value: Any, ctx: Context, line: int) -> list[str]:
    return [f.text(v, "previous_date") for v in (value if isinstance(value, list) else [value])]


def _zone(value: Any, ctx: Context, line: int) -> ZoneInfo:
    show = ctx.mapping or {}
    city, country = show.get("city"), show.get("country")
    return f.timezone(
        value,
        "timezone",
        city=city if isinstance(city, str) else None,
        country=country if isinstance(country, str) else None,
    )


SHOW = Schema(
    "show",
    (
        Key(
            "date", _simple(f.text, "show date"), 'Local start "YYYY-MM-DD HH:MM", or a date.', True
        ),
        Key("timezone", _zone, "IANA time zone of the venue (default: the site's TIMEZONE)."),
        Key("doors", _simple(f.text, "doors"), 'Doors open, "HH:MM" local time.'),
        Key("venue", _simple(f.text, "venue"), "Venue name.", required=True),
        Key("city", _simple(f.text, "city"), "City.", required=True),
        Key("region", _simple(f.text, "region"), "State or province."),
        Key("country", _simple(f.country, "country"), "ISO 3166-1 alpha-2 code.", required=True),
        Key("address", _simple(f.text, "address"), "Street address."),
        Key("tickets", _simple(f.url, "tickets"), "Ticket shop URL."),
        Key("status", _show_status, "One of: " + ", ".join(SHOW_STATUSES) + "."),
        Key("price", _simple(f.number, "price"), "Ticket price (or price_min and price_max)."),
        Key("price_min", _simple(f.number, "price_min"), "Cheapest ticket."),
        Key("price_max", _simple(f.number, "price_max"), "Dearest ticket."),
        Key("currency", _simple(f.currency, "currency"), "ISO 4217 code, e.g. IDR."),
        Key("on_sale_date", _simple(f.text, "on_sale_date"), "When tickets go on sale."),
        Key("support", _simple(f.text_list, "support"), "Support acts."),
        Key("previous_date", _previous, "The original date(s) of a rescheduled show."),
        Key("uid", _simple(f.text, "uid"), "Stable id; default: tour uid + original date + city."),
        Key("notes", _simple(f.text, "notes"), "Anything else fans should know."),
    ),
)


def _content_file(name: str, parser: Callable[[Any, Path, str], str] = f.content_file):
    """A file under content/ (no URL), checked by ``parser``; ``name`` starts its messages."""
    return lambda value, ctx, line: parser(value, ctx.content_dir, name)


def _video_url(value: Any, ctx: Context, line: int) -> VideoLink:
    return parse_video_url(f.text(value, "video url"))


PHOTO = Schema(
    "photo",
    (
        Key("src", _content_file("photo", f.content_image), "A file under content/.", True),
        Key("alt", _simple(f.text, "alt"), "Describes the photo for fans who cannot see it."),
        Key("caption", _simple(f.text, "caption"), "Shown under the photo."),
        Key("credit", _simple(f.text, "credit"), "Who took the photo."),
    ),
)

VIDEO = Schema(
    "video",
    (
        Key("url", _video_url, "The video on YouTube, Vimeo or PeerTube (or src)."),
        Key("src", _content_file("video src", f.local_video), "A video file under content/."),
        Key("title", _simple(f.text, "video title"), "The video's title.", required=True),
        Key("poster", _content_file("poster", f.content_image), "Still shown before play."),
        Key("captions", _content_file("captions", f.webvtt), "Captions: a WebVTT (.vtt) file."),
        Key(
            "captions_lang",
            _simple(f.language_tag, "captions_lang"),
            "Language of the captions (default: the entry's).",
        ),
        Key("duration", _simple(f.duration, "duration"), 'Length as "m:ss" or "h:mm:ss".'),
    ),
)


def _video(value: Any, ctx: Context, line: int) -> Parsed:
    """One video: the same keys as each item of ``videos``."""
    if not isinstance(value, YamlMap):
        raise FieldError("video must be a mapping of keys to values (url or src, title, ...)")
    parsed = VIDEO.parse(value, ctx, line)
    return [] if parsed is None else [(parsed, value)]


# --- entry schemas ----------------------------------------------------------------------------

COMMON = (
    Key("title", _simple(f.text, "title"), "Title of the entry.", required=True, example="TITLE"),
    Key(
        "summary",
        _simple(f.text, "summary"),
        "One or two sentences for lists and previews.",
    ),
    Key("tags", _simple(f.text_list, "tags"), "A list of tags.", example=[]),
    Key(
        "lang",
        _lang,
        "Language: en (default) or id; a translation shares the slug.",
        example="LANG",
    ),
    Key("slug", _slug, "URL name; default: the file name without date and .md.", example="SLUG"),
    Key("image", _path_or_url("image"), "An image under content/ (images/...) or a URL."),
    Key(
        "image_alt",
        _simple(f.text, "image_alt"),
        "Describes the image for those who cannot see it.",
    ),
    Key(
        "status",
        lambda v, c, ln: f.choice(v, ENTRY_STATUSES, "status"),
        "published, draft or hidden.",
        example="draft",
    ),
    Key("uid", _simple(f.text, "uid"), "Stable id: never change it once published.", example="UID"),
    Key("modified", _modified, "When the entry last changed in a way readers should notice."),
    Key(
        "crosspost", _crosspost, "true, false, or a list of networks to announce on.", example=True
    ),
    Key("crosspost_text", _crosspost_text, "Your own post text: text, or network -> text."),
    Key("video", _video, "A video: url (YouTube, Vimeo, PeerTube) or src, title, poster, ..."),
    Key("videos", _list_of(VIDEO), "Several videos, each with the keys of video."),
)


def _date_from_file_name(ctx: Context) -> str | None:
    """A news file named ``2026-08-18-world-tour.md`` says when it was meant to appear."""
    name = Path(ctx.path).name
    try:
        day = f.calendar_date(name[:10], "date") if len(name) > 10 else None
    except FieldError:
        return None
    if day is None or name[10] not in "-_.":
        return None
    return (
        f"the file name starts with {day.isoformat()}, but a date in the file name is not "
        f"read: add date: {day.isoformat()}"
    )


# The required date of a news post or gallery (a date in the file name is suggested).
PUBLISHED_DATE = Key(
    "date",
    _date,
    "Publication date, YYYY-MM-DD or YYYY-MM-DD HH:MM.",
    True,
    "DATE",
    hint=_date_from_file_name,
)

NEWS = Schema(
    "news post",
    (
        *COMMON[:1],
        PUBLISHED_DATE,
        *COMMON[1:],
    ),
)
PAGE = Schema(
    "page", (*COMMON[:1], Key("date", _date, "Publication date (optional)."), *COMMON[1:])
)
ALBUM = Schema(
    "album",
    (
        *COMMON[:1],
        Key("release_date", _simple(f.calendar_date, "release_date"), "YYYY-MM-DD.", True, "DATE"),
        Key(
            "release_type",
            lambda v, c, ln: f.choice(v, RELEASE_TYPES, "release_type"),
            "One of: " + ", ".join(RELEASE_TYPES) + ".",
            example="album",
        ),
        Key("date", _date, "When the album was announced (default: release_date)."),
        Key("cover", _path_or_url("cover"), "Cover art under content/ (images/...) or a URL."),
        Key("cover_alt", _simple(f.text, "cover_alt"), "Describes the cover; required with cover."),
        Key("label", _simple(f.text, "label"), "Record label."),
        Key(
            "tracks",
            _list_of(TRACK),
            "Tracklist: title, duration, isrc, preview, lyrics, explicit.",
        ),
        Key("links", _links, "Service -> URL: spotify, apple_music, bandcamp, youtube_music, ..."),
        Key("credits", _simple(f.text_list, "credits"), "Who played, wrote, produced."),
        Key("press", _list_of(PRESS), "Press quotes: quote, source, url, rating."),
        *COMMON[1:],
    ),
)
TOUR = Schema(
    "tour",
    (
        *COMMON[:1],
        Key("date", _date, "When the tour was announced (default: the first show's date)."),
        Key("poster", _path_or_url("poster"), "Tour poster under content/ or a URL."),
        Key(
            "poster_alt",
            _simple(f.text, "poster_alt"),
            "Describes the poster; required with poster.",
        ),
        Key("shows", _list_of(SHOW), "The shows; see the show keys.", required=True),
        *COMMON[1:],
    ),
)

GALLERY = Schema(
    "gallery",
    (
        *COMMON[:1],
        PUBLISHED_DATE,
        Key("photos", _list_of(PHOTO), "The photos: src, alt, caption, credit (or photos_dir)."),
        Key(
            "photos_dir",
            _content_file("photos_dir", lambda v, d, w: f.content_file(v, d, w, folder=True)),
            "A folder under content/: every image in it, by file name; alt text in its alt.yaml.",
        ),
        Key("tour", _simple(f.text, "tour"), "The uid of the tour of the show (with show)."),
        Key("show", _simple(f.text, "show"), "The uid of the show the photos are of."),
        *COMMON[1:],
    ),
)

SCHEMAS: dict[str, Schema] = {
    "news": NEWS,
    "albums": ALBUM,
    "tours": TOUR,
    "galleries": GALLERY,
    "pages": PAGE,
}
