""" "Also on" links: the theme shows where an entry was posted, from the ledger's posted records.

The cross-posting room owns the ledger, so it hands the templates what they need
(``fp_ledger``, with ``syndications(uid)``); the engine never reads the ledger itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fanpage.crosspost.ledger import Ledger, load_ledger


def ledger_path(site_dir: Path, setting: str) -> Path:
    """``LEDGER_PATH`` is relative to the site folder, unless absolute (a deploy state folder)."""
    path = Path(setting)
    return path if path.is_absolute() else site_dir / path


def ledger_for(settings: dict[str, Any]) -> Ledger:
    """The ledger of the site being built; an empty one when Pelican runs without fanpage."""
    name = settings.get("LEDGER_PATH") or "syndication.json"
    content = settings.get("FANPAGE_CONTENT")
    if content is None:
        return Ledger(Path(name))
    return load_ledger(ledger_path(Path(content.settings.site_dir), name))


def add_syndication_links(generators: list[Any]) -> None:
    """Put the ledger in the template context that every generator shares."""
    generator = next((g for g in generators if hasattr(g, "context")), None)
    if generator is not None:
        generator.context["fp_ledger"] = ledger_for(generator.settings)
