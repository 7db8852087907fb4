"""`serve`: pages get the reload script, a failed build shows its errors on the page, the counter moves; a burst
is answered, idle connections are closed, a busy port is one line, and the server listens on 127.0.0.1 only."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

import build
from conftest import FIXTURES, ROOT
from factsheet.serve import HOST, RELOAD_JS, Server, State, make_handler, make_server, rebuild, snapshot


def fixture_copy(tmp_path: Path) -> tuple[Path, list[str]]:
    """Copy the minimal content to tmp; return its folder and the serve command line's options."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "minimal", root)
    return root, ["--content", str(root / "content"), "--sources", str(root / "sources")]


def built(tmp_path: Path) -> tuple[Path, Path, State, callable]:
    """Build the minimal content into tmp/site; return the content copy, the site, the state and the build."""
    root, options = fixture_copy(tmp_path)
    out = tmp_path / "site"
    args = build.parse_args(["serve", *options, "--out", str(out)])
    state = State()

    def run() -> int:
        return build.run(args)

    rebuild(state, run)
    assert state.version == 1 and state.error == ""
    return root, out, state, run


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> tuple[Path, State]:
    """A site built once for the tests that only read it."""
    _, out, state, _ = built(tmp_path_factory.mktemp("serve"))
    return out, state


@contextmanager
def running(handler):
    """Serve with `handler` on a free port in a thread; yield the server; stop and close it."""
    server = make_server(handler, 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def request(server, target: str | bytes, headers: bytes = b"", timeout: float = 5) -> tuple[int, bytes, bytes]:
    """Send one GET for `target` exactly as given; return the status, the header block and the body."""
    target = target.encode() if isinstance(target, str) else target
    with socket.create_connection(server.server_address, timeout=timeout) as conn:
        conn.sendall(b"GET " + target + b" HTTP/1.0\r\n" + headers + b"\r\n")
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    assert data, f"no answer to {target[:60]!r}"
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(None, 2)[1]), head, body


def page(server, target: str) -> tuple[int, str]:
    """GET `target`; return the status and the body as text."""
    status, _, body = request(server, target)
    return status, body.decode("utf-8")


def test_serve_rebuilds_and_shows_errors(tmp_path):
    root, out, state, run = built(tmp_path)
    with running(make_handler(state, out)) as server:
        status, body = page(server, "/en/economy.html")
        assert status == 200 and "CNY 22.038 billion" in body and RELOAD_JS.decode() in body
        assert not RELOAD_JS.decode() in (out / "en" / "economy.html").read_text("utf-8")
        assert page(server, "/__build") == (200, "1")

        before = snapshot([root / "content"])
        facts = root / "content" / "facts" / "a.yaml"
        facts.write_text(facts.read_text("utf-8").replace("value: 220.38", "value: lots"), "utf-8")
        assert snapshot([root / "content"]) != before
        rebuild(state, run)
        status, body = page(server, "/en/economy.html")
        assert status == 500 and "Build failed" in body and "expected a number, got &#x27;lots&#x27;" in body
        assert page(server, "/__build") == (200, "2")


def test_200_concurrent_connections_are_all_answered_within_seconds(good_site):
    out, state = good_site
    statuses = []
    with running(make_handler(state, out)) as server:
        start = threading.Barrier(200)

        def one() -> None:
            start.wait()
            try:
                statuses.append(request(server, "/en/economy.html", timeout=10)[0])
            except OSError as exc:
                statuses.append(repr(exc))

        threads = [threading.Thread(target=one) for _ in range(200)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    assert statuses == [200] * 200
    assert elapsed < 5, f"200 concurrent requests took {elapsed:.1f} s"


def test_idle_connections_are_closed_after_the_timeout_and_hold_no_more_than_the_pool(good_site):
    out, state = good_site
    handler = make_handler(state, out)
    assert 0 < handler.timeout <= 30
    handler.timeout = 0.3
    threads_before = threading.active_count()
    with running(handler) as server:
        idle = [socket.create_connection(server.server_address, timeout=5) for _ in range(24)]
        try:
            time.sleep(0.1)
            assert threading.active_count() - threads_before <= Server.workers + 1  # + serve_forever's thread
            began = time.perf_counter()
            for conn in idle:
                assert conn.recv(1) == b""  # closed by the server, not by our 5 s timeout
            assert time.perf_counter() - began < 3
        finally:
            for conn in idle:
                conn.close()
        assert page(server, "/en/economy.html")[0] == 200


def test_a_busy_port_exits_2_with_one_line(tmp_path):
    _, options = fixture_copy(tmp_path)
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "build.py", "serve", *options, "--out", str(tmp_path / "site"),
                               "--port", str(port)], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", f"error: port {port} is in use on 127.0.0.1 (hint: pass --port N, or stop the other server)\n")
    assert not (tmp_path / "site").exists()  # refused before building


def test_the_server_listens_on_127_0_0_1_only(good_site):
    out, state = good_site
    with running(make_handler(state, out)) as server:
        assert server.server_address[0] == "127.0.0.1"
        if sys.platform.startswith("linux"):  # all of 127/8 reaches this machine: only a 0.0.0.0 server answers
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.2", server.server_address[1]), timeout=5).close()
