"""Internal links in Markdown bodies (``{filename}../albums/x.md``, ``{static}/images/y.jpg``).

A broken one would otherwise be a quiet Pelican log line and a dead link on the live site.
"""

from __future__ import annotations

import re
from pathlib import Path

from fanpage.content.problems import ProblemList

_INTERNAL = re.compile(r"\{(filename|static|attach)\}([^)\s\"'>]+)")


def check_internal_links(
    body: str, body_line: int, source: Path, content_dir: Path, shown: str, problems: ProblemList
) -> None:
    for offset, line in enumerate(body.split("\n")):
        for match in _INTERNAL.finditer(line):
            target_text = match.group(2).split("#", 1)[0].split("?", 1)[0]
            if target_text.startswith("/"):
                target = content_dir / target_text.lstrip("/")
            else:
                target = source.parent / target_text
            if not target.is_file():
                problems.warning(
                    shown,
                    body_line + offset,
                    f'link to "{match.group(2)}" points to no file under content/',
                )
