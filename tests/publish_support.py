"""Real servers on loopback for the publish-target tests: sshd, moto's S3, bare git repos.

- :func:`start_sshd`: OpenSSH's ``sshd`` on 127.0.0.1 only (``ListenAddress 127.0.0.1`` and
  ``AllowUsers USER@127.0.0.1``), with a host key and a user key generated for the test,
  public-key login only, no forwarding. Clients reach it with ``RSYNC_RSH="ssh -F CONFIG"``,
  a config file naming the port, the key and a known-hosts file holding the host key with
  ``StrictHostKeyChecking yes``. Needs the Debian packages openssh-server, openssh-client and
  rsync.
- :func:`start_moto`: moto's S3 in server mode on 127.0.0.1, in a thread, behind a small WSGI
  layer that records every request as the server received it (to count PUTs) and can make
  the server refuse an upload (to test a failed deploy).
- :func:`git` and :func:`make_bare`: git repositories in temporary folders.
- :func:`write_site`: a small built site (index.html and friends) for targets to publish.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import queue
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SSHD = "/usr/sbin/sshd"
READY_TIMEOUT = 20.0  # an upper bound for sshd to say it listens, not a wait


# -- sshd ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sshd:
    port: int
    user: str
    rsync_rsh: str  # the value for RSYNC_RSH
    client_config: Path
    log: list[str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fanpage-test", "-f", str(path)],
        check=True,
        capture_output=True,
    )


def _require(program: str, package: str) -> str:
    found = shutil.which(program) or (program if os.path.isabs(program) else None)
    if not found or not os.access(found, os.X_OK):
        pytest.fail(f"{program} is missing: apt-get install {package}")
    return found


@contextlib.contextmanager
def start_sshd(folder: Path) -> Iterator[Sshd]:
    """An sshd on 127.0.0.1 that lets the current user in with a key made here."""
    _require(SSHD, "openssh-server")
    _require("ssh", "openssh-client")
    _require("ssh-keygen", "openssh-client")
    _require("rsync", "rsync")
    if not Path("/run/sshd").is_dir():
        if os.geteuid() != 0:
            pytest.fail("sshd needs the folder /run/sshd (create it as root, mode 755)")
        Path("/run/sshd").mkdir(mode=0o755)
    folder.mkdir(parents=True, exist_ok=True)
    user = getpass.getuser()
    host_key, user_key = folder / "host_key", folder / "user_key"
    _keygen(host_key)
    _keygen(user_key)
    authorized = folder / "authorized_keys"
    authorized.write_text((folder / "user_key.pub").read_text())
    authorized.chmod(0o600)
    known_hosts = folder / "known_hosts"
    host_public = " ".join((folder / "host_key.pub").read_text().split()[:2])
    log: list[str] = []
    for _attempt in range(5):
        port = _free_port()
        known_hosts.write_text(f"[127.0.0.1]:{port} {host_public}\n")
        config = folder / "sshd_config"
        config.write_text(
            f"ListenAddress 127.0.0.1\n"
            f"Port {port}\n"
            f"HostKey {host_key}\n"
            f"PidFile none\n"
            f"AuthorizedKeysFile {authorized}\n"
            f"AllowUsers {user}@127.0.0.1\n"
            "StrictModes no\n"
            "UsePAM no\n"
            "PubkeyAuthentication yes\n"
            "PasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\n"
            "PermitRootLogin prohibit-password\n"
            "AllowTcpForwarding no\n"
            "AllowAgentForwarding no\n"
            "X11Forwarding no\n"
            "PermitTunnel no\n"
            "PermitUserEnvironment no\n"
            "LogLevel VERBOSE\n"
        )
        client = folder / "ssh_config"
        client.write_text(
            "Host *\n"
            "  HostName 127.0.0.1\n"
            f"  Port {port}\n"
            f"  User {user}\n"
            f"  IdentityFile {user_key}\n"
            "  IdentitiesOnly yes\n"
            f"  UserKnownHostsFile {known_hosts}\n"
            "  GlobalKnownHostsFile /dev/null\n"
            "  StrictHostKeyChecking yes\n"
            "  BatchMode yes\n"
            "  ConnectTimeout 10\n"
        )
        process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def read(stream: Any = process.stderr, into: queue.Queue = lines) -> None:
            for line in stream:
                into.put(line.rstrip("\n"))
            into.put(None)

        threading.Thread(target=read, daemon=True).start()
        ready = False
        while True:
            try:
                line = lines.get(timeout=READY_TIMEOUT)
            except queue.Empty:
                break
            if line is None:
                break
            log.append(line)
            if f"Server listening on 127.0.0.1 port {port}" in line:
                ready = True
                break
        if not ready:
            process.kill()
            process.wait()
            continue  # most likely the port was taken meanwhile: try another

        def drain(into: queue.Queue = lines) -> None:
            while (line := into.get()) is not None:
                log.append(line)

        threading.Thread(target=drain, daemon=True).start()
        try:
            yield Sshd(port, user, f"ssh -F {client}", client, log)
        finally:
            process.terminate()
            process.wait(timeout=30)
        return
    pytest.fail("sshd did not start:\n" + "\n".join(log[-20:]))


# -- moto's S3 -------------------------------------------------------------------------------


@dataclass
class Moto:
    endpoint: str
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    refuse: set[str] = field(default_factory=set)  # paths whose PUT is refused with 403
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, method: str, bucket: str) -> list[str]:
        """Keys (without the bucket) that got ``method`` requests, in arrival order."""
        start = f"/{bucket}/"
        with self.lock:
            return [
                path[len(start) :]
                for got, path in self.requests
                if got == method and path.startswith(start)
            ]

    def forget(self) -> None:
        with self.lock:
            self.requests.clear()


ACCESS_DENIED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    b"<Message>Access Denied (refused by the test)</Message></Error>"
)


@contextlib.contextmanager
def start_moto() -> Iterator[Moto]:
    """moto's S3 server on 127.0.0.1 (port chosen by the system), recording requests."""
    from urllib.parse import unquote

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class QuietHandler(MotoRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass  # the test counts requests itself

    backend = DomainDispatcherApplication(create_backend_app)
    moto = Moto(endpoint="")

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        method = environ["REQUEST_METHOD"]
        path = unquote(environ.get("PATH_INFO", ""))
        with moto.lock:
            moto.requests.append((method, path))
            refused = method == "PUT" and path in moto.refuse
        if refused:
            start_response(
                "403 Forbidden",
                [("Content-Type", "application/xml"), ("Content-Length", str(len(ACCESS_DENIED)))],
            )
            return [ACCESS_DENIED]
        return backend(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    moto.endpoint = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield moto
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def aws_environment(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Test credentials in the usual AWS_* variables; no ~/.aws files read."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "fanpage-test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fanpage-test-secret-never-printed")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(folder / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(folder / "no-aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)


# -- git -------------------------------------------------------------------------------------

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Artist",
    "GIT_AUTHOR_EMAIL": "artist@example.org",
    "GIT_COMMITTER_NAME": "Test Artist",
    "GIT_COMMITTER_EMAIL": "artist@example.org",
}


def git(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> str:
    """Run git (failing the test on an error) and return its output."""
    run_env = {**os.environ, **GIT_IDENTITY, **(env or {})}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        run_env.pop(name, None)
    process = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=run_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        pytest.fail(f"git {' '.join(args)} failed: {process.stderr.strip()}")
    return process.stdout


def make_bare(path: Path) -> Path:
    git("init", "--quiet", "--bare", str(path))
    return path


def branch_files(bare: Path, branch: str) -> dict[str, bytes]:
    """Every file on ``branch`` of a repository, as bytes."""
    names = git("ls-tree", "-r", "-z", "--name-only", branch, cwd=bare).split("\0")
    files = {}
    for name in filter(None, names):
        blob = subprocess.run(
            ["git", "cat-file", "blob", f"{branch}:{name}"],
            cwd=bare,
            capture_output=True,
            check=True,
        )
        files[name] = blob.stdout
    return files


# -- a built site ----------------------------------------------------------------------------


def write_site(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    """A built site: ``files`` (relative path -> content) written under ``folder``."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for rel, content in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative posix path -> bytes)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


SITE_V1 = {
    "index.html": "<!doctype html><title>Home</title><p>v1 home</p>",
    "news/first/index.html": "<!doctype html><title>First</title><p>first post</p>",
    "news/old/index.html": "<!doctype html><title>Old</title><p>to be removed</p>",
    "theme/css/site.css": "body { color: #222; }",
    "feeds/all.atom.xml": '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
}
SITE_V2 = {
    "index.html": "<!doctype html><title>Home</title><p>v2 home, lists second</p>",
    "news/first/index.html": "<!doctype html><title>First</title><p>first post</p>",
    "news/second/index.html": "<!doctype html><title>Second</title><p>second post</p>",
    "theme/css/site.css": "body { color: #222; }",
    "feeds/all.atom.xml": '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">2</feed>',
}
