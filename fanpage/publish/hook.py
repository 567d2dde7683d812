"""``fanpage hook``: deploy on ``git push`` to a bare repository on the artist's own server.

``fanpage hook install BARE_REPO --target dir:/var/www/site`` writes a ``post-receive`` hook
into the repository and makes its state folder, ``BARE_REPO/fanpage-state/``::

    fanpage-state/
      env               secrets, NAME=value a line (mode 600); read by the hook, never printed
      target            the --target given to `fanpage hook install` (for `hook run --tip`)
      syndication.json  the cross-post ledger every deploy uses (never the pushed one)
      work/             the commit being deployed, checked out (the site folder of the deploy)
      work.index        git's index for work/ (the bare repository's own is never touched)
      deploy.lock       one deploy at a time (an OS file lock, released if the hook dies)
      current           the deploy running now: commit and process id
      history.log       one line per push: deployed, failed, skipped, killed
      last-deploy.log   what the last deploy printed (secrets already masked)

The hook (a few lines of sh) runs :func:`run_hook` with the absolute path of the Python that
installed it. For a push that moved the main branch (the repository's ``HEAD`` branch) it:

1. takes ``deploy.lock``, saying so when another deploy holds it and it has to wait;
2. with the lock held, skips the pushed commit when the branch has moved on since (a newer
   push came in while it waited: that push's own hook deploys the newer commit), so an older
   commit is never published over a newer one;
3. checks the commit out into ``work/`` (``git read-tree --reset -u`` with its own index,
   then ``git clean``), so a file deleted in the commit is gone from the site too;
4. runs ``fanpage deploy --site work/`` with the secrets of ``env`` and
   ``FANPAGE_LEDGER_PATH`` naming the state folder's ledger, after checking that the site's
   settings really resolve the ledger there when any network is enabled (a ledger inside
   ``work/`` would be wiped by the next checkout, and every entry posted again), and that a
   ``dir:`` target is not inside the repository;
5. streams the deploy's output line by line, so the push shows it as ``remote:`` lines.

A post-receive hook runs after git has accepted the push: a deploy that fails (invalid
content, a publish refused) cannot undo the push; it leaves the previous site up, posts
nothing, and says what to fix. Two deploys never post twice (the ledger's own lock), and
the deploy lock keeps publishes in push order.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from fanpage.publish.git import REPOSITORY_VARIABLES

STATE_DIR = "fanpage-state"
HOOK_MARKER = "# fanpage post-receive hook"
LEDGER_VARIABLE = "FANPAGE_LEDGER_PATH"
PREFIX = "fanpage: "
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
KEPT_IN_WORK = "/.cache/"  # share cards and the like survive from one checkout to the next

ENV_TEMPLATE = """\
# Secrets for the deploys of this repository, read by its post-receive hook (fanpage).
# One NAME=value a line, e.g. FANPAGE_MASTODON_TOKEN=abc123 (quotes around the value are
# optional; lines starting with # are comments). The variables each network needs are in
# the README's cross-posting table; AWS_* for an s3:// target, RSYNC_RSH for rsync.
# Keep this file mode 600. Nothing prints it, and it is never part of the published site.
"""

Echo = Callable[[str], None]


class HookError(Exception):
    """Something the person running the hook (or installing it) has to fix; one line."""


# -- the state folder ------------------------------------------------------------------------


@dataclass(frozen=True)
class StateFolder:
    root: Path

    @property
    def ledger(self) -> Path:
        return self.root / "syndication.json"

    @property
    def env(self) -> Path:
        return self.root / "env"

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def index(self) -> Path:
        return self.root / "work.index"

    @property
    def target(self) -> Path:
        return self.root / "target"

    @property
    def lock(self) -> Path:
        return self.root / "deploy.lock"

    @property
    def current(self) -> Path:
        return self.root / "current"

    @property
    def history(self) -> Path:
        return self.root / "history.log"

    @property
    def log(self) -> Path:
        return self.root / "last-deploy.log"

    def make(self) -> bool:
        """Create the folder (mode 700) and an empty, commented ``env`` (mode 600) if missing.

        Returns True when ``env`` was created now. An existing ``env`` is never rewritten.
        """
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(self.env, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(ENV_TEMPLATE)
        os.chmod(self.env, 0o600)  # whatever the umask said
        return True


def state_for(repo: Path) -> StateFolder:
    return StateFolder(Path(repo) / STATE_DIR)


def read_env(path: Path) -> dict[str, str]:
    """The variables of an ``env`` file. A malformed line is a HookError naming its line
    number only: the line may hold a secret, so it is never shown."""
    if not path.exists():
        return {}
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HookError(f"{path}: cannot read the secrets file: {type(exc).__name__}") from None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").lstrip()
        name, equals, value = line.partition("=")
        name = name.strip()
        if not equals or not NAME.fullmatch(name):
            raise HookError(
                f"{path}:{number}: not a NAME=value line (the line is not shown: it may hold "
                "a secret)"
            )
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    return values


def env_warning(path: Path) -> str | None:
    """A warning when the secrets file can be read by other users."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    if mode & 0o077:
        return f"{path} can be read by other users; make it private with: chmod 600 {path}"
    return None


# -- git -------------------------------------------------------------------------------------


def git_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The hook's environment without git's repository variables (a hook runs with GIT_DIR
    set), plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if key not in REPOSITORY_VARIABLES}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.update(extra or {})
    return env


def git(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    process = subprocess.run(
        ["git", "--git-dir", str(repo), *args],
        env=dict(env) if env is not None else git_environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        said = (process.stderr.strip().splitlines() or [f"exit status {process.returncode}"])[-1]
        raise HookError(f"git {args[0]} failed in {repo}: {said.removeprefix('fatal: ')}")
    return process.stdout


def bare_repository(path: Path) -> Path:
    """``path`` as an absolute path, after checking it is a bare git repository."""
    repo = Path(os.path.abspath(Path(path).expanduser()))
    if not repo.is_dir():
        raise HookError(f"{path} is not a folder (make one with: git init --bare {path})")
    if (repo / ".git").exists():  # a working copy: its repository is .git inside it
        bare = "false"
    else:
        try:
            bare = git(repo, "rev-parse", "--is-bare-repository").strip()
        except HookError:
            raise HookError(
                f"{path} is not a git repository (make one with: git init --bare {path})"
            ) from None
    if bare != "true":
        raise HookError(
            f"{path} is not a bare repository: the hook goes into the repository you push to "
            "on the server (git init --bare)"
        )
    return repo


def main_ref(repo: Path) -> str:
    """The main branch: the one the repository's HEAD names (``refs/heads/main``)."""
    try:
        return git(repo, "symbolic-ref", "-q", "HEAD").strip()
    except HookError:
        raise HookError(
            f"HEAD of {repo} is not a branch; set it with: "
            f"git --git-dir {repo} symbolic-ref HEAD refs/heads/main"
        ) from None


def branch_tip(repo: Path, ref: str) -> str | None:
    try:
        return git(repo, "rev-parse", "-q", "--verify", f"{ref}^{{commit}}").strip()
    except HookError:
        return None


def hooks_folder(repo: Path) -> Path:
    """Where git looks for this repository's hooks (``core.hooksPath`` honoured)."""
    process = subprocess.run(
        ["git", "rev-parse", "--git-path", "hooks"],
        cwd=repo,
        env=git_environment({"GIT_DIR": str(repo)}),
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        raise HookError(f"cannot find the hooks folder of {repo}: {process.stderr.strip()}")
    return (repo / process.stdout.strip()).resolve()


def checkout(repo: Path, commit: str, state: StateFolder) -> None:
    """Make ``state.work`` hold exactly ``commit`` (with its own index; HEAD is untouched)."""
    env = git_environment({"GIT_INDEX_FILE": str(state.index)})
    work = ["--work-tree", str(state.work)]

    def attempt() -> None:
        state.work.mkdir(parents=True, exist_ok=True)
        # Only this hook touches the index, and it holds the deploy lock: a lock file left
        # by a killed git is stale.
        state.index.with_name(state.index.name + ".lock").unlink(missing_ok=True)
        git(repo, *work, "read-tree", "--reset", "-u", commit, env=env)
        git(repo, *work, "clean", "-ffdxq", "-e", KEPT_IN_WORK, env=env)

    try:
        attempt()
    except HookError:  # a damaged index or work folder: start both afresh, once
        shutil.rmtree(state.work, ignore_errors=True)
        state.index.unlink(missing_ok=True)
        attempt()


def describe_commit(repo: Path, commit: str) -> str:
    try:
        return git(repo, "log", "-1", "--format=%h %s", commit).strip()
    except HookError:
        return commit[:12]


# -- installing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    hook: Path
    state: StateFolder
    env_created: bool
    target: str | None
    python: str
    replaced: bool


def hook_script(python: str, repo: Path, target: str | None) -> str:
    command = [python, "-P", "-m", "fanpage.publish.cli", "hook", "run", "--repo", str(repo)]
    if target:
        command += ["--target", target]
    return (
        "#!/bin/sh\n"
        f"{HOOK_MARKER} (written by `fanpage hook install`; run that again to change it).\n"
        "# Each push to the main branch deploys the pushed commit with `fanpage deploy`;\n"
        "# the push shows the deploy's output. Ledger, secrets (env) and the checkout:\n"
        f"# {state_for(repo).root}\n"
        f"exec {shlex.join(command)}\n"
    )


def install_target(target: str | None, repo: Path) -> str | None:
    """The target as the hook will pass it: checked, with a relative dir: made absolute."""
    if not target:
        return None
    from fanpage.publish.targets import parse_target

    spec = target.strip()
    if spec.startswith("dir:") and not os.path.isabs(os.path.expanduser(spec[4:])):
        spec = f"dir:{os.path.abspath(os.path.expanduser(spec[4:]))}"
    if (spec == "github-pages" or spec.startswith("git:")) and "@" not in spec:
        raise HookError(
            f'"{target}": a hook deploys a checkout without a remote of its own; name the '
            "remote, e.g. github-pages@git@github.com:you/site.git"
        )
    parsed = parse_target(spec, site_dir=repo)  # a TargetError says what is wrong
    inside = _dir_inside(parsed, repo)
    if inside:
        raise HookError(inside)
    return spec


def _dir_inside(target: object, repo: Path) -> str | None:
    from fanpage.publish.dir import DirTarget

    if isinstance(target, DirTarget):
        path = Path(os.path.abspath(target.path))
        if path == repo or repo in path.parents:
            return (
                f"{target.describe()} is inside the repository {repo}; publish the site "
                "somewhere else (e.g. dir:/var/www/site)"
            )
    return None


def install(
    repo: Path, target: str | None = None, *, python: str | None = None, force: bool = False
) -> Installed:
    """Write the post-receive hook and make the state folder."""
    repo = bare_repository(repo)
    spec = install_target(target, repo)
    interpreter = os.path.abspath(python or sys.executable)  # the venv's, never resolved
    folder = hooks_folder(repo)
    hook = folder / "post-receive"
    replaced = False
    if hook.exists():
        ours = HOOK_MARKER in hook.read_text(encoding="utf-8", errors="replace")
        if not ours and not force:
            raise HookError(
                f"{hook} exists and was not written by fanpage; move it away, or pass --force "
                "to replace it"
            )
        replaced = True
    folder.mkdir(parents=True, exist_ok=True)
    temporary = hook.with_name(".post-receive.fanpage-tmp")
    temporary.write_text(hook_script(interpreter, repo, spec), encoding="utf-8")
    temporary.chmod(0o755)
    os.replace(temporary, hook)
    state = state_for(repo)
    created = state.make()
    if spec:
        state.target.write_text(spec + "\n", encoding="utf-8")
    else:
        state.target.unlink(missing_ok=True)
    return Installed(hook, state, created, spec, interpreter, replaced)


# -- running ---------------------------------------------------------------------------------


def pushed_commit(lines: Iterable[str], ref: str) -> tuple[str | None, bool]:
    """From git's ``OLD NEW REF`` lines: the new commit of ``ref`` (None if not pushed), and
    whether the push deleted it."""
    found: str | None = None
    deleted = False
    for line in lines:
        parts = line.split()
        if len(parts) != 3 or parts[2] != ref:
            continue
        new = parts[1]
        deleted = not new.strip("0")
        found = None if deleted else new
    return found, deleted


@contextlib.contextmanager
def deploy_lock(state: StateFolder, echo: Echo) -> Iterator[None]:
    """One deploy at a time per repository; says so when it has to wait."""
    with state.lock.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            running = _current(state)
            what = f" ({running})" if running else ""
            echo(f"another deploy{what} is running; waiting for it to finish...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _current(state: StateFolder) -> str:
    try:
        data = json.loads(state.current.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(data.get("commit", ""))[:12] if isinstance(data, dict) else ""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _history(state: StateFolder, commit: str, outcome: str) -> None:
    with state.history.open("a", encoding="utf-8") as handle:
        handle.write(f"{_now()} {commit} {outcome}\n")


class Hook:
    """One run of the post-receive hook (or ``fanpage hook run --tip``)."""

    def __init__(
        self,
        repo: Path,
        target: str | None = None,
        *,
        python: str | None = None,
        out: IO[bytes] | None = None,
    ) -> None:
        self.repo = bare_repository(repo)
        self.state = state_for(self.repo)
        self.target = target or self._installed_target()
        self.pushed = True  # False for `hook run --tip`: no push to speak of
        self.python = python or sys.executable
        self.out = out if out is not None else sys.stdout.buffer
        self.out_ok = True  # False once the push has hung up: the deploy goes on regardless

    # -- output ------------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        if not self.out_ok:
            return
        try:
            self.out.write(data)
            self.out.flush()
        except (BrokenPipeError, OSError):
            self.out_ok = False

    def echo(self, text: str) -> None:
        self.write(f"{PREFIX}{text}\n".encode())

    def _installed_target(self) -> str | None:
        try:
            return self.state.target.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    # -- the run -----------------------------------------------------------------------------

    def run(self, lines: Iterable[str] | None) -> int:
        """Deploy the main branch's new commit from git's stdin lines (None: its tip now)."""
        self.state.make()
        ref = main_ref(self.repo)
        branch = ref.removeprefix("refs/heads/")
        if lines is None:
            self.pushed = False
            commit, deleted = branch_tip(self.repo, ref), False
            if commit is None:
                raise HookError(f"{branch} has no commit yet; push one first")
        else:
            commit, deleted = pushed_commit(lines, ref)
        if deleted:
            self.echo(f"{branch} was deleted; nothing deployed (the site stays as it is)")
            return 0
        if commit is None:
            self.echo(f"{branch} was not pushed; nothing to deploy (only {branch} deploys)")
            return 0
        self.echo(f"deploying {branch} at {describe_commit(self.repo, commit)}")
        with deploy_lock(self.state, self.echo):
            tip = branch_tip(self.repo, ref)
            if tip != commit:
                now = f"is now at {tip[:12]}" if tip else "no longer exists"
                self.echo(
                    f"skipping {commit[:12]}: {branch} {now} (pushed after it), and that "
                    "push's own deploy publishes it, so an older commit never replaces a "
                    "newer one"
                )
                _history(self.state, commit, f"skipped ({branch} at {(tip or '-')[:12]})")
                return 0
            return self._deploy(commit)

    def _deploy(self, commit: str) -> int:
        short = commit[:12]
        checkout(self.repo, commit, self.state)
        try:
            secrets = read_env(self.state.env)
        except HookError as exc:
            self.echo(f"error: {exc}")
            self.echo(f"not deployed: fix {self.state.env}, then push again")
            _history(self.state, commit, "failed (env file)")
            return 1
        warning = env_warning(self.state.env)
        if warning:
            self.echo(f"warning: {warning}")
        self._seed_ledger()
        problem = self._check_site()
        if problem:
            self.echo(f"error: {problem}")
            self.echo("not deployed: nothing was published or posted")
            _history(self.state, commit, "failed (settings)")
            return 1
        code = self._run_deploy(commit, secrets)
        if code == 0:
            self.echo(f"deployed {short}")
            _history(self.state, commit, "deployed")
        elif code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else -code
            self.echo(
                f"the deploy of {short} was killed ({name}); push again (or run `fanpage hook "
                f"run --tip --repo {self.repo}`) to finish it: nothing is posted twice"
            )
            _history(self.state, commit, f"killed ({name})")
        elif self.pushed:
            self.echo(
                f"the deploy of {short} failed (exit status {code}); see the lines above. "
                "git has accepted the push all the same (a post-receive hook cannot refuse "
                "it): fix the problem and push again"
            )
        else:
            self.echo(f"the deploy of {short} failed (exit status {code}); see the lines above")
            _history(self.state, commit, f"failed (exit status {code})")
        return 0 if code == 0 else 1

    def _seed_ledger(self) -> None:
        """First deploy of a site that kept its ledger in git: start from that one, once."""
        pushed = self.state.work / "syndication.json"
        if not self.state.ledger.exists() and pushed.is_file():
            shutil.copyfile(pushed, self.state.ledger)
            self.echo(f"started the ledger {self.state.ledger} from the pushed syndication.json")

    def _environment(self, secrets: Mapping[str, str]) -> dict[str, str]:
        env = git_environment(secrets)
        env.pop("GIT_TERMINAL_PROMPT", None)
        env[LEDGER_VARIABLE] = str(self.state.ledger)
        env["PYTHONUNBUFFERED"] = "1"  # every line reaches the push as it is printed
        return env

    def _check_site(self) -> str | None:
        """Why the deploy must not run: the settings would put the ledger elsewhere, or the
        target inside the repository. None when all is well (or when the settings have
        errors, which the deploy itself reports at their lines)."""
        from fanpage.config import load_config
        from fanpage.crosspost.site import crosspost_settings
        from fanpage.publish.targets import TargetError, parse_target

        saved = os.environ.get(LEDGER_VARIABLE)
        os.environ[LEDGER_VARIABLE] = str(self.state.ledger)
        try:
            with contextlib.chdir(self.state.work):
                config = load_config(self.state.work, publish=True)
        except Exception:  # a settings file that does not even run: the deploy says where
            return None
        finally:
            if saved is None:
                os.environ.pop(LEDGER_VARIABLE, None)
            else:
                os.environ[LEDGER_VARIABLE] = saved
        if config.problems.errors:
            return None
        settings = crosspost_settings(config)
        posts = any(network.enabled for network in settings.networks.values())
        used = settings.ledger_path
        if posts and Path(os.path.abspath(used)) != Path(os.path.abspath(self.state.ledger)):
            return (
                f"the site's settings put the cross-post ledger at {used}, not "
                f"{self.state.ledger}: a ledger in the checkout is replaced by every push, "
                f"and its entries would be posted again. Let {LEDGER_VARIABLE} decide "
                "(remove LEDGER_PATH from publishconf.py, or upgrade fanpage)"
            )
        spec = self.target or config.pelican.get("DEPLOY_TARGET")
        if spec:
            try:
                target = parse_target(
                    spec,
                    site_dir=self.state.work,
                    options={"s3": config.pelican.get("DEPLOY_S3") or {}},
                )
            except TargetError:
                return None  # the deploy reports it
            return _dir_inside(target, self.repo)
        return None

    def _run_deploy(self, commit: str, secrets: Mapping[str, str]) -> int:
        command = [self.python, "-P", "-m", "fanpage.cli", "deploy", "--site", "."]
        if self.target:
            command += ["--target", self.target]
        process = subprocess.Popen(
            command,
            cwd=self.state.work,
            env=self._environment(secrets),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.state.current.write_text(
            json.dumps({"commit": commit, "pid": process.pid, "started": _now()}) + "\n",
            encoding="utf-8",
        )
        try:
            assert process.stdout is not None
            with self.state.log.open("wb") as log:
                for line in process.stdout:
                    log.write(line)
                    log.flush()
                    self.write(line)
            return process.wait()
        finally:
            self.state.current.unlink(missing_ok=True)


def run_hook(
    repo: Path | None,
    target: str | None,
    *,
    tip: bool = False,
    stdin: IO[str] | None = None,
) -> int:
    """The post-receive hook's entry point; returns the exit status."""
    with contextlib.suppress(AttributeError, ValueError):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a dropped connection stops no deploy
    where = repo or Path(os.environ.get("GIT_DIR") or ".")
    try:
        hook = Hook(Path(where).resolve(), target)
        lines = None if tip else (stdin or sys.stdin).read().splitlines()
        return hook.run(lines)
    except HookError as exc:
        problem = f"error: {exc}"
    except Exception as exc:  # a fault in fanpage itself: one line, unless debugging
        if os.environ.get("FANPAGE_DEBUG"):
            raise
        problem = f"internal error: {type(exc).__name__}: {exc} (set FANPAGE_DEBUG=1 for details)"
    with contextlib.suppress(OSError):
        sys.stdout.write(f"{PREFIX}{problem}\n")
        sys.stdout.flush()
    return 1
