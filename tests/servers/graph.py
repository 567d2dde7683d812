"""What the Facebook and Threads test servers share: Meta's Graph error body, its token
checks (the token in the body, the query or an ``Authorization`` header), its throttling
answers with their usage headers, and the base faults rendered the way Graph renders them.

Error shapes follow Meta's "Handling Errors" guide::

    {"error": {"message": "...", "type": "OAuthException", "code": 190,
               "error_subcode": 463, "fbtrace_id": "..."}}

Throttling (``rate_limit`` fault, or :meth:`GraphServer.inject_error` with a code): 4, 17 and
32 answer HTTP 403, 613 and the Business Use Case code 80001 answer 400, with an
``X-Business-Use-Case-Usage`` header whose ``estimated_time_to_regain_access`` is in minutes.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from tests.servers.base import Drop, Hold, PlatformServer, Request, Response

# code -> (HTTP status, message), as Graph sends them.
THROTTLES: dict[int, tuple[int, str]] = {
    4: (403, "(#4) Application request limit reached"),
    17: (403, "(#17) User request limit reached"),
    32: (403, "(#32) Page request limit reached"),
    613: (400, "(#613) Calls to this api have exceeded the rate limit."),
    80001: (
        400,
        "(#80001) There have been too many calls to this Page account. Wait a bit and try "
        "again. For more info, please refer to "
        "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
    ),
}
OTHER_ERRORS: dict[int, tuple[int, str]] = {
    1: (500, "An unknown error has occurred."),
    2: (500, "An unexpected error has occurred. Please retry your request later."),
    10: (403, "(#10) Application does not have permission for this action"),
    200: (
        403,
        "(#200) If posting to a page, requires both pages_read_engagement and "
        "pages_manage_posts permission.",
    ),
    368: (
        400,
        "It looks like you were misusing this feature by going too fast. You've been "
        "blocked from using it.",
    ),
    506: (400, "(#506) Duplicate status message"),
    1609005: (400, "Error Posting Link"),
}


def graph_error(
    status: int,
    code: int,
    message: str,
    subcode: int | None = None,
    error_type: str = "OAuthException",
    is_transient: bool | None = None,
    headers: dict[str, str] | None = None,
    trace: str = "AbCdEfGhIjK",
    user_title: str | None = None,
    user_msg: str | None = None,
) -> Response:
    error: dict[str, Any] = {"message": message, "type": error_type, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if is_transient is not None:
        error["is_transient"] = is_transient
    if user_title is not None:
        error["error_user_title"] = user_title
    if user_msg is not None:
        error["error_user_msg"] = user_msg
    error["fbtrace_id"] = trace
    return Response(status, {"error": error}, dict(headers or {}))


@dataclass
class Params:
    """A request's parameters from the query, a form or a multipart body, and its files."""

    values: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)  # name, data, type

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.values.get(name, default)


def read_params(request: Request) -> Params:
    params = Params({k: v[0] for k, v in request.query.items()})
    content_type = request.headers.get("content-type", "")
    if "x-www-form-urlencoded" in content_type:
        form = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
        params.values.update({k: v[0] for k, v in form.items()})
    elif "multipart/form-data" in content_type:
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                params.files[name] = (filename, data, part.get_content_type())
            else:
                params.values[name] = data.decode("utf-8")
    elif "json" in content_type and request.body:
        body = request.json()
        if isinstance(body, dict):
            params.values.update({k: str(v) for k, v in body.items()})
    return params


_BEARER = re.compile(r"^(?:Bearer|OAuth)\s+(\S+)$", re.IGNORECASE)


class GraphServer(PlatformServer):
    """A Graph API stand-in: subclasses add their paths in :meth:`graph_route`."""

    label = "Graph"

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self._errors: deque[Response] = deque()
        self._ids = itertools.count(1)
        self._id_lock = threading.Lock()

    # -- the test's side -------------------------------------------------------------------

    def inject_error(
        self, code: int, regain_minutes: int | None = None, subcode: int | None = None
    ) -> None:
        """The next post-creating request fails with Graph error ``code`` (see THROTTLES)."""
        status, message = THROTTLES.get(code) or OTHER_ERRORS.get(code) or (400, f"(#{code})")
        headers = {}
        if regain_minutes is not None:
            headers["X-Business-Use-Case-Usage"] = json.dumps(
                {
                    "101000000000001": [
                        {
                            "type": "pages",
                            "call_count": 100,
                            "total_cputime": 40,
                            "total_time": 60,
                            "estimated_time_to_regain_access": regain_minutes,
                        }
                    ]
                }
            )
        transient = True if code in (1, 2) else None
        with self._lock:
            self._errors.append(
                graph_error(status, code, message, subcode, is_transient=transient, headers=headers)
            )

    def reset(self) -> None:
        """Forget everything a test did, so one running server can serve many tests."""
        with self._lock:
            self.requests.clear()
            self.posts.clear()
            self._faults.clear()
            self._errors.clear()
            self.tokens_expired = False

    def tokens_in_urls(self) -> list[str]:
        """Paths of requests that carried ``access_token`` in the URL (must stay empty)."""
        return [r.path for r in self.requests if "access_token" in r.query]

    # -- the platform's side ---------------------------------------------------------------

    def next_id(self) -> int:
        with self._id_lock:
            return next(self._ids)

    def take_error(self) -> Response | None:
        with self._lock:
            return self._errors.popleft() if self._errors else None

    def token_of(self, request: Request, params: Params) -> str | None:
        header = request.headers.get("authorization", "")
        match = _BEARER.match(header.strip())
        if match:
            return match.group(1)
        return params.get("access_token")

    def check_token(self, request: Request, params: Params) -> Response | None:
        """None when the request carries the right, unexpired token; else Graph's refusal."""
        token = self.token_of(request, params)
        if not token:
            return graph_error(400, 104, "An access token is required to request this resource.")
        if token != self.token:
            # Graph echoes a malformed token back in its message: clients must redact.
            return graph_error(
                400,
                190,
                f"Malformed access token {token}",
                headers={"WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token"'},
            )
        if self.tokens_expired:
            return graph_error(
                400,
                190,
                "Error validating access token: Session has expired on Wednesday, "
                "18-Nov-26 16:00:00 PST. The current time is Friday, 20-Nov-26 05:00:00 PST.",
                subcode=463,
            )
        return None

    def fault_before(self, fault: str | None) -> Response | None:
        """The faults that answer before anything is created (drop raises)."""
        if fault == "unavailable":
            return graph_error(
                503,
                2,
                "Service temporarily unavailable",
                error_type="FacebookApiException",
                is_transient=True,
            )
        if fault == "server_error":
            return graph_error(500, 1, "An unknown error has occurred.", is_transient=True)
        if fault == "rate_limit":
            status, message = THROTTLES[32]
            usage = {
                "call_count": 100,
                "total_cputime": 10,
                "total_time": 10,
                "estimated_time_to_regain_access": 1,
            }
            return graph_error(status, 32, message, headers={"X-Page-Usage": json.dumps(usage)})
        if fault == "drop":
            raise Drop()
        return None

    @staticmethod
    def fault_after(fault: str | None) -> None:
        """The faults that happen once the post exists."""
        if fault == "accept_then_timeout":
            raise Hold()
        if fault == "accept_then_drop":
            raise Drop()

    def route(self, request: Request) -> Response:
        params = read_params(request)
        refused = self.check_token(request, params)
        if refused is not None:
            return refused
        return self.graph_route(request, params)

    def graph_route(self, request: Request, params: Params) -> Response:
        raise NotImplementedError

    @staticmethod
    def unknown_object(object_id: str, method: str = "GET") -> Response:
        verb = "get" if method == "GET" else "post"
        return graph_error(
            400,
            100,
            f"Unsupported {verb} request. Object with ID '{object_id}' does not exist, cannot "
            "be loaded due to missing permissions, or does not support this operation.",
            subcode=33,
            error_type="GraphMethodException",
        )

    @staticmethod
    def fields(params: Params) -> list[str]:
        """``id,message,attachments{url,unshimmed_url}`` -> top-level names."""
        raw = params.get("fields") or ""
        names, depth, current = [], 0, ""
        for char in raw:
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == "," and depth == 0:
                names.append(current)
                current = ""
                continue
            if depth == 0 and char != "}":
                current += char
        if current:
            names.append(current)
        return [n.strip() for n in names if n.strip()]
