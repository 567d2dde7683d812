"""Pelican plugin: fanpage_feeds (wired in its own issue)."""


def register() -> None:
    """Nothing to connect yet."""
