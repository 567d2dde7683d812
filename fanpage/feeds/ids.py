"""Stable ids for feeds and calendars, derived from uids and never from URLs.

The scheme, fixed for good (changing it makes every reader and calendar show duplicates):

- ``NAMESPACE`` is the UUID ``5a6d1aa9-c4a4-53aa-8892-15561f6a5e79``
  (``uuid5(NAMESPACE_DNS, "ids.fanpage.feeds")``), the same for every site, so moving a site to
  another address keeps its ids.
- An entry (news post, album, tour, page) with uid ``U``: ``urn:uuid:`` + ``uuid5(NAMESPACE,
  "entry:" + U)``; used as Atom ``id``, RSS ``guid`` (``isPermaLink="false"``) and JSON Feed ``id``.
- A show with uid ``S``: iCalendar ``UID`` = ``uuid5(NAMESPACE, "show:" + S)`` (RFC 7986 style).
- A feed of ``section`` in ``lang``: Atom feed ``id`` = ``urn:uuid:`` + ``uuid5(NAMESPACE,
  "feed:" + section + ":" + lang)``.

Slugs, titles and URLs are not part of any id, so renaming a slug keeps every id.
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("5a6d1aa9-c4a4-53aa-8892-15561f6a5e79")


def entry_id(uid: str) -> str:
    """Atom id / RSS guid / JSON Feed id of the entry with ``uid``."""
    return uuid.uuid5(NAMESPACE, f"entry:{uid}").urn


def show_uid(uid: str) -> str:
    """iCalendar UID of the show with ``uid``."""
    return str(uuid.uuid5(NAMESPACE, f"show:{uid}"))


def feed_id(section: str, lang: str) -> str:
    """Atom id of a whole feed (``section`` is ``all`` or a section name)."""
    return uuid.uuid5(NAMESPACE, f"feed:{section}:{lang}").urn
