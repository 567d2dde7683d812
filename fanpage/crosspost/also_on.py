""" "Also on" links: the theme shows where an entry was posted, from the ledger's posted records.

The cross-posting room owns the ledger, so it hands the templates what they need
(``fp_ledger``, with ``syndications(uid)``); the engine never reads the ledger itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fanpage.crosspost.ledger import Ledger, load_ledger
from fanpage.settings import Settings


def ledger_path(site_dir: Path, setting: str) -> Path:
    """``LEDGER_PATH`` is relative to the site folder, unless absolute (a deploy state folder)."""
    path = Path(setting)
    return path if path.is_absolute() else site_dir / path


def ledger_of(settings: Settings) -> Ledger:
    """The site's ledger (LedgerError when it cannot be read: ``check`` reports that first)."""
    return load_ledger(ledger_path(settings.site_dir, settings.ledger_path))


def add_syndication_links(context: dict[str, Any], settings: Settings | None) -> None:
    """Put the ledger in the template context (an empty one when Pelican runs on its own)."""
    context["fp_ledger"] = ledger_of(settings) if settings is not None else Ledger(Path("-"))
