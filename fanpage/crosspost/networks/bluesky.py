"""Bluesky (AT Protocol) through the ``atproto`` SDK: one login per run, a record per post.

What Bluesky needs, and why this module does what it does:

- A post is an ``app.bsky.feed.post`` record in the account's repository on its PDS
  (``CROSSPOST["bluesky"]["service"]``, https://bsky.social by default; the SDK follows the
  account's DID document to its own PDS after login). Logging in (``createSession``) is
  limited to 30 per 5 minutes and 300 a day per account, so :meth:`Bluesky.prepare` logs in
  once per run with the app password and the session lives only in memory. The login skips
  the profile lookup (``fetch_bsky_profile=False``): that is an AppView read, which a bare
  PDS does not serve, and nothing here needs the profile.
- The text allows 300 graphemes and 3000 UTF-8 bytes, URLs counted in full. Links and
  hashtags are not recognised by the server: each needs a rich-text facet with UTF-8 *byte*
  offsets (``#link``, ``#tag``). The facets are found with the SDK's port of the official
  app's detection and written with its ``TextBuilder``; the text stays exactly the draft's.
- Nobody fetches a link card for the poster: the record carries an
  ``app.bsky.embed.external`` (uri, title, description, and a thumb blob uploaded first).
  Blobs must be real images of at most 1,000,000 bytes, so every image is re-encoded as a
  JPEG (which also drops its metadata) and shrunk until it fits. Images, when the draft has
  them, replace the card with an ``app.bsky.embed.images`` (up to 4, each with its alt text
  and aspect ratio); the link stays clickable through its facet.
- Idempotency comes from the record key: it is a TID computed from the draft
  (:func:`draft_rkey`: ``created_at`` in microseconds, a clock id hashed from the
  idempotency key), so a retry writes to the same key, and the PDS refuses a second create
  there (it answers 500). That refusal is checked with ``getRecord`` and becomes
  :class:`AlreadyPosted` carrying the earlier post. If the key holds a *different* post (two
  drafts published in the same microsecond whose keys hash alike), the next microsecond's
  key is tried, deterministically, so a retry walks the same keys.
- Retries are the runner's: the SDK (httpx) does not retry, and its exceptions become
  fanpage's outcomes here. The app password never appears in a message.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from fanpage.crosspost.counting import TextRules, bluesky_length, graphemes
from fanpage.crosspost.media import clip_alt
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
from fanpage.media.fit import Fitted, fit_jpeg_sized

if TYPE_CHECKING:
    from atproto import Client
    from atproto_client.utils import TextBuilder

log = logging.getLogger(__name__)

PASSWORD_VARIABLE = "FANPAGE_BLUESKY_APP_PASSWORD"
POST_COLLECTION = "app.bsky.feed.post"
MAX_GRAPHEMES = 300
MAX_BYTES = 3000
MAX_IMAGES = 4
MAX_BLOB_BYTES = 1_000_000  # app.bsky.embed.external#external.thumb and the PDS's images
MAX_IMAGE_SIDE = 2000  # what the Bluesky app scales images down to
# The lexicon sets no length for an image's alt; the Bluesky app stops at 2000 graphemes.
MAX_ALT_GRAPHEMES = 2000
RKEY_CANDIDATES = 8  # record keys tried when another post holds the draft's own
WEB_APP = "https://bsky.app"

# Error names (XRPC "error") that mean the credentials or the account need a person.
_CREDENTIAL_ERRORS = frozenset(
    {
        "AuthenticationRequired",
        "AuthMissing",
        "AuthRequired",
        "ExpiredToken",
        "InvalidToken",
        "AuthFactorTokenRequired",
        "AccountTakedown",
        "AccountDeactivated",
        "AccountNotFound",
    }
)
_HANDLE = re.compile(
    r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"
)

# -- record keys ------------------------------------------------------------------------------

TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable
TID_LENGTH = 13
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def tid(microseconds: int, clock_id: int) -> str:
    """A TID: 0, then 53 bits of microseconds since 1970, then a 10-bit clock id, in base32."""
    if not 0 <= microseconds < 1 << 53:
        raise ValueError(f"a TID holds 53 bits of microseconds, not {microseconds}")
    if not 0 <= clock_id < 1 << 10:
        raise ValueError(f"a TID's clock id has 10 bits, not {clock_id}")
    value = (microseconds << 10) | clock_id
    chars = []
    for _ in range(TID_LENGTH):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def tid_parts(key: str) -> tuple[int, int]:
    """(microseconds, clock id) of a TID; ValueError for anything that is not one."""
    if len(key) != TID_LENGTH or any(c not in TID_ALPHABET for c in key):
        raise ValueError(f"not a TID: {key!r}")
    value = 0
    for char in key:
        value = value * 32 + TID_ALPHABET.index(char)
    if value >> 63:
        raise ValueError(f"not a TID (top bit set): {key!r}")
    return value >> 10, value & 0x3FF


def clock_id(idempotency_key: str) -> int:
    """10 bits of the SHA-256 of the idempotency key."""
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).digest()
    return int.from_bytes(digest[:2], "big") & 0x3FF


def microseconds_since_epoch(moment: datetime) -> int:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("created_at must be an aware datetime")
    return (moment - _EPOCH) // _MICROSECOND


def draft_rkey(created_at: datetime, idempotency_key: str, candidate: int = 0) -> str:
    """The record key of a draft: the same on every retry of it (a pure function).

    ``candidate`` > 0 is the key one, two, ... microseconds later, used only when another post
    already holds the earlier ones.
    """
    return tid(microseconds_since_epoch(created_at) + candidate, clock_id(idempotency_key))


# -- images -----------------------------------------------------------------------------------


def jpeg_under(path: Path, limit: int = MAX_BLOB_BYTES, max_side: int = MAX_IMAGE_SIDE) -> Fitted:
    """The image re-encoded as a JPEG of fewer than ``limit`` bytes (upright, no metadata).

    Raises CannotFit (a ValueError) when the file cannot be read or made small enough.
    """
    return fit_jpeg_sized(path, limit, max_side)


# -- rich text --------------------------------------------------------------------------------


def rich_text(text: str) -> TextBuilder:
    """``text`` as a TextBuilder: a ``#link`` facet on every URL, a ``#tag`` on every hashtag."""
    from atproto import client_utils, models

    data = text.encode("utf-8")
    builder = client_utils.TextBuilder()
    position = 0
    for facet in client_utils.detect_facets(text):
        start, end = facet.index.byte_start, facet.index.byte_end
        if start < position:  # overlapping detections: keep the first
            continue
        feature = facet.features[0]
        visible = data[start:end].decode("utf-8")
        if isinstance(feature, models.AppBskyRichtextFacet.Link):
            builder.text(data[position:start].decode("utf-8"))
            builder.link(visible, feature.uri)
        elif isinstance(feature, models.AppBskyRichtextFacet.Tag) and visible[:1] in "#＃":
            builder.text(data[position:start].decode("utf-8"))
            builder.tag(visible, feature.tag)
        else:  # a $cashtag: plain text
            continue
        position = end
    builder.text(data[position:].decode("utf-8"))
    if builder.build_text() != text:  # pragma: no cover - TextBuilder writes what it is given
        raise AssertionError("rich text changed the text")
    return builder


def created_at_iso(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as the Bluesky app writes ``createdAt``."""
    if moment.tzinfo is None:
        raise ValueError("created_at must be an aware datetime")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def post_url(handle: str, rkey: str) -> str:
    return f"{WEB_APP}/profile/{handle}/post/{rkey}"


def record_links(value: Any) -> set[str]:
    """Every URL a post record points at: its link facets and its external embed."""
    from atproto import models

    if not isinstance(value, Mapping):
        value = models.get_model_as_dict(value)
    links: set[str] = set()
    for facet in value.get("facets") or ():
        for feature in facet.get("features") or ():
            if feature.get("$type") == "app.bsky.richtext.facet#link" and feature.get("uri"):
                links.add(str(feature["uri"]))
    embed = value.get("embed") or {}
    external = embed.get("external") or {}
    if external.get("uri"):
        links.add(str(external["uri"]))
    return links


def record_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("text", ""))
    return str(getattr(value, "text", ""))


def is_post_of(value: Any, draft: Draft) -> bool:
    """Whether a record is this draft's post (the same text, or a link to the entry)."""
    return record_text(value) == draft.text or draft.url in record_links(value)


def _grapheme_count(text: str) -> int:
    return len(graphemes(text))


# -- errors -----------------------------------------------------------------------------------


def _error_name(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    content = getattr(response, "content", None)
    return getattr(content, "error", None)


def _status(exc: Exception) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _describe(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return redact(" ".join(text.split())[:300])


def _retry_after(
    exc: Exception, now: float | None = None, include_reset: bool = True
) -> float | None:
    """Seconds until the rate limit resets: ``ratelimit-reset`` (epoch), else ``retry-after``.

    The PDS sends ``ratelimit-reset`` on every answer: only a 429 (``include_reset``) means
    waiting for it.
    """
    now = time.time() if now is None else now
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    reset = headers.get("ratelimit-reset") if include_reset else None
    if reset:
        try:
            return max(0.0, float(reset) - now)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            return None
    return None


def _may_be_taken(exc: Exception) -> bool:
    """Whether a failed create may mean that the record key is taken.

    The PDS answers a create at a taken key with a bare 500 (its repository refuses a second
    value at a key); a 409, or a 400 that says so, are what a later version may answer.
    """
    status = _status(exc)
    if status in (500, 409):
        return True
    return status == 400 and "exist" in str(exc).lower()


def _never_connected(exc: Exception) -> bool:
    """Whether a transport failure happened before the request could reach the server."""
    import httpx

    cause = exc.__cause__ or exc.__context__
    return isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


class Bluesky(Network):
    """Posts to one Bluesky account (``CROSSPOST["bluesky"]["handle"]``) with an app password."""

    name: ClassVar[str] = "bluesky"
    label: ClassVar[str] = "Bluesky"
    secrets: ClassVar[tuple[str, ...]] = (PASSWORD_VARIABLE,)
    default_api_base: ClassVar[str] = "https://bsky.social"
    required_options: ClassVar[tuple[str, ...]] = ("handle",)
    limit: ClassVar[int] = MAX_GRAPHEMES
    idempotent: ClassVar[bool] = True  # the record key is the draft's own
    idempotency_window: ClassVar[float | None] = None  # a record key is kept for ever
    can_find_earlier: ClassVar[bool] = True

    _client: Client | None = None
    _did: str | None = None

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        handle = options.get("handle")
        if not isinstance(handle, str) or not handle:
            raise ValueError('"handle" must be the account\'s handle, e.g. "suarasenja.band"')
        if handle.startswith("@"):
            raise ValueError(f'"handle" is "{handle}"; write it without the "@"')
        if len(handle) > 253 or not _HANDLE.match(handle):
            raise ValueError(
                f'"handle" is "{handle}"; a Bluesky handle is a domain name, '
                'e.g. "suarasenja.band" or "suarasenja.bsky.social"'
            )

    def rules(self) -> TextRules:
        return TextRules(
            limit=MAX_GRAPHEMES, count=bluesky_length, byte_limit=MAX_BYTES, name="bluesky"
        )

    @property
    def handle(self) -> str:
        return str(self.config.options["handle"]).lower()

    # -- the session ------------------------------------------------------------------------

    def prepare(self) -> None:
        """Log in once for the whole run (the session stays in memory)."""
        if self._client is not None:
            return
        from atproto import Client, Request

        password = self.required_secret(PASSWORD_VARIABLE)
        client = Client(base_url=self.config.api_base, request=Request(timeout=self.timeout))
        client.on_session_change(self._session_changed)
        try:
            client.login(self.handle, password, fetch_bsky_profile=False)
        except Exception as exc:
            client.request.close()
            raise self._login_error(exc) from None
        if self._did is None:  # pragma: no cover - the SDK reports every new session
            client.request.close()
            raise Transient("Bluesky: the login answered no account")
        self._client = client
        log.debug("Bluesky: logged in as %s (%s)", self.handle, self._did)

    def _session_changed(self, event: Any, session: Any) -> None:
        self._did = session.did

    def _login_error(self, exc: Exception) -> PostError:
        from atproto_client import exceptions

        if isinstance(exc, exceptions.RequestErrorBase) and _status(exc) in (401, 403, 400):
            name = _error_name(exc)
            if _status(exc) != 400 or name in _CREDENTIAL_ERRORS:
                hint = {
                    "AuthFactorTokenRequired": "use an app password (Settings > Privacy and "
                    "security > App passwords), not the account's own password",
                    "AccountTakedown": f"the account {self.handle} has been taken down",
                    "AccountDeactivated": f"the account {self.handle} is deactivated",
                }.get(name or "", f"wrong handle or app password for {self.handle}")
                return CredentialsError(f"Bluesky: {hint} ({_describe(exc)})", PASSWORD_VARIABLE)
        problem = self._error(exc, "logging in", maybe_sent=False)
        if isinstance(problem, Rejected):  # prepare() raises CredentialsError or Transient
            where = self.config.api_base
            return Transient(
                f"{problem.message} (is {where}, CROSSPOST['bluesky']['service'], a PDS?)"
            )
        return problem

    def _error(self, exc: Exception, action: str, maybe_sent: bool) -> PostError:
        """The SDK's exception as a fanpage outcome; ``maybe_sent`` when the request may have
        been acted on (the create; never an upload or a read)."""
        from atproto_client import exceptions

        if isinstance(exc, PostError):
            return exc
        what = f"Bluesky: {action} failed: {_describe(exc)}"
        if isinstance(exc, exceptions.RateLimitExceededError):
            return Transient(f"Bluesky: rate limited while {action}", _retry_after(exc))
        if not isinstance(exc, exceptions.RequestErrorBase):
            return Transient(redact(f"Bluesky: {action} failed: {type(exc).__name__}"), None, True)
        status = _status(exc)
        if status is None:  # transport: a timeout or a lost connection
            if _never_connected(exc):
                return Transient(f"Bluesky: cannot connect while {action}")
            if isinstance(exc, exceptions.InvokeTimeoutError):
                return Transient(f"Bluesky: no answer in time while {action}", None, maybe_sent)
            return Transient(f"Bluesky: connection lost while {action}", None, maybe_sent)
        name = _error_name(exc)
        if status in (401, 403) or name in _CREDENTIAL_ERRORS:
            return CredentialsError(
                f"Bluesky: the session for {self.handle} was refused ({_describe(exc)})",
                PASSWORD_VARIABLE,
            )
        if status == 413 or name == "BlobTooLarge":
            return Rejected(what)
        if status >= 500:
            wait = _retry_after(exc, include_reset=False)
            return Transient(what, wait, maybe_sent and status not in (502, 503))
        if status == 409:
            return Transient(what, None, maybe_sent)
        return Rejected(what)

    def _session(self) -> Client:
        if self._client is None:
            self.prepare()
        assert self._client is not None
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.request.close()
            self._client = None

    # -- posting ----------------------------------------------------------------------------

    def post(self, draft: Draft) -> Posted:
        from atproto import models

        client = self._session()
        builder = rich_text(draft.text)
        embed = self._embed(draft)
        try:
            record = models.AppBskyFeedPost.Record(
                text=builder.build_text(),
                facets=builder.build_facets() or None,
                langs=[draft.lang] if draft.lang else None,
                created_at=created_at_iso(draft.created_at),
                embed=embed,
            )
        except ValueError as exc:
            raise Rejected(redact(f"Bluesky: the post is not valid: {exc}")) from None
        for candidate in range(RKEY_CANDIDATES):
            rkey = draft_rkey(draft.created_at, draft.idempotency_key, candidate)
            try:
                created = client.com.atproto.repo.create_record(
                    models.ComAtprotoRepoCreateRecord.Data(
                        repo=self._did,
                        collection=POST_COLLECTION,
                        rkey=rkey,
                        record=record,
                        validate_=True,
                    )
                )
            except Exception as exc:
                problem = self._error(exc, "posting", maybe_sent=True)
                if not _may_be_taken(exc):
                    raise problem from None
                # What a create at a key that is taken answers: is it there, and ours?
                try:
                    existing = self._lookup(rkey)
                except Exception as lookup:
                    raise Transient(
                        f"{problem.message}; and checking whether it was posted failed: "
                        f"{_describe(lookup)}",
                        getattr(problem, "retry_after", None),
                        maybe_sent=True,
                    ) from None
                if existing is None:  # not there: a real server error, and nothing was written
                    if isinstance(problem, Transient):
                        problem.maybe_sent = False
                    raise problem from None
                posted, value = existing
                if is_post_of(value, draft):
                    raise AlreadyPosted(
                        f"Bluesky: already posted as {posted.url}", posted
                    ) from None
                log.debug("Bluesky: record key %s holds another post; trying the next", rkey)
                continue
            return Posted(created.uri, post_url(self.handle, rkey), {"cid": created.cid})
        raise Rejected(f"Bluesky: the {RKEY_CANDIDATES} record keys of this post hold other posts")

    def _lookup(self, rkey: str) -> tuple[Posted, Any] | None:
        """The post record at ``rkey`` (as Posted, and its value), or None when there is none.

        Raises the SDK's exception when the PDS cannot say.
        """
        from atproto import models

        try:
            found = self._session().com.atproto.repo.get_record(
                models.ComAtprotoRepoGetRecord.Params(
                    repo=self._did, collection=POST_COLLECTION, rkey=rkey
                )
            )
        except Exception as exc:
            if _error_name(exc) == "RecordNotFound":
                return None
            raise
        posted = Posted(found.uri, post_url(self.handle, rkey), {"cid": found.cid})
        return posted, found.value

    def _embed(self, draft: Draft) -> Any:
        from atproto import models

        if draft.images:
            images = []
            for image in draft.images[:MAX_IMAGES]:
                blob, jpeg = self._upload(image)
                images.append(
                    models.AppBskyEmbedImages.Image(
                        alt=clip_alt(image.alt, MAX_ALT_GRAPHEMES, _grapheme_count),
                        image=blob,
                        aspect_ratio=models.AppBskyEmbedDefs.AspectRatio(
                            width=jpeg.width, height=jpeg.height
                        ),
                    )
                )
            return models.AppBskyEmbedImages.Main(images=images)
        if draft.card is None:
            return None
        card = draft.card
        thumb = self._upload(card.image)[0] if card.image is not None else None
        return models.AppBskyEmbedExternal.Main(
            external=models.AppBskyEmbedExternal.External(
                uri=card.url, title=card.title, description=card.description, thumb=thumb
            )
        )

    def _upload(self, image: Image) -> tuple[Any, Fitted]:
        """Upload an image as a JPEG blob under the size limit: (blob ref, the JPEG)."""
        try:
            jpeg = jpeg_under(Path(image.path))
        except (OSError, ValueError) as exc:
            raise Rejected(f"Bluesky: cannot use the image {image.path}: {exc}") from None
        try:
            uploaded = self._session().upload_blob(jpeg.data)
        except Exception as exc:
            raise self._error(exc, f"uploading {Path(image.path).name}", False) from None
        return uploaded.blob, jpeg

    # -- after a crash ----------------------------------------------------------------------

    def find_earlier(self, draft: Draft) -> Posted | None:
        """The draft's post, looked up at its own record keys (the ones ``post`` writes to).

        A listing of recent posts would miss it: the key, hence the order, follows the
        entry's publication time, which may be long before it was posted.
        """
        for candidate in range(RKEY_CANDIDATES):
            rkey = draft_rkey(draft.created_at, draft.idempotency_key, candidate)
            try:
                existing = self._lookup(rkey)
            except PostError as exc:
                if isinstance(exc, CredentialsError):
                    raise
                raise CannotTell(exc.message) from None
            except Exception as exc:
                problem = self._error(exc, "looking for the post", maybe_sent=False)
                if isinstance(problem, CredentialsError):
                    raise problem from None
                raise CannotTell(problem.message) from None
            if existing is None:
                return None  # post() would write here: it is not posted
            posted, value = existing
            if is_post_of(value, draft):
                return posted
        return None
