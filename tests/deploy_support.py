"""Shared set-up for the deploy tests: real git repositories, a real live site, real networks.

- :class:`Networks`: the loopback platform servers (``tests/servers/``) and an account on the
  real local Bluesky PDS, the ``FANPAGE_*`` secrets that reach them and the ``CROSSPOST``
  settings that point at them (``api_base``); what each one received.
- :class:`LiveSite`: an HTTP server on 127.0.0.1 serving a folder (the ``dir:`` target), whose
  address is the site's ``SITEURL``; :meth:`LiveSite.hold` keeps every request waiting until
  :meth:`LiveSite.release`, which pins a deploy in its wait-until-live step (after the
  publish, before the cross-posts) without sleeping. :class:`BranchSite` serves a branch of a
  bare repository instead, standing in for GitHub Pages.
- :class:`HookSite`: a bare repository with ``fanpage hook install``, a clone holding a site
  made by ``fanpage init``, and helpers to commit and push as the artist would; a push
  returns what git printed (the ``remote:`` lines).
- :func:`write_publishconf`, :func:`leaks` (the PDS is ``tests/conftest.py``'s ``pds``).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from fanpage.crosspost.ledger import Ledger, load_ledger
from tests.pds_server import Account, PdsServer
from tests.servers import discord, facebook, linkedin, mastodon, telegram, threads, x
from tests.servers.base import PlatformServer, post_text

PYTHON = sys.executable
ALL_NETWORKS = (
    "mastodon",
    "bluesky",
    "x",
    "facebook",
    "linkedin",
    "threads",
    "telegram",
    "discord",
)
HOLD_LIMIT = 60.0  # an upper bound for a held request, never a wait
PUSH_TIMEOUT = 240.0  # an upper bound for one push and its deploy
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Artist",
    "GIT_AUTHOR_EMAIL": "artist@example.org",
    "GIT_COMMITTER_NAME": "Test Artist",
    "GIT_COMMITTER_EMAIL": "artist@example.org",
}
SERVER_CLASSES: dict[str, type[PlatformServer]] = {
    "mastodon": mastodon.MastodonServer,
    "x": x.XServer,
    "facebook": facebook.FacebookServer,
    "linkedin": linkedin.LinkedInServer,
    "threads": threads.ThreadsServer,
    "telegram": telegram.TelegramServer,
    "discord": discord.DiscordServer,
}


def yesterday(days: int = 1) -> str:
    """A date in the past, so that a new post is due on the real clock."""
    return (date.today() - timedelta(days=days)).isoformat()


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without FANPAGE_* (no pinned clock, no secrets) or git
    repository variables, plus a git identity and ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FANPAGE_") and key not in ("GIT_DIR", "GIT_WORK_TREE")
    }
    env.update(GIT_IDENTITY)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.update(extra)
    return env


def git(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> str:
    process = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=dict(env) if env is not None else clean_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        pytest.fail(f"git {' '.join(args)} failed: {process.stderr.strip()}")
    return process.stdout


# -- the networks ----------------------------------------------------------------------------


@dataclass
class Networks:
    """The platform servers for ``names`` (and the PDS account for bluesky)."""

    names: tuple[str, ...]
    servers: dict[str, PlatformServer]
    pds: PdsServer | None
    account: Account | None

    @classmethod
    def start(cls, names: Iterable[str], pds: PdsServer | None = None) -> Networks:
        names = tuple(names)
        servers = {n: SERVER_CLASSES[n]() for n in names if n in SERVER_CLASSES}
        for server in servers.values():
            server.start()
        account = None
        if "bluesky" in names:
            assert pds is not None, "bluesky needs the PDS fixture"
            account = pds.create_account()
        return cls(names, servers, pds, account)

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()

    def secrets(self) -> dict[str, str]:
        found: dict[str, str] = {}
        s = self.servers
        if "mastodon" in s:
            found["FANPAGE_MASTODON_TOKEN"] = mastodon.TOKEN
        if self.account is not None:
            found["FANPAGE_BLUESKY_APP_PASSWORD"] = self.account.app_password
        if "x" in s:
            found.update(s["x"].secrets())  # type: ignore[attr-defined]
        if "facebook" in s:
            found["FANPAGE_FACEBOOK_PAGE_TOKEN"] = facebook.TOKEN
        if "linkedin" in s:
            found["FANPAGE_LINKEDIN_TOKEN"] = linkedin.TOKEN
        if "threads" in s:
            found["FANPAGE_THREADS_TOKEN"] = threads.TOKEN
        if "telegram" in s:
            found["FANPAGE_TELEGRAM_BOT_TOKEN"] = telegram.TOKEN
        if "discord" in s:
            path = s["discord"].webhook_path  # type: ignore[attr-defined]
            found["FANPAGE_DISCORD_WEBHOOK_URL"] = f"https://discord.com{path}"
        return found

    def secret_values(self) -> list[str]:
        values = [v for v in self.secrets().values() if v]
        if "discord" in self.servers:
            values.append(self.servers["discord"].token)  # type: ignore[attr-defined]
        return values

    def crosspost(self) -> dict[str, dict[str, Any]]:
        s = self.servers
        every = {
            "mastodon": lambda: {"instance": s["mastodon"].base_url},
            "bluesky": lambda: {"handle": self.account.handle, "service": self.pds.base_url},
            "x": lambda: {"api_base": s["x"].base_url},
            "facebook": lambda: {"page_id": facebook.PAGE_ID, "api_base": s["facebook"].base_url},
            "linkedin": lambda: {
                "organization": linkedin.ORGANIZATION,
                "api_base": s["linkedin"].base_url,
            },
            "threads": lambda: {"user_id": threads.USER_ID, "api_base": s["threads"].base_url},
            "telegram": lambda: {
                "chat": f"@{telegram.CHANNEL_USERNAME}",
                "api_base": s["telegram"].base_url,
            },
            "discord": lambda: {"api_base": s["discord"].base_url},
        }
        return {name: every[name]() for name in self.names}

    def bluesky_texts(self) -> list[str]:
        from atproto import Client

        assert self.pds is not None and self.account is not None
        client = Client(base_url=self.pds.base_url)
        try:
            answer = client.com.atproto.repo.list_records(
                {"repo": self.account.did, "collection": "app.bsky.feed.post", "limit": 100}
            )
        finally:
            client.request.close()
        return list(reversed([record.value.text for record in answer.records]))

    def received(self) -> dict[str, list[str]]:
        """Every network's posts as their text, oldest first."""
        texts = {
            name: [post_text(name, post) for post in server.posts]
            for name, server in self.servers.items()
        }
        if "bluesky" in self.names:
            texts["bluesky"] = self.bluesky_texts()
        return texts

    def counts(self) -> dict[str, int]:
        return {name: len(texts) for name, texts in self.received().items()}


# -- the live site ---------------------------------------------------------------------------


class _Gate:
    """Requests pass while open; while closed each one waits (and says it is waiting)."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.open.set()
        self.waiting = threading.Event()
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def pass_through(self, path: str) -> None:
        with self.lock:
            self.paths.append(path)
        if not self.open.is_set():
            self.waiting.set()
            self.open.wait(HOLD_LIMIT)


class _Server:
    def __init__(self, handler: Any) -> None:
        self.gate = _Gate()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def hold(self) -> None:
        """Keep every request waiting from now on, until :meth:`release`."""
        self.gate.waiting.clear()
        self.gate.open.clear()

    def wait_until_held(self, timeout: float = 120.0) -> bool:
        """True once a request is being held (False after ``timeout`` seconds)."""
        return self.gate.waiting.wait(timeout)

    def release(self) -> None:
        self.gate.open.set()

    def stop(self) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urlopen(self.url + path, timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8")
        except HTTPError as error:
            return error.code, ""


class LiveSite(_Server):
    """``folder`` (a ``dir:`` target's live path, a symlink) served on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        site = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site.gate.pass_through(self.path)
                super().do_GET()

        self.folder = folder
        super().__init__(functools.partial(Handler, directory=str(folder)))


class BranchSite(_Server):
    """A branch of a bare repository served as a web site, as GitHub Pages serves gh-pages."""

    def __init__(self, repo: Path, branch: str = "gh-pages") -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site.gate.pass_through(self.path)
                path = self.path.split("?", 1)[0].lstrip("/")
                if path == "" or path.endswith("/"):
                    path += "index.html"
                shown = subprocess.run(
                    ["git", "--git-dir", str(repo), "cat-file", "blob", f"{branch}:{path}"],
                    capture_output=True,
                    check=False,
                )
                if shown.returncode != 0:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(shown.stdout)))
                self.end_headers()
                self.wfile.write(shown.stdout)

        super().__init__(Handler)


# -- the site's settings ---------------------------------------------------------------------


def write_publishconf(
    site: Path, site_url: str, networks: Networks | None, extra: str = ""
) -> None:
    """publishconf.py pointing at the loopback networks, SITEURL the live site's address."""
    crosspost = networks.crosspost() if networks is not None else {}
    (site / "publishconf.py").write_text(
        "import os\nimport sys\n\nsys.path.append(os.path.dirname(__file__))\n\n"
        "from pelicanconf import *  # noqa: F403\n\n"
        f"SITEURL = {site_url!r}\n"
        "WRITE_FEEDS = True\n"
        # Until fanpage reads FANPAGE_LEDGER_PATH itself (the lead's change to load_config),
        # the test site honours it here; afterwards this line changes nothing.
        'LEDGER_PATH = os.environ.get("FANPAGE_LEDGER_PATH", "syndication.json")\n'
        f"CROSSPOST = {crosspost!r}\n"
        "CROSSPOST_TIMEOUT = 5\n"
        "CROSSPOST_RETRY_SECONDS = 8\n"
        "DEPLOY_WAIT_SECONDS = 60\n" + extra,
        encoding="utf-8",
    )


NEWS = """\
    ---
    title: {title}
    uid: {uid}
    date: {date} 09:00
    summary: {summary}
    tags: [new music]
    ---
    {body}
    """


def news_text(uid: str, title: str, summary: str = "Out now.", body: str = "Listen now.") -> str:
    return textwrap.dedent(NEWS).format(
        uid=uid, title=title, summary=summary, date=yesterday(), body=body
    )


# -- a pushed site ---------------------------------------------------------------------------


@dataclass
class Push:
    code: int
    output: str  # what git push printed (stderr: the remote: lines)

    def remote_lines(self) -> list[str]:
        return [
            line.removeprefix("remote:").strip()
            for line in self.output.splitlines()
            if line.startswith("remote:")
        ]


class RunningPush:
    """A ``git push`` in the background whose output can be waited for line by line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def wait_for_line(self, text: str, timeout: float = 120.0) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: any(text in line for line in self.lines), timeout)

    def finish(self) -> Push:
        code = self.process.wait(timeout=PUSH_TIMEOUT)
        self.reader.join(timeout=30)
        return Push(code, "".join(self.lines))


@dataclass
class HookSite:
    """A bare repository with the hook installed, and the artist's clone of a new site."""

    root: Path
    live: LiveSite
    networks: Networks
    target_dir: Path
    repo: Path = field(init=False)
    clone: Path = field(init=False)
    pushes: list[Push] = field(default_factory=list)
    install_output: str = ""

    def __post_init__(self) -> None:
        self.repo = self.root / "site.git"
        self.clone = self.root / "band"

    @property
    def state(self) -> Path:
        return self.repo / "fanpage-state"

    @property
    def ledger_path(self) -> Path:
        return self.state / "syndication.json"

    def ledger(self) -> Ledger:
        return load_ledger(self.ledger_path)

    def states(self, key: str) -> dict[str, str]:
        return {n: r.state for n, r in self.ledger().records.get(key, {}).items()}

    def set_up(self) -> HookSite:
        git("init", "--quiet", "--bare", str(self.repo))
        installed = subprocess.run(
            [
                PYTHON,
                "-m",
                "fanpage.cli",
                "hook",
                "install",
                str(self.repo),
                "--target",
                f"dir:{self.target_dir}",
            ],
            capture_output=True,
            text=True,
            env=clean_environment(),
            check=False,
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
        self.install_output = installed.stdout
        (self.state / "env").write_text(
            (self.state / "env").read_text()
            + "".join(f"{k}={v}\n" for k, v in self.networks.secrets().items())
        )
        git("clone", "--quiet", str(self.repo), str(self.clone))
        made = subprocess.run(
            [PYTHON, "-m", "fanpage.cli", "init", str(self.clone), "--name", "Senja Hook"],
            capture_output=True,
            text=True,
            env=clean_environment(),
            check=False,
        )
        assert made.returncode == 0, made.stdout + made.stderr
        write_publishconf(self.clone, self.live.url, self.networks)
        return self

    # -- the artist's side ------------------------------------------------------------------

    def write(self, path: str, text: str) -> None:
        target = self.clone / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, message: str) -> str:
        git("add", "--all", cwd=self.clone)
        git("commit", "--quiet", "--allow-empty", "-m", message, cwd=self.clone)
        return git("rev-parse", "HEAD", cwd=self.clone).strip()

    def _push_command(self) -> list[str]:
        return ["git", "push", "--quiet", "origin", "HEAD:refs/heads/main"]

    def push(self) -> Push:
        done = subprocess.run(
            self._push_command(),
            cwd=self.clone,
            env=clean_environment(),
            capture_output=True,
            text=True,
            timeout=PUSH_TIMEOUT,
            check=False,
        )
        result = Push(done.returncode, done.stderr + done.stdout)
        self.pushes.append(result)
        return result

    def start_push(self) -> RunningPush:
        process = subprocess.Popen(
            self._push_command(),
            cwd=self.clone,
            env=clean_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        return RunningPush(process)

    def finish(self, running: RunningPush) -> Push:
        result = running.finish()
        self.pushes.append(result)
        return result

    # -- what happened ----------------------------------------------------------------------

    def live_release(self) -> str:
        return os.readlink(self.target_dir)

    def history(self) -> list[tuple[str, str]]:
        """(commit, outcome) per hook run, oldest first."""
        path = self.state / "history.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [(line.split()[1], " ".join(line.split()[2:])) for line in lines]

    def current_deploy(self) -> dict[str, Any]:
        return json.loads((self.state / "current").read_text())

    def leaks(self) -> list[str]:
        return leaks(
            self.networks.secret_values(),
            [p.output for p in self.pushes] + [self.install_output],
            [self.root],
            skip={self.state / "env"},
        )


def leaks(
    values: Iterable[str], printed: Iterable[str], folders: Iterable[Path], skip: set[Path]
) -> list[str]:
    """Every place a secret value appears: in what was printed, or in a file under folders."""
    values = [v for v in values if v]
    found = [f"output: {v[:6]}…" for text in printed for v in values if v in text]
    for folder in folders:
        for path in folder.rglob("*"):
            if path in skip or not path.is_file() or ".git" in path.parts:
                continue
            text = path.read_text(errors="replace")
            found += [f"{path}: {v[:6]}…" for v in values if v in text]
    return found
