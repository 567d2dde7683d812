"""The GitHub Actions set-up, run here: the workflow ``fanpage init`` wrote into a new site,
its deploy and ledger steps executed as the runner executes them (bash, the step's
environment with the secrets filled in), against a local bare repository standing in for
GitHub (the ``origin``), with its ``gh-pages`` branch served over HTTP as GitHub Pages serves
it. Each workflow run starts from a fresh clone of the branch, as ``actions/checkout`` does.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy_support import (
    BranchSite,
    Networks,
    clean_environment,
    git,
    leaks,
    news_text,
    write_publishconf,
)

BIN = Path(sys.executable).parent
DEPLOY = "Deploy (check, build, publish, wait until live, cross-post)"
LEDGER = "Commit the cross-post ledger"
TOKEN = "ghs_workflow_token_for_the_test"
NETWORKS = ("mastodon", "telegram")
EXPRESSION = re.compile(r"\$\{\{\s*([\w.]+)\s*\}\}")


class Runner:
    """Runs one step of the site's own workflow as GitHub's runner would."""

    def __init__(self, workflow: Path, secrets: dict[str, str], folder: Path) -> None:
        data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        self.steps = {s["name"]: s for s in data["jobs"]["deploy"]["steps"]}
        self.secrets = secrets
        self.folder = folder
        self.printed: list[str] = []

    def value(self, text: str) -> str:
        def evaluate(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "github.token":
                return TOKEN
            if name.startswith("secrets."):
                return self.secrets.get(name.removeprefix("secrets."), "")  # unset: empty
            raise AssertionError(f"the test does not know {name}")

        return EXPRESSION.sub(evaluate, str(text))

    def run(self, name: str, workspace: Path) -> subprocess.CompletedProcess[str]:
        step = self.steps[name]
        script = self.folder / f"step-{len(self.printed)}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = clean_environment(
            GITHUB_REF_NAME="main",
            GITHUB_WORKSPACE=str(workspace),
            PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}",  # what the install step adds
        )
        env.update({key: self.value(value) for key, value in step.get("env", {}).items()})
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        self.printed += [done.stdout, done.stderr]
        return done


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Any]]:
    networks = Networks.start(NETWORKS)
    origin = tmp_path / "origin.git"
    git("init", "--quiet", "--bare", str(origin))
    pages = BranchSite(origin, "gh-pages")
    artist = tmp_path / "artist"
    git("clone", "--quiet", str(origin), str(artist))
    made = subprocess.run(
        [sys.executable, "-m", "fanpage.cli", "init", str(artist), "--name", "Senja Pages"],
        capture_output=True,
        text=True,
        env=clean_environment(),
        check=False,
    )
    assert made.returncode == 0, made.stderr
    write_publishconf(artist, pages.url, networks)
    git("add", "--all", cwd=artist)
    git("commit", "--quiet", "-m", "A new fan site", cwd=artist)
    git("push", "--quiet", "origin", "HEAD:main", cwd=artist)
    runner = Runner(artist / ".github/workflows/deploy.yml", networks.secrets(), tmp_path)
    state = {
        "networks": networks,
        "origin": origin,
        "pages": pages,
        "artist": artist,
        "runner": runner,
        "tmp": tmp_path,
    }
    try:
        yield state
        assert leaks([*networks.secret_values(), TOKEN], runner.printed, [tmp_path], set()) == []
    finally:
        pages.stop()
        networks.stop()


def fresh_checkout(world: dict[str, Any], run: int) -> Path:
    """What actions/checkout gives a run: the branch as it is now, one commit deep."""
    workspace = world["tmp"] / f"run-{run}"
    git(
        "clone",
        "--quiet",
        "--depth",
        "1",
        "--branch",
        "main",
        f"file://{world['origin']}",
        str(workspace),
    )
    return workspace


def log(repo: Path, branch: str) -> list[str]:
    return git("log", "--format=%s", branch, cwd=repo).splitlines()


def test_the_workflow_deploys_to_github_pages_and_commits_the_ledger(
    world: dict[str, Any],
) -> None:
    runner: Runner = world["runner"]
    origin: Path = world["origin"]
    artist: Path = world["artist"]
    pages: BranchSite = world["pages"]
    networks: Networks = world["networks"]

    # Run 1: the first push. Published; every entry recorded as announced; ledger committed.
    first = fresh_checkout(world, 1)
    done = runner.run(DEPLOY, first)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "recorded as already announced (first run)" in done.stdout
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=origin).split()
    assert ".nojekyll" in files and "index.html" in files and "news/hello/index.html" in files
    assert pages.get("/")[0] == 200
    done = runner.run(LEDGER, first)
    assert done.returncode == 0, done.stdout + done.stderr
    assert log(origin, "main")[0] == "fanpage: record cross-posts [skip ci]"

    # The artist pulls (the ledger commit) and pushes a new post.
    git("pull", "--quiet", "--rebase", "origin", "main", cwd=artist)
    (artist / "content/news/new-single.md").write_text(
        news_text("news-new-single", "Arus Balik, the new single")
    )
    git("add", "--all", cwd=artist)
    git("commit", "--quiet", "-m", "News: the new single", cwd=artist)
    git("push", "--quiet", "origin", "HEAD:main", cwd=artist)

    # Run 2: posted once on each network; gh-pages gets the post, then its "also on" links.
    second = fresh_checkout(world, 2)
    pages_before = len(log(origin, "gh-pages"))
    done = runner.run(DEPLOY, second)
    assert done.returncode == 0, done.stdout + done.stderr
    assert networks.counts() == dict.fromkeys(NETWORKS, 1)
    url = f"{pages.url}/news/new-single/"
    for network, texts in networks.received().items():
        assert url in texts[0], (network, texts)
    assert len(log(origin, "gh-pages")) == pages_before + 2  # the post, then its links
    status, page = pages.get("/news/new-single/")
    assert status == 200 and "Also on" in page
    ledger_text = (second / "syndication.json").read_text()
    for network in NETWORKS:
        posted = re.search(rf'"{network}": (\{{[^\n]*"state": "posted"[^\n]*\}})', ledger_text)
        assert posted, ledger_text
        post_url = yaml.safe_load(posted.group(1))["url"]
        assert html.escape(post_url) in page

    # Meanwhile the artist pushes a typo fix: the ledger commit goes on top of it.
    (artist / "content/news/new-single.md").write_text(
        news_text("news-new-single", "Arus Balik, the new single (typo fixed)")
    )
    git("commit", "--quiet", "--all", "-m", "Fix a typo", cwd=artist)
    git("push", "--quiet", "origin", "HEAD:main", cwd=artist)
    done = runner.run(LEDGER, second)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "main moved on meanwhile" in done.stdout
    assert log(origin, "main")[:2] == ["fanpage: record cross-posts [skip ci]", "Fix a typo"]
    on_main = git("show", "main:syndication.json", cwd=origin)
    assert on_main == ledger_text

    # Run 3, queued behind run 2: it checks out the branch with that ledger; posts nothing.
    third = fresh_checkout(world, 3)
    done = runner.run(DEPLOY, third)
    assert done.returncode == 0, done.stdout + done.stderr
    assert networks.counts() == dict.fromkeys(NETWORKS, 1)
    assert all(f"{n}: nothing new" in done.stdout for n in NETWORKS), done.stdout
    status, page = pages.get("/news/new-single/")
    assert "(typo fixed)" in page and "Also on" in page
    done = runner.run(LEDGER, third)
    assert done.returncode == 0 and "The ledger did not change." in done.stdout
    assert log(origin, "main")[0] == "fanpage: record cross-posts [skip ci]"


def test_a_missing_secret_fails_the_run_but_the_ledger_is_still_committed(
    world: dict[str, Any],
) -> None:
    runner: Runner = world["runner"]
    origin: Path = world["origin"]
    first = fresh_checkout(world, 1)
    assert runner.run(DEPLOY, first).returncode == 0
    assert runner.run(LEDGER, first).returncode == 0
    artist: Path = world["artist"]
    git("pull", "--quiet", "--rebase", "origin", "main", cwd=artist)
    (artist / "content/news/new-single.md").write_text(news_text("news-new-single", "Arus Balik"))
    git("add", "--all", cwd=artist)
    git("commit", "--quiet", "-m", "News", cwd=artist)
    git("push", "--quiet", "origin", "HEAD:main", cwd=artist)
    del runner.secrets["FANPAGE_TELEGRAM_BOT_TOKEN"]  # never created in the repository
    second = fresh_checkout(world, 2)
    done = runner.run(DEPLOY, second)
    assert done.returncode == 1  # the run shows red ...
    assert "telegram: skipped: Telegram: FANPAGE_TELEGRAM_BOT_TOKEN not set" in done.stdout
    assert world["networks"].counts() == {"mastodon": 1, "telegram": 0}
    assert runner.steps[LEDGER]["if"] == "always()"  # ... and the next step runs regardless
    done = runner.run(LEDGER, second)
    assert done.returncode == 0, done.stderr
    on_main = git("show", "main:syndication.json", cwd=origin)
    assert '"mastodon": {' in on_main and "news-new-single" in on_main
