"""Files kept in ``.cache/`` between builds and placed in the output without copying."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def link_cached(cached: Path, target: Path) -> None:
    """Hard-link a cached file into the output (copy across file systems); a target that is
    already that file is left alone, so a warm build writes nothing."""
    try:
        if os.path.samefile(cached, target):
            return
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
