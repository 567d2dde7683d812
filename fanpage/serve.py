"""``fanpage serve``: build, serve the output on 127.0.0.1, rebuild when a source file changes.

The server always serves the last good build: a content error during a rebuild is printed and
the site stays up.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fanpage.content.problems import ContentError
from fanpage.engine.build import BuildError
from fanpage.engine.incremental import SiteBuilder, changed_files, snapshot, watched_paths

POLL_SECONDS = 0.4


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def start_server(directory: Path, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rebuild(builder: SiteBuilder, echo: Callable[[str], None]) -> bool:
    started = time.perf_counter()
    try:
        result = builder.build()
    except ContentError as exc:
        for problem in exc.problems.sorted():
            echo(str(problem))
        echo("Build failed; still serving the last good build.")
        return False
    except BuildError as exc:
        echo(f"error: {exc}")
        echo("Build failed; still serving the last good build.")
        return False
    for problem in result.checked.problems.sorted():
        echo(str(problem))
    count = len(result.written)
    what = f" (only the edited text: {count} file{'s' * (count != 1)})" if result.quick else ""
    echo(f"Rebuilt in {time.perf_counter() - started:.2f} s{what}.")
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
    watched = watched_paths(config)
    builder = SiteBuilder(site_dir, publish=publish)
    state = snapshot(watched)  # before the build: a file saved during it is built next
    rebuild(builder, echo)
    output = config.output_dir
    output.mkdir(parents=True, exist_ok=True)
    server = start_server(output, port)
    echo(f"Serving {output} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)")
    stop = stop or threading.Event()
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
                rebuild(builder, echo)
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        server.shutdown()
        server.server_close()
