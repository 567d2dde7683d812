"""Read one content file into its entry model, reporting every problem as ``path:line: message``."""

from __future__ import annotations

import difflib
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fanpage.content import fields as f
from fanpage.content.frontmatter import YamlMap, load_yaml, split_front_matter
from fanpage.content.links import check_internal_links
from fanpage.content.models import (
    ENTRY_TYPES,
    Album,
    Entry,
    Gallery,
    Link,
    Photo,
    PressQuote,
    Show,
    Tour,
    Track,
    Video,
)
from fanpage.content.problems import FieldError
from fanpage.content.schema import SCHEMAS, Context
from fanpage.content.slugs import slug_from_stem, slugify
from fanpage.content.video import fetched_poster_path

_ALT_FOR = {"image": "image_alt", "cover": "cover_alt", "poster": "poster_alt"}
ALT_FILE = "alt.yaml"  # beside the photos of a photos_dir: file name -> alt text
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
        "videos": _videos(fields, meta, ctx, lang),
        "key_lines": dict(meta.key_lines),
    }
    entry_type = ENTRY_TYPES[section]
    if entry_type is Album:
        entry = _album(fields, common, ctx)
    elif entry_type is Tour:
        entry = _tour(fields, common, meta, ctx)
    elif entry_type is Gallery:
        entry = _gallery(fields, common, meta, ctx, relative)
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


def _videos(fields: dict[str, Any], meta: YamlMap, ctx: Context, lang: str) -> tuple[Video, ...]:
    """``video`` (one) or ``videos`` (a list), never both: one list of videos either way."""
    if meta.get("video") is not None and meta.get("videos") is not None:
        ctx.problems.error(
            ctx.path,
            meta.line_of("videos"),
            "give either video (one video) or videos (a list of them), not both",
        )
    videos = []
    for raw, item in [*fields.get("video", []), *fields.get("videos", [])]:
        video = _video(raw, item, ctx, lang)
        if video is not None:
            videos.append(video)
    return tuple(videos)


def _video(raw: dict[str, Any], item: YamlMap, ctx: Context, lang: str) -> Video | None:
    """A hosted video (``url``) or a local file (``src``); exactly one of them."""
    has_url, has_src = item.get("url") is not None, item.get("src") is not None
    if has_url == has_src:
        ctx.problems.error(
            ctx.path,
            item.line,
            "video has both url and src: give one of them"
            if has_url
            else "video needs url (a YouTube, Vimeo or PeerTube link) or src (a file under "
            "content/)",
        )
        return None
    if "url" not in raw and "src" not in raw:
        return None  # its own error is reported
    link = raw.get("url")
    poster = raw.get("poster")
    if link is not None and poster is None and item.get("poster") is None:
        fetched = fetched_poster_path(link.host, link.video_id)
        if (ctx.content_dir / fetched).is_file():
            try:
                poster = f.content_image(fetched, ctx.content_dir, "fetched poster")
            except FieldError as exc:
                ctx.problems.error(
                    ctx.path,
                    item.line_of("url"),
                    f"{exc.message}: delete it and run fanpage media fetch-posters again",
                )
    captions = raw.get("captions")
    if captions and link is not None:
        ctx.problems.warning(
            ctx.path,
            item.line_of("captions"),
            f"captions are shown with a local src only: add them to the video on {link.host}",
        )
        captions = None
    return Video(
        title=raw["title"],
        url=item["url"].strip() if link is not None else None,
        src=raw.get("src"),
        host=link.host if link is not None else None,
        video_id=link.video_id if link is not None else None,
        embed_url=link.embed_url if link is not None else None,
        poster=poster,
        captions=captions,
        captions_lang=raw.get("captions_lang") or (lang if captions else None),
        duration_seconds=raw.get("duration"),
        line=item.line,
    )


def _gallery(
    fields: dict[str, Any], common: dict[str, Any], meta: YamlMap, ctx: Context, relative: Path
) -> Gallery | None:
    has_list, has_dir = meta.get("photos") is not None, meta.get("photos_dir") is not None
    if has_list and has_dir:
        ctx.problems.error(
            ctx.path,
            meta.line_of("photos_dir"),
            "give either photos (a list) or photos_dir (a folder), not both",
        )
        return None
    if not has_list and not has_dir:
        ctx.problems.error(
            ctx.path,
            1,
            "gallery needs photos (a list of src and alt) or photos_dir (a folder under content/)",
        )
        return None
    photos: list[Photo] = []
    for raw, item in fields.get("photos", []):
        if "alt" not in raw:
            if item.get("alt") is None:  # a bad alt value has its own error
                ctx.problems.error(
                    ctx.path,
                    item.line,
                    f'photo "{raw["src"]}" has no alt: describe the picture for fans who '
                    "cannot see it",
                )
            continue
        photos.append(
            Photo(raw["src"], raw["alt"], raw.get("caption"), raw.get("credit"), item.line)
        )
    if "photos_dir" in fields:
        photos = _photos_from_dir(
            fields["photos_dir"], meta.line_of("photos_dir"), ctx, common["lang"], relative
        )
    if has_list and not meta["photos"]:
        ctx.problems.error(ctx.path, meta.line_of("photos"), "photos is empty: list at least one")
    if "show" in fields and "tour" not in fields and meta.get("tour") is None:
        ctx.problems.error(
            ctx.path,
            meta.line_of("show"),
            f'show "{fields["show"]}" needs tour: the uid of the tour the show belongs to',
        )
    return Gallery(
        date=fields["date"],
        photos=tuple(photos),
        tour_uid=fields.get("tour"),
        show_uid=fields.get("show"),
        **common,
    )


def _photos_from_dir(
    folder: str, line: int, ctx: Context, lang: str, relative: Path
) -> list[Photo]:
    """Every image of ``folder`` in file-name order, described by the folder's alt.yaml
    (``alt.<lang>.yaml`` first, for a translation)."""
    from fanpage.media.sniff import KINDS, is_image

    where = ctx.content_dir / folder
    files = sorted(
        p
        for p in where.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in f.IMAGE_SUFFIXES
    )
    if not files:
        ctx.problems.error(
            ctx.path,
            line,
            f'photos_dir "{folder}" has no images ({", ".join(f.IMAGE_SUFFIXES)})',
        )
        return []
    alt_file = where / f"alt.{lang}.yaml"
    if not alt_file.is_file():
        alt_file = where / ALT_FILE
    alt_name = f"{folder}/{alt_file.name}"
    alts = _read_alt_file(alt_file, [p.name for p in files], ctx, _content_shown(ctx, relative))
    photos = []
    for file in files:
        src = f"{folder}/{file.name}"
        if not is_image(file):
            ctx.problems.error(ctx.path, line, f'photo "{src}" is not an image ({KINDS})')
            continue
        alt = alts.get(file.name)
        if alt is None:
            ctx.problems.error(
                ctx.path,
                line,
                f'photo "{src}" has no alt text in {alt_name}: add a line '
                f'"{file.name}: what the photo shows" for fans who cannot see it',
            )
            continue
        photos.append(Photo(src, alt, line=line))
    return photos


def _read_alt_file(
    file: Path, names: list[str], ctx: Context, content_shown: str
) -> dict[str, str]:
    """alt.yaml: file name -> alt text. Its own mistakes are reported at its own lines."""
    if not file.is_file():
        return {}
    shown = content_shown + file.relative_to(ctx.content_dir).as_posix()
    try:
        mapping = load_yaml(file.read_text(encoding="utf-8"))
    except FieldError as exc:
        _once(ctx, shown, exc.line or 1, exc.message, error=True)
        return {}
    except UnicodeDecodeError as exc:
        _once(ctx, shown, 1, f"the file is not UTF-8 text ({exc.reason})", error=True)
        return {}
    if mapping is None:
        return {}
    if not isinstance(mapping, YamlMap):
        _once(ctx, shown, 1, "alt.yaml must map each file name to its alt text", error=True)
        return {}
    alts = {}
    for name, value in mapping.items():
        at = mapping.line_of(name)
        if name not in names:
            near = difflib.get_close_matches(name, [n for n in names if n not in mapping], 1, 0.6)
            also = f' (did you mean "{near[0]}"?)' if near else ""
            _once(ctx, shown, at, f'alt text for "{name}", which is not in the folder{also}')
            continue
        try:
            alts[name] = f.text(value, f'alt text of "{name}"')
        except FieldError as exc:
            _once(ctx, shown, at, exc.message, error=True)
    return alts


def _once(ctx: Context, path: str, line: int, message: str, error: bool = False) -> None:
    """Report a problem of a shared file (an alt.yaml read by a gallery and its translation)
    once."""
    if any(p.path == path and p.line == line and p.message == message for p in ctx.problems.items):
        return
    (ctx.problems.error if error else ctx.problems.warning)(path, line, message)


def _content_shown(ctx: Context, relative: Path) -> str:
    """How messages name the content folder ("content/"), from how they name this entry."""
    entry = relative.as_posix()
    return ctx.path[: -len(entry)] if ctx.path.endswith(entry) else f"{ctx.content_dir}/"


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
