"""fanpage: a fan site for musicians, built from Markdown with Pelican."""

__version__ = "0.1.0"
