"""Options every ``fanpage`` command shares, declared once for the main command and the
rooms' own (``crosspost``, ``deploy``, ``media``), which import this small module only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def site_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--site DIR`` on every command: the site folder, default the current one."""
    return click.option(
        "--site",
        "site_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=".",
        show_default=True,
        help="The site folder (where pelicanconf.py is).",
    )(command)
