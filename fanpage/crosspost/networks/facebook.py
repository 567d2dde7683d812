"""A Facebook Page through the Graph API, over plain HTTPS (no SDK).

What a Page needs, and why this module does what it does:

- ``CROSSPOST["facebook"] = {"page_id": "101000000000001"}``: the Page's numeric id, and
  optionally ``"version"`` (``"v26.0"`` by default: the current Graph API version in
  November 2026; Meta keeps each version for about two years after the next one).
- The token is a **Page** access token (``FANPAGE_FACEBOOK_PAGE_TOKEN``) with
  ``pages_manage_posts`` and ``pages_read_engagement``. One made from a long-lived user
  token (or a system user's in Meta Business Suite) does not expire. It travels in the POST
  body and the ``Authorization`` header, never in a URL.
- A post is ``POST /{version}/{page_id}/feed`` with ``message`` (the draft's text, at most
  63,206 characters, counted in UTF-16 code units) and ``link`` (the entry's URL): Facebook
  builds the preview itself from the page's Open Graph tags, so no title, description or
  picture is sent (Meta removed link customisation), and no language either (a Page post
  has none).
- Images: each goes up first as an unpublished photo (``POST /{page_id}/photos`` with
  ``published=false``, the file as ``source`` and its alt text as ``alt_text_custom``;
  re-encoded as a JPEG without metadata under the 4 MB Meta recommends; Meta documents no
  length for the alt text, so it goes whole) and
  the feed post attaches them (``attached_media[i]={"media_fbid": ...}``). A post with
  photos shows the photos, not a link preview, so ``link`` is left out then; the URL stays
  clickable in the message. An unpublished photo is invisible, so a failure before the feed
  post never leaves anything on the Page (``maybe_sent`` false).
- The answer is ``{"id": "<page>_<post>"}``; the URL comes from ``GET /{id}?fields=
  permalink_url`` (``https://www.facebook.com/<id>`` when that read fails: the post is up,
  and a missing permalink must not turn it into a failure that a retry would duplicate).
- Nothing makes a retry safe (no idempotency key), but Facebook refuses the same message
  twice in a row (#506), which becomes :class:`AlreadyPosted` with the earlier post, and
  :meth:`Facebook.find_earlier` reads the Page's feed
  (``fields=id,message,permalink_url,created_time,attachments{url,unshimmed_url}``, 25 at
  a time) for the entry's URL in a message or a link attachment (``url`` there is Facebook's
  ``l.facebook.com`` redirect, ``unshimmed_url`` the real one).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from fanpage.crosspost.counting import utf16_length
from fanpage.crosspost.media import JPEG, jpeg_for, jpeg_name
from fanpage.crosspost.network import (
    AlreadyPosted,
    Draft,
    Image,
    Posted,
    PostError,
    Transient,
)
from fanpage.crosspost.networks.graph import Account, GraphNetwork, mentions, same_url

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "FANPAGE_FACEBOOK_PAGE_TOKEN"
DEFAULT_VERSION = "v26.0"
MAX_MESSAGE = 63206
MAX_PHOTO_BYTES = 4 * 1024 * 1024  # Meta: "photos should be less than 4 MB"
RECENT_POSTS = 25
PERMALINK_FALLBACK = "https://www.facebook.com/{id}"
FEED_FIELDS = "id,message,permalink_url,created_time,attachments{url,unshimmed_url}"
_DIGITS = re.compile(r"^[0-9]+$")
_VERSION = re.compile(r"^v[0-9]+\.[0-9]+$")

ACCOUNT = Account(
    label="Facebook",
    variable=TOKEN_VARIABLE,
    token_help=(
        f"Put a Page access token in {TOKEN_VARIABLE}: one made from a long-lived user token "
        "(Graph API Explorer, then GET /me/accounts) or a system user's token in Meta "
        "Business Suite does not expire."
    ),
    permissions="pages_manage_posts and pages_read_engagement on the Page",
    id_option='CROSSPOST["facebook"]["page_id"]',
)


def feed_body(draft: Draft, photo_ids: Sequence[str] = ()) -> dict[str, str]:
    """The form fields of ``POST /{page_id}/feed`` (without the token)."""
    body = {"message": draft.text}
    if photo_ids:
        for index, photo_id in enumerate(photo_ids):
            body[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
    else:
        body["link"] = draft.url
    return body


def photo_body(image: Image) -> dict[str, str]:
    """The form fields of ``POST /{page_id}/photos`` for an unpublished photo."""
    return {"published": "false", "alt_text_custom": image.alt}


def is_announcement(item: Mapping[str, Any], url: str) -> bool:
    """A feed item that links to ``url``, in its message or as its link attachment."""
    if mentions(item.get("message"), url):
        return True
    attachments = item.get("attachments")
    rows = attachments.get("data") if isinstance(attachments, Mapping) else None
    for row in rows or []:
        if not isinstance(row, Mapping):
            continue
        for key in ("unshimmed_url", "url"):
            value = row.get(key)
            if isinstance(value, str) and same_url(value, url):
                return True
    return False


class Facebook(GraphNetwork):
    """A Facebook Page's feed."""

    name: ClassVar[str] = "facebook"
    label: ClassVar[str] = "Facebook"
    secrets: ClassVar[tuple[str, ...]] = (TOKEN_VARIABLE,)
    default_api_base: ClassVar[str] = "https://graph.facebook.com"
    required_options: ClassVar[tuple[str, ...]] = ("page_id",)
    optional_options: ClassVar[tuple[str, ...]] = ("version",)
    limit: ClassVar[int] = MAX_MESSAGE
    count = staticmethod(utf16_length)
    idempotent: ClassVar[bool] = False
    can_find_earlier: ClassVar[bool] = True
    takes_images: ClassVar[bool] = True
    account: ClassVar[Account] = ACCOUNT

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        page_id = options.get("page_id")
        if isinstance(page_id, bool) or not _DIGITS.match(str(page_id)):
            raise ValueError(
                f'"page_id" {page_id!r} must be the Page\'s numeric id, e.g. '
                '"101000000000001" (Page settings > About, or Meta Business Suite)'
            )
        version = options.get("version", DEFAULT_VERSION)
        if not isinstance(version, str) or not _VERSION.match(version):
            raise ValueError(
                f'"version" {version!r} must be a Graph API version such as "{DEFAULT_VERSION}"'
            )

    @property
    def page_id(self) -> str:
        return str(self.config.options["page_id"])

    @property
    def version(self) -> str:
        return str(self.config.options.get("version", DEFAULT_VERSION))

    def prepare(self) -> None:
        self.api()

    def post(self, draft: Draft) -> Posted:
        photo_ids = [self._upload(image) for image in draft.images]
        path = f"{self.version}/{self.page_id}/feed"
        try:
            answer = self.api().post(path, feed_body(draft, photo_ids), creates=True)
        except AlreadyPosted as exc:
            raise AlreadyPosted(exc.message, self._earlier_or_none(draft)) from None
        post_id = answer.get("id")
        if not isinstance(post_id, str) or not post_id:
            raise Transient(f"Facebook: the answer had no post id ({answer!r:.200})", None, True)
        return Posted(post_id, self._permalink(post_id))

    def _upload(self, image: Image) -> str:
        data = jpeg_for(image, self.label, MAX_PHOTO_BYTES).data
        files = {"source": (jpeg_name(image), data, JPEG)}
        path = f"{self.version}/{self.page_id}/photos"
        answer = self.api().post(path, photo_body(image), files=files)
        photo_id = answer.get("id")
        if not isinstance(photo_id, str) or not photo_id:
            raise Transient(f"Facebook: the photo upload answered no id ({answer!r:.200})")
        log.debug("Facebook: photo %s uploaded (unpublished)", photo_id)
        return photo_id

    def _permalink(self, post_id: str) -> str:
        try:
            answer = self.api().get(f"{self.version}/{post_id}", {"fields": "permalink_url"})
        except PostError as exc:
            log.info("Facebook: no permalink for %s (%s); using the id URL", post_id, exc)
            answer = {}
        url = answer.get("permalink_url")
        return url if isinstance(url, str) and url else PERMALINK_FALLBACK.format(id=post_id)

    def _earlier_or_none(self, draft: Draft) -> Posted | None:
        try:
            return self.find_earlier(draft)
        except PostError:
            return None

    def find_earlier(self, draft: Draft) -> Posted | None:
        item = self.api().search(
            f"{self.version}/{self.page_id}/feed",
            fields=FEED_FIELDS,
            per_page=RECENT_POSTS,
            matches=lambda item: is_announcement(item, draft.url),
            since=draft.created_at,
            time_field="created_time",
        )
        if item is None:
            return None
        post_id = str(item.get("id"))
        url = item.get("permalink_url")
        if not isinstance(url, str) or not url:
            url = PERMALINK_FALLBACK.format(id=post_id)
        return Posted(post_id, url)
