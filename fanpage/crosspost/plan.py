"""What a run must post: a pure function of the published entries, the ledger and the clock.

- An entry is due on a network when it is published (not draft or hidden, its date not in
  the future), its ``crosspost`` key allows that network and the ledger has nothing for it
  there. Pages are announced only when they say ``crosspost`` themselves. A tour without
  its own ``date`` counts as announced when it is first seen.
- The first run on a network (the ledger has never seen it) posts nothing: every entry and
  show is recorded as ``baseline``; ``backfill`` posts the N newest instead.
- Shows added to a tour already recorded are announced together, one post per tour; shows
  that are past or called off when first seen are recorded without a post.
- With ``changes``, a show that becomes cancelled, postponed or rescheduled is announced
  once per change; without, the change is recorded so that turning it on later announces
  only what changes afterwards.
- ``failed`` keys are due again; ``pending`` keys (a run stopped mid-post) are handed to the
  runner to resolve; ``unknown`` keys wait for a person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fanpage.content.models import Album, Entry, Gallery, Page, Show, Tour
from fanpage.content.published import PublishedEntry
from fanpage.crosspost.compose import Announcement
from fanpage.crosspost.ledger import FAILED, PENDING, SETTLED, UNKNOWN, Ledger, Record
from fanpage.crosspost.network import Image
from fanpage.crosspost.registry import NETWORKS
from fanpage.i18n import release_type_label, translate
from fanpage.i18n.dates import format_short_day
from fanpage.text import first_paragraph

CHANGES = ("cancelled", "postponed", "rescheduled")
SUMMARY_SOURCE_LIMIT = 1000  # characters of the first paragraph offered to the composer
MAX_PHOTOS = 4  # photos attached to a gallery's post
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


@dataclass(frozen=True)
class Due:
    """One post to make on one network."""

    network: str
    announcement: Announcement


@dataclass(frozen=True)
class Waiting:
    """A key a run cannot simply post: left ``pending`` by an earlier run, or ``unknown``."""

    key: str
    network: str
    record: Record
    published: PublishedEntry | None  # the entry it belongs to, when still published


@dataclass
class Plan:
    due: list[Due] = field(default_factory=list)  # oldest first
    baseline: list[tuple[str, str]] = field(default_factory=list)  # (key, network) to record
    first_run: list[str] = field(default_factory=list)  # networks starting from a baseline
    pending: list[Waiting] = field(default_factory=list)
    unknown: list[Waiting] = field(default_factory=list)

    def due_on(self, network: str) -> list[Due]:
        return [d for d in self.due if d.network == network]


def entry_networks(entry: Entry) -> tuple[str, ...]:
    """Networks the entry's ``crosspost`` key allows (pages only when they ask)."""
    if entry.crosspost is False:
        return ()
    if entry.crosspost is True:
        if isinstance(entry, Page) and "crosspost" not in entry.key_lines:
            return ()
        return NETWORKS
    return tuple(entry.crosspost)


def announced_at(entry: Entry, now: datetime) -> datetime:
    """When the entry counts as announced: its date; a tour without one (or a page, which has
    none), when first seen."""
    if entry.date is None or (isinstance(entry, Tour) and "date" not in entry.key_lines):
        return now
    return entry.date


def change_keys(show: Show) -> tuple[str, ...]:
    """Ledger keys of the show's changes so far: one per state it is in (a date per move)."""
    if show.status == "rescheduled":
        return (f"{show.uid}#rescheduled:{show.starts_at.date().isoformat()}",)
    if show.status in ("cancelled", "postponed"):
        return (f"{show.uid}#{show.status}",)
    return ()


def show_keys(tour: Tour) -> list[str]:
    return [key for show in tour.shows for key in (show.uid, *change_keys(show))]


def plan_run(
    published: Sequence[PublishedEntry],
    ledger: Ledger,
    networks: Iterable[str],
    now: datetime,
    *,
    backfill: int = 0,
    changes: bool = False,
    artist: str = "",
    output_dir: Path | None = None,
) -> Plan:
    """Everything this run must do, without doing any of it.

    One pass over the entries, each looked up once in the ledger: a large site with a long
    history plans in a fraction of a second (``bench/crosspost_plan.py``).
    """
    plan = Plan()
    make = _Announcer(now, artist, output_dir)
    live = [
        p for p in published if p.entry.status == "published" and announced_at(p.entry, now) <= now
    ]
    networks = list(networks)
    known = [n for n in networks if ledger.knows_network(n)]
    for network in networks:
        if network not in known:
            allowed = [p for p in live if network in entry_networks(p.entry)]
            _first_run(plan, network, allowed, backfill, make)
    if known:
        _waiting(plan, ledger, frozenset(known), {p.entry.uid: p for p in published})
        records = ledger.records
        for item in live:
            entry = item.entry
            allowed = entry_networks(entry)
            by_network = records.get(entry.uid) or {}
            if isinstance(entry, Tour):
                shows = [(s, records.get(s.uid) or {}, change_keys(s)) for s in entry.shows]
                for network in known:
                    if network in allowed:
                        _plan_tour(plan, ledger, network, item, shows, changes, make)
                continue
            for network in known:
                if network not in allowed:
                    continue
                record = by_network.get(network)
                if record is None or record.state == FAILED:
                    plan.due.append(Due(network, make.entry(item)))
    plan.due.sort(key=lambda d: (d.announcement.created_at, d.announcement.uid))
    return plan


def _first_run(
    plan: Plan,
    network: str,
    allowed: list[PublishedEntry],
    backfill: int,
    make: _Announcer,
) -> None:
    plan.first_run.append(network)
    newest = sorted(allowed, key=lambda p: announced_at(p.entry, make.now), reverse=True)
    chosen = newest[:backfill] if backfill > 0 else []
    for item in chosen:
        plan.due.append(Due(network, make.entry(item)))
        if isinstance(item.entry, Tour):  # its dates travel with it: never "new" later
            plan.baseline.extend((key, network) for key in show_keys(item.entry))
    for item in newest[len(chosen) :]:
        plan.baseline.append((item.entry.uid, network))
        if isinstance(item.entry, Tour):
            plan.baseline.extend((key, network) for key in show_keys(item.entry))


def _waiting(plan: Plan, ledger: Ledger, networks: frozenset[str], by_uid: dict) -> None:
    for key, network, record in ledger.in_state(PENDING, UNKNOWN):
        if network not in networks:
            continue
        owner = record.data.get("entry", key)
        waiting = Waiting(key, network, record, by_uid.get(owner))
        (plan.pending if record.state == PENDING else plan.unknown).append(waiting)


ShowRecords = list[tuple[Show, dict[str, Record], tuple[str, ...]]]


def _plan_tour(
    plan: Plan,
    ledger: Ledger,
    network: str,
    item: PublishedEntry,
    shows: ShowRecords,
    changes: bool,
    make: _Announcer,
) -> None:
    """A tour on one network: the tour itself when new, else its new dates and changes."""
    entry = item.entry
    record = ledger.get(entry.uid, network)
    if record is None or record.state == FAILED:
        plan.due.append(Due(network, make.entry(item)))
        for show, _by_network, changed in shows:
            plan.baseline.extend(
                (key, network) for key in (show.uid, *changed) if not ledger.has(key, network)
            )
        return
    if record.state not in SETTLED:
        return
    fresh: list[Show] = []
    for show, by_network, changed in shows:
        show_record = by_network.get(network)
        if show_record is None or show_record.state == FAILED:
            if show.is_active and not show.is_past(make.now):
                fresh.append(show)
            elif show_record is None:
                plan.baseline.append((show.uid, network))
            plan.baseline.extend((k, network) for k in changed if not ledger.has(k, network))
            continue
        for key in changed:
            known = ledger.get(key, network)
            if known is not None and known.state != FAILED:
                continue
            if changes and not show.is_past(make.now):
                plan.due.append(Due(network, make.change(item, show, key)))
            elif known is None:
                plan.baseline.append((key, network))
    if fresh:
        plan.due.append(Due(network, make.new_dates(item, fresh)))


@dataclass
class _Announcer:
    """Turns published entries into announcements, in each entry's own language."""

    now: datetime
    artist: str
    output_dir: Path | None

    def _base(self, item: PublishedEntry, kind: str, keys: tuple[str, ...]) -> dict:
        entry = item.entry
        summary = entry.summary or first_paragraph(item.html)[:SUMMARY_SOURCE_LIMIT]
        return {
            "kind": kind,
            "keys": keys,
            "uid": entry.uid,
            "title": entry.title,
            "url": item.url,
            "lang": entry.lang,
            "created_at": announced_at(entry, self.now),
            "summary": " ".join(summary.split()),
            "tags": entry.tags,
            "artist": self.artist,
            "custom_text": dict(entry.crosspost_text),
            "image": self._image(item),
            "photos": self._photos(item),
            "source": f"{entry.source_path}:{entry.line_of('crosspost_text')}",
            "more_dates": translate("+{n} more", entry.lang),
        }

    def _image(self, item: PublishedEntry) -> Image | None:
        if not item.image or self.output_dir is None:
            return None
        path = self.output_dir / item.image
        mime = IMAGE_TYPES.get(path.suffix.lower(), "image/png")
        return Image(path, item.image_alt or "", mime)

    def _photos(self, item: PublishedEntry) -> tuple[Image, ...]:
        """A gallery's published photos (derived JPEGs), only on its own announcement."""
        return tuple(
            Image(photo.file, photo.alt, "image/jpeg", photo.url)
            for photo in item.photos[:MAX_PHOTOS]
        )

    def _dates(self, shows: Sequence[Show], lang: str) -> tuple[str, ...]:
        return tuple(f"{s.city} {format_short_day(s.starts_at.date(), lang)}" for s in shows)

    def entry(self, item: PublishedEntry) -> Announcement:
        entry = item.entry
        lang = entry.lang
        if isinstance(entry, Album):
            label = release_type_label(entry.release_type, lang)
            headline = translate("New {release_type}: {title}", lang).replace(
                "{release_type}", label
            )
            return Announcement(
                **self._base(item, "album", (entry.uid,)), headline=headline, release_type=label
            )
        if isinstance(entry, Tour):
            upcoming = [s for s in entry.shows if s.is_active and not s.is_past(self.now)]
            return Announcement(
                **self._base(item, "tour", (entry.uid,)),
                headline=translate("On tour: {title}", lang),
                dates=self._dates(upcoming, lang),
            )
        if isinstance(entry, Gallery):
            return Announcement(**self._base(item, "gallery", (entry.uid,)))
        kind = "page" if isinstance(entry, Page) else "news"
        return Announcement(**self._base(item, kind, (entry.uid,)))

    def new_dates(self, item: PublishedEntry, shows: list[Show]) -> Announcement:
        lang = item.entry.lang
        count = len(shows)
        headline = (
            translate("1 new date", lang)
            if count == 1
            else translate("{n} new dates", lang, n=count)
        )
        base = self._base(item, "new_dates", tuple(s.uid for s in shows))
        base["created_at"] = self.now
        return Announcement(**base, headline=headline, dates=self._dates(shows, lang))

    def change(self, item: PublishedEntry, show: Show, key: str) -> Announcement:
        lang = item.entry.lang
        base = self._base(item, "change", (key,))
        base["created_at"] = self.now
        return Announcement(
            **base, change=translate(show.status, lang), dates=self._dates([show], lang)
        )


def announcement_for(
    item: PublishedEntry,
    keys: tuple[str, ...],
    kind: str,
    now: datetime,
    artist: str,
    output_dir: Path | None,
) -> Announcement:
    """Rebuild the announcement of a pending post (the runner resumes it with its old text)."""
    make = _Announcer(now, artist, output_dir)
    entry = item.entry
    if kind == "new_dates" and isinstance(entry, Tour):
        shows = [s for s in entry.shows if s.uid in keys]
        return make.new_dates(item, shows)
    if kind == "change" and isinstance(entry, Tour):
        show = next((s for s in entry.shows if any(k.startswith(s.uid + "#") for k in keys)), None)
        if show is not None:
            return make.change(item, show, keys[0])
    return make.entry(item)
