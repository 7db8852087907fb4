"""Where the browser tests find Chromium, axe-core and the Nu Html Checker, and the two ways a site is opened.

A built site is opened either from disk (`file://`) or from a local HTTP server that serves it under a
sub-path, as GitHub Pages serves a project site. No tool is fetched at test time: `.ci/install-browser-deps`
installs the system packages and vnu.jar beforehand, and axe-core comes with a Python package of the test extra.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import shutil
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUBPATH = "/laoshan-factsheet/"
"""The path a GitHub Pages project site lives under: https://<owner>.github.io/laoshan-factsheet/."""

CHROMIUM_ARGS = ["--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
"""Flags that keep Chromium from reaching out to Google's services on a machine without network."""

INSTALL_HINT = "run `bash .ci/install-browser-deps` (as root) and `pip install -e '.[test,browser]'`"

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
                 ".json": "application/json", ".csv": "text/csv; charset=utf-8",
                 ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf"}
"""Fixed types, so the served site does not depend on the machine's mime.types."""


def require(path: Path | None, what: str) -> Path:
    """Return a tool's path; fail under CI when it is missing, skip elsewhere."""
    if path is not None and path.exists():
        return path
    message = f"{what} not found ({INSTALL_HINT})"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def chromium_path() -> Path | None:
    """Return Debian's Chromium (or $CHROMIUM), which Playwright drives instead of a browser of its own."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return Path(found) if Path(found).exists() else None


def vnu_jar() -> Path | None:
    """Return the Nu Html Checker: $VNU_JAR, or the npm package vnu-jar installed into node_modules/."""
    for candidate in (os.environ.get("VNU_JAR"), ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def java_path() -> Path | None:
    """Return the java command that runs vnu.jar."""
    found = shutil.which("java")
    return Path(found) if found else None


def axe_source() -> str:
    """Return axe-core's script, as shipped inside the PyPI package axe-playwright-python."""
    return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")


@dataclass(frozen=True)
class Site:
    """A built site folder and the address its root is opened at."""

    root: Path
    """The folder holding index.html, zh/, en/."""
    base: str
    """URL of the folder, ending in '/': file:///…/site/ or http://127.0.0.1:port/laoshan-factsheet/."""

    @property
    def pages(self) -> list[str]:
        """Every HTML page, as a path relative to the root with '/' separators."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

    @property
    def lang_pages(self) -> list[str]:
        """The pages that exist in both languages (zh/… and en/…)."""
        return [p for p in self.pages if p.split("/")[0] in ("zh", "en")]

    def url(self, rel: str) -> str:
        """Return the address of a file given by its path relative to the root."""
        return self.base + rel

    def rel(self, url: str) -> str | None:
        """Return the root-relative path a URL names (without #fragment), or None when it is outside the site."""
        cut = url.split("#", 1)[0].split("?", 1)[0]
        if not cut.startswith(self.base):
            return None
        return unquote(cut[len(self.base):])


def file_site(root: Path) -> Site:
    """Open the site straight from disk."""
    return Site(root, root.resolve().as_uri() + "/")


def make_handler(root: Path):
    """Return a request handler that serves `root` under SUBPATH only, with 404.html for missing files."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - signature of the base class
            pass

        def do_GET(self):  # noqa: N802 - http.server API
            path = unquote(urlsplit(self.path).path)
            if not path.startswith(SUBPATH):
                return self.reply(404, b"outside the project site", "text/plain")
            rel = path[len(SUBPATH):]
            if rel == "" or rel.endswith("/"):
                rel += "index.html"  # as GitHub Pages does for a folder
            target = (root / rel).resolve()
            if target.is_file() and target.is_relative_to(root):
                return self.reply(200, target.read_bytes(), CONTENT_TYPES.get(target.suffix, "application/octet-stream"))
            missing = root / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"not found"
            return self.reply(404, body, CONTENT_TYPES[".html"])

        def reply(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextlib.contextmanager
def serve_subpath(root: Path) -> Iterator[Site]:
    """Serve the site on 127.0.0.1 under SUBPATH for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(root.resolve()))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
