"""wait_until_live against a local HTTP server that starts serving the new page after a few
requests. Requests are counted; the clock is a fake that only moves when the code sleeps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from publish_support import write_site

from fanpage.publish.wait import (
    LiveCheck,
    build_marker,
    expect_built_page,
    wait_until_live,
)

OLD = b"<!doctype html><title>Old</title><p>the page before the deploy"
NEW_ID = "3f9a1c2b4d5e"
NEW = ("<!doctype html><head>" + build_marker(NEW_ID) + "</head><p>the new page").encode()


@dataclass
class Route:
    """``old`` (with ``old_status``) for the first ``switch_after`` requests, then ``new``."""

    old: bytes
    new: bytes
    switch_after: int
    old_status: int = 200
    hits: int = 0


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    user_agents: list[str] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                route = state.routes.get(self.path)
                state.user_agents.append(self.headers.get("User-Agent", ""))
                if route is None:
                    status, body = 404, b"not found"
                else:
                    route.hits += 1
                    if route.hits > route.switch_after:
                        status, body = 200, route.new
                    else:
                        status, body = route.old_status, route.old
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_port}"
    # a short poll interval only makes shutdown() quick; nothing waits on it
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()


class FakeTime:
    """A clock that moves only when ``sleep`` is called; the sleeps are recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_waits_until_the_new_page_is_served(server: Server) -> None:
    server.routes["/news/new/"] = Route(OLD, NEW, switch_after=3)
    time = FakeTime()
    url = server.base + "/news/new/"
    result = wait_until_live(
        {url: build_marker(NEW_ID)}, 300, clock=time.clock, sleep=time.sleep, first_delay=2
    )
    assert result.live == (url,) and result.ok and not result.not_live
    assert server.routes["/news/new/"].hits == 4  # three old answers, then the new one
    assert time.sleeps == [2, 4, 8]  # backoff between rounds, none after success
    assert result.rounds == 4
    assert all(agent.startswith("fanpage/") for agent in server.user_agents)


def test_a_cached_404_is_not_live_until_the_page_answers_200(server: Server) -> None:
    server.routes["/tours/new/"] = Route(b"gone", NEW, switch_after=2, old_status=404)
    time = FakeTime()
    seen: list[dict] = []
    url = server.base + "/tours/new/"
    result = wait_until_live(
        [url], 60, clock=time.clock, sleep=time.sleep, on_round=lambda _n, w: seen.append(w)
    )
    assert result.live == (url,)
    assert seen[:2] == [{url: "HTTP 404"}, {url: "HTTP 404"}] and seen[2] == {}


def test_a_page_that_stays_old_is_reported_when_the_time_is_up(server: Server) -> None:
    server.routes["/slow/"] = Route(OLD, NEW, switch_after=10**6)
    server.routes["/fast/"] = Route(OLD, NEW, switch_after=1)
    time = FakeTime()
    slow, fast = server.base + "/slow/", server.base + "/fast/"
    result = wait_until_live(
        {slow: build_marker(NEW_ID), fast: build_marker(NEW_ID)},
        100,
        clock=time.clock,
        sleep=time.sleep,
        first_delay=2,
        max_delay=30,
    )
    assert result.live == (fast,)
    assert result.not_live == {slow: "the old page"} and not result.ok
    assert sum(time.sleeps) == pytest.approx(100)  # bounded by the timeout, not beyond
    assert max(time.sleeps) <= 30  # the backoff is capped
    assert time.sleeps[:5] == [2, 4, 8, 16, 30]
    assert server.routes["/fast/"].hits == 2  # no more requests once it was live
    assert server.routes["/slow/"].hits == result.rounds


def test_zero_seconds_skips_the_wait(server: Server) -> None:
    server.routes["/x/"] = Route(OLD, NEW, switch_after=0)
    result = wait_until_live([server.base + "/x/"], 0)
    assert result.skipped and result.live == () and result.rounds == 0
    assert server.routes["/x/"].hits == 0


def test_the_exact_built_file_is_the_new_page(server: Server, tmp_path: Path) -> None:
    """With no marker in the theme, the body's sha256 must be that of the built file."""
    built = write_site(tmp_path / "out", {"index.html": "home", "news/new/index.html": NEW})
    site_url = server.base
    check = expect_built_page(f"{site_url}/news/new/", built, site_url)
    nearly = NEW + b" "
    server.routes["/news/new/"] = Route(nearly, NEW, switch_after=2)  # the CDN's stale copy
    time = FakeTime()
    result = wait_until_live([check], 60, clock=time.clock, sleep=time.sleep)
    assert result.live == (check.url,)
    assert server.routes["/news/new/"].hits == 3
    assert not check.accepts(nearly) and check.accepts(NEW)


def test_built_pages_are_found_for_their_urls(tmp_path: Path) -> None:
    built = write_site(
        tmp_path / "out",
        {
            "index.html": "home",
            "news/a/index.html": "a",
            "feed.json": "{}",
            "berita/é/index.html": "é",
        },
    )
    site = "https://band.example.org"
    for url, body in (
        (f"{site}/", b"home"),
        (site, b"home"),
        (f"{site}/news/a/", b"a"),
        (f"{site}/news/a", b"a"),
        (f"{site}/feed.json", b"{}"),
        (f"{site}/berita/%C3%A9/", "é".encode()),
    ):
        check = expect_built_page(url, built, site)
        assert check.accepts(body) and not check.accepts(body + b"!"), url
    with pytest.raises(ValueError):
        expect_built_page("https://elsewhere.example.org/", built, site)
    assert LiveCheck("u", marker="new").accepts(b"the new page")
    assert not LiveCheck("u", marker="new").accepts(b"the old page")
    assert LiveCheck("u").accepts(b"anything")
