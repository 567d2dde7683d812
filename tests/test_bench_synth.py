"""The benchmark's synthetic site: the same seed gives the same bytes, and both sides are valid.

If the generator drifted or wrote content fanpage rejects, every benchmark figure would be
measuring something else.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pelican.readers import Readers
from pelican.settings import read_settings

from fanpage.cli import main as fanpage_cli

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import synth  # noqa: E402

N = 40


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth")
    synth.generate(N, root)
    return root


def test_same_seed_same_bytes_other_seed_other_site(site: Path, tmp_path: Path) -> None:
    synth.generate(N, tmp_path / "again")
    synth.generate(N, tmp_path / "other", seed=synth.SEED + 1)
    first, again = tree(site), tree(tmp_path / "again")
    assert first == again
    other = tree(tmp_path / "other")
    assert other != first


def test_composition_follows_the_documented_proportions(site: Path) -> None:
    mix = synth.composition(1000)
    assert mix.total == 1000
    assert (mix.pages, mix.albums, mix.tours) == (4, 159, 80)
    assert mix.news_id == (mix.news_en + mix.news_id) // 5
    small = synth.composition(N)
    content = site / "fanpage" / "content"
    assert len(list((content / "albums").glob("*.md"))) == small.albums
    assert len(list((content / "tours").glob("*.md"))) == small.tours
    assert len(list((content / "news").glob("*.id.md"))) == small.news_id
    assert len(list((content / "news").glob("*.md"))) == small.news_en + small.news_id
    assert len(list((content / "pages").glob("*.md"))) == small.pages
    tour = next((content / "tours").glob("*.md")).read_text(encoding="utf-8")
    assert tour.count("\n  - date: ") == 20
    album = next((content / "albums").glob("*.md")).read_text(encoding="utf-8")
    assert album.count("\n  - title: ") == 12


def test_fanpage_check_accepts_the_site_strictly(site: Path) -> None:
    result = CliRunner().invoke(
        fanpage_cli, ["check", "--strict", "--publish", "--site", str(site / "fanpage")]
    )
    assert result.exit_code == 0, result.output
    assert f"{N} entries checked: no problems found" in result.output


def test_pelican_reads_the_same_entries_with_the_same_bodies(site: Path) -> None:
    settings = read_settings(str(site / "pelican" / "pelicanconf.py"))
    readers = Readers(settings)
    _, docs = synth.make_docs(N)
    assert len(docs) == N
    for doc in docs:
        body_words = len(doc.body.split())
        assert 330 <= body_words <= 470, (doc.relative, body_words)
        assert "\n## " in doc.body and "\n- " in doc.body and "{static}/images/" in doc.body
        fanpage_text = (site / "fanpage" / "content" / doc.relative).read_text(encoding="utf-8")
        assert fanpage_text.endswith("\n---\n" + doc.body)
        content = readers.read_file(
            base_path=settings["PATH"], path=doc.relative, content_class=_Plain
        )
        assert content.metadata["title"] == doc.title
        assert content.metadata["slug"] == doc.slug
        assert content.metadata["lang"] == doc.lang
        if doc.kind != "page":
            assert content.metadata["date"].date() == doc.day
            assert [t.name for t in content.metadata["tags"]] == doc.tags
        assert "<h2" in content.content and "<li>" in content.content


class _Plain:
    """Pelican's reader hands the parsed file to a content class; keep it as it is."""

    def __init__(self, content: str, metadata: dict, **kwargs: object) -> None:
        self.content = content
        self.metadata = metadata
