"""The Threads API (graph.threads.net) on 127.0.0.1: the paths fanpage uses, its rules, errors.

- ``POST /v1.0/{user_id}/threads``: makes a container. ``media_type`` TEXT (``text``,
  ``link_attachment``) or IMAGE (``image_url`` on https, ``alt_text``, ``text``); ``text`` at
  most 500, counted here: one per character, an emoji as many as its UTF-8 bytes, URLs in
  full. A TEXT container is ready at once; an IMAGE one answers IN_PROGRESS to the first
  ``image_polls`` status reads, then FINISHED (or ERROR with ``fail_images``).
- Carousels: IMAGE containers with ``is_carousel_item=true`` (no text), then a CAROUSEL
  container with ``children`` (2 to 20 finished items, each in one carousel only) and the
  text; only the CAROUSEL is published. ``alt_text`` at most 1000 characters. With
  ``fetch`` set (a URL -> bytes, as the live site serves them), an image is fetched as
  Threads fetches it: a file that is missing, not a JPEG or PNG, or over 8 MB makes the
  container ERROR. A post records its ``images`` (URL, alt, fetched bytes) in order.
- ``POST /v1.0/{user_id}/threads_publish`` with ``creation_id``: makes the post. Injected
  faults and errors apply here; a container not yet FINISHED is refused (#24/4279009,
  "Media Not Found"); over ``quota_total`` posts in 24 hours the profile is refused with
  Instagram's content-publishing limit error (code 9, subcode 2207042), which Threads does
  not document separately.
- ``GET /v1.0/{id}``: a container's ``status``/``error_message``, a post's ``permalink``.
- ``GET /v1.0/{user_id}/threads?fields=...&limit=&after=``: the profile's posts, newest first.
- ``GET /v1.0/{user_id}/threads_publishing_limit?fields=quota_usage,config``.
"""

from __future__ import annotations

import base64
import re
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import regex

from tests.servers.base import Request, Response
from tests.servers.graph import GraphServer, Params, graph_error

USER_ID = "17841400000000001"
USERNAME = "suarasenja"
TOKEN = "THAAthreadstoken0123456789abcdefFANPAGEtest"
MAX_TEXT = 500
QUOTA_TOTAL = 250
MAX_IMAGE_BYTES = 8 * 1024 * 1024  # media specifications: JPEG or PNG, at most 8 MB
MAX_ALT = 1000
CAROUSEL_SIZES = range(2, 21)  # a carousel holds 2 to 20 items
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
QUOTA_DURATION = 86400
_PATH = re.compile(r"^/v1\.0/(?P<rest>[^/]+(?:/[^/]+)?)$")
_GRAPHEME = regex.compile(r"\X")
_PICTOGRAPH = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")


def threads_count(text: str) -> int:
    """Threads' own count: a character is one, an emoji (a whole sequence) its UTF-8 bytes."""
    total = 0
    for cluster in _GRAPHEME.findall(text):
        total += len(cluster.encode("utf-8")) if _PICTOGRAPH.search(cluster) else 1
    return total


def graph_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class ThreadsServer(GraphServer):
    label = "Threads"

    def __init__(self, user_id: str = USER_ID, token: str = TOKEN) -> None:
        super().__init__(token)
        self.user_id = user_id
        self.containers: dict[str, dict[str, Any]] = {}
        self.container_faults: deque[str] = deque()
        self.quota_total = QUOTA_TOTAL
        self.image_polls = 1
        self.fail_images = False
        # Fetches an image URL as Threads does (the live site); None: every URL fetches fine.
        self.fetch: Callable[[str], bytes | None] | None = None

    # -- the test's side -------------------------------------------------------------------

    def add_post(
        self, text: str, link: str | None = None, created: datetime | None = None
    ) -> dict[str, Any]:
        """A post already on the profile."""
        with self._lock:
            container = self._container({"media_type": "TEXT", "text": text, "link": link})
            return self._publish(container, created or datetime.now(UTC))

    def reset(self) -> None:
        with self._lock:
            super().reset()
            self.containers.clear()
            self.container_faults.clear()
            self.quota_total = QUOTA_TOTAL
            self.image_polls = 1
            self.fail_images = False

    def inject_container_fault(self, fault: str) -> None:
        with self._lock:
            self.container_faults.append(fault)

    # -- the platform's side ---------------------------------------------------------------

    def graph_route(self, request: Request, params: Params) -> Response:
        match = _PATH.match(request.path)
        if not match:
            return graph_error(400, 2500, "Unknown path components: " + request.path)
        rest = match["rest"]
        mine = f"{self.user_id}/"
        if request.method == "POST" and rest == mine + "threads":
            return self._create_container(params)
        if request.method == "POST" and rest == mine + "threads_publish":
            return self._publish_container(params)
        if request.method == "GET" and rest == mine + "threads":
            return self._list(params)
        if request.method == "GET" and rest == mine + "threads_publishing_limit":
            return self._quota()
        if request.method == "GET" and "/" not in rest:
            return self._object(rest, params)
        return self.unknown_object(rest.split("/")[0], request.method)

    def _create_container(self, params: Params) -> Response:
        with self._lock:
            fault = self.container_faults.popleft() if self.container_faults else None
        answer = self.fault_before(fault)
        if answer is not None:
            return answer
        media_type = params.get("media_type")
        text = params.get("text") or ""
        if media_type not in ("TEXT", "IMAGE", "CAROUSEL"):
            return graph_error(
                400, 100, "Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}"
            )
        if threads_count(text) > MAX_TEXT:
            return graph_error(400, 100, f"Param text must be at most {MAX_TEXT} characters long.")
        link = params.get("link_attachment")
        image_url = params.get("image_url")
        carousel_item = (params.get("is_carousel_item") or "false").lower() == "true"
        alt = params.get("alt_text")
        if media_type == "TEXT" and not text:
            return graph_error(400, 100, "Param text is required for TEXT posts")
        if media_type != "TEXT" and link:
            return graph_error(400, 100, "Param link_attachment is only supported for TEXT posts")
        if media_type == "IMAGE" and not (image_url or "").startswith("https://"):
            return graph_error(400, 100, "Param image_url must be a valid public https URL")
        if alt is not None and len(alt) > MAX_ALT:
            return graph_error(400, 100, f"Param alt_text must be at most {MAX_ALT} characters.")
        if carousel_item and media_type != "IMAGE":
            return graph_error(400, 100, "Param is_carousel_item is for IMAGE or VIDEO items")
        if carousel_item and text:
            return graph_error(400, 100, "Carousel items take no text: give it to the carousel")
        children: list[dict[str, Any]] = []
        if media_type == "CAROUSEL":
            ids = [c for c in (params.get("children") or "").split(",") if c]
            with self._lock:
                children = [self.containers[c] for c in ids if c in self.containers]
            if len(ids) not in CAROUSEL_SIZES or len(children) != len(ids):
                return graph_error(400, 100, "Param children must name 2 to 20 item containers")
            if any(not c.get("carousel_item") or c["status"] != "FINISHED" for c in children):
                return graph_error(
                    400, 100, "Every child must be a finished carousel item (is_carousel_item)"
                )
            if any(c.get("in_carousel") for c in children):
                return graph_error(400, 100, "A carousel item belongs to one carousel only")
        fetched = self._fetch(image_url) if media_type == "IMAGE" else None
        with self._lock:
            container = self._container(
                {
                    "media_type": media_type,
                    "text": text,
                    "link": link,
                    "image_url": image_url,
                    "alt_text": alt,
                    "carousel_item": carousel_item,
                    "children": [c["id"] for c in children],
                    "data": fetched[0] if fetched else None,
                    "fetch_error": fetched[1] if fetched else None,
                }
            )
            for child in children:
                child["in_carousel"] = container["id"]
        self.fault_after(fault)
        return Response(200, {"id": container["id"]})

    def _fetch(self, url: str | None) -> tuple[bytes | None, str | None]:
        """What Threads gets from ``image_url``: the bytes, or why the container fails."""
        if self.fetch is None or url is None:
            return None, None
        data = self.fetch(url)
        if data is None:
            return None, "the image URL could not be fetched"
        if not data.startswith(IMAGE_MAGIC):
            return None, "the image is not a JPEG or PNG"
        if len(data) > MAX_IMAGE_BYTES:
            return None, f"the image is over {MAX_IMAGE_BYTES} bytes"
        return data, None

    def _container(self, fields: dict[str, Any]) -> dict[str, Any]:
        container_id = str(18000000000000000 + self.next_id())
        ready = fields["media_type"] in ("TEXT", "CAROUSEL")
        container = {
            **fields,
            "id": container_id,
            "status": "FINISHED" if ready else "IN_PROGRESS",
            "polls": 0,
        }
        self.containers[container_id] = container
        return container

    def _in_window(self) -> int:
        since = datetime.now(UTC) - timedelta(seconds=QUOTA_DURATION)
        return sum(1 for p in self.posts if p["published_at"] >= since)

    def _publish_container(self, params: Params) -> Response:
        error = self.take_error()
        if error is not None:
            return error
        fault = self.take_fault()
        answer = self.fault_before(fault)
        if answer is not None:
            return answer
        with self._lock:
            container = self.containers.get(params.get("creation_id") or "")
            if (
                container is None
                or container["status"] != "FINISHED"
                or container.get("carousel_item")
            ):
                return graph_error(
                    400,
                    24,
                    "The requested resource does not exist",
                    subcode=4279009,
                    error_type="THApiException",
                    user_title="Media Not Found",
                    user_msg=f"The media with id {params.get('creation_id')} cannot be found.",
                )
            if self._in_window() >= self.quota_total:
                return graph_error(
                    400,
                    9,
                    "Application request limit reached",
                    subcode=2207042,
                    user_title="Maximum number of posts reached",
                    user_msg="You reached the maximum number of posts that can be published "
                    "with the API in 24 hours.",
                )
            post = self._publish(container, datetime.now(UTC))
        self.fault_after(fault)
        return Response(200, {"id": post["id"]})

    def _publish(self, container: dict[str, Any], moment: datetime) -> dict[str, Any]:
        number = self.next_id()
        post = {
            "id": str(17900000000000000 + number),
            "container": container["id"],
            "media_type": container["media_type"],
            "text": container["text"],
            "link": container.get("link"),
            "image_url": container.get("image_url"),
            "alt_text": container.get("alt_text"),
            # What the post shows, in order: the image, or the carousel's images.
            "images": [
                {"url": c["image_url"], "alt": c["alt_text"], "data": c.get("data")}
                for c in (
                    [self.containers[i] for i in container.get("children") or []]
                    if container["media_type"] == "CAROUSEL"
                    else [container]
                    if container["media_type"] == "IMAGE"
                    else []
                )
            ],
            "published_at": moment,
            "timestamp": graph_time(moment),
            "permalink": f"https://www.threads.net/@{USERNAME}/post/C{number:010d}",
        }
        container["status"] = "PUBLISHED"
        self.posts.append(post)
        return post

    def _object(self, object_id: str, params: Params) -> Response:
        with self._lock:
            container = self.containers.get(object_id)
            if container is not None:
                if container["status"] == "IN_PROGRESS":
                    container["polls"] += 1
                    if container["polls"] > self.image_polls:
                        failed = self.fail_images or container.get("fetch_error")
                        container["status"] = "ERROR" if failed else "FINISHED"
                body = {"id": object_id, "status": container["status"]}
                if container["status"] == "ERROR":
                    body["error_message"] = container.get("fetch_error") or "UNKNOWN"
                return Response(200, body)
            post = next((p for p in self.posts if p["id"] == object_id), None)
        if post is None:
            return self.unknown_object(object_id)
        return Response(200, self._view(post, self.fields(params) or ["id"]))

    @staticmethod
    def _view(post: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        view: dict[str, Any] = {"id": post["id"]}
        for name in fields:
            if name == "link_attachment_url":
                if post["link"]:
                    view[name] = post["link"]
            elif name in ("text", "permalink", "timestamp", "media_type") and post.get(name):
                view[name] = post[name]
        return view

    def _list(self, params: Params) -> Response:
        limit = min(int(params.get("limit") or 25), 100)
        after = params.get("after")
        start = int(base64.b64decode(after).decode()) if after else 0
        with self._lock:
            newest_first = list(reversed(self.posts))
        chunk = newest_first[start : start + limit]
        fields = self.fields(params) or ["id"]
        body: dict[str, Any] = {"data": [self._view(p, fields) for p in chunk]}
        if chunk:
            end = base64.b64encode(str(start + len(chunk)).encode()).decode()
            body["paging"] = {"cursors": {"before": "MA==", "after": end}}
            if start + len(chunk) < len(newest_first):
                body["paging"]["next"] = (
                    f"{self.base_url}/v1.0/{self.user_id}/threads?access_token={self.token}"
                    f"&limit={limit}&after={end}"
                )
        return Response(200, body)

    def _quota(self) -> Response:
        with self._lock:
            usage = self._in_window()
        config = {"quota_total": self.quota_total, "quota_duration": QUOTA_DURATION}
        return Response(200, {"data": [{"quota_usage": usage, "config": config}]})
