"""Read a whole content folder once, and check what no single file can: duplicate ids and URLs."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from fanpage.content.models import ENTRY_TYPES, Album, Entry, Gallery, NewsPost, Page, Tour
from fanpage.content.problems import ProblemList
from fanpage.content.reader import read_entry, split_lang_suffix
from fanpage.content.schema import Context

# The folders of content/ that hold entries (news/, albums/, tours/, pages/).
FOLDERS: tuple[str, ...] = tuple(ENTRY_TYPES)
# Folders of content/ that hold files other than entries.
ASSET_FOLDERS: tuple[str, ...] = ("images", "audio", "extra", "files")
# Page slugs that would collide with the site's own URLs.
RESERVED_PAGE_SLUGS: frozenset[str] = frozenset(
    {*FOLDERS, "tags", "feeds", "theme", "images", "audio", "id", "en", "tour", "album"}
)


@dataclass(frozen=True)
class ContentSettings:
    """The few settings reading content depends on."""

    site_dir: Path
    content_dir: Path
    timezone: str
    default_lang: str
    languages: tuple[str, ...]


@dataclass
class SiteContent:
    """Every valid entry of a site, and every problem found reading it."""

    settings: ContentSettings
    entries: list[Entry] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    by_path: dict[Path, Entry] = field(default_factory=dict)
    # Every entry file read, by its path under content/, with its entry (None: it had errors).
    by_file: dict[Path, Entry | None] = field(default_factory=dict, repr=False)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def markdown_texts(self) -> Iterator[str]:
        """Every Markdown text a build renders: entry bodies and album lyrics."""
        for entry in self.entries:
            yield entry.body
            for track in getattr(entry, "tracks", ()):
                if track.lyrics:
                    yield track.lyrics

    def published(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "published"]

    @property
    def news(self) -> list[NewsPost]:
        return [e for e in self.entries if isinstance(e, NewsPost)]

    @property
    def albums(self) -> list[Album]:
        return [e for e in self.entries if isinstance(e, Album)]

    @property
    def tours(self) -> list[Tour]:
        return [e for e in self.entries if isinstance(e, Tour)]

    @property
    def galleries(self) -> list[Gallery]:
        return [e for e in self.entries if isinstance(e, Gallery)]

    @property
    def pages(self) -> list[Page]:
        return [e for e in self.entries if isinstance(e, Page)]

    def entry_for(self, path: str | Path) -> Entry | None:
        return self.by_path.get(Path(path).resolve())


def display_path(path: Path, site_dir: Path) -> str:
    """How a file is named in messages: relative to the site folder when it is inside it."""
    try:  # both absolute already (the usual case): no file system calls
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_content(settings: ContentSettings) -> SiteContent:
    """Read and validate every entry under ``settings.content_dir``."""
    site = SiteContent(settings=settings)
    zone = ZoneInfo(settings.timezone)
    content_dir = settings.content_dir
    if not content_dir.is_dir():
        site.problems.error(
            display_path(content_dir, settings.site_dir), 1, "content folder not found"
        )
        return site
    for path in sorted(content_dir.rglob("*.md")):
        relative = path.relative_to(content_dir)
        shown = display_path(path, settings.site_dir)
        section = relative.parts[0] if len(relative.parts) > 1 else ""
        if section not in FOLDERS:
            if section not in ASSET_FOLDERS:
                site.problems.warning(
                    shown,
                    1,
                    f"not in {', '.join(s + '/' for s in FOLDERS)}: this file is not built",
                )
            continue
        entry = _read(settings, path, zone, site.problems)
        site.by_file[relative] = entry
        if entry is not None:
            site.entries.append(entry)
            site.by_path[path.resolve()] = entry
    _check_unique(site)
    return site


def reread_entry(settings: ContentSettings, path: Path) -> tuple[Entry | None, ProblemList]:
    """Read one entry file again on its own (a rebuild after an edit), with its problems."""
    problems = ProblemList()
    return _read(settings, path, ZoneInfo(settings.timezone), problems), problems


def _read(
    settings: ContentSettings, path: Path, zone: ZoneInfo, problems: ProblemList
) -> Entry | None:
    relative = path.relative_to(settings.content_dir)
    shown = display_path(path, settings.site_dir)
    ctx = Context(shown, settings.content_dir, zone, settings.languages, problems)
    return read_entry(path, relative.parts[0], ctx, settings.default_lang, relative)


def _check_unique(site: SiteContent) -> None:
    """Two entries with one uid, or one URL, would silently replace each other."""
    seen_uid: dict[str, Entry] = {}
    seen_show: dict[str, tuple[Entry, int]] = {}
    seen_url: dict[tuple[str, str, str], Entry] = {}
    for entry in site.entries:
        first = seen_uid.setdefault(entry.uid, entry)
        if first is not entry:
            site.problems.error(
                entry.source_path,
                entry.line_of("uid"),
                f'uid "{entry.uid}" is already used by {first.source_path}:{first.line_of("uid")}',
            )
        url_key = (entry.kind, entry.slug, entry.lang)
        first = seen_url.setdefault(url_key, entry)
        if first is not entry:
            site.problems.error(
                entry.source_path,
                entry.line_of("slug"),
                f'slug "{entry.slug}" in language "{entry.lang}" is already used by '
                f"{first.source_path}; give one of them another slug",
            )
        if isinstance(entry, Page) and entry.slug in RESERVED_PAGE_SLUGS:
            site.problems.error(
                entry.source_path,
                entry.line_of("slug"),
                f'page slug "{entry.slug}" is taken by the site itself; choose another slug',
            )
        if isinstance(entry, Tour):
            for show in entry.shows:
                owner = seen_show.setdefault(show.uid, (entry, show.line))
                if owner != (entry, show.line):
                    site.problems.error(
                        entry.source_path,
                        show.line,
                        f'show uid "{show.uid}" is already used by '
                        f"{owner[0].source_path}:{owner[1]}; give one of the shows an explicit uid",
                    )
    _check_translations(site)
    _check_galleries(site)


def _check_galleries(site: SiteContent) -> None:
    """A gallery's ``tour`` and ``show`` name a real show, and each show has at most one
    gallery per language (the show's page links to one)."""
    tours = {tour.uid: tour for tour in site.tours}
    documented: dict[tuple[str, str], Gallery] = {}
    for gallery in site.galleries:
        if gallery.tour_uid is None:
            continue  # show without tour is reported by the reader
        tour = tours.get(gallery.tour_uid)
        if tour is None:
            site.problems.error(
                gallery.source_path,
                gallery.line_of("tour"),
                f'tour "{gallery.tour_uid}" is not the uid of any tour'
                + (f" (the tours are: {', '.join(sorted(tours))})" if tours else " (there is none)")
                + _did_you_mean(gallery.tour_uid, list(tours)),
            )
            continue
        if gallery.show_uid is None:
            continue
        shows = [show.uid for show in tour.shows]
        if gallery.show_uid not in shows:
            prefixed = f"{tour.uid}/{gallery.show_uid}"
            hint = (
                f'; did you mean "{prefixed}"?'
                if prefixed in shows
                else _did_you_mean(gallery.show_uid, shows)
            )
            site.problems.error(
                gallery.source_path,
                gallery.line_of("show"),
                f'show "{gallery.show_uid}" is not a show of tour "{tour.uid}" '
                f"({tour.source_path}), whose shows are: {', '.join(shows)}{hint}",
            )
            continue
        first = documented.setdefault((gallery.show_uid, gallery.lang), gallery)
        if first is not gallery:
            site.problems.warning(
                gallery.source_path,
                gallery.line_of("show"),
                f'show "{gallery.show_uid}" already has a gallery in language "{gallery.lang}", '
                f"{first.source_path}: the show's page links to that one only",
            )


def _did_you_mean(word: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f'; did you mean "{near[0]}"?' if near else ""


def _check_translations(site: SiteContent) -> None:
    """A translation joins its original by sharing its slug; a file named as a translation
    (``about.id.md`` beside ``about.md``) that does not would be a second page in the menus
    whose language switch leads nowhere. An entry in a file of its own name is no translation:
    a page written only in Indonesian is fine."""
    default = site.settings.default_lang
    for relative, entry in site.by_file.items():
        if entry is None:
            continue
        base, suffix = split_lang_suffix(relative.stem, site.settings.languages)
        if suffix is None or entry.lang == default:
            continue
        names = [relative.with_name(f"{base}.md"), relative.with_name(f"{base}.{default}.md")]
        present = [name for name in names if name in site.by_file]
        if not present:
            if not _has_original(site, entry):
                site.problems.warning(
                    entry.source_path,
                    entry.line_of("lang"),
                    f'this file is named as the "{entry.lang}" translation of '
                    f"{_shown_beside(entry, names[0])}, which is not there, and no "
                    f'"{default}" entry has its slug "{entry.slug}": it has no original',
                )
            continue
        original = site.by_file[present[0]]
        if original is None or original.lang == entry.lang or original.slug == entry.slug:
            continue  # the original's own errors are reported; a same-language pair is a clash
        origin = "" if "slug" in entry.key_lines else " (from the file name)"
        site.problems.error(
            entry.source_path,
            entry.line_of("slug"),
            f'slug "{entry.slug}"{origin} does not join this translation to its original, '
            f'{original.source_path}, whose slug is "{original.slug}": a translation shares '
            f"its original's slug (write slug: {original.slug}, or rename this file if it is "
            "a page of its own)",
        )


def _has_original(site: SiteContent, entry: Entry) -> bool:
    return any(
        other.kind == entry.kind
        and other.slug == entry.slug
        and other.lang == site.settings.default_lang
        for other in site.entries
    )


def _shown_beside(entry: Entry, name: Path) -> str:
    """``name`` (a file beside ``entry``'s) as messages show paths."""
    return (Path(entry.source_path).parent / name.name).as_posix()
