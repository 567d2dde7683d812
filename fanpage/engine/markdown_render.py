"""One Markdown converter per build, reset between files: building it per file is a known cost."""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markupsafe import Markup


class MarkdownRenderer:
    def __init__(self, markdown_settings: dict[str, Any]) -> None:
        configs = dict(markdown_settings.get("extension_configs", {}))
        self._md = Markdown(
            extensions=list(configs),
            extension_configs=configs,
            output_format=markdown_settings.get("output_format", "html5"),
        )

    def render(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)

    def render_markup(self, text: str | None) -> Markup:
        """For templates: lyrics and other Markdown fields."""
        return Markup(self.render(text)) if text else Markup("")
