"""The github-pages / git:BRANCH target against local bare repositories standing in for GitHub."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest
from publish_support import (
    GIT_IDENTITY,
    SITE_V1,
    SITE_V2,
    branch_files,
    git,
    make_bare,
    read_tree,
    write_site,
)

import fanpage.publish.git as git_module
from fanpage.publish import PublishError, TargetError, parse_target
from fanpage.publish.git import GitTarget, clean_environment


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return make_bare(tmp_path / "remote.git")


@pytest.fixture
def site(tmp_path: Path, remote: Path) -> Path:
    """The artist's clone: a main branch with the sources, origin = the bare repository."""
    site = tmp_path / "site"
    git("clone", "--quiet", str(remote), str(site))
    (site / "pelicanconf.py").write_text('SITENAME = "Test Band"\n')
    (site / "content").mkdir()
    (site / "content" / "hello.md").write_text("---\ntitle: Hello\n---\nHi.\n")
    git("add", ".", cwd=site)
    git("commit", "--quiet", "-m", "sources", cwd=site)
    git("push", "--quiet", "origin", "main", cwd=site)
    (site / "content" / "draft.md").write_text("uncommitted work\n")  # the artist's mess
    return site


@pytest.fixture
def builds(tmp_path: Path) -> tuple[Path, Path]:
    return write_site(tmp_path / "v1", SITE_V1), write_site(tmp_path / "v2", SITE_V2)


def tip(bare: Path, branch: str = "gh-pages") -> str:
    return git("rev-parse", f"refs/heads/{branch}", cwd=bare).strip()


def artist_state(site: Path) -> tuple[str, str, str, str, str]:
    """Everything of the artist's repository a publish must not touch."""
    return (
        git("status", "--porcelain", "--untracked-files=all", cwd=site),
        git("rev-parse", "HEAD", cwd=site),
        git("symbolic-ref", "HEAD", cwd=site),
        git("for-each-ref", cwd=site),
        git("count-objects", "-v", cwd=site),
    )


def expected(files: dict[str, str], **extra: bytes) -> dict[str, bytes]:
    return {**{rel: text.encode() for rel, text in files.items()}, ".nojekyll": b"", **extra}


def test_github_pages_commits_the_build_without_touching_the_artist_repo(
    site: Path, remote: Path, builds
) -> None:
    v1, _ = builds
    before = artist_state(site)
    target = parse_target("github-pages", site_dir=site)
    assert isinstance(target, GitTarget) and target.branch == "gh-pages"

    result = target.publish(v1)

    assert result.changed and set(result.added) == {*SITE_V1, ".nojekyll"}
    assert branch_files(remote, "gh-pages") == expected(SITE_V1)
    message = git("log", "-1", "--format=%s", "gh-pages", cwd=remote).strip()
    assert message == f"fanpage: publish {git('rev-parse', '--short=12', 'HEAD', cwd=site).strip()}"
    assert artist_state(site) == before
    assert tip(remote, "main") == git("rev-parse", "HEAD", cwd=site).strip()


def test_nothing_changed_means_no_commit_and_no_push(site: Path, remote: Path, builds) -> None:
    v1, _ = builds
    target = parse_target("github-pages", site_dir=site)
    target.publish(v1)
    first = tip(remote)
    result = target.publish(write_site(v1.parent / "v1-rebuilt", SITE_V1))
    assert not result.changed
    assert tip(remote) == first
    assert git("rev-list", "--count", "gh-pages", cwd=remote).strip() == "1"


def test_a_new_build_is_a_fast_forward_commit_with_the_diff(
    site: Path, remote: Path, builds
) -> None:
    v1, v2 = builds
    target = parse_target("github-pages", site_dir=site)
    target.publish(v1)
    first = tip(remote)

    plan = target.plan(v2)
    assert plan.added == ("news/second/index.html",)
    assert set(plan.changed) == {"index.html", "feeds/all.atom.xml"}
    assert plan.deleted == ("news/old/index.html",)
    assert tip(remote) == first  # a plan pushes nothing

    result = target.publish(v2)
    assert (result.added, set(result.updated), result.deleted) == (
        plan.added,
        set(plan.changed),
        plan.deleted,
    )
    assert git("rev-parse", "gh-pages^", cwd=remote).strip() == first
    assert branch_files(remote, "gh-pages") == expected(SITE_V2)


def test_cname_on_the_branch_is_kept_and_one_in_the_build_wins(
    tmp_path: Path, site: Path, remote: Path, builds
) -> None:
    v1, v2 = builds
    target = parse_target("github-pages", site_dir=site)
    target.publish(v1)
    # GitHub commits CNAME to the branch when a custom domain is set in the settings.
    other = tmp_path / "github-ui"
    git("clone", "--quiet", "--branch", "gh-pages", str(remote), str(other))
    (other / "CNAME").write_text("band.example.org\n")
    git("add", "CNAME", cwd=other)
    git("commit", "--quiet", "-m", "Create CNAME", cwd=other)
    git("push", "--quiet", "origin", "gh-pages", cwd=other)

    result = target.publish(v2)
    assert branch_files(remote, "gh-pages") == expected(SITE_V2, CNAME=b"band.example.org\n")
    assert any("CNAME" in note for note in result.notes)

    with_cname = write_site(tmp_path / "v3", {**SITE_V2, "CNAME": "music.example.org\n"})
    target.publish(with_cname)
    assert branch_files(remote, "gh-pages")["CNAME"] == b"music.example.org\n"


def test_a_push_that_is_not_a_fast_forward_fails_with_gits_reason(
    tmp_path: Path, site: Path, remote: Path, builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else publishes between our fetch and our push: git refuses, we say why."""
    v1, v2 = builds
    target = parse_target("github-pages", site_dir=site)
    target.publish(v1)
    rival = tmp_path / "rival"
    git("clone", "--quiet", "--branch", "gh-pages", str(remote), str(rival))
    (rival / "index.html").write_text("the other deploy")
    git("commit", "--quiet", "-am", "rival deploy", cwd=rival)
    real_push = git_module._Scratch.push

    def push_after_the_rival(self, commit: str) -> None:
        git("push", "--quiet", "origin", "gh-pages", cwd=rival)
        real_push(self, commit)

    monkeypatch.setattr(git_module._Scratch, "push", push_after_the_rival)
    with pytest.raises(PublishError) as caught:
        target.publish(v2)
    message = str(caught.value)
    assert "\n" not in message
    assert "refused" in message and "[rejected]" in message and "fetch first" in message
    assert tip(remote) == git("rev-parse", "HEAD", cwd=rival).strip()  # theirs stays


def test_a_push_the_remote_declines_fails_with_its_message(
    site: Path, remote: Path, builds
) -> None:
    v1, _ = builds
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'deploys are frozen until Monday' >&2\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(PublishError) as caught:
        parse_target("github-pages", site_dir=site).publish(v1)
    assert "pre-receive hook declined" in str(caught.value)
    assert "deploys are frozen until Monday" in str(caught.value)
    branches = git("for-each-ref", "--format=%(refname)", cwd=remote).split()
    assert "refs/heads/gh-pages" not in branches


def test_rollback_commits_the_previous_site_again(site: Path, remote: Path, builds) -> None:
    v1, v2 = builds
    target = parse_target("github-pages", site_dir=site)
    target.publish(v1)
    target.publish(v2)
    second = tip(remote)
    result = target.rollback()
    assert branch_files(remote, "gh-pages") == expected(SITE_V1)
    assert git("rev-parse", "gh-pages^", cwd=remote).strip() == second  # no force push
    assert result.deleted == ("news/second/index.html",)


def test_a_given_remote_and_branch_without_a_site_repository(
    tmp_path: Path, remote: Path, builds
) -> None:
    v1, _ = builds
    plain = tmp_path / "not-a-repo"
    plain.mkdir()
    with pytest.raises(PublishError, match="not in a git repository"):
        parse_target("github-pages", site_dir=plain).publish(v1)

    target = parse_target(f"git:site@{remote}", site_dir=plain)
    target.publish(v1)
    assert branch_files(remote, "site") == expected(SITE_V1)
    relative = parse_target("git:other@../remote.git", site_dir=plain)
    relative.publish(v1)
    assert branch_files(remote, "other") == expected(SITE_V1)


def test_the_site_repositorys_url_rewrites_and_credentials_config_apply(
    site: Path, remote: Path, builds
) -> None:
    """origin as GitHub Actions has it (an https URL), rewritten by the repository's own
    config to the local bare repository; and its http.* settings reach the scratch git
    through the environment, not the command line."""
    v1, _ = builds
    git("remote", "set-url", "origin", "https://git.example.invalid/band/site.git", cwd=site)
    git("config", f"url.{remote}.insteadOf", "https://git.example.invalid/band/site.git", cwd=site)
    header = "AUTHORIZATION: basic dGVzdDp0ZXN0"
    git("config", "http.https://git.example.invalid/.extraheader", header, cwd=site)

    target = parse_target("github-pages", site_dir=site)
    inherited = target.inherited_config()
    assert inherited["http.https://git.example.invalid/.extraheader"] == header
    seen = subprocess.run(
        ["git", "config", "--get", "http.https://git.example.invalid/.extraheader"],
        env=clean_environment(inherited),
        capture_output=True,
        text=True,
        check=True,
        cwd=site.parent,
    )
    assert seen.stdout.strip() == header

    target.publish(v1)
    assert branch_files(remote, "gh-pages") == expected(SITE_V1)
    assert header not in target.describe()


def test_credentials_in_a_remote_url_are_never_shown(tmp_path: Path, builds) -> None:
    v1, _ = builds
    url = "http://publisher:s3cret-token@127.0.0.1:9/band/site.git"  # port 9: nothing there
    target = parse_target(f"git:gh-pages@{url}", site_dir=tmp_path)
    assert "s3cret-token" not in target.describe()
    with pytest.raises(PublishError) as caught:
        target.publish(v1)
    assert "s3cret-token" not in str(caught.value)
    assert "cannot reach" in str(caught.value)


def test_the_artists_hooks_and_global_ignores_do_not_apply(
    tmp_path: Path, site: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A global excludes file that ignores *.css, and global hooks, must not change what
    is published."""
    home = tmp_path / "home"
    hooks = home / "hooks"
    hooks.mkdir(parents=True)
    (home / "ignore").write_text("*.css\n")
    hook = hooks / "pre-push"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    (home / ".gitconfig").write_text(
        f"[core]\n\texcludesFile = {home / 'ignore'}\n\thooksPath = {hooks}\n"
        "\tautocrlf = true\n"
        f"[user]\n\tname = {GIT_IDENTITY['GIT_AUTHOR_NAME']}\n\temail = a@example.org\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    build = write_site(tmp_path / "crlf", {**SITE_V1, "notes.txt": "line one\r\nline two\n"})
    parse_target("github-pages", site_dir=site).publish(build)
    published = branch_files(remote, "gh-pages")
    assert published["theme/css/site.css"] == SITE_V1["theme/css/site.css"].encode()
    assert published["notes.txt"] == b"line one\r\nline two\n"
    assert {rel: published[rel] for rel in read_tree(build)} == read_tree(build)


def test_git_target_strings(tmp_path: Path) -> None:
    pages = parse_target("github-pages", site_dir=tmp_path)
    assert (pages.branch, pages.remote) == ("gh-pages", None)
    assert parse_target("git:gh-pages", site_dir=tmp_path).branch == "gh-pages"
    scp = parse_target("git:pages@git@github.com:band/site.git")
    assert (scp.branch, scp.remote) == ("pages", "git@github.com:band/site.git")
    https = parse_target("github-pages@https://github.com/band/site.git")
    assert (https.branch, https.remote) == ("gh-pages", "https://github.com/band/site.git")
    given = parse_target("git:live", options={"git": {"remote": "/srv/site.git"}})
    assert given.remote == "/srv/site.git"
    for bad in ("git:", "git:@/srv/x.git", "git:main@", "github-pagesx", "git:a b"):
        with pytest.raises(TargetError):
            parse_target(bad)
