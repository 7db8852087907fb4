"""`build.py serve`: build, serve the site on 127.0.0.1, rebuild on change and reload the open page.

The reload script and the error page exist only in the served responses, never in the files written.
"""

from __future__ import annotations

import contextlib
import errno
import html
import io
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from typing import Callable, TextIO

HOST = "127.0.0.1"
"""Only this machine can reach the server."""

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

        timeout = 10
        """Seconds a connection may stay silent before it is closed, so idle connections do not hold the workers."""

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


class PoolMixIn:
    """Handle each connection in a fixed pool of worker threads instead of a new thread per connection."""

    workers = 16
    pending = 128
    """At most this many accepted connections wait for a worker; more wait in the listen queue."""

    def __init__(self, *args, **kwargs) -> None:
        self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="serve")
        self.slots = threading.BoundedSemaphore(self.workers + self.pending)
        self.open: set[socket.socket] = set()
        self.open_lock = threading.Lock()
        self.log: TextIO = sys.stderr
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        """Queue the connection for the pool."""
        self.slots.acquire()
        with self.open_lock:
            self.open.add(request)
        try:
            self.pool.submit(self.work, request, client_address)
        except BaseException:
            self.done(request)
            raise

    def work(self, request, client_address) -> None:
        """Handle one connection in a worker; whatever goes wrong, log a line and close it."""
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.done(request)

    def done(self, request) -> None:
        """Close a connection and free its slot."""
        with self.open_lock:
            self.open.discard(request)
        self.shutdown_request(request)
        self.slots.release()

    def handle_error(self, request, client_address) -> None:
        """Log one line for an exception that escaped the handler (not a traceback)."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            print(f"error: serve: {client_address[0]}:{client_address[1]}: {type(exc).__name__}: {exc}",
                  file=self.log)

    def server_close(self) -> None:
        """Stop listening, wake the workers still reading from a connection, and wait for them."""
        super().server_close()
        with self.open_lock:
            for request in self.open:
                with suppress(OSError):
                    request.shutdown(socket.SHUT_RDWR)
        self.pool.shutdown(wait=True)


class Server(PoolMixIn, HTTPServer):
    """The development server: a bounded pool of workers and a listen queue long enough for a burst."""

    request_queue_size = 256
    """With 128, a burst of 200 connections still overflowed it now and then (a 1 s retransmit); it was 5."""


def make_server(handler, port: int) -> Server:
    """Return a server for `handler` listening on 127.0.0.1:`port`."""
    return Server((HOST, port), handler)


def serve(out_dir: Path, port: int, run: Callable[[], int], watched: list[Path]) -> int:
    """Serve `out_dir` until interrupted, rebuilding whenever a watched file changes; return the exit status."""
    state = State()
    try:
        server = make_server(make_handler(state, out_dir.resolve()), port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"error: port {port} is in use on {HOST} (hint: pass --port N, or stop the other server)",
                  file=sys.stderr)
        else:
            print(f"error: cannot listen on {HOST}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        rebuild(state, run)
        out_dir.mkdir(parents=True, exist_ok=True)
        thread.start()
        print(f"Serving {out_dir} at http://{HOST}:{server.server_address[1]}/ — Ctrl-C to stop")
        seen = snapshot(watched)
        while True:
            time.sleep(0.5)
            now = snapshot(watched)
            if now != seen:
                seen = now
                rebuild(state, run)
    except KeyboardInterrupt:
        pass
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
    return 0
