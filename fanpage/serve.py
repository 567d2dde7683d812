"""``fanpage serve``: build, serve the output on 127.0.0.1, rebuild when a source file changes.

The server always serves the last good build: a content error during a rebuild is printed and
the site stays up.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fanpage.content.problems import ContentError
from fanpage.engine.build import BuildError, build_site
from fanpage.paths import THEME_DIR

POLL_SECONDS = 0.4

Snapshot = dict[Path, tuple[int, int]]


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """Modification time and size of every file under ``roots`` (files or folders)."""
    state: Snapshot = {}
    for root in roots:
        paths = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())
        for path in paths:
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            state[path] = (info.st_mtime_ns, info.st_size)
    return state


def changed_files(before: Snapshot, after: Snapshot) -> list[Path]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def start_server(directory: Path, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rebuild(site_dir: Path, publish: bool, echo: Callable[[str], None]) -> bool:
    started = time.perf_counter()
    try:
        checked = build_site(site_dir, publish=publish)
    except ContentError as exc:
        for problem in exc.problems.sorted():
            echo(str(problem))
        echo("Build failed; still serving the last good build.")
        return False
    except BuildError as exc:
        echo(f"error: {exc}")
        echo("Build failed; still serving the last good build.")
        return False
    for problem in checked.problems.sorted():
        echo(str(problem))
    echo(f"Rebuilt in {time.perf_counter() - started:.2f} s.")
    return True


def serve_site(
    site_dir: Path,
    port: int,
    publish: bool,
    echo: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Run until interrupted (or until ``stop`` is set)."""
    from fanpage.config import load_config

    config = load_config(site_dir, publish=publish)
    if config.problems.errors:
        raise ContentError(config.problems)
    watched = [
        config.content.content_dir,
        Path(config.pelican["THEME"]),
        THEME_DIR,
        site_dir / "pelicanconf.py",
        site_dir / "publishconf.py",
    ]
    rebuild(site_dir, publish, echo)
    output = config.output_dir
    output.mkdir(parents=True, exist_ok=True)
    server = start_server(output, port)
    echo(f"Serving {output} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)")
    stop = stop or threading.Event()
    state = snapshot(watched)
    try:
        while not stop.wait(POLL_SECONDS):
            current = snapshot(watched)
            changes = changed_files(state, current)
            if changes:
                state = current
                echo(
                    f"Changed: {', '.join(p.name for p in changes[:3])}"
                    + (f" and {len(changes) - 3} more" if len(changes) > 3 else "")
                )
                rebuild(site_dir, publish, echo)
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        server.shutdown()
        server.server_close()
