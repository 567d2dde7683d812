"""Threads through the Threads API (graph.threads.net), over plain HTTPS (no SDK).

What Threads needs, and why this module does what it does:

- ``CROSSPOST["threads"] = {"user_id": "17841400000000001"}``: the Threads user id (``GET
  /v1.0/me?fields=id`` with the token shows it). The token (``FANPAGE_THREADS_TOKEN``) needs
  ``threads_basic`` and ``threads_content_publish``. A long-lived Threads token lasts 60
  days and must be refreshed before then (``GET /refresh_access_token?grant_type=
  th_refresh_token`` with a token at least a day old); an expired one is a
  :class:`CredentialsError` that says so. The token travels in the POST body and the
  ``Authorization`` header, never in a URL.
- A post takes two steps: ``POST /v1.0/{user_id}/threads`` makes an invisible container
  (``media_type=TEXT``, ``text``, and ``link_attachment`` = the entry's URL, which becomes
  the preview card Threads builds from the page's Open Graph tags), then ``POST
  /v1.0/{user_id}/threads_publish`` with ``creation_id`` makes it a post. Only the second can
  leave a post behind, so only its failures may be ``maybe_sent``.
- Text: at most 500 characters, an emoji counting as its UTF-8 bytes
  (:func:`~fanpage.crosspost.counting.threads_length`); URLs count in full. No language is
  sent (Threads takes none).
- Images: Threads fetches an image from a public URL (``image_url``), it takes no upload.
  An image is attached (``media_type=IMAGE`` with ``alt_text``) only when the draft's image
  carries the public ``https://`` URL of the file on the live site (``Image.url``); until
  galleries hand their photos' URLs over, ``takes_images`` is false and posts go out as TEXT
  with the link preview. The card image is never sent as an IMAGE post: the link preview shows it
  already, and an IMAGE post cannot carry ``link_attachment`` (it would trade the clickable
  card for a bare picture). An image container is published once ``GET /{container}?fields=
  status`` says FINISHED (polled ``poll_attempts`` times, ``poll_interval`` apart).
- A profile may publish 250 posts per moving 24 hours (``GET /threads_publishing_limit``,
  read in :meth:`Threads.prepare`). Over it, the publish step is refused; that becomes
  :class:`Transient` with ``retry_after`` an hour (``PUBLISHING_LIMIT_WAIT``), not Rejected:
  the post itself is fine and goes out once the oldest of the 250 leaves the window, so a
  later run should send it, not drop it. Meta does not document the Threads error for it;
  the Instagram content-publishing one (code 9, subcode 2207042) is recognised, and any
  publish refusal that names the publishing limit.
- No idempotency: :meth:`Threads.find_earlier` reads ``GET /v1.0/{user_id}/threads?fields=
  id,text,permalink,timestamp,link_attachment_url`` (25 at a time) for the entry's URL.
- The post's URL is ``GET /v1.0/{media_id}?fields=permalink``; None when that read fails
  (the post is up; failing now would make a retry post it twice).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from fanpage.crosspost.counting import threads_length
from fanpage.crosspost.network import (
    Draft,
    Image,
    Posted,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.networks.graph import Account, GraphError, GraphNetwork, mentions, same_url

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "FANPAGE_THREADS_TOKEN"
VERSION = "v1.0"
MAX_TEXT = 500
RECENT_POSTS = 25
PUBLISHING_LIMIT_WAIT = 3600.0
CONTAINER_NOT_READY_WAIT = 30.0
# Instagram's content-publishing limit error, which Threads (built on it) answers in kind.
PUBLISHING_LIMIT_CODE = 9
PUBLISHING_LIMIT_SUBCODE = 2207042
CONTAINER_NOT_READY_SUBCODE = 4279009  # "Media Not Found": publishing before it is ready
LISTING_FIELDS = "id,text,permalink,timestamp,link_attachment_url"
_DIGITS = re.compile(r"^[0-9]+$")

ACCOUNT = Account(
    label="Threads",
    variable=TOKEN_VARIABLE,
    token_help=(
        "Threads long-lived tokens last 60 days and must be refreshed before they expire "
        "(GET https://graph.threads.net/refresh_access_token?grant_type=th_refresh_token "
        f"with the current token); put the new token in {TOKEN_VARIABLE}. An expired token "
        "cannot be refreshed: authorise the app again for a new one."
    ),
    permissions="threads_basic and threads_content_publish",
    id_option='CROSSPOST["threads"]["user_id"]',
)


def public_url(image: Image) -> str | None:
    """The public ``https://`` URL of an image on the live site, when the draft gives one."""
    url = getattr(image, "url", None)
    return url if isinstance(url, str) and url.startswith("https://") else None


def attachable_image(draft: Draft) -> tuple[Image, str] | None:
    """The first of the draft's images that Threads can fetch, with its URL."""
    for image in draft.images:
        url = public_url(image)
        if url:
            return image, url
    return None


def container_body(draft: Draft) -> dict[str, str]:
    """The form fields of ``POST /{user_id}/threads`` (without the token)."""
    found = attachable_image(draft)
    if found is None:
        return {"media_type": "TEXT", "text": draft.text, "link_attachment": draft.url}
    image, url = found
    return {"media_type": "IMAGE", "image_url": url, "alt_text": image.alt, "text": draft.text}


def is_announcement(item: Mapping[str, Any], url: str) -> bool:
    """A listed thread that links to ``url``, in its text or as its link attachment."""
    if mentions(item.get("text"), url):
        return True
    link = item.get("link_attachment_url")
    return isinstance(link, str) and same_url(link, url)


def publishing_problem(error: GraphError, headers: Mapping[str, str]) -> PostError | None:
    """The Threads-only meanings of a Graph error (see the module docstring)."""
    text = f"{error.message} {error.user_message}".lower()
    if (
        error.code == PUBLISHING_LIMIT_CODE
        or error.subcode == PUBLISHING_LIMIT_SUBCODE
        or ("limit" in text and ("publish" in text or "posts" in text) and error.code != 190)
    ):
        return Transient(
            f"Threads: the profile reached its publishing limit of 250 posts in 24 hours "
            f"{error.describe()}; the post waits for a later run",
            retry_after=PUBLISHING_LIMIT_WAIT,
        )
    if error.subcode == CONTAINER_NOT_READY_SUBCODE:
        return Transient(
            f"Threads: the post was not ready to publish {error.describe()}",
            retry_after=CONTAINER_NOT_READY_WAIT,
        )
    return None


class Threads(GraphNetwork):
    """A Threads profile."""

    name: ClassVar[str] = "threads"
    label: ClassVar[str] = "Threads"
    secrets: ClassVar[tuple[str, ...]] = (TOKEN_VARIABLE,)
    default_api_base: ClassVar[str] = "https://graph.threads.net"
    required_options: ClassVar[tuple[str, ...]] = ("user_id",)
    optional_options: ClassVar[tuple[str, ...]] = ()
    limit: ClassVar[int] = MAX_TEXT
    count = staticmethod(threads_length)
    idempotent: ClassVar[bool] = False
    can_find_earlier: ClassVar[bool] = True
    takes_images: ClassVar[bool] = False  # until Image carries its public URL
    account: ClassVar[Account] = ACCOUNT
    special = staticmethod(publishing_problem)

    poll_attempts: int = 10
    poll_interval: float = 3.0  # Meta: an image container takes about 30 seconds

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        user_id = options.get("user_id")
        if isinstance(user_id, bool) or not _DIGITS.match(str(user_id)):
            raise ValueError(
                f'"user_id" {user_id!r} must be the numeric Threads user id, e.g. '
                '"17841400000000001" (GET https://graph.threads.net/v1.0/me?fields=id)'
            )

    @property
    def user_id(self) -> str:
        return str(self.config.options["user_id"])

    def prepare(self) -> None:
        """Check the token and the publishing quota once, before the first post."""
        answer = self.api().get(
            f"{VERSION}/{self.user_id}/threads_publishing_limit",
            {"fields": "quota_usage,config"},
        )
        rows = answer.get("data")
        row = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}
        usage = row.get("quota_usage")
        config = row.get("config") if isinstance(row.get("config"), dict) else {}
        total = config.get("quota_total")
        if isinstance(usage, int) and isinstance(total, int):
            log.debug("Threads: %s of %s posts used in the last 24 hours", usage, total)
            if usage >= total:
                raise Transient(
                    f"Threads: the profile has published {usage} of the {total} posts allowed "
                    "in 24 hours; the posts wait for a later run",
                    retry_after=PUBLISHING_LIMIT_WAIT,
                )

    def post(self, draft: Draft) -> Posted:
        body = container_body(draft)
        created = self.api().post(f"{VERSION}/{self.user_id}/threads", body)
        container = created.get("id")
        if not isinstance(container, str) or not container:
            raise Transient(f"Threads: the container answer had no id ({created!r:.200})")
        if body["media_type"] != "TEXT":
            self._wait_until_ready(container)
        published = self.api().post(
            f"{VERSION}/{self.user_id}/threads_publish", {"creation_id": container}, creates=True
        )
        media_id = published.get("id")
        if not isinstance(media_id, str) or not media_id:
            raise Transient(
                f"Threads: the publish answer had no id ({published!r:.200})", maybe_sent=True
            )
        return Posted(media_id, self._permalink(media_id))

    def _wait_until_ready(self, container: str) -> None:
        """Poll an image container until Threads has fetched and processed the image."""
        for attempt in range(self.poll_attempts):
            answer = self.api().get(f"{VERSION}/{container}", {"fields": "status,error_message"})
            status = answer.get("status")
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status == "ERROR":
                reason = answer.get("error_message") or "UNKNOWN"
                raise Rejected(f"Threads could not process the image ({reason})")
            if status == "EXPIRED":
                raise Transient("Threads: the container expired before it was published")
            if attempt + 1 < self.poll_attempts:
                time.sleep(self.poll_interval)
        raise Transient(
            "Threads: the image was still being processed; try again later",
            retry_after=CONTAINER_NOT_READY_WAIT,
        )

    def _permalink(self, media_id: str) -> str | None:
        try:
            answer = self.api().get(f"{VERSION}/{media_id}", {"fields": "permalink"})
        except PostError as exc:
            log.info("Threads: no permalink for %s (%s)", media_id, exc)
            return None
        url = answer.get("permalink")
        return url if isinstance(url, str) and url else None

    def find_earlier(self, draft: Draft) -> Posted | None:
        item = self.api().search(
            f"{VERSION}/{self.user_id}/threads",
            fields=LISTING_FIELDS,
            per_page=RECENT_POSTS,
            matches=lambda item: is_announcement(item, draft.url),
            since=draft.created_at,
            time_field="timestamp",
        )
        if item is None:
            return None
        url = item.get("permalink")
        return Posted(str(item.get("id")), url if isinstance(url, str) and url else None)
