"""Linking one entry from another with Pelican's ``{filename}`` links: the link becomes the other
entry's URL (its translation's, from a translation), and a broken one is reported as
``path:line`` by ``fanpage check``, an error under ``--strict``. As the README documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from fanpage.cli import main
from fanpage.engine.build import build_site

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

FILES = {
    "albums/sunyi.md": "---\ntitle: Sunyi\nrelease_date: 2026-09-12\n---\nThe EP.\n",
    "albums/sunyi.id.md": "---\ntitle: Sunyi\nrelease_date: 2026-09-12\n---\nEP-nya.\n",
    "pages/press-kit.md": "---\ntitle: Press kit\n---\nPhotos.\n",
    "news/2026-09-12-out.md": """
        ---
        title: Out now
        date: 2026-09-12
        ---
        Listen on the [album page]({filename}../albums/sunyi.md), or get the
        [press kit]({filename}/pages/press-kit.md#photos).
        """,
    "news/2026-09-12-out.id.md": """
        ---
        title: Sudah rilis
        date: 2026-09-12
        ---
        Dengarkan di [halaman album]({filename}../albums/sunyi.id.md).
        """,
}

BROKEN = """
    ---
    title: Typo
    date: 2026-09-13
    summary: A post with a misspelt link.
    ---
    The first paragraph is fine.

    The [album]({filename}../albums/suny.md) is out.
    """


def check(site: Path, *options: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "--site", str(site), *options])
    return result.exit_code, result.output.splitlines()


def test_a_filename_link_becomes_the_other_entrys_url(make_site, tmp_path):
    site = make_site(FILES)
    code, output = check(site, "--strict")
    assert code == 0, output
    out = tmp_path / "out"
    build_site(site, output=out)
    english = BeautifulSoup((out / "news/out/index.html").read_text(), "html.parser")
    links = {a.get_text(): a["href"] for a in english.select(".e-content a")}
    assert links == {"album page": "/albums/sunyi/", "press kit": "/press-kit/#photos"}
    indonesian = BeautifulSoup((out / "id/news/out/index.html").read_text(), "html.parser")
    assert indonesian.select_one(".e-content a")["href"] == "/id/albums/sunyi/"


def test_a_broken_internal_link_is_reported_at_its_line(make_site):
    site = make_site({**FILES, "news/2026-09-13-typo.md": BROKEN})
    message = (
        'content/news/2026-09-13-typo.md:8: warning: link to "../albums/suny.md" '
        "points to no file under content/"
    )
    code, output = check(site)
    assert code == 0  # a warning: the rest of the site is fine
    assert [line for line in output if "link to" in line] == [message]
    code, output = check(site, "--strict")
    assert code == 1
    assert [line for line in output if "link to" in line] == [message]


@pytest.mark.parametrize(
    "phrase", ["{filename}../albums/", "path:line", "--strict", "{filename}", ".id.md"]
)
def test_the_readme_documents_linking_one_entry_from_another(phrase):
    section = README.split("## Writing content", 1)[1].split("\n## ", 1)[0]
    paragraph = next(p for p in section.split("\n\n") if p.startswith("**Linking entries**"))
    assert phrase in paragraph
