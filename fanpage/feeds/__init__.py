"""The feeds room: RSS, Atom, JSON Feed and iCalendar, as pure functions of entries.

- :mod:`~fanpage.feeds.locations`: where each file lives (also read by the theme).
- :mod:`~fanpage.feeds.ids`: stable ids from uids (never URLs).
- :mod:`~fanpage.feeds.items`: one :class:`FeedItem` per published entry, absolute URLs.
- :mod:`~fanpage.feeds.fields`: which field is text and which HTML, and ``field_text``, through
  which every writer puts text into every field.
- :mod:`~fanpage.feeds.atom_rss` (feedgen), :mod:`~fanpage.feeds.jsonfeed` (standard library),
  :mod:`~fanpage.feeds.ical` (icalendar): items or shows -> bytes.
- :mod:`~fanpage.feeds.plan`: every file of a site as ``{path: bytes}``;
  :mod:`~fanpage.feeds.index`: which of them a build writes, as pages announce them.
- :mod:`~fanpage.feeds.hooks`: the Pelican side (the theme's feed and calendar helpers,
  writing when ``WRITE_FEEDS`` is on).
"""
