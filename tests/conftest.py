"""Shared fixtures: real builds into temporary folders, with the build's clock pinned."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fanpage.engine.build import CheckedSite, build_site
from tests.pds_server import PdsError, PdsServer

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# The demo's tour dates are real calendar dates; pin "now" so past/upcoming never rots.
PINNED_NOW = "2026-11-20T12:00:00+07:00"
os.environ.setdefault("FANPAGE_NOW", PINNED_NOW)
# One image cache for every build of the session: the demo's photos are resized once, not in
# each of the many copies of the demo the tests build. Tests that count the image work give
# their build a cache of its own (FANPAGE_MEDIA_CACHE in their environment).
os.environ.setdefault(
    "FANPAGE_MEDIA_CACHE", str(Path(__file__).resolve().parent.parent / ".cache/test-media")
)


@pytest.fixture(scope="session")
def demo_publish_build(tmp_path_factory: pytest.TempPathFactory) -> CheckedSite:
    """The demo site built once with publish settings (feeds on, absolute SITEURL): the
    build's result (settings, content, what it published)."""
    return build_site(ROOT, publish=True, output=tmp_path_factory.mktemp("demo-publish"))


@pytest.fixture(scope="session")
def demo_publish(demo_publish_build: CheckedSite) -> Path:
    """The output folder of :func:`demo_publish_build`."""
    return demo_publish_build.settings.output_dir


@pytest.fixture(scope="session")
def demo_dev(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site built once with development settings (empty SITEURL)."""
    out = tmp_path_factory.mktemp("demo-dev")
    build_site(ROOT, publish=False, output=out)
    return out


MINIMAL_CONF = """\
SITENAME = "Test Band"
SITEURL = ""
TIMEZONE = "Asia/Jakarta"
LANGUAGES = ["en", "id"]
"""


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write a small site: ``make_site({"news/a.md": "---\\ntitle: A\\n..."})`` -> site folder.

    Text is dedented; ``pelicanconf.py`` defaults to MINIMAL_CONF; ``publishconf.py`` is added
    when ``siteurl`` is given.
    """

    def make(files: dict[str, str], conf: str = MINIMAL_CONF, siteurl: str | None = None) -> Path:
        site = tmp_path / "site"
        (site / "content").mkdir(parents=True, exist_ok=True)
        (site / "pelicanconf.py").write_text(conf)
        if siteurl is not None:
            (site / "publishconf.py").write_text(
                "import os, sys\nsys.path.append(os.path.dirname(__file__))\n"
                f"from pelicanconf import *  # noqa: F403\nSITEURL = {siteurl!r}\n"
            )
        for name, text in files.items():
            target = site / "content" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return site

    return make


def copy_demo(target: Path) -> Path:
    """A writable copy of the demo site (settings and content) for tests that edit it."""
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, target / name)
    shutil.copytree(ROOT / "content", target / "content")
    return target


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo site in a temporary folder."""
    site = tmp_path / "demo"
    site.mkdir()
    return copy_demo(site)


@pytest.fixture(scope="session")
def pds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PdsServer]:
    """One real Bluesky PDS on loopback for the whole session (never skipped: failing to start
    fails); every test makes its own account on it."""
    server = PdsServer(tmp_path_factory.mktemp("pds"))
    try:
        server.start()
    except PdsError as exc:
        pytest.fail(f"the Bluesky test PDS could not start: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()
