"""``fanpage serve``: build, serve the output on 127.0.0.1, rebuild when a source file changes.

The server always serves the last good build: a content error during a rebuild is printed and
the site stays up. Pages served by ``serve`` (never the files in ``output/``) get one small
script, ``/__fanpage__/reload.js``, that reloads the page after each rebuild and shows a
failed build's problems over the page, as the terminal does.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fanpage.content.problems import ContentError
from fanpage.engine.build import BuildError
from fanpage.engine.incremental import SiteBuilder, changed_files, snapshot, watched_paths

POLL_SECONDS = 0.4


RELOAD_PATH = "/__fanpage__/"
RELOAD_SCRIPT = """\
// fanpage serve: reload after each rebuild; show a failed build's problems over the page.
(() => {
  let seen = null;
  const box = document.createElement("pre");
  box.id = "fanpage-build-error";
  box.setAttribute("role", "alert");
  box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;" +
    "padding:1rem;background:#5c0b0b;color:#fff;font:14px/1.4 monospace;z-index:99999;" +
    "white-space:pre-wrap";
  async function check() {
    try {
      const answer = await fetch("/__fanpage__/status", {cache: "no-store"});
      const status = await answer.json();
      if (seen !== null && status.generation !== seen) { location.reload(); return; }
      seen = status.generation;
      if (status.error) {
        box.textContent = "Build failed; this is the last good build.\\n\\n" + status.error;
        if (!box.isConnected) document.body.append(box);
      } else if (box.isConnected) {
        box.remove();
      }
    } catch (error) { /* the server is restarting */ }
    setTimeout(check, 700);
  }
  check();
})();
"""
RELOAD_TAG = b'<script src="/__fanpage__/reload.js" defer></script>'


@dataclass
class BuildStatus:
    """What the reload script asks for: the build's generation and the last failure."""

    generation: int = 0
    error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def built(self) -> None:
        with self.lock:
            self.generation += 1
            self.error = ""

    def failed(self, lines: list[str]) -> None:
        with self.lock:
            self.error = "\n".join(lines)

    def to_json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error}).encode()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _ReloadingHandler(_QuietHandler):
    """Serves the build, plus the reload script and the status; pages get the script tag."""

    status: BuildStatus

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == RELOAD_PATH + "reload.js":
            self._reply(RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8")
        elif path == RELOAD_PATH + "status":
            self._reply(self.status.to_json(), "application/json")
        elif path.endswith((".html", "/")):
            self._page()
        else:
            super().do_GET()

    def _page(self) -> None:
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                super().do_GET()  # the standard redirect to the folder with a slash
                return
            target = target / "index.html"
        if not target.is_file():
            super().do_GET()
            return
        body = target.read_bytes()
        at = body.rfind(b"</body>")
        body = body[:at] + RELOAD_TAG + body[at:] if at >= 0 else body + RELOAD_TAG
        self._reply(body, "text/html; charset=utf-8")

    def _reply(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def start_server(
    directory: Path, port: int, status: BuildStatus | None = None
) -> ThreadingHTTPServer:
    """Serve ``directory`` on 127.0.0.1; with ``status``, as ``fanpage serve`` does (reloads)."""
    if status is None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
    else:
        reloading = type("Handler", (_ReloadingHandler,), {"status": status})
        handler = functools.partial(reloading, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rebuild(
    builder: SiteBuilder, echo: Callable[[str], None], status: BuildStatus | None = None
) -> bool:
    started = time.perf_counter()
    status = status or BuildStatus()
    try:
        result = builder.build()
    except ContentError as exc:
        lines = [str(problem) for problem in exc.problems.sorted()]
        for line in lines:
            echo(line)
        echo("Build failed; still serving the last good build.")
        status.failed(lines)
        return False
    except BuildError as exc:
        echo(f"error: {exc}")
        echo("Build failed; still serving the last good build.")
        status.failed([f"error: {exc}"])
        return False
    status.built()
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
    status = BuildStatus()
    rebuild(builder, echo, status)
    output = config.output_dir
    output.mkdir(parents=True, exist_ok=True)
    server = start_server(output, port, status)
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
                rebuild(builder, echo, status)
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        server.shutdown()
        server.server_close()
