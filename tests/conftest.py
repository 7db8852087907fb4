"""Shared paths and a session-scoped build of the real site into a temporary folder."""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from factsheet.pipeline import BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"
LOCALE = ROOT / "locale"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCES = ROOT.parent / "shared" / "sources"
WITHOUT_SITE = shutil.ignore_patterns("site")
"""For copying a fixture without its expected site (`shutil.copytree(..., ignore=WITHOUT_SITE)`): the tests that
build a copy make their own, and some 200 copies of it cost a second."""

if importlib.util.find_spec("playwright") is None and os.environ.get("CI") != "true":
    # The browser suite's helpers import Playwright: without it (allowed outside CI) their doctests are not collected,
    # as test_browser.py skips itself. Under CI the import fails the run instead.
    collect_ignore_glob = ["browser_*.py"]


def pytest_configure(config) -> None:
    """Keep the tests' temporary folders in memory (/dev/shm) where it is a writable folder and the user has not
    chosen one (TMPDIR): the suite writes some 24,000 files, and on this machine's disk the suite took 34 s on two
    workers instead of 22 s. Workers started by pytest-xdist inherit the choice."""
    shm = Path("/dev/shm")
    if "TMPDIR" not in os.environ and shm.is_dir() and os.access(shm, os.W_OK | os.X_OK):
        os.environ["TMPDIR"] = str(shm)
        tempfile.tempdir = None  # gettempdir() looks again
    if not hasattr(config, "workerinput"):  # once, in the main process: the workers inherit it
        # Compiled templates go to a folder of this run, not the user's cache: the suite renders templates copied
        # into temporary folders, and every copy would leave its own entries there, never removed.
        cache = Path(tempfile.mkdtemp(prefix="laoshan-tests-cache-"))
        atexit.register(shutil.rmtree, cache, True)
        os.environ["XDG_CACHE_HOME"] = str(cache)
    config.pluginmanager.register(BadInputTable(config), "bad-input-table")


def pytest_collection_modifyitems(items) -> None:
    """Mark every test that takes the `browser` fixture `browser` and keep them in one xdist group, so that they run
    on one worker, one Chromium, one after another (`-m "not browser"` runs the rest)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


BAD_INPUT_ROW = "bad input row"
"""The property under which test_safety.py's bad-input cases report their row of test-output/bad-inputs.md."""


class BadInputTable:
    """Gathers the bad-input cases' rows wherever they ran (pytest-xdist hands each worker's reports, properties and
    all, to the main process) and writes them, in the cases' order, to test-output/bad-inputs.md, for the record."""

    def __init__(self, config) -> None:
        self.config = config
        self.rows: list = []

    def pytest_runtest_logreport(self, report) -> None:
        if report.when == "call":
            self.rows += [value for name, value in report.user_properties if name == BAD_INPUT_ROW]

    def pytest_sessionfinish(self) -> None:
        if self.rows and not hasattr(self.config, "workerinput"):
            out = ROOT / "test-output"
            out.mkdir(exist_ok=True)
            head = "| class | input | exit | first message | previous site |\n|---|---|---:|---|---|\n"
            (out / "bad-inputs.md").write_text(head + "\n".join(row for _, row in sorted(self.rows)) + "\n", "utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` with its bytes, by path relative to it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@functools.cache
def _minimal_site() -> Path:
    """Build the minimal fixture once per session (per worker), for `previous_site` to copy."""
    root = FIXTURES / "minimal"
    first = Path(tempfile.mkdtemp(prefix="previous-site-")) / "site"
    atexit.register(shutil.rmtree, first.parent, True)
    build(root / "content", TEMPLATES, LOCALE, root / "sources", None, out_dir=first)
    return first


def previous_site(out: Path) -> dict[str, bytes]:
    """Put the minimal fixture's site into `out`, as an earlier build would have left it, and return its files. It is
    built once per session and copied (manifest included): some hundred tests start from it, and copying takes a
    tenth of the time."""
    shutil.copytree(_minimal_site(), out)
    return tree(out)


def sources_dir() -> Path:
    """Return the article texts; fail under CI when they are missing, skip elsewhere. A CI that declares it has no
    articles (GitHub's, where the repository holds none: FACTSHEET_SOURCES_ABSENT=1) skips, saying so."""
    if SOURCES.is_dir():
        return SOURCES
    if os.environ.get("CI") == "true" and os.environ.get("FACTSHEET_SOURCES_ABSENT") != "1":
        pytest.fail(f"{SOURCES} is missing: CI must have ../shared/sources beside the checkout")
    pytest.skip("../shared/sources not present (allowed outside CI, or where CI declares FACTSHEET_SOURCES_ABSENT=1)")


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session, shared by every module: Playwright's sync API cannot
    start a second instance while one runs. Skipped without Playwright or Chromium, except under CI, where it fails."""
    from browser_env import CHROMIUM_ARGS, chromium_path, require
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Playwright is not installed (pip install -e '.[browser]')")
    executable = require(chromium_path(), "Chromium (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def sources() -> Path:
    """The folder of article texts."""
    return sources_dir()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[BuildResult, Path]:
    """Build the real content, quotations verified, into a temporary site folder (unverified only where CI
    declares it has no articles)."""
    absent = os.environ.get("FACTSHEET_SOURCES_ABSENT") == "1" and not SOURCES.is_dir()
    out = tmp_path_factory.mktemp("built") / "site"
    result = build(CONTENT, TEMPLATES, LOCALE, None if absent else sources_dir(), None, out_dir=out)
    return result, out


@pytest.fixture(scope="session")
def site_dir(built) -> Path:
    """The built site folder."""
    return built[1]
