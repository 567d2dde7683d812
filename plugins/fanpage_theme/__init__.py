"""Pelican plugin: theme helpers (interface text, per-language lists); filled by the theme issue."""


def register() -> None:
    """Nothing to connect yet."""
