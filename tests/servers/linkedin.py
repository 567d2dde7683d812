"""A local LinkedIn REST API: ``/rest/posts`` (create, list by author) and the Images API.

It answers as api.linkedin.com does for what fanpage uses:

- ``Authorization: Bearer`` (401 INVALID_ACCESS_TOKEN 65600 / EXPIRED_ACCESS_TOKEN 65601 /
  REVOKED_ACCESS_TOKEN 65602), ``LinkedIn-Version`` (400 VERSION_MISSING, 426
  NONEXISTENT_VERSION for a month it does not serve) and ``X-Restli-Protocol-Version: 2.0.0``;
- a post's author must be the organisation the token administers (403 ACCESS_DENIED);
- ``commentary`` is at most 3000 UTF-16 units as sent (counted here, not with fanpage's code:
  422 otherwise) and is read as "little text": what the page shows is recorded, cut at the
  first unescaped reserved character as LinkedIn cuts it;
- an article needs ``source`` and ``title``; its ``thumbnail`` must be an image URN that was
  initialised for the same owner and whose bytes were uploaded;
- an image post's ``content`` is ``media`` (one image) or ``multiImage.images`` (2 to 20),
  each an uploaded image URN of the organisation with an ``altText`` of at most 4086;
  ``content`` holds exactly one of article, media and multiImage; uploaded bytes must be a
  JPG, PNG or GIF of fewer than 36,152,320 pixels;
- ``POST /rest/images?action=initializeUpload`` answers an ``uploadUrl`` on this server, and
  a ``PUT`` of the bytes there completes the upload;
- a created post is 201 with its URN in ``x-restli-id``; ``GET /rest/posts?q=author`` lists
  the author's posts, newest first;
- throttling is 429 TOO_MANY_REQUESTS naming a DAY limit (LinkedIn's reset at midnight UTC),
  with no ``Retry-After`` unless ``retry_after_header`` is set.
"""

from __future__ import annotations

import io
import re
import time
from typing import Any

from PIL import Image as PILImage

from tests.servers.base import Drop, Hold, PlatformServer, Request, Response

TOKEN = "AQV8fanpage-test-linkedin-access-token-Zx91_kLmNoPqRsTuVwXyZ0123456789"
ORGANIZATION = "5515715"
COMMENTARY_LIMIT = 3000
# Versions this server serves: the twelve months up to November 2026 (LinkedIn keeps each
# version for about a year).
ACTIVE_VERSIONS = frozenset({"202512", *(f"2026{month:02d}" for month in range(1, 12))})
RESERVED = set("\\|{}@[]()<>#*_~")
HASHTAG_OPEN = "{hashtag|\\#|"
MULTI_IMAGE_SIZES = range(2, 21)  # content.multiImage: 2 to 20 images
ALT_LIMIT = 4086  # an image's altText
PIXEL_LIMIT = 36_152_320  # the Images API: an image of fewer pixels
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def utf16_units(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def read_little(commentary: str) -> tuple[str, list[str], bool]:
    """What LinkedIn shows for ``commentary``: the text, its hashtags, and whether it was cut."""
    shown: list[str] = []
    hashtags: list[str] = []
    i = 0
    while i < len(commentary):
        char = commentary[i]
        if char == "\\" and i + 1 < len(commentary):
            shown.append(commentary[i + 1])
            i += 2
            continue
        if commentary.startswith(HASHTAG_OPEN, i):
            end = i + len(HASHTAG_OPEN)
            word: list[str] = []
            while end < len(commentary) and commentary[end] != "}":
                if commentary[end] == "\\" and end + 1 < len(commentary):
                    end += 1
                word.append(commentary[end])
                end += 1
            if end >= len(commentary):
                return "".join(shown), hashtags, True
            hashtags.append("".join(word))
            shown.append("#" + "".join(word))
            i = end + 1
            continue
        if char in RESERVED:
            return "".join(shown), hashtags, True
        shown.append(char)
        i += 1
    return "".join(shown), hashtags, False


def _error(status: int, code: str, message: str, service_code: int | None = None) -> Response:
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    return Response(status, body)


def _image_items(content: Any) -> list[dict[str, Any]]:
    if not isinstance(content, dict):
        return []
    if "media" in content:
        return [content["media"]]
    return list((content.get("multiImage") or {}).get("images") or [])


class LinkedInServer(PlatformServer):
    """One organisation page and one member token that administers it."""

    label = "LinkedIn"

    def __init__(
        self,
        token: str = TOKEN,
        organization: str = ORGANIZATION,
        versions: frozenset[str] = ACTIVE_VERSIONS,
        echo_token: bool = False,
    ) -> None:
        super().__init__()
        self.token = token
        self.organization = organization
        self.versions = versions
        self.echo_token = echo_token  # error messages repeat the token (a leaky proxy)
        self.tokens_revoked = False
        self.retry_after_header: str | None = None
        self.upload_status = 201  # what a PUT of image bytes answers
        self.images: dict[str, dict[str, Any]] = {}  # urn -> owner, upload id, bytes
        self._uploads: dict[str, str] = {}  # upload id -> urn
        self._next = 7_300_000_000_000_000_000

    @property
    def author(self) -> str:
        return f"urn:li:organization:{self.organization}"

    def revoke_tokens(self) -> None:
        self.tokens_revoked = True

    def add_post(self, commentary: str, source: str | None = None) -> str:
        """A post made earlier (by hand, or by a run that crashed); its URN."""
        content = {"article": {"source": source, "title": "Earlier"}} if source else None
        return self._store({"commentary": commentary, "content": content})["id"]

    # -- checks every call passes ----------------------------------------------------------

    def _auth(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        given = header[len("Bearer ") :] if header.startswith("Bearer ") else ""
        echo = f" (token {given})" if self.echo_token and given else ""
        if given != self.token:
            return _error(401, "INVALID_ACCESS_TOKEN", "Invalid access token" + echo, 65600)
        if self.tokens_expired:
            return _error(
                401,
                "EXPIRED_ACCESS_TOKEN",
                "The token used in the request has expired" + echo,
                65601,
            )
        if self.tokens_revoked:
            return _error(
                401,
                "REVOKED_ACCESS_TOKEN",
                "The token used in the request has been revoked by the user" + echo,
                65602,
            )
        return None

    def _versioned(self, request: Request) -> Response | None:
        version = request.headers.get("linkedin-version")
        if not version:
            return _error(
                400,
                "VERSION_MISSING",
                "A version must be present. Please specify a version by adding the "
                "LinkedIn-Version header.",
            )
        if version not in self.versions:
            return _error(426, "NONEXISTENT_VERSION", f"Requested version {version} is not active")
        if request.headers.get("x-restli-protocol-version") != "2.0.0":
            return _error(400, "ILLEGAL_ARGUMENT", "Rest.li protocol version 2.0.0 is required")
        return None

    # -- routing ---------------------------------------------------------------------------

    def route(self, request: Request) -> Response:
        if request.method == "PUT" and request.path.startswith("/dms-uploads/"):
            return self._upload_bytes(request)
        problem = self._auth(request) or self._versioned(request)
        if problem is not None:
            return problem
        if request.path == "/rest/images" and request.method == "POST":
            if request.query.get("action") != ["initializeUpload"]:
                return _error(400, "ILLEGAL_ARGUMENT", "Unknown action")
            return self._initialize_upload(request)
        if request.path == "/rest/posts" and request.method == "POST":
            return self._create_post(request)
        if request.path == "/rest/posts" and request.method == "GET":
            return self._list_posts(request)
        return _error(404, "NOT_FOUND", f"No resource found for {request.method} {request.path}")

    # -- images ----------------------------------------------------------------------------

    def _initialize_upload(self, request: Request) -> Response:
        owner = ((request.json() or {}).get("initializeUploadRequest") or {}).get("owner")
        if owner != self.author:
            return _error(
                403, "ACCESS_DENIED", f"Not enough permissions to upload for {owner}", 100
            )
        with self._lock:
            self._next += 1
            upload_id = f"D4E10AQ{self._next}"
            urn = f"urn:li:image:{upload_id}"
            self.images[urn] = {"owner": owner, "data": None, "content_type": None}
            self._uploads[upload_id] = urn
        upload_url = (
            f"{self.base_url}/dms-uploads/{upload_id}/uploaded-image/0?ca=vector_ads&v=beta"
        )
        return Response(
            200,
            {
                "value": {
                    "uploadUrlExpiresAt": int(time.time() * 1000) + 86_400_000,
                    "uploadUrl": upload_url,
                    "image": urn,
                }
            },
        )

    def _upload_bytes(self, request: Request) -> Response:
        match = re.match(r"^/dms-uploads/([^/]+)/uploaded-image/0$", request.path)
        urn = self._uploads.get(match.group(1)) if match else None
        if urn is None:
            return _error(404, "NOT_FOUND", "Unknown upload")
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return _error(401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600)
        if self.upload_status >= 400:
            return Response(self.upload_status, b"")
        if not request.body.startswith(IMAGE_MAGIC):
            return _error(400, "BAD_REQUEST", "The uploaded file is not a JPG, PNG or GIF image")
        try:
            with PILImage.open(io.BytesIO(request.body)) as picture:
                pixels = picture.width * picture.height
        except Exception:
            return _error(400, "BAD_REQUEST", "The uploaded image cannot be read")
        if pixels >= PIXEL_LIMIT:
            return _error(400, "BAD_REQUEST", f"The image has {pixels} pixels; fewer than 36152320")
        self.images[urn].update(data=request.body, content_type=request.headers.get("content-type"))
        return Response(self.upload_status, b"")

    # -- posts -----------------------------------------------------------------------------

    def _invalid(self, body: Any) -> Response | None:
        if not isinstance(body, dict):
            return _error(400, "ILLEGAL_ARGUMENT", "The request body must be a JSON object")
        if body.get("author") != self.author:
            return _error(
                403,
                "ACCESS_DENIED",
                "Not enough permissions to access: partnerApiPostsExternal.CREATE.20261001",
                100,
            )
        for field, allowed in (
            ("visibility", {"PUBLIC", "CONNECTIONS", "LOGGED_IN"}),
            ("lifecycleState", {"PUBLISHED", "DRAFT"}),
        ):
            if body.get(field) not in allowed:
                return _error(422, "UNPROCESSABLE_ENTITY", f"/{field} is invalid")
        distribution = body.get("distribution")
        if not isinstance(distribution, dict) or distribution.get("feedDistribution") not in (
            "MAIN_FEED",
            "NONE",
        ):
            return _error(422, "UNPROCESSABLE_ENTITY", "/distribution/feedDistribution is required")
        commentary = body.get("commentary", "")
        if not isinstance(commentary, str):
            return _error(422, "UNPROCESSABLE_ENTITY", "/commentary must be a string")
        length = utf16_units(commentary)
        if length > COMMENTARY_LIMIT:
            return Response(
                422,
                {
                    "status": 422,
                    "code": "UNPROCESSABLE_ENTITY",
                    "message": f"ERROR :: /commentary :: length {length} exceeds "
                    f"maximum {COMMENTARY_LIMIT}",
                    "errorDetails": {
                        "inputErrors": [
                            {
                                "code": "MAX_LENGTH_EXCEEDED",
                                "input": {"inputPath": {"fieldPath": "commentary"}},
                            }
                        ]
                    },
                },
            )
        content = body.get("content")
        if content is not None:
            kinds = [k for k in ("article", "media", "multiImage") if k in (content or {})]
            if not isinstance(content, dict) or len(kinds) != 1 or len(content) != 1:
                return _error(
                    422,
                    "UNPROCESSABLE_ENTITY",
                    "/content must hold one article, media or multiImage",
                )
            if kinds[0] != "article":
                return self._invalid_images(content)
        article = (content or {}).get("article")
        if content is not None and not isinstance(article, dict):
            return _error(422, "UNPROCESSABLE_ENTITY", "/content/article must be an object")
        if article is not None:
            if not str(article.get("source", "")).startswith(("http://", "https://")):
                return _error(422, "UNPROCESSABLE_ENTITY", "/content/article/source is required")
            if not article.get("title"):
                return _error(422, "UNPROCESSABLE_ENTITY", "/content/article/title is required")
            thumbnail = article.get("thumbnail")
            if thumbnail is not None:
                image = self.images.get(thumbnail)
                if image is None or image["data"] is None or image["owner"] != self.author:
                    return _error(
                        400, "ILLEGAL_ARGUMENT", f"/content/article/thumbnail {thumbnail} not found"
                    )
        return None

    def _invalid_images(self, content: dict[str, Any]) -> Response | None:
        """``media`` (one image) or ``multiImage.images`` (2 to 20), each an uploaded image
        of this organisation with an ``altText`` of at most 4086 characters."""
        if "media" in content:
            items = [content["media"]]
            where = "/content/media"
        else:
            items = (content.get("multiImage") or {}).get("images")
            where = "/content/multiImage/images"
            if not isinstance(items, list) or len(items) not in MULTI_IMAGE_SIZES:
                return _error(422, "UNPROCESSABLE_ENTITY", f"{where} must hold 2 to 20 images")
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not str(item.get("id", "")).startswith(
                "urn:li:image:"
            ):
                return _error(422, "UNPROCESSABLE_ENTITY", f"{where}/{index}/id must be an image")
            image = self.images.get(item["id"])
            if image is None or image["data"] is None or image["owner"] != self.author:
                return _error(400, "ILLEGAL_ARGUMENT", f"{where}/{index}/id {item['id']} not found")
            alt = item.get("altText")
            if alt is not None and (not isinstance(alt, str) or len(alt) > ALT_LIMIT):
                return _error(
                    422, "UNPROCESSABLE_ENTITY", f"{where}/{index}/altText exceeds {ALT_LIMIT}"
                )
        return None

    def _create_post(self, request: Request) -> Response:
        body = request.json() if request.body else None
        invalid = self._invalid(body)
        if invalid is not None:
            return invalid

        fault = self.take_fault()
        if fault == "unavailable":
            return _error(503, "SERVICE_UNAVAILABLE", "Service Unavailable")
        if fault == "server_error":
            return _error(500, "INTERNAL_SERVER_ERROR", "Internal Server Error")
        if fault == "rate_limit":
            response = _error(
                429,
                "TOO_MANY_REQUESTS",
                "Resource level throttle MEMBER DAY limit for CALLS is reached",
                101,
            )
            if self.retry_after_header is not None:
                response.headers["Retry-After"] = self.retry_after_header
            return response
        if fault == "drop":
            raise Drop

        post = self._store(body, request.headers.get("linkedin-version"))
        if fault == "accept_then_timeout":
            raise Hold
        if fault == "accept_then_drop":
            raise Drop
        return Response(201, b"", {"x-restli-id": post["id"], "x-linkedin-id": post["id"]})

    def _store(self, body: dict[str, Any], version: str | None = None) -> dict[str, Any]:
        shown, hashtags, cut = read_little(body.get("commentary", ""))
        article = ((body.get("content") or {}).get("article")) or None
        image = self.images.get(article.get("thumbnail")) if article else None
        with self._lock:
            self._next += 1
            post = {
                "id": f"urn:li:share:{self._next}",
                "author": self.author,
                "body": body,
                "commentary": body.get("commentary", ""),
                "text": shown,
                "hashtags": hashtags,
                "cut": cut,
                "card": dict(article) if article else None,
                "image": image["data"] if image else None,
                "image_type": image["content_type"] if image else None,
                "alt": article.get("thumbnailAltText") if article else None,
                # An image post's images in order: (bytes, content type, alt text).
                "images": [
                    {
                        "data": self.images[item["id"]]["data"],
                        "content_type": self.images[item["id"]]["content_type"],
                        "alt": item.get("altText"),
                    }
                    for item in _image_items(body.get("content"))
                ],
                "version": version,
                "created_at": int(time.time() * 1000),
            }
            self.posts.append(post)
        return post

    def _list_posts(self, request: Request) -> Response:
        if request.query.get("q") != ["author"]:
            return _error(400, "ILLEGAL_ARGUMENT", "Unsupported finder")
        author = request.query.get("author", [""])[0]
        if author != self.author:
            return _error(403, "ACCESS_DENIED", f"Not enough permissions to read posts of {author}")
        count = int(request.query.get("count", ["10"])[0])
        mine = [p for p in reversed(self.posts) if p["author"] == author][:count]
        elements = [
            {
                "id": p["id"],
                "author": p["author"],
                "commentary": p["commentary"],
                "content": p["body"].get("content") if p.get("body") else None,
                "visibility": "PUBLIC",
                "lifecycleState": "PUBLISHED",
                "createdAt": p["created_at"],
            }
            for p in mine
        ]
        return Response(
            200, {"elements": elements, "paging": {"start": 0, "count": count, "links": []}}
        )
