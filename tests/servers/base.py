"""What every platform test server shares: a real HTTP server on 127.0.0.1, a record of what
it received, and faults a test can inject.

Each platform's server (``tests/servers/<name>.py``) subclasses :class:`PlatformServer` and
implements :meth:`PlatformServer.route` with that platform's documented paths, limits,
counting, idempotency and error shapes. The servers count text with code of their own, not
fanpage's: a test that shared the client's counting could never catch it counting wrongly.

Faults (``server.inject("rate_limit")``) apply to the next request that would create a post
(the subclass calls :meth:`PlatformServer.take_fault` there) and are rendered in the
platform's own error shape by the subclass:

- ``unavailable``: 503, nothing posted;
- ``server_error``: 500, nothing posted;
- ``rate_limit``: 429 with ``Retry-After: 1`` (or the platform's own way of saying it);
- ``accept_then_timeout``: the post is created, then the answer is held until the client
  gives up (its timeout) and hangs up;
- ``accept_then_drop``: the post is created, then the connection is closed with no answer;
- ``drop``: the connection is closed with no answer, nothing posted.

``server.expire_tokens()`` makes every later request fail as that platform fails an expired
token.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAULTS = (
    "unavailable",
    "server_error",
    "rate_limit",
    "accept_then_timeout",
    "accept_then_drop",
    "drop",
)
HOLD_SECONDS = 30.0  # an upper bound: a held answer is released when the client hangs up


@dataclass
class Request:
    """One request as the server received it."""

    method: str
    path: str  # without the query
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def param(self, name: str) -> str | None:
        """A parameter from the query, a form body or a JSON body, whichever has it."""
        if name in self.query:
            return self.query[name][0]
        content_type = self.headers.get("content-type", "")
        if "json" in content_type:
            data = self.json()
            return data.get(name) if isinstance(data, dict) else None
        if "x-www-form-urlencoded" in content_type:
            values = self.form().get(name)
            return values[0] if values else None
        return None


@dataclass
class Response:
    status: int = 200
    body: Any = None  # dict/list -> JSON; bytes/str sent as they are
    headers: dict[str, str] = field(default_factory=dict)


class Drop(Exception):
    """Raised by a route to close the connection without answering."""


class Hold(Exception):
    """Raised by a route to hold the answer until the client hangs up (a timeout)."""


class Posts(list):
    """The posts a platform shows; a test can wait for one to arrive (no sleeping)."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = threading.Condition()

    def append(self, item: Any) -> None:
        with self.changed:
            super().append(item)
            self.changed.notify_all()

    def wait_for(self, count: int, timeout: float = 30.0) -> bool:
        """True once at least ``count`` posts exist (False after ``timeout`` seconds)."""
        with self.changed:
            return self.changed.wait_for(lambda: len(self) >= count, timeout)


class PlatformServer:
    """A test server for one platform. Use as a context manager or call start()/stop()."""

    label = "platform"

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.posts: Posts = Posts()  # what the platform now shows, oldest first
        self.tokens_expired = False
        self._faults: deque[str] = deque()
        self._lock = threading.RLock()
        self._release = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- the test's side -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def inject(self, fault: str, count: int = 1) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        with self._lock:
            self._faults.extend([fault] * count)

    def expire_tokens(self) -> None:
        self.tokens_expired = True

    def start(self) -> PlatformServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with server._lock:
                    server.requests.append(request)
                try:
                    response = server.route(request)
                except Drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                except Hold:
                    server._release.wait(HOLD_SECONDS)
                    self.close_connection = True
                    return
                self._send(response)

            def _send(self, response: Response) -> None:
                payload = response.body
                if isinstance(payload, (dict, list)):
                    data = json.dumps(payload).encode("utf-8")
                    response.headers.setdefault("Content-Type", "application/json")
                elif isinstance(payload, str):
                    data = payload.encode("utf-8")
                else:
                    data = payload or b""
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> PlatformServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the platform's side ---------------------------------------------------------------

    def take_fault(self) -> str | None:
        """The next injected fault, if any; call it where a post would be created."""
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def route(self, request: Request) -> Response:
        """Answer one request as the platform would."""
        raise NotImplementedError

    def posts_requests(self, method: str = "POST", path_suffix: str = "") -> list[Request]:
        """Requests received with ``method`` whose path ends with ``path_suffix``."""
        return [r for r in self.requests if r.method == method and r.path.endswith(path_suffix)]


def post_text(network: str, post: dict[str, Any]) -> str:
    """The text of a post as any of the servers records it (each names the field as its
    platform does)."""
    for key in ("text", "status", "message", "commentary", "content", "caption"):
        if isinstance(post.get(key), str):
            return post[key]
    raise AssertionError(f"{network} post without text: {sorted(post)}")
