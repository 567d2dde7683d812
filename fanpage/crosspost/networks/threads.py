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
- Images: Threads fetches an image from a public URL (``image_url``), it takes no upload,
  so an image is attached only when it carries the public ``https://`` URL of its file on
  the live site (``Image.url``: a gallery's photos do). One image is an IMAGE container
  (``alt_text``, at most 1000 characters, clipped at a word); two to twenty are IMAGE
  containers with ``is_carousel_item=true``, then a CAROUSEL container naming them in
  order (``children``) with the text. The file must be a JPEG or PNG of at most 8 MB where
  Threads fetches it: it is the derived file the build published, so its size is checked
  here and a larger one is refused before anything is sent. The card image is never sent
  as an IMAGE post: the link preview shows it already, and an IMAGE post cannot carry
  ``link_attachment``. Every image container is published (or made a carousel item) once
  ``GET /{container}?fields=status`` says FINISHED (polled ``poll_attempts`` times,
  ``poll_interval`` apart).
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
from pathlib import Path
from typing import Any, ClassVar

from fanpage.crosspost.counting import threads_length
from fanpage.crosspost.media import clip_alt
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
MAX_IMAGE_BYTES = 8 * 1024 * 1024  # media specifications: JPEG or PNG, at most 8 MB
MAX_ALT = 1000  # characters of an image's alt_text
MAX_CAROUSEL = 20  # a carousel holds 2 to 20 items
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


def attachable_images(draft: Draft) -> list[tuple[Image, str]]:
    """The draft's images that Threads can fetch, with their URLs (at most a carousel's)."""
    found = [(image, url) for image in draft.images if (url := public_url(image))]
    return found[:MAX_CAROUSEL]


def attachable_image(draft: Draft) -> tuple[Image, str] | None:
    """The first of the draft's images that Threads can fetch, with its URL."""
    found = attachable_images(draft)
    return found[0] if found else None


def image_body(image: Image, url: str, text: str | None) -> dict[str, str]:
    """An IMAGE container: alone (with the post's text) or as a carousel item (without)."""
    body = {"media_type": "IMAGE", "image_url": url, "alt_text": clip_alt(image.alt, MAX_ALT)}
    if text is None:
        body["is_carousel_item"] = "true"
    else:
        body["text"] = text
    return body


def container_body(draft: Draft) -> dict[str, str]:
    """The form fields of ``POST /{user_id}/threads`` for a text or single-image post."""
    found = attachable_image(draft)
    if found is None:
        return {"media_type": "TEXT", "text": draft.text, "link_attachment": draft.url}
    image, url = found
    return image_body(image, url, draft.text)


def carousel_body(draft: Draft, children: list[str]) -> dict[str, str]:
    """The CAROUSEL container: its items' container ids in order, and the post's text."""
    return {"media_type": "CAROUSEL", "children": ",".join(children), "text": draft.text}


def check_size(image: Image, label: str) -> None:
    """Threads fetches the file from the site: it must be under 8 MB there (it is the file
    the build published, so its size here is its size there)."""
    try:
        size = Path(image.path).stat().st_size
    except OSError as exc:
        raise Rejected(f"{label}: cannot read the image {image.path}: {exc.strerror}") from None
    if size > MAX_IMAGE_BYTES:
        raise Rejected(
            f"{label}: {Path(image.path).name} is {size} bytes; Threads fetches images of at "
            f"most {MAX_IMAGE_BYTES} bytes (8 MB) from the site, so it cannot be posted"
        )


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
    takes_images: ClassVar[bool] = True  # by their public URLs (Image.url)
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
        container = self._container_for(draft)
        published = self.api().post(
            f"{VERSION}/{self.user_id}/threads_publish", {"creation_id": container}, creates=True
        )
        media_id = published.get("id")
        if not isinstance(media_id, str) or not media_id:
            raise Transient(
                f"Threads: the publish answer had no id ({published!r:.200})", maybe_sent=True
            )
        return Posted(media_id, self._permalink(media_id))

    def _container_for(self, draft: Draft) -> str:
        """The container to publish: a TEXT, an IMAGE, or a CAROUSEL of its image items,
        each ready (nothing is visible until it is published)."""
        images = attachable_images(draft)
        for image, _url in images:
            check_size(image, self.label)
        if len(images) < 2:
            body = container_body(draft)
            container = self._create(body)
            if body["media_type"] != "TEXT":
                self._wait_until_ready(container)
            return container
        children = [self._create(image_body(image, url, None)) for image, url in images]
        for child in children:
            self._wait_until_ready(child)
        carousel = self._create(carousel_body(draft, children))
        self._wait_until_ready(carousel)
        return carousel

    def _create(self, body: Mapping[str, str]) -> str:
        created = self.api().post(f"{VERSION}/{self.user_id}/threads", body)
        container = created.get("id")
        if not isinstance(container, str) or not container:
            raise Transient(f"Threads: the container answer had no id ({created!r:.200})")
        return container

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
