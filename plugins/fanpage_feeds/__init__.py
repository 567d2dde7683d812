"""Pelican plugin: feeds (Atom, RSS, JSON Feed) and tour calendars, written by fanpage.feeds.

The theme's helpers (``show_calendar_url``, ``tour_calendar_url``, ``fp_feed_links``, ...) are
documented in :mod:`fanpage.feeds.hooks`.
"""

from __future__ import annotations

from pelican import signals

from fanpage.feeds import hooks


def register() -> None:
    signals.generator_init.connect(hooks.install_template_helpers)
    signals.all_generators_finalized.connect(hooks.write_feeds)
    signals.finalized.connect(hooks.finish_feeds)
