"""Wait until the public URLs serve the new pages, before anything is cross-posted.

Mastodon, Facebook, Threads and Telegram fetch a link's preview when the post is made, so a
post made while a CDN or GitHub Pages still serves the old page (or a cached 404) shows the
wrong preview for good. :func:`wait_until_live` polls each URL until it answers 200 **with
the new page**:

- ``LiveCheck(url, sha256=...)``: the body is exactly the built file (what
  :func:`expect_built_page` gives from the output folder). Exact, and needs nothing in the
  theme; a CDN that rewrites pages (injected scripts, minifying, e-mail obfuscation) makes it
  never match, so use a marker there.
- ``LiveCheck(url, marker=...)``: the body contains that text. The proposed marker is
  :func:`build_marker` ``(build_id)``, ``<meta name="generator" content="fanpage BUILD_ID">``,
  once the theme writes it into every page (BUILD_ID: the source commit, or a hash of the
  build); an entry's canonical URL works for a page that did not exist before.
- neither: any 200 will do.

Rounds: every URL not yet live is fetched once per round, then the wait before the next
round doubles (``first_delay``, 2x, ... up to ``max_delay``); the last wait ends at
``timeout_seconds`` from the start, and one last round is made then (its requests may take
``LAST_CHANCE`` seconds each, so a server that hangs can stretch the wait by that much).
``timeout_seconds=0`` skips the wait and sends nothing. Requests go as a visitor's would (no
cache-busting query, which would test the origin and not what the networks will be served).
``clock`` and ``sleep`` can be replaced (tests count, not time).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

from fanpage import __version__

LAST_CHANCE = 2.0  # seconds a request may take in the last round, at the deadline
USER_AGENT = f"fanpage/{__version__} (deploy: waiting until the new pages are live)"


@dataclass(frozen=True)
class LiveCheck:
    """A URL and how to recognise the new page there."""

    url: str
    marker: str | None = None
    sha256: str | None = None

    def accepts(self, body: bytes) -> bool:
        if self.sha256 is not None and hashlib.sha256(body).hexdigest() != self.sha256:
            return False
        return self.marker is None or self.marker.encode("utf-8") in body


@dataclass(frozen=True)
class WaitResult:
    """Which URLs served the new page in time, and for the others what was seen last."""

    live: tuple[str, ...] = ()
    not_live: Mapping[str, str] = field(default_factory=dict)
    skipped: bool = False
    rounds: int = 0

    @property
    def ok(self) -> bool:
        return not self.not_live


def build_marker(build_id: str) -> str:
    """The text a page of build ``build_id`` carries (for the theme to write into <head>)."""
    return f'<meta name="generator" content="fanpage {build_id}">'


def expect_built_page(url: str, output_dir: Path, site_url: str) -> LiveCheck:
    """A check that ``url`` serves exactly the file the build wrote for it."""
    base = site_url.rstrip("/")
    if not url.startswith(base + "/") and url != base:
        raise ValueError(f"{url} is not under {site_url}")
    path = unquote(urlsplit(url).path[len(urlsplit(base).path) :]).lstrip("/")
    local = Path(output_dir) / path
    if not path or path.endswith("/") or local.is_dir():
        local = local / "index.html"
    return LiveCheck(url, sha256=hashlib.sha256(local.read_bytes()).hexdigest())


def _checks(items: Iterable[LiveCheck | str] | Mapping[str, str | None]) -> list[LiveCheck]:
    if isinstance(items, Mapping):
        return [LiveCheck(url, marker=marker) for url, marker in items.items()]
    return [item if isinstance(item, LiveCheck) else LiveCheck(item) for item in items]


def wait_until_live(
    checks: Iterable[LiveCheck | str] | Mapping[str, str | None],
    timeout_seconds: float,
    *,
    first_delay: float = 2.0,
    max_delay: float = 30.0,
    request_timeout: float = 10.0,
    session: requests.Session | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    on_round: Callable[[int, Mapping[str, str]], None] | None = None,
) -> WaitResult:
    """Poll until every URL serves its new page or ``timeout_seconds`` have passed.

    ``checks``: :class:`LiveCheck` items, plain URLs (any 200), or a mapping URL -> marker.
    ``on_round`` is told, after each round, the URLs still waiting and what each answered.
    """
    pending = {check.url: check for check in _checks(checks)}
    if timeout_seconds <= 0 or not pending:
        return WaitResult(skipped=timeout_seconds <= 0)
    http = session or requests.Session()
    deadline = clock() + timeout_seconds
    live: list[str] = []
    seen: dict[str, str] = {}
    delay = first_delay
    rounds = 0
    try:
        while pending:
            rounds += 1
            for url, check in list(pending.items()):
                remaining = deadline - clock()
                answer = _fetch(http, url, min(request_timeout, max(remaining, LAST_CHANCE)))
                if isinstance(answer, bytes) and check.accepts(answer):
                    live.append(url)
                    del pending[url]
                    seen.pop(url, None)
                else:
                    seen[url] = answer if isinstance(answer, str) else "the old page"
            if on_round is not None:
                on_round(rounds, dict(seen))
            remaining = deadline - clock()
            if not pending or remaining <= 0:
                break
            sleep(min(delay, remaining))
            delay = min(delay * 2, max_delay)
    finally:
        if session is None:
            http.close()
    return WaitResult(
        live=tuple(live),
        not_live={url: seen.get(url, "not fetched in time") for url in pending},
        rounds=rounds,
    )


def _fetch(http: requests.Session, url: str, timeout: float) -> bytes | str:
    """The body of a 200 answer, or a few words on what came instead."""
    try:
        response = http.get(
            url, timeout=timeout, headers={"User-Agent": USER_AGENT}, allow_redirects=True
        )
    except requests.RequestException as error:
        return f"no answer ({type(error).__name__})"
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return response.content
