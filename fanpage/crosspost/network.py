"""The one interface every social network implements, and the outcomes a post can have.

A network module (``fanpage/crosspost/networks/<name>.py``) holds a subclass of
:class:`Network` and nothing else of the cross-posting machinery: what is due comes from
:mod:`~fanpage.crosspost.plan`, the text from :mod:`~fanpage.crosspost.compose`, retries,
the ledger and the lock from :mod:`~fanpage.crosspost.runner`. A network only

- says how it counts (:meth:`Network.rules`; by default its ``limit``, as its ``count``
  counts),
- sends one composed :class:`Draft` (:meth:`Network.post`),
- recognises a post it made earlier (:meth:`Network.find_earlier`), where its API can list
  the account's recent posts,

and turns what its API answered into :class:`Posted` or one of the :class:`PostError` kinds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from fanpage.crosspost.counting import Counter, TextRules
from fanpage.crosspost.secrets import remember


@dataclass(frozen=True)
class Image:
    """An image file to attach, with the words that describe it."""

    path: Path
    alt: str
    mime: str = "image/png"
    url: str | None = None  # its public address once the site is live (Threads fetches it)


@dataclass(frozen=True)
class LinkCard:
    """A link preview, for networks that are sent one instead of fetching the page."""

    url: str
    title: str
    description: str
    image: Image | None = None


@dataclass(frozen=True)
class Draft:
    """One post, composed and counted: what ``--dry-run`` prints and what ``post`` sends."""

    network: str
    keys: tuple[str, ...]  # the ledger keys this post settles: an entry uid, or show uids
    text: str  # exactly what is sent (before a platform's own escaping, e.g. LinkedIn's)
    length: int  # as the platform counts it
    limit: int
    url: str  # the entry's public page
    lang: str  # BCP 47 language of the text (en, id)
    created_at: datetime  # when the entry was published (aware): Bluesky's createdAt and TID
    idempotency_key: str  # the same on every retry of this post
    card: LinkCard | None = None
    images: tuple[Image, ...] = ()
    hashtags: tuple[str, ...] = ()  # without "#", as they appear in text (Bluesky tag facets)
    source: str = ""  # path:line of the entry, for messages


@dataclass(frozen=True)
class Posted:
    """Where a post now lives: the platform's own id, and a URL a person can open."""

    id: str
    url: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)  # e.g. Bluesky's cid


class PostError(Exception):
    """Base of every outcome that is not a plain success. ``message`` holds no secret."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Transient(PostError):
    """Worth retrying: a timeout, a dropped connection, a 5xx, a 429 or platform throttling.

    ``maybe_sent`` is true when the platform may have taken the post (a read timeout, a
    connection dropped after the request went out, a 500): then a retry is only safe where
    the network is idempotent or can look for the earlier post first.
    """

    def __init__(
        self, message: str, retry_after: float | None = None, maybe_sent: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent

    def not_sent(self) -> Transient:
        """The same failure, from a request that cannot have posted (a read, an upload)."""
        return Transient(self.message, self.retry_after, maybe_sent=False)


class Rejected(PostError):
    """The platform refused this post for good (too long, invalid); nothing was posted."""


class CredentialsError(PostError):
    """Missing, wrong or expired credentials: fix ``variable``; never retried."""

    def __init__(self, message: str, variable: str) -> None:
        super().__init__(message)
        self.variable = variable


class AlreadyPosted(PostError):
    """The platform says this post exists already (X's duplicate refusal, Bluesky's rkey).

    ``posted`` is the earlier post when the network could find it, else None.
    """

    def __init__(self, message: str, posted: Posted | None = None) -> None:
        super().__init__(message)
        self.posted = posted


class CannotTell(PostError):
    """The network cannot say whether an earlier post exists (no listing, or it failed)."""


def read_image(image: Image, label: str) -> bytes:
    """The image file's bytes; Rejected (nothing was posted) when it cannot be read."""
    try:
        return image.path.read_bytes()
    except OSError as exc:
        raise Rejected(f"{label}: cannot read the image {image.path}: {exc.strerror}") from None


@dataclass(frozen=True)
class NetworkConfig:
    """One network's options from ``CROSSPOST["<name>"]``, checked."""

    name: str
    api_base: str  # where its API answers (instance for Mastodon, service for Bluesky)
    options: Mapping[str, Any]  # every option as written, defaults filled in
    hashtags: tuple[str, ...] = ()
    template: str | Mapping[str, str] | None = None  # one template, or kind -> template
    enabled: bool = True


class Network(ABC):
    """One social network behind the common interface.

    Subclasses set the class attributes and implement ``post``; a network whose API can
    list the account's recent posts also implements ``find_earlier``.
    """

    name: ClassVar[str]  # the key in CROSSPOST and in the ledger
    label: ClassVar[str]  # how a person names it: "Mastodon", "X"
    secrets: ClassVar[tuple[str, ...]]  # environment variables, all required
    default_api_base: ClassVar[str]
    required_options: ClassVar[tuple[str, ...]] = ()  # e.g. ("page_id",)
    optional_options: ClassVar[tuple[str, ...]] = ()  # beyond the common ones
    limit: ClassVar[int]
    # How the platform counts ``limit`` (``staticmethod(utf16_length)``), for ``rules``.
    count: ClassVar[Counter]
    # A retry after the platform may have taken the post cannot duplicate it (an
    # idempotency key, a deterministic record key, or a refusal of identical text).
    idempotent: ClassVar[bool] = False
    # find_earlier can look through the account's recent posts.
    can_find_earlier: ClassVar[bool] = False
    takes_images: ClassVar[bool] = True
    # How long the platform remembers an idempotency key (None: for ever, e.g. a record key).
    idempotency_window: ClassVar[float | None] = None
    # The secret values are redacted from construction on, even when the caller did not read
    # them with read_secrets; otherwise the network remembers each one when it reads it.
    remember_secrets: ClassVar[bool] = False

    def __init__(
        self,
        config: NetworkConfig,
        secrets: Mapping[str, str],
        timeout: float,
        remembered: Mapping[str, Any] | None = None,
    ) -> None:
        """``remembered`` is what ``prepare`` learnt on an earlier run (Mastodon's limit)."""
        self.config = config
        self.secret_values = dict(secrets)
        if self.remember_secrets:
            for value in self.secret_values.values():
                remember(value)
        self.timeout = timeout
        self.remembered: dict[str, Any] = dict(remembered or {})

    def required_secret(self, variable: str) -> str:
        """The value of ``variable``, remembered as a secret; CredentialsError when unset."""
        value = self.secret_values.get(variable, "")
        if not value:
            raise CredentialsError(f"{variable} is not set", variable)
        remember(value)
        return value

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        """Raise ``ValueError`` with a message naming the option for a bad value."""
        return None

    def rules(self) -> TextRules:
        """The limit and the counting the composer must respect."""
        return TextRules(limit=self.limit, count=self.count, name=self.name)

    def rules_with_images(self) -> TextRules:
        """The rules for a post that carries images (Telegram's caption is shorter)."""
        return self.rules()

    def prepare(self) -> None:
        """Once per run, before the first post: log in, read the server's limits.

        May update ``self.remembered`` (saved in the ledger for the next ``--dry-run``).
        Raises CredentialsError or Transient.
        """
        return None

    @abstractmethod
    def post(self, draft: Draft) -> Posted:
        """Send one post; raise a PostError subclass for anything but success."""

    def find_earlier(self, draft: Draft) -> Posted | None:
        """Look through the account's recent posts for ``draft`` (by its URL).

        Returns the post, or None when it is certainly not among them; raises CannotTell.
        """
        raise CannotTell(f"{self.label} cannot list the account's recent posts")

    def close(self) -> None:
        """Release sessions and connections."""
        return None
