"""Telegram channels through the Bot API (``sendMessage``, ``sendPhoto``), plain HTTP.

What Telegram needs, and why this module does what it does:

- The bot token is part of every URL (``/bot<token>/sendMessage``), so a URL must never reach
  a message or a log line: failures are described from the status and the body only (both
  passed through ``redact``), and the request lines urllib3 logs at DEBUG are redacted.
- The bot posts as the channel once it is one of the channel's administrators; until then
  Telegram answers 403 "bot is not a member of the channel chat". That is a setup problem
  and every post would fail the same way, so it is a :class:`CredentialsError` (which stops
  the network for the run, names the token's variable and says to add the bot as an admin),
  not a :class:`Rejected` (which would blame this one post).
- A text message is at most 4096 UTF-16 units and Telegram builds the link preview from the
  page itself (``link_preview_options`` names the entry's URL, with large media). With an
  image the post is ``sendPhoto`` and the text becomes its caption, at most 1024:
  ``rules(with_images=True)`` and ``caption_limit`` tell the composer; a draft whose text is
  longer than a caption is sent as a message with its link preview instead.
- A gallery's photos go as an album (``sendMediaGroup``, 2 to 10 photos, the text as the
  first one's caption), one photo with ``sendPhoto``. Each is re-encoded as a JPEG without
  metadata under 10 MB, no side over 5000 pixels (width and height may make 10000 together),
  and one more than 20 times as wide as high (or high as wide) is refused before anything
  is sent. The Bot API has no alt text for a photo: the descriptions cannot go along.
- Throttling is ``429`` with ``parameters.retry_after`` in the body.
- The Bot API can neither take an idempotency key nor list a channel's history, so nothing
  here can tell whether a post that timed out went out: the ledger decides.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from fanpage.crosspost.counting import TextRules, utf16_length
from fanpage.crosspost.http import HttpNetwork, body_wait, describe, json_object, status_error
from fanpage.crosspost.media import JPEG, jpeg_for, jpeg_name
from fanpage.crosspost.network import (
    CredentialsError,
    Draft,
    Image,
    NetworkConfig,
    Posted,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.secrets import redact

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "FANPAGE_TELEGRAM_BOT_TOKEN"
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
MAX_ALBUM = 10  # sendMediaGroup: 2 to 10 photos
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # sendPhoto: "The photo must be at most 10 MB in size"
MAX_PHOTO_SIDES = 10000  # "width and height must not exceed 10000 in total"
MAX_PHOTO_RATIO = 20  # "width and height ratio must be at most 20"
# A channel's public username: 5 to 32 letters, digits and underscores, starting with a letter.
_USERNAME = re.compile(r"^@[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]$")
_CHAT_ID = re.compile(r"^-?\d+$")
# What BotFather hands out: the bot's number, a colon, then letters, digits, "_" and "-".
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


# -- pure helpers ----------------------------------------------------------------------------


def check_chat(value: Any) -> int | str:
    """``@channelusername``, or a numeric chat id as a number; ValueError naming ``chat``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _CHAT_ID.match(value):
        return int(value)
    if isinstance(value, str) and _USERNAME.match(value):
        return value
    hint = ""
    if isinstance(value, str):
        name = value.rsplit("/", 1)[-1].lstrip("@")
        if name and re.fullmatch(r"[A-Za-z]\w{3,31}", name) and not value.startswith("@"):
            hint = f' (write "@{name}")'
    raise ValueError(
        f'"chat" must be the channel\'s public username such as "@suarasenja", or its numeric '
        f"chat id such as -1001234567890, not {value!r}{hint}"
    )


def message_body(chat: int | str, draft: Draft) -> dict[str, Any]:
    """The JSON of ``sendMessage``: the text, and a large preview of the entry's page."""
    return {
        "chat_id": chat,
        "text": draft.text,
        "link_preview_options": {"url": draft.url, "prefer_large_media": True},
    }


def message_url(chat: Mapping[str, Any], message_id: int | str) -> str | None:
    """``t.me/<username>/<id>``, or ``t.me/c/<id>/<id>`` in a private channel or supergroup."""
    username = chat.get("username")
    if isinstance(username, str) and username:
        return f"https://t.me/{username}/{message_id}"
    chat_id = str(chat.get("id", ""))
    if chat_id.startswith("-100"):
        return f"https://t.me/c/{chat_id[4:]}/{message_id}"
    return None  # a basic group has no message links


def photos_for(draft: Draft) -> tuple[Image, ...]:
    """The images to send (a photo, or an album of up to 10), when the text fits a caption."""
    if not draft.images:
        return ()
    if utf16_length(draft.text) > CAPTION_LIMIT:
        log.info(
            "Telegram: %s is longer than a photo caption (%d), sent as a message with its "
            "link preview instead",
            draft.source or draft.url,
            CAPTION_LIMIT,
        )
        return ()
    return tuple(draft.images[:MAX_ALBUM])


def photo_for(draft: Draft) -> Image | None:
    """The first image to send, when the text fits in a caption."""
    photos = photos_for(draft)
    return photos[0] if photos else None


def check_shape(width: int, height: int, label: str) -> None:
    """Telegram's photo rules: width and height at most 10000 together, a ratio of 20."""
    if width + height > MAX_PHOTO_SIDES or max(width, height) > MAX_PHOTO_RATIO * min(
        width, height
    ):
        raise Rejected(
            f"{label}: Telegram takes photos whose width and height make at most "
            f"{MAX_PHOTO_SIDES} together, at most {MAX_PHOTO_RATIO} times as wide as high "
            f"or the other way round; this one is {width}x{height}"
        )


def album_body(chat: int | str, draft: Draft, names: list[str]) -> dict[str, Any]:
    """The form fields of ``sendMediaGroup``: the photos by ``attach://`` name, the text as
    the first photo's caption (the album's caption, as Telegram shows it)."""
    media: list[dict[str, Any]] = []
    for index, name in enumerate(names):
        item: dict[str, Any] = {"type": "photo", "media": f"attach://{name}"}
        if index == 0:
            item["caption"] = draft.text
        media.append(item)
    return {"chat_id": str(chat), "media": json.dumps(media)}


# -- the network -----------------------------------------------------------------------------


class Telegram(HttpNetwork):
    """A channel the bot administers: one message (or photo with caption) per entry."""

    name = "telegram"
    label = "Telegram"
    secrets = (TOKEN_VARIABLE,)
    default_api_base = "https://api.telegram.org"
    required_options = ("chat",)
    limit = MESSAGE_LIMIT
    count = staticmethod(utf16_length)
    remember_secrets = True
    # The text limit when the post carries a photo (sendPhoto's caption).
    caption_limit: ClassVar[int] = CAPTION_LIMIT
    idempotent = False
    can_find_earlier = False

    def __init__(
        self,
        config: NetworkConfig,
        secrets: Mapping[str, str],
        timeout: float,
        remembered: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(config, secrets, timeout, remembered)
        self.chat = check_chat(config.options["chat"])

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        if "chat" in options:
            check_chat(options["chat"])

    def rules(self, with_images: bool = False) -> TextRules:
        """4096 for a message; 1024 when the post carries a photo (its caption)."""
        limit = CAPTION_LIMIT if with_images else MESSAGE_LIMIT
        return TextRules(limit=limit, count=self.count, name=self.name)

    # -- HTTP --------------------------------------------------------------------------------

    def _token(self) -> str:
        token = self.secret_values.get(TOKEN_VARIABLE, "")
        if not _TOKEN.match(token):
            raise CredentialsError(
                f"{TOKEN_VARIABLE} does not look like a bot token (the bot's number, a colon, "
                "then letters and digits, as @BotFather gives it)",
                TOKEN_VARIABLE,
            )
        return token

    def _call(self, method: str, **kwargs: Any) -> dict[str, Any]:
        """Call one Bot API method; its ``result``, or the PostError its answer means."""
        response = self._http().send("POST", f"/bot{self._token()}/{method}", **kwargs)
        body = json_object(response)
        if response.status_code == 200 and body.get("ok") is True:
            result = body.get("result")
            return result if isinstance(result, dict) else {"value": result}
        raise self._failure(response, body, method)

    def _failure(
        self, response: requests.Response, body: Mapping[str, Any], method: str
    ) -> PostError:
        code = body.get("error_code")
        status = code if isinstance(code, int) and code >= 400 else response.status_code
        said = redact(str(body.get("description") or "")) or describe(response)
        parameters = body.get("parameters") if isinstance(body.get("parameters"), Mapping) else {}
        if status == 429:
            seconds = body_wait(parameters.get("retry_after"), response.headers)
            return Transient(f"Telegram: rate limited ({said})", seconds)
        transient = status_error(response, self.label)
        if transient is not None:
            return transient
        if status in (401, 404):
            return CredentialsError(
                f"Telegram does not accept the bot token in {TOKEN_VARIABLE} ({said}); copy it "
                "again from @BotFather (/mybots, API Token) and update the variable",
                TOKEN_VARIABLE,
            )
        if status == 403 or "chat not found" in said.lower():
            return CredentialsError(
                f"Telegram: the bot cannot post in {self.chat} ({said}); add the bot to the "
                "channel as an administrator allowed to post messages, and check "
                'CROSSPOST["telegram"]["chat"]',
                TOKEN_VARIABLE,
            )
        if "migrate_to_chat_id" in parameters:
            return Rejected(
                f"Telegram: {self.chat} became a supergroup ({said}); set "
                f'CROSSPOST["telegram"]["chat"] to {parameters["migrate_to_chat_id"]}'
            )
        return Rejected(f"Telegram refused {method}: {said}")

    # -- posting -----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Check the token once per run (``getMe``), before anything is due to go out."""
        try:
            self._call("getMe")
        except Transient as exc:
            raise exc.not_sent() from None

    def rules_with_images(self) -> TextRules:
        return self.rules(with_images=True)

    def post(self, draft: Draft) -> Posted:
        photos = photos_for(draft)
        if not photos:
            result = self._call("sendMessage", json=message_body(self.chat, draft))
            return self._posted(result)
        files = {}
        for number, photo in enumerate(photos, start=1):
            fitted = jpeg_for(photo, self.label, MAX_PHOTO_BYTES, max_side=MAX_PHOTO_SIDES // 2)
            check_shape(fitted.width, fitted.height, self.label)
            files[f"photo{number}"] = (jpeg_name(photo), fitted.data, JPEG)
        if len(photos) == 1:
            result = self._call(
                "sendPhoto",
                data={"chat_id": self.chat, "caption": draft.text},
                files={"photo": files["photo1"]},
            )
            return self._posted(result)
        answer = self._call(
            "sendMediaGroup", data=album_body(self.chat, draft, list(files)), files=files
        )
        messages = answer.get("value")
        first = messages[0] if isinstance(messages, list) and messages else {}
        return self._posted(first if isinstance(first, Mapping) else {})

    def _posted(self, result: Mapping[str, Any]) -> Posted:
        message_id = result.get("message_id")
        chat = result.get("chat") if isinstance(result.get("chat"), Mapping) else {}
        if message_id is None:
            return Posted(id="", url=None, data={"note": "Telegram answered without message_id"})
        data = {"chat_id": chat.get("id")} if chat.get("id") is not None else {}
        return Posted(id=str(message_id), url=message_url(chat, message_id), data=data)
