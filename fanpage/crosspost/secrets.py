"""Secrets come from environment variables only, and are scrubbed from every message.

Each network names the variables it needs; :func:`read_secrets` reads them, and every
value read is remembered so that :func:`redact` can take it (and its URL-encoded and
path-piece forms: a Discord webhook URL holds its token in the path) out of any text before
it is printed, logged or written to the ledger, including a platform's error body that
echoes a token back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from urllib.parse import quote, quote_plus, urlsplit

MASK = "[secret]"
MIN_PIECE = 8  # pieces of a secret URL shorter than this are not secret on their own

_known: set[str] = set()


class MissingSecret(Exception):
    def __init__(self, variables: list[str]) -> None:
        super().__init__(", ".join(variables))
        self.variables = variables


def remember(value: str) -> None:
    """Treat ``value`` as a secret from now on (also its encoded forms and URL pieces)."""
    if not value:
        return
    forms = {value, quote(value, safe=""), quote_plus(value)}
    if value.startswith(("http://", "https://")):
        parts = urlsplit(value)
        # Path pieces that are words ("webhooks") are not secret; ids and tokens are.
        forms.update(p for p in parts.path.split("/") if len(p) >= MIN_PIECE and not p.isalpha())
        if parts.query:
            forms.add(parts.query)
    _known.update(f for f in forms if f)


def read_secrets(variables: Iterable[str], environ: Mapping[str, str] | None = None) -> dict:
    """The value of each variable; MissingSecret names every one that is unset or empty."""
    environ = os.environ if environ is None else environ
    values: dict[str, str] = {}
    missing: list[str] = []
    for name in variables:
        value = environ.get(name, "").strip()
        if value:
            values[name] = value
            remember(value)
        else:
            missing.append(name)
    if missing:
        raise MissingSecret(missing)
    return values


def redact(text: str) -> str:
    """``text`` with every known secret replaced by ``[secret]`` (longest first)."""
    for secret in sorted(_known, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text
