"""Pelican plugin: read content through fanpage's validated model and give templates its lists."""

from __future__ import annotations

from pelican import signals

from fanpage.engine import hooks, pelican_internals


def register() -> None:
    signals.initialized.connect(hooks.ensure_content_loaded)
    signals.initialized.connect(hooks.prerender_markdown)
    signals.readers_init.connect(hooks.install_reader)
    signals.generator_init.connect(hooks.add_template_helpers)
    signals.article_generator_finalized.connect(pelican_internals.freeze_urls)
    signals.article_generator_finalized.connect(pelican_internals.index_tag_lists)
    signals.page_generator_finalized.connect(pelican_internals.freeze_urls)
    signals.all_generators_finalized.connect(hooks.add_template_context)
