"""A stand-in for X's API as fanpage uses it through tweepy: API v2 tweets and users, the v1.1
media upload, OAuth 1.0a user context.

What it checks, with code of its own (not fanpage's, not oauthlib's):

- **OAuth 1.0a HMAC-SHA1** on every request: the consumer key and access token it knows,
  a fresh nonce, a timestamp within five minutes, and the signature over the RFC 5849 base
  string. The client re-points tweepy's requests to this server *after* signing them, so the
  base string is built for the original X URL, ``https://<X host><path>`` with the query (and
  any form body): X's hosts as tweepy names them (``api.twitter.com``, ``upload.twitter.com``)
  and as X documents them (``api.x.com``, ``upload.x.com``). A signature made for this
  server's own ``http://127.0.0.1`` URL is refused, as X would refuse one made for another URL.
- **twitter-text v3 weighted length** (:func:`weighted_length`): NFC; code points in U+0000-
  U+10FF, U+2000-U+200D, U+2010-U+201F, U+2032-U+2037 weigh 1, others 2; an emoji sequence 2;
  every URL (with a scheme, or without one on an ASCII domain) whose host ends in a TLD of
  twitter-text's list weighs 23; paths stop at characters twitter-text does not take (CJK,
  quotes) and lose trailing punctuation. More than 280 is refused as X refuses it (400
  "Invalid Request", or 403 with ``too_long_status``).
- **Duplicates**: the same text as one of the account's tweets is a 403 "duplicate content".
- **Uploads**: v1.1 ``media/upload`` (multipart, a real image, at most 5 MB) and
  ``media/metadata/create`` (alt text, at most 1000 characters), recorded in ``media``.
- **What X returns**: the tweet's text with every URL replaced by a ``https://t.co/...`` link
  (and a t.co link for attached media), ``entities.urls[].expanded_url`` when asked with
  ``tweet.fields=entities``, ``x-rate-limit-*`` headers, a 429 when the window is used up.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import hmac
import io
import itertools
import re
import time
import unicodedata
from typing import Any
from urllib.parse import quote, unquote

import regex
from PIL import Image as PILImage

from tests.conftest import SHARED
from tests.servers.base import Drop, Hold, PlatformServer, Request, Response

LIMIT = 280
URL_LENGTH = 23
TCO = "https://t.co/"
MAX_ALT = 1000
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_MEDIA = 4
CLOCK_SKEW = 300  # seconds an oauth_timestamp may be off
# The URLs the client may have signed for: X's hosts as tweepy and X's documentation name them.
SIGNED_ORIGINS = (
    "https://api.twitter.com",
    "https://api.x.com",
    "https://upload.twitter.com",
    "https://upload.x.com",
)

# -- twitter-text v3, as this server counts it -------------------------------------------------


def _load_tlds() -> frozenset[str]:
    lines = (SHARED / "data" / "twitter-text-tlds.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and line[0] != "#")


TLDS = _load_tlds()
_TLD_ALTERNATION = "|".join(regex.escape(t) for t in sorted(TLDS, key=len, reverse=True))
_LATIN = r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff"
_CYRILLIC = r"\u0400-\u04ff"
# Characters twitter-text allows in a path and a query, and those a path or query may end in.
_PATH_CHARS = rf"a-z0-9{_LATIN}{_CYRILLIC}!*';:=+,.$/%#\[\]\-\u2013_~&|@"
_PATH_END = regex.compile(rf"[a-z0-9{_LATIN}{_CYRILLIC}=_#/+\-]", regex.IGNORECASE)
_QUERY_CHARS = r"a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|"
_QUERY_END = regex.compile(r"[a-z0-9\-_&=#/]", regex.IGNORECASE)


def _tld(group: str) -> str:
    """A known TLD, not followed by what would make it a longer name."""
    return rf"(?P<{group}>{_TLD_ALTERNATION})(?![a-z0-9@+\-])"


_TAIL = (
    r"(?P<port>:[0-9]{1,5})?"
    rf"(?P<path>/(?:[{_PATH_CHARS}]|\([{_PATH_CHARS}]*\))*)?"
    rf"(?P<query>\?[{_QUERY_CHARS}]*)?"
)
# With a scheme the host may be any letters (an IDN); without one only an ASCII (or Latin)
# domain counts, wherever it starts: "中国語example.com" links "example.com".
_URL = regex.compile(
    r"(?<![a-z0-9@＠$#＃\u202a-\u202e])"
    r"(?:(?P<scheme>https?://)"
    r"(?P<host>(?:[\p{L}\p{N}](?:[\p{L}\p{N}_\-]*[\p{L}\p{N}])?\.)*"
    rf"[\p{{L}}\p{{N}}](?:[\p{{L}}\p{{N}}\-]*[\p{{L}}\p{{N}}])?\.{_tld('tld')})"
    rf"|(?<![\-_./])(?P<bare>(?:[a-z0-9{_LATIN}\-]+\.)+{_tld('bare_tld')}))" + _TAIL,
    regex.IGNORECASE,
)
_EMOJI = regex.compile(
    r"\p{Regional_Indicator}{2}"
    r"|[0-9#*]\ufe0f?\u20e3"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    r"|[\u00a9\u00ae\u2122\u265f]\ufe0f"  # emoji only in emoji presentation
    r"|(?![\u00a9\u00ae\u2122\u265f])\p{Extended_Pictographic}(?:\ufe0f|[\U0001f3fb-\U0001f3ff])*"
    r"(?:\u200d\p{Extended_Pictographic}(?:\ufe0f|[\U0001f3fb-\U0001f3ff])*)*"
)
_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def _trim(part: str, ending: regex.Pattern[str]) -> str:
    """A path or query without the trailing characters a URL cannot end in."""
    while part:
        last = part[-1]
        if ending.match(last) or (last == ")" and part.count("(") >= part.count(")")):
            return part
        part = part[:-1]
    return part


def url_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of every URL twitter-text links in ``text``."""
    spans = []
    for match in _URL.finditer(text):
        host = match["host"] or match["bare"]
        if any(len(label) > 63 for label in host.split(".")):
            continue  # not a DNS name
        path = _trim(match["path"] or "", _PATH_END)
        query = _trim(match["query"] or "", _QUERY_END) if path == (match["path"] or "") else ""
        if query == "?":
            query = ""
        url = (match["scheme"] or "") + host + (match["port"] or "") + path + query
        spans.append((match.start(), match.start() + len(url), url))
    return spans


def _plain_weight(text: str) -> int:
    total, position = 0, 0
    while position < len(text):
        emoji = _EMOJI.match(text, position)
        if emoji:
            total += 2
            position = emoji.end()
            continue
        code = ord(text[position])
        total += 1 if any(low <= code <= high for low, high in _LIGHT) else 2
        position += 1
    return total


def weighted_length(text: str) -> int:
    """twitter-text v3 ``parseTweet(text).weightedLength``, this server's own way."""
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for start, end, _ in url_spans(text):
        total += _plain_weight(text[position:start]) + URL_LENGTH
        position = end
    return total + _plain_weight(text[position:])


# -- OAuth 1.0a, as this server checks it ------------------------------------------------------


def percent(value: str) -> str:
    """RFC 5849 3.6: everything but unreserved characters, as %XX of its UTF-8."""
    return quote(value, safe="-._~")


def signature_base(method: str, url: str, params: list[tuple[str, str]]) -> str:
    pairs = sorted((percent(k), percent(v)) for k, v in params)
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    return "&".join((method.upper(), percent(url), percent(normalized)))


def hmac_sha1(base: str, consumer_secret: str, token_secret: str) -> str:
    key = f"{percent(consumer_secret)}&{percent(token_secret)}".encode()
    return base64.b64encode(hmac.new(key, base.encode(), hashlib.sha1).digest()).decode()


_AUTH_PARAM = re.compile(r'([A-Za-z_]+)="([^"]*)"')


def oauth_params(header: str) -> dict[str, str] | None:
    if not header.startswith("OAuth "):
        return None
    return {k: unquote(v) for k, v in _AUTH_PARAM.findall(header)}


# -- the server --------------------------------------------------------------------------------

V2_UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401,
                   "detail": "Unauthorized"}  # fmt: skip
V1_BAD_AUTH = {"errors": [{"code": 32, "message": "Could not authenticate you."}]}
V1_EXPIRED = {"errors": [{"code": 89, "message": "Invalid or expired token."}]}
DUPLICATE = {
    "detail": "You are not allowed to create a Tweet with duplicate content.",
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
}
TOO_LONG = (
    "Your Tweet text is too long. For more information on how X determines text length see "
    "https://github.com/twitter/twitter-text."
)
READ_ONLY = {
    "title": "Forbidden",
    "type": "https://api.twitter.com/2/problems/oauth1-permissions",
    "status": 403,
    "detail": "Your client app is not configured with the appropriate oauth1 app permissions "
    "for this endpoint.",
}
NOT_ENROLLED = {
    "client_id": "29310447",
    "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys "
    "and tokens from a Twitter developer App that is attached to a Project. You can create a "
    "project via the developer portal.",
    "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
    "title": "Client Forbidden",
    "required_enrollment": "Appropriate Level of API Access",
    "reason": "client-not-enrolled",
    "type": "https://api.twitter.com/2/problems/client-forbidden",
}


def _problem(status: int, title: str) -> dict[str, Any]:
    return {"title": title, "detail": title, "type": "about:blank", "status": status}


def _invalid(parameter: str, value: Any, message: str) -> Response:
    return Response(
        400,
        {
            "errors": [{"parameters": {parameter: [value]}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        },
    )


class XServer(PlatformServer):
    """X for one app and one user. Tests read ``posts``, ``media`` and ``requests``."""

    label = "X"

    def __init__(
        self,
        consumer_key: str = "xAppKey4Fanpage0000000001",
        consumer_secret: str = "xAppSecret4Fanpage000000000000000000000000000001",
        user_id: str = "1580000000000000001",
        username: str = "suarasenja",
        token_secret: str = "xTokenSecret4Fanpage0000000000000000000000001",
    ) -> None:
        super().__init__()
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.user_id = user_id
        self.username = username
        self.access_token = f"{user_id}-xAccessToken4Fanpage000000000001"
        self.token_secret = token_secret
        self.media: dict[str, dict[str, Any]] = {}  # media id -> what was uploaded
        self.too_long_status = 400  # X has answered both 400 and 403 for too long text
        self.read_only_app = False  # the app has only Read permission
        self.timeline_forbidden = False  # the API tier cannot read timelines
        self.echo_auth = False  # a 401 that echoes the Authorization header (redaction tests)
        self.window = 100  # tweets per rate-limit window
        self.window_remaining = self.window  # a test sets it to "reset" the window
        self.window_reset_in = 900  # seconds until the window resets, as x-rate-limit-reset says
        self._nonces: set[str] = set()
        self._ids = itertools.count(1)

    # -- the test's side -------------------------------------------------------------------

    def secrets(self) -> dict[str, str]:
        """The four FANPAGE_X_* values that sign requests this server accepts."""
        return {
            "FANPAGE_X_API_KEY": self.consumer_key,
            "FANPAGE_X_API_SECRET": self.consumer_secret,
            "FANPAGE_X_ACCESS_TOKEN": self.access_token,
            "FANPAGE_X_ACCESS_TOKEN_SECRET": self.token_secret,
        }

    def add_tweet(self, text: str) -> dict[str, Any]:
        """A tweet the account made some other way (e.g. by hand)."""
        with self._lock:
            return self._create(text, [], {"text": text})

    # -- authentication --------------------------------------------------------------------

    def _signed_params(self, request: Request, oauth: dict[str, str]) -> list[tuple[str, str]]:
        params = [(k, v) for k, v in oauth.items() if k not in ("oauth_signature", "realm")]
        params += [(k, v) for k, values in request.query.items() for v in values]
        if "x-www-form-urlencoded" in request.headers.get("content-type", ""):
            params += [(k, v) for k, values in request.form().items() for v in values]
        return params

    def _authenticate(self, request: Request) -> str | None:
        """None when the request is signed by the known app and user; else why not."""
        if self.tokens_expired:
            return "expired"
        oauth = oauth_params(request.headers.get("authorization", ""))
        if oauth is None:
            return "unsigned"
        if oauth.get("oauth_signature_method") != "HMAC-SHA1":
            return "method"
        if oauth.get("oauth_version", "1.0") != "1.0":
            return "version"
        if oauth.get("oauth_consumer_key") != self.consumer_key:
            return "consumer key"
        if oauth.get("oauth_token") != self.access_token:
            return "token"
        try:
            stamp = int(oauth.get("oauth_timestamp", ""))
        except ValueError:
            return "timestamp"
        if abs(time.time() - stamp) > CLOCK_SKEW:
            return "timestamp"
        nonce = oauth.get("oauth_nonce", "")
        if not nonce or nonce in self._nonces:
            return "nonce"
        params = self._signed_params(request, oauth)
        given = oauth.get("oauth_signature", "")
        for origin in SIGNED_ORIGINS:
            base = signature_base(request.method, origin + request.path, params)
            expected = hmac_sha1(base, self.consumer_secret, self.token_secret)
            if hmac.compare_digest(expected, given):
                self._nonces.add(nonce)
                return None
        return "signature"

    def _refusal(self, request: Request, why: str) -> Response:
        if request.path.startswith("/1.1/"):
            return Response(401, V1_EXPIRED if why == "expired" else V1_BAD_AUTH)
        body = dict(V2_UNAUTHORIZED)
        if self.echo_auth:
            body["detail"] = f"Unauthorized: {request.headers.get('authorization', '')}"
        return Response(401, body)

    # -- routes ----------------------------------------------------------------------------

    def route(self, request: Request) -> Response:
        with self._lock:
            why = self._authenticate(request)
            if why is not None:
                return self._refusal(request, why)
            path = request.path
            if request.method == "POST" and path == "/2/tweets":
                return self._post_tweet(request)
            if request.method == "GET" and path == "/2/users/me":
                return Response(200, {"data": self._user()})
            match = re.fullmatch(r"/2/users/(\d+)/tweets", path)
            if request.method == "GET" and match:
                return self._timeline(request, match[1])
            if request.method == "POST" and path == "/1.1/media/upload.json":
                return self._upload(request)
            if request.method == "POST" and path == "/1.1/media/metadata/create.json":
                return self._metadata(request)
            return Response(
                404,
                {
                    "title": "Not Found Error",
                    "detail": f"Sorry, that page does not exist: {path}",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                },
            )

    def _user(self) -> dict[str, str]:
        return {"id": self.user_id, "name": "Suara Senja", "username": self.username}

    def _window_headers(self) -> dict[str, str]:
        return {
            "x-rate-limit-limit": str(self.window),
            "x-rate-limit-remaining": str(self.window_remaining),
            "x-rate-limit-reset": str(int(time.time()) + self.window_reset_in),
        }

    def _post_tweet(self, request: Request) -> Response:
        fault = self.take_fault()
        if fault == "unavailable":
            return Response(503, _problem(503, "Service Unavailable"))
        if fault == "server_error":
            return Response(500, _problem(500, "Internal Server Error"))
        if fault == "drop":
            raise Drop
        if fault == "rate_limit" or self.window_remaining <= 0:
            headers = self._window_headers()
            headers["x-rate-limit-remaining"] = "0"
            return Response(429, _problem(429, "Too Many Requests"), headers)
        if self.read_only_app:
            return Response(403, READ_ONLY)
        body = request.json()
        if not isinstance(body, dict):
            return _invalid("body", None, "The request body is not a JSON object.")
        text = body.get("text")
        media_ids = (body.get("media") or {}).get("media_ids") or []
        if text is not None and not isinstance(text, str):
            return _invalid("text", text, "text must be a string.")
        if not text and not media_ids:
            return _invalid("text", text, "Tweet text or media is required.")
        if len(media_ids) > MAX_MEDIA or any(m not in self.media for m in media_ids):
            return _invalid("media.media_ids", media_ids, "Your media IDs are invalid.")
        text = text or ""
        if weighted_length(text) > LIMIT:
            if self.too_long_status == 403:
                return Response(
                    403,
                    {
                        "detail": TOO_LONG,
                        "type": "about:blank",
                        "title": "Forbidden",
                        "status": 403,
                    },
                )
            return _invalid("text", text, TOO_LONG)
        if any(post["text"] == unicodedata.normalize("NFC", text) for post in self.posts):
            return Response(403, DUPLICATE)
        post = self._create(text, media_ids, body)
        self.window_remaining -= 1
        if fault == "accept_then_timeout":
            raise Hold
        if fault == "accept_then_drop":
            raise Drop
        data = {
            "id": post["id"],
            "text": post["returned_text"],
            "edit_history_tweet_ids": [post["id"]],
        }
        return Response(201, {"data": data}, self._window_headers())

    def _tco(self) -> str:
        return TCO + hashlib.sha1(str(next(self._ids)).encode()).hexdigest()[:10]

    def _create(self, text: str, media_ids: list[str], body: dict[str, Any]) -> dict[str, Any]:
        tweet_id = str(1_860_000_000_000_000_000 + next(self._ids))
        text = unicodedata.normalize("NFC", text)  # X keeps (and returns) the text normalised
        pieces, urls, position = [], [], 0
        out_length = 0
        for start, end, url in url_spans(text):
            pieces.append(text[position:start])
            out_length += start - position
            short = self._tco()
            expanded = url if regex.match(r"https?://", url, regex.I) else "http://" + url
            display = regex.sub(r"^https?://", "", expanded, flags=regex.I)
            urls.append(
                {
                    "start": out_length,
                    "end": out_length + len(short),
                    "url": short,
                    "expanded_url": expanded,
                    "display_url": display if len(display) <= 26 else display[:26] + "…",
                }
            )
            pieces.append(short)
            out_length += len(short)
            position = end
        pieces.append(text[position:])
        returned = "".join(pieces)
        media = [dict(self.media[m]) for m in media_ids]
        if media:
            short = self._tco()
            start = len(returned) + 1
            returned = f"{returned} {short}" if returned else short
            urls.append(
                {
                    "start": start if text else 0,
                    "end": len(returned),
                    "url": short,
                    "expanded_url": f"https://x.com/{self.username}/status/{tweet_id}/photo/1",
                    "display_url": "pic.x.com/" + short[len(TCO) :],
                    "media_key": media[0]["media_key"],
                }
            )
        post = {
            "id": tweet_id,
            "text": text,
            "returned_text": returned,
            "urls": urls,
            "media": media,
            "body": body,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        }
        self.posts.append(post)
        return post

    def _timeline(self, request: Request, user_id: str) -> Response:
        if self.timeline_forbidden:
            return Response(403, NOT_ENROLLED)
        raw = request.query.get("max_results", ["10"])[0]
        if not raw.isdigit() or not 5 <= int(raw) <= 100:
            return _invalid(
                "max_results",
                raw,
                f"The `max_results` query parameter value [{raw}] is not between 5 and 100",
            )
        fields = set(",".join(request.query.get("tweet.fields", [""])).split(","))
        tweets = [p for p in reversed(self.posts)] if user_id == self.user_id else []
        tweets = tweets[: int(raw)]
        data = []
        for post in tweets:
            tweet: dict[str, Any] = {
                "id": post["id"],
                "text": post["returned_text"],
                "edit_history_tweet_ids": [post["id"]],
            }
            if "entities" in fields and post["urls"]:
                tweet["entities"] = {"urls": [dict(u) for u in post["urls"]]}
            if "created_at" in fields:
                tweet["created_at"] = post["created_at"]
            data.append(tweet)
        meta: dict[str, Any] = {"result_count": len(data)}
        if data:
            meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
            return Response(200, {"data": data, "meta": meta})
        return Response(200, {"meta": meta})

    def _upload(self, request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if "multipart/form-data" not in content_type:
            return Response(
                400, {"errors": [{"code": 38, "message": "media parameter is missing."}]}
            )
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + request.body
        )
        fields: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[str(name)] = part.get_payload(decode=True) or b""
        data = fields.get("media")
        if not data:
            return Response(
                400, {"errors": [{"code": 38, "message": "media parameter is missing."}]}
            )
        if len(data) > MAX_IMAGE_BYTES:
            return Response(
                400, {"errors": [{"code": 324, "message": "File size exceeds 5242880 bytes."}]}
            )
        try:
            with PILImage.open(io.BytesIO(data)) as image:
                image_type, (width, height) = PILImage.MIME[image.format], image.size
        except Exception:
            return Response(400, {"errors": [{"code": 324, "message": "media type unrecognized."}]})
        media_id = str(1_870_000_000_000_000_000 + next(self._ids))
        self.media[media_id] = {
            "media_id": media_id,
            "media_key": f"3_{media_id}",
            "type": image_type,
            "size": len(data),
            "data": data,
            "width": width,
            "height": height,
            "media_category": fields.get("media_category", b"").decode(),
            "alt": None,
        }
        return Response(
            200,
            {
                "media_id": int(media_id),
                "media_id_string": media_id,
                "media_key": f"3_{media_id}",
                "size": len(data),
                "expires_after_secs": 86400,
                "image": {"image_type": image_type, "w": width, "h": height},
            },
        )

    def _metadata(self, request: Request) -> Response:
        body = request.json() if "json" in request.headers.get("content-type", "") else None
        if not isinstance(body, dict):
            return Response(
                400, {"errors": [{"code": 38, "message": "media_id parameter is missing."}]}
            )
        media_id = str(body.get("media_id", ""))
        alt = (body.get("alt_text") or {}).get("text")
        if media_id not in self.media:
            return Response(400, {"errors": [{"code": 324, "message": "Invalid media id."}]})
        if not isinstance(alt, str) or len(alt) > MAX_ALT:
            return Response(
                400, {"errors": [{"code": 44, "message": "alt_text.text is too long."}]}
            )
        self.media[media_id]["alt"] = alt
        return Response(200, b"")
