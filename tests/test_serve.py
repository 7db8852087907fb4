"""`serve`: pages get the reload script, a failed build shows its errors on the page, the counter moves."""

from __future__ import annotations

import shutil
import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

import build
from conftest import FIXTURES
from factsheet.serve import RELOAD_JS, State, make_handler, rebuild, snapshot


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_serve_rebuilds_and_shows_errors(tmp_path):
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "minimal", root)
    out = tmp_path / "site"
    args = build.parse_args(["serve", "--content", str(root / "content"), "--sources", str(root / "sources"),
                             "--out", str(out)])
    state = State()
    rebuild(state, lambda: build.run(args))
    assert state.version == 1 and state.error == ""
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state, out))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        status, body = fetch(f"{base}/en/economy.html")
        assert status == 200 and "CNY 22.038 billion" in body and RELOAD_JS.decode() in body
        assert not RELOAD_JS.decode() in (out / "en" / "economy.html").read_text("utf-8")
        assert fetch(f"{base}/__build") == (200, "1")

        before = snapshot([root / "content"])
        facts = root / "content" / "facts" / "a.yaml"
        facts.write_text(facts.read_text("utf-8").replace("value: 220.38", "value: lots"), "utf-8")
        assert snapshot([root / "content"]) != before
        rebuild(state, lambda: build.run(args))
        status, body = fetch(f"{base}/en/economy.html")
        assert status == 500 and "Build failed" in body and "expected a number, got &#x27;lots&#x27;" in body
        assert fetch(f"{base}/__build") == (200, "2")
    finally:
        server.shutdown()
        server.server_close()
