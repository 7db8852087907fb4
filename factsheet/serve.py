"""`build.py serve`: build, serve the site on 127.0.0.1, rebuild on change and reload the open page.

A failed build leaves the last good site in place; it is served with the errors in a banner. The reload
script and the banner exist only in the served responses, never in the files written.
"""

from __future__ import annotations

import errno
import html
import io
import mimetypes
import os
import shutil
import socket
import stat
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, suppress
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Callable, TextIO
from urllib.parse import parse_qs, quote, unquote

HOST = "127.0.0.1"
"""Only this machine can reach the server."""


class State:
    """The build counter, the last build's error output and the pages open in browsers, shared by the watcher and
    the handler."""

    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        """What the last build printed on stderr if it failed; empty after a good build."""
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        """Notified when a build ends: an open page waiting on /__build?since=N learns of it at once."""
        self.viewing: dict[str, float] = {}
        """Pages (paths in the site) whose reload script polled lately, with when."""
        self.early: dict[str, bytes] = {}
        """Pages of the build under way, shown before it ends (see `show`); empty between builds."""
        self.shown = False
        self.closing = False
        """Set when the server stops: long polls answer at once, so that no worker holds up the exit."""

    def wait(self, since: int, seconds: float) -> int:
        """Return the build counter once it moves past `since`, or after `seconds`, or when the server stops."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != since or self.closing, timeout=seconds)
            return self.version

    def close(self) -> None:
        """Answer every waiting long poll now: the server is stopping."""
        with self.changed:
            self.closing = True
            self.changed.notify_all()

    def note_viewing(self, page: str) -> None:
        """Remember that `page` is open in a browser (the most recent few)."""
        with self.lock:
            self.viewing[page] = time.monotonic()
            for old in sorted(self.viewing, key=self.viewing.__getitem__)[:-VIEWING]:
                del self.viewing[old]

    def viewed(self) -> frozenset[str]:
        """Return the pages open in a browser: those whose reload script polled within the last two waits."""
        with self.lock:
            return frozenset(p for p, when in self.viewing.items() if time.monotonic() - when < 2 * WAIT + 5)

    def show(self, pages: dict[str, bytes]) -> None:
        """Serve `pages` (rendered by the build under way, which has passed its checks) and reload the browsers
        now, before the build has made the rest of the site. Hugo's server renders the pages being viewed first,
        too ("fast render"). The build's end then writes them, and does not reload the browsers again."""
        with self.changed:
            self.early, self.shown, self.error = dict(pages), True, ""
            self.version += 1
            self.changed.notify_all()

    def page(self, path: str) -> bytes | None:
        """Return a page shown early by the build under way, if `path` is one."""
        with self.lock:
            return self.early.get(path)


SWITCH = 0.0005
"""How long the rebuilding thread holds the interpreter before a waiting request may run (seconds; Python's default
is 0.005). After a build shows the open pages it goes on making the rest; the reload's few steps (the long poll's
answer, the accept, the request) each wait for the interpreter, and at 5 ms each they added about 30 ms."""

VIEWING = 8
"""How many open pages are rendered first."""


def snapshot(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    """Return the modification time and size of every file in the watched folders."""
    seen = {}
    for folder in folders:
        for dirpath, _, filenames in os.walk(folder):  # a folder that cannot be read is skipped
            for name in filenames:
                path = Path(dirpath, name)
                try:
                    info = path.stat()
                except OSError:  # gone since it was listed (an editor's temp file) or a dangling link
                    continue
                seen[path] = (info.st_mtime_ns, info.st_size)
    return seen


def rebuild(state: State, run: Callable[[State], int]) -> None:
    """Run one build, keeping its error output for the banner; an exception from it counts as a failed build.
    `run` gets the state, to learn which pages are open and to show them early (`State.show`)."""
    err = io.StringIO()
    with state.lock:
        state.shown = False
    with redirect_stderr(err):
        try:
            status = run(state)
        except Exception as exc:  # the build crashed: say where, and keep serving the last good site
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            print(f"error: {frame.filename}:{frame.lineno}: the build crashed: {type(exc).__name__}: {exc}",
                  file=err)
            status = 1
    text = err.getvalue()
    if text:
        print(text, end="", file=sys.stderr)
    with state.changed:
        state.early = {}
        state.error = (text or "error: the build failed\n") if status else ""
        if status or not state.shown:  # the browsers reloaded already when the build showed its pages
            state.version += 1
        state.changed.notify_all()


def watch(state: State, run: Callable[[State], int], watched: list[Path], seen: dict) -> dict:
    """Rebuild if a watched file changed since the snapshot `seen`; return the new snapshot."""
    now = snapshot(watched)
    if now != seen:
        rebuild(state, run)
    return now


WAIT = 20.0
"""How long a page's long poll of /__build waits for the next build before it asks again (seconds)."""
POLL = 0.02
"""How often the watcher looks at the files' modification times (seconds). A look at the real site's 63 watched
files takes 0.6 ms, so watching costs 3 % of a core, and a save waits 10 ms on average before its rebuild starts
(25 ms at the 0.05 s this was, a quarter of the 100 ms from save to page)."""


def reload_script(version: int) -> bytes:
    """Return the script that reloads the page as soon as a build after `version` ends (a long poll, which also
    tells the server which page is open), retrying after a second when the server is away."""
    return (b'<script>(function w(){fetch("/__build?since=%d&page="+encodeURIComponent(location.pathname))'
            b'.then(function(r){return r.text()})'
            b'.then(function(v){if(v!=="%d")location.reload();else w()},function(){setTimeout(w,1000)})})()'
            b'</script>' % (version, version))


def banner(error: str) -> bytes:
    """Return the overlay that shows the last build's errors over the last good site."""
    return ('<div role="alert" style="position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:60vh;'
            'overflow:auto;margin:0;padding:.75em 1em;background:#fff0f0;color:#600;border-bottom:3px solid #c00;'
            'font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap"><strong>Build failed; this is the last '
            f'good site.</strong>\n{html.escape(error)}</div>').encode()


def error_page(error: str, version: int) -> bytes:
    """Return the page served in place of the site when no build has succeeded yet."""
    return ('<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Build failed</title>'
            f'<h1>Build failed; no site yet</h1><pre role="alert">{html.escape(error)}</pre>').encode() \
        + reload_script(version)


def url_parts(raw: str) -> tuple[str, ...] | None:
    """Return the path segments of a request target, or None when it is not a plain path inside the site."""
    path = raw.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or not path.isascii():
        return None
    try:
        path = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = tuple(part for part in path.split("/") if part not in ("", "."))
    if any(part == ".." or "\0" in part for part in parts):
        return None
    return parts


def site_path(url: str) -> str | None:
    """Return the file of the site a page's address names ("/en/" → "en/index.html"), or None if it names none."""
    parts = url_parts(url)
    if parts is None:
        return None
    if not parts or url.split("?", 1)[0].endswith("/"):
        parts = (*parts, "index.html")
    return "/".join(parts)


def inside(root: Path, path: Path) -> Path | None:
    """Return `path` with its links resolved if it exists within `root` (itself resolved), else None."""
    try:
        real = path.resolve()
        real.stat()
    except (OSError, RuntimeError):  # missing, name too long, or a loop of links
        return None
    return real if real.is_relative_to(root) else None


def open_regular(path: Path) -> io.BufferedReader | None:
    """Open `path` for reading if it is a regular file, else return None (a FIFO must not block the thread)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:  # a socket, no permission, or gone
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


def content_type(path: Path) -> str:
    """Return the Content-Type header for a file of the site."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "xml")) else kind


class Handler(BaseHTTPRequestHandler):
    """Serve the files of `site` (no directory listings), with the reload script and the error banner in pages."""

    state: State
    site: Path
    """The output folder as given, resolved again for every request, so a site swapped into place is served."""
    timeout = 10
    """Seconds a connection may stay silent before it is closed, so idle connections do not hold the workers."""

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        """Log nothing per request."""

    def do_GET(self):  # noqa: N802 - http.server API
        """Answer a GET request."""
        self.guarded(head=False)

    def do_HEAD(self):  # noqa: N802 - http.server API
        """Answer a HEAD request."""
        self.guarded(head=True)

    def guarded(self, head: bool) -> None:
        """Answer the request; turn any unexpected exception into a 500 and one line on stderr."""
        self.started = False
        try:
            self.answer(head)
        except ConnectionError:  # the client went away
            self.close_connection = True
        except Exception as exc:
            print(f"error: serve: {self.command} {self.path[:200]!r}: {type(exc).__name__}: {exc}",
                  file=self.server.log)
            self.close_connection = True
            if not self.started:
                with suppress(OSError):
                    self.send_error(500)

    def answer(self, head: bool) -> None:
        """Find the file the request names and send it, or the error page, or the status that says why not."""
        if self.path == "/__build":
            return self.reply(str(self.state.version).encode(), "text/plain; charset=utf-8", head)
        if self.path.startswith("/__build?"):  # a long poll: answered when the next build ends
            query = parse_qs(self.path.partition("?")[2])
            since = query.get("since", [""])[0]
            viewed = site_path(query.get("page", [""])[0])
            if viewed is not None:
                self.state.note_viewing(viewed)
            version = self.state.wait(int(since), WAIT) if since.isdigit() else self.state.version
            return self.reply(str(version).encode(), "text/plain; charset=utf-8", head)
        with self.state.lock:
            version, error = self.state.version, self.state.error
        parts = url_parts(self.path)
        if parts is None:
            return self.send_error(400, "Bad path")
        try:
            root = self.site.resolve()
        except (OSError, RuntimeError):
            return self.send_error(404)
        url = self.path.split("?", 1)[0].split("#", 1)[0]
        wants_html = url.endswith(("/", ".html")) or "text/html" in self.headers.get("Accept", "")
        if error and wants_html and inside(root, root / "index.html") is None:
            return self.reply(error_page(error, version), "text/html; charset=utf-8", head, 500)
        early = self.state.page(site_path(url) or "")
        if early is not None:
            return self.reply(self.with_script(early, error, version), "text/html; charset=utf-8", head)
        path = inside(root, root.joinpath(*parts))
        if path is not None and path.is_dir():
            index = inside(root, path / "index.html")
            if index is not None and not url.endswith("/"):
                return self.redirect("".join(f"/{quote(part)}" for part in parts) + "/")
            path = index
        file = open_regular(path) if path is not None else None
        if file is None:
            return self.send_error(404)
        with file:
            if path.suffix != ".html":
                return self.reply(file, content_type(path), head)
            page = file.read()
        self.reply(self.with_script(page, error, version), "text/html; charset=utf-8", head)

    @staticmethod
    def with_script(page: bytes, error: str, version: int) -> bytes:
        """Return a page with the error banner (if the last build failed) and the reload script."""
        extra = (banner(error) if error else b"") + reload_script(version)
        before, tag, after = page.rpartition(b"</body>")
        return before + extra + tag + after if tag else page + extra

    def reply(self, body: bytes | io.BufferedReader, kind: str, head: bool, status: int = 200) -> None:
        """Send a response whose body is bytes or an open file."""
        size = len(body) if isinstance(body, bytes) else os.fstat(body.fileno()).st_size
        self.started = True
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(size))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if head:
            return
        if isinstance(body, bytes):
            self.wfile.write(body)
        else:
            shutil.copyfileobj(body, self.wfile)

    def redirect(self, url: str) -> None:
        """Send a folder's address without its slash to the address with it, so relative links work."""
        self.started = True
        self.send_response(301)
        self.send_header("Location", url)
        self.send_header("Content-Length", "0")
        self.end_headers()


def make_handler(state: State, site: Path) -> type[Handler]:
    """Return a request handler class serving `site` with the given build state."""
    return type("SiteHandler", (Handler,), {"state": state, "site": site})


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


def make_server(handler: type[Handler], port: int) -> Server:
    """Return a server for `handler` listening on 127.0.0.1:`port`."""
    return Server((HOST, port), handler)


def serve(out_dir: Path, port: int, run: Callable[[State], int], watched: list[Path]) -> int:
    """Serve `out_dir` until interrupted, rebuilding whenever a watched file changes; return the exit status."""
    sys.setswitchinterval(SWITCH)
    state = State()
    try:
        server = make_server(make_handler(state, out_dir), port)
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
        thread.start()
        print(f"Serving {out_dir} at http://{HOST}:{server.server_address[1]}/ — Ctrl-C to stop")
        seen = snapshot(watched)
        while True:
            time.sleep(POLL)
            try:
                seen = watch(state, run, watched, seen)
            except Exception as exc:  # the watcher must go on whatever happens
                print(f"error: serve: watching failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        state.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
    return 0
