"""The Markdown cache: the same HTML on all cores as on one, and only changed texts again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fanpage.config import FANPAGE_DEFAULTS
from fanpage.engine.markdown_render import MarkdownCache, MarkdownRenderer

SETTINGS = FANPAGE_DEFAULTS["MARKDOWN"]
TEXTS = [
    f'## Part {i}\n\n"Quoted" text[^{i}] with *emphasis* -- {i}.\n\n[^{i}]: Note {i}.\n'
    for i in range(80)
]


def test_a_second_build_renders_only_what_changed() -> None:
    cache = MarkdownCache(SETTINGS)
    cache.prepare(TEXTS[:10], parallel=False)
    assert cache.rendered == 10
    edited = [*TEXTS[:9], TEXTS[9] + "\nOne more sentence.\n"]
    cache.prepare(edited, parallel=False)
    assert cache.rendered == 11
    renderer = MarkdownRenderer(SETTINGS)
    assert cache.render(edited[9]) == renderer.render(edited[9])
    assert "One more sentence." in cache.render(edited[9])
    assert cache.rendered == 11  # served from the cache
    assert TEXTS[9] not in cache._html  # the old text is forgotten, memory stays flat


def test_rendering_on_all_cores_gives_the_same_html() -> None:
    # A fresh interpreter: workers are forked only while no other thread runs.
    script = """
import sys
from fanpage.config import FANPAGE_DEFAULTS
from fanpage.engine.markdown_render import MarkdownCache, MarkdownRenderer
import fanpage.engine.markdown_render as m
texts = [f"## Part {i}\\n\\nText *{i}* -- \\"q\\"[^n].\\n\\n[^n]: N {i}.\\n" for i in range(100)]
m.os.cpu_count = lambda: 2  # also on a one-core machine
forked = []
original = m.fork_pool
m.fork_pool = lambda n: forked.append(n) or original(n)
cache = MarkdownCache(FANPAGE_DEFAULTS["MARKDOWN"])
cache.prepare(texts)
assert forked == [2], forked
serial = MarkdownRenderer(FANPAGE_DEFAULTS["MARKDOWN"])
assert all(cache._html[t] == serial.render(t) for t in texts)
assert cache.rendered == 100
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_bodies_render_early_while_front_matter_is_read_and_are_used() -> None:
    script = """
import sys
from pathlib import Path
from fanpage.config import load_config
from fanpage.content.site import load_content
from fanpage.engine.markdown_render import MarkdownCache, MarkdownRenderer
import fanpage.engine.markdown_render as m
m.os.cpu_count = lambda: 2  # also on a one-core machine
config = load_config(Path(sys.argv[1]))
cache = MarkdownCache(config.pelican["MARKDOWN"])
cache.PARALLEL_AFTER = 1
early = cache.start_files(sorted(config.content.content_dir.rglob("*.md")))
site = load_content(config.content)
early.finish()
early.finish()  # harmless twice
bodies = [e.body for e in site.entries if e.body]
assert all(b in cache._html for b in bodies), "an early body did not match the entry's"
serial = MarkdownRenderer(config.pelican["MARKDOWN"])
assert all(cache._html[b] == serial.render(b) for b in bodies)
before = cache.rendered
cache.prepare(site.markdown_texts())
lyrics = {t.lyrics for e in site.entries for t in getattr(e, "tracks", ()) if t.lyrics}
assert cache.rendered - before == len(lyrics - set(bodies)), "bodies were rendered twice"
print("ok", len(bodies))
"""
    root = str(Path(__file__).resolve().parent.parent)
    result = subprocess.run(
        [sys.executable, "-c", script, root], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")
    assert int(result.stdout.split()[1]) > 20
