"""One run of Pelican for fanpage: the state its plugins share, with one owner per field.

Pelican hands its plugins nothing but its settings dictionary, so the run travels in it under
one key, ``FANPAGE_BUILD``: :func:`fanpage.engine.build.build_site` puts it there before
Pelican starts (or, when Pelican runs on its own, the content plugin does as Pelican starts).
Each room keeps its per-build state in its own field here, never in keys of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fanpage.content.problems import ProblemList
from fanpage.content.published import PublishedEntry
from fanpage.content.site import SiteContent
from fanpage.settings import Settings

if TYPE_CHECKING:
    from fanpage.forking import Beside
    from fanpage.media.pipeline import MediaPlan
    from fanpage.metadata.build import MetadataRun

BUILD_KEY = "FANPAGE_BUILD"


@dataclass
class Build:
    """What one build's plugins share."""

    settings: Settings
    content: SiteContent
    # Warnings of the run itself (Pelican's, a share preview without SITEURL): the engine
    # reports them with the content's, and ``--strict`` fails on them.
    problems: ProblemList = field(default_factory=ProblemList)
    # fanpage.media: every published image's derived files (names and sizes known before
    # Pelican starts; the pixel work runs beside it). None when Pelican runs on its own.
    media: MediaPlan | None = None
    metadata: MetadataRun | None = None  # fanpage.metadata: pages' head data, cards, sitemap
    feeds: Beside | None = None  # fanpage.feeds: feeds and calendars being written beside
    # Every published entry Pelican wrote (fanpage.engine.published), once the run ended.
    published: list[PublishedEntry] = field(default_factory=list)

    def install(self, pelican_settings: dict[str, Any]) -> None:
        """Hand the run to the plugins of the Pelican run with ``pelican_settings``."""
        pelican_settings[BUILD_KEY] = self


def build_of(settings: Mapping[str, Any]) -> Build | None:
    """The run a Pelican settings dictionary (or a template context) belongs to; None when
    Pelican runs without fanpage (a plain Pelican build in the same process)."""
    found = settings.get(BUILD_KEY)
    return found if isinstance(found, Build) else None
