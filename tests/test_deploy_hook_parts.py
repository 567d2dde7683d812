"""The post-receive hook's parts, each on real git repositories: installing it, reading the
secrets file, reading git's lines, the checkout, and the refusals (a push to another branch,
a bad secrets file, a ledger the settings would put in the checkout)."""

from __future__ import annotations

import dataclasses
import io
import os
import sys
from pathlib import Path

import pytest

import fanpage.crosspost.site as site_module
from fanpage.crosspost.runner import CrosspostSettings
from fanpage.publish.hook import (
    ENV_TEMPLATE,
    Hook,
    HookError,
    checkout,
    install,
    pushed_commit,
    read_env,
    state_for,
)
from tests.deploy_support import git

ZERO = "0" * 40
PAGE = "---\ntitle: About\n---\nAbout us.\n"


def bare(tmp_path: Path, name: str = "site.git") -> Path:
    repo = tmp_path / name
    git("init", "--quiet", "--bare", str(repo))
    return repo


def commit_files(repo: Path, work: Path, files: dict[str, str], message: str) -> str:
    """A commit on main of ``repo`` holding exactly ``files`` (made in a clone, pushed)."""
    if not work.exists():
        git("clone", "--quiet", str(repo), str(work))
    for path in work.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(work).parts:
            path.unlink()
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    git("add", "--all", cwd=work)
    git("commit", "--quiet", "--allow-empty", "-m", message, cwd=work)
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)
    return git("rev-parse", "HEAD", cwd=work).strip()


# -- install ---------------------------------------------------------------------------------


def test_install_writes_an_executable_hook_naming_this_python(tmp_path: Path) -> None:
    repo = bare(tmp_path)
    done = install(repo, "dir:/var/www/site")
    assert done.hook == repo / "hooks" / "post-receive" and os.access(done.hook, os.X_OK)
    text = done.hook.read_text()
    assert f"exec {os.path.abspath(sys.executable)} -P -m fanpage.publish.cli hook run" in text
    assert f"--repo {repo} --target dir:/var/www/site" in text
    assert done.state.target.read_text() == "dir:/var/www/site\n"  # for `hook run --tip`
    assert Hook(repo).target == "dir:/var/www/site"
    assert done.env_created and done.state.env.read_text() == ENV_TEMPLATE
    assert done.state.env.stat().st_mode & 0o777 == 0o600
    assert done.state.root.stat().st_mode & 0o777 == 0o700


def test_reinstalling_keeps_the_secrets_and_a_foreign_hook_needs_force(tmp_path: Path) -> None:
    repo = bare(tmp_path)
    install(repo, "dir:/srv/a")
    env = state_for(repo).env
    env.write_text("FANPAGE_MASTODON_TOKEN=kept\n")
    again = install(repo, "dir:/srv/b")
    assert again.replaced and not again.env_created
    assert env.read_text() == "FANPAGE_MASTODON_TOKEN=kept\n"
    assert "--target dir:/srv/b" in again.hook.read_text()
    again.hook.write_text("#!/bin/sh\necho mine\n")
    with pytest.raises(HookError, match="was not written by fanpage"):
        install(repo, "dir:/srv/b")
    assert install(repo, "dir:/srv/b", force=True).replaced


def test_install_refuses_what_cannot_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(HookError, match="is not a folder"):
        install(tmp_path / "missing.git")
    plain = tmp_path / "plain"
    git("init", "--quiet", str(plain))
    with pytest.raises(HookError, match="is not a bare repository"):
        install(plain)
    repo = bare(tmp_path)
    with pytest.raises(HookError, match="is inside the repository"):
        install(repo, f"dir:{repo}/fanpage-state/www")
    with pytest.raises(HookError, match="name the remote"):
        install(repo, "github-pages")
    monkeypatch.chdir(tmp_path)
    relative = install(repo, "dir:public")  # made absolute: the hook runs elsewhere
    assert relative.target == f"dir:{tmp_path / 'public'}"
    assert not (repo / "hooks" / ".post-receive.fanpage-tmp").exists()


def test_install_honours_core_hooks_path(tmp_path: Path) -> None:
    repo = bare(tmp_path)
    git("--git-dir", str(repo), "config", "core.hooksPath", str(tmp_path / "shared-hooks"))
    done = install(repo)
    assert done.hook == tmp_path / "shared-hooks" / "post-receive" and done.hook.exists()
    assert "--target" not in done.hook.read_text()  # DEPLOY_TARGET of the site decides
    assert Hook(repo).target is None


# -- the secrets file and git's lines --------------------------------------------------------


def test_read_env(tmp_path: Path) -> None:
    env = tmp_path / "env"
    env.write_text(
        ENV_TEMPLATE + "\nFANPAGE_MASTODON_TOKEN=abc=def\nexport FANPAGE_X_API_KEY='q u'\n"
        'FANPAGE_DISCORD_WEBHOOK_URL="https://discord.com/api/webhooks/1/t"\n'
    )
    assert read_env(env) == {
        "FANPAGE_MASTODON_TOKEN": "abc=def",
        "FANPAGE_X_API_KEY": "q u",
        "FANPAGE_DISCORD_WEBHOOK_URL": "https://discord.com/api/webhooks/1/t",
    }
    assert read_env(tmp_path / "none") == {}
    env.write_text("# ok\nFANPAGE_A=1\nthe-secret-token-itself\n")
    with pytest.raises(HookError) as caught:
        read_env(env)
    assert f"{env}:3: not a NAME=value line" in str(caught.value)
    assert "the-secret-token-itself" not in str(caught.value)


def test_pushed_commit_reads_only_the_main_branch() -> None:
    new = "a" * 40
    lines = [f"{ZERO} {'b' * 40} refs/heads/feature", f"{'c' * 40} {new} refs/heads/main"]
    assert pushed_commit(lines, "refs/heads/main") == (new, False)
    assert pushed_commit(lines[:1], "refs/heads/main") == (None, False)
    assert pushed_commit([f"{new} {ZERO} refs/heads/main"], "refs/heads/main") == (None, True)
    assert pushed_commit([f"{ZERO} {'d' * 64} refs/heads/main"], "refs/heads/main") == (
        "d" * 64,
        False,
    )


# -- the checkout ----------------------------------------------------------------------------


def test_checkout_holds_exactly_the_commit_and_leaves_head_alone(tmp_path: Path) -> None:
    repo = bare(tmp_path)
    clone = tmp_path / "clone"
    first = commit_files(repo, clone, {"content/a.md": "a", "content/b.md": "b"}, "one")
    state = state_for(repo)
    state.make()
    checkout(repo, first, state)
    assert (state.work / "content/b.md").read_text() == "b"
    (state.work / "output").mkdir()
    (state.work / "output" / "stale.html").write_text("left by a build")
    (state.work / ".cache").mkdir()
    (state.work / ".cache" / "card.png").write_text("kept")
    second = commit_files(repo, clone, {"content/a.md": "a2"}, "two")
    checkout(repo, second, state)
    assert (state.work / "content/a.md").read_text() == "a2"
    assert not (state.work / "content/b.md").exists()  # deleted in the commit: gone
    assert not (state.work / "output").exists()
    assert (state.work / ".cache" / "card.png").read_text() == "kept"
    assert git("--git-dir", str(repo), "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert not (repo / "index").exists()  # the bare repository's own index: untouched
    state.index.write_bytes(b"garbage")  # a damaged index is started afresh
    checkout(repo, first, state)
    assert (state.work / "content/b.md").read_text() == "b"


# -- the run's refusals ----------------------------------------------------------------------


def make_hook(tmp_path: Path) -> tuple[Path, Path, Hook, io.BytesIO]:
    repo = bare(tmp_path)
    clone = tmp_path / "clone"
    settings = (
        "import os\nSITENAME = 'Parts'\nTIMEZONE = 'UTC'\n"
        "SITEURL = 'http://127.0.0.1:9'\n"
        "LEDGER_PATH = os.environ.get('FANPAGE_LEDGER_PATH', 'syndication.json')\n"
        "CROSSPOST = {'discord': {}}\n"
    )
    files = {"pelicanconf.py": settings, "publishconf.py": settings, "content/pages/a.md": PAGE}
    commit_files(repo, clone, files, "site")
    install(repo, f"dir:{tmp_path / 'www'}")  # after the push: these tests run the hook
    out = io.BytesIO()
    return repo, clone, Hook(repo, f"dir:{tmp_path / 'www'}", out=out), out


def test_a_push_to_another_branch_or_a_deletion_deploys_nothing(tmp_path: Path) -> None:
    repo, _clone, hook, out = make_hook(tmp_path)
    tip = git("--git-dir", str(repo), "rev-parse", "main").strip()
    assert hook.run([f"{ZERO} {tip} refs/heads/feature"]) == 0
    assert hook.run([f"{tip} {ZERO} refs/heads/main"]) == 0
    said = out.getvalue().decode()
    assert "fanpage: main was not pushed; nothing to deploy (only main deploys)" in said
    assert "fanpage: main was deleted; nothing deployed" in said
    assert not (tmp_path / "www").exists() and not state_for(repo).history.exists()


def test_a_bad_secrets_file_stops_the_deploy_without_showing_the_line(tmp_path: Path) -> None:
    repo, _clone, hook, out = make_hook(tmp_path)
    state = state_for(repo)
    state.env.write_text("FANPAGE_DISCORD_WEBHOOK_URL https://discord.com/api/webhooks/1/secret\n")
    assert hook.run(None) == 1  # --tip
    said = out.getvalue().decode()
    assert f"{state.env}:1: not a NAME=value line" in said
    assert "webhooks/1/secret" not in said
    assert not (tmp_path / "www").exists()
    assert state.history.read_text().split()[2:] == ["failed", "(env", "file)"]


def test_a_ledger_outside_the_state_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings that would keep the ledger in the checkout (replaced by every push, so every
    entry would be posted again): the hook refuses before anything is built."""
    repo, _clone, hook, out = make_hook(tmp_path)
    elsewhere = state_for(repo).work / "syndication.json"
    original = site_module.crosspost_settings

    def ledger_in_the_checkout(config: object) -> CrosspostSettings:
        return dataclasses.replace(original(config), ledger_path=elsewhere)  # type: ignore[arg-type]

    monkeypatch.setattr(site_module, "crosspost_settings", ledger_in_the_checkout)
    assert hook.run(None) == 1
    said = out.getvalue().decode()
    assert f"the site's settings put the cross-post ledger at {elsewhere}" in said
    assert "not deployed: nothing was published or posted" in said
    assert not (tmp_path / "www").exists()


def test_the_first_deploy_starts_from_a_ledger_kept_in_git_then_never_again(
    tmp_path: Path,
) -> None:
    repo = bare(tmp_path)
    clone = tmp_path / "clone"
    kept = '{"version": 2, "networks": {}, "records": {}}\n'
    first = commit_files(repo, clone, {"syndication.json": kept, "content/a.md": "a"}, "one")
    install(repo, "dir:/srv/www")
    hook = Hook(repo, out=io.BytesIO())
    checkout(repo, first, hook.state)
    hook._seed_ledger()
    assert hook.state.ledger.read_text() == kept
    hook.state.ledger.write_text("the state folder's own, newer\n")
    hook._seed_ledger()
    assert hook.state.ledger.read_text() == "the state folder's own, newer\n"
