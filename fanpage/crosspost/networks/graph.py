"""What the two Meta Graph APIs fanpage posts to (Facebook Pages, Threads) have in common.

Both answer a failure with the same body, whatever the HTTP status (400 and 403 mostly,
401 sometimes, 500 for Meta's own trouble)::

    {"error": {"message": "...", "type": "OAuthException", "code": 190,
               "error_subcode": 463, "is_transient": false, "fbtrace_id": "..."}}

and the ``code`` decides what the failure means for a post (Meta's "Handling Errors" guide
and its rate-limiting page):

- 4 (app), 17 (user), 32 (Page), 613 (calls per hour), 341 (application limit) and the
  Business Use Case codes 80000-80014 mean throttled: :class:`Transient`, with the wait
  from the ``estimated_time_to_regain_access`` (minutes) of the ``X-Business-Use-Case-Usage``,
  ``X-Page-Usage`` or ``X-App-Usage`` header when Meta sends one. A throttled request did
  nothing, so ``maybe_sent`` is false.
- 1 (unknown) and 2 (service), or ``is_transient: true``: Meta's own trouble, Transient; the
  request may have been carried out when it was the one that creates the post.
- 368 (temporarily blocked for policy violations): Meta says wait and retry: Transient with
  a long wait.
- 190 (token expired, revoked or invalid; ``error_subcode`` says which: 463 expired, 460
  password changed, 458 app removed, 459 checkpoint, 464 unconfirmed user, 467 invalid, 492
  invalid session), 102 (session) and 104 (no token): :class:`CredentialsError`.
- 10, 3 and 200-299 (a permission the token lacks), and 100 with subcode 33 (the Page or
  user id does not exist *for this token*): CredentialsError too, since only a new token
  (or the id option) fixes them; retrying every entry would fail every entry the same way.
- 506 (duplicate post: Facebook refuses the same message twice in a row): AlreadyPosted.
- anything else (100 invalid parameter, 1609005 link error, ...): :class:`Rejected`.

:class:`GraphApi` keeps the token out of every URL (so no URL in a message, a log line or
a ``requests`` exception can carry it): it goes in the POST body as ``access_token`` and in
an ``Authorization: Bearer`` header on reads, and listings are paged with their ``after``
cursor rather than the ``paging.next`` URL Meta returns (which holds the token).
:class:`GraphNetwork` is what the two networks share: that session, made on first use, and
the search of a listing for an earlier post.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from fanpage.crosspost.http import HttpApi, describe, json_object
from fanpage.crosspost.network import (
    AlreadyPosted,
    CannotTell,
    CredentialsError,
    Network,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.secrets import redact, remember

if TYPE_CHECKING:  # requests loads only when a run posts (``fanpage check`` stays quick)
    import requests

log = logging.getLogger(__name__)

THROTTLING_CODES = frozenset({4, 17, 32, 341, 613})
BUC_CODES = range(80000, 80015)  # Business Use Case rate limits (80001: Pages)
META_TROUBLE_CODES = frozenset({1, 2})
TOKEN_CODES = frozenset({102, 104, 190})
PERMISSION_CODES = frozenset({3, 10, *range(200, 300)})
POLICY_BLOCK_CODE = 368
DUPLICATE_CODE = 506
MISSING_OBJECT = (100, 33)

# Meta's windows roll over an hour (app and user) or a day (Business Use Case); without a
# header saying when access comes back, wait five minutes and let the runner decide.
DEFAULT_THROTTLE_WAIT = 300.0
POLICY_BLOCK_WAIT = 3600.0
USAGE_HEADERS = ("X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage", "X-Ad-Account-Usage")

TOKEN_SUBCODES: dict[int, str] = {
    458: "the app was removed from the account",
    459: "the account is checkpointed: log in on facebook.com to clear it",
    460: "the account's password changed",
    463: "the token has expired",
    464: "the account is not confirmed",
    467: "the token is invalid",
    492: "the session is invalid",
}


@dataclass(frozen=True)
class GraphError:
    """One Graph error body, read defensively (every field may be missing)."""

    status: int
    code: int | None = None
    subcode: int | None = None
    type: str = ""
    message: str = ""
    user_message: str = ""
    is_transient: bool = False
    fbtrace_id: str = ""

    def describe(self) -> str:
        """``(#190/463) Error validating access token: ...`` with secrets removed."""
        number = "" if self.code is None else f"#{self.code}"
        if self.subcode is not None:
            number += f"/{self.subcode}"
        text = self.message or f"HTTP {self.status}"
        if self.user_message and self.user_message not in text:
            text += f" ({self.user_message})"
        trace = f" [fbtrace_id {self.fbtrace_id}]" if self.fbtrace_id else ""
        return redact(f"({number}) {text}{trace}" if number else f"{text}{trace}")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_error(response: requests.Response) -> GraphError | None:
    """The Graph error in ``response``, or None when the body is not one."""
    error = json_object(response).get("error")
    if not isinstance(error, dict):
        return None
    return GraphError(
        status=response.status_code,
        code=_int(error.get("code")),
        subcode=_int(error.get("error_subcode")),
        type=str(error.get("type") or ""),
        message=str(error.get("message") or ""),
        user_message=str(error.get("error_user_msg") or ""),
        is_transient=error.get("is_transient") is True,
        fbtrace_id=str(error.get("fbtrace_id") or ""),
    )


def _minutes_in(usage: Any) -> list[float]:
    """Every ``estimated_time_to_regain_access`` in a usage header's JSON, however nested."""
    found: list[float] = []
    if isinstance(usage, dict):
        for key, value in usage.items():
            if key == "estimated_time_to_regain_access":
                with contextlib.suppress(TypeError, ValueError):
                    found.append(float(value))
            else:
                found.extend(_minutes_in(value))
    elif isinstance(usage, list):
        for value in usage:
            found.extend(_minutes_in(value))
    return found


def usage_wait(headers: Mapping[str, str]) -> float | None:
    """Seconds until Meta lets the caller in again, from its usage headers (None: unknown)."""
    minutes: list[float] = []
    for name in USAGE_HEADERS:
        raw = headers.get(name)
        if not raw:
            continue
        try:
            minutes.extend(_minutes_in(json.loads(raw)))
        except ValueError:
            continue
    longest = max(minutes, default=0.0)
    return longest * 60.0 if longest > 0 else None


@dataclass(frozen=True)
class Account:
    """What messages need to say about one network's account and token."""

    label: str  # "Facebook"
    variable: str  # the environment variable that holds the token
    token_help: str  # how to get a working token
    permissions: str  # the permissions the token needs
    id_option: str  # 'CROSSPOST["facebook"]["page_id"]'


Special = Callable[[GraphError, Mapping[str, str]], PostError | None]


def classify(
    error: GraphError, headers: Mapping[str, str], account: Account, creates: bool
) -> PostError:
    """What a Graph error means for the post (see the module docstring for the table)."""
    label, code, what = account.label, error.code, error.describe()
    if code in THROTTLING_CODES or (code is not None and code in BUC_CODES):
        wait = usage_wait(headers) or DEFAULT_THROTTLE_WAIT
        return Transient(f"{label}: throttled by Meta {what}", retry_after=wait)
    if code == POLICY_BLOCK_CODE:
        return Transient(
            f"{label}: temporarily blocked for policy violations {what}",
            retry_after=POLICY_BLOCK_WAIT,
        )
    if code in TOKEN_CODES or (code is None and error.type == "OAuthException"):
        reason = TOKEN_SUBCODES.get(error.subcode or 0, "the token was refused")
        return CredentialsError(f"{label}: {reason} {what}. {account.token_help}", account.variable)
    if code in PERMISSION_CODES:
        return CredentialsError(
            f"{label}: the token in {account.variable} lacks a permission {what}; "
            f"it needs {account.permissions}.",
            account.variable,
        )
    if (code, error.subcode) == MISSING_OBJECT:
        return CredentialsError(
            f"{label}: {what}. Check {account.id_option} and that {account.variable} is "
            "a token for that account.",
            account.variable,
        )
    if code == DUPLICATE_CODE:
        return AlreadyPosted(f"{label}: refused as a duplicate {what}")
    if code in META_TROUBLE_CODES or error.is_transient or error.status >= 500:
        return Transient(
            f"{label}: Meta had trouble {what}",
            retry_after=usage_wait(headers),
            maybe_sent=creates,
        )
    return Rejected(f"{label}: refused {what}")


def not_graph_error(response: requests.Response, account: Account) -> PostError:
    """A failure whose body is not a Graph error (a proxy, a wrong ``api_base``)."""
    if response.status_code in (401, 403):
        return CredentialsError(
            f"{account.label}: not authorised ({describe(response)}). {account.token_help}",
            account.variable,
        )
    return Rejected(f"{account.label}: unexpected answer ({describe(response)})")


class GraphApi:
    """One Graph API session: the token kept out of URLs, answers as dicts or PostErrors."""

    def __init__(
        self,
        base_url: str,
        token: str,
        account: Account,
        timeout: float,
        special: Special | None = None,
    ) -> None:
        remember(token)  # whatever read it, redact() now knows it
        self.http = HttpApi(account.label, base_url, timeout)
        self.token = token
        self.account = account
        self.special = special

    def get(self, path: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """A read; never creates anything, so a failure never ``maybe_sent``."""
        headers = {"Authorization": f"Bearer {self.token}"}
        return self._send("GET", path, creates=False, params=dict(params), headers=headers)

    def post(
        self,
        path: str,
        data: Mapping[str, str],
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        creates: bool = False,
    ) -> dict[str, Any]:
        """A write; ``creates`` when this is the request that makes the post visible."""
        body = {**data, "access_token": self.token}
        return self._send("POST", path, creates=creates, data=body, files=files)

    def search(
        self,
        path: str,
        fields: str,
        per_page: int,
        matches: Callable[[Mapping[str, Any]], bool],
        since: datetime,
        time_field: str,
    ) -> Mapping[str, Any] | None:
        """The newest item of the listing at ``path`` that ``matches`` (:func:`search_recent`);
        a failed listing raises what :func:`listing_error` makes of it."""

        def fetch(after: str | None) -> Mapping[str, Any]:
            params = {"fields": fields, "limit": str(per_page)}
            if after:
                params["after"] = after
            return self.get(path, params)

        label = self.account.label
        try:
            return search_recent(fetch, matches, since, time_field, label)
        except PostError as exc:
            raise listing_error(exc, label) from None

    def _send(self, method: str, path: str, creates: bool, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.http.request(method, path, **kwargs)
        except Transient as exc:
            log.debug("%s %s: %s", method, path, exc.message)
            if creates:
                raise
            # Only the request that publishes can leave a post behind.
            raise exc.not_sent() from None
        log.debug("%s %s -> HTTP %s", method, path, response.status_code)
        if response.ok:
            return self._json(response, creates)
        error = parse_error(response)
        if error is None:
            raise not_graph_error(response, self.account)
        problem = self.special(error, response.headers) if self.special else None
        raise problem or classify(error, response.headers, self.account, creates)

    def _json(self, response: requests.Response, creates: bool) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise Transient(
                f"{self.account.label}: an answer that is not JSON ({describe(response)})",
                maybe_sent=creates,
            )
        return body

    def close(self) -> None:
        self.http.close()


class GraphNetwork(Network):
    """Facebook or Threads: one :class:`GraphApi` session per run, made on first use."""

    account: ClassVar[Account]  # the token's variable and what messages say about it
    # The network's own meanings of a Graph error, tried before :func:`classify`.
    special: ClassVar[Special | None] = None

    _api: GraphApi | None = None

    def api(self) -> GraphApi:
        """The run's one session (made on first use)."""
        if self._api is None:
            token = self.secret_values[self.account.variable]
            self._api = GraphApi(
                self.config.api_base, token, self.account, self.timeout, special=self.special
            )
        return self._api

    def close(self) -> None:
        if self._api is not None:
            self._api.close()
            self._api = None


# -- recognising an earlier post -----------------------------------------------------------

MAX_PAGES = 4  # 4 x 25 recent posts: more than a band posts between two runs
CLOCK_MARGIN = timedelta(days=2)  # entry dates are the author's, not a clock's


def _normal_url(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def unshim(url: str) -> str:
    """``https://l.facebook.com/l.php?u=<url>&h=...`` -> ``<url>`` (others unchanged)."""
    parts = urlsplit(url)
    if parts.netloc.endswith("facebook.com") and parts.path == "/l.php":
        target = parse_qs(parts.query).get("u")
        if target:
            return target[0]
    return url


def same_url(a: str, b: str) -> bool:
    """The same page, ignoring a trailing slash and the case of scheme and host."""
    return _normal_url(unshim(a)) == _normal_url(unshim(b))


def mentions(text: str | None, url: str) -> bool:
    """``url`` appears in ``text`` as a whole URL (its trailing slash optional)."""
    if not text:
        return False
    pattern = re.escape(url.rstrip("/")) + r"/?(?=$|[\s.,;:!?)\]\"'’”])"
    return re.search(pattern, text) is not None


def parse_time(value: Any) -> datetime | None:
    """Graph times: ``2026-11-20T05:00:00+0000``."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


Page = Callable[[str | None], Mapping[str, Any]]


def search_recent(
    fetch: Page,
    matches: Callable[[Mapping[str, Any]], bool],
    since: datetime,
    time_field: str,
    label: str,
) -> Mapping[str, Any] | None:
    """The first listed item that ``matches``, newest first, paging with ``after`` cursors.

    Stops with None once the listing ends or reaches posts older than ``since`` (the entry's
    date, less a margin): a post announcing the entry cannot be older than the entry. Raises
    CannotTell when ``MAX_PAGES`` pages were read without reaching either.
    """
    since = since - CLOCK_MARGIN
    after: str | None = None
    for _ in range(MAX_PAGES):
        page = fetch(after)
        items = [item for item in page.get("data") or [] if isinstance(item, Mapping)]
        for item in items:
            if matches(item):
                return item
        paging = page.get("paging") if isinstance(page.get("paging"), Mapping) else {}
        cursors = paging.get("cursors") if isinstance(paging.get("cursors"), Mapping) else {}
        after = cursors.get("after")
        if not items or not after or not paging.get("next"):
            return None
        times = [t for t in (parse_time(item.get(time_field)) for item in items) if t]
        if times and min(times) < since:
            return None
    raise CannotTell(f"{label}: not among the {MAX_PAGES} most recent pages of posts")


def listing_error(exc: PostError, label: str) -> PostError:
    """A failed listing: credentials stay what they are, anything else is CannotTell."""
    if isinstance(exc, (CredentialsError, CannotTell)):
        return exc
    return CannotTell(f"{label}: cannot list recent posts: {exc.message}")
