"""LinkedIn organisation pages through the versioned REST API (``/rest/posts``), plain HTTP.

What LinkedIn needs, and why this module does what it does:

- Every call names an API version in ``LinkedIn-Version: YYYYMM`` and speaks Rest.li 2.0
  (``X-Restli-Protocol-Version: 2.0.0``). LinkedIn retires a version about a year after it
  came out and then answers 426, so the version is an option: ``DEFAULT_VERSION`` (October
  2026) is the default, and ``CROSSPOST["linkedin"]["version"]`` sets a newer month.
- ``commentary`` is "little text": the reserved characters ``\\ | { } @ [ ] ( ) < > # * _ ~``
  are backslash-escaped (unescaped, LinkedIn cuts the text at the first one) and a
  ``#hashtag`` is sent as the template ``{hashtag|\\#|hashtag}``. The 3000-character limit is
  counted here on the commentary as it is sent (UTF-16 units, escapes and templates
  included), which can only be stricter than LinkedIn's own count: :func:`commentary_length`.
- LinkedIn does not fetch the page, so the article card is sent whole (source, title,
  description, thumbnail). The thumbnail goes up first through the Images API:
  ``POST /rest/images?action=initializeUpload`` answers an ``uploadUrl`` and an image URN,
  then the bytes are ``PUT`` to that URL (the bearer token only to LinkedIn's own hosts).
- A gallery's photos (up to 4) go up the same way, each as a JPEG without metadata, and
  the post is an image post instead of an article: ``content.media`` (``id``, ``altText``)
  for one, ``content.multiImage.images`` for two to twenty. The link stays in the text.
- The created post's URN comes back in the ``x-restli-id`` header of the 201; a person opens
  it at ``https://www.linkedin.com/feed/update/<urn>/``.
- There is no idempotency key, but the page's recent posts can be listed
  (``GET /rest/posts?q=author``), so a post left pending after a timeout can be found.
- Access tokens last 60 days: an expired or revoked one is reported as such, naming
  ``FANPAGE_LINKEDIN_TOKEN``. Daily throttles reset at midnight UTC, which becomes the
  ``retry_after`` of a 429 that names a DAY limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from fanpage.crosspost.counting import LINKEDIN_RESERVED, linkedin_escape, utf16_length
from fanpage.crosspost.http import HttpNetwork, describe, json_object, retry_after, status_error
from fanpage.crosspost.media import JPEG, clip_alt, jpeg_for
from fanpage.crosspost.network import (
    CannotTell,
    CredentialsError,
    Draft,
    Image,
    LinkCard,
    Posted,
    PostError,
    Rejected,
    Transient,
)
from fanpage.crosspost.secrets import redact

if TYPE_CHECKING:
    import requests

TOKEN_VARIABLE = "FANPAGE_LINKEDIN_TOKEN"
DEFAULT_VERSION = "202610"  # LinkedIn-Version: October 2026; retired by LinkedIn about 2027-10
RESTLI_PROTOCOL = "2.0.0"
LIMIT = 3000
MAX_IMAGES = 20  # a multiImage post holds 2 to 20 images
MAX_ALT = 4086  # characters of an image's altText (Posts API)
# The Images API limits pixels (36,152,320), not bytes; uploads are kept under 5 MB, as
# publishing tools keep them for LinkedIn, and 6000 px a side (36 megapixels).
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 6000
RECENT_POSTS = 20
POST_URL = "https://www.linkedin.com/feed/update/{urn}/"
HASHTAG_TEMPLATE = "{{hashtag|\\#|{word}}}"
# A hashtag as LinkedIn recognises one: "#", then letters and digits (at least one letter),
# at the start of the text or after white space (never the "#" of a URL's fragment).
_HASHTAG = re.compile(r"(?<!\S)#([^\W_]*[^\W\d_][^\W_]*)")
_VERSION = re.compile(r"^(\d{4})(\d{2})$")
_DIGITS = re.compile(r"^\d+$")
_TRUSTED_UPLOAD_HOSTS = ("linkedin.com", "licdn.com")


# -- pure helpers ----------------------------------------------------------------------------


def commentary(text: str) -> str:
    """``text`` in LinkedIn's little text format: reserved characters escaped, hashtags as
    hashtag templates."""
    pieces: list[str] = []
    position = 0
    for match in _HASHTAG.finditer(text):
        pieces.append(linkedin_escape(text[position : match.start()]))
        pieces.append(HASHTAG_TEMPLATE.format(word=linkedin_escape(match.group(1))))
        position = match.end()
    pieces.append(linkedin_escape(text[position:]))
    return "".join(pieces)


def commentary_length(text: str) -> int:
    """What LinkedIn's 3000 applies to, counted on the commentary as sent (UTF-16 units)."""
    return utf16_length(commentary(text))


def unescape(little: str) -> str:
    """The plain text of escaped little text (hashtag templates left as they are)."""
    return re.sub(r"\\([" + re.escape(LINKEDIN_RESERVED) + "])", r"\1", little)


def organization_urn(organization: str) -> str:
    return f"urn:li:organization:{organization}"


def article(card: LinkCard, thumbnail: str | None, alt: str | None) -> dict[str, Any]:
    """The ``content.article`` of a post: LinkedIn shows exactly this card."""
    result: dict[str, Any] = {"source": card.url, "title": card.title}
    if card.description:
        result["description"] = card.description
    if thumbnail:
        result["thumbnail"] = thumbnail
        if alt:
            result["thumbnailAltText"] = alt
    return result


def images_content(images: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """``content`` for uploaded images ``(urn, alt)``: ``media`` for one, ``multiImage`` for
    two to twenty, each alt text clipped to LinkedIn's 4086 characters at a word."""
    described = [{"id": urn, "altText": clip_alt(alt, MAX_ALT)} for urn, alt in images]
    if len(described) == 1:
        return {"media": described[0]}
    return {"multiImage": {"images": described}}


def post_body(author: str, text: str, content: Mapping[str, Any] | None) -> dict[str, Any]:
    """The JSON of ``POST /rest/posts`` for a public post on the organisation's page."""
    body: dict[str, Any] = {
        "author": author,
        "commentary": commentary(text),
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    if content:
        body["content"] = dict(content)
    return body


def post_url(urn: str) -> str:
    return POST_URL.format(urn=urn)


def seconds_to_midnight_utc(now: datetime | None = None) -> float:
    """LinkedIn's daily limits reset at midnight UTC."""
    now = now or datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()


def last_month(now: datetime | None = None) -> str:
    """A version LinkedIn serves at ``now`` (versions come out monthly): ``YYYYMM``."""
    now = now or datetime.now(UTC)
    first = now.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}{first.month:02d}"


def _same_url(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def mentions_url(element: Mapping[str, Any], url: str) -> bool:
    """Whether a listed post is the one for ``url``: its article, or its commentary."""
    content = element.get("content")
    if isinstance(content, Mapping):
        source = (content.get("article") or {}).get("source")
        if isinstance(source, str) and _same_url(source, url):
            return True
    text = element.get("commentary")
    return isinstance(text, str) and url.rstrip("/") in unescape(text)


def _check_organization(value: Any) -> None:
    if isinstance(value, bool) or not _DIGITS.match(str(value)):
        hint = ""
        if isinstance(value, str) and value.startswith("urn:li:organization:"):
            hint = f' (write "{value.rsplit(":", 1)[1]}", without "urn:li:organization:")'
        raise ValueError(
            f'"organization" must be the page\'s number, e.g. "5515715" (from the admin URL '
            f"linkedin.com/company/5515715/admin), not {value!r}{hint}"
        )


def _check_version(value: Any) -> None:
    match = _VERSION.match(str(value)) if isinstance(value, (str, int)) else None
    if (
        isinstance(value, bool)
        or match is None
        or not 1 <= int(match[2]) <= 12
        or int(match[1]) < 2022
    ):
        raise ValueError(
            f'"version" must be a LinkedIn API version "YYYYMM", e.g. "{DEFAULT_VERSION}", '
            f"not {value!r}"
        )


# -- the network -----------------------------------------------------------------------------


class LinkedIn(HttpNetwork):
    """An organisation page's posts, with the article card built by fanpage."""

    name = "linkedin"
    label = "LinkedIn"
    secrets = (TOKEN_VARIABLE,)
    default_api_base = "https://api.linkedin.com"
    required_options = ("organization",)
    optional_options = ("version",)
    limit = LIMIT
    count = staticmethod(commentary_length)
    remember_secrets = True
    idempotent = False
    can_find_earlier = True
    # A gallery's photos go as a single-image or multi-image post (then without the card).
    takes_images = True

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        if "organization" in options:
            _check_organization(options["organization"])
        if "version" in options:
            _check_version(options["version"])

    @property
    def organization(self) -> str:
        return str(self.config.options["organization"])

    @property
    def version(self) -> str:
        return str(self.config.options.get("version") or DEFAULT_VERSION)

    @property
    def author(self) -> str:
        return organization_urn(self.organization)

    # -- HTTP --------------------------------------------------------------------------------

    def _headers(self, **extra: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.required_secret(TOKEN_VARIABLE)}",
            "LinkedIn-Version": self.version,
            "X-Restli-Protocol-Version": RESTLI_PROTOCOL,
            **extra,
        }

    def _failure(self, response: requests.Response, doing: str) -> PostError:
        """What a non-success answer means, as a PostError with no secret in it."""
        status = response.status_code
        error = json_object(response)
        code = str(error.get("code") or "")
        said = redact(str(error.get("message") or "")) or describe(response)
        if status == 429:
            wait = retry_after(response.headers)
            if wait is None and "DAY" in said:
                wait = seconds_to_midnight_utc()
            return Transient(f"LinkedIn: rate limited while {doing} ({said})", wait)
        transient = status_error(response, self.label)
        if transient is not None:
            return transient
        if status == 401:
            return CredentialsError(self._token_problem(code, error, said), TOKEN_VARIABLE)
        if status == 403:
            return CredentialsError(
                f"LinkedIn: {doing} refused for organization {self.organization}: the token in "
                f"{TOKEN_VARIABLE} must have the w_organization_social permission and belong "
                f"to an administrator of the page ({said})",
                TOKEN_VARIABLE,
            )
        if status == 426 or code == "NONEXISTENT_VERSION":
            return Rejected(
                f"LinkedIn does not serve API version {self.version} ({said}); set "
                f'CROSSPOST["linkedin"]["version"] to a recent month, e.g. "{last_month()}"'
            )
        return Rejected(f"LinkedIn: {doing} refused: {describe(response)}")

    def _token_problem(self, code: str, error: Mapping[str, Any], said: str) -> str:
        service_code = error.get("serviceErrorCode")
        if code == "EXPIRED_ACCESS_TOKEN" or service_code == 65601:
            what = "has expired"
        elif code == "REVOKED_ACCESS_TOKEN" or service_code == 65602:
            what = "was revoked"
        else:
            what = "is not valid"
        return (
            f"LinkedIn says the token in {TOKEN_VARIABLE} {what} ({said}); LinkedIn tokens last "
            f"60 days: create a new one for the app (with w_organization_social) and update "
            f"{TOKEN_VARIABLE}"
        )

    # -- images ------------------------------------------------------------------------------

    def _trusted_upload(self, upload_url: str) -> bool:
        """Only LinkedIn's own hosts (or the configured API's) are sent the bearer token."""
        target = urlsplit(upload_url)
        base = urlsplit(self.config.api_base)
        if (target.scheme, target.netloc) == (base.scheme, base.netloc):
            return True
        host = (target.hostname or "").lower()
        return target.scheme == "https" and any(
            host == h or host.endswith("." + h) for h in _TRUSTED_UPLOAD_HOSTS
        )

    def upload_image(self, image: Image) -> str:
        """Upload one image for the organisation; its ``urn:li:image:...``.

        Nothing has been posted yet when this fails, so a Transient here is never maybe_sent.
        """
        data = jpeg_for(image, self.label, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE).data
        try:
            response = self._http().send(
                "POST",
                "/rest/images?action=initializeUpload",
                json={"initializeUploadRequest": {"owner": self.author}},
                headers=self._headers(),
            )
            if response.status_code != 200:
                raise self._failure(response, "uploading the image")
            value = json_object(response).get("value") or {}
            upload_url, urn = value.get("uploadUrl"), value.get("image")
            if not isinstance(upload_url, str) or not isinstance(urn, str):
                raise Transient("LinkedIn: the image upload was answered without an uploadUrl")
            headers = {"Content-Type": JPEG}
            if self._trusted_upload(upload_url):
                headers["Authorization"] = f"Bearer {self.required_secret(TOKEN_VARIABLE)}"
            uploaded = self._http().send("PUT", upload_url, data=data, headers=headers)
            if uploaded.status_code not in (200, 201):
                raise self._failure(uploaded, "uploading the image")
        except Transient as exc:
            raise exc.not_sent() from None
        return urn

    # -- posting -----------------------------------------------------------------------------

    def _content(self, draft: Draft) -> dict[str, Any] | None:
        if draft.images:
            images = [(self.upload_image(image), image.alt) for image in draft.images[:MAX_IMAGES]]
            return images_content(images)
        card = draft.card
        if card is None:
            return None
        image = card.image
        thumbnail = self.upload_image(image) if image else None
        return {"article": article(card, thumbnail, image.alt if image else None)}

    def post(self, draft: Draft) -> Posted:
        body = post_body(self.author, draft.text, self._content(draft))
        response = self._http().send("POST", "/rest/posts", json=body, headers=self._headers())
        if response.status_code != 201:
            raise self._failure(response, "posting")
        urn = response.headers.get("x-restli-id") or response.headers.get("x-linkedin-id")
        if not urn:
            # Created (201) but not named: never report a failure, a retry would duplicate it.
            return Posted(id="", url=None, data={"note": "LinkedIn answered 201 without an id"})
        return Posted(id=urn, url=post_url(urn))

    def find_earlier(self, draft: Draft) -> Posted | None:
        """The page's recent posts (newest first) searched for the entry's URL."""
        path = f"/rest/posts?q=author&author={quote(self.author, safe='')}&count={RECENT_POSTS}"
        try:
            response = self._http().send(
                "GET", path, headers=self._headers(**{"X-RestLi-Method": "FINDER"})
            )
            if response.status_code != 200:
                raise self._failure(response, "listing the page's posts")
        except PostError as exc:
            message = f"LinkedIn: cannot list the page's recent posts: {exc.message}"
            raise CannotTell(message) from None
        elements = json_object(response).get("elements")
        if not isinstance(elements, list):
            raise CannotTell("LinkedIn: the list of recent posts was not understood")
        for element in elements:
            if isinstance(element, Mapping) and mentions_url(element, draft.url):
                urn = str(element.get("id") or "")
                if urn:
                    return Posted(id=urn, url=post_url(urn))
        return None
