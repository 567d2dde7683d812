"""The Nu Html Checker over everything the build wrote, in one run of the checker."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from browser_support import VNU_JAR

pytestmark = pytest.mark.browser


def test_every_built_page_is_valid_html(served_site, extras_site):
    """The demo and the second site (tests/browser/extras.py) in one run of the checker."""
    assert VNU_JAR.is_file(), f"{VNU_JAR} missing: run `npm ci` in the repository"
    java = shutil.which("java")
    assert java, "java is needed for the Nu Html Checker"
    assert len(list(served_site.root.rglob("*.html"))) > 30
    assert len(list(extras_site.root.rglob("*.html"))) > 15
    roots = [str(served_site.root), str(extras_site.root)]
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", *roots],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[:5000]
    assert result.stderr.strip() == ""
