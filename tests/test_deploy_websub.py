"""A deploy tells the WebSub hub about every feed that changed, and only those."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from tests.servers.base import PlatformServer, Request, Response
from tests.test_cli import invoke

NEWS = """\
---
title: {title}
date: 2026-11-{day} 10:00
---
Hello.
"""
ALBUM = """\
---
title: Gelombang
release_date: 2026-10-10
---
Out now.
"""


class Hub(PlatformServer):
    """A WebSub hub: answers 202 to ``hub.mode=publish`` and records the feed URLs."""

    label = "hub"

    def __init__(self) -> None:
        super().__init__()
        self.told: list[str] = []
        self.refuse: set[str] = set()

    def route(self, request: Request) -> Response:
        form = parse_qs(request.body.decode())
        url = form["hub.url"][0]
        if form.get("hub.mode") != ["publish"] or url in self.refuse:
            return Response(400, "bad request")
        self.told.append(url)
        return Response(202, "")


@pytest.fixture
def hub() -> Iterator[Hub]:
    with Hub() as server:
        yield server


def deploy_site(make_site: Callable[..., Path], hub: Hub, live: Path) -> Path:
    site = make_site(
        {"news/2026-11-01-a.md": NEWS.format(title="A", day="01"), "albums/g.md": ALBUM},
        siteurl="https://lintang.band",
    )
    with (site / "publishconf.py").open("a") as conf:
        conf.write(
            f"WEBSUB_HUB = {hub.base_url + '/'!r}\n"
            f"DEPLOY_TARGET = {'dir:' + str(live)!r}\n"
            "DEPLOY_WAIT_SECONDS = 0\n"
        )
    return site


def test_the_hub_hears_of_changed_feeds_only(
    make_site: Callable[..., Path], hub: Hub, tmp_path: Path
) -> None:
    site = deploy_site(make_site, hub, tmp_path / "www" / "site")
    code, output = invoke("deploy", "--site", str(site))
    assert code == 0, output
    first = set(hub.told)
    assert "https://lintang.band/feeds/all.atom.xml" in first
    assert "https://lintang.band/feeds/albums.rss.xml" in first
    assert "https://lintang.band/feed.json" in first
    assert all(url in output for url in first)

    hub.told.clear()
    code, output = invoke("deploy", "--site", str(site))
    assert code == 0 and hub.told == []  # nothing changed: the hub is not bothered

    (site / "content/news/2026-11-02-b.md").write_text(NEWS.format(title="B", day="02"))
    code, output = invoke("deploy", "--site", str(site))
    assert code == 0, output
    told = set(hub.told)
    assert "https://lintang.band/feeds/news.atom.xml" in told
    assert "https://lintang.band/feeds/all.rss.xml" in told
    assert not any("albums" in url for url in told)  # the album feeds did not change


def test_a_feed_the_hub_refused_is_told_again_next_time(
    make_site: Callable[..., Path], hub: Hub, tmp_path: Path
) -> None:
    site = deploy_site(make_site, hub, tmp_path / "www" / "site")
    refused = "https://lintang.band/feeds/news.atom.xml"
    hub.refuse.add(refused)
    code, output = invoke("deploy", "--site", str(site))
    assert code == 1 and f"HTTP 400 for {refused}" in output
    hub.refuse.clear()
    hub.told.clear()
    code, output = invoke("deploy", "--site", str(site))
    assert code == 0, output
    assert hub.told == [refused]
