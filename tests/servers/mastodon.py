"""A local Mastodon for the tests: the REST paths fanpage uses, with Mastodon's own rules.

Modelled on Mastodon 4.5 (``docs.joinmastodon.org`` and the server's code):

- ``GET /api/v1/instance`` and ``GET /api/v2/instance``: version, ``api_versions`` and
  ``configuration`` (``statuses.max_characters``, ``characters_reserved_per_url``,
  ``max_media_attachments``, ``media_attachments.description_limit``).
- ``POST /api/v1/statuses``: Bearer token; text counted as ``StatusLengthValidator`` counts
  (grapheme clusters of ``spoiler_text`` + text, where each ``http(s)://`` URL whose host ends
  in a TLD twitter-text knows becomes 23 characters and ``@user@domain`` becomes ``@user``),
  422 ``Validation failed: Text character limit of N exceeded``; ``Idempotency-Key`` remembered
  for an hour (the same key answers the earlier status and creates nothing); attachments must
  belong to the account, be unattached and processed; at most 4.
- ``POST /api/v2/media`` (multipart; description at most 1500 characters; an image type the
  file really is; at most 16 MB, ``image_size_limit``): 200 with a ``url``, or 202 with
  ``url: null`` for a file larger than ``large_file_bytes``, which ``GET /api/v1/media/:id``
  answers 206 for ``processing_polls`` checks before it is ready (200). ``POST
  /api/v1/media`` (deprecated, synchronous) too.
- ``GET /api/v1/accounts/verify_credentials`` and ``GET /api/v1/accounts/:id/statuses``
  (newest first, ``limit`` up to 40, ``max_id``/``since_id``), statuses in the ``Status``
  shape with HTML content as Mastodon's formatter writes it (links shortened on screen).
- Rate limits: 300 requests per token per 5 minutes, 30 uploads per 30 minutes, with
  ``X-RateLimit-Limit/Remaining/Reset`` (an ISO time) on every authenticated answer and
  429 ``{"error": "Too many requests"}`` past them.

The counting here is this file's own (not fanpage's), so a test can catch fanpage counting
wrongly. ``advance(seconds)`` moves the server's clock (idempotency keys and rate windows).
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import HTTP
from functools import cache
from typing import Any

import regex

from tests.conftest import SHARED
from tests.servers.base import Drop, Hold, PlatformServer, Request, Response

TOKEN = "mastodon-test-token-9f8e7d6c5b4a39281706"
ACCOUNT_ID = "109348721553011234"
VERSION = "4.5.2"
API_VERSION = 7
URL_PLACEHOLDER_CHARS = 23
MAX_DESCRIPTION_LENGTH = 1500
MEDIA_ATTACHMENTS_LIMIT = 4
IMAGE_SIZE_LIMIT = 16 * 1024 * 1024  # MediaAttachment::IMAGE_LIMIT
IDEMPOTENCY_TTL = 3600.0
REQUESTS_PER_WINDOW, REQUEST_WINDOW = 300, 300.0
UPLOADS_PER_WINDOW, UPLOAD_WINDOW = 30, 1800.0
IMAGE_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}

# -- StatusLengthValidator, written again from Mastodon's and twitter-text's rules -------------

# twitter-text: a URL may not follow a letter, digit, @, $ or # (valid_url_preceding_chars).
_URL_CANDIDATE = re.compile(r"(?<![A-Za-z0-9@＠$#＃])(https?)://", re.IGNORECASE)
# Characters a URL's host and path may hold (valid_general_url_path_chars: ASCII, Latin
# accents and Cyrillic; CJK or an emoji ends it).
_URL_CHAR = regex.compile(
    r"[!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z|~\u00c0-\u024f\u0400-\u04ff\u1e00-\u1eff]"
)
_HOST_LABEL = regex.compile(r"^[\p{L}\p{N}](?:[\p{L}\p{N}_\-]*[\p{L}\p{N}])?$")
_PATH_ENDING_JUNK = ".,;:!?'\"*"
# Account::MENTION_RE with USERNAME_RE: the domain part is dropped when counting.
_MENTION = re.compile(
    r"(?<![=/\w])@([a-z0-9_]+(?:[.\-]+[a-z0-9_]+)*)@(\w+(?:[.\-]+\w+)*)", re.IGNORECASE
)
_GRAPHEME = regex.compile(r"\X")
_HASHTAG = regex.compile(r"(?<![\p{L}\p{N}_/&])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)")


@cache
def known_tlds() -> frozenset[str]:
    lines = (SHARED / "data" / "twitter-text-tlds.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


def _valid_host(host: str) -> bool:
    host = re.sub(r":\d{1,5}$", "", host)
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return False
    return labels[-1].lower() in known_tlds()


def extract_urls(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, url)`` for each URL Mastodon would link (protocol required)."""
    found: list[tuple[int, int, str]] = []
    position = 0
    while True:
        match = _URL_CANDIDATE.search(text, position)
        if match is None:
            return found
        end = match.end()
        while end < len(text) and _URL_CHAR.match(text[end]):
            end += 1
        url = text[match.start() : end]
        # Trailing punctuation and an unbalanced closing parenthesis are not part of it.
        while url and (
            url[-1] in _PATH_ENDING_JUNK or (url[-1] == ")" and url.count("(") < url.count(")"))
        ):
            url = url[:-1]
        rest = url[match.end() - match.start() :]
        host = re.split(r"[/?#]", rest, maxsplit=1)[0]
        if host and _valid_host(host):
            found.append((match.start(), match.start() + len(url), url))
            position = match.start() + len(url)
        else:
            position = match.end()


def countable_text(text: str, url_chars: int = URL_PLACEHOLDER_CHARS) -> str:
    """``StatusLengthValidator#countable_text``: URLs as placeholders, mentions as ``@user``."""
    if not text.strip():
        return ""
    pieces: list[str] = []
    position = 0
    for start, end, _url in extract_urls(text):
        pieces.append(_MENTION.sub(r"@\1", text[position:start]))
        pieces.append("x" * url_chars)
        position = end
    pieces.append(_MENTION.sub(r"@\1", text[position:]))
    return "".join(pieces)


def status_length(text: str, spoiler_text: str = "", url_chars: int = URL_PLACEHOLDER_CHARS) -> int:
    """Grapheme clusters of ``spoiler_text`` joined to the countable text."""
    return len(_GRAPHEME.findall(spoiler_text + countable_text(text, url_chars)))


# -- TextFormatter, enough of it to write a status's HTML ---------------------------------------


def _link(url: str) -> str:
    scheme, _, rest = url.partition("://")
    prefix = scheme + "://"
    if rest.startswith("www."):
        prefix, rest = prefix + "www.", rest[4:]
    shown, hidden = rest[:30], rest[30:]
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{html.escape(prefix)}</span>'
        f'<span class="{"ellipsis" if hidden else ""}">{html.escape(shown)}</span>'
        f'<span class="invisible">{html.escape(hidden)}</span></a>'
    )


def _inline(text: str, domain: str) -> str:
    def tags(plain: str) -> str:
        out: list[str] = []
        position = 0
        for match in _HASHTAG.finditer(plain):
            out.append(html.escape(plain[position : match.start()]))
            name = match.group(1)
            out.append(
                f'<a href="https://{domain}/tags/{html.escape(name.lower())}" '
                f'class="mention hashtag" rel="tag">#<span>{html.escape(name)}</span></a>'
            )
            position = match.end()
        out.append(html.escape(plain[position:]))
        return "".join(out)

    out: list[str] = []
    position = 0
    for start, end, url in extract_urls(text):
        out.append(tags(text[position:start]))
        out.append(_link(url))
        position = end
    out.append(tags(text[position:]))
    return "".join(out)


def format_content(text: str, domain: str) -> str:
    """Paragraphs at blank lines, ``<br />`` at line ends, links and hashtags as anchors."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br />".join(_inline(line, domain) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{int(moment * 1000) % 1000:03d}Z"
    )


def _iso6(moment: float) -> str:
    return (
        datetime.fromtimestamp(moment, UTC)
        .isoformat(timespec="microseconds")
        .replace("+00:00", "Z")
    )


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(status, {"error": message}, headers or {})


def parse_multipart(request: Request) -> tuple[dict[str, str], dict[str, tuple[str, str, bytes]]]:
    """Form fields and files (name -> (file name, content type, bytes)) of a multipart body."""
    content_type = request.headers.get("content-type", "")
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + request.body
    )
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, str, bytes]] = {}
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[str(name)] = (filename, part.get_content_type(), payload)
        else:
            fields[str(name)] = payload.decode("utf-8")
    return fields, files


class MastodonServer(PlatformServer):
    """One Mastodon instance with one account, ``@band``."""

    label = "Mastodon"

    def __init__(
        self,
        token: str = TOKEN,
        domain: str = "musician.social",
        max_characters: int = 500,
        characters_reserved_per_url: int = URL_PLACEHOLDER_CHARS,
    ) -> None:
        super().__init__()
        self.token = token
        self.domain = domain
        self.max_characters = max_characters
        self.characters_reserved_per_url = characters_reserved_per_url
        self.large_file_bytes = 64 * 1024  # bigger uploads are processed in the background
        self.processing_polls = 1  # checks answered 206 before a background upload is ready
        self.rate_limit_reset_after = 1.0  # the injected 429: the window ends this much later
        self.proxy_retry_after: int | None = None  # a reverse proxy adding Retry-After to 429s
        self.echo_token_in_errors = False  # a proxy that echoes the Authorization header
        self.token_scopes = {"read", "write"}  # what the token was granted
        self.instance_v2_available = True  # False: a server older than 4.0 (404)
        self.listing_fails = False  # the account's statuses answer 500
        self.requests_per_window = REQUESTS_PER_WINDOW
        self.uploads_per_window = UPLOADS_PER_WINDOW
        self.clock_offset = 0.0
        self.media: dict[str, dict[str, Any]] = {}
        self.statuses: dict[str, dict[str, Any]] = {}  # id -> Status JSON
        self._idempotency: dict[str, tuple[str, float]] = {}
        self._counters: dict[tuple[str, int], int] = {}
        self._sequence = 0
        self.account: dict[str, Any] = {
            "id": ACCOUNT_ID,
            "username": "band",
            "acct": "band",
            "display_name": "Suara Senja",
            "locked": False,
            "bot": False,
            "discoverable": True,
            "group": False,
            "created_at": "2022-11-05T00:00:00.000Z",
            "note": "<p>Dream pop from Yogyakarta</p>",
            "url": f"https://{domain}/@band",
            "uri": f"https://{domain}/users/band",
            "avatar": f"https://{domain}/avatars/original/missing.png",
            "avatar_static": f"https://{domain}/avatars/original/missing.png",
            "header": f"https://{domain}/headers/original/missing.png",
            "header_static": f"https://{domain}/headers/original/missing.png",
            "followers_count": 1200,
            "following_count": 80,
            "statuses_count": 0,
            "last_status_at": None,
            "emojis": [],
            "fields": [],
        }

    # -- the test's side -------------------------------------------------------------------

    def now(self) -> float:
        return time.time() + self.clock_offset

    def advance(self, seconds: float) -> None:
        """Move the server's clock on (idempotency keys expire, rate windows roll)."""
        self.clock_offset += seconds

    # -- helpers ---------------------------------------------------------------------------

    def _next_id(self) -> str:
        with self._lock:
            self._sequence += 1
            return str((int(self.now() * 1000) << 16) | (self._sequence & 0xFFFF))

    def _authenticate(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        if not header:
            return _error(401, "This method requires an authenticated user")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or token != self.token:
            message = "The access token is invalid"
            if self.echo_token_in_errors:
                message += f" (got {header})"
            return self._unauthorized(message)
        if self.tokens_expired:
            return self._unauthorized("The access token expired")
        return None

    @staticmethod
    def _unauthorized(message: str) -> Response:
        challenge = (
            f'Bearer realm="Doorkeeper", error="invalid_token", error_description="{message}"'
        )
        return _error(401, message, {"WWW-Authenticate": challenge})

    def _rate_headers(self, limit: int, remaining: int, reset: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset": _iso6(reset),
        }

    def _throttled(self, headers: dict[str, str]) -> Response:
        if self.proxy_retry_after is not None:
            headers["Retry-After"] = str(self.proxy_retry_after)
        return _error(429, "Too many requests", headers)

    def _count(self, family: str, limit: int, window: float) -> tuple[dict[str, str], bool]:
        """Count one request in its fixed window: (rate headers, over the limit?)."""
        now = self.now()
        period = int(now // window)
        with self._lock:
            used = self._counters.get((family, period), 0) + 1
            self._counters[(family, period)] = used
        headers = self._rate_headers(limit, limit - used, (period + 1) * window)
        return headers, used > limit

    # -- routing ---------------------------------------------------------------------------

    def route(self, request: Request) -> Response:
        path = request.path.rstrip("/") or "/"
        method = request.method
        if method == "GET" and path == "/api/v1/instance":
            return Response(200, self.instance_v1())
        if method == "GET" and path == "/api/v2/instance":
            if not self.instance_v2_available:
                return _error(404, "Record not found")
            return Response(200, self.instance_v2())
        refused = self._authenticate(request)
        if refused is not None:
            return refused
        headers, over = self._count("api", self.requests_per_window, REQUEST_WINDOW)
        if over:
            return self._throttled(headers)
        needed = self._scope_for(method, path)
        if needed and not (needed & self.token_scopes):
            response = _error(403, "This action is outside the authorized scopes")
        elif method == "POST" and path in ("/api/v2/media", "/api/v1/media"):
            media_headers, over = self._count("media", self.uploads_per_window, UPLOAD_WINDOW)
            if over:
                return self._throttled(media_headers)
            response = self.upload(request, asynchronous=path.startswith("/api/v2"))
        elif method == "GET" and path.startswith("/api/v1/media/"):
            response = self.media_status(path.rsplit("/", 1)[1])
        elif method == "POST" and path == "/api/v1/statuses":
            response = self.create_status(request)
        elif method == "GET" and path == "/api/v1/accounts/verify_credentials":
            response = Response(200, {**self.account, "source": {"privacy": "public"}})
        elif method == "GET" and re.fullmatch(r"/api/v1/accounts/[^/]+/statuses", path):
            response = self.account_statuses(path.split("/")[4], request)
        else:
            response = _error(404, "Record not found")
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    @staticmethod
    def _scope_for(method: str, path: str) -> set[str]:
        """The scopes any one of which lets a token call ``method path``."""
        if path.startswith("/api/v1/media") or path.startswith("/api/v2/media"):
            return {"write", "write:media"}
        if method == "POST" and path == "/api/v1/statuses":
            return {"write", "write:statuses"}
        if path == "/api/v1/accounts/verify_credentials":
            return {"read", "read:accounts", "profile"}
        if path.startswith("/api/v1/accounts/"):
            return {"read", "read:statuses"}
        return set()

    # -- instance --------------------------------------------------------------------------

    def _configuration(self) -> dict[str, Any]:
        return {
            "urls": {"streaming": f"wss://{self.domain}"},
            "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
            "statuses": {
                "max_characters": self.max_characters,
                "max_media_attachments": MEDIA_ATTACHMENTS_LIMIT,
                "characters_reserved_per_url": self.characters_reserved_per_url,
            },
            "media_attachments": {
                "description_limit": MAX_DESCRIPTION_LENGTH,
                "image_matrix_limit": 33177600,
                "image_size_limit": IMAGE_SIZE_LIMIT,
                "supported_mime_types": sorted(IMAGE_TYPES),
                "video_frame_rate_limit": 120,
                "video_matrix_limit": 8294400,
                "video_size_limit": 103809024,
            },
            "polls": {
                "max_options": 4,
                "max_characters_per_option": 50,
                "min_expiration": 300,
                "max_expiration": 2629746,
            },
            "translation": {"enabled": False},
        }

    def instance_v2(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "title": "musician.social",
            "version": VERSION,
            "source_url": "https://github.com/mastodon/mastodon",
            "description": "A home for independent musicians",
            "usage": {"users": {"active_month": 4200}},
            "thumbnail": {"url": f"https://{self.domain}/packs/media/images/preview.png"},
            "languages": ["en", "id"],
            "configuration": self._configuration(),
            "registrations": {"enabled": False, "approval_required": True, "message": None},
            "api_versions": {"mastodon": API_VERSION},
            "contact": {"email": f"admin@{self.domain}", "account": None},
            "rules": [],
        }

    def instance_v1(self) -> dict[str, Any]:
        return {
            "uri": self.domain,
            "title": "musician.social",
            "short_description": "A home for independent musicians",
            "description": "",
            "email": f"admin@{self.domain}",
            "version": VERSION,
            "urls": {"streaming_api": f"wss://{self.domain}"},
            "stats": {"user_count": 9000, "status_count": 120000, "domain_count": 5000},
            "thumbnail": f"https://{self.domain}/packs/media/images/preview.png",
            "languages": ["en", "id"],
            "registrations": False,
            "approval_required": True,
            "invites_enabled": False,
            "configuration": self._configuration(),
            "contact_account": None,
            "rules": [],
        }

    # -- media -----------------------------------------------------------------------------

    def _media_json(self, media: dict[str, Any]) -> dict[str, Any]:
        base = f"https://files.{self.domain}/media_attachments/files/{media['id']}"
        return {
            "id": media["id"],
            "type": "image",
            "url": f"{base}/original/{media['file_name']}" if media["processed"] else None,
            "preview_url": f"{base}/small/{media['file_name']}",
            "remote_url": None,
            "preview_remote_url": None,
            "text_url": None,
            "meta": {"focus": {"x": 0.0, "y": 0.0}},
            "description": media["description"],
            "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
        }

    def upload(self, request: Request, asynchronous: bool) -> Response:
        fields, files = parse_multipart(request)
        if "file" not in files:
            return _error(422, "Validation failed: File can't be blank")
        file_name, content_type, data = files["file"]
        signatures = IMAGE_TYPES.get(content_type)
        if signatures is None or not data.startswith(signatures):
            return _error(422, "Validation failed: File content type is invalid, File is invalid")
        if len(data) > IMAGE_SIZE_LIMIT:
            return _error(422, "Validation failed: File file size must be less than 16 MB")
        description = fields.get("description") or None
        if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
            return _error(
                422,
                "Validation failed: Description is too long "
                f"(maximum is {MAX_DESCRIPTION_LENGTH} characters)",
            )
        background = asynchronous and len(data) > self.large_file_bytes
        media = {
            "id": self._next_id(),
            "file_name": file_name,
            "mime": content_type,
            "size": len(data),
            "data": data,
            "description": description,
            "processed": not background,
            "polls_left": self.processing_polls if background else 0,
            "status_id": None,
        }
        with self._lock:
            self.media[media["id"]] = media
        return Response(202 if background else 200, self._media_json(media))

    def media_status(self, media_id: str) -> Response:
        with self._lock:
            media = self.media.get(media_id)
            if media is None or media["status_id"] is not None:
                return _error(404, "Record not found")
            if not media["processed"]:
                if media["polls_left"] > 0:
                    media["polls_left"] -= 1
                    return Response(206, self._media_json(media))
                media["processed"] = True
            return Response(200, self._media_json(media))

    # -- statuses --------------------------------------------------------------------------

    @staticmethod
    def _status_params(request: Request) -> dict[str, Any]:
        content_type = request.headers.get("content-type", "")
        if "json" in content_type:
            data = request.json() or {}
            return {k: v for k, v in data.items()}
        form = request.form() if request.body else {}
        params: dict[str, Any] = {k: v[-1] for k, v in form.items()}
        params["media_ids"] = form.get("media_ids[]", [])
        return params

    def create_status(self, request: Request) -> Response:
        fault = self.take_fault()
        if fault == "unavailable":
            page = "<html><head><title>503 Service Temporarily Unavailable</title></head></html>"
            return Response(503, page, {"Content-Type": "text/html"})
        if fault == "server_error":
            return _error(500, "Internal Server Error")
        if fault == "rate_limit":
            reset = self.now() + self.rate_limit_reset_after
            return self._throttled(self._rate_headers(self.requests_per_window, 0, reset))
        if fault == "drop":
            raise Drop
        params = self._status_params(request)
        params["_fields"] = sorted(
            (request.json() or {})
            if "json" in request.headers.get("content-type", "")
            else request.form()
        )
        key = request.headers.get("idempotency-key")
        if key:
            with self._lock:
                earlier = self._idempotency.get(key)
            if earlier is not None and self.now() - earlier[1] < IDEMPOTENCY_TTL:
                return Response(200, self.statuses[earlier[0]])
        refused = self._validate(params)
        if refused is not None:
            return refused
        status = self._create(params, key)
        if fault == "accept_then_timeout":
            raise Hold
        if fault == "accept_then_drop":
            raise Drop
        return Response(200, status)

    def _validate(self, params: dict[str, Any]) -> Response | None:
        text = str(params.get("status") or "")
        spoiler = str(params.get("spoiler_text") or "")
        media_ids = [str(m) for m in params.get("media_ids") or []]
        if len(media_ids) > MEDIA_ATTACHMENTS_LIMIT:
            return _error(422, f"Cannot attach more than {MEDIA_ATTACHMENTS_LIMIT} files")
        attachable = [self.media[m] for m in media_ids if m in self.media]
        attachable = [m for m in attachable if m["status_id"] is None]
        if any(not m["processed"] for m in attachable):
            return _error(
                422, "Cannot attach files that have not finished processing. Try again in a moment!"
            )
        if not text.strip() and not attachable:
            return _error(422, "Validation failed: Text can't be blank")
        visibility = params.get("visibility") or "public"
        if visibility not in ("public", "unlisted", "private", "direct"):
            return _error(422, f"'{visibility}' is not a valid visibility")
        if status_length(text, spoiler, self.characters_reserved_per_url) > self.max_characters:
            return _error(
                422, f"Validation failed: Text character limit of {self.max_characters} exceeded"
            )
        return None

    def _create(self, params: dict[str, Any], key: str | None) -> dict[str, Any]:
        text = str(params.get("status") or "")
        language = str(params.get("language") or "")
        language = language.lower() if re.fullmatch(r"[A-Za-z]{2,3}", language) else "en"
        status_id = self._next_id()
        created = self.now()
        with self._lock:
            attached = [
                self.media[m]
                for m in (str(i) for i in params.get("media_ids") or [])
                if m in self.media and self.media[m]["status_id"] is None
            ]
            for media in attached:
                media["status_id"] = status_id
        status = {
            "id": status_id,
            "created_at": _iso(created),
            "in_reply_to_id": None,
            "in_reply_to_account_id": None,
            "sensitive": str(params.get("sensitive")) in ("1", "true", "True"),
            "spoiler_text": str(params.get("spoiler_text") or ""),
            "visibility": params.get("visibility") or "public",
            "language": language,
            "uri": f"https://{self.domain}/users/band/statuses/{status_id}",
            "url": f"https://{self.domain}/@band/{status_id}",
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "edited_at": None,
            "content": format_content(text, self.domain),
            "reblog": None,
            "application": {"name": "fanpage", "website": None},
            "account": self.account,
            "media_attachments": [self._media_json(m) for m in attached],
            "mentions": [],
            "tags": [
                {"name": t.lower(), "url": f"https://{self.domain}/tags/{t.lower()}"}
                for t in _HASHTAG.findall(text)
            ],
            "emojis": [],
            "card": None,
            "poll": None,
        }
        record = {
            "id": status_id,
            "text": text,
            "spoiler_text": status["spoiler_text"],
            "language": language,
            "visibility": status["visibility"],
            "idempotency_key": key,
            "media": [
                {
                    "id": m["id"],
                    "description": m["description"],
                    "mime": m["mime"],
                    "file_name": m["file_name"],
                    "size": m["size"],
                    "data": m["data"],
                }
                for m in attached
            ],
            "url": status["url"],
            "fields": params["_fields"],  # the parameters as sent
        }
        with self._lock:
            self.statuses[status_id] = status
            if key:
                self._idempotency[key] = (status_id, created)
            self.account["statuses_count"] += 1
            self.posts.append(record)
        return status

    def account_statuses(self, account_id: str, request: Request) -> Response:
        if account_id != ACCOUNT_ID:
            return _error(404, "Record not found")
        if self.listing_fails:
            return _error(500, "Internal Server Error")
        try:
            limit = min(40, max(1, int(request.param("limit") or 20)))
        except ValueError:
            limit = 20
        max_id = request.param("max_id")
        since_id = request.param("since_id")
        with self._lock:
            statuses = sorted(self.statuses.values(), key=lambda s: int(s["id"]), reverse=True)
        if max_id:
            statuses = [s for s in statuses if int(s["id"]) < int(max_id)]
        if since_id:
            statuses = [s for s in statuses if int(s["id"]) > int(since_id)]
        return Response(200, statuses[:limit])
