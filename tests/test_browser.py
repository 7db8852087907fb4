"""The built site in headless Chromium: journeys from file:// and under a sub-path, offline, print, phone, axe, vnu.

The checks are plain functions in browser_checks.py. The tests at the end break a copy of the site, one
defect at a time, and show that the same function that passes on the real site catches the defect.
Pages are chosen from the registry (`pages.PAGE_KINDS` via the build's plan), so a new page kind is checked
without a change here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import struct
from pathlib import Path

import pytest

if importlib.util.find_spec("playwright") is None:  # the suite needs the test extra; skip, but never under CI
    if os.environ.get("CI") == "true":
        raise ImportError("Playwright is not installed (pip install -e '.[browser]')")
    pytest.skip("Playwright is not installed (pip install -e '.[browser]')", allow_module_level=True)

from browser_checks import (DESKTOP, PHONE, check_axe, check_axe_open, check_citation_journey, check_citations,
                            check_html, check_language_switch, check_links, check_navigation, check_phone_width,
                            check_print, check_requests, check_wider_screens, language_pages, page_types,
                            take_screenshots)
from browser_features import (check_cite_markers, check_cite_without_script, check_citation_punctuation,
                              check_header_focus, check_lead_cards, check_menu_without_script, check_no_slanted_han,
                              check_phone_header, check_plans_page, check_timeline_flags)
from browser_journeys import (check_chart_text, check_indicator_page, check_phone_journalist, check_print_edition,
                              check_search_finds, check_search_speed, check_search_without_script, check_series_svg,
                              search_queries)
from browser_env import (ROOT, axe_source, file_site, java_path, require,
                         serve_subpath, vnu_jar)
from conftest import CONTENT, LOCALE, SOURCES, TEMPLATES, sources_dir
from factsheet.format import format_date
from factsheet.load import edition_date
from factsheet.model import Date
from factsheet.pages import PAGE_KINDS, make_urls, plan_pages
from factsheet.pipeline import build

SCREENSHOTS = ROOT / "test-output" / "screenshots"
OPEN_STATES = ["en/economy.html", "zh/economy.html"]
"""Pages shot and checked by axe with the search results, the Menu and a popover open."""


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


DEPLOYED = "https://example.github.io/laoshan-factsheet/"
"""The --base-url of a deployed build."""


@pytest.fixture(scope="session")
def deployed_dir(tmp_path_factory):
    """The real content built with --base-url, as the Pages workflow builds it."""
    absent = os.environ.get("FACTSHEET_SOURCES_ABSENT") == "1" and not SOURCES.is_dir()
    out = tmp_path_factory.mktemp("deployed") / "site"
    build(CONTENT, TEMPLATES, LOCALE, None if absent else sources_dir(), DEPLOYED, out_dir=out)
    return out


@pytest.fixture(scope="session", params=["file", "subpath"])
def deployed(request, deployed_dir):
    """The deployed build, once from file:// and once served under its sub-path."""
    if request.param == "file":
        yield file_site(deployed_dir)
    else:
        with serve_subpath(deployed_dir) as served:
            yield served


@pytest.fixture(scope="session")
def queries(linked, site_dir):
    """For every fact, by language, a fragment of its subject specific enough for the index, and its row's address."""
    urls = make_urls(linked)
    index = {lang: json.loads((site_dir / "search" / f"{lang}.js").read_text("utf-8")
                              .removeprefix("window.factsheetSearch=").rstrip().removesuffix(";"))["items"]
             for lang in ("zh", "en")}
    return search_queries([(f.subject.zh, f.subject.en, urls.fact(f.id)) for f in linked.site.facts], index)


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


# The three readers' journeys, from file:// and under a sub-path.

LEADS = {"en": ["GDP growth", "Fiscal revenue", "Growth of fixed-asset investment"],
         "zh": ["地区生产总值增长", "财政收入", "固定资产投资增长"]}
"""The economy page's lead figures, in order."""
GDP = {"en": ("GDP growth", "7%", "2023", "No 2024 figure", "GDP"),
       "zh": ("地区生产总值增长", "7%", "2023年", "这些报道中没有2024年", "生产总值")}
"""The journalist's figure: subject, value, period, start of the gap sentence, and what she searches for."""
HIGH_TECH = "high-tech-enterprises"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_journalist_menu_lead_card_popover_search_row(browser, site, lang):
    subject, value, period, gap, query = GDP[lang]
    assert check_phone_journalist(browser, site, lang, "economy.html", subject, value, period, gap, query) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_desktop_investor_reads_the_high_tech_enterprises_page(browser, site, lang):
    assert check_indicator_page(browser, site, lang, HIGH_TECH, "innovation.html") == []


def test_desktop_investor_chart_texts_do_not_overlap(browser, site):
    assert check_chart_text(browser, site, [f"{lang}/indicator-{HIGH_TECH}.html" for lang in ("en", "zh")]) == []


def test_desktop_investor_gets_the_chart_as_an_svg_file(browser, site):
    assert check_series_svg(browser, site, [f"{lang}/indicator-{HIGH_TECH}.html" for lang in ("en", "zh")]) == []


def edition_of(lang: str) -> str | None:
    """Return the edition date the build puts on the print cover, in a language."""
    day = edition_date(CONTENT)
    return format_date(Date(day.year, day.month, day.day, "day"), lang) if day else None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_printed_edition_cover_and_three_endnotes(browser, site, linked, lang):
    licence = linked.site.info.license.get(lang)
    assert check_print_edition(browser, site, lang, edition_of(lang), licence, None) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_printed_edition_of_a_deployed_build_gives_its_address(browser, deployed, linked, lang):
    licence = linked.site.info.license.get(lang)
    assert check_print_edition(browser, deployed, lang, edition_of(lang), licence, DEPLOYED + "index.html") == []


# Search, from file:// and under a sub-path.

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_finds_every_fact_by_a_fragment_of_its_subject(browser, site, queries, lang):
    # Chinese: 3 characters from the middle of the subject; English: 4-letter prefixes of two of its words.
    assert len(queries[lang]) >= 200
    assert check_search_finds(browser, site, lang, queries[lang]) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_answers_within_50_ms_on_a_slow_cpu_and_stays_on_the_site(browser, site, lang):
    assert check_search_speed(browser, site, lang, GDP[lang][4]) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_without_javascript_leads_to_the_a_z_index(browser, site, lang):
    assert check_search_without_script(browser, site, lang, GDP[lang][4]) == []


# The phone header, the Menu and focus, on every page kind.

def test_phone_header_is_one_line_on_every_page_kind(browser, site, kinds):
    assert check_phone_header(browser, site, language_pages(kinds)) == []


def test_menu_opens_without_javascript_and_shows_its_groups(browser, site, kinds):
    assert check_menu_without_script(browser, site, language_pages(kinds)) == []


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_focus_is_visible_on_everything_in_the_header(browser, site, kinds, width):
    pages = [kinds["en-overview"], kinds["zh-theme"]]
    assert check_header_focus(browser, site, pages, PHONE if width == "phone" else DESKTOP) == []


# Citations, gaps, type, conflicts and plans.

@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_citation_markers_are_24px_and_show_their_own_note(browser, site, kinds, width):
    # Every marker's popover once, at desktop width; at both widths every marker's size and the first's popover.
    viewport = PHONE if width == "phone" else DESKTOP
    assert check_cite_markers(browser, site, language_pages(kinds), viewport, every_note=width == "desktop") == []


def test_citation_markers_jump_to_their_note_without_javascript(browser, site, kinds):
    assert check_cite_without_script(browser, site, language_pages(kinds)) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_economy_opens_with_its_latest_figures_and_says_which_year_is_missing(browser, site, linked, lang):
    assert check_lead_cards(browser, site, f"{lang}/economy.html", LEADS[lang], linked.newest_year) == []


def test_no_chinese_text_is_slanted(browser, site, kinds):
    assert check_no_slanted_han(browser, site, language_pages(kinds)) == []


def test_chinese_citations_use_full_width_punctuation(browser, site, kinds, linked):
    # Every indicator page from disk; one of each kind with a citation under the sub-path, which serves the same text.
    every = site.lang_pages if site.base.startswith("file:") else language_pages(kinds)
    pages = [p for p in every if "/indicator-" in p or p.endswith(("/downloads.html", "/print.html"))]
    titles = [s.headline.zh for s in linked.site.sources]  # quoted as printed: 崂山区:创新引领 项目拔节 城向未来
    assert check_citation_punctuation(browser, site, pages, titles) == []


def same_step_flags(linked) -> list[str]:
    """Return the anchors of the milestones another article dates differently, linked by same_as."""
    by_id = {m.id: m for m in linked.site.milestones}
    pairs = [(m, by_id[m.same_as]) for m in linked.site.milestones if m.same_as in by_id]
    return sorted({f"m-{x.id}" for one, other in pairs if one.date != other.date for x in (one, other)})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_conflict_flags_only_for_the_same_step_and_sources_say_where_articles_disagree(browser, site, linked, lang):
    flagged = same_step_flags(linked)  # today none: no flag at all
    assert check_timeline_flags(browser, site, lang, flagged) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plans_summary_groups_in_order_and_each_target_once(browser, site, linked, lang):
    subject = linked.series[HIGH_TECH].name.get(lang)  # High-tech enterprises (total), stated by two articles
    assert check_plans_page(browser, site, lang, subject) == []


# Whole-site checks, from file://.

def test_links_and_anchors(browser, local):
    assert check_links(browser, local) == []


def test_every_citation_reaches_its_passage(browser, local):
    assert check_citations(browser, local) == []


def test_print_media_hides_navigation_and_keeps_notes(browser, local):
    assert check_print(browser, local) == []


def test_no_sideways_scrolling_at_390px(browser, local):
    assert check_phone_width(browser, local) == []


def test_no_table_hides_a_column_on_wider_screens(browser, local):
    """Every page with tables (all but the per-series pages, whose one table the widest series page stands for), at
    700, 800, 1024 and 1280 px."""
    pages = [p for p in local.lang_pages if "/indicator-" not in p]
    pages += [f"{lang}/indicator-fixed-asset-investment-growth.html" for lang in ("zh", "en")]
    assert check_wider_screens(browser, local, pages=pages) == []


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
INDICATOR = f"en/indicator-{HIGH_TECH}.html"
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
                                          "tables wider than the screen"),
    "navigation printed": (THEME, HEAD_STYLE, style("@media print { .site-header { display: block !important } }"),
                           "print", "navigation is printed"),
    "notes not printed": (THEME, HEAD_STYLE, style("@media print { .notes { display: none } }"),
                          "print", "is not printed"),
    "focus not given back to the marker": ("site.js", r"opener\.focus\(\);", 'document.getElementById("search-q")'
                                           ".focus();", "journalist", "not on the marker"),
    "observation missing from the indicator page": (INDICATOR, r'(?s)<tr id="f-2024-03-high-tech-enterprises" '
                                                    r'class="obs.*?</tr>', "", "indicator", "differ from the rows"),
    "chart labels on top of each other": (INDICATOR, r"</svg>", '<text x="60" y="20">AAAA</text>'
                                          '<text x="62" y="21">BBBB</text></svg>', "chart text", "overlap"),
    "chart link to a file that is not SVG": (INDICATOR, r'type="text/csv">CSV</a>', 'type="text/csv">CSV</a> · <a '
                                             'href="../index.html" type="image/svg+xml">SVG</a>', "svg",
                                             "is not an SVG document"),
    "endnote's source key leads nowhere": ("en/print.html", r'<a class="src-key" href="#s-',
                                           '<a class="src-key" href="#x-', "print edition", "does not reach"),
    "fact missing from the search index": ("search/en.js", r'"economy\.html#f-', '"economy.html#x-', "search",
                                           "does not show"),
    "slow search": ("en/index.html", r'<script src="\.\./site\.js"></script>',
                    "<script>document.getElementById('search-q').addEventListener('input', () => {"
                    "const t = performance.now(); while (performance.now() - t < 80);});</script>"
                    '<script src="../site.js"></script>', "search speed", "later than 50 ms"),
    "search form leads elsewhere without script": (THEME, r'action="figures\.html"', 'action="glossary.html"',
                                                   "search without script", "leads to en/glossary.html"),
    "phone header on two lines": (THEME, HEAD_STYLE, style(".bar { flex-direction: column }"), "phone header",
                                  "not one line"),
    "Menu without its groups": (THEME, HEAD_STYLE, style(".nav-menu .group-label { display: none }"), "menu",
                                "expected 3"),
    "focus invisible in the header": (THEME, HEAD_STYLE, style(".site-header a:focus-visible { outline: none "
                                                               "!important }"), "focus", "outline"),
    "citation markers too small": (THEME, HEAD_STYLE, style(".cite { display: inline !important; min-width: 0 "
                                                            "!important; min-height: 0 !important }"), "markers",
                                   "smaller than 24"),
    "popover shows another note": ("site.js", r'document\.getElementById\(marker\.getAttribute\("href"\)\.slice\(1\)\)',
                                   'document.getElementById("n-1")', "markers", "show another note"),
    "marker names no note": (THEME, r'href="#n-1"', 'href="#note-1"', "markers without script", "name no note"),
    "gap not said": (THEME, r'<span class="gap">[^<]*</span>', "", "lead", "does not say"),
    "Chinese set in italics": ("zh/economy.html", HEAD_STYLE, style("blockquote { font-style: italic }"), "slant",
                               "slant Chinese"),
    "half-width brackets in a Chinese citation": (INDICATOR, "［DS/OL］", "[DS/OL]", "punctuation", "half-width"),
    "conflict flag without same_as": ("en/timelines.html", r'<span class="status">', '<span class="flag"><a href='
                                      '"timelines.html#by-year">another</a></span> <span class="status">', "flags",
                                      "flags on"),
    "a target shown twice": ("en/plans.html", r'(?s)(<tr id="plan-plan-2024-02-high-tech-enterprises-total">.*?</tr>)',
                             r"\1\1", "plans", "expected exactly 1"),
}


@pytest.mark.parametrize("defect", DEFECTS)
def test_check_catches(defect, browser, site_dir, tmp_path, axe, linked, request):
    page, pattern, replacement, check, expected = DEFECTS[defect]
    root = break_copy(site_dir, tmp_path, page, pattern, replacement)
    broken = file_site(root)
    if check == "html":
        problems = check_html(root, *request.getfixturevalue("nu_checker"), pages=[page])
    else:
        subject, value, period, gap, query = GDP["en"]
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
               "journalist": lambda: check_phone_journalist(browser, broken, "en", "economy.html", subject, value,
                                                            period, gap, query),
               "indicator": lambda: check_indicator_page(browser, broken, "en", HIGH_TECH, "innovation.html"),
               "chart text": lambda: check_chart_text(browser, broken, [page]),
               "svg": lambda: check_series_svg(browser, broken, [page]),
               "print edition": lambda: check_print_edition(browser, broken, "en", edition_of("en"),
                                                            linked.site.info.license.en, None),
               "search": lambda: check_search_finds(browser, broken, "en", request.getfixturevalue("queries")["en"]),
               "search speed": lambda: check_search_speed(browser, broken, "en", query),
               "search without script": lambda: check_search_without_script(browser, broken, "en", query),
               "phone header": lambda: check_phone_header(browser, broken, [page]),
               "menu": lambda: check_menu_without_script(browser, broken, [page]),
               "focus": lambda: check_header_focus(browser, broken, [page], DESKTOP),
               "markers": lambda: check_cite_markers(browser, broken, [THEME], DESKTOP),
               "markers without script": lambda: check_cite_without_script(browser, broken, [page]),
               "lead": lambda: check_lead_cards(browser, broken, page, LEADS["en"], linked.newest_year),
               "slant": lambda: check_no_slanted_han(browser, broken, [page]),
               "punctuation": lambda: check_citation_punctuation(browser, broken, [page], []),
               "flags": lambda: check_timeline_flags(browser, broken, "en", []),
               "plans": lambda: check_plans_page(browser, broken, "en", linked.series[HIGH_TECH].name.en),
               }[check]
        problems = run()
    assert any(expected in p for p in problems), problems


def test_external_load_is_caught_under_the_subpath_too(browser, site_dir, tmp_path):
    root = break_copy(site_dir, tmp_path, THEME, MAIN, MAIN + '<link rel="stylesheet" href="/style.css">')
    with serve_subpath(root) as broken:
        problems = check_requests(browser, broken, pages=[THEME])
    assert any("/style.css" in p and "attempted" in p for p in problems), problems
