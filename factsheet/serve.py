"""`build.py serve`: build, serve the site on 127.0.0.1, rebuild on change and reload the open page.

The reload script and the error page exist only in the served responses, never in the files written.
"""

from __future__ import annotations

import contextlib
import html
import io
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

RELOAD_JS = b"""<script>
(function () {
  var seen = null;
  setInterval(function () {
    fetch("/__build").then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) location.reload();
      seen = v;
    }).catch(function () {});
  }, 700);
})();
</script>"""


class State:
    """The build counter and the last build's error output, shared by the watcher and the handler."""

    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        self.lock = threading.Lock()


def snapshot(folders: list[Path]) -> dict[Path, float]:
    """Return the modification time of every file in the watched folders."""
    return {p: p.stat().st_mtime for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()}


def rebuild(state: State, run: Callable[[], int]) -> None:
    """Run one build, keeping its error output for the page."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = run()
    text = err.getvalue()
    if text:
        print(text, end="")
    with state.lock:
        state.error = text if status else ""
        state.version += 1


def make_handler(state: State, site: Path):
    """Return a request handler serving `site`, with the reload script and the error page."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - signature of the base class
            pass

        def do_GET(self):  # noqa: N802 - http.server API
            if self.path == "/__build":
                return self.reply(str(state.version).encode(), "text/plain")
            if state.error:
                body = (f"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Build failed</title>"
                        f"<h1>Build failed</h1><pre>{html.escape(state.error)}</pre>").encode() + RELOAD_JS
                return self.reply(body, "text/html; charset=utf-8", 500)
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                body = path.read_bytes().replace(b"</body>", RELOAD_JS + b"</body>")
                return self.reply(body, "text/html; charset=utf-8")
            return super().do_GET()

        def reply(self, body: bytes, kind: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(args, run: Callable[[], int], watched: list[Path]) -> int:
    """Serve until interrupted, rebuilding whenever a watched file changes."""
    state = State()
    rebuild(state, run)
    args.out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(state, args.out.resolve()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {args.out} at http://127.0.0.1:{server.server_address[1]}/ — Ctrl-C to stop")
    seen = snapshot(watched)
    try:
        while True:
            time.sleep(0.5)
            now = snapshot(watched)
            if now != seen:
                seen = now
                rebuild(state, run)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0

