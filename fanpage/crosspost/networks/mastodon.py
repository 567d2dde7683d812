"""Mastodon through Mastodon.py: one client per run, limits read from the instance.

What Mastodon needs, and why this module does what it does:

- The limit is the instance's own (``configuration.statuses.max_characters`` from
  ``GET /api/v2/instance``, 500 on a stock server) and a URL counts as
  ``characters_reserved_per_url`` (23) whatever its length, so :meth:`Mastodon.prepare`
  reads both and keeps them in ``remembered`` for the composer and the next dry run.
- Mastodon fetches the link card itself once the status is up, so no card is sent: the
  entry's page must be live before the post goes out (the runner's business).
- Images go up first (``POST /api/v2/media`` with their alt text as ``description``, at most
  1500 characters, clipped at a word), each re-encoded as a JPEG without metadata under the
  instance's ``media_attachments.image_size_limit`` (16 MB on a stock server). A large
  one is answered 202 with ``url: null`` while the server still processes it, and a
  status that names an unprocessed attachment is refused, so such an upload is polled
  (``GET /api/v1/media/:id``) a bounded number of times.
- ``POST /api/v1/statuses`` takes an ``Idempotency-Key`` that the server remembers for an
  hour: a retry with the same key answers the earlier status and creates nothing, which is
  what makes a retry after a timeout safe (``idempotent``; ``idempotency_window``).
- Retries belong to the runner, so Mastodon.py's own waiting on rate limits is off
  (``ratelimit_method="throw"``) and its exceptions become fanpage's outcomes here.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote, urlsplit, urlunsplit

from fanpage.crosspost import http
from fanpage.crosspost.counting import URL_WEIGHT, TextRules, mastodon_length
from fanpage.crosspost.media import JPEG, clip_alt, jpeg_for, jpeg_name
from fanpage.crosspost.network import (
    CannotTell,
    CredentialsError,
    Draft,
    Image,
    Network,
    Posted,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.secrets import redact

if TYPE_CHECKING:
    import requests
    from mastodon import Mastodon as MastodonClient

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "FANPAGE_MASTODON_TOKEN"
VISIBILITIES: tuple[str, ...] = ("public", "unlisted", "private", "direct")
DEFAULT_MAX_CHARACTERS = 500
DEFAULT_MAX_MEDIA = 4
DEFAULT_DESCRIPTION_LIMIT = 1500  # MediaAttachment::MAX_DESCRIPTION_LENGTH, in characters
# configuration.media_attachments.image_size_limit of a stock Mastodon (16 MB); the
# instance's own value, read in prepare(), wins.
DEFAULT_IMAGE_SIZE_LIMIT = 16 * 1024 * 1024
RECENT_STATUSES = 40  # the most GET /api/v1/accounts/:id/statuses answers at once
STILL_PROCESSING_RETRY = 30.0  # seconds to suggest when an upload is not processed in time
_NOT_PROCESSED = "not finished processing"  # Mastodon's 422 for an unprocessed attachment
_HREF = re.compile(r"""href\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}$")
_TRAILING = ".,;:!?\"')]"


# -- pure helpers -------------------------------------------------------------------------


def mastodon_language(lang: str) -> str | None:
    """Mastodon takes an ISO 639 code: the primary subtag of a BCP 47 tag (``pt-BR`` -> pt)."""
    primary = lang.strip().replace("_", "-").split("-", 1)[0]
    return primary.lower() if _LANGUAGE.match(primary) else None


def alt_text(alt: str, limit: int = DEFAULT_DESCRIPTION_LIMIT) -> str:
    """The image description cut to ``limit`` characters, at a word, with an ellipsis."""
    return clip_alt(alt, limit)


def normal_url(url: str) -> str:
    """A URL for comparison: decoded, scheme and host lower case, no trailing slash."""
    parts = urlsplit(html.unescape(url).strip())
    path = unquote(parts.path).rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def status_urls(status: Mapping[str, Any]) -> set[str]:
    """Every URL a status links to: its content's ``href``s, its words, its card's URL."""
    content = str(status.get("content") or "")
    found = {normal_url(m.group(2)) for m in _HREF.finditer(content)}
    text = html.unescape(_TAG.sub("", _BREAK.sub(" ", content)))
    found.update(
        normal_url(word.rstrip(_TRAILING))
        for word in text.split()
        if word.startswith(("http://", "https://"))
    )
    card = status.get("card")
    if isinstance(card, Mapping) and card.get("url"):
        found.add(normal_url(str(card["url"])))
    return found


def _http_date(value: str) -> float | None:
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


def retry_after(
    headers: Mapping[str, str] | None, now: float | None = None, include_reset: bool = True
) -> float | None:
    """Seconds to wait: ``Retry-After`` (a proxy's), else Mastodon's ISO ``X-RateLimit-Reset``
    (only with ``include_reset``, for a 429: Mastodon sends the reset on every answer).

    The reset time is compared with the response's own ``Date`` when it has one, so a skewed
    local clock does not shorten or stretch the wait (Mastodon.py does the same).
    """
    if not headers:
        return None
    now = time.time() if now is None else now
    value = (headers.get("Retry-After") or "").strip()
    if value:
        if value.isdigit():
            return float(value)
        moment = _http_date(value)
        if moment is not None:
            return max(0.0, moment - now)
    reset = (headers.get("X-RateLimit-Reset") or "").strip() if include_reset else ""
    if not reset:
        return None
    if reset.isdigit():  # GoToSocial and others: epoch seconds
        moment = float(reset)
    else:
        try:
            moment = datetime.fromisoformat(reset).timestamp()
        except ValueError:
            return None
    server_now = _http_date(headers.get("Date") or "")
    return max(0.0, moment - (now if server_now is None else server_now))


def _error_parts(exc: BaseException) -> tuple[int | None, str]:
    """(HTTP status, the server's ``error`` text) from a MastodonAPIError's arguments."""
    args = exc.args
    if len(args) >= 4 and isinstance(args[1], int):
        return args[1], str(args[3] or args[2] or "")
    return None, " ".join(str(a) for a in args)


def map_error(
    exc: Exception,
    *,
    action: str,
    creating: bool,
    response: requests.Response | None = None,
    rate_reset: float | None = None,
) -> PostError:
    """A Mastodon.py exception as fanpage's outcome.

    ``creating`` is true while the status itself is being sent: only then can a lost answer
    mean the post went out. ``response`` is the last HTTP answer (for its headers);
    ``rate_reset`` is Mastodon.py's parsed reset time (epoch), used when headers say nothing.
    """
    import requests
    from mastodon import errors

    label = "Mastodon"
    headers = response.headers if response is not None else None
    if isinstance(exc, errors.MastodonNetworkError):
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, requests.RequestException):
            mapped = http.transport_error(cause, f"{label} ({action})")
            return Transient(redact(mapped.message), maybe_sent=creating and mapped.maybe_sent)
        return Transient(redact(f"{label} ({action}): network error"), maybe_sent=creating)
    if isinstance(exc, errors.MastodonRatelimitError):
        status = response.status_code if response is not None else 429
        wait = retry_after(headers)
        if wait is None and rate_reset is not None:
            wait = max(0.0, rate_reset - time.time())
        return Transient(
            f"{label} ({action}): rate limited, try again later",
            retry_after=wait,
            # Mastodon.py also throws this for an unreadable reset header on a success.
            maybe_sent=creating and status != 429,
        )
    if isinstance(exc, errors.MastodonUnauthorizedError):
        _, error = _error_parts(exc)
        return CredentialsError(
            redact(
                f"{label} refused the access token ({error or 'HTTP 401'}); set {TOKEN_VARIABLE} "
                "to a valid token of the account (scopes read, write:statuses, write:media)"
            ),
            TOKEN_VARIABLE,
        )
    if isinstance(exc, errors.MastodonServerError):
        status, error = _error_parts(exc)
        return Transient(
            redact(f"{label} ({action}): server error HTTP {status}: {error}".rstrip(": ")),
            retry_after=retry_after(headers, include_reset=False),
            maybe_sent=creating and status not in (502, 503),
        )
    if isinstance(exc, errors.MastodonAPIError):
        status, error = _error_parts(exc)
        if status is None:  # an answer Mastodon.py could not read (not JSON)
            return Transient(redact(f"{label} ({action}): unreadable answer"), maybe_sent=creating)
        if status == 403:
            return CredentialsError(
                redact(
                    f"{label} refused {action} ({error or 'HTTP 403'}); {TOKEN_VARIABLE} needs "
                    "the scopes read, write:statuses and write:media, on an account that can post"
                ),
                TOKEN_VARIABLE,
            )
        if status == 422 and _NOT_PROCESSED in error:
            return Transient(
                redact(f"{label} ({action}): {error}"), retry_after=STILL_PROCESSING_RETRY
            )
        if status == 404:
            return Rejected(
                redact(f"{label} ({action}): HTTP 404 {error}; is the instance URL right?")
            )
        return Rejected(redact(f"{label} refused {action}: HTTP {status}: {error}"))
    if isinstance(exc, errors.MastodonError):
        return Rejected(redact(f"{label} ({action}): {type(exc).__name__}: {exc}"))
    return Rejected(redact(f"{label} ({action}): {type(exc).__name__}"))


# -- the network ----------------------------------------------------------------------------


class Mastodon(Network):
    """Posts to one account on a Mastodon instance (``CROSSPOST["mastodon"]["instance"]``)."""

    name: ClassVar[str] = "mastodon"
    label: ClassVar[str] = "Mastodon"
    secrets: ClassVar[tuple[str, ...]] = (TOKEN_VARIABLE,)
    default_api_base: ClassVar[str] = "https://mastodon.social"
    optional_options: ClassVar[tuple[str, ...]] = ("visibility",)
    limit: ClassVar[int] = DEFAULT_MAX_CHARACTERS
    idempotent: ClassVar[bool] = True
    # Seconds the server keeps an Idempotency-Key: a retry later than this can duplicate.
    idempotency_window: ClassVar[float] = 3600.0
    can_find_earlier: ClassVar[bool] = True
    # Waits (seconds) before each poll of an upload the server is still processing.
    media_poll_delays: tuple[float, ...] = (0.5, 1.0, 1.5, 2.0, 3.0, 3.0, 4.0)

    _api: MastodonClient | None = None
    _session: requests.Session | None = None
    _last_response: requests.Response | None = None
    _account_id: str | None = None
    _sleep: Callable[[float], None] = staticmethod(time.sleep)

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        visibility = options.get("visibility", "public")
        if visibility not in VISIBILITIES:
            raise ValueError(
                f'"visibility" is "{visibility}"; use one of: {", ".join(VISIBILITIES)}'
            )

    # -- what the composer needs ------------------------------------------------------------

    def rules(self) -> TextRules:
        limit = int(self.remembered.get("max_characters") or self.limit)
        per_url = int(self.remembered.get("characters_reserved_per_url") or URL_WEIGHT)
        return TextRules(
            limit=limit, count=partial(mastodon_length, url_weight=per_url), name="mastodon"
        )

    @property
    def visibility(self) -> str:
        return str(self.config.options.get("visibility", "public"))

    # -- the client ---------------------------------------------------------------------------

    def _client(self) -> MastodonClient:
        """The run's one Mastodon.py client (and its session), made on first use."""
        if self._api is None:
            from mastodon import Mastodon as MastodonClient

            token = self.required_secret(TOKEN_VARIABLE)
            session = http.new_session()
            session.hooks["response"].append(self._keep_response)
            self._session = session
            self._api = MastodonClient(
                access_token=token,
                api_base_url=self.config.api_base,
                request_timeout=self.timeout,
                version_check_mode="none",
                ratelimit_method="throw",
                session=session,
                user_agent=http.USER_AGENT,
            )
        return self._api

    def _keep_response(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._last_response = response

    def _call(
        self,
        action: str,
        function: Callable[..., Any],
        *args: Any,
        creating: bool = False,
        missing_ok: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Call Mastodon.py; its exceptions come out as PostError kinds.

        ``missing_ok``: a 404 answers None instead (an endpoint an older server lacks).
        """
        from mastodon.errors import MastodonError, MastodonNotFoundError

        self._client()
        self._last_response = None
        try:
            return function(*args, **kwargs)
        except MastodonError as exc:
            if missing_ok and isinstance(exc, MastodonNotFoundError):
                return None
            raise self._mapped(exc, action, creating) from None

    def _mapped(self, exc: Exception, action: str, creating: bool) -> PostError:
        """``exc`` mapped, with the headers of the answer that caused it."""
        return map_error(
            exc,
            action=action,
            creating=creating,
            response=self._last_response,
            rate_reset=self._client().ratelimit_reset,
        )

    # -- the run ------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Check the token and read the instance's limits into ``remembered``."""
        api = self._client()
        account = self._call("checking the access token", api.account_verify_credentials)
        self._account_id = str(account["id"])
        instance = self._call("reading the instance's limits", api.instance_v2, missing_ok=True)
        if instance is None:  # before Mastodon 4.0: keep what we knew
            log.debug("Mastodon: no /api/v2/instance on %s; default limits", self.config.api_base)
            return
        configuration = instance.get("configuration") or {}
        statuses = configuration.get("statuses") or {}
        media = configuration.get("media_attachments") or {}
        learnt = {
            "max_characters": statuses.get("max_characters"),
            "characters_reserved_per_url": statuses.get("characters_reserved_per_url"),
            "max_media_attachments": statuses.get("max_media_attachments"),
            "description_limit": media.get("description_limit"),
            "image_size_limit": media.get("image_size_limit"),
        }
        for key, value in learnt.items():
            if isinstance(value, int) and value > 0:
                self.remembered[key] = value
        log.debug(
            "Mastodon: %s allows %s characters, a URL counts %s",
            self.config.api_base,
            self.remembered.get("max_characters", DEFAULT_MAX_CHARACTERS),
            self.remembered.get("characters_reserved_per_url", URL_WEIGHT),
        )

    def post(self, draft: Draft) -> Posted:
        api = self._client()
        media_ids = self._upload_all(draft.images)
        status = self._call(
            "posting",
            api.status_post,
            draft.text,
            media_ids=media_ids or None,
            visibility=self.visibility,
            language=mastodon_language(draft.lang),
            idempotency_key=draft.idempotency_key or None,
            creating=True,
        )
        posted = _posted(status)
        log.info("Mastodon: posted %s as %s", draft.url, posted.url)
        return posted

    def _upload_all(self, images: Iterable[Image]) -> list[str]:
        images = list(images)
        most = int(self.remembered.get("max_media_attachments") or DEFAULT_MAX_MEDIA)
        if len(images) > most:
            log.debug("Mastodon: attaching the first %d of %d images", most, len(images))
        uploaded = [self._upload(image) for image in images[:most]]
        return [self._wait_until_processed(media) for media in uploaded]

    def _upload(self, image: Image) -> Mapping[str, Any]:
        api = self._client()
        size_limit = int(self.remembered.get("image_size_limit") or DEFAULT_IMAGE_SIZE_LIMIT)
        data = jpeg_for(image, self.label, size_limit).data
        limit = int(self.remembered.get("description_limit") or DEFAULT_DESCRIPTION_LIMIT)
        name = jpeg_name(image)
        # The bytes with their type, not the path: from a path Mastodon.py guesses the type
        # itself and leaves the file open. Not ``synchronous=True``: that polls without end.
        media = self._call(
            f"uploading {name}",
            api.media_post,
            data,
            mime_type=JPEG,
            description=alt_text(image.alt, limit) or None,
            file_name=name,
        )
        log.debug("Mastodon: uploaded %s as media %s", name, media["id"])
        return media

    def _wait_until_processed(self, media: Mapping[str, Any]) -> str:
        """The attachment's id once the server has processed it (202 uploads: polled)."""
        media_id = str(media["id"])
        if media.get("url"):
            return media_id
        api = self._client()
        polls = len(self.media_poll_delays)
        for number, delay in enumerate(self.media_poll_delays, start=1):
            self._sleep(delay)
            log.debug(
                "Mastodon: media %s still processing (poll %d of %d)", media_id, number, polls
            )
            media = self._call("checking an upload", api.media, media_id)
            if media.get("url"):
                return media_id
        raise Transient(
            f"Mastodon is still processing image {media_id} after {polls} checks; nothing posted",
            retry_after=STILL_PROCESSING_RETRY,
        )

    def find_earlier(self, draft: Draft) -> Posted | None:
        """The account's recent status linking to ``draft.url``, or None."""
        api = self._client()
        target = normal_url(draft.url)
        try:
            if self._account_id is None:
                account = self._call("listing recent posts", api.account_verify_credentials)
                self._account_id = str(account["id"])
            statuses = self._call(
                "listing recent posts",
                api.account_statuses,
                self._account_id,
                limit=RECENT_STATUSES,
            )
        except CredentialsError:
            raise
        except PostError as exc:
            raise CannotTell(f"Mastodon cannot list recent posts: {exc.message}") from None
        for status in statuses:
            if target in status_urls(status):
                return _posted(status)
        return None

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        self._api = None
        self._session = None


def _posted(status: Mapping[str, Any]) -> Posted:
    url = status.get("url") or status.get("uri")
    return Posted(
        id=str(status["id"]), url=str(url) if url else None, data={"uri": status.get("uri")}
    )
