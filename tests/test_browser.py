"""The built site in headless Chromium: journeys from file:// and under a sub-path, offline, print, phone, axe, vnu.

The checks are plain functions in browser_checks.py. The tests at the end break a copy of the site, one
defect at a time, and show that the same function that passes on the real site catches the defect.
Pages are chosen from the registry (`pages.PAGE_KINDS` via the build's plan), so a new page kind is checked
without a change here.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
from pathlib import Path

import pytest

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the browser suite needs the test extra; without it, skip (but never under CI)
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("Playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

from browser_checks import (DESKTOP, PHONE, check_axe, check_axe_open, check_citation_journey, check_citations,
                            check_html, check_language_switch, check_links, check_navigation, check_phone_width,
                            check_print, check_requests, language_pages, page_types, take_screenshots)
from browser_env import (CHROMIUM_ARGS, ROOT, axe_source, chromium_path, file_site, java_path, require,
                         serve_subpath, vnu_jar)
from factsheet.pages import PAGE_KINDS, plan_pages

SCREENSHOTS = ROOT / "test-output" / "screenshots"
OPEN_STATES = ["en/economy.html", "zh/economy.html"]
"""Pages shot and checked by axe with the search results, the Menu and a popover open."""


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    executable = require(chromium_path(), "Chromium (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def served(site_dir):
    """The built site served over HTTP under /laoshan-factsheet/, as GitHub Pages serves a project site."""
    with serve_subpath(site_dir) as site:
        yield site


@pytest.fixture(scope="session")
def local(site_dir):
    """The built site opened from disk."""
    return file_site(site_dir)


@pytest.fixture(scope="session", params=["file", "subpath"])
def site(request, site_dir):
    """The built site, once from file:// and once served under a sub-path."""
    return file_site(site_dir) if request.param == "file" else request.getfixturevalue("served")


@pytest.fixture(scope="session")
def axe():
    """axe-core's script."""
    return axe_source()


@pytest.fixture(scope="session")
def nu_checker():
    """java and vnu.jar."""
    return require(java_path(), "java"), require(vnu_jar(), "vnu.jar (npm package vnu-jar)")


@pytest.fixture(scope="session")
def linked(built):
    """The real content, linked."""
    return built[0].linked


@pytest.fixture(scope="session")
def kinds(linked):
    """One page of every kind of the registry, in each language (`browser_checks.page_types`)."""
    return page_types(plan_pages(linked))


# Journeys, from file:// and under a sub-path.

@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_choose_language_then_reach_every_section(browser, site, lang, width):
    # From the Menu at 390 px, from the wide navigation at 1280 px.
    assert check_navigation(browser, site, lang, width) == []


def test_language_switch_keeps_page_and_anchor_and_back(browser, site, kinds):
    assert len(site.lang_pages) >= 20
    # Every page from disk; one page of each kind under the sub-path, where links resolve the same way.
    assert check_language_switch(browser, site, None if site.base.startswith("file:") else
                                 language_pages(kinds, "en")) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_citation_to_highlighted_passage_and_back(browser, site, kinds, lang):
    assert check_citation_journey(browser, site, kinds[f"{lang}-theme"]) == []


def test_no_request_leaves_the_site_or_fails(browser, site):
    assert check_requests(browser, site) == []


# Whole-site checks, from file://.

def test_links_and_anchors(browser, local):
    assert check_links(browser, local) == []


def test_every_citation_reaches_its_passage(browser, local):
    assert check_citations(browser, local) == []


def test_print_media_hides_navigation_and_keeps_notes(browser, local):
    assert check_print(browser, local) == []


def test_no_sideways_scrolling_at_390px(browser, local):
    assert check_phone_width(browser, local) == []


def test_axe_finds_no_violation(browser, local, axe):
    assert check_axe(browser, local, axe) == []


def test_axe_finds_no_contrast_problem_in_dark_mode(browser, local, axe, kinds):
    # One page of each kind, and a Chinese one: they share one stylesheet. The print edition repeats the section
    # pages and alone takes longer than all the others together.
    pages = [p for kind, p in kinds.items() if not kind.startswith("zh-") and not kind.endswith("print")]
    assert check_axe(browser, local, axe, pages + [kinds["zh-theme"]], color_scheme="dark",
                     rules=["color-contrast"]) == []


def test_axe_finds_no_violation_at_390px(browser, local, axe, kinds):
    # The run over every page is at 1280 px; the phone layout (short title, Menu, rows as cards) shows and hides
    # its own parts: one page of each kind and a Chinese one, as in dark mode, but the print edition.
    pages = [p for kind, p in kinds.items() if not kind.startswith("zh-") and not kind.endswith("print")]
    assert check_axe(browser, local, axe, pages + [kinds["zh-theme"]], viewport=PHONE) == []


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_axe_finds_no_violation_with_search_menu_and_popover_open(browser, local, axe, width):
    assert check_axe_open(browser, local, axe, OPEN_STATES, PHONE if width == "phone" else DESKTOP) == []


def test_every_page_kind_is_checked(linked, kinds, local):
    # The whole-site checks (links, citations, print, phone width, axe, vnu) visit every built page, and the
    # built pages are the registry's plan; the checks by kind take one page of every kind of the registry.
    planned = plan_pages(linked)
    paths = {p.path if p.kind.per == "root" else f"{lang}/{p.path}" for p in planned
             for lang in (("",) if p.kind.per == "root" else ("zh", "en"))}
    assert paths == set(local.pages)
    names = {kind.name if kind.per == "root" else f"{lang}-{kind.name}" for kind in PAGE_KINDS
             for lang in (("",) if kind.per == "root" else ("zh", "en"))}
    assert set(kinds) == names
    assert {"indicator", "figures"} <= {kind.name for kind in PAGE_KINDS}


def test_nu_html_checker_finds_no_error(site_dir, nu_checker):
    assert check_html(site_dir, *nu_checker) == []


def png_size(path: Path) -> tuple[int, int]:
    """Return a PNG's width and height from its header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_screenshots_of_each_page_kind_and_open_state(browser, local, kinds):
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    written = take_screenshots(browser, local, SCREENSHOTS, kinds, OPEN_STATES)
    # Every kind at both widths; each page of OPEN_STATES with its search results and a popover open at both
    # widths, and its Menu open on the phone.
    assert len(written) == 2 * len(kinds) + 5 * len(OPEN_STATES)
    for path in written:
        width, height = png_size(path)
        assert width == (PHONE if path.stem.endswith("phone") else DESKTOP)["width"], path
        assert height >= 300, path


# The suite fails when it should: one broken copy of the site per kind of defect.

def break_copy(site_dir: Path, tmp_path: Path, page: str, pattern: str, replacement: str) -> Path:
    """Copy the site and replace the first match of `pattern` in one page; fail if it does not match."""
    root = tmp_path / "site"
    shutil.copytree(site_dir, root)
    path = root / page
    text = path.read_text("utf-8")
    broken, count = re.subn(pattern, replacement, text, count=1)
    assert count == 1, f"{pattern!r} not found in {page}: the fixture no longer breaks anything"
    path.write_text(broken, "utf-8")
    return root


THEME = "en/economy.html"
HEAD_STYLE = r"</head>"
MAIN = r'<main id="main">'


def style(css: str) -> str:
    """Return a replacement for HEAD_STYLE that adds a style sheet to the page."""
    return f"<style>{css}</style></head>"


DEFECTS = {
    "broken anchor": (THEME, r'(<li) id="n-1"', r"\1", "links", "'n-1'"),
    "switch to the wrong page": (THEME, r'(id="lang-switch"[^>]*href=")[^"]*"', r'\1../zh/finance.html"',
                                 "switch", "expected zh/economy.html"),
    "Menu leads to the wrong page": ("en/index.html", r'<li><a href="finance.html"', '<li><a href="green.html"',
                                     "navigation phone", "both lead to en/green.html"),
    "wide navigation leads to the wrong page": ("en/index.html", r'(?s)(nav-wide.*?)<li><a href="finance.html"',
                                                r'\1<li><a href="green.html"', "navigation desktop",
                                                "both lead to en/green.html"),
    "accessibility violation": (THEME, r'(id="lang-switch"[^>]*>)[^<]*', r"\1", "axe", "link-name"),
    "accessibility violation at 390 px": (THEME, r'<span class="brand-short">', '<span class="brand-short" '
                                          'aria-hidden="true">', "axe phone", "link-name"),
    "accessibility violation in the search results": ("site.js", r'box.id = "search-results";',
                                                      'box.id = "search-results"; box.setAttribute("role", "listbox");',
                                                      "axe open", "search open"),
    "invalid HTML": (THEME, MAIN, MAIN + "<li>stray</li>", "html", "not allowed"),
    "external load": (THEME, MAIN, MAIN + '<img src="https://example.com/x.png" alt="">', "requests",
                      "https://example.com/x.png"),
    "figure not in its passage": (THEME, r'<span class="num">[^<]*</span>', '<span class="num">987.6%</span>',
                                  "citations", "'987.6%'"),
    "page wider than a phone": (THEME, MAIN, MAIN + '<p style="width:60rem">wide</p>', "phone", "wide"),
    "row of a table wider than a phone": (THEME, HEAD_STYLE, style("tr.fact > td.v { min-width: 30rem }"), "phone",
                                          "rows as cards wider than the screen"),
    "navigation printed": (THEME, HEAD_STYLE, style("@media print { .site-header { display: block !important } }"),
                           "print", "navigation is printed"),
    "notes not printed": (THEME, HEAD_STYLE, style("@media print { .notes { display: none } }"),
                          "print", "is not printed"),
}


@pytest.mark.parametrize("defect", DEFECTS)
def test_check_catches(defect, browser, site_dir, tmp_path, axe, request):
    page, pattern, replacement, check, expected = DEFECTS[defect]
    root = break_copy(site_dir, tmp_path, page, pattern, replacement)
    broken = file_site(root)
    if check == "html":
        problems = check_html(root, *request.getfixturevalue("nu_checker"), pages=[page])
    else:
        run = {"links": lambda: check_links(browser, broken, pages=[page]),
               "switch": lambda: check_language_switch(browser, broken, pages=[page]),
               "navigation phone": lambda: check_navigation(browser, broken, "en", "phone"),
               "navigation desktop": lambda: check_navigation(browser, broken, "en", "desktop"),
               "axe": lambda: check_axe(browser, broken, axe, pages=[page]),
               "axe phone": lambda: check_axe(browser, broken, axe, pages=[page], viewport=PHONE),
               "axe open": lambda: check_axe_open(browser, broken, axe, [THEME], DESKTOP),
               "requests": lambda: check_requests(browser, broken, pages=[page]),
               "citations": lambda: check_citations(browser, broken, pages=[page]),
               "phone": lambda: check_phone_width(browser, broken, pages=[page]),
               "print": lambda: check_print(browser, broken, pages=[page]),
               }[check]
        problems = run()
    assert any(expected in p for p in problems), problems


def test_external_load_is_caught_under_the_subpath_too(browser, site_dir, tmp_path):
    root = break_copy(site_dir, tmp_path, THEME, MAIN, MAIN + '<link rel="stylesheet" href="/style.css">')
    with serve_subpath(root) as broken:
        problems = check_requests(browser, broken, pages=[THEME])
    assert any("/style.css" in p and "attempted" in p for p in problems), problems
