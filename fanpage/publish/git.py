"""``github-pages`` (= ``git:gh-pages``) and ``git:BRANCH``: commit the build to a branch, push.

The commit is made with plumbing in a throwaway bare repository in a temporary folder, so the
artist's working tree, index, current branch and even object store are never touched:

1. ``git ls-remote`` finds the branch's tip on the remote; ``git fetch --depth=1`` brings that
   one commit (a shallow fetch is harmless in a repository that is thrown away);
2. ``git add --all --force`` with a temporary index and the build as work tree, then
   ``update-index --cacheinfo`` for ``CNAME`` (kept from the branch when the build has none)
   and an empty ``.nojekyll`` (so GitHub Pages serves files and folders starting with ``_``),
   then ``write-tree``;
3. the same tree as the tip's: nothing changed, no commit, no push;
4. ``commit-tree -p TIP`` and ``git push URL COMMIT:refs/heads/BRANCH``, never forced: a
   push that is not a fast-forward (someone else published meanwhile) or that the remote
   refuses is a :class:`PublishError` with git's reason, and the branch stays as it was.

The remote is the site repository's ``origin`` (its fetch and push URLs, with ``insteadOf``
applied as git does) unless one is given. Credentials stay git's business: the site
repository's own ``http.*``, ``credential.*`` and ``url.*`` settings (where
``actions/checkout`` keeps its token) are handed to the throwaway repository through
``GIT_CONFIG_COUNT`` variables, not the command line, so they never show in ``ps``; the
user's global settings (credential helpers, ssh) apply as usual. ``GIT_TERMINAL_PROMPT=0``:
a missing credential fails at once instead of waiting for a password nobody will type.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from fanpage.publish.target import (
    PublishError,
    PublishPlan,
    PublishResult,
    Target,
    check_output,
)

TIP_REF = "refs/fanpage/tip"
EMPTY_BLOB = ""
# Variables that would make git look at another repository than the one we name (a git hook
# runs with GIT_DIR set, a pre-receive hook with a quarantine object folder).
REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_QUARANTINE_PATH",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)
INHERITED_CONFIG = re.compile(r"^(http\.|credential\.|url\.|core\.sshcommand$)", re.IGNORECASE)
DEFAULT_NAME = "fanpage"
DEFAULT_EMAIL = "fanpage@localhost"


def redact(url: str) -> str:
    """A remote URL fit for a message: any user:password@ in it replaced by ***@."""
    return re.sub(r"(?<=://)[^/@]+@", "***@", url)


def is_local_path(url: str) -> bool:
    """Whether git would read ``url`` as a path on this machine (not a URL, not host:path)."""
    if "://" in url:
        return False
    before_slash = url.split("/", 1)[0]
    return ":" not in before_slash


def clean_environment(extra_config: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for every git we run: no repository variables, no prompts, and
    ``extra_config`` passed as ``GIT_CONFIG_KEY_n``/``GIT_CONFIG_VALUE_n``."""
    env = {key: value for key, value in os.environ.items() if key not in REPOSITORY_VARIABLES}
    env["GIT_TERMINAL_PROMPT"] = "0"
    count = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
    for key, value in (extra_config or {}).items():
        env[f"GIT_CONFIG_KEY_{count}"] = key
        env[f"GIT_CONFIG_VALUE_{count}"] = value
        count += 1
    env["GIT_CONFIG_COUNT"] = str(count)
    return env


def _run(
    args: list[str],
    env: Mapping[str, str],
    *,
    cwd: Path | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=dict(env),
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        check=False,
    )


def _reason(process: subprocess.CompletedProcess[str]) -> str:
    """git's own words for a failure, on one line."""
    lines = [line.strip() for line in (process.stderr or "").splitlines() if line.strip()]
    wanted = [line for line in lines if line.startswith(("fatal:", "error:", "remote:"))]
    words = wanted or lines or [f"git exited with status {process.returncode}"]
    said = "; ".join(line.removeprefix("fatal: ").removeprefix("error: ") for line in words[:3])
    return redact(said)


@dataclass(frozen=True)
class Remote:
    """Where to fetch the branch from and push it to."""

    fetch_url: str
    push_url: str
    config: Mapping[str, str]  # the site repository's http/credential/url settings


class GitTarget(Target):
    """A branch of a git repository (GitHub Pages: ``gh-pages`` of the site's ``origin``)."""

    kind: ClassVar[str] = "git"
    supports_rollback: ClassVar[bool] = True

    def __init__(
        self,
        branch: str = "gh-pages",
        remote: str | None = None,
        site_dir: Path | str | None = None,
        message: str | None = None,
        spec: str | None = None,
    ) -> None:
        if not branch or branch.startswith("-") or any(c in branch for c in " ~^:?*[\\"):
            raise PublishError(f'"{branch}" is not a branch name git accepts')
        self.branch = branch
        self.site_dir = Path(site_dir).resolve() if site_dir is not None else None
        if remote and is_local_path(remote):
            base = self.site_dir or Path.cwd()
            remote = str((base / Path(remote).expanduser()).resolve())
        self.remote = remote or None
        self.message = message
        self.spec = spec

    def describe(self) -> str:
        name = redact(self.spec) if self.spec else f"git:{self.branch}"
        where = redact(self.remote) if self.remote else "origin"
        return f"{name} ({self.branch} of {where})"

    # -- the interface ----------------------------------------------------------------------

    def plan(self, output_dir: Path) -> PublishPlan:
        output = check_output(output_dir)
        with self._scratch() as repo:
            tip = repo.fetch_tip(depth=1)
            tree, notes = repo.build_tree(output, tip)
            added, changed, deleted, unchanged = repo.diff(tip, tree)
        return PublishPlan(self.describe(), added, changed, deleted, unchanged, tuple(notes))

    def publish(self, output_dir: Path) -> PublishResult:
        output = check_output(output_dir)
        with self._scratch() as repo:
            tip = repo.fetch_tip(depth=1)
            tree, notes = repo.build_tree(output, tip)
            added, changed, deleted, unchanged = repo.diff(tip, tree)
            if tip is not None and repo.tree_of(tip) == tree:
                return PublishResult(
                    self.describe(), False, unchanged=unchanged, location=f"{tip[:12]}"
                )
            commit = repo.commit(tree, tip, self.message or self._default_message())
            repo.push(commit)
        return PublishResult(
            self.describe(),
            True,
            added=added,
            updated=changed,
            deleted=deleted,
            unchanged=unchanged,
            location=f"{commit[:12]} on {self.branch}",
            notes=tuple(notes),
        )

    def rollback(self) -> PublishResult:
        """A new commit on the branch with the tree of the one before the tip (no force push)."""
        with self._scratch() as repo:
            tip = repo.fetch_tip(depth=2)
            if tip is None:
                raise PublishError(f"{self.describe()}: the branch does not exist yet")
            previous = repo.parent_of(tip)
            if previous is None:
                raise PublishError(f"{self.describe()}: the branch has no earlier site")
            tree = repo.tree_of(previous)
            added, changed, deleted, unchanged = repo.diff(tip, tree)
            commit = repo.commit(tree, tip, f"fanpage: roll back to {previous[:12]}")
            repo.push(commit)
        return PublishResult(
            self.describe(),
            True,
            added=added,
            updated=changed,
            deleted=deleted,
            unchanged=unchanged,
            location=f"{commit[:12]} on {self.branch}",
            notes=(f"the branch now holds the site of {previous[:12]} again",),
        )

    # -- helpers ----------------------------------------------------------------------------

    def _default_message(self) -> str:
        source = self._site_head()
        return f"fanpage: publish {source}" if source else "fanpage: publish"

    def _site_head(self) -> str | None:
        if self.site_dir is None:
            return None
        process = _run(["rev-parse", "--short=12", "HEAD"], clean_environment(), cwd=self.site_dir)
        return process.stdout.strip() if process.returncode == 0 else None

    def resolve_remote(self) -> Remote:
        if self.remote:
            return Remote(self.remote, self.remote, {})
        if self.site_dir is None:
            raise PublishError(
                f"{self.describe()}: no site folder to find the remote in; "
                "give one as git:BRANCH@URL"
            )
        env = clean_environment()
        top = _run(["rev-parse", "--show-toplevel"], env, cwd=self.site_dir)
        if top.returncode != 0:
            raise PublishError(
                f"{self.describe()}: {self.site_dir} is not in a git repository; "
                "give the remote as git:BRANCH@URL"
            )
        urls = []
        for extra in ([], ["--push"]):
            process = _run(["remote", "get-url", *extra, "origin"], env, cwd=self.site_dir)
            if process.returncode != 0:
                raise PublishError(
                    f"{self.describe()}: the site repository has no remote named origin; "
                    "add one or give the remote as git:BRANCH@URL"
                )
            url = process.stdout.strip()
            if is_local_path(url):
                url = str((self.site_dir / url).resolve())
            urls.append(url)
        return Remote(urls[0], urls[1], self.inherited_config())

    def inherited_config(self) -> dict[str, str]:
        """The site repository's own http/credential/url settings (values never printed)."""
        if self.site_dir is None:
            return {}
        process = _run(
            [
                "config",
                "--local",
                "--includes",
                "--null",
                "--get-regexp",
                r"^(http|credential|url|core)\.",
            ],
            clean_environment(),
            cwd=self.site_dir,
        )
        found: dict[str, str] = {}
        for item in process.stdout.split("\0"):
            key, _, value = item.partition("\n")
            if key and INHERITED_CONFIG.match(key):
                found[key] = value
        return found

    @contextlib.contextmanager
    def _scratch(self) -> Iterator[_Scratch]:
        remote = self.resolve_remote()
        with tempfile.TemporaryDirectory(prefix="fanpage-git-") as folder:
            yield _Scratch(Path(folder), remote, self.branch, self.describe())


class _Scratch:
    """A throwaway bare repository that builds and pushes one commit."""

    def __init__(self, folder: Path, remote: Remote, branch: str, name: str) -> None:
        self.git_dir = folder / "repo.git"
        self.index = folder / "index"
        self.remote = remote
        self.branch = branch
        self.name = name
        hooks = folder / "no-hooks"
        hooks.mkdir()
        config = dict(remote.config)
        config.update(
            {
                "core.autocrlf": "false",
                "core.safecrlf": "false",
                "core.fsmonitor": "false",
                "core.hooksPath": str(hooks),
                "gc.auto": "0",
                "init.defaultBranch": "fanpage",
            }
        )
        self.env = clean_environment(config)
        init = _run(["init", "--quiet", "--bare", str(self.git_dir)], self.env)
        if init.returncode != 0:
            raise PublishError(f"{name}: cannot make a temporary repository: {_reason(init)}")
        if not self._configured("user.name") and "GIT_AUTHOR_NAME" not in self.env:
            self.env["GIT_AUTHOR_NAME"] = self.env["GIT_COMMITTER_NAME"] = DEFAULT_NAME
        if not self._configured("user.email") and "GIT_AUTHOR_EMAIL" not in self.env:
            self.env["GIT_AUTHOR_EMAIL"] = self.env["GIT_COMMITTER_EMAIL"] = DEFAULT_EMAIL

    def git(self, *args: str, stdin: str | None = None, work_tree: Path | None = None) -> str:
        env = dict(self.env, GIT_INDEX_FILE=str(self.index))
        prefix = ["--git-dir", str(self.git_dir)]
        if work_tree is not None:
            prefix += ["--work-tree", str(work_tree)]
        process = _run([*prefix, *args], env, stdin=stdin)
        if process.returncode != 0:
            raise PublishError(f"{self.name}: git {args[0]} failed: {_reason(process)}")
        return process.stdout

    def _configured(self, key: str) -> bool:
        process = _run(["--git-dir", str(self.git_dir), "config", "--get", key], self.env)
        return process.returncode == 0 and bool(process.stdout.strip())

    def fetch_tip(self, depth: int) -> str | None:
        """The branch's tip on the remote, fetched (None: the branch does not exist yet)."""
        ref = f"refs/heads/{self.branch}"
        listed = _run(
            [
                "--git-dir",
                str(self.git_dir),
                "ls-remote",
                "--exit-code",
                self.remote.fetch_url,
                ref,
            ],
            self.env,
        )
        if listed.returncode == 2:
            return None
        if listed.returncode != 0:
            raise PublishError(
                f"{self.name}: cannot reach {redact(self.remote.fetch_url)}: {_reason(listed)}"
            )
        fetched = _run(
            [
                "--git-dir",
                str(self.git_dir),
                "fetch",
                "--quiet",
                "--no-tags",
                f"--depth={depth}",
                self.remote.fetch_url,
                f"+{ref}:{TIP_REF}",
            ],
            self.env,
        )
        if fetched.returncode != 0:
            raise PublishError(
                f"{self.name}: cannot fetch {self.branch} from "
                f"{redact(self.remote.fetch_url)}: {_reason(fetched)}"
            )
        return self.git("rev-parse", f"{TIP_REF}^{{commit}}").strip()

    def build_tree(self, output: Path, tip: str | None) -> tuple[str, list[str]]:
        """The tree for ``output`` plus CNAME and .nojekyll; notes say what was added."""
        notes: list[str] = []
        self.index.unlink(missing_ok=True)
        self.git("add", "--all", "--force", "--", ".", work_tree=output)
        if not (output / "CNAME").exists() and tip is not None:
            listed = self.git("ls-tree", tip, "--", "CNAME").split()
            if len(listed) == 4 and listed[1] == "blob":
                self.git("update-index", "--add", "--cacheinfo", f"100644,{listed[2]},CNAME")
                notes.append(f"kept the CNAME already on {self.branch}")
        if not (output / ".nojekyll").exists():
            empty = self.git("hash-object", "-w", "--stdin", stdin=EMPTY_BLOB).strip()
            self.git("update-index", "--add", "--cacheinfo", f"100644,{empty},.nojekyll")
        return self.git("write-tree").strip(), notes

    def tree_of(self, commit: str) -> str:
        return self.git("rev-parse", f"{commit}^{{tree}}").strip()

    def parent_of(self, commit: str) -> str | None:
        parents = self.git("rev-list", "--parents", "-n", "1", commit).split()[1:]
        if not parents:
            return None
        try:
            return self.git("rev-parse", "--verify", f"{parents[0]}^{{commit}}").strip()
        except PublishError:
            return None  # beyond the shallow fetch: only possible if the remote rewrote it

    def diff(
        self, tip: str | None, tree: str
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int]:
        listed = self.git("ls-tree", "-r", "-z", "--name-only", tree).split("\0")
        files = [name for name in listed if name]
        if tip is None:
            return tuple(sorted(files)), (), (), 0
        out = self.git("diff-tree", "-r", "-z", "--no-renames", "--name-status", tip, tree)
        parts = [part for part in out.split("\0") if part]
        added, changed, deleted = [], [], []
        for status, path in zip(parts[::2], parts[1::2], strict=False):
            {"A": added, "D": deleted}.get(status[0], changed).append(path)
        return tuple(added), tuple(changed), tuple(deleted), len(files) - len(added) - len(changed)

    def commit(self, tree: str, parent: str | None, message: str) -> str:
        args = ["commit-tree", tree, "-m", message]
        if parent is not None:
            args += ["-p", parent]
        return self.git(*args).strip()

    def push(self, commit: str) -> None:
        process = _run(
            [
                "--git-dir",
                str(self.git_dir),
                "push",
                "--porcelain",
                "--no-verify",
                self.remote.push_url,
                f"{commit}:refs/heads/{self.branch}",
            ],
            self.env,
        )
        if process.returncode == 0:
            return
        refused = [
            line.split("\t")[-1].strip()
            for line in process.stdout.splitlines()
            if line.startswith("!")
        ]
        remote_says = [
            line.strip()
            for line in process.stderr.splitlines()
            if line.startswith("remote:") and line.removeprefix("remote:").strip()
        ]
        reason = redact("; ".join(refused + remote_says[:2])) or _reason(process)
        raise PublishError(
            f"{self.name}: git push to {redact(self.remote.push_url)} was refused: {reason}"
        )
