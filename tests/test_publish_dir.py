"""The dir: target: release folders and one atomic symlink switch, on this machine."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from publish_support import SITE_V1, SITE_V2, read_tree, write_site

import fanpage.publish.dir as dir_module
from fanpage.publish import PublishError, TargetError, parse_target
from fanpage.publish.dir import DirTarget, build_hash
from fanpage.publish.target import tree_digests


@pytest.fixture
def builds(tmp_path: Path) -> tuple[Path, Path]:
    return write_site(tmp_path / "v1", SITE_V1), write_site(tmp_path / "v2", SITE_V2)


def test_first_publish_makes_a_release_and_a_symlink(tmp_path: Path, builds) -> None:
    v1, _ = builds
    live = tmp_path / "www" / "site"
    live.parent.mkdir()
    target = DirTarget(live)
    result = target.publish(v1)

    assert live.is_symlink()
    assert not os.path.isabs(os.readlink(live))  # relative: the folder can be moved
    release = live.resolve()
    assert release.parent == tmp_path / "www" / ".site-releases"
    assert release.name.endswith("-" + build_hash(tree_digests(v1)))
    assert read_tree(live) == read_tree(v1)
    assert result.changed and Path(result.location) == release
    assert set(result.added) == set(SITE_V1) and not result.deleted
    assert (release.stat().st_mode & 0o777) == 0o755


def test_second_publish_switches_and_keeps_the_previous_release(tmp_path: Path, builds) -> None:
    v1, v2 = builds
    live = tmp_path / "site"
    target = parse_target(f"dir:{live}")
    target.publish(v1)
    first = live.resolve()

    plan = target.plan(v2)
    assert plan.added == ("news/second/index.html",)
    assert set(plan.changed) == {"index.html", "feeds/all.atom.xml"}
    assert plan.deleted == ("news/old/index.html",)
    assert plan.unchanged == 2
    assert live.resolve() == first  # a plan changes nothing

    result = target.publish(v2)
    assert read_tree(live) == read_tree(v2)
    assert live.resolve() != first and first.is_dir()  # the previous release is kept
    assert read_tree(first) == read_tree(v1)
    assert (result.added, set(result.updated), result.deleted) == (
        plan.added,
        set(plan.changed),
        plan.deleted,
    )


def test_the_same_build_twice_changes_nothing(tmp_path: Path, builds) -> None:
    v1, _ = builds
    live = tmp_path / "site"
    target = DirTarget(live)
    target.publish(v1)
    again = write_site(tmp_path / "v1-again", SITE_V1)  # a fresh build, same bytes
    result = target.publish(again)
    assert not result.changed
    assert len(target.release_names()) == 1


def test_the_switch_is_one_rename_and_visitors_see_whole_sites(
    tmp_path: Path, builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the new release is copied, and up to the rename, the live path serves exactly
    the old site; right after the one rename it serves exactly the new one."""
    v1, v2 = builds
    live = tmp_path / "site"
    target = DirTarget(live)
    target.publish(v1)
    old, new = read_tree(v1), read_tree(v2)
    seen_during_copy: list[bool] = []
    renames: list[tuple[dict, dict]] = []
    real_replace = os.replace

    def watching_copy(source: str, destination: str) -> object:
        seen_during_copy.append(read_tree(live) == old)
        return shutil.copy2(source, destination)

    def watching_replace(source, destination) -> None:
        before = read_tree(live)
        real_replace(source, destination)
        renames.append((before, read_tree(live)))

    target.copy_function = watching_copy
    monkeypatch.setattr(dir_module.os, "replace", watching_replace)
    target.publish(v2)

    assert seen_during_copy and all(seen_during_copy)
    assert renames == [(old, new)]


def test_rollback_goes_back_to_the_previous_release(tmp_path: Path, builds) -> None:
    v1, v2 = builds
    live = tmp_path / "site"
    target = DirTarget(live)
    target.publish(v1)
    target.publish(v2)
    result = target.rollback()
    assert read_tree(live) == read_tree(v1)
    assert result.changed and result.deleted == ("news/second/index.html",)
    with pytest.raises(PublishError, match="no release older"):
        target.rollback()
    assert read_tree(live) == read_tree(v1)


def test_old_releases_are_pruned_but_the_live_one_never(tmp_path: Path) -> None:
    live = tmp_path / "site"
    target = DirTarget(live, keep=2)
    for number in range(4):
        build = write_site(tmp_path / f"b{number}", {"index.html": f"build {number}"})
        target.publish(build)
    names = target.release_names()
    assert len(names) == 2
    assert live.resolve().name == names[-1]
    assert (live / "index.html").read_text() == "build 3"
    target.rollback()
    target.publish(write_site(tmp_path / "b4", {"index.html": "build 4"}))
    assert (live / "index.html").read_text() == "build 4"
    assert len(target.release_names()) == 2


def test_a_real_folder_is_kept_as_the_previous_release(tmp_path: Path, builds) -> None:
    v1, _ = builds
    live = tmp_path / "site"
    write_site(live, {"index.html": "hand-made site", "old.html": "an old page"})
    original = read_tree(live)
    target = DirTarget(live)

    plan = target.plan(v1)
    assert any("real folder" in note for note in plan.notes)
    assert "old.html" in plan.deleted
    assert read_tree(live) == original and not live.is_symlink()

    result = target.publish(v1)
    assert live.is_symlink() and read_tree(live) == read_tree(v1)
    assert any("was a real folder" in note for note in result.notes)
    adopted = [name for name in target.release_names() if name.endswith("-adopted")]
    assert len(adopted) == 1
    target.rollback()
    assert read_tree(live) == original


def test_a_failed_copy_leaves_the_live_site(tmp_path: Path, builds) -> None:
    v1, v2 = builds
    live = tmp_path / "site"
    target = DirTarget(live)
    target.publish(v1)
    before = live.resolve()
    copied: list[str] = []

    def copy_until_the_disk_is_full(source: str, destination: str) -> object:
        if len(copied) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        copied.append(source)
        return shutil.copy2(source, destination)

    target.copy_function = copy_until_the_disk_is_full
    with pytest.raises(PublishError, match="disk is full"):
        target.publish(v2)
    assert live.resolve() == before and read_tree(live) == read_tree(v1)
    assert target.release_names() == [before.name]
    assert not [p for p in target.releases.iterdir() if p.name.startswith(".incoming-")]


def test_a_crashed_copy_is_cleaned_up_next_time(tmp_path: Path, builds) -> None:
    v1, v2 = builds
    target = DirTarget(tmp_path / "site")
    target.publish(v1)
    leftover = target.releases / ".incoming-deadbeef"
    write_site(leftover, {"index.html": "half"})
    target.publish(v2)
    assert not leftover.exists()


def test_refuses_a_file_an_empty_build_and_the_root(tmp_path: Path, builds) -> None:
    v1, _ = builds
    a_file = tmp_path / "site"
    a_file.write_text("not a folder")
    with pytest.raises(PublishError, match="not a folder"):
        DirTarget(a_file).publish(v1)
    assert a_file.read_text() == "not a folder"

    live = tmp_path / "live"
    target = DirTarget(live)
    target.publish(v1)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PublishError, match=r"no index\.html"):
        target.publish(empty)
    assert read_tree(live) == read_tree(v1)
    with pytest.raises(TargetError):
        parse_target("dir:/")


def test_dir_target_strings(tmp_path: Path) -> None:
    target = parse_target("dir:/var/www/site")
    assert isinstance(target, DirTarget) and target.path == Path("/var/www/site")
    assert target.releases == Path("/var/www/.site-releases")
    assert target.describe() == "dir:/var/www/site"
    relative = parse_target("dir:public/site", site_dir=tmp_path)
    assert relative.path == tmp_path.resolve() / "public" / "site"
    assert parse_target("dir:/srv/x", options={"dir": {"keep": 5}}).keep == 5
    for bad in ("dir:", "dir", "ftp://host/site", ""):
        with pytest.raises(TargetError):
            parse_target(bad)
    with pytest.raises(TargetError, match="keep"):
        parse_target("dir:/srv/x", options={"dir": {"keeps": 5}})
    with pytest.raises(TargetError, match="one of"):
        parse_target("ftp://host/site")
