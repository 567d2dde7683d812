"""How each platform counts a post's length: pure functions, no network, property-tested.

Every platform counts differently, and a post counted wrongly is either refused (422, "too
long") or cut by us more than it needed to be. The rules, from each platform's documentation
and its reference code (``shared/notes/platform-rules.md``):

- Mastodon: grapheme clusters; every ``http(s)://`` URL on a known TLD counts as 23;
  ``@user@domain`` counts as ``@user``.
- X: twitter-text v3 weighted length: code points in U+0000-U+10FF and some punctuation weigh
  1, everything else 2; an emoji sequence 2; every URL (with or without ``https://``, on a
  known TLD) 23. Text is NFC-normalised first.
- Bluesky: grapheme clusters with URLs in full, and at most 3000 UTF-8 bytes.
- Threads: characters, with emoji counted as their UTF-8 bytes.
- LinkedIn, Telegram, Discord: UTF-16 code units (Java and JavaScript string lengths); LinkedIn
  after its "little text" escaping.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

Counter = Callable[[str], int]

URL_WEIGHT = 23  # characters_reserved_per_url (Mastodon), transformedURLLength (X)
ELLIPSIS = "…"

_GRAPHEME = regex.compile(r"\X")
# An emoji as twemoji parses one: emoji presentation, or made one by VS16, a keycap, a ZWJ
# sequence or a flag ("©" alone is text; "©️" is an emoji).
_EMOJI = regex.compile(r"[\p{Emoji_Presentation}\p{Regional_Indicator}\u20e3\ufe0f\u200d]")
# A URL as the platforms see one: a scheme (optional for X), a dotted host, then anything up to
# white space. Trailing punctuation is not part of it (twitter-text's valid_url_path_ending).
# Characters twitter-text's valid_url_path accepts (so a URL ends where Mastodon and X end it:
# "https://band.example/news/日本" is a URL followed by CJK text, not a longer URL).
_PATH_CHAR = (
    r"[a-z0-9\p{Cyrillic}\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
    r"!*';:=+,.$/%#\[\]\-\u2013_~&|@()?]"
)
_URL = regex.compile(
    r"(?<![\w@.\-/])"
    r"(?P<scheme>https?://)?"
    r"(?P<host>(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-_]*[\p{L}\p{N}])?\.)+(?P<tld>[\p{L}\p{N}\-]+))"
    r"(?P<port>:\d{1,5})?"
    r"(?P<rest>[/?#]" + _PATH_CHAR + r"*)?"
    r"(?!" + _PATH_CHAR + r")",
    regex.IGNORECASE,
)
_MENTION = regex.compile(r"(?<![\w@])(@[A-Za-z0-9_]+)@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_TRAILING_PUNCTUATION = ".,;:!?\"'’”)]*"


@cache
def known_tlds() -> frozenset[str]:
    """The TLDs twitter-text recognises (Mastodon uses the same list through its gem)."""
    text = resources.files("fanpage.crosspost").joinpath("data/twitter_text_tlds.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


@dataclass(frozen=True)
class UrlSpan:
    start: int  # code point offsets into the text
    end: int
    url: str


def find_urls(text: str, require_scheme: bool = True) -> list[UrlSpan]:
    """URLs the platforms recognise: the host ends in a known TLD.

    ``require_scheme=False`` also finds bare ``band.example/path`` the way X does (ASCII
    domains only).
    """
    spans: list[UrlSpan] = []
    tlds = known_tlds()
    for match in _URL.finditer(text):
        tld = match["tld"].lower()
        if tld not in tlds:
            continue
        if not match["scheme"]:
            if require_scheme:
                continue
            if not match["host"].isascii():
                continue  # without a scheme twitter-text links only ASCII domains
        url = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        spans.append(UrlSpan(match.start(), match.start() + len(url), url))
    return spans


def graphemes(text: str) -> list[str]:
    return _GRAPHEME.findall(text)


def grapheme_count(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def is_emoji(cluster: str) -> bool:
    return bool(_EMOJI.search(cluster))


def _without_urls(text: str, require_scheme: bool) -> Iterator[str | UrlSpan]:
    """The text in pieces: plain runs and the URLs between them."""
    position = 0
    for span in find_urls(text, require_scheme):
        if span.start > position:
            yield text[position : span.start]
        yield span
        position = span.end
    if position < len(text):
        yield text[position:]


def mastodon_length(text: str, url_weight: int = URL_WEIGHT) -> int:
    """Mastodon's StatusLengthValidator: graphemes, URLs as ``url_weight``, short mentions."""
    text = _MENTION.sub(r"\1", text)
    total = 0
    for piece in _without_urls(text, require_scheme=True):
        total += url_weight if isinstance(piece, UrlSpan) else grapheme_count(piece)
    return total


_X_LIGHT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x10FF),
    (0x2000, 0x200D),
    (0x2010, 0x201F),
    (0x2032, 0x2037),
)


def _x_weight(code_point: int) -> int:
    for low, high in _X_LIGHT_RANGES:
        if low <= code_point <= high:
            return 1
    return 2


def x_length(text: str) -> int:
    """twitter-text v3 ``parseTweet(text).weightedLength``."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    for piece in _without_urls(text, require_scheme=False):
        if isinstance(piece, UrlSpan):
            total += URL_WEIGHT
            continue
        for cluster in graphemes(piece):
            if is_emoji(cluster):
                total += 2
            else:
                total += sum(_x_weight(ord(char)) for char in cluster)
    return total


def bluesky_length(text: str) -> int:
    """Bluesky's limit is 300 graphemes (URLs in full); see also ``utf8_length``."""
    return grapheme_count(text)


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def threads_length(text: str) -> int:
    """Threads: one per character, an emoji as many as its UTF-8 bytes."""
    return sum(utf8_length(c) if is_emoji(c) else 1 for c in graphemes(text))


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


LINKEDIN_RESERVED = "\\|{}@[]()<>#*_~"


def linkedin_escape(text: str) -> str:
    """LinkedIn's "little text" format: reserved characters are backslash-escaped."""
    return "".join("\\" + c if c in LINKEDIN_RESERVED else c for c in text)


def linkedin_length(text: str) -> int:
    return utf16_length(linkedin_escape(text))


@dataclass(frozen=True)
class TextRules:
    """One platform's limit and how it counts against it."""

    limit: int
    count: Counter
    byte_limit: int | None = None  # Bluesky: also at most this many UTF-8 bytes
    name: str = ""

    def length(self, text: str) -> int:
        return self.count(text)

    def fits(self, text: str) -> bool:
        if self.byte_limit is not None and utf8_length(text) > self.byte_limit:
            return False
        return self.count(text) <= self.limit
