"""Pelican plugin: the theme's settings and its list pages in every language of the site."""

from __future__ import annotations

from pelican import signals

from fanpage.engine.theme import adjust_settings
from fanpage.i18n.lists import write_language_lists


def register() -> None:
    signals.initialized.connect(adjust_settings)
    signals.article_writer_finalized.connect(write_language_lists)
