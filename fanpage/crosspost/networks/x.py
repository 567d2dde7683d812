"""X (formerly Twitter): tweepy's API v2 ``create_tweet``, signed with OAuth 1.0a user context.

What X needs, and why this module does what it does:

- **Counting.** X counts twitter-text v3's weighted length (:func:`~fanpage.crosspost.counting.
  x_length`): at most 280, CJK and emoji weigh 2, every URL 23. The composer fits the text to
  it; X refuses anything longer.
- **No card is sent.** X builds the link card itself from the page's ``twitter:``/``og:``
  tags, so ``draft.card`` and its image are not uploaded; only ``draft.images`` are attached.
- **Images.** tweepy 4.17's ``Client`` has no media upload, so each image goes through
  ``tweepy.API.media_upload`` (v1.1 ``media/upload`` on the upload host) and its alt text
  through ``API.create_media_metadata``; their ids then go into ``create_tweet(media_ids=...)``.
  Each is re-encoded first as a JPEG without metadata under X's 5 MB, its alt text clipped
  at a word to X's 1000 characters.
- **No language, no idempotency key.** ``POST /2/tweets`` takes neither (X detects the
  language). But X refuses identical text with a 403 "duplicate content", so a retry after a
  post that went out cannot duplicate it: that refusal becomes :class:`AlreadyPosted`, with the
  earlier tweet looked up in the account's recent tweets (the same search as ``find_earlier``;
  X returns URLs as t.co links, so the entities' ``expanded_url`` is compared too).
- **Where requests go.** tweepy hard-codes ``https://api.twitter.com`` and
  ``https://upload.twitter.com`` and has no base-URL option. With the default ``api_base``
  requests go there (X serves both hosts), signed for those URLs. With any other
  ``api_base`` (a test server, a proxy) a ``requests`` transport adapter mounted on tweepy's
  own sessions re-points each request *after* requests-oauthlib has signed it, keeping path
  and query: the OAuth 1.0a signature is the one for the original X URL, so a server behind
  ``api_base`` must verify signatures against that original ``https://`` URL (the test server
  does). Re-signing for the final URL would need tweepy's internals; re-pointing needs none.
- **Timeouts and retries.** tweepy's ``Client`` sends without any timeout; the adapter gives
  every request ``self.timeout``. tweepy's rate-limit waiting and retries are off: the runner
  retries, within its budget.
- **Secrets.** tweepy, requests-oauthlib and oauthlib log requests (with the access token) at
  DEBUG; a filter on their loggers passes each record through ``redact``.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from fanpage.crosspost import http
from fanpage.crosspost.counting import x_length
from fanpage.crosspost.media import clip_alt, jpeg_for, jpeg_name
from fanpage.crosspost.network import (
    AlreadyPosted,
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
    import tweepy

API_KEY = "FANPAGE_X_API_KEY"
API_SECRET = "FANPAGE_X_API_SECRET"
ACCESS_TOKEN = "FANPAGE_X_ACCESS_TOKEN"
ACCESS_TOKEN_SECRET = "FANPAGE_X_ACCESS_TOKEN_SECRET"

# The hosts tweepy (and X's documentation) send requests to.
X_HOSTS = frozenset({"api.x.com", "api.twitter.com", "upload.twitter.com", "upload.x.com"})
MAX_IMAGES = 4  # X attaches at most four images to a post
MAX_ALT = 1000  # characters of alt text X keeps (longer is refused)
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # media/upload: an image of at most 5 MB
RECENT = 100  # tweets find_earlier looks through: one page, the most X returns at once
DUPLICATE = "duplicate content"
MAX_DETAIL = 300
PERMALINK = "https://x.com/{username}/status/{id}"
ANY_USER_PERMALINK = "https://x.com/i/status/{id}"  # X redirects it to the author's
# Loggers that write request URLs, headers or bodies (with the access token) at DEBUG.
CHATTY_LOGGERS = (
    "tweepy.client",
    "tweepy.api",
    "requests_oauthlib.oauth1_auth",
    "oauthlib.oauth1.rfc5849",
)
CREDENTIALS_HINT = (
    f"{API_KEY}, {API_SECRET}, {ACCESS_TOKEN} and {ACCESS_TOKEN_SECRET} must all belong to the "
    "same X app and the same user (regenerate the access token and secret in the developer "
    "portal if they were revoked)"
)

log = logging.getLogger(__name__)


# -- pure helpers ----------------------------------------------------------------------------


def repoint(url: str, api_base: str) -> str:
    """``url`` on one of X's hosts moved to ``api_base``, its path and query kept."""
    parts = urlsplit(url)
    if parts.scheme != "https" or (parts.hostname or "") not in X_HOSTS:
        return url
    base = urlsplit(api_base)
    return urlunsplit(
        (base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, "")
    )


def is_x_itself(api_base: str) -> bool:
    """True when ``api_base`` is X's own API (then requests go where tweepy sends them)."""
    parts = urlsplit(api_base)
    return (
        parts.scheme == "https"
        and (parts.hostname or "") in X_HOSTS
        and parts.port in (None, 443)
        and parts.path.strip("/") == ""
    )


def permalink(tweet_id: str, username: str | None) -> str:
    if username:
        return PERMALINK.format(username=username, id=tweet_id)
    return ANY_USER_PERMALINK.format(id=tweet_id)


def _page_key(url: str) -> tuple[str, str, str]:
    """What makes two URLs the same page here: host, path without the final /, query."""
    parts = urlsplit(url.strip())
    return ((parts.hostname or "").lower(), parts.path.rstrip("/"), parts.query)


def tweet_links_to(tweet: Mapping[str, Any], url: str) -> bool:
    """Does this tweet (v2 JSON, with ``entities``) carry ``url``, as text or behind t.co?"""
    if url in str(tweet.get("text", "")):
        return True
    wanted = _page_key(url)
    entities = tweet.get("entities") or {}
    for link in entities.get("urls") or []:
        for field in ("expanded_url", "unwound_url"):
            value = link.get(field)
            if isinstance(value, str) and _page_key(value) == wanted:
                return True
    return False


def _one_line(text: str) -> str:
    return redact(" ".join(text.split())[:MAX_DETAIL])


@cache
def _adapter_class() -> type:
    """A ``requests`` adapter that re-points signed requests and gives them a timeout."""
    from requests.adapters import HTTPAdapter
    from requests.utils import get_environ_proxies

    class RepointingAdapter(HTTPAdapter):
        def __init__(self, api_base: str | None, timeout: float) -> None:
            super().__init__(max_retries=0)  # retries are the runner's
            self.api_base = api_base
            self.default_timeout = timeout

        def send(  # type: ignore[override]
            self,
            request: requests.PreparedRequest,
            stream: bool = False,
            timeout: Any = None,
            verify: bool | str = True,
            cert: Any = None,
            proxies: Mapping[str, str] | None = None,
        ) -> requests.Response:
            # The request is signed by now (auth runs when it is prepared): moving it does
            # not change the signature, which stays the one for X's own URL.
            if self.api_base is not None and request.url:
                moved = repoint(request.url, self.api_base)
                if moved != request.url:
                    request.url = moved
                    proxies = get_environ_proxies(moved)  # chosen for the new host
            return super().send(
                request,
                stream=stream,
                timeout=self.default_timeout if timeout is None else timeout,
                verify=verify,
                cert=cert,
                proxies=proxies,
            )

    return RepointingAdapter


# -- the network -----------------------------------------------------------------------------


class X(Network):
    """X through tweepy: OAuth 1.0a user context, API v2 tweets, v1.1 media upload."""

    name = "x"
    label = "X"
    secrets = (API_KEY, API_SECRET, ACCESS_TOKEN, ACCESS_TOKEN_SECRET)
    default_api_base = "https://api.x.com"
    limit = 280
    count = staticmethod(x_length)
    remember_secrets = True
    idempotent = True  # X refuses identical text: a retry cannot post twice
    can_find_earlier = True

    _client: tweepy.Client | None = None
    _api: tweepy.API | None = None
    _user: tuple[str, str] | None = None  # (id, username), once per run

    # -- tweepy, built once --------------------------------------------------------------

    def _secret(self, variable: str) -> str:
        value = self.secret_values.get(variable, "")
        if not value:
            raise CredentialsError(f"X needs {variable}; {CREDENTIALS_HINT}", variable)
        return value

    def _tweepy(self) -> tuple[tweepy.Client, tweepy.API]:
        if self._client is None or self._api is None:
            import tweepy

            http.redact_logs(*CHATTY_LOGGERS)
            keys = {
                "consumer_key": self._secret(API_KEY),
                "consumer_secret": self._secret(API_SECRET),
                "access_token": self._secret(ACCESS_TOKEN),
                "access_token_secret": self._secret(ACCESS_TOKEN_SECRET),
            }
            client = tweepy.Client(**keys, wait_on_rate_limit=False)
            api = tweepy.API(
                tweepy.OAuth1UserHandler(**keys),
                timeout=self.timeout,
                retry_count=0,
                wait_on_rate_limit=False,
            )
            api_base = None if is_x_itself(self.config.api_base) else self.config.api_base
            adapter = _adapter_class()(api_base, self.timeout)
            for session in (client.session, api.session):
                session.mount("https://", adapter)
            self._client, self._api = client, api
        return self._client, self._api

    # -- the interface -------------------------------------------------------------------

    def prepare(self) -> None:
        """Check the credentials and learn the account's username (for post URLs)."""
        self._me()

    def post(self, draft: Draft) -> Posted:
        import requests
        import tweepy

        client, api = self._tweepy()
        if len(draft.images) > MAX_IMAGES:
            log.warning(
                "X takes %d images; attaching the first of %d", MAX_IMAGES, len(draft.images)
            )
        media_ids = [self._upload(api, image) for image in draft.images[:MAX_IMAGES]]
        try:
            response = client.create_tweet(text=draft.text, media_ids=media_ids or None)
        except (tweepy.TweepyException, requests.RequestException) as exc:
            if _is_duplicate(exc):
                earlier = self._earlier_or_none(draft)
                where = f": {earlier.url}" if earlier else " (not found among its recent posts)"
                raise AlreadyPosted(
                    f"X refused identical text as a duplicate; posted earlier{where}", earlier
                ) from None
            raise self._failure(exc, "posting", may_have_sent=True) from None
        data = response.data if isinstance(response.data, Mapping) else {}
        if not data.get("id"):
            raise Transient(
                "X answered without a tweet id (the post may have gone out)", None, True
            )
        tweet_id = str(data["id"])
        return Posted(tweet_id, self._permalink(tweet_id))

    def find_earlier(self, draft: Draft) -> Posted | None:
        try:
            return self._search(draft.url)
        except PostError as exc:
            raise CannotTell(f"X cannot list the account's recent posts: {exc.message}") from None

    def close(self) -> None:
        for part in (self._client, self._api):
            if part is not None:
                part.session.close()

    # -- the parts -----------------------------------------------------------------------

    def _upload(self, api: tweepy.API, image: Image) -> str:
        """Upload one image with its alt text; its media id. Nothing is posted yet."""
        import requests
        import tweepy

        fitted = jpeg_for(image, self.label, MAX_IMAGE_BYTES)
        try:
            media = api.media_upload(
                filename=jpeg_name(image),
                file=io.BytesIO(fitted.data),
                media_category="tweet_image",
            )
            media_id = str(media.media_id_string)
            alt = clip_alt(image.alt, MAX_ALT)
            if alt:
                api.create_media_metadata(media_id, alt)
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise self._failure(exc, "uploading an image", may_have_sent=False) from None
        return media_id

    def _me(self) -> tuple[str, str]:
        """The account's (id, username), asked once per run."""
        if self._user is None:
            import requests
            import tweepy

            client, _ = self._tweepy()
            try:
                user = client.get_me(user_auth=True).data
            except (tweepy.TweepyException, requests.RequestException) as exc:
                raise self._failure(exc, "reading the account", may_have_sent=False) from None
            if user is None:
                raise Transient("X answered GET /2/users/me without a user")
            self._user = (str(user.id), str(user.username))
        return self._user

    def _permalink(self, tweet_id: str) -> str:
        try:
            _, username = self._me()
        except PostError:  # the post went out: never fail it for want of a username
            return permalink(tweet_id, None)
        return permalink(tweet_id, username)

    def _search(self, url: str) -> Posted | None:
        """The account's most recent tweet linking to ``url``, or None."""
        import requests
        import tweepy

        user_id, username = self._me()
        client, _ = self._tweepy()
        try:
            response = client.get_users_tweets(
                user_id, user_auth=True, max_results=RECENT, tweet_fields=["entities"]
            )
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise self._failure(exc, "listing recent posts", may_have_sent=False) from None
        for tweet in response.data or []:
            if tweet_links_to(tweet.data, url):
                return Posted(str(tweet.id), permalink(str(tweet.id), username))
        return None

    def _earlier_or_none(self, draft: Draft) -> Posted | None:
        try:
            return self._search(draft.url)
        except PostError as exc:
            log.warning("X: could not look up the earlier post: %s", exc.message)
            return None

    def _failure(self, exc: Exception, doing: str, may_have_sent: bool) -> PostError:
        """One tweepy/requests failure as the interface's outcome (no secret in it)."""
        import requests
        import tweepy

        label = f"X ({doing})"
        cause: BaseException = exc
        if isinstance(exc, tweepy.TweepyException) and not isinstance(exc, tweepy.HTTPException):
            inner = exc.__cause__ or exc.__context__  # tweepy.API wraps transport errors
            if isinstance(inner, requests.RequestException):
                cause = inner
        if isinstance(cause, requests.RequestException):
            problem = http.transport_error(cause, label)
        elif isinstance(cause, tweepy.HTTPException):
            problem = _http_failure(cause, label)
        else:
            problem = Transient(_one_line(f"{label}: {type(exc).__name__}: {exc}"), maybe_sent=True)
        if isinstance(problem, Transient) and problem.maybe_sent and not may_have_sent:
            return problem.not_sent()
        return problem


def _detail(exc: tweepy.HTTPException) -> str:
    """What X said: its error messages, else the body's start."""
    messages = [str(m) for m in exc.api_messages if m]
    if messages:
        return _one_line("; ".join(messages))
    return _one_line(exc.response.text or exc.response.reason or "")


def _problem_type(exc: tweepy.HTTPException) -> str:
    return str(http.json_object(exc.response).get("type", ""))


def _is_duplicate(exc: Exception) -> bool:
    import tweepy

    return isinstance(exc, tweepy.Forbidden) and DUPLICATE in _detail(exc).lower()


def _http_failure(exc: tweepy.HTTPException, label: str) -> PostError:
    response = exc.response
    status = response.status_code
    throttled_or_down = http.status_error(response, label)  # 429 and 5xx, with retry_after
    if throttled_or_down is not None:
        return throttled_or_down
    detail = _detail(exc)
    if status == 401:
        return CredentialsError(
            f"{label}: X refused the credentials (HTTP 401: {detail}); {CREDENTIALS_HINT}",
            ACCESS_TOKEN,
        )
    if status == 403:
        kind = _problem_type(exc)
        if kind.endswith("oauth1-permissions") or "oauth1 app permissions" in detail:
            return CredentialsError(
                f"{label}: the X app may only read (HTTP 403: {detail}); give it Read and "
                f"Write permission, then regenerate {ACCESS_TOKEN} and {ACCESS_TOKEN_SECRET}",
                ACCESS_TOKEN,
            )
        if kind.endswith("client-forbidden"):
            return CredentialsError(
                f"{label}: X does not let this app use the endpoint (HTTP 403: {detail}); "
                f"the app of {API_KEY} must be in a project with the needed access level",
                API_KEY,
            )
        return Rejected(f"{label}: X refused it (HTTP 403: {detail})")
    if status == 400 and "too long" in detail.lower():
        return Rejected(f"{label}: X refused the text as too long (HTTP 400: {detail})")
    return Rejected(f"{label}: X refused it (HTTP {status}: {detail})")
