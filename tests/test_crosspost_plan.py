"""What is due: the plan as a pure function of entries, ledger and clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fanpage.content.models import NewsPost, Page, Show, Tour
from fanpage.content.published import PublishedEntry
from fanpage.crosspost.ledger import BASELINE, FAILED, PENDING, POSTED, UNKNOWN, Ledger, Record
from fanpage.crosspost.plan import plan_run

ZONE = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZONE)
SITE = "https://suarasenja.band"


def news(uid: str, days_ago: float, **changes: object) -> PublishedEntry:
    entry = NewsPost(
        uid=uid,
        title=f"Post {uid}",
        slug=uid.split("/")[-1],
        lang="en",
        date=NOW - timedelta(days=days_ago),
        source_path=f"content/{uid}.md",
        key_lines={"date": 3},
    )
    entry = replace(entry, **changes) if changes else entry
    return PublishedEntry(entry, f"{entry.slug}/", f"{SITE}/news/{entry.slug}/", "<p>Body.</p>")


def show(uid: str, days_ahead: float, city: str, status: str = "announced") -> Show:
    return Show(
        uid=uid,
        starts_at=NOW + timedelta(days=days_ahead),
        has_time=True,
        timezone="Asia/Jakarta",
        venue="Hall",
        city=city,
        country="ID",
        status=status,
    )


def tour(shows: tuple[Show, ...], dated: bool = True) -> PublishedEntry:
    entry = Tour(
        uid="tours/gelombang",
        title="Gelombang Tour",
        slug="gelombang",
        lang="en",
        date=NOW - timedelta(days=5) if dated else shows[0].starts_at,
        source_path="content/tours/gelombang.md",
        shows=shows,
        key_lines={"date": 3} if dated else {},
    )
    return PublishedEntry(entry, "tours/gelombang/", f"{SITE}/tours/gelombang/", "")


def ledger_with(*records: tuple[str, str, str]) -> Ledger:
    ledger = Ledger(Path("unused.json"))
    for key, network, state in records:
        ledger.set(key, network, Record(state, "2026-11-01T00:00:00Z", data={"entry": key}))
    return ledger


def test_first_run_posts_nothing_and_records_every_entry_and_show() -> None:
    entries = [news("news/a", 3), news("news/b", 1), tour((show("t/1", 10, "Jakarta"),))]
    plan = plan_run(entries, Ledger(Path("x.json")), ["mastodon"], NOW)
    assert plan.due == [] and plan.first_run == ["mastodon"]
    assert sorted(plan.baseline) == sorted(
        [
            ("news/a", "mastodon"),
            ("news/b", "mastodon"),
            ("tours/gelombang", "mastodon"),
            ("t/1", "mastodon"),
        ]
    )


def test_backfill_posts_the_newest_oldest_first() -> None:
    entries = [news("news/a", 3), news("news/b", 2), news("news/c", 1)]
    plan = plan_run(entries, Ledger(Path("x.json")), ["x"], NOW, backfill=2)
    assert [d.announcement.uid for d in plan.due] == ["news/b", "news/c"]
    assert plan.baseline == [("news/a", "x")]


def test_a_new_entry_is_due_and_an_edited_one_is_not() -> None:
    ledger = ledger_with(("news/a", "x", POSTED))
    edited = news("news/a", 3, title="Fixed typo", slug="renamed")
    plan = plan_run([edited, news("news/b", 1)], ledger, ["x"], NOW)
    assert [d.announcement.uid for d in plan.due] == ["news/b"]


def test_drafts_hidden_future_and_opted_out_entries_are_not_due() -> None:
    ledger = ledger_with(("news/old", "x", POSTED), ("news/old", "mastodon", POSTED))
    entries = [
        news("news/draft", 1, status="draft"),
        news("news/hidden", 1, status="hidden"),
        news("news/future", -1),
        news("news/off", 1, crosspost=False),
        news("news/only-masto", 1, crosspost=("mastodon",)),
    ]
    plan = plan_run(entries, ledger, ["x", "mastodon"], NOW)
    assert [(d.network, d.announcement.uid) for d in plan.due] == [("mastodon", "news/only-masto")]


def test_pages_are_announced_only_when_they_ask() -> None:
    ledger = ledger_with(("news/old", "x", POSTED))
    quiet = Page(
        uid="pages/about",
        title="About",
        slug="about",
        lang="en",
        date=NOW,
        source_path="content/pages/about.md",
    )
    loud = replace(quiet, uid="pages/press", slug="press", key_lines={"crosspost": 4})
    items = [PublishedEntry(p, f"{p.slug}/", f"{SITE}/{p.slug}/", "") for p in (quiet, loud)]
    plan = plan_run(items, ledger, ["x"], NOW)
    assert [d.announcement.uid for d in plan.due] == ["pages/press"]


def test_new_shows_on_a_known_tour_make_one_post_with_every_new_date() -> None:
    shows = (
        show("t/1", 10, "Jakarta"),
        show("t/2", 12, "Bandung"),
        show("t/3", 14, "Surabaya"),
        show("t/old", -3, "Medan"),
        show("t/off", 20, "Malang", status="cancelled"),
    )
    ledger = ledger_with(("tours/gelombang", "x", POSTED), ("t/1", "x", POSTED))
    plan = plan_run([tour(shows)], ledger, ["x"], NOW)
    assert len(plan.due) == 1
    post = plan.due[0].announcement
    assert post.kind == "new_dates" and post.keys == ("t/2", "t/3")
    assert post.dates == ("Bandung 2 Dec", "Surabaya 4 Dec")
    assert post.headline == "2 new dates"
    assert ("t/old", "x") in plan.baseline and ("t/off", "x") in plan.baseline
    assert ("t/off#cancelled", "x") in plan.baseline


def test_a_new_tour_is_announced_as_the_tour_with_its_shows_recorded() -> None:
    shows = (show("t/1", 10, "Jakarta"), show("t/2", 12, "Bandung"))
    plan = plan_run([tour(shows, dated=False)], ledger_with(("news/x", "x", POSTED)), ["x"], NOW)
    assert [d.announcement.kind for d in plan.due] == ["tour"]
    assert plan.due[0].announcement.created_at == NOW  # announced when first seen
    assert {("t/1", "x"), ("t/2", "x")} <= set(plan.baseline)


def test_show_changes_are_announced_once_only_when_asked() -> None:
    shows = (show("t/1", 10, "Jakarta", status="cancelled"),)
    ledger = ledger_with(("tours/gelombang", "x", POSTED), ("t/1", "x", POSTED))
    quiet = plan_run([tour(shows)], ledger, ["x"], NOW)
    assert quiet.due == [] and quiet.baseline == [("t/1#cancelled", "x")]
    loud = plan_run([tour(shows)], ledger, ["x"], NOW, changes=True)
    assert [d.announcement.keys for d in loud.due] == [("t/1#cancelled",)]
    assert loud.due[0].announcement.change == "Cancelled"
    ledger.set("t/1#cancelled", "x", Record(POSTED, "t"))
    assert plan_run([tour(shows)], ledger, ["x"], NOW, changes=True).due == []


def test_failed_is_due_again_pending_and_unknown_wait() -> None:
    ledger = ledger_with(
        ("news/a", "x", FAILED),
        ("news/b", "x", PENDING),
        ("news/c", "x", UNKNOWN),
        ("news/d", "x", BASELINE),
    )
    entries = [news(uid, 1) for uid in ("news/a", "news/b", "news/c", "news/d")]
    plan = plan_run(entries, ledger, ["x"], NOW)
    assert [d.announcement.uid for d in plan.due] == ["news/a"]
    assert [w.key for w in plan.pending] == ["news/b"]
    assert [w.key for w in plan.unknown] == ["news/c"]
    assert plan.pending[0].published is entries[1]


def test_a_network_added_later_starts_from_a_baseline() -> None:
    ledger = ledger_with(("news/a", "mastodon", POSTED))
    plan = plan_run([news("news/a", 2), news("news/b", 1)], ledger, ["mastodon", "x"], NOW)
    assert [(d.network, d.announcement.uid) for d in plan.due] == [("mastodon", "news/b")]
    assert plan.first_run == ["x"]


def test_indonesian_entries_are_announced_in_indonesian() -> None:
    shows = (show("t/1", 10, "Jakarta"), show("t/2", 12, "Bandung"))
    item = tour(shows)
    item = replace(item, entry=replace(item.entry, lang="id"))
    ledger = ledger_with(("tours/gelombang", "x", POSTED))
    post = plan_run([item], ledger, ["x"], NOW).due[0].announcement
    assert post.lang == "id" and post.headline == "2 jadwal baru"
    assert post.dates == ("Jakarta 30 Nov", "Bandung 2 Des")
