"""Discord channels through an incoming webhook (``POST <webhook>?wait=true``), plain HTTP.

What Discord needs, and why this module does what it does:

- The webhook URL ``https://discord.com/api/webhooks/<id>/<token>`` is the whole credential:
  anyone holding it can post. It is a secret as a whole and in its pieces, so no URL ever
  reaches a message (failures are described from the status and body, through ``redact``)
  and the request lines urllib3 logs at DEBUG are redacted. ``api_base`` (a test server)
  replaces its scheme and host and keeps its path.
- ``content`` is at most 2000 UTF-16 units. The link card is an embed built here (title at
  most 256, description at most 4096, 6000 for the embed in all) whose image is the card's
  picture attached to the same request (``payload_json`` plus ``files[0]`` in a multipart
  body, referred to as ``attachment://<file>``), with its alt text as the attachment's
  ``description`` (at most 1024). A gallery's photos (up to 4) are attached instead, each
  with its alt text, and the embed then has no picture. Every file is re-encoded as a JPEG
  without metadata under the 10 MiB a file may have. ``allowed_mentions`` is empty so an
  entry's text never pings anyone.
- ``?wait=true`` makes Discord answer the created message (else 204 and no id). A message
  has no guild id, so the webhook itself is read once per run (``GET <webhook>``) for the
  ``https://discord.com/channels/<guild>/<channel>/<message>`` link; that read also checks
  the credential before anything goes out.
- Throttling is 429 with ``retry_after`` (seconds, fractional) in the body and a rounded-up
  ``Retry-After`` header; the body's is the precise one.
- A webhook takes no idempotency key and cannot list the channel, so a post that timed out
  cannot be looked for: the ledger decides.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fanpage.crosspost.counting import ELLIPSIS, utf16_length
from fanpage.crosspost.http import HttpNetwork, body_wait, describe, json_object, status_error
from fanpage.crosspost.media import JPEG, clip_alt, jpeg_for
from fanpage.crosspost.network import (
    CredentialsError,
    Draft,
    Image,
    LinkCard,
    Posted,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.secrets import redact, remember

if TYPE_CHECKING:
    import requests

WEBHOOK_VARIABLE = "FANPAGE_DISCORD_WEBHOOK_URL"
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
EMBED_TOTAL_LIMIT = 6000
ALT_LIMIT = 1024  # an attachment's description
MAX_FILES = 10
# Per file, on a server without boosts (Discord lowered it from 25 MiB to 10 MiB in 2024).
MAX_FILE_BYTES = 10 * 1024 * 1024
MESSAGE_URL = "https://discord.com/channels/{guild}/{channel}/{message}"
_WEBHOOK_PATH = re.compile(r"^/api(?:/v\d+)?/webhooks/(\d+)/([A-Za-z0-9_-]+)/?$")
_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}

# Guidance for a webhook Discord no longer knows; never the URL itself.
_NEW_WEBHOOK = (
    "create a new one (channel settings, Integrations, Webhooks, New Webhook, Copy Webhook "
    f"URL) and put it in {WEBHOOK_VARIABLE}"
)


# -- pure helpers ----------------------------------------------------------------------------


def webhook_url(secret: str, api_base: str, default_base: str) -> str:
    """The URL to call: the secret as given, or on ``api_base`` (scheme and host replaced).

    CredentialsError (without the URL) when it is not a Discord webhook URL.
    """
    parts = urlsplit(secret.strip())
    if parts.scheme not in ("https", "http") or not _WEBHOOK_PATH.match(parts.path):
        raise CredentialsError(
            f"{WEBHOOK_VARIABLE} is not a Discord webhook URL (it must look like "
            "https://discord.com/api/webhooks/<number>/<token>)",
            WEBHOOK_VARIABLE,
        )
    if api_base.rstrip("/") == default_base.rstrip("/"):
        return urlunsplit(parts)
    base = urlsplit(api_base)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` added to its query (a thread_id already there is kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` UTF-16 units, cut at a word with an ellipsis."""
    if utf16_length(text) <= limit:
        return text
    room = limit - utf16_length(ELLIPSIS)
    cut = text
    while cut and utf16_length(cut) > room:
        cut = cut[:-1]
    words = cut.rsplit(None, 1)[0] if " " in cut.strip() else cut
    return words.rstrip(" ,.;:-") + ELLIPSIS


def file_name(stem: str, image: Image) -> str:
    """A file name Discord accepts in ``attachment://`` ([A-Za-z0-9_.-])."""
    suffix = _SUFFIXES.get(image.mime) or re.sub(r"[^A-Za-z0-9.]", "", image.path.suffix)
    return f"{stem}{suffix or '.png'}"


def embed(card: LinkCard, image_name: str | None) -> dict[str, Any]:
    """The card as a rich embed, inside Discord's per-field and per-embed limits."""
    title = shorten(card.title, TITLE_LIMIT)
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - utf16_length(title))
    result: dict[str, Any] = {"title": title, "url": card.url}
    if card.description:
        result["description"] = shorten(card.description, room)
    if image_name:
        result["image"] = {"url": f"attachment://{image_name}"}
    return result


def attachments_for(draft: Draft) -> list[tuple[str, Image]]:
    """The files to send: a gallery's photos when the draft has images (the embed then
    shows no picture of its own), else the card's picture."""
    if draft.images:
        return [(f"image{n}.jpg", image) for n, image in enumerate(draft.images, 1)][:MAX_FILES]
    card_image = draft.card.image if draft.card else None
    return [("card.jpg", card_image)] if card_image is not None else []


def payload(draft: Draft, files: list[tuple[str, Image]]) -> dict[str, Any]:
    """The message JSON (``payload_json`` when files go with it)."""
    body: dict[str, Any] = {"content": draft.text, "allowed_mentions": {"parse": []}}
    if draft.card is not None:
        card_file = files[0][0] if files and not draft.images else None
        body["embeds"] = [embed(draft.card, card_file)]
    if files:
        body["attachments"] = [
            {"id": index, "filename": name, "description": alt_description(image.alt)}
            for index, (name, image) in enumerate(files)
        ]
    return body


def alt_description(alt: str) -> str:
    """An attachment's alt text (its ``description``), clipped to 1024 at a word."""
    return clip_alt(alt, ALT_LIMIT, utf16_length)


def message_url(guild_id: str | None, channel_id: str | None, message_id: str) -> str | None:
    if not guild_id or not channel_id:
        return None
    return MESSAGE_URL.format(guild=guild_id, channel=channel_id, message=message_id)


# -- the network -----------------------------------------------------------------------------


class Discord(HttpNetwork):
    """One channel's incoming webhook: one message with an embed per entry."""

    name = "discord"
    label = "Discord"
    secrets = (WEBHOOK_VARIABLE,)
    default_api_base = "https://discord.com"
    limit = CONTENT_LIMIT
    count = staticmethod(utf16_length)
    remember_secrets = True
    idempotent = False
    can_find_earlier = False

    _url: str | None = None
    _webhook: dict[str, Any] | None = None

    # -- HTTP --------------------------------------------------------------------------------

    def _webhook_url(self) -> str:
        if self._url is None:
            secret = self.secret_values.get(WEBHOOK_VARIABLE, "")
            self._url = webhook_url(secret, self.config.api_base, self.default_api_base)
            remember(self._url)
        return self._url

    def _failure(self, response: requests.Response, doing: str) -> PostError:
        status = response.status_code
        body = json_object(response)
        said = redact(str(body.get("message") or "")) or describe(response)
        if status == 429:
            seconds = body_wait(body.get("retry_after"), response.headers)
            scope = " (global limit)" if body.get("global") else ""
            return Transient(f"Discord: rate limited{scope} while {doing} ({said})", seconds)
        transient = status_error(response, self.label)
        if transient is not None:
            return transient
        if status == 401:
            return CredentialsError(
                f"Discord does not accept the webhook token in {WEBHOOK_VARIABLE} ({said}): "
                f"{_NEW_WEBHOOK}",
                WEBHOOK_VARIABLE,
            )
        if status == 404:
            return CredentialsError(
                f"Discord does not know the webhook in {WEBHOOK_VARIABLE} ({said}): it was "
                f"deleted or the URL is wrong; {_NEW_WEBHOOK}",
                WEBHOOK_VARIABLE,
            )
        if status == 403:
            return CredentialsError(
                f"Discord: {doing} was refused ({said}); check the webhook in {WEBHOOK_VARIABLE}",
                WEBHOOK_VARIABLE,
            )
        return Rejected(f"Discord: {doing} refused: {describe(response)}")

    # -- posting -----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Read the webhook once per run: its guild for message links, and a credential check."""
        self._webhook_info()

    def _webhook_info(self) -> dict[str, Any]:
        if self._webhook is None:
            try:
                response = self._http().send("GET", self._webhook_url())
                if response.status_code != 200:
                    raise self._failure(response, "reading the webhook")
            except Transient as exc:
                raise exc.not_sent() from None
            info = json_object(response)
            # Keep what links need; the answer also holds the token, which stays out.
            self._webhook = {k: info.get(k) for k in ("id", "guild_id", "channel_id", "name")}
        return self._webhook

    def post(self, draft: Draft) -> Posted:
        info = self._webhook_info()
        files = attachments_for(draft)
        body = payload(draft, files)
        url = with_query(self._webhook_url(), wait="true")
        if files:
            uploads = {
                f"files[{index}]": (name, jpeg_for(image, self.label, MAX_FILE_BYTES).data, JPEG)
                for index, (name, image) in enumerate(files)
            }
            response = self._http().send(
                "POST", url, data={"payload_json": json.dumps(body)}, files=uploads
            )
        else:
            response = self._http().send("POST", url, json=body)
        if response.status_code != 200:
            raise self._failure(response, "posting the message")
        message = json_object(response)
        message_id = str(message.get("id") or "")
        channel_id = str(message.get("channel_id") or info.get("channel_id") or "")
        guild_id = str(info.get("guild_id") or message.get("guild_id") or "")
        data = {"channel_id": channel_id, "guild_id": guild_id}
        return Posted(id=message_id, url=message_url(guild_id, channel_id, message_id), data=data)
