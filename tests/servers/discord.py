"""A local Discord webhook: ``GET``/``POST /api/webhooks/<id>/<token>`` as discord.com answers.

What it checks, with Discord's own error shapes: the webhook id (404 "Unknown Webhook", code
10015) and token (401 "Invalid Webhook Token", 50027); ``content`` at most 2000 UTF-16 units
(counted here, not with fanpage's code: 400 ``{"content": ["Must be 2000 or fewer in
length."]}``); embeds (title 256, description 4096, 6000 in all; an ``attachment://`` image
must name a file sent with the message); at most 10 files of at most 10 MiB each (413
otherwise), an attachment's ``description`` (alt text) at most 1024; an empty message
(50006); a JSON body or a multipart one with ``payload_json`` and ``files[n]``. Throttling
is 429 with ``retry_after`` (seconds, fractional) in the body and a rounded-up
``Retry-After``. With ``?wait=true`` the created message is answered, else 204.
``expire_tokens()`` deletes the webhook.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tests.servers.base import Drop, Hold, PlatformServer, Request, Response
from tests.servers.telegram import parse_multipart, utf16_units

WEBHOOK_ID = "1312345678901234567"
WEBHOOK_TOKEN = "Xq3vN8k-2JdTfanpage_test_webhook_token_s3cr3t_AbCdEfGhIjKlMnOpQrStUv"
GUILD_ID = "1100000000000000001"
CHANNEL_ID = "1200000000000000002"
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
EMBED_TOTAL = 6000
ATTACHMENT_DESCRIPTION_LIMIT = 1024
MAX_FILES = 10
FILE_BYTES_LIMIT = 10 * 1024 * 1024  # per file on a server without boosts
RATE_LIMIT_SECONDS = 1.5
_PATH = re.compile(r"^/api(?:/v\d+)?/webhooks/(?P<id>[^/]+)/(?P<token>[^/]+)/?$")


class DiscordServer(PlatformServer):
    """One guild, one channel, one incoming webhook."""

    label = "Discord"

    def __init__(
        self,
        webhook_id: str = WEBHOOK_ID,
        token: str = WEBHOOK_TOKEN,
        guild_id: str = GUILD_ID,
        channel_id: str = CHANNEL_ID,
        echo_token: bool = False,
    ) -> None:
        super().__init__()
        self.webhook_id = webhook_id
        self.token = token
        self.guild_id = guild_id
        self.channel_id = channel_id
        self.echo_token = echo_token  # error bodies repeat the URL called (a leaky proxy)
        self._next_id = 1300000000000000000

    @property
    def webhook_path(self) -> str:
        return f"/api/webhooks/{self.webhook_id}/{self.token}"

    def _error(self, status: int, message: str, code: int, request: Request) -> Response:
        if self.echo_token:
            message = f"{message}: {request.path}"
        return Response(status, {"message": message, "code": code})

    # -- routing ---------------------------------------------------------------------------

    def route(self, request: Request) -> Response:
        match = _PATH.match(request.path)
        if match is None:
            return Response(404, {"message": "404: Not Found", "code": 0})
        if match["id"] != self.webhook_id or self.tokens_expired:
            return self._error(404, "Unknown Webhook", 10015, request)
        if match["token"] != self.token:
            return self._error(401, "Invalid Webhook Token", 50027, request)
        if request.method == "GET":
            return Response(200, self.webhook_object())
        if request.method == "POST":
            return self._execute(request)
        return Response(405, {"message": "405: Method Not Allowed", "code": 0})

    def webhook_object(self) -> dict[str, Any]:
        return {
            "application_id": None,
            "avatar": None,
            "channel_id": self.channel_id,
            "guild_id": self.guild_id,
            "id": self.webhook_id,
            "name": "fanpage",
            "type": 1,
            "token": self.token,  # Discord answers the token back: a client must not print it
        }

    # -- executing -------------------------------------------------------------------------

    def _read(self, request: Request) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """The message JSON and the uploaded files (by file name)."""
        content_type = request.headers.get("content-type", "")
        files: dict[str, dict[str, Any]] = {}
        if content_type.startswith("multipart/form-data"):
            parts = parse_multipart(request)
            body = json.loads(parts["payload_json"].text) if "payload_json" in parts else {}
            for name, part in parts.items():
                if re.fullmatch(r"files\[\d+\]", name) and part.filename:
                    files[part.filename] = {
                        "field": name,
                        "data": part.data,
                        "content_type": part.content_type,
                    }
            return body, files
        return request.json() or {}, files

    def _invalid(self, body: dict[str, Any], files: dict[str, dict[str, Any]]) -> Response | None:
        """Discord's 400 for a message it will not take, else None."""
        content = body.get("content") or ""
        if utf16_units(content) > CONTENT_LIMIT:
            return Response(400, {"content": [f"Must be {CONTENT_LIMIT} or fewer in length."]})
        embeds = body.get("embeds") or []
        if len(embeds) > 10:
            return Response(400, {"embeds": ["Must be 10 or fewer in length."]})
        total = 0
        for index, item in enumerate(embeds):
            title = item.get("title") or ""
            description = item.get("description") or ""
            total += utf16_units(title) + utf16_units(description)
            if utf16_units(title) > TITLE_LIMIT or utf16_units(description) > DESCRIPTION_LIMIT:
                return Response(400, {"embeds": [str(index)]})
            image = (item.get("image") or {}).get("url", "")
            if image.startswith("attachment://") and image[13:] not in files:
                return Response(400, {"embeds": [str(index)]})
        if total > EMBED_TOTAL:
            return Response(400, {"embeds": ["Embed size exceeds maximum size of 6000"]})
        if len(files) > MAX_FILES:
            return Response(400, {"files": ["Must be 10 or fewer in length."]})
        if any(len(f["data"]) > FILE_BYTES_LIMIT for f in files.values()):
            return Response(413, {"message": "Request entity too large", "code": 40005})
        for attachment in body.get("attachments") or []:
            if len(attachment.get("description") or "") > ATTACHMENT_DESCRIPTION_LIMIT:
                return Response(400, {"attachments": [str(attachment.get("id"))]})
        if not content and not embeds and not files:
            return Response(400, {"message": "Cannot send an empty message", "code": 50006})
        return None

    def _execute(self, request: Request) -> Response:
        body, files = self._read(request)
        invalid = self._invalid(body, files)
        if invalid is not None:
            return invalid

        fault = self.take_fault()
        if fault == "unavailable":
            return Response(503, {"message": "503: Service Unavailable", "code": 0})
        if fault == "server_error":
            return Response(500, {"message": "500: Internal Server Error", "code": 0})
        if fault == "rate_limit":
            return Response(
                429,
                {"message": "You are being rate limited.", "retry_after": 1.5, "global": False},
                {
                    "Retry-After": str(math.ceil(RATE_LIMIT_SECONDS)),
                    "X-RateLimit-Scope": "shared",
                },
            )
        if fault == "drop":
            raise Drop

        message = self._create(body, files, request)
        if fault == "accept_then_timeout":
            raise Hold
        if fault == "accept_then_drop":
            raise Drop
        if request.query.get("wait", ["false"])[0].lower() != "true":
            return Response(204, b"")
        return Response(200, message)

    def _create(
        self, body: dict[str, Any], files: dict[str, dict[str, Any]], request: Request
    ) -> dict[str, Any]:
        described = {a.get("filename"): a.get("description") for a in body.get("attachments") or []}
        with self._lock:
            self._next_id += 1
            message_id = str(self._next_id)
            record = {
                "id": message_id,
                "content": body.get("content") or "",
                "embeds": body.get("embeds") or [],
                "allowed_mentions": body.get("allowed_mentions"),
                "files": [
                    {
                        "filename": name,
                        "field": file["field"],
                        "data": file["data"],
                        "content_type": file["content_type"],
                        "description": described.get(name),
                    }
                    for name, file in files.items()
                ],
                "wait": request.query.get("wait", [""])[0],
            }
            self.posts.append(record)
        return {
            "id": message_id,
            "type": 0,
            "content": record["content"],
            "channel_id": self.channel_id,
            "author": {"id": self.webhook_id, "username": "fanpage", "bot": True},
            "attachments": [
                {"id": str(index), "filename": f["filename"], "description": f["description"]}
                for index, f in enumerate(record["files"])
            ],
            "embeds": record["embeds"],
            "webhook_id": self.webhook_id,
        }
