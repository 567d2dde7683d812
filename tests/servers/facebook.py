"""A Facebook Page's Graph API on 127.0.0.1: the paths fanpage uses, Graph's rules and errors.

- ``POST /{version}/{page_id}/photos``: a multipart ``source`` image (PNG, JPEG or GIF by its
  bytes, else #324; at most 4 MB), ``published=false`` for an unpublished photo,
  ``alt_text_custom``.
- ``POST /{version}/{page_id}/feed``: ``message`` (at most 63,206 UTF-16 code units, counted
  here), ``link``, ``attached_media[i]={"media_fbid": ...}`` naming unpublished photos;
  the same message twice in a row is refused (#506, "Duplicate status message"). Injected
  faults and errors apply here. Answers ``{"id": "<page>_<n>"}``.
- ``GET /{version}/{id}?fields=permalink_url``.
- ``GET /{version}/{page_id}/feed?fields=...&limit=&after=``: newest first, the fields asked
  for, link attachments with Facebook's ``l.facebook.com`` redirect as ``url`` and the real
  address as ``unshimmed_url``, ``paging.cursors.after`` and a ``paging.next`` URL that
  carries the token (as Graph's does).
"""

from __future__ import annotations

import base64
import json
import re
from collections import deque
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from tests.servers.base import Request, Response
from tests.servers.graph import GraphServer, Params, graph_error

PAGE_ID = "101000000000001"
TOKEN = "EAAGpagetoken0123456789abcdefFANPAGEtest"
MAX_MESSAGE = 63206
MAX_PHOTO_BYTES = 4 * 1024 * 1024  # "Photos should be less than 4 MB"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_PATH = re.compile(r"^/(?P<version>v\d+\.\d+)/(?P<rest>[^/]+(?:/[^/]+)?)$")


def utf16_units(text: str) -> int:
    """Java's String.length(): a code point above U+FFFF is a surrogate pair, two units."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def graph_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class FacebookServer(GraphServer):
    label = "Facebook"

    def __init__(self, page_id: str = PAGE_ID, token: str = TOKEN) -> None:
        super().__init__(token)
        self.page_id = page_id
        self.photos: dict[str, dict[str, Any]] = {}
        self.photo_faults: deque[str] = deque()
        self.versions: set[str] = set()

    # -- the test's side -------------------------------------------------------------------

    def add_post(
        self, message: str, link: str | None = None, created: datetime | None = None
    ) -> dict[str, Any]:
        """A post already on the Page (made by hand, or by an earlier run)."""
        with self._lock:
            return self._create(message, link, [], created or datetime.now(UTC))

    def reset(self) -> None:
        with self._lock:
            super().reset()
            self.photos.clear()
            self.photo_faults.clear()
            self.versions.clear()

    def inject_photo_fault(self, fault: str) -> None:
        with self._lock:
            self.photo_faults.append(fault)

    # -- the platform's side ---------------------------------------------------------------

    def graph_route(self, request: Request, params: Params) -> Response:
        match = _PATH.match(request.path)
        if not match:
            return graph_error(400, 2500, "Unknown path components: " + request.path)
        self.versions.add(match["version"])
        rest = match["rest"]
        if request.method == "POST" and rest == f"{self.page_id}/photos":
            return self._photo(params)
        if request.method == "POST" and rest == f"{self.page_id}/feed":
            return self._feed_post(params)
        if request.method == "GET" and rest == f"{self.page_id}/feed":
            return self._feed_list(request, params)
        if request.method == "GET" and "/" not in rest:
            return self._object(rest, params)
        object_id = rest.split("/")[0]
        return self.unknown_object(object_id, request.method)

    def _photo(self, params: Params) -> Response:
        with self._lock:
            fault = self.photo_faults.popleft() if self.photo_faults else None
        answer = self.fault_before(fault)
        if answer is not None:
            return answer
        source = params.files.get("source")
        if source is None or not source[1].startswith(IMAGE_MAGIC):
            return graph_error(400, 324, "(#324) Requires upload file")
        if len(source[1]) > MAX_PHOTO_BYTES:
            return graph_error(400, 324, "(#324) The photo file is too big (at most 4 MB)")
        photo_id = str(900000000000000 + self.next_id())
        published = (params.get("published") or "true").lower() != "false"
        with self._lock:
            self.photos[photo_id] = {
                "id": photo_id,
                "alt": params.get("alt_text_custom"),
                "mime": source[2],
                "filename": source[0],
                "size": len(source[1]),
                "data": source[1],
                "published": published,
                "attached": False,
            }
        self.fault_after(fault)
        return Response(200, {"id": photo_id})

    def _feed_post(self, params: Params) -> Response:
        error = self.take_error()
        if error is not None:
            return error
        fault = self.take_fault()
        answer = self.fault_before(fault)
        if answer is not None:
            return answer
        message = params.get("message") or ""
        link = params.get("link")
        media_keys = sorted(k for k in params.values if k.startswith("attached_media["))
        if not message and not link and not media_keys:
            return graph_error(400, 100, "(#100) Missing message or attachment")
        if utf16_units(message) > MAX_MESSAGE:
            return graph_error(
                400,
                100,
                f"(#100) The message is too long: at most {MAX_MESSAGE} characters",
            )
        with self._lock:
            photos = []
            for key in media_keys:
                try:
                    photo_id = str(json.loads(params.values[key])["media_fbid"])
                except (ValueError, KeyError, TypeError):
                    return graph_error(400, 100, f"(#100) param {key} must be a JSON object")
                photo = self.photos.get(photo_id)
                if photo is None or photo["published"] or photo["attached"]:
                    return graph_error(400, 100, f"(#100) param {key} has invalid media_fbid")
                photos.append(photo)
            if self.posts and message and self.posts[-1]["message"] == message:
                return graph_error(400, 506, "(#506) Duplicate status message")
            for photo in photos:
                photo["attached"] = True
            post = self._create(message, link, photos, datetime.now(UTC))
        self.fault_after(fault)
        return Response(200, {"id": post["id"]})

    def _create(
        self, message: str, link: str | None, photos: list[dict[str, Any]], created: datetime
    ) -> dict[str, Any]:
        number = self.next_id()
        post = {
            "id": f"{self.page_id}_{1000000000000000 + number}",
            "message": message,
            "link": link,
            "images": [
                {"alt": p["alt"], "mime": p["mime"], "size": p["size"], "data": p["data"]}
                for p in photos
            ],
            "photo_ids": [p["id"] for p in photos],
            "created_time": graph_time(created),
            "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/pfbid0{number:012d}",
        }
        self.posts.append(post)
        return post

    def _object(self, object_id: str, params: Params) -> Response:
        with self._lock:
            post = next((p for p in self.posts if p["id"] == object_id), None)
        if post is None:
            return self.unknown_object(object_id)
        return Response(200, self._view(post, self.fields(params) or ["id"]))

    def _view(self, post: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        view: dict[str, Any] = {}
        for name in fields:
            if name == "attachments":
                rows = []
                if post["link"]:
                    shim = f"https://l.facebook.com/l.php?u={quote(post['link'], safe='')}&h=AT0x"
                    rows.append({"url": shim, "unshimmed_url": post["link"]})
                rows.extend(
                    {"url": f"https://www.facebook.com/photo.php?fbid={pid}"}
                    for pid in post["photo_ids"]
                )
                if rows:
                    view["attachments"] = {"data": rows}
            elif name == "message":
                if post["message"]:
                    view["message"] = post["message"]
            elif name in post:
                view[name] = post[name]
        view["id"] = post["id"]
        return view

    def _feed_list(self, request: Request, params: Params) -> Response:
        limit = min(int(params.get("limit") or 25), 100)
        after = params.get("after")
        start = int(base64.b64decode(after).decode()) if after else 0
        with self._lock:
            newest_first = list(reversed(self.posts))
        chunk = newest_first[start : start + limit]
        fields = self.fields(params) or ["id", "message", "created_time"]
        body: dict[str, Any] = {"data": [self._view(p, fields) for p in chunk]}
        if chunk:
            after = base64.b64encode(str(start + len(chunk)).encode()).decode()
            before = base64.b64encode(str(start).encode()).decode()
            body["paging"] = {"cursors": {"before": before, "after": after}}
            if start + len(chunk) < len(newest_first):
                body["paging"]["next"] = (
                    f"{self.base_url}{request.path}?access_token={self.token}"
                    f"&fields={params.get('fields')}&limit={limit}&after={after}"
                )
        return Response(200, body)
