"""Small HTML helpers for feeds: absolute links and XML-safe text (plain text: fanpage.text).

Regular expressions rather than a parser: the HTML is Python-Markdown's own output, the work
runs for every item of every feed, and the bytes outside rewritten attributes stay untouched.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

# A start tag; inside code blocks "<" is escaped, so text never looks like a tag.
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_URL_ATTR = re.compile(
    r"""(?P<lead>\s(?:href|src|poster|cite)\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""",
    re.IGNORECASE,
)
_SRCSET = re.compile(r"""(?P<lead>\ssrcset\s*=\s*)"(?P<value>[^"]*)\"""", re.IGNORECASE)
# Characters XML 1.0 forbids (lxml refuses them): C0 controls except tab, LF, CR.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def absolutize(fragment: str, base: str) -> str:
    """Resolve every link and image address in ``fragment`` against ``base`` (an absolute URL).

    Handles what Pelican leaves: ``{static}`` links already resolved to ``/images/...`` or to
    ``SITEURL/images/...``, relative paths, and ``srcset`` lists. Fragments (``#x``), ``mailto:``
    and absolute URLs stay as they are.
    """

    def fix_tag(tag: re.Match[str]) -> str:
        text = _URL_ATTR.sub(fix_attr, tag.group(0))
        return _SRCSET.sub(fix_srcset, text)

    def fix_attr(match: re.Match[str]) -> str:
        quote = '"' if match.group("dq") is not None else "'"
        value = match.group("dq") if quote == '"' else match.group("sq")
        return f"{match.group('lead')}{quote}{resolve(value)}{quote}"

    def fix_srcset(match: re.Match[str]) -> str:
        parts = []
        for candidate in match.group("value").split(","):
            bits = candidate.strip().split(None, 1)
            if bits:
                bits[0] = resolve(bits[0])
                parts.append(" ".join(bits))
        return f'{match.group("lead")}"{", ".join(parts)}"'

    def resolve(value: str) -> str:
        stripped = html.unescape(value.strip())
        if not stripped or stripped.startswith("#"):
            return value
        return html.escape(urljoin(base, stripped), quote=True)

    return _TAG.sub(fix_tag, fragment)


def xml_safe(text: str) -> str:
    """Drop characters an XML document cannot carry."""
    return _NOT_XML.sub("", text)
