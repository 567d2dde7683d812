"""One long-lived process that builds a site, edits one news file, and builds it again.

This is the path ``fanpage serve`` takes (``fanpage.serve.rebuild`` -> ``SiteBuilder.build``,
default development settings: an edit of text renders only its page and the feeds carrying
it) and the path ``pelican --autoreload`` takes (the same ``Pelican`` object's ``run()``
again, here with Pelican's content cache on). ``bench/build.py`` runs it as a child:

    python bench/rebuild.py fanpage SITE OUT RESULT.json [--edits 3]
    python bench/rebuild.py pelican SITE OUT RESULT.json [--edits 3]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from pathlib import Path


def edit_target(site: Path) -> Path:
    """The news post in the middle of the English ones: an ordinary, linked, tagged entry."""
    posts = sorted(p for p in (site / "content" / "news").glob("*.md") if p.stem.count(".") == 0)
    return posts[len(posts) // 2]


def edit(path: Path, number: int) -> None:
    """Change one paragraph's worth of body text, as a writer saving a file would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"\nEdit number {number}: one more sentence about the show.\n")


def fanpage_builds(site: Path, out: Path, edits: int) -> list[float]:
    from fanpage.engine.incremental import SiteBuilder

    builder = SiteBuilder(site, publish=False, output=out)
    times = []
    started = time.perf_counter()
    builder.build()
    times.append(time.perf_counter() - started)
    target = edit_target(site)
    for number in range(1, edits + 1):
        edit(target, number)
        started = time.perf_counter()
        result = builder.build()
        times.append(time.perf_counter() - started)
        assert result.quick, "an edit of text should be a quick rebuild"
    return times


def pelican_builds(site: Path, out: Path, edits: int) -> list[float]:
    from pelican import Pelican
    from pelican.settings import read_settings

    logging.getLogger("pelican").setLevel(logging.WARNING)
    os.chdir(site)
    settings = read_settings(
        str(site / "pelicanconf_cached.py"),
        override={"OUTPUT_PATH": str(out), "CACHE_PATH": str(site / "cache")},
    )
    pelican = Pelican(settings)
    times = []
    started = time.perf_counter()
    pelican.run()
    times.append(time.perf_counter() - started)
    target = edit_target(site)
    for number in range(1, edits + 1):
        edit(target, number)
        started = time.perf_counter()
        pelican.run()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tool", choices=("fanpage", "pelican"))
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    builds = fanpage_builds if args.tool == "fanpage" else pelican_builds
    times = builds(args.site.resolve(), args.out.resolve(), args.edits)
    args.result.write_text(json.dumps({"cold": times[0], "edits": times[1:]}))


if __name__ == "__main__":
    main()
