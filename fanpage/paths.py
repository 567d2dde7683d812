"""Where the theme and the Pelican plugins live: in the wheel, or beside the package."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(installed: str, checkout: str) -> Path:
    inside = PACKAGE_DIR / installed
    return inside if inside.is_dir() else PACKAGE_DIR.parent / checkout


THEME_DIR: Path = _shipped("_theme", "theme")
PLUGINS_DIR: Path = _shipped("_plugins", "plugins")
SCAFFOLD_DIR: Path = PACKAGE_DIR / "scaffold"
