"""Pelican plugin: "also on" links from the syndication ledger."""

from __future__ import annotations

from typing import Any

from pelican import signals

from fanpage.crosspost.also_on import add_syndication_links
from fanpage.engine.run import build_of


def _add(generators: list[Any]) -> None:
    generator = next((g for g in generators if hasattr(g, "context")), None)
    if generator is not None:
        build = build_of(generator.settings)
        add_syndication_links(generator.context, build.settings if build else None)


def register() -> None:
    signals.all_generators_finalized.connect(_add)
