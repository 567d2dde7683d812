"""What each feed field holds, plain text or HTML, and the one function that fills it.

Feed items carry the artist's words as plain text (title, summary, tags, show details) and the
rendered body as HTML (:class:`Html`). Readers take some fields as HTML whatever they hold (RSS
item ``description`` and ``content:encoded``, Atom ``type="html"``, JSON Feed ``content_html``,
iCalendar ``X-ALT-DESC``) and the others as text. :func:`field_text` gives every writer the
string for a field in the form its readers expect, from :data:`FIELDS`:

- plain text into an HTML field is HTML-escaped (``&``, ``<``, ``>``), so that "Stream it
  <everywhere>" is shown as written instead of as an unknown tag;
- HTML into an HTML field is passed as it is;
- plain text into a text field is passed as it is: never escaped twice;
- HTML into a text field becomes its text (:func:`fanpage.text.plain_text`).

The serializers (lxml for Atom and RSS, ``json``, icalendar) then escape for their own syntax as
usual. RSS alone has no way to say that a field is text, so :func:`rss_character_data` writes
``&``, ``<`` and ``>`` of RSS plain-text elements as hexadecimal character references, as the
RSS Best Practices Profile recommends (see "What fans can subscribe to" in the README for what
remains).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

from fanpage.text import plain_text

Kind = Literal["text", "html"]
TEXT: Kind = "text"
HTML: Kind = "html"

# (format, field) -> what readers take the field for. Formats: "atom", "rss", "json", "ics".
FIELDS: dict[tuple[str, str], Kind] = {
    # RSS 2.0: readers render an item's description and content:encoded as HTML. The
    # channel's description is "a phrase or sentence" (the W3C validator wants no HTML in it).
    ("rss", "title"): TEXT,
    ("rss", "description"): HTML,  # an item's summary
    ("rss", "content:encoded"): HTML,
    ("rss", "category"): TEXT,
    ("rss", "channel title"): TEXT,  # also the image's title
    ("rss", "channel description"): TEXT,
    # Media RSS (in RSS and Atom alike): a photo's alt text and credit, type "plain".
    ("rss", "media:description"): TEXT,
    ("rss", "media:credit"): TEXT,
    # Atom 1.0 (RFC 4287, 3.1): the type attribute says; fanpage writes text and html.
    ("atom", "title"): TEXT,  # no type attribute: "text"
    ("atom", "subtitle"): TEXT,
    ("atom", "summary"): TEXT,
    ("atom", "content"): HTML,  # type="html"
    ("atom", "category"): TEXT,  # the term attribute
    ("atom", "link title"): TEXT,  # an enclosure's title attribute
    ("atom", "media:description"): TEXT,
    ("atom", "media:credit"): TEXT,
    # JSON Feed 1.1: content_html is HTML; title, summary and description are plain text.
    ("json", "title"): TEXT,
    ("json", "description"): TEXT,
    ("json", "summary"): TEXT,
    ("json", "content_html"): HTML,
    ("json", "tag"): TEXT,
    ("json", "attachment title"): TEXT,
    # iCalendar (RFC 5545): TEXT values; X-ALT-DESC;FMTTYPE=text/html is the HTML one
    # (fanpage writes none today; one would be filled through here).
    ("ics", "NAME"): TEXT,
    ("ics", "X-WR-CALNAME"): TEXT,
    ("ics", "SUMMARY"): TEXT,
    ("ics", "LOCATION"): TEXT,
    ("ics", "DESCRIPTION"): TEXT,
    ("ics", "X-ALT-DESC"): HTML,
}


@dataclass(frozen=True)
class Html:
    """A value that is HTML (a rendered body); a plain ``str`` is text as the artist wrote it."""

    markup: str


def field_text(fmt: str, field: str, value: str | Html) -> str:
    """The string a writer hands its serializer for ``field`` of ``fmt``: see the module doc.

    ``field_text("rss", "description", "a <b>")`` -> ``"a &lt;b&gt;"`` (then XML-escaped by
    lxml as ``a &amp;lt;b&amp;gt;``); ``field_text("atom", "summary", "a <b>")`` -> ``"a <b>"``.
    An unknown field is an error, so that no field is filled without a decision.
    """
    kind = FIELDS[(fmt, field)]
    if isinstance(value, Html):
        return value.markup if kind == HTML else plain_text(value.markup)
    return html.escape(value, quote=False) if kind == HTML else value


def _rss_text_elements(channel: bool) -> re.Pattern[bytes]:
    """An RSS plain-text element of the channel (before the first item) or of an item, as lxml
    writes it: text only, ``&``, ``<`` and ``>`` as entity references."""
    names = {
        name.removeprefix("channel ").encode()
        for (fmt, name), kind in FIELDS.items()
        if fmt == "rss" and kind == TEXT and (channel or not name.startswith("channel "))
    }
    alternatives = b"|".join(re.escape(name) for name in sorted(names))
    return re.compile(rb"<(?P<name>" + alternatives + rb")>(?P<text>[^<]*)</(?P=name)>")


_CHANNEL_TEXT = _rss_text_elements(channel=True)
_ITEM_TEXT = _rss_text_elements(channel=False)
_HEX_REFERENCES: dict[bytes, bytes] = {b"&amp;": b"&#x26;", b"&lt;": b"&#x3C;", b"&gt;": b"&#x3E;"}
_ENTITY = re.compile(rb"&(?:amp|lt|gt);")


def rss_character_data(rss: bytes) -> bytes:
    """``&``, ``<`` and ``>`` in RSS plain-text elements (titles, categories, the channel's
    description) as ``&#x26;``, ``&#x3C;`` and ``&#x3E;``: the RSS Profile's encoding for
    character data, which the W3C validator looks for before it calls such a title HTML. The
    text an XML parser reads is unchanged; elements without those characters keep their bytes.
    """

    def encode(match: re.Match[bytes]) -> bytes:
        text = _ENTITY.sub(lambda m: _HEX_REFERENCES[m.group(0)], match.group("text"))
        return b"<%s>%s</%s>" % (match.group("name"), text, match.group("name"))

    channel, first, items = rss.partition(b"<item>")
    return _CHANNEL_TEXT.sub(encode, channel) + first + _ITEM_TEXT.sub(encode, items)
