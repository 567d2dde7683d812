"""Pelican plugin: share previews and search metadata (``fanpage.metadata``).

Templates get ``fp_head_meta()``; after the build, social cards, sitemap.xml and robots.txt.
"""

from __future__ import annotations

from pelican import signals

from fanpage.metadata import build


def register() -> None:
    signals.initialized.connect(build.start)
    signals.generator_init.connect(build.install)
    signals.content_written.connect(build.content_written)
    signals.finalized.connect(build.finish)
