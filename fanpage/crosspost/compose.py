"""Composing a post: templates, per-platform counting, truncation. Pure functions only.

An :class:`Announcement` holds what one post says, in the entry's language; :func:`compose`
turns it into a :class:`~fanpage.crosspost.network.Draft` that fits one network's limit as
that network counts it. When the text is too long, the summary is shortened at a word
boundary with an ellipsis, then the list of dates, then the title; the URL and the hashtags
are never cut (whole hashtags are dropped, last first, only when nothing else is left to
shorten). Text the artist wrote themselves (``crosspost_text``) is never shortened: when it
does not fit, composing fails with a message naming the file and line.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import regex

from fanpage.crosspost.counting import ELLIPSIS, TextRules, graphemes
from fanpage.crosspost.network import Draft, Image, LinkCard

# Entry types a template can be given for, and the placeholders a template may use.
TEMPLATE_KINDS: tuple[str, ...] = (
    "news",
    "album",
    "tour",
    "gallery",
    "new_dates",
    "change",
    "page",
)
TEMPLATE_FIELDS: tuple[str, ...] = (
    "title",
    "summary",
    "url",
    "hashtags",
    "artist",
    "release_type",
    "dates",
    "count",
    "change",
    "headline",
)
# The default templates; words in them come translated through ``headline`` (a template of
# its own, e.g. "New {release_type}: {title}", so that a shortened title shortens it too).
DEFAULT_TEMPLATES: dict[str, str] = {
    "news": "{title}\n\n{summary}\n\n{url}\n\n{hashtags}",
    "album": "{headline}\n\n{summary}\n\n{url}\n\n{hashtags}",
    "tour": "{headline}\n{dates}\n\n{summary}\n\n{url}\n\n{hashtags}",
    "gallery": "{title}\n\n{summary}\n\n{url}\n\n{hashtags}",
    "new_dates": "{headline}: {dates}\n\n{title}\n{url}\n\n{hashtags}",
    "change": "{change}: {title}, {dates}\n\n{url}\n\n{hashtags}",
    "page": "{title}\n\n{summary}\n\n{url}\n\n{hashtags}",
}
# Shortened in this order until the text fits.
SHORTENABLE: tuple[str, ...] = ("summary", "dates", "title")

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_NOT_HASHTAG = regex.compile(r"[^\p{L}\p{N}_]+")
_BLANK_RUN = re.compile(r"\n{3,}")


class ComposeError(Exception):
    """The post cannot be made to fit (the artist's own text is too long, say)."""


@dataclass(frozen=True)
class Announcement:
    """What one post announces: the facts the templates fill in, in the entry's language."""

    kind: str  # one of TEMPLATE_KINDS
    keys: tuple[str, ...]  # ledger keys this post settles (entry uid, or show uids)
    uid: str  # the entry's uid
    title: str
    url: str
    lang: str
    created_at: datetime
    summary: str = ""
    tags: tuple[str, ...] = ()
    headline: str = ""  # translated template: "New {release_type}: {title}", "2 new dates"
    dates: tuple[str, ...] = ()  # "Jakarta 12 Dec", one per show
    more_dates: str = "+{n} more"  # translated: what stands for dates left out
    change: str = ""  # "Cancelled"
    artist: str = ""
    release_type: str = ""
    custom_text: Mapping[str, str] = field(default_factory=dict)  # network or "*" -> text
    image: Image | None = None  # its share image (own image or drawn card)
    # A gallery's photos to attach (at most 4, each with its alt text and public URL).
    photos: tuple[Image, ...] = ()
    source: str = ""  # path:line, for messages

    @property
    def count(self) -> int:
        return len(self.dates)


def hashtag(tag: str) -> str | None:
    """A tag as a hashtag word: "dream pop" -> "DreamPop"; None when nothing is left."""
    words = [w for w in _NOT_HASHTAG.split(tag) if w]
    if not words:
        return None
    word = words[0] if len(words) == 1 else "".join(w[:1].upper() + w[1:] for w in words)
    return word if any(c.isalpha() for c in word) else None


def hashtags_for(tags: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    """Entry tags then the network's own hashtags, each once (case-insensitively)."""
    seen: set[str] = set()
    result: list[str] = []
    for tag in (*tags, *extra):
        word = hashtag(tag)
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            result.append(word)
    return tuple(result)


def break_points(text: str) -> list[int]:
    """Code point offsets where ``text`` may be cut without ending inside a word or cluster.

    Before white space, and between two CJK characters (written without spaces).
    """
    points: list[int] = []
    position = 0
    clusters = graphemes(text)
    for index, cluster in enumerate(clusters):
        if index and (
            cluster.isspace() or (_CJK.match(cluster) and _CJK.match(clusters[index - 1]))
        ):
            points.append(position)
        position += len(cluster)
    return points


def shortened(text: str, cut: int) -> str:
    """``text`` cut at break point ``cut`` (an offset), trailing punctuation off, then "…"."""
    head = text[:cut].rstrip().rstrip(",;:–—-")
    return f"{head}{ELLIPSIS}" if head else ""


class _Template(string.Formatter):
    """Fills known placeholders; leaves any other brace text as the artist wrote it."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values

    def render(self, template: str) -> str:
        pieces: list[str] = []
        for literal, name, _spec, _conv in self.parse(template):
            pieces.append(literal)
            if name is None:
                continue
            if name in self.values:
                pieces.append(self.values[name])
            else:
                pieces.append("{" + name + "}")
        return "".join(pieces)


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill the template, drop lines left empty by empty fields, tidy blank lines."""
    values = {**values, "headline": _Template(values).render(values.get("headline", ""))}
    try:
        text = _Template(values).render(template)
    except ValueError:  # unbalanced braces in the artist's own text: take it literally
        text = template
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    return _BLANK_RUN.sub("\n\n", text)


def template_for(
    announcement: Announcement, network: str, setting: str | Mapping[str, str] | None
) -> tuple[str, bool]:
    """The template to fill and whether it is the artist's own text (never shortened)."""
    custom = announcement.custom_text.get(network) or announcement.custom_text.get("*")
    if custom and announcement.kind not in ("new_dates", "change"):
        return custom, True
    if isinstance(setting, str):
        return setting, False
    if isinstance(setting, Mapping) and announcement.kind in setting:
        return setting[announcement.kind], False
    return DEFAULT_TEMPLATES[announcement.kind], False


def values_of(announcement: Announcement, hashtags: tuple[str, ...]) -> dict[str, str]:
    return {
        "title": announcement.title,
        "summary": announcement.summary,
        "url": announcement.url,
        "hashtags": " ".join(f"#{h}" for h in hashtags),
        "artist": announcement.artist,
        "release_type": announcement.release_type,
        "dates": ", ".join(announcement.dates),
        "count": str(announcement.count),
        "change": announcement.change,
        "headline": announcement.headline,
    }


def fit(
    template: str, values: dict[str, str], announcement: Announcement, rules: TextRules
) -> tuple[str, dict[str, str]]:
    """Shorten the summary, then the dates, then the title, until the text fits."""
    text = render(template, values)
    if rules.fits(text):
        return text, values
    for name in SHORTENABLE:
        if name == "dates":
            values = _fit_dates(template, values, announcement, rules)
        else:
            values = _fit_words(template, values, name, rules)
        text = render(template, values)
        if rules.fits(text):
            return text, values
    return text, values


def _fit_words(template: str, values: dict[str, str], name: str, rules: TextRules) -> dict:
    """The longest cut of field ``name`` at a break point that fits (binary search)."""
    original = values[name]
    if not original:
        return values
    candidates = [shortened(original, point) for point in reversed(break_points(original))]
    candidates = [c for c in candidates if c] + [""]
    candidates = list(dict.fromkeys(candidates))  # longest first, each once
    low, high = 0, len(candidates) - 1  # find the first (longest) candidate that fits
    while low < high:
        middle = (low + high) // 2
        if rules.fits(render(template, {**values, name: candidates[middle]})):
            high = middle
        else:
            low = middle + 1
    return {**values, name: candidates[low]}


def _fit_dates(
    template: str, values: dict[str, str], announcement: Announcement, rules: TextRules
) -> dict:
    dates = announcement.dates
    for keep in range(len(dates) - 1, -1, -1):
        rest = len(dates) - keep
        more = announcement.more_dates.format(n=rest)
        shown = ", ".join((*dates[:keep], more))
        candidate = {**values, "dates": shown}
        if rules.fits(render(template, candidate)) or keep == 0:
            return candidate
    return values


def idempotency_key(network: str, keys: tuple[str, ...]) -> str:
    """The same on every retry of the same post: from the network and the ledger keys."""
    digest = hashlib.sha256("\x1f".join(("fanpage", network, *keys)).encode()).hexdigest()
    return digest[:32]


@dataclass(frozen=True)
class Composed:
    """The text, and the field values it was rendered from (for tests and messages)."""

    text: str
    values: dict[str, str]
    hashtags: tuple[str, ...]
    custom: bool


def compose_text(
    announcement: Announcement,
    network: str,
    rules: TextRules,
    template: str | Mapping[str, str] | None = None,
    extra_hashtags: tuple[str, ...] = (),
) -> Composed:
    """The text for ``network``, fitted to ``rules``; ComposeError if it cannot fit."""
    chosen, custom = template_for(announcement, network, template)
    hashtags = hashtags_for(announcement.tags, extra_hashtags)
    values = values_of(announcement, hashtags)
    if custom:
        text = render(chosen, values)
        if announcement.url not in text:
            text = f"{text}\n\n{announcement.url}"
        if not rules.fits(text):
            raise ComposeError(
                f"{announcement.source}: crosspost_text is {rules.length(text)} characters as "
                f"{rules.name or network} counts them; the limit is {rules.limit}"
            )
        return Composed(text, values, hashtags, True)
    text, values = fit(chosen, values, announcement, rules)
    while not rules.fits(text) and hashtags:
        hashtags = hashtags[:-1]
        values = {**values, "hashtags": " ".join(f"#{h}" for h in hashtags)}
        text = render(chosen, values)
    if not rules.fits(text):
        raise ComposeError(
            f"{announcement.source}: even the link alone is {rules.length(text)} characters "
            f"as {rules.name or network} counts them; the limit is {rules.limit}"
        )
    if announcement.url not in text:
        raise ComposeError(f"{network} template leaves out {{url}}: the post needs its link")
    return Composed(text, values, hashtags, False)


def compose(
    announcement: Announcement,
    network: str,
    rules: TextRules,
    *,
    template: str | Mapping[str, str] | None = None,
    extra_hashtags: tuple[str, ...] = (),
    card: LinkCard | None = None,
    images: tuple[Image, ...] = (),
) -> Draft:
    """The post for ``network``: its text fitted to ``rules``; ComposeError if impossible.

    ``images`` go with it as they are (the network clips alt texts and sizes to its own
    limits); a network that can send a card or images, not both, sends the images."""
    composed = compose_text(announcement, network, rules, template, extra_hashtags)
    text = composed.text
    return Draft(
        network=network,
        keys=announcement.keys,
        text=text,
        length=rules.length(text),
        limit=rules.limit,
        url=announcement.url,
        lang=announcement.lang,
        created_at=announcement.created_at,
        idempotency_key=idempotency_key(network, announcement.keys),
        card=card,
        images=images,
        hashtags=tuple(h for h in composed.hashtags if f"#{h}" in text),
        source=announcement.source,
    )


def with_text(draft: Draft, text: str, rules: TextRules) -> Draft:
    """The same draft with text composed on an earlier run (a retry must send the same)."""
    return replace(draft, text=text, length=rules.length(text))
