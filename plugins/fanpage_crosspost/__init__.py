"""Pelican plugin: "also on" links from the syndication ledger."""

from __future__ import annotations

from pelican import signals

from fanpage.crosspost.also_on import add_syndication_links


def register() -> None:
    signals.all_generators_finalized.connect(add_syndication_links)
