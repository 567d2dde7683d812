"""Pelican plugin: fanpage_metadata (wired in its own issue)."""


def register() -> None:
    """Nothing to connect yet."""
