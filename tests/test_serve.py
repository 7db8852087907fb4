"""`serve`: the last good site stays up with a banner, odd requests get a 4xx, a burst is answered, idle
connections are closed, a busy port is one line, and the server listens on 127.0.0.1 only."""

from __future__ import annotations

import os
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
from conftest import FIXTURES, ROOT, WITHOUT_SITE
from factsheet.serve import HOST, Server, State, make_handler, make_server, rebuild, snapshot, watch


def fixture_copy(tmp_path: Path) -> tuple[Path, list[str]]:
    """Copy the minimal content to tmp; return its folder and the serve command line's options."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "minimal", root, ignore=WITHOUT_SITE)
    return root, ["--content", str(root / "content"), "--sources", str(root / "sources")]


def built(tmp_path: Path) -> tuple[Path, Path, State, callable]:
    """Build the minimal content into tmp/site; return the content copy, the site, the state and the build."""
    root, options = fixture_copy(tmp_path)
    out = tmp_path / "site"
    args = build.parse_args(["serve", *options, "--out", str(out)])
    state = State()

    def run(_state: State) -> int:
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


def test_last_good_site_is_served_with_a_banner_until_a_build_succeeds(tmp_path):
    root, out, state, run = built(tmp_path)
    watched = [root / "content"]
    seen = snapshot(watched)
    on_disk = out / "en" / "economy.html"
    with running(make_handler(state, out)) as server:
        status, body = page(server, "/en/economy.html")
        assert status == 200 and "CNY 22.038 billion" in body and 'fetch("/__build?since=' in body
        assert 'role="alert"' not in body
        assert page(server, "/__build") == (200, "1")
        assert watch(state, run, watched, seen) == seen and state.version == 1  # nothing changed, no build

        facts = root / "content" / "facts" / "a.yaml"
        good = facts.read_text("utf-8")
        facts.write_text(good.replace("value: 220.38", "value: lots"), "utf-8")
        seen = watch(state, run, watched, seen)
        status, body = page(server, "/en/economy.html")
        assert status == 200 and "CNY 22.038 billion" in body  # the last good page, not an error page
        assert '<div role="alert" style="position:fixed;' in body
        assert "a.yaml:16: facts[1].value: expected a number, got &#x27;lots&#x27;" in body
        assert body.index('role="alert"') < body.index("</body>")
        assert page(server, "/__build") == (200, "2")
        assert 'role="alert"' not in on_disk.read_text("utf-8") and "/__build" not in on_disk.read_text("utf-8")

        facts.write_text(good.replace("en: General public budget revenue", "en: Budget revenue as rebuilt"), "utf-8")
        seen = watch(state, run, watched, seen)
        status, body = page(server, "/en/economy.html")
        assert status == 200 and "Budget revenue as rebuilt" in body and 'role="alert"' not in body
        assert page(server, "/__build") == (200, "3")


def test_without_a_good_site_html_requests_get_the_error_page(tmp_path):
    root, options = fixture_copy(tmp_path)
    facts = root / "content" / "facts" / "a.yaml"
    good = facts.read_text("utf-8")
    facts.write_text(good.replace("value: 220.38", "value: lots"), "utf-8")
    args = build.parse_args(["serve", *options, "--out", str(tmp_path / "site")])
    state = State()
    rebuild(state, lambda _state: build.run(args))
    assert not (tmp_path / "site").exists()
    with running(make_handler(state, tmp_path / "site")) as server:
        status, body = page(server, "/en/economy.html")
        assert status == 500 and "Build failed" in body and "got &#x27;lots&#x27;" in body
        assert 'fetch("/__build?since=' in body
        assert request(server, "/")[0] == 500
        assert request(server, "/style.css")[0] == 404
        facts.write_text(good, "utf-8")
        rebuild(state, lambda _state: build.run(args))
        status, body = page(server, "/en/economy.html")
        assert status == 200 and "CNY 22.038 billion" in body and 'role="alert"' not in body


def test_a_crashing_build_is_shown_in_the_banner_and_the_watcher_goes_on(tmp_path, capsys):
    root, out, state, _ = built(tmp_path)
    capsys.readouterr()

    def crash(_state: State) -> int:
        return 1 // 0

    (root / "content" / "new.yaml").write_text("x: 1\n", "utf-8")
    watch(state, crash, [root / "content"], {})
    line = capsys.readouterr().err
    assert line.startswith("error: ") and line.endswith(": the build crashed: ZeroDivisionError: "
                                                        "integer division or modulo by zero\n")
    assert line.count("\n") == 1 and "test_serve.py:" in line
    with running(make_handler(state, out)) as server:
        status, body = page(server, "/en/economy.html")
        assert status == 200 and "CNY 22.038 billion" in body and "the build crashed: ZeroDivisionError" in body


def test_snapshot_skips_files_that_vanish_and_folders_that_are_missing(tmp_path):
    (tmp_path / "a.yaml").write_text("a: 1\n", "utf-8")
    (tmp_path / ".#a.yaml").symlink_to(tmp_path / "gone")  # an editor's lock file: listed, but stat fails
    os.mkfifo(tmp_path / "fifo")
    seen = snapshot([tmp_path, tmp_path / "missing"])
    assert tmp_path / "a.yaml" in seen and tmp_path / ".#a.yaml" not in seen
    (tmp_path / "a.yaml").write_text("a: 22\n", "utf-8")
    assert snapshot([tmp_path]) != seen


def test_odd_paths_answer_4xx_and_the_server_goes_on(good_site, tmp_path, capsys):
    out, state = good_site
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", "utf-8")
    specials = [out / name for name in ("fifo", "sock", "outside", "loop")]
    os.mkfifo(specials[0])
    unix = socket.socket(socket.AF_UNIX)
    try:
        unix.bind(str(specials[1]))
        specials[2].symlink_to(secret)
        specials[3].symlink_to(specials[3])
        with running(make_handler(state, out)) as server:
            for target, expected in [
                    ("/%00", 400), ("/en/%00.html", 400), ("/en/economy.html%00", 400),
                    ("/..%2f..%2fsecret.txt", 400), ("/%2e%2e/%2e%2e/secret.txt", 400), ("/en/../../secret.txt", 400),
                    ("/%ff%fe.html", 400), (b"/\xff\xfe.html", 400), ("*", 400), ("http://example.com/", 400),
                    ("/" + "a" * 300 + ".html", 404), ("/a" * 5000, 404), ("//etc/passwd", 404),
                    ("/fifo", 404), ("/sock", 404), ("/outside", 404), ("/loop", 404), ("/nothing.html", 404)]:
                assert request(server, target)[0] == expected, target
            assert page(server, "/en/economy.html")[0] == 200
    finally:
        unix.close()
        for path in specials:
            path.unlink()
    assert capsys.readouterr().err == ""


def test_folders_serve_their_index_and_are_never_listed(good_site):
    out, state = good_site
    with running(make_handler(state, out)) as server:
        assert request(server, "/data/")[0] == 404
        assert request(server, "/data")[0] == 404
        status, body = page(server, "/en/")
        assert status == 200 and '<html lang="en"' in body
        status, head, _ = request(server, "/en")
        assert status == 301 and b"\r\nLocation: /en/\r\n" in head
        assert request(server, "/")[0] == 200
        status, head, body = request(server, "/data/facts.csv")
        assert status == 200 and b"Content-Type: text/csv; charset=utf-8" in head
        assert body == (out / "data" / "facts.csv").read_bytes()


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


def test_an_unexpected_exception_is_a_500_and_one_line(good_site, capsys):
    out, state = good_site

    class Broken(make_handler(state, out)):
        def answer(self, head):
            raise RuntimeError("boom")

    class Worse(make_handler(state, out)):
        def handle(self):
            raise RuntimeError("worse")

    with running(Broken) as server:
        assert request(server, "/en/economy.html")[0] == 500
        assert request(server, "/")[0] == 500
    assert capsys.readouterr().err == ("error: serve: GET '/en/economy.html': RuntimeError: boom\n"
                                       "error: serve: GET '/': RuntimeError: boom\n")
    with running(Worse) as server:
        with socket.create_connection(server.server_address, timeout=5) as conn:
            conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
            assert conn.recv(1) == b""
        err = capsys.readouterr().err
    assert err.startswith("error: serve: 127.0.0.1:") and err.endswith(": RuntimeError: worse\n")
    assert err.count("\n") == 1


def test_a_site_swapped_into_place_is_served(good_site, tmp_path):
    out, state = good_site
    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(out, first)
    shutil.copytree(out, second)
    (second / "en" / "economy.html").write_text("<html><body>swapped</body></html>", "utf-8")
    link = tmp_path / "site"
    link.symlink_to(first)
    with running(make_handler(state, link)) as server:
        assert "CNY 22.038 billion" in page(server, "/en/economy.html")[1]
        (tmp_path / "site.new").symlink_to(second)
        os.replace(tmp_path / "site.new", link)
        assert page(server, "/en/economy.html")[1].startswith("<html><body>swapped")


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


def test_an_open_page_learns_of_a_build_at_once(tmp_path):
    """The reload script long-polls /__build?since=N: the answer comes when the next build ends, not on a timer."""
    import time as clock

    root, out, state, run = built(tmp_path)
    with running(make_handler(state, out)) as server:
        answers = []
        waiter = threading.Thread(target=lambda: answers.append((page(server, "/__build?since=1"), clock.monotonic())))
        waiter.start()
        clock.sleep(0.3)
        assert not answers, "the long poll must wait for the next build"
        ended = []
        rebuild(state, lambda s: (run(s), ended.append(clock.monotonic()))[0])
        waiter.join(timeout=5)
        assert answers and answers[0][0] == (200, "2")
        assert answers[0][1] - ended[0] < 0.2, "the answer comes when the build ends"
        assert page(server, "/__build?since=0") == (200, "2"), "a page that missed a build learns of it at once"


def early_page(moments: list) -> str:
    """The page as served early, without the reload script."""
    return moments[0][2].split("<script>(function w(){")[0]


def test_the_open_page_is_shown_before_the_rest_of_the_site_is_made(tmp_path):
    """serve renders the pages open in a browser first and serves them from memory at once (reloading the browser
    once), while the build makes and writes the rest; at its end the files on disk are those pages."""
    root, options = fixture_copy(tmp_path)
    out = tmp_path / "site"
    run = build.rebuild_in_place(build.parse_args(["serve", *options, "--out", str(out)]))
    state = State()
    rebuild(state, run)
    on_disk = out / "en" / "economy.html"
    facts = root / "content" / "facts" / "a.yaml"
    facts.write_text(facts.read_text("utf-8").replace("en: General public budget revenue", "en: Revenue shown early"),
                     "utf-8")
    moments = []
    with running(make_handler(state, out)) as server:
        assert page(server, "/__build?since=0&page=%2Fen%2Feconomy.html") == (200, "1")  # the open page polls
        assert page(server, "/__build?since=0&page=%2Fzh%2F") == (200, "1")
        assert state.viewed() == {"en/economy.html", "zh/index.html"}
        show = state.show

        def watched_show(pages: dict[str, bytes]) -> None:
            show(pages)
            moments.append((sorted(pages), state.version, page(server, "/en/economy.html")[1],
                            on_disk.read_text("utf-8")))

        state.show = watched_show
        rebuild(state, run)
        (early, version, served, disk), = moments
        assert early == ["en/economy.html"]  # the Chinese home page did not change: nothing to show early
        assert version == 2 and "Revenue shown early" in served and 'fetch("/__build?since=2' in served
        assert "Revenue shown early" not in disk  # the rest of the site was still being made
        assert state.version == 2 and state.early == {} and state.error == ""  # one reload, not two
        assert "Revenue shown early" in on_disk.read_text("utf-8")
        served = page(server, "/en/economy.html")[1]  # now from disk: the same page
        assert served.split("<script>(function w(){")[0] == on_disk.read_text("utf-8").rpartition("</body>")[0]
        assert served.split("<script>(function w(){")[0] == early_page(moments)


def test_a_build_failing_after_it_showed_pages_reloads_to_the_last_good_site(tmp_path):
    """If the build fails after showing a page early, the early page is dropped and the browsers reload again,
    to the last good site with the errors."""
    root, out, state, _ = built(tmp_path)

    def fails_late(state: State) -> int:
        state.show({"en/economy.html": b"<p>early</p></body>"})
        print("error: templates/plans.html:3: template error: boom", file=sys.stderr)
        return 1

    with running(make_handler(state, out)) as server:
        rebuild(state, fails_late)
        assert state.version == 3 and state.early == {} and "boom" in state.error
        status, body = page(server, "/en/economy.html")
        assert status == 200 and "<p>early</p>" not in body and "CNY 22.038 billion" in body and "boom" in body


def test_stopping_serve_with_a_page_open_is_prompt(tmp_path):
    """SIGTERM (or Ctrl-C) while a page's long poll waits: serve exits within a second or two, not after the poll's
    20 s, and leaves the site built."""
    import signal
    import urllib.request

    _, options = fixture_copy(tmp_path)
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "build.py", "serve", *options, "--out", str(tmp_path / "site"),
                                "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def get(target: str, timeout: float) -> bytes:
        with urllib.request.urlopen(f"http://{HOST}:{port}{target}", timeout=timeout) as response:
            return response.read()

    try:
        for _ in range(200):
            try:
                get("/__build", 5)
                break
            except OSError:
                time.sleep(0.05)
        poll = threading.Thread(target=get, args=("/__build?since=1&page=%2Fen%2F", 30))
        poll.start()
        time.sleep(0.3)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=25)
        assert time.monotonic() - started < 2, "serve waited for the open page's long poll"
        poll.join(timeout=5)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0 and (tmp_path / "site" / "en" / "index.html").is_file()
