"""Read one content file into its entry model, reporting every problem as ``path:line: message``."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fanpage.content import fields as f
from fanpage.content.frontmatter import YamlMap, split_front_matter
from fanpage.content.links import check_internal_links
from fanpage.content.models import (
    ENTRY_TYPES,
    Album,
    Entry,
    Link,
    PressQuote,
    Show,
    Tour,
    Track,
)
from fanpage.content.problems import FieldError
from fanpage.content.schema import SCHEMAS, Context
from fanpage.content.slugs import slug_from_stem, slugify

_ALT_FOR = {"image": "image_alt", "cover": "cover_alt", "poster": "poster_alt"}
# The keys each section's front matter may have (to place an indentation mistake).
_TOP_KEYS = {section: frozenset(schema.names) for section, schema in SCHEMAS.items()}


def split_lang_suffix(stem: str, languages: tuple[str, ...]) -> tuple[str, str | None]:
    """``about.id`` -> (``about``, ``id``) when ``id`` is a site language."""
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in languages:
        return base, suffix
    return stem, None


def default_uid(relative: Path) -> str:
    """The documented default uid: the file's path under content/ without ``.md``."""
    return relative.with_suffix("").as_posix()


def read_entry(
    path: Path,
    section: str,
    ctx: Context,
    default_lang: str,
    relative: Path,
) -> Entry | None:
    """Parse ``path`` (a file of ``section``: news, albums, tours, pages) into an entry.

    Problems go to ``ctx.problems``; returns None when the entry cannot be built.
    """
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        ctx.problems.error(ctx.path, 1, f"the file is not UTF-8 text ({exc.reason})")
        return None
    try:
        split = split_front_matter(source, _TOP_KEYS[section])
    except FieldError as exc:
        ctx.problems.error(ctx.path, exc.line or 1, exc.message, exc.excerpt)
        return None

    meta = split.meta
    before = len(ctx.problems.errors)
    check_internal_links(split.body, split.body_line, path, ctx.content_dir, ctx.path, ctx.problems)
    fields = SCHEMAS[section].parse(meta, ctx, 1)
    if fields is None:
        return None
    _require_alt_text(fields, meta, ctx)

    stem, suffix_lang = split_lang_suffix(relative.stem, ctx.languages)
    lang = fields.get("lang") or suffix_lang or default_lang
    uid = fields.get("uid") or default_uid(relative)
    common: dict[str, Any] = {
        "uid": uid,
        "title": fields["title"],
        "slug": fields.get("slug") or slug_from_stem(stem),
        "lang": lang,
        "source_path": ctx.path,
        "body": split.body,
        "body_line": split.body_line,
        "summary": fields.get("summary"),
        "tags": tuple(fields.get("tags", ())),
        "image": fields.get("image"),
        "image_alt": fields.get("image_alt"),
        "status": fields.get("status", "published"),
        "modified": fields.get("modified"),
        "crosspost": fields.get("crosspost", True),
        "crosspost_text": fields.get("crosspost_text", {}),
        "key_lines": dict(meta.key_lines),
    }
    entry_type = ENTRY_TYPES[section]
    if entry_type is Album:
        entry = _album(fields, common, ctx)
    elif entry_type is Tour:
        entry = _tour(fields, common, meta, ctx)
    else:
        entry = entry_type(date=fields.get("date"), **common)
    if entry is None or len(ctx.problems.errors) > before:
        return None
    return entry


def _require_alt_text(fields: dict[str, Any], meta: Any, ctx: Context) -> None:
    for key, alt in _ALT_FOR.items():
        if key in fields and alt not in fields:
            ctx.problems.error(
                ctx.path,
                meta.line_of(key),
                f"{key} has no {alt}: describe the picture for fans who cannot see it",
            )


def _album(fields: dict[str, Any], common: dict[str, Any], ctx: Context) -> Album:
    release = fields["release_date"]
    tracks = tuple(
        Track(
            number=number,
            title=t["title"],
            duration_seconds=t["duration"],
            isrc=t.get("isrc"),
            preview=t.get("preview"),
            lyrics=t.get("lyrics"),
            explicit=t.get("explicit", False),
        )
        for number, (t, _line) in enumerate(fields.get("tracks", []), start=1)
    )
    press = tuple(
        PressQuote(p["quote"], p["source"], p.get("url"), p.get("rating"))
        for p, _line in fields.get("press", [])
    )
    return Album(
        date=fields.get("date") or datetime.combine(release, time(0, 0), tzinfo=ctx.zone),
        release_date=release,
        release_type=fields.get("release_type", "album"),
        cover=fields.get("cover"),
        cover_alt=fields.get("cover_alt"),
        label=fields.get("label"),
        tracks=tracks,
        links=tuple(Link(service, target) for service, target in fields.get("links", [])),
        credits=tuple(fields.get("credits", ())),
        press=press,
        **common,
    )


def _tour(fields: dict[str, Any], common: dict[str, Any], meta: Any, ctx: Context) -> Tour | None:
    shows = []
    for raw, item in fields["shows"]:
        show = _show(raw, item, common["uid"], ctx)
        if show is not None:
            shows.append(show)
    if len(shows) != len(fields["shows"]) or len(shows) != len(meta.get("shows") or []):
        return None
    if not shows and not meta.get("shows"):
        ctx.problems.error(ctx.path, meta.line_of("shows"), "a tour needs at least one show")
        return None
    shows.sort(key=lambda s: (s.starts_at, s.uid))
    return Tour(
        date=fields.get("date") or shows[0].starts_at,
        poster=fields.get("poster"),
        poster_alt=fields.get("poster_alt"),
        shows=tuple(shows),
        **common,
    )


def _show(raw: dict[str, Any], item: YamlMap, tour_uid: str, ctx: Context) -> Show | None:
    """Build a show; its date fields need its time zone, so they are parsed here."""
    zone: ZoneInfo = raw.get("timezone") or ctx.zone
    line = item.line
    at = item.line_of
    problems_before = len(ctx.problems.errors)

    def attempt(key: str, parse):
        try:
            return parse()
        except FieldError as exc:
            ctx.problems.error(ctx.path, exc.line or at(key), exc.message)
            return None

    starts = attempt("date", lambda: f.local_datetime(raw["date"], zone, "show date"))
    previous = []
    for value in raw.get("previous_date", []):
        moment = attempt(
            "previous_date", lambda v=value: f.local_datetime(v, zone, "previous_date")
        )
        if moment:
            previous.append(moment[0])
    on_sale = None
    if "on_sale_date" in raw:
        on_sale = attempt(
            "on_sale_date", lambda: f.local_datetime(raw["on_sale_date"], zone, "on_sale_date")[0]
        )
    doors = None
    if "doors" in raw and starts:
        doors = attempt("doors", lambda: _doors(raw["doors"], starts[0], zone))
    status = raw.get("status", "announced")
    if status == "rescheduled" and not raw.get("previous_date"):
        ctx.problems.error(
            ctx.path, at("status"), 'a show with status "rescheduled" needs previous_date'
        )
    if "price" in raw and ("price_min" in raw or "price_max" in raw):
        ctx.problems.error(
            ctx.path, at("price"), "give either price or price_min/price_max, not both"
        )
    if raw.get("price_min", 0) > raw.get("price_max", float("inf")):
        ctx.problems.error(ctx.path, at("price_min"), "price_min is larger than price_max")
    has_price = any(k in raw for k in ("price", "price_min", "price_max"))
    if has_price and "currency" not in raw:
        ctx.problems.error(ctx.path, line, "a show with a price needs a currency (for example IDR)")
    if len(ctx.problems.errors) > problems_before or starts is None:
        return None
    starts_at, has_time = starts
    original = previous[0] if previous else starts_at
    uid = raw.get("uid") or f"{tour_uid}/{original.date().isoformat()}-{slugify(raw['city'])}"
    return Show(
        uid=uid,
        starts_at=starts_at,
        has_time=has_time,
        timezone=zone.key,
        venue=raw["venue"],
        city=raw["city"],
        country=raw["country"],
        status=status,
        doors_at=doors,
        region=raw.get("region"),
        address=raw.get("address"),
        tickets=raw.get("tickets"),
        price=raw.get("price"),
        price_min=raw.get("price_min"),
        price_max=raw.get("price_max"),
        currency=raw.get("currency"),
        on_sale_at=on_sale,
        support=tuple(raw.get("support", ())),
        previous_dates=tuple(sorted(previous)),
        notes=raw.get("notes"),
        line=line,
    )


def _doors(value: Any, starts_at: datetime, zone: ZoneInfo) -> datetime:
    raw = f.text(value, "doors")
    if ":" in raw and "-" not in raw:
        clock = f.clock_time(raw, "doors")
        naive = datetime.combine(starts_at.date(), clock)
        return f.wall_clock(naive, zone, raw, "doors")
    return f.local_datetime(raw, zone, "doors")[0]
