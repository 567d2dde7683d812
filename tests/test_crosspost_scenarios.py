"""Cross-posting end to end: ``fanpage crosspost`` as a process, against every platform.

Seven loopback test servers (``tests/servers/``) and the real Bluesky PDS receive what the
real client code sends. Each scenario asserts what every server received and what the ledger
holds afterwards, and writes both to ``test-artifacts/crosspost-scenarios.md``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fanpage.crosspost.ledger import Ledger, LedgerError, load_ledger
from fanpage.crosspost.registry import NETWORKS
from tests.pds_server import Account, PdsServer
from tests.servers import discord, facebook, linkedin, mastodon, telegram, threads, x
from tests.servers.base import PlatformServer, post_text

ROOT = Path(__file__).resolve().parent.parent
ARTIFACT = ROOT / "test-artifacts" / "crosspost-scenarios.md"
SITEURL = "https://suarasenja.band"  # a real TLD: URLs count as they will in production
NOW = "2026-11-20T12:00:00+07:00"
HTTP_NETWORKS = ("mastodon", "x", "facebook", "linkedin", "threads", "telegram", "discord")

PELICANCONF = """\
SITENAME = "Suara Senja"
ARTIST_NAME = "Suara Senja"
SITEURL = ""
TIMEZONE = "Asia/Jakarta"
LANGUAGES = ["en", "id"]
"""

CONTENT = {
    "news/2026-11-01-studio.md": """\
        ---
        title: Back in the studio
        uid: news-studio
        date: 2026-11-01 10:00
        summary: Ten new songs are taking shape in Bandung.
        tags: [studio, dream pop]
        ---
        We are back in the studio with ten new songs.
        """,
    "news/2026-11-05-kabar.md": """\
        ---
        title: Kabar dari studio
        uid: news-kabar
        lang: id
        date: 2026-11-05 10:00
        summary: Sepuluh lagu baru sedang kami garap di Bandung.
        ---
        Kami kembali ke studio.
        """,
    "albums/gelombang.md": """\
        ---
        title: Gelombang
        uid: album-gelombang
        release_date: 2026-10-10
        release_type: album
        summary: Our second album, ten songs about the sea.
        tracks:
          - title: Pasang
            duration: "4:12"
        ---
        Gelombang is out everywhere.
        """,
    "tours/gelombang-2026.md": """\
        ---
        title: Gelombang Tour 2026
        uid: tour-gelombang
        date: 2026-10-20
        summary: Two nights on Java.
        shows:
          - date: 2026-12-12 20:00
            venue: Tennis Indoor Senayan
            city: Jakarta
            country: ID
          - date: 2026-12-14 20:00
            venue: Sabuga ITB
            city: Bandung
            country: ID
        ---
        The Gelombang tour comes home.
        """,
}

NEW_POST = """\
    ---
    title: {title}
    uid: news-new-single
    date: 2026-11-20 09:00
    summary: {summary}
    tags: [new music, arus balik]
    ---
    The new single is out today.
    """

MORE_SHOWS = """\
  - date: 2026-12-18 20:00
    venue: Dyandra Convention Center
    city: Surabaya
    country: ID
  - date: 2026-12-20 20:00
    venue: Jogja Expo Center
    city: Yogyakarta
    country: ID
"""


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@dataclass
class World:
    """A site, the eight platforms, the secrets, and everything the runs printed."""

    site: Path
    servers: dict[str, PlatformServer]
    pds: PdsServer
    account: Account
    timeout: float = 5.0
    retry_seconds: float = 8.0
    printed: list[str] = field(default_factory=list)

    @property
    def ledger_path(self) -> Path:
        return self.site / "syndication.json"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FANPAGE_")}
        env.update(self.secrets())
        env["FANPAGE_NOW"] = NOW
        return env

    def secrets(self) -> dict[str, str]:
        xs = self.servers["x"]
        return {
            "FANPAGE_MASTODON_TOKEN": mastodon.TOKEN,
            "FANPAGE_BLUESKY_APP_PASSWORD": self.account.app_password,
            **xs.secrets(),
            "FANPAGE_FACEBOOK_PAGE_TOKEN": facebook.TOKEN,
            "FANPAGE_LINKEDIN_TOKEN": linkedin.TOKEN,
            "FANPAGE_THREADS_TOKEN": threads.TOKEN,
            "FANPAGE_TELEGRAM_BOT_TOKEN": telegram.TOKEN,
            "FANPAGE_DISCORD_WEBHOOK_URL": (
                f"https://discord.com{self.servers['discord'].webhook_path}"
            ),
        }

    def write_settings(self) -> None:
        s = self.servers
        crosspost = {
            "mastodon": {"instance": s["mastodon"].base_url, "hashtags": ["dreampop"]},
            "bluesky": {"handle": self.account.handle, "service": self.pds.base_url},
            "x": {"api_base": s["x"].base_url},
            "facebook": {"page_id": facebook.PAGE_ID, "api_base": s["facebook"].base_url},
            "linkedin": {"organization": linkedin.ORGANIZATION, "api_base": s["linkedin"].base_url},
            "threads": {"user_id": threads.USER_ID, "api_base": s["threads"].base_url},
            "telegram": {
                "chat": f"@{telegram.CHANNEL_USERNAME}",
                "api_base": s["telegram"].base_url,
            },
            "discord": {"api_base": s["discord"].base_url},
        }
        (self.site / "publishconf.py").write_text(
            "import os, sys\nsys.path.append(os.path.dirname(__file__))\n"
            "from pelicanconf import *  # noqa: F403\n"
            f"SITEURL = {SITEURL!r}\n"
            f"CROSSPOST = {crosspost!r}\n"
            f"CROSSPOST_TIMEOUT = {self.timeout!r}\n"
            f"CROSSPOST_RETRY_SECONDS = {self.retry_seconds!r}\n"
        )

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "fanpage.cli", "crosspost", "--site", str(self.site), *args]

    def run(self, *args: str, env: dict[str, str] | None = None) -> Run:
        done = subprocess.run(
            self.command(*args),
            capture_output=True,
            text=True,
            env=env or self.env(),
            timeout=300,
            check=False,
        )
        self.printed += [done.stdout, done.stderr]
        return Run(done.returncode, done.stdout, done.stderr)

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
        )

    def ledger(self) -> Ledger:
        return load_ledger(self.ledger_path)

    def states(self, key: str) -> dict[str, str]:
        return {n: r.state for n, r in self.ledger().records.get(key, {}).items()}

    def bluesky_texts(self) -> list[str]:
        from atproto import Client

        client = Client(base_url=self.pds.base_url)
        try:
            answer = client.com.atproto.repo.list_records(
                {"repo": self.account.did, "collection": "app.bsky.feed.post", "limit": 100}
            )
        finally:
            client.request.close()
        return [record.value.text for record in answer.records]

    def received(self) -> dict[str, list[str]]:
        """Every network's posts as their text, oldest first."""
        texts = {
            name: [post_text(name, p) for p in self.servers[name].posts] for name in HTTP_NETWORKS
        }
        texts["bluesky"] = list(reversed(self.bluesky_texts()))
        return texts

    def counts(self) -> dict[str, int]:
        return {name: len(texts) for name, texts in self.received().items()}

    def add(self, path: str, text: str) -> None:
        target = self.site / "content" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))

    def leaks(self) -> list[str]:
        """Every place a secret value appears in what the runs printed or wrote."""
        found = []
        values = [v for v in self.secrets().values() if v]
        values.append(self.servers["discord"].token)
        haystacks = {f"output {i}": text for i, text in enumerate(self.printed)}
        for path in self.site.rglob("*"):
            if path.is_file():
                haystacks[str(path.relative_to(self.site))] = path.read_text(errors="replace")
        for where, text in haystacks.items():
            found += [f"{where}: {value[:6]}…" for value in values if value in text]
        return found


def make_servers() -> dict[str, PlatformServer]:
    return {
        "mastodon": mastodon.MastodonServer(),
        "x": x.XServer(),
        "facebook": facebook.FacebookServer(),
        "linkedin": linkedin.LinkedInServer(),
        "threads": threads.ThreadsServer(),
        "telegram": telegram.TelegramServer(),
        "discord": discord.DiscordServer(),
    }


@pytest.fixture
def world(tmp_path: Path, pds: PdsServer, request: pytest.FixtureRequest) -> Iterator[World]:
    servers = make_servers()
    for server in servers.values():
        server.start()
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(PELICANCONF)
    state = World(site, servers, pds, pds.create_account())
    for path, text in CONTENT.items():
        state.add(path, text)
    state.write_settings()
    try:
        yield state
        assert state.leaks() == [], "a secret reached the output or a file"
        record_scenario(request.node.name, state)
    finally:
        for server in servers.values():
            server.stop()


def record_scenario(name: str, world: World) -> None:
    """What each server received and what the ledger held, for the closing note."""
    ARTIFACT.parent.mkdir(exist_ok=True)
    received = world.received()
    try:
        ledger = world.ledger()
    except LedgerError:
        ledger = Ledger(world.ledger_path)  # the corrupt-ledger scenario: shown as empty
    lines = [
        f"## {name}",
        "",
        "| network | posts received | ledger (key: state) |",
        "|---|---|---|",
    ]
    for network in NETWORKS:
        held = ", ".join(
            f"{key}: {by[network].state}"
            for key, by in sorted(ledger.records.items())
            if network in by
        )
        lines.append(f"| {network} | {len(received[network])} | {held} |")
    with ARTIFACT.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n\n")


def first_run(world: World) -> None:
    result = world.run()
    assert result.code == 0, result.stderr
    assert "recorded as already announced (first run)" in result.stdout


def add_new_post(
    world: World, title: str = "Arus Balik, the new single", summary: str = "Out now."
) -> None:
    world.add("news/2026-11-20-new-single.md", NEW_POST.format(title=title, summary=summary))


# -- the scenarios -----------------------------------------------------------------------


def test_first_run_records_a_baseline_and_posts_nothing(world: World) -> None:
    result = world.run()
    assert result.code == 0, result.stderr
    assert world.counts() == dict.fromkeys(NETWORKS, 0)
    for uid in ("news-studio", "news-kabar", "album-gelombang", "tour-gelombang"):
        assert world.states(uid) == dict.fromkeys(NETWORKS, "baseline")
    for line in result.stdout.splitlines():
        assert "4 recorded as already announced (first run)" in line


def test_one_new_entry_goes_out_once_on_all_eight_then_reruns_post_nothing(world: World) -> None:
    first_run(world)
    add_new_post(world)
    result = world.run()
    assert result.code == 0, result.stdout + result.stderr
    received = world.received()
    url = f"{SITEURL}/news/new-single/"
    for network in NETWORKS:
        assert len(received[network]) == 1, network
        assert url in received[network][0] or network == "linkedin", (network, received[network])
        assert "Arus Balik" in received[network][0], network
    records = world.ledger().records["news-new-single"]
    assert {n: r.state for n, r in records.items()} == dict.fromkeys(NETWORKS, "posted")
    assert all(r.id and r.url and r.url.startswith("http") for r in records.values())
    assert "#NewMusic" in received["mastodon"][0] and "#dreampop" in received["mastodon"][0]
    again = world.run()
    assert again.code == 0 and world.counts() == dict.fromkeys(NETWORKS, 1)
    assert all(line.endswith("nothing new") for line in again.stdout.splitlines())


def test_an_edit_after_posting_is_never_posted_again(world: World) -> None:
    first_run(world)
    add_new_post(world)
    assert world.run().code == 0
    add_new_post(world, title="Arus Balik, the new single (fixed typo)", summary="Out now!")
    result = world.run()
    assert result.code == 0 and world.counts() == dict.fromkeys(NETWORKS, 1)


def test_a_network_down_then_back_is_retried_and_only_it(world: World) -> None:
    first_run(world)
    world.servers["telegram"].stop()  # connection refused for the whole run
    world.servers["mastodon"].inject("unavailable", 2)  # 503 twice, then up again
    add_new_post(world)
    result = world.run()
    assert result.code == 1
    assert "telegram" not in world.states("news-new-single")  # nothing went out: nothing kept
    mastodon_record = world.ledger().get("news-new-single", "mastodon")
    assert mastodon_record.state == "posted", mastodon_record.error
    assert len(world.servers["mastodon"].posts) == 1
    assert "telegram: skipped: Telegram unreachable" in result.stdout
    assert "mastodon: 1 posted" in result.stdout and "retrying in" in result.stderr
    world.servers["telegram"] = telegram.TelegramServer().start()
    world.write_settings()
    before = world.counts()
    again = world.run()
    assert again.code == 0, again.stdout
    after = world.counts()
    assert after["telegram"] == 1
    assert all(after[n] == before[n] for n in NETWORKS if n != "telegram")


def test_429_with_retry_after_is_waited_out(world: World) -> None:
    first_run(world)
    world.servers["discord"].inject("rate_limit")  # retry_after 1.5 s in the body
    world.servers["mastodon"].inject("rate_limit")  # X-RateLimit-Reset a second away
    add_new_post(world)
    result = world.run()
    assert result.code == 0, result.stdout + result.stderr
    assert "discord: Discord: rate limited" in result.stderr and "retrying in" in result.stderr
    assert len(world.servers["discord"].posts) == 1 and len(world.servers["mastodon"].posts) == 1
    assert len(world.servers["discord"].posts_requests("POST")) == 2  # refused once, then taken
    assert world.ledger().get("news-new-single", "discord").attempts == 1


def test_a_rate_limit_longer_than_the_budget_fails_for_the_next_run(world: World) -> None:
    first_run(world)
    world.servers["x"].inject("rate_limit")  # X's window resets in 15 minutes
    add_new_post(world)
    result = world.run()
    assert result.code == 1
    assert world.states("news-new-single")["x"] == "failed"
    assert (
        len(world.servers["x"].posts) == 0 and len(world.servers["x"].posts_requests("POST")) == 1
    )
    assert "news-new-single on x: failed" in result.stdout
    again = world.run()
    assert again.code == 0 and len(world.servers["x"].posts) == 1


def test_a_timeout_after_the_server_took_the_post_never_duplicates(world: World) -> None:
    world.timeout = 2.0
    world.write_settings()
    first_run(world)
    for name in ("mastodon", "x", "facebook", "threads", "linkedin", "telegram"):
        world.servers[name].inject("accept_then_timeout")  # taken, and no answer in time
    world.servers["discord"].inject("drop")  # the connection closes: was it taken?
    add_new_post(world)
    result = world.run()
    counts = world.counts()
    assert counts == {**dict.fromkeys(NETWORKS, 1), "discord": 0}, counts  # never twice
    states = world.states("news-new-single")
    # Idempotency keys (Mastodon), duplicate refusal (X) and listings (Facebook, Threads,
    # LinkedIn) settle it; Telegram and Discord cannot tell: a person must.
    assert {
        n: states[n] for n in ("mastodon", "x", "facebook", "threads", "linkedin", "bluesky")
    } == (dict.fromkeys(("mastodon", "x", "facebook", "threads", "linkedin", "bluesky"), "posted"))
    assert states["telegram"] == "unknown" and states["discord"] == "unknown"
    assert result.code == 1
    assert "fanpage crosspost --settle news-new-single telegram --url URL" in result.stdout
    again = world.run()  # nothing is posted again by itself
    assert again.code == 1 and world.counts() == counts
    # A person looks: the Telegram post is there, the Discord one is not.
    url = "https://t.me/suarasenja/42"
    settled = world.run("--settle", "news-new-single", "telegram", "--url", url)
    assert settled.code == 0 and world.ledger().get("news-new-single", "telegram").url == url
    retry = world.run("--settle", "news-new-single", "discord", "--retry")
    assert retry.code == 0
    last = world.run()
    assert last.code == 0 and world.counts() == dict.fromkeys(NETWORKS, 1)
    assert world.states("news-new-single") == dict.fromkeys(NETWORKS, "posted")


def test_killed_between_post_and_ledger_write_then_rerun(world: World) -> None:
    first_run(world)
    held = world.servers["facebook"]
    held.inject("accept_then_timeout")  # the post exists; the answer never comes
    add_new_post(world)
    process = world.start()
    assert held.posts.wait_for(1), "Facebook never received the post"
    process.send_signal(signal.SIGKILL)  # killed before the answer could be recorded
    process.communicate(timeout=30)
    left = world.states("news-new-single")
    assert left["facebook"] == "pending"
    result = world.run()
    assert result.code == 0, result.stdout + result.stderr
    counts = world.counts()
    assert counts == dict.fromkeys(NETWORKS, 1), counts  # found, not posted again
    assert world.states("news-new-single") == dict.fromkeys(NETWORKS, "posted")


def test_killed_on_a_network_that_cannot_tell_leaves_it_for_a_person(world: World) -> None:
    first_run(world)
    held = world.servers["telegram"]
    held.inject("accept_then_timeout")
    add_new_post(world)
    process = world.start("--network", "telegram")
    assert held.posts.wait_for(1)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    result = world.run("--network", "telegram")
    assert result.code == 1 and len(held.posts) == 1
    assert world.states("news-new-single")["telegram"] == "unknown"
    assert "--settle news-new-single telegram" in result.stdout


def test_a_corrupt_ledger_stops_before_anything_is_sent(world: World) -> None:
    first_run(world)
    add_new_post(world)
    world.ledger_path.write_text('{"version": 2, "records": {"news-studio": ')
    result = world.run()
    assert result.code == 1
    assert "syndication.json" in result.stderr
    assert "cannot read the syndication ledger" in result.stderr
    assert "Traceback" not in result.stderr
    assert world.counts() == dict.fromkeys(NETWORKS, 0)
    assert world.ledger_path.read_text().startswith('{"version": 2, "records": {"news-studio": ')


def test_two_runs_at_once_post_once(world: World) -> None:
    first_run(world)
    held = world.servers["mastodon"]
    held.inject("accept_then_timeout")  # keeps run A inside its lock for a while
    add_new_post(world)
    run_a = world.start()
    assert held.posts.wait_for(1)
    run_b = world.start()
    out_b, err_b = run_b.communicate(timeout=300)
    out_a, err_a = run_a.communicate(timeout=300)
    world.printed += [out_a, err_a, out_b, err_b]
    assert "waiting for it to finish" in err_b
    assert world.counts() == dict.fromkeys(NETWORKS, 1)
    assert run_a.returncode == 0 and run_b.returncode == 0, (out_a, err_a, out_b, err_b)
    assert all(line.endswith("nothing new") for line in out_b.splitlines())


def test_an_expired_token_is_one_line_and_the_others_post(world: World) -> None:
    first_run(world)
    world.servers["linkedin"].expire_tokens()
    add_new_post(world)
    result = world.run()
    assert result.code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("linkedin:")]
    assert len(lines) == 1 and "FANPAGE_LINKEDIN_TOKEN" in lines[0]
    posts_requests = world.servers["linkedin"].posts_requests("POST")
    assert len(posts_requests) <= 2  # no retry storm
    counts = world.counts()
    assert counts["linkedin"] == 0 and all(counts[n] == 1 for n in NETWORKS if n != "linkedin")
    assert world.ledger().get("news-new-single", "linkedin") is None or (
        world.states("news-new-single")["linkedin"] == "failed"
    )


def test_a_missing_secret_skips_that_network_only(world: World) -> None:
    first_run(world)
    add_new_post(world)
    env = world.env()
    del env["FANPAGE_THREADS_TOKEN"]
    result = world.run(env=env)
    assert result.code == 1
    assert "threads: skipped: Threads: FANPAGE_THREADS_TOKEN not set" in result.stdout
    counts = world.counts()
    assert counts["threads"] == 0 and all(counts[n] == 1 for n in NETWORKS if n != "threads")


def test_new_dates_on_a_known_tour_make_one_post_per_network(world: World) -> None:
    first_run(world)
    tour = world.site / "content/tours/gelombang-2026.md"
    text = tour.read_text()
    tour.write_text(text.replace("---\nThe Gelombang", MORE_SHOWS + "---\nThe Gelombang"))
    result = world.run()
    assert result.code == 0, result.stdout + result.stderr
    received = world.received()
    for network in NETWORKS:
        assert len(received[network]) == 1, network
        assert "2 new dates" in received[network][0], received[network][0]
        assert (
            "Surabaya 18 Dec" in received[network][0]
            and "Yogyakarta 20 Dec" in received[network][0]
        )
    assert world.run().code == 0 and world.counts() == dict.fromkeys(NETWORKS, 1)


def test_a_400_grapheme_title_fits_every_limit_with_its_url_intact(world: World) -> None:
    first_run(world)
    title = ("Gelombang 🌊 日本の夏 " * 30)[:400]
    add_new_post(
        world,
        title=json.dumps(title, ensure_ascii=False),
        summary=json.dumps("Laut " * 300, ensure_ascii=False),
    )
    result = world.run()
    assert result.code == 0, result.stdout + result.stderr  # every server accepted its text
    url = f"{SITEURL}/news/new-single/"
    for network, texts in world.received().items():
        assert len(texts) == 1, network
        assert url in texts[0], network
        if network not in ("facebook", "linkedin", "telegram", "discord"):  # these fit it all
            assert "…" in texts[0], network


def test_dry_run_needs_no_secret_and_sends_nothing(world: World) -> None:
    first_run(world)
    add_new_post(world)
    before = world.ledger_path.read_bytes()
    env = {
        k: v for k, v in world.env().items() if not k.startswith("FANPAGE_") or k == "FANPAGE_NOW"
    }
    result = world.run("--dry-run", env=env)
    assert result.code == 0, result.stderr
    assert world.counts() == dict.fromkeys(NETWORKS, 0)
    assert world.ledger_path.read_bytes() == before
    for network in NETWORKS:
        assert f"{network} · news-new-single (news)" in result.stdout
    assert "/500 as Mastodon counts it" in result.stdout and "/280 as X counts it" in result.stdout
    assert f"| {SITEURL}/news/new-single/" in result.stdout


def test_status_shows_the_ledger(world: World) -> None:
    first_run(world)
    add_new_post(world)
    world.run()
    result = world.run("--status")
    assert result.code == 0
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["ENTRY", "NETWORK", "STATE", "URL", "OR", "ERROR", "ATTEMPTS"]
    posted = [r for r in rows if r[0] == "news-new-single"]
    assert len(posted) == 8 and all(r[2] == "posted" and r[3].startswith("http") for r in posted)


def test_secrets_appear_nowhere_even_when_servers_echo_them(world: World) -> None:
    first_run(world)
    for name in ("telegram", "discord", "linkedin"):
        world.servers[name].echo_token = True
    world.servers["mastodon"].echo_token_in_errors = True
    world.servers["x"].echo_auth = True
    for server in world.servers.values():
        server.expire_tokens()
    add_new_post(world)
    result = world.run()
    assert result.code == 1
    build = subprocess.run(
        [sys.executable, "-m", "fanpage.cli", "build", "--publish", "--site", str(world.site)],
        capture_output=True,
        text=True,
        env=world.env(),
        check=False,
    )
    world.printed += [build.stdout, build.stderr]
    assert build.returncode == 0, build.stderr
    assert world.leaks() == []
    assert "[secret]" in result.stdout + result.stderr or "FANPAGE_" in result.stdout


def test_dry_run_counts_against_the_limit_the_instance_last_gave(world: World) -> None:
    world.servers["mastodon"].max_characters = 1000  # a server that allows longer posts
    first_run(world)
    add_new_post(world)
    assert world.run("--network", "mastodon").code == 0  # reads the limit from the instance
    assert world.ledger().networks["mastodon"]["max_characters"] == 1000
    another = NEW_POST.format(title="Another one", summary="Soon.")
    world.add("news/2026-11-20-another.md", another.replace("news-new-single", "news-another"))
    env = {
        k: v for k, v in world.env().items() if not k.startswith("FANPAGE_") or k == "FANPAGE_NOW"
    }
    result = world.run("--dry-run", "--network", "mastodon", env=env)
    assert result.code == 0, result.stderr
    assert "mastodon · news-another (news)" in result.stdout
    assert "/1000 as Mastodon counts it" in result.stdout


# -- a new gallery: its photos, with their alt texts, on every network ----------------------

GALLERY = """\
    ---
    title: Jakarta, the first night
    uid: gallery-jakarta
    date: 2026-11-19 23:00
    summary: Photos from Tennis Indoor Senayan.
    photos:
      - src: images/shows/jakarta/01.jpg
        alt: Ayu singing at the front of the stage, lit in orange
      - src: images/shows/jakarta/02.jpg
        alt: The crowd with their phone lights up
      - src: images/shows/jakarta/03.jpg
        alt: Bima's guitar close up
      - src: images/shows/jakarta/04.jpg
        alt: The band bowing at the end of the night
      - src: images/shows/jakarta/05.jpg
        alt: The empty hall after the show
    ---
    Thank you, Jakarta.
    """
GALLERY_ALTS = [
    "Ayu singing at the front of the stage, lit in orange",
    "The crowd with their phone lights up",
    "Bima's guitar close up",
    "The band bowing at the end of the night",
]


def received_photos(world: World, url: str) -> dict[str, list[tuple[bytes, str | None]]]:
    """Each network's photos (bytes, alt text) in the post that links to ``url``."""
    from atproto import Client

    def post_of(name: str) -> dict:
        [post] = [p for p in world.servers[name].posts if url in post_text(name, p)]
        return post

    found = {
        "mastodon": [(m["data"], m["description"]) for m in post_of("mastodon")["media"]],
        "x": [(m["data"], m["alt"]) for m in post_of("x")["media"]],
        "facebook": [(i["data"], i["alt"]) for i in post_of("facebook")["images"]],
        "linkedin": [(i["data"], i["alt"]) for i in post_of("linkedin")["images"]],
        "threads": [(i["data"], i["alt"]) for i in post_of("threads")["images"]],
        # The Bot API has no alt text for a photo.
        "telegram": [(p["data"], None) for p in post_of("telegram")["photos"]],
        "discord": [(f["data"], f["description"]) for f in post_of("discord")["files"]],
    }
    client = Client(base_url=world.pds.base_url)
    try:
        records = client.com.atproto.repo.list_records(
            {"repo": world.account.did, "collection": "app.bsky.feed.post", "limit": 100}
        ).records
        [value] = [r.value for r in records if url in r.value.text]
        found["bluesky"] = [
            (
                client.com.atproto.sync.get_blob(
                    {"did": world.account.did, "cid": image.image.ref.link}
                ),
                image.alt,
            )
            for image in value.embed.images
        ]
    finally:
        client.request.close()
    return found


def test_a_new_gallery_goes_out_with_its_photos_and_alts_on_all_eight(
    world: World, tmp_path: Path
) -> None:
    from fanpage.engine.build import build_site
    from tests.photos import make_photo
    from tests.servers.photos import private_metadata

    first_run(world)
    for number in range(1, 6):
        make_photo(world.site / f"content/images/shows/jakarta/{number:02d}.jpg", (2400, 1600))
    world.add("galleries/jakarta.md", GALLERY)
    # The live site, as Threads fetches photos from it: the same publish build, deployed.
    live = build_site(world.site, publish=True, output=tmp_path / "live").settings.output_dir

    def fetch(address: str) -> bytes | None:
        path = live / address.removeprefix(SITEURL + "/")
        return path.read_bytes() if address.startswith(SITEURL) and path.is_file() else None

    world.servers["threads"].fetch = fetch
    result = world.run()
    assert result.code == 0, result.stdout + result.stderr
    url = f"{SITEURL}/galleries/jakarta/"
    photos = received_photos(world, url)
    limits = {
        "mastodon": 16 * 1024 * 1024,
        "bluesky": 1_000_000,
        "x": 5 * 1024 * 1024,
        "facebook": 4 * 1024 * 1024,
        "linkedin": 5 * 1024 * 1024,
        "threads": 8 * 1024 * 1024,
        "telegram": 10 * 1024 * 1024,
        "discord": 10 * 1024 * 1024,
    }
    assert sorted(photos) == sorted(NETWORKS)
    for network, received in photos.items():
        assert len(received) == 4, network  # up to four of the five
        alts = [alt for _data, alt in received]
        assert alts == (GALLERY_ALTS if network != "telegram" else [None] * 4), network
        for data, _alt in received:
            assert data[:3] == b"\xff\xd8\xff" and len(data) < limits[network], network
            assert private_metadata(data) == [], network
            assert b"SN-123456" not in data and b"Jane Doe" not in data, network
    assert world.states("gallery-jakarta") == dict.fromkeys(NETWORKS, "posted")
