"""Jinja filters the theme uses: Markdown fields, durations, local show times."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fanpage.content.fields import country_name
from fanpage.content.models import format_duration
from fanpage.engine.markdown_render import MarkdownRenderer


def install(env: Any, settings: dict[str, Any]) -> None:
    renderer = MarkdownRenderer(settings.get("MARKDOWN", {}))
    env.filters["markdown"] = renderer.render_markup
    env.filters["duration"] = format_duration
    env.filters["country_name"] = country_name
    env.filters["isodate"] = lambda moment: moment.isoformat() if moment else ""
    env.filters["strftime_local"] = _strftime


def _strftime(moment: datetime | None, pattern: str) -> str:
    return moment.strftime(pattern) if moment else ""
