"""Plain HTTP for the networks without a client library (Graph APIs, LinkedIn, Telegram,
Discord): one ``requests`` session per network, and one place that turns transport failures
and throttling answers into :class:`~fanpage.crosspost.network.Transient`.

Whether a failed request may have reached the platform decides whether a retry is safe, so
the split matters: a refused connection or a connect timeout never reached it; a read
timeout or a connection dropped after sending may have.

Importing this module does not load ``requests`` (a run that posts does, when it makes a
session), so a network module imports it at its top and ``fanpage check`` stays quick.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fanpage import __version__
from fanpage.crosspost.network import Network, Transient
from fanpage.crosspost.secrets import redact

if TYPE_CHECKING:
    import requests

USER_AGENT = f"fanpage/{__version__}"
MAX_BODY_IN_MESSAGE = 300


def retry_after(
    headers: Mapping[str, str], now: float | None = None, include_reset: bool = True
) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date) or, with
    ``include_reset`` (a 429), a rate-limit reset header: some servers send the reset of the
    current window on every answer, where it says nothing about a 503."""
    now = time.time() if now is None else now
    value = headers.get("Retry-After") or headers.get("retry-after")
    if value:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            moment = _moment(value)
            if moment is not None:
                return max(0.0, moment - now)
    if not include_reset:
        return None
    for name in ("x-rate-limit-reset", "X-RateLimit-Reset", "x-ratelimit-reset"):
        reset = headers.get(name)
        if reset:
            try:
                moment = float(reset)
            except ValueError:
                moment = _moment(reset) or now
            # Epoch seconds (X) or, on Mastodon, an ISO time handled by its client.
            return max(0.0, moment - now) if moment > 1e9 else max(0.0, moment)
    return None


def body_wait(value: Any, headers: Mapping[str, str]) -> float | None:
    """The seconds a 429's body says to wait (Telegram's and Discord's ``retry_after``, more
    precise than their headers), else what the headers say."""
    return float(value) if isinstance(value, (int, float)) else retry_after(headers)


def _moment(text: str) -> float | None:
    """An HTTP date or an ISO 8601 time (Mastodon's X-RateLimit-Reset) as epoch seconds."""
    try:
        return email.utils.parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def describe(response: requests.Response) -> str:
    """``HTTP 422: <start of body>``, secrets removed, for a one-line message."""
    body = " ".join((response.text or "").split())[:MAX_BODY_IN_MESSAGE]
    return redact(
        f"HTTP {response.status_code}: {body}" if body else f"HTTP {response.status_code}"
    )


def json_object(response: requests.Response) -> dict[str, Any]:
    """The body as a JSON object; ``{}`` when it is not JSON or not an object."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def transport_error(exc: requests.RequestException, label: str) -> Transient:
    """A ``requests`` failure as Transient, with ``maybe_sent`` set as precisely as it can be."""
    import requests

    if isinstance(exc, requests.ConnectTimeout):
        return Transient(f"{label}: connection timed out", maybe_sent=False)
    if isinstance(exc, requests.ReadTimeout):
        return Transient(
            f"{label}: no answer in time (the post may have gone out)", maybe_sent=True
        )
    if isinstance(exc, requests.ConnectionError):
        reason = str(exc)
        never_connected = any(
            word in reason
            for word in ("NewConnectionError", "Connection refused", "Name or service not known")
        )
        if never_connected:
            return Transient(f"{label}: cannot connect", maybe_sent=False)
        return Transient(f"{label}: connection lost (the post may have gone out)", maybe_sent=True)
    return Transient(redact(f"{label}: {type(exc).__name__}"), maybe_sent=True)


def status_error(response: requests.Response, label: str) -> Transient | None:
    """429 and 5xx as Transient (502 and 503 never reached the application); else None."""
    status = response.status_code
    if status == 429:
        return Transient(
            f"{label}: rate limited ({describe(response)})", retry_after(response.headers)
        )
    if status >= 500:
        return Transient(
            f"{label}: server error ({describe(response)})",
            retry_after(response.headers, include_reset=False),
            maybe_sent=status not in (502, 503),
        )
    return None


class _RedactingFilter(logging.Filter):
    """Takes secrets out of log records (urllib3 logs every URL, tokens in paths included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot format itself is left alone
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def redact_logs(*names: str) -> None:
    """Install the redacting filter on these loggers (once each)."""
    for name in names or ("urllib3.connectionpool",):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactingFilter) for f in logger.filters):
            logger.addFilter(_RedactingFilter())


def new_session() -> requests.Session:
    """A ``requests`` session with fanpage's User-Agent that never retries on its own."""
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    adapter = HTTPAdapter(max_retries=0)  # retries are the runner's, with its budget
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class HttpApi:
    """A reused ``requests`` session against one API base, with fanpage's timeouts."""

    def __init__(self, label: str, base_url: str, timeout: float) -> None:
        self.label = label
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = new_session()
        redact_logs()

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send; raise Transient for transport failures; return every answer as it is.

        For networks that read every answer themselves (Discord, LinkedIn, Telegram: their
        429s say more than the status does).
        """
        import requests

        kwargs.setdefault("timeout", self.timeout)
        try:
            return self.session.request(method, self.url(path), **kwargs)
        except requests.RequestException as exc:
            raise transport_error(exc, self.label) from None

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send; raise Transient for transport failures, 429 and 5xx; return anything else."""
        response = self.send(method, path, **kwargs)
        problem = status_error(response, self.label)
        if problem is not None:
            raise problem
        return response

    def close(self) -> None:
        self.session.close()


class HttpNetwork(Network):
    """A network spoken to over plain HTTP: one :class:`HttpApi` per run, made on first use."""

    _api: HttpApi | None = None

    def _http(self) -> HttpApi:
        if self._api is None:
            self._api = HttpApi(self.label, self.config.api_base, self.timeout)
        return self._api

    def close(self) -> None:
        if self._api is not None:
            self._api.close()
            self._api = None
