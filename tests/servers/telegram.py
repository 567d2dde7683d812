"""A local Telegram Bot API server: ``/bot<token>/<method>`` for getMe, sendMessage, sendPhoto.

It behaves as api.telegram.org does for what fanpage uses: the token is in the path (a
malformed one is 404 Not Found, a wrong or revoked one 401 Unauthorized), every answer is
``{"ok": ..., "result" | "error_code", "description", "parameters"}``, a message is at most
4096 UTF-16 units and a caption 1024 (counted here, not with fanpage's code), the bot must
be an administrator of the channel (403 "bot is not a member of the channel chat"), and
throttling is 429 with ``parameters.retry_after``. Parameters are read from a query, a form,
a JSON body or a multipart body, as the Bot API reads them. Photos (``sendPhoto``, and
``sendMediaGroup`` albums of 2 to 10 ``attach://`` photos, the caption on the first) must
be real images of at most 10 MB whose width and height make at most 10000 together, at a
ratio of at most 20; an album's post records its ``photos`` in order.
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from PIL import Image as PILImage

from tests.servers.base import Drop, Hold, PlatformServer, Request, Response

TOKEN = "7012345678:AAHk2sQm9yTQv3X-fanpage_test_token_0123"
BOT_ID = 7012345678
CHANNEL_ID = -1001234567890
CHANNEL_USERNAME = "suarasenja"
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
PHOTO_BYTES_LIMIT = 10 * 1024 * 1024
PHOTO_SIDES_LIMIT = 10000  # width + height
PHOTO_RATIO_LIMIT = 20
ALBUM_SIZES = range(2, 11)  # sendMediaGroup: 2 to 10 items
_PATH = re.compile(r"^/bot(?P<token>[^/]*)/(?P<method>[A-Za-z]+)$")
_TOKEN_SHAPE = re.compile(r"^\d+:[\w-]{10,}$")


@dataclass
class Part:
    """One part of a multipart/form-data body."""

    name: str
    filename: str | None
    content_type: str
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def parse_multipart(request: Request) -> dict[str, Part]:
    """The parts of a multipart/form-data body, by field name (exact bytes, no decoding)."""
    content_type = request.headers.get("content-type", "")
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.startswith("multipart/form-data") or match is None:
        return {}
    delimiter = b"--" + match.group(1).encode("latin-1")
    parts: dict[str, Part] = {}
    for chunk in request.body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name = re.search(r'\bname="([^"]*)"', disposition)
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        if name is None:
            continue
        parts[name.group(1)] = Part(
            name.group(1),
            filename.group(1) if filename else None,
            headers.get("content-type", "text/plain"),
            data,
        )
    return parts


def utf16_units(text: str) -> int:
    """Telegram's length: UTF-16 code units (a character beyond the BMP is a surrogate pair)."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


class TelegramServer(PlatformServer):
    """One bot, one channel (public by default); the bot is its administrator unless told."""

    label = "Telegram"

    def __init__(
        self,
        token: str = TOKEN,
        username: str | None = CHANNEL_USERNAME,
        chat_id: int = CHANNEL_ID,
        bot_is_admin: bool = True,
        echo_token: bool = False,
    ) -> None:
        super().__init__()
        self.token = token
        self.username = username
        self.chat_id = chat_id
        self.bot_is_admin = bot_is_admin
        self.echo_token = echo_token  # error descriptions repeat the token (a leaky proxy)
        self._next_id = 41

    # -- answers ---------------------------------------------------------------------------

    def _error(self, code: int, description: str, token: str = "", **parameters: Any) -> Response:
        if self.echo_token and token:
            description = f"{description} (bot{token})"
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return Response(code, body)

    @staticmethod
    def _ok(result: Any) -> Response:
        return Response(200, {"ok": True, "result": result})

    def chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.chat_id, "title": "Suara Senja", "type": "channel"}
        if self.username:
            chat["username"] = self.username
        return chat

    # -- parameters ------------------------------------------------------------------------

    @staticmethod
    def params(request: Request) -> tuple[dict[str, Any], dict[str, Part]]:
        """Every parameter, whichever way it came (query, form, JSON, multipart), and files."""
        values: dict[str, Any] = {k: v[0] for k, v in request.query.items()}
        files: dict[str, Part] = {}
        content_type = request.headers.get("content-type", "")
        if "json" in content_type:
            data = request.json()
            if isinstance(data, dict):
                values.update(data)
        elif "x-www-form-urlencoded" in content_type:
            values.update({k: v[0] for k, v in request.form().items()})
        elif "multipart/form-data" in content_type:
            for name, part in parse_multipart(request).items():
                if part.filename is None:
                    values[name] = part.text
                else:
                    files[name] = part
        return values, files

    def _resolve_chat(self, chat_id: Any) -> bool:
        text = str(chat_id)
        return text == str(self.chat_id) or (
            self.username is not None and text.lower() == f"@{self.username}".lower()
        )

    # -- routing ---------------------------------------------------------------------------

    def route(self, request: Request) -> Response:
        match = _PATH.match(request.path)
        if match is None:
            return self._error(404, "Not Found")
        token, method = match["token"], match["method"]
        if not _TOKEN_SHAPE.match(token):
            return self._error(404, "Not Found", token)
        if token != self.token or self.tokens_expired:
            return self._error(401, "Unauthorized", token)
        if method == "getMe":
            return self._ok(
                {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Suara Senja",
                    "username": "suarasenja_bot",
                }
            )
        if method in ("sendMessage", "sendPhoto", "sendMediaGroup"):
            return self._send(request, method, token)
        return self._error(404, "Not Found")

    def _send(self, request: Request, method: str, token: str) -> Response:
        values, files = self.params(request)
        if "chat_id" not in values:
            return self._error(400, "Bad Request: chat_id is empty")
        if not self._resolve_chat(values["chat_id"]):
            return self._error(400, "Bad Request: chat not found")
        if not self.bot_is_admin:
            return self._error(403, "Forbidden: bot is not a member of the channel chat")
        record: dict[str, Any] = {"method": method, "chat_id": values["chat_id"]}
        if method == "sendMediaGroup":
            refused = self._album(values, files, record)
            if refused is not None:
                return refused
        elif method == "sendMessage":
            text = str(values.get("text") or "")
            if not text.strip():
                return self._error(400, "Bad Request: message text is empty")
            if utf16_units(text) > MESSAGE_LIMIT:
                return self._error(400, "Bad Request: message is too long")
            preview = values.get("link_preview_options")
            if isinstance(preview, str):
                preview = json.loads(preview)
            record.update(text=text, link_preview_options=preview)
        else:
            photo = files.get("photo")
            if photo is None:
                return self._error(400, "Bad Request: there is no photo in the request")
            refused = self._check_photo(photo)
            if refused is not None:
                return refused
            caption = str(values.get("caption") or "")
            if utf16_units(caption) > CAPTION_LIMIT:
                return self._error(400, "Bad Request: message caption is too long")
            record.update(
                caption=caption,
                image=photo.data,
                image_type=photo.content_type,
                filename=photo.filename,
            )

        fault = self.take_fault()
        if fault == "unavailable":
            return self._error(503, "Service Unavailable")
        if fault == "server_error":
            return self._error(500, "Internal Server Error: restart")
        if fault == "rate_limit":
            return self._error(429, "Too Many Requests: retry after 3", token, retry_after=3)
        if fault == "drop":
            raise Drop

        message = self._create(record)
        if fault == "accept_then_timeout":
            raise Hold
        if fault == "accept_then_drop":
            raise Drop
        return self._ok(message)

    def _check_photo(self, photo: Part) -> Response | None:
        """sendPhoto's rules: at most 10 MB, width + height at most 10000, ratio at most 20."""
        if len(photo.data) > PHOTO_BYTES_LIMIT:
            return self._error(400, "Bad Request: file is too big")
        try:
            with PILImage.open(io.BytesIO(photo.data)) as image:
                width, height = image.size
        except Exception:
            return self._error(400, "Bad Request: IMAGE_PROCESS_FAILED")
        if width + height > PHOTO_SIDES_LIMIT or max(width, height) > PHOTO_RATIO_LIMIT * min(
            width, height
        ):
            return self._error(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        return None

    def _album(
        self, values: dict[str, Any], files: dict[str, Part], record: dict[str, Any]
    ) -> Response | None:
        """sendMediaGroup: 2 to 10 InputMediaPhoto, each ``attach://<part>`` sent alongside."""
        try:
            media = json.loads(values.get("media") or "null")
        except ValueError:
            return self._error(400, "Bad Request: can't parse media JSON object")
        if not isinstance(media, list) or len(media) not in ALBUM_SIZES:
            return self._error(400, "Bad Request: wrong number of media (2 to 10)")
        photos = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") != "photo":
                return self._error(400, "Bad Request: can't parse InputMedia: unknown type")
            name = str(item.get("media", "")).removeprefix("attach://")
            part = files.get(name)
            if not str(item.get("media", "")).startswith("attach://") or part is None:
                return self._error(400, "Bad Request: wrong file identifier/HTTP URL specified")
            refused = self._check_photo(part)
            if refused is not None:
                return refused
            caption = str(item.get("caption") or "")
            if utf16_units(caption) > CAPTION_LIMIT:
                return self._error(400, "Bad Request: message caption is too long")
            photos.append(
                {"data": part.data, "content_type": part.content_type, "caption": caption}
            )
        record.update(caption=photos[0]["caption"], photos=photos)
        return None

    def _create(self, record: dict[str, Any]) -> dict[str, Any] | list[dict[str, Any]]:
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
            record["message_id"] = message_id
            extra = len(record.get("photos") or ()) - 1
            self._next_id += max(0, extra)  # one message per photo of an album
            self.posts.append(record)
        message: dict[str, Any] = {
            "message_id": message_id,
            "sender_chat": self.chat(),
            "chat": self.chat(),
            "date": int(time.time()),
        }
        if record["method"] == "sendMessage":
            message["text"] = record["text"]
            if record.get("link_preview_options"):
                message["link_preview_options"] = record["link_preview_options"]
        elif record["method"] == "sendMediaGroup":
            group = f"1{message_id:016d}"
            return [
                {
                    **message,
                    "message_id": message_id + index,
                    "media_group_id": group,
                    "photo": [{"file_id": f"photo-{message_id + index}"}],
                    **({"caption": photo["caption"]} if photo["caption"] else {}),
                }
                for index, photo in enumerate(record["photos"])
            ]
        else:
            message["caption"] = record["caption"]
            message["photo"] = [{"file_id": f"photo-{message_id}", "width": 64, "height": 64}]
        return message
