"""Where a fanpage publish build spends its time, on the synthetic site.

    .venv/bin/python bench/profile_build.py    # N=1000: phase timings, cProfile top 40
    .venv/bin/python bench/profile_build.py --n 1000 --pstats /tmp/fp.pstats

Two builds in one process, both cold (card cache removed):
1. timed with light wrappers only: Jinja render time per template (inclusive of its includes),
   Markdown conversions, fanpage's content loading, feeds, language lists, card drawing,
   Pelican's generators (context and output phases);
2. under cProfile, for the function-level top list (slower; proportions are what count).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from measure import PINNED_NOW
from synth import generate

Totals = dict[str, list[float]]  # name -> [seconds, calls]


def _wrap(owner: object, attr: str, key: Callable[..., str], totals: Totals) -> Callable[[], None]:
    """Replace ``owner.attr`` by a timing wrapper; returns the undo. Nested calls of the same
    key are counted once (outermost), so recursion does not double the time."""
    original = getattr(owner, attr)
    depth: dict[str, int] = defaultdict(int)

    def wrapper(*args, **kwargs):
        name = key(*args, **kwargs)
        depth[name] += 1
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            depth[name] -= 1
            if depth[name] == 0:
                slot = totals.setdefault(name, [0.0, 0])
                slot[0] += time.perf_counter() - started
                slot[1] += 1

    setattr(owner, attr, wrapper)
    return lambda: setattr(owner, attr, original)


def _template_key(template: object, *args: object, **kwargs: object) -> str:
    """``jinja: category.html [tours, id]``: list pages split by list and language."""
    name = Path(getattr(template, "name", None) or "?").name
    context = args[0] if args and isinstance(args[0], dict) else kwargs
    if name in ("category.html", "index.html", "tag.html"):
        which = context.get("fp_list") or getattr(context.get("category"), "slug", "")
        if name == "tag.html":
            which = "every tag"
        lang = context.get("ui_lang") or context.get("DEFAULT_LANG") or ""
        return f"jinja: {name} [{which or 'home'}, {lang}]"
    return f"jinja: {name}"


def instrument(totals: Totals) -> list[Callable[[], None]]:
    import jinja2
    import markdown
    from pelican import generators

    import fanpage.engine.build as engine_build
    from fanpage.i18n import lists

    undo = [
        _wrap(
            jinja2.Template,
            "render",
            _template_key,
            totals,
        ),
        _wrap(markdown.Markdown, "convert", lambda *a, **k: "markdown: convert", totals),
        _wrap(engine_build, "check_site", lambda *a, **k: "fanpage: check_site (load)", totals),
        _wrap(engine_build, "run_pelican", lambda *a, **k: "pelican: run (everything)", totals),
    ]
    for cls in (
        generators.ArticlesGenerator,
        generators.PagesGenerator,
        generators.StaticGenerator,
        generators.TemplatePagesGenerator,
    ):
        for method in ("generate_context", "generate_output"):
            if method not in vars(cls):
                continue
            undo.append(
                _wrap(
                    cls,
                    method,
                    lambda *a, c=cls, m=method, **k: f"pelican: {c.__name__}.{m}",
                    totals,
                )
            )
    optional = [
        ("fanpage.feeds.hooks", "write_feeds", "fanpage: feeds (write_feeds)"),
        ("fanpage.metadata.cards", "render_card", "fanpage: card drawing (render_card)"),
        ("fanpage.engine.context", "template_context", "fanpage: template_context"),
    ]
    for module_name, attr, label in optional:
        module = __import__(module_name, fromlist=[attr])
        if hasattr(module, attr):
            undo.append(_wrap(module, attr, lambda *a, lab=label, **k: lab, totals))
    # The plugin holds a reference to the function: wrap the signal receiver's module attribute
    # before Pelican imports the plugin, i.e. now.
    undo.append(
        _wrap(lists, "write_language_lists", lambda *a, **k: "fanpage: language lists", totals)
    )
    return undo


def cold(site: Path, out: Path) -> None:
    """No output, no card cache: what a publish build on a fresh clone starts from."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / ".cache", ignore_errors=True)


def build(site: Path, out: Path) -> float:
    from fanpage.engine.build import build_site

    started = time.perf_counter()
    build_site(site, publish=True, output=out)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--pstats", type=Path, help="also save cProfile's stats here")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--no-cprofile", action="store_true")
    args = parser.parse_args()
    os.environ["FANPAGE_NOW"] = PINNED_NOW

    tmp = Path(tempfile.mkdtemp(prefix="fanpage-profile-"))
    try:
        generate(args.n, tmp)
        site, out = tmp / "fanpage", tmp / "out"
        totals: Totals = {}
        undo = instrument(totals)
        cold(site, out)
        wall = build(site, out)
        for u in undo:
            u()
        print(f"fanpage build --publish, N={args.n}: {wall:.2f} s with timing wrappers\n")
        print(f"{'phase (inclusive; nested phases overlap)':<58}{'s':>8}{'%':>7}{'calls':>8}")
        for name, (seconds, calls) in sorted(totals.items(), key=lambda kv: -kv[1][0]):
            print(f"{name:<58}{seconds:>8.2f}{100 * seconds / wall:>6.1f}%{calls:>8}")
        if args.no_cprofile:
            return
        cold(site, out)
        profiler = cProfile.Profile()
        profiler.enable()
        wall = build(site, out)
        profiler.disable()
        print(f"\nUnder cProfile: {wall:.2f} s. Top {args.top} by cumulative time:\n")
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("cumulative").print_stats(args.top)
        print(_trim(stream.getvalue()))
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("tottime").print_stats(args.top)
        print(f"Top {args.top} by own time:\n")
        print(_trim(stream.getvalue()))
        print("Own time by package (cProfile tottime, grouped):\n")
        for area, seconds in by_area(stats):
            print(f"  {area:<40}{seconds:>8.2f} s{100 * seconds / wall:>6.1f}%")
        if args.pstats:
            stats.dump_stats(args.pstats)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


AREAS: tuple[tuple[str, str], ...] = (
    ("/theme/templates/", "jinja: theme templates (compiled code)"),
    ("/jinja2/", "jinja2 runtime"),
    ("/markupsafe/", "markupsafe (escaping)"),
    ("/markdown/", "Python-Markdown"),
    ("/yaml/", "PyYAML"),
    ("/PIL/", "Pillow (cards)"),
    ("/pelican/", "Pelican"),
    ("/feedgen/", "feedgen"),
    ("/icalendar/", "icalendar"),
    ("/fanpage/metadata/", "fanpage.metadata"),
    ("/fanpage/feeds/", "fanpage.feeds"),
    ("/fanpage/content/", "fanpage.content"),
    ("/fanpage/engine/", "fanpage.engine"),
    ("/fanpage/i18n/", "fanpage.i18n"),
    ("/fanpage/", "fanpage (other)"),
    ("/lxml/", "lxml"),
    ("/babel/", "babel"),
    ("posixpath", "os.path"),
    ("genericpath", "os.path"),
)


def by_area(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own time summed by where the code lives; C built-ins count as "builtins / C"."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        area = next((label for part, label in AREAS if part in filename), None)
        if area is None:
            area = "builtins / C" if filename == "~" else "other Python"
        totals[area] += tottime
    return sorted(totals.items(), key=lambda kv: -kv[1])


def _trim(text: str) -> str:
    """Shorten the site-packages prefix so the table fits."""
    prefix = str(Path(sys.prefix))
    return text.replace(prefix + "/lib/python3.11/site-packages/", "").replace(
        str(Path(__file__).resolve().parent.parent) + "/", ""
    )


if __name__ == "__main__":
    main()
