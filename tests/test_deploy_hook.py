"""Deploy on ``git push``, end to end: ``fanpage hook install`` in a bare repository, the
artist's clone of a site made by ``fanpage init``, real pushes, a real live site on loopback
(the ``dir:`` target served over HTTP, its address the site's SITEURL), the loopback network
servers and the real Bluesky PDS. Every assertion is on what a person would see: the push
output, the live pages, what each network received, the ledger in the state folder.
"""

from __future__ import annotations

import html
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.deploy_support import (
    ALL_NETWORKS,
    HookSite,
    LiveSite,
    Networks,
    Push,
    news_text,
    yesterday,
)
from tests.pds_server import PdsServer

NEW_SINGLE = "content/news/new-single.md"
MORE_SHOWS = """\
  - date: "{date} 20:00"
    venue: Sabuga ITB
    city: Jakarta
    country: ID
"""

MakeSite = Callable[..., HookSite]


@pytest.fixture
def make_site(tmp_path: Path, pds: PdsServer) -> Iterator[MakeSite]:
    made: list[HookSite] = []

    def make(names: tuple[str, ...] = ("mastodon", "discord")) -> HookSite:
        networks = Networks.start(names, pds)
        target = tmp_path / "www" / "site"
        target.parent.mkdir(parents=True)
        site = HookSite(tmp_path, LiveSite(target), networks, target)
        made.append(site)
        return site.set_up()

    try:
        yield make
        for site in made:
            assert site.leaks() == [], "a secret reached the push output or a file"
    finally:
        for site in made:
            site.live.stop()
            site.networks.stop()


def baseline(site: HookSite) -> Push:
    """The first push of the new site: published, and every entry recorded as announced."""
    site.commit("A new fan site")
    push = site.push()
    assert push.code == 0, push.output
    assert "fanpage: deployed" in push.output, push.output
    return push


def add_post(site: HookSite, uid: str, title: str, path: str = NEW_SINGLE) -> str:
    site.write(path, news_text(uid, title))
    return site.commit(f"News: {title}")


def also_on(page: str, site: HookSite, uid: str) -> list[str]:
    """The networks whose post the page links to in its "Also on" line."""
    records = site.ledger().records[uid]
    return sorted(n for n, r in records.items() if r.url and html.escape(r.url) in page)


# -- the scenarios -----------------------------------------------------------------------


def test_install_makes_the_hook_and_the_state_folder(make_site: MakeSite) -> None:
    site = make_site(())
    hook = site.repo / "hooks" / "post-receive"
    assert os.access(hook, os.X_OK)
    script = hook.read_text()
    assert script.startswith("#!/bin/sh\n")
    assert os.path.abspath(sys.executable) in script  # the venv that installed it
    assert f"--target dir:{site.target_dir}" in script
    env = site.state / "env"
    assert env.stat().st_mode & 0o777 == 0o600
    assert env.read_text().startswith("# Secrets for the deploys of this repository")
    assert f"State folder: {site.state}" in site.install_output
    assert (site.state.stat().st_mode & 0o077) == 0


def test_a_new_post_goes_out_once_everywhere_then_a_typo_fix_posts_nothing(
    make_site: MakeSite,
) -> None:
    site = make_site(ALL_NETWORKS)
    first = baseline(site)
    assert "recorded as already announced (first run)" in first.output
    assert site.networks.counts() == dict.fromkeys(ALL_NETWORKS, 0)
    # The example post of `fanpage init`, by the uid it writes.
    assert site.states("news-hello") == dict.fromkeys(ALL_NETWORKS, "baseline")
    status, home = site.live.get("/")
    assert status == 200 and "Senja Hook" in home

    commit = add_post(site, "news-new-single", "Arus Balik, the new single")
    push = site.push()
    assert push.code == 0, push.output
    lines = push.remote_lines()
    assert f"fanpage: deploying main at {commit[:7]} News: Arus Balik, the new single" in lines
    assert f"fanpage: deployed {commit[:12]}" in lines
    assert any(line.startswith(f"dir:{site.target_dir}: published") for line in lines), lines
    url = f"{site.live.url}/news/new-single/"
    received = site.networks.received()
    records = site.ledger().records["news-new-single"]
    summary = lines[lines.index("Summary:") :]
    for network in ALL_NETWORKS:  # the summary: each post with its URL, under its network
        at = summary.index(f"{network}: 1 posted")
        assert summary[at + 1] == f"news-new-single: {records[network].url}", summary
    for network in ALL_NETWORKS:
        assert len(received[network]) == 1, (network, received[network])
        assert "Arus Balik" in received[network][0], network
        assert url in received[network][0] or network == "linkedin", (network, received[network])
    assert site.states("news-new-single") == dict.fromkeys(ALL_NETWORKS, "posted")

    status, page = site.live.get("/news/new-single/")
    assert status == 200 and "Also on" in page
    assert also_on(page, site, "news-new-single") == sorted(ALL_NETWORKS)
    # The ledger lives in the state folder only: not in the checkout, the clone or the site.
    assert not (site.state / "work" / "syndication.json").exists()
    assert not (site.clone / "syndication.json").exists()
    published = {p.name for p in site.target_dir.resolve().rglob("*")}
    assert not published & {"syndication.json", "env", "fanpage-state"}

    released = site.live_release()
    site.write(NEW_SINGLE, news_text("news-new-single", "Arus Balik, the new single (typo)"))
    site.commit("Fix a typo")
    fixed = site.push()
    assert fixed.code == 0 and "fanpage: deployed" in fixed.output, fixed.output
    assert site.live_release() != released  # republished
    status, page = site.live.get("/news/new-single/")
    assert "(typo)" in page and also_on(page, site, "news-new-single") == sorted(ALL_NETWORKS)
    assert site.networks.counts() == dict.fromkeys(ALL_NETWORKS, 1)
    assert all(f"{n}: nothing new" in fixed.remote_lines() for n in ALL_NETWORKS)


def test_a_new_tour_date_is_one_announcement(make_site: MakeSite) -> None:
    site = make_site(("mastodon", "bluesky"))
    baseline(site)
    tour = site.clone / "content/tours/first-tour.md"
    show_date = yesterday(-90)  # 90 days ahead
    text = tour.read_text()
    tour.write_text(
        text.replace("---\nEvery show", MORE_SHOWS.format(date=show_date) + "---\nEvery show")
    )
    site.commit("A new date in Jakarta")
    push = site.push()
    assert push.code == 0 and "fanpage: deployed" in push.output, push.output
    received = site.networks.received()
    for network in ("mastodon", "bluesky"):
        assert len(received[network]) == 1, (network, received[network])
        assert "1 new date" in received[network][0], received[network][0]
        assert "Jakarta" in received[network][0], received[network][0]


def test_invalid_content_publishes_and_posts_nothing_and_names_the_line(
    make_site: MakeSite,
) -> None:
    site = make_site()
    baseline(site)
    released = site.live_release()
    site.write(NEW_SINGLE, news_text("news-new-single", "Arus Balik"))
    site.write(
        "content/news/broken.md",
        "---\ntitle: Broken\nuid: news-broken\ndate: 2026-13-45\n---\nText.\n",
    )
    site.commit("A post with a bad date")
    push = site.push()
    assert push.code == 0  # post-receive: git had accepted the push already
    lines = push.remote_lines()
    assert any(line.startswith("content/news/broken.md:4: ") for line in lines), lines
    assert "Not deployed: nothing was published or posted." in lines
    assert any("the deploy of" in line and "failed (exit status 1)" in line for line in lines)
    assert site.live_release() == released
    assert site.live.get("/news/new-single/")[0] == 404
    assert site.networks.counts() == {"mastodon": 0, "discord": 0}
    assert "news-new-single" not in site.ledger().records

    (site.clone / "content/news/broken.md").unlink()
    site.commit("Remove the broken post")
    fixed = site.push()
    assert "fanpage: deployed" in fixed.output, fixed.output
    assert site.networks.counts() == {"mastodon": 1, "discord": 1}
    assert site.live.get("/news/new-single/")[0] == 200


def test_two_pushes_in_quick_succession_deploy_in_order_and_post_once(
    make_site: MakeSite,
) -> None:
    site = make_site()
    baseline(site)
    first = add_post(site, "news-first", "First of two", "content/news/first.md")
    site.live.hold()  # the first deploy stops in its wait for the live page
    running_first = site.start_push()
    assert site.live.wait_until_held(), "the first deploy never asked for its page"
    # The deploy's own lines reach the push while it runs (streamed, not printed at the end).
    assert running_first.wait_for_line("remote: Waiting for 1 new page(s) to be live")
    second = add_post(site, "news-second", "Second of two", "content/news/second.md")
    running_second = site.start_push()
    assert running_second.wait_for_line("waiting for it to finish"), running_second.lines
    site.live.release()
    one, two = site.finish(running_first), site.finish(running_second)
    assert f"fanpage: deployed {first[:12]}" in one.remote_lines(), one.output
    assert f"fanpage: deployed {second[:12]}" in two.remote_lines(), two.output
    assert [c for c, outcome in site.history() if outcome == "deployed"][-2:] == [first, second]
    texts = site.networks.received()
    for network in ("mastodon", "discord"):
        assert len(texts[network]) == 2, texts[network]
        assert "First of two" in texts[network][0] and "Second of two" in texts[network][1]
    for path in ("/news/first/", "/news/second/"):
        assert site.live.get(path)[0] == 200


def test_a_push_overtaken_while_waiting_is_skipped(make_site: MakeSite) -> None:
    site = make_site()
    baseline(site)
    first = add_post(site, "news-first", "First of three", "content/news/first.md")
    site.live.hold()
    running = [site.start_push()]
    assert site.live.wait_until_held()
    middle = add_post(site, "news-middle", "Middle of three", "content/news/middle.md")
    running.append(site.start_push())
    assert running[1].wait_for_line("waiting for it to finish")
    last = add_post(site, "news-last", "Last of three", "content/news/last.md")
    running.append(site.start_push())
    assert running[2].wait_for_line("waiting for it to finish")
    site.live.release()
    pushes = [site.finish(r) for r in running]
    assert f"fanpage: deployed {first[:12]}" in pushes[0].remote_lines()
    skipped = [line for line in pushes[1].remote_lines() if line.startswith("fanpage: skipping")]
    assert skipped and skipped[0].startswith(
        f"fanpage: skipping {middle[:12]}: main is now at {last[:12]}"
    ), pushes[1].output
    assert f"fanpage: deployed {last[:12]}" in pushes[2].remote_lines()
    outcomes = dict(site.history())
    assert outcomes[middle].startswith("skipped") and outcomes[last] == "deployed"
    texts = site.networks.received()
    for network in ("mastodon", "discord"):
        assert len(texts[network]) == 3, texts[network]
        assert "First of three" in texts[network][0]  # deployed before the other two
        for title in ("First of three", "Middle of three", "Last of three"):
            assert sum(title in text for text in texts[network]) == 1, (title, texts[network])
    status, page = site.live.get("/news/middle/")
    assert status == 200 and "Also on" in page


def test_a_deploy_killed_between_publish_and_crosspost_then_a_push(
    make_site: MakeSite,
) -> None:
    site = make_site()
    baseline(site)
    add_post(site, "news-first", "Killed before posting", "content/news/first.md")
    site.live.hold()
    running = site.start_push()
    assert site.live.wait_until_held()
    deploying = site.current_deploy()
    os.kill(deploying["pid"], signal.SIGKILL)
    site.live.release()
    killed = site.finish(running)
    assert any("was killed (SIGKILL)" in line for line in killed.remote_lines()), killed.output
    assert site.live.get("/news/first/")[0] == 200  # it was published ...
    assert site.networks.counts() == {"mastodon": 0, "discord": 0}  # ... and nothing posted
    assert not (site.state / "current").exists()
    assert site.history()[-1] == (deploying["commit"], "killed (SIGKILL)")

    add_post(site, "news-second", "After the crash", "content/news/second.md")
    push = site.push()
    assert "fanpage: deployed" in push.output, push.output
    texts = site.networks.received()
    for network in ("mastodon", "discord"):
        assert len(texts[network]) == 2, texts[network]
        assert sum("Killed before posting" in t for t in texts[network]) == 1
        assert sum("After the crash" in t for t in texts[network]) == 1
    assert site.states("news-first") == {"mastodon": "posted", "discord": "posted"}
    status, page = site.live.get("/news/first/")
    assert status == 200 and also_on(page, site, "news-first") == ["discord", "mastodon"]
