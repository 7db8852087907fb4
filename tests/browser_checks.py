"""Checks of a built site in a real browser, each returning the problems a reader would meet (empty when none).

Every check is a plain function of a Playwright browser and a `Site`, so the same function that passes on the
real site is shown, on a deliberately broken copy, to catch its defect. Each check uses one page and visits
the pages in one loop. This module holds the whole-site checks and what the others share; the readers' journeys
and the search are in browser_journeys.py, the checks of each page's features in browser_features.py.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
from pathlib import Path
from typing import Iterator, Sequence
from urllib.parse import unquote

from playwright.sync_api import Browser, Page

from browser_env import Site

OTHER = {"zh": "en", "en": "zh"}
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
A4 = {"width": 794, "height": 1123}
"""An A4 page at 96 px per inch."""
TIMEOUT_MS = 10_000


@contextlib.contextmanager
def open_page(browser: Browser, **context_options) -> Iterator[Page]:
    """Yield a page in a fresh browser context, closed afterwards."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def visit(page: Page, url: str) -> None:
    """Open a URL and wait until it and everything it loads has arrived."""
    page.goto(url, wait_until="load")


def follow(page: Page, link) -> None:
    """Click a link as a reader would and wait for the page it leads to."""
    link.click()
    page.wait_for_load_state("load")


def where(site: Site, page: Page) -> str:
    """Return the current page as root-relative path plus #fragment, or the whole URL when outside the site."""
    rel = site.rel(page.url)
    if rel is None:
        return page.url
    fragment = page.url.partition("#")[2]
    return rel + (f"#{fragment}" if fragment else "")


# Scripts evaluated in the page. Each returns plain data.

JS_LINKS_AND_IDS = """() => ({
  ids: Array.from(document.querySelectorAll('[id]'), e => e.id)
         .concat(Array.from(document.querySelectorAll('a[name]'), e => e.name)),
  links: Array.from(document.querySelectorAll('a[href], area[href], link[href]'),
                    e => ({href: e.href, raw: e.getAttribute('href'), tag: e.localName})),
})"""

JS_TARGET = """id => {
  const e = document.getElementById(id);
  if (!e) return null;
  const r = e.getBoundingClientRect();
  const cell = e.localName === 'tr' ? e.firstElementChild || e : e;
  return {
    targeted: e.matches(':target'),
    inView: r.height > 0 && r.bottom > 0 && r.top < window.innerHeight,
    background: getComputedStyle(cell).backgroundColor,
    pageBackground: getComputedStyle(document.body).backgroundColor,
    text: e.innerText,
  };
}"""

JS_LANDED = """anchor => {
  const e = anchor ? document.getElementById(anchor) : null;
  const r = e ? e.getBoundingClientRect() : null;
  return {lang: document.documentElement.lang, has: !!e, targeted: !!e && e.matches(':target'),
          inView: !!r && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight};
}"""


JS_SECTION = """() => ({
  headings: Array.from(document.querySelectorAll('h1')).filter(h => h.checkVisibility() && h.innerText.trim()).length,
  current: Object.fromEntries(['menu', 'wide'].map(id => [id, Array.from(
    document.querySelectorAll(`header nav.nav-${id} a[aria-current="page"]`), a => a.textContent.trim())])),
  shown: ['menu', 'wide'].filter(id => {
    const nav = document.querySelector(`header nav.nav-${id}`);
    return nav && Array.from(nav.querySelectorAll('a')).some(a => a.checkVisibility());
  }),
})"""

JS_CITES = """() => Array.from(document.querySelectorAll('a.cite'), a => {
  const figure = a.parentElement.closest('[id]');
  const noteId = decodeURIComponent((a.getAttribute('href') || '').replace(/^#/, ''));
  const note = noteId ? document.getElementById(noteId) : null;
  const source = note ? note.querySelector('a[href*="source-"]') : null;
  const num = figure ? figure.querySelector('.num') : null;
  return {
    marker: a.textContent.trim(), noteId, noteFound: !!note,
    figureId: figure ? figure.id : '', value: num ? num.textContent.trim() : '',
    sourceHref: source ? source.href : '',
  };
})"""

JS_PASSAGES = """() => Object.fromEntries(Array.from(document.querySelectorAll('li[id]'), li => [li.id, {
  text: (li.querySelector('blockquote') || li).textContent,
  back: Array.from(li.querySelectorAll('a[href*="#"]'), a => a.href),
}]))"""

JS_OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  window.scrollTo(10000, window.scrollY);
  const scrolled = window.scrollX;
  window.scrollTo(0, window.scrollY);
  const clipped = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const describe = e => e.localName + (e.id ? '#' + e.id : '') +
    (e.classList.length ? '.' + Array.from(e.classList).join('.') : '');
  const culprits = Array.from(document.body.querySelectorAll('*'))
    .filter(e => e.getBoundingClientRect().right > width + 1 && !clipped(e))
    .slice(0, 3).map(e => describe(e) + ' (' + Math.round(e.getBoundingClientRect().right) + 'px)');
  const cards = Array.from(document.querySelectorAll('.table-wrap'))
    .filter(w => w.scrollWidth > w.clientWidth + 1 && w.checkVisibility())
    .slice(0, 3).map(w => (w.getAttribute('aria-labelledby') || '') + ' (' + w.scrollWidth + ' px)');
  return {width, scrollWidth: root.scrollWidth, scrolled, culprits, cards};
}"""

JS_PRINT = """() => {
  const shown = e => !!e && e.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const problems = [];
  for (const e of document.querySelectorAll('nav:not(main nav), #lang-switch, .skip')) {
    if (shown(e)) problems.push('navigation is printed: ' + e.outerHTML.slice(0, 60));
  }
  for (const a of document.querySelectorAll('a.cite')) {
    if (!shown(a)) continue;
    const id = decodeURIComponent((a.getAttribute('href') || '').replace(/^#/, ''));
    const note = id && document.getElementById(id);
    if (!note) problems.push('citation ' + a.textContent.trim() + ' has no note');
    else if (!shown(note)) problems.push('citation ' + a.textContent.trim() + ': its note #' + id + ' is not printed');
    else if (note.innerText.trim().length < 4) problems.push('citation ' + a.textContent.trim() + ': its note is empty');
  }
  return problems;
}"""

JS_AXE_START = """rules => {
  const options = rules.length ? {runOnly: {type: 'rule', values: rules}} : {};
  window.axeViolations = axe.run(document, {...options, resultTypes: ['violations']}).then(result =>
    result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
    })));
}"""

JS_AXE_RESULT = "() => window.axeViolations"


def check_links(browser: Browser, site: Site, pages: Sequence[str] | None = None) -> list[str]:
    """Report links that leave the site folder, name a missing file or folder, or miss their #anchor."""
    files = {p.relative_to(site.root).as_posix() for p in site.root.rglob("*") if p.is_file()}
    ids: dict[str, set[str]] = {}
    found: list[tuple[str, dict]] = []
    problems = []
    with open_page(browser) as page:

        def ids_of(rel: str) -> set[str]:
            if rel not in ids:
                visit(page, site.url(rel))
                ids[rel] = set(page.evaluate(JS_LINKS_AND_IDS)["ids"])
            return ids[rel]

        for rel in pages or site.pages:
            visit(page, site.url(rel))
            data = page.evaluate(JS_LINKS_AND_IDS)
            ids[rel] = set(data["ids"])
            found += [(rel, link) for link in data["links"]]
        for rel, link in found:
            raw, href = link["raw"], link["href"]
            if re.match(r"^(https?:|mailto:)", raw):
                continue  # a link out of the site, not a load: check_requests covers loads
            if raw.startswith("/"):
                problems.append(f"{rel}: {raw!r} is root-relative and breaks under a sub-path or file://")
                continue
            target = site.rel(href)
            if target is None:
                problems.append(f"{rel}: {raw!r} leaves the site folder ({href})")
            elif target == "" or target.endswith("/") or (site.root / target).is_dir():
                problems.append(f"{rel}: {raw!r} names a folder, not a file")
            elif target not in files:
                problems.append(f"{rel}: {raw!r} names a missing file {target}")
            else:
                fragment = unquote(href.partition("#")[2])
                if fragment and target.endswith(".html") and fragment not in ids_of(target):
                    problems.append(f"{rel}: {raw!r}: {target} has no element with id {fragment!r}")
    return problems


def last_anchor(path: Path) -> str:
    """Return the id of the last figure, milestone or passage in a page (deep enough to need scrolling), or ''."""
    ids = re.findall(r'\sid="((?:f|m|q)-[^"]+)"', path.read_text("utf-8"))
    return ids[-1] if ids else ""


def follow_switch(page: Page, site: Site, here: str, there: str, anchor: str) -> list[str]:
    """Click the language switch on `here` and report unless it lands on `there`, keeping the anchor."""
    follow(page, page.locator("#lang-switch"))
    if site.rel(page.url) != there:
        return [f"{here}: the language switch leads to {where(site, page)}, expected {there}"]
    state = page.evaluate(JS_LANDED, anchor)
    problems = []
    if state["lang"] != HTML_LANG[there.split("/")[0]]:
        problems.append(f"{here} → {there}: <html lang={state['lang']!r}>, expected {HTML_LANG[there.split('/')[0]]!r}")
    if state["has"] and (page.url.partition("#")[2] != anchor or not state["targeted"]):
        problems.append(f"{here}#{anchor} → {where(site, page)}: the anchor #{anchor} was lost")
    elif state["has"] and not state["inView"]:
        problems.append(f"{here}#{anchor} → {there}: #{anchor} is not scrolled into view")
    return problems


def check_language_switch(browser: Browser, site: Site, pages: Sequence[str] | None = None) -> list[str]:
    """At an anchor deep in each page, switch language and back: same page, same anchor, right lang.

    By default the round trips start from the English pages, which clicks every page's switch once.
    """
    problems = []
    with open_page(browser) as page:
        for rel in pages or [p for p in site.lang_pages if p.startswith("en/")]:
            lang, name = rel.split("/", 1)
            there = f"{OTHER[lang]}/{name}"
            anchor = last_anchor(site.root / rel)
            visit(page, site.url(rel) + (f"#{anchor}" if anchor else ""))
            if page.locator("#lang-switch").count() != 1:
                problems.append(f"{rel}: {page.locator('#lang-switch').count()} language switches, expected 1")
                continue
            found = follow_switch(page, site, rel, there, anchor)
            if not found:
                found = follow_switch(page, site, there, rel, anchor)
            problems += found
    return problems


NAVS = {"phone": ("menu", PHONE), "desktop": ("wide", DESKTOP)}
"""Which copy of the navigation a reader uses at each width: the Menu's on a phone, the wide one on a desktop."""


def wait_for_results(page: Page) -> None:
    """Wait until the header's search shows its results."""
    page.locator(".search-results").wait_for(state="visible")


def open_menu(page: Page) -> None:
    """Open the phone header's Menu (a <details>) unless it is open."""
    if not page.locator("details.menu").evaluate("d => d.open"):
        page.locator("details.menu > summary").click()


def check_navigation(browser: Browser, site: Site, lang: str, width: str = "desktop") -> list[str]:
    """From the landing page choose a language, then reach every section through the navigation in turn: at
    `width` "phone" from the Menu, at "desktop" from the wide navigation. Only that copy is shown, and every page
    marks itself as current in both copies."""
    nav, viewport = NAVS[width]
    links = f"header nav.nav-{nav} a"
    problems = []
    with open_page(browser, viewport=viewport) as page:
        visit(page, site.url("index.html"))
        choose = page.locator(f'main a[href="{lang}/index.html"]')
        if choose.count() != 1:
            return [f"index.html: {choose.count()} links to {lang}/index.html, expected 1"]
        follow(page, choose)
        if site.rel(page.url) != f"{lang}/index.html":
            return [f"index.html: choosing {lang} leads to {where(site, page)}"]
        items = page.locator(links).evaluate_all(
            "links => links.map(a => ({href: a.href, label: a.textContent.trim()}))")
        if not items:
            return [f"{lang}/index.html: no navigation links in nav.nav-{nav}"]
        seen: dict[str, str] = {}
        for item in items:
            target = site.rel(item["href"]) or item["href"]
            if target in seen:
                problems.append(f"{lang}: navigation items {seen[target]!r} and {item['label']!r} both lead to {target}")
            seen.setdefault(target, item["label"])
        for index, item in enumerate(items):
            here = where(site, page)
            if width == "phone":
                open_menu(page)
            follow(page, page.locator(links).nth(index))
            if page.url != item["href"]:
                problems.append(f"{here}: navigation item {item['label']!r} leads to {where(site, page)}")
                continue
            if width == "phone":
                open_menu(page)
            state = page.evaluate(JS_SECTION)
            if state["headings"] != 1:
                problems.append(f"{where(site, page)}: {state['headings']} visible <h1> with text, expected 1")
            for copy, current in state["current"].items():
                if current != [item["label"]]:
                    problems.append(f"{where(site, page)}: nav.nav-{copy} marks {current} as current, "
                                    f"expected [{item['label']!r}]")
            if state["shown"] != [nav]:
                problems.append(f"{where(site, page)}: at {viewport['width']} px the navigation shown is "
                                f"{state['shown']}, expected only nav.nav-{nav}")
    return problems


NUMBER_WORDS = {"一年半": "15", "半年": "5", "领跑": "1", "首": "1", "最大": "1", "一": "1", "二": "2", "两": "2",
                "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "十": "1", "百": "1",
                "千": "1", "万": "1"}
"""Chinese numerals and the few wordings of a number that the articles use ("leads the city" and "the largest" are
No. 1). Lenient on purpose: the check is that a figure's note points at the right passage, not a number parser."""


def numbers(text: str) -> set[str]:
    """Return the significant digits of each number in a text, Chinese numerals included.

    Units differ between a figure and its passage (22.038 billion yuan, 220.38亿元), so only the digits
    without leading and trailing zeros are compared.

    >>> sorted(numbers("CNY 22.038 billion"))
    ['22038']
    >>> sorted(numbers("到220.38亿元，突破千亿，全市首位"))
    ['1', '22038']
    >>> sorted(numbers("over 1,000"))
    ['1']
    >>> sorted(numbers("力争三年任务、一年半完成"))
    ['1', '15', '3']
    """
    digits = {re.sub(r"\D", "", n).strip("0") or "0" for n in re.findall(r"[0-9][0-9,]*(?:\.[0-9]+)?", text)}
    return digits | {d for word, d in NUMBER_WORDS.items() if word in text}


def figure_in_passage(value: str, passage: str) -> bool:
    """Tell whether every number of a displayed figure occurs in the passage it cites.

    >>> figure_in_passage("12.3%", "规上工业增加值增长12.3%")
    True
    >>> figure_in_passage("18.3%", "规上工业增加值增长12.3%")
    False
    """
    return numbers(value) <= numbers(passage)


LEAD_PREFIX = "lead-"
"""A theme page's lead cards repeat rows of the same page (`lead-f-…` above `f-…`): a passage links back to the row."""


def home_anchor(anchor: str) -> str:
    """Return the anchor of the row a figure's copy on the same page repeats (the anchor itself for a row).

    >>> home_anchor("lead-f-2024-03-gdp-growth"), home_anchor("f-2024-03-gdp-growth")
    ('f-2024-03-gdp-growth', 'f-2024-03-gdp-growth')
    """
    return anchor.removeprefix(LEAD_PREFIX)


def check_citations(browser: Browser, site: Site, pages: Sequence[str] | None = None) -> list[str]:
    """Every citation marker has a note, whose source link reaches a passage that contains the figure and links back."""
    problems = []
    cites: list[tuple[str, dict]] = []
    passages: dict[str, dict] = {}
    with open_page(browser) as page:
        for rel in pages or site.lang_pages:
            visit(page, site.url(rel))
            cites += [(rel, c) for c in page.evaluate(JS_CITES)]
        for source in sorted({site.rel(c["sourceHref"]) for _, c in cites if c["sourceHref"]} - {None}):
            visit(page, site.url(source))
            passages[source] = page.evaluate(JS_PASSAGES)
    homes = {site.rel(h) for links in passages.values() for p in links.values() for h in p["back"]}
    for rel, c in cites:
        at = f"{rel}#{c['figureId']} [{c['marker'].strip('[]')}]"
        if not c["noteFound"]:
            problems.append(f"{at}: no note #{c['noteId']}")
            continue
        source = site.rel(c["sourceHref"]) if c["sourceHref"] else None
        passage_id = c["sourceHref"].partition("#")[2]
        if source is None or not passage_id:
            problems.append(f"{at}: note #{c['noteId']} has no link to a passage on a source page")
            continue
        passage = passages.get(source, {}).get(passage_id)
        if passage is None:
            problems.append(f"{at}: {source} has no passage #{passage_id}")
            continue
        if c["value"] and not figure_in_passage(c["value"], passage["text"]):
            problems.append(f"{at}: figure {c['value']!r} not in passage {source}#{passage_id}: {passage['text'][:60]!r}")
        # A figure's home page (its theme, the timelines) gets the passage's back-link, to its row even from a lead
        # card above the row; copies of the figure elsewhere (overview cards, print edition) do not.
        back = {(site.rel(h), h.partition("#")[2]) for h in passage["back"]}
        if c["figureId"] and rel in homes and (rel, home_anchor(c["figureId"])) not in back:
            problems.append(f"{at}: passage {source}#{passage_id} has no back-link to #{home_anchor(c['figureId'])}")
    return problems


def target_state(page: Page, site: Site, anchor: str, what: str) -> list[str]:
    """Report unless `anchor` is the targeted element, scrolled into view."""
    state = page.evaluate(JS_TARGET, anchor)
    if state is None:
        return [f"{where(site, page)}: no {what} #{anchor}"]
    if page.url.partition("#")[2] != anchor or not state["targeted"]:
        return [f"{where(site, page)}: {what} #{anchor} is not the target"]
    if not state["inView"]:
        return [f"{where(site, page)}: {what} #{anchor} is not scrolled into view"]
    return []


JS_POPOVER = """() => {
  const pop = document.querySelector('.cite-pop');
  const open = !!pop && pop.matches(':popover-open');
  const r = open ? pop.getBoundingClientRect() : null;
  return {open, text: open ? pop.innerText : '',
          quote: open && pop.querySelector('blockquote') ? pop.querySelector('blockquote').textContent.trim() : '',
          inView: !!r && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth,
          focus: document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : ''};
}"""


def check_citation_journey(browser: Browser, site: Site, start: str) -> list[str]:
    """Click a figure's citation: its note shows in place; go to the note, then its source, then the passage's
    back-link to the figure's row."""
    with open_page(browser, viewport=DESKTOP) as page:
        visit(page, site.url(start))
        cites = [c for c in page.evaluate(JS_CITES) if c["figureId"] and c["value"]]
        if not cites:
            return [f"{start}: no cited figure to follow"]
        cite = cites[0]
        figure, note_id = cite["figureId"], cite["noteId"]
        page.locator(f'[id="{figure}"] a.cite').first.click()
        pop = page.evaluate(JS_POPOVER)
        quote = page.locator(f'[id="{note_id}"] blockquote').first.text_content().strip()
        if not pop["open"]:
            return [f"{start}#{figure}: clicking its citation shows no note in place"]
        if pop["quote"] != quote:
            return [f"{start}#{figure}: the note shown in place quotes {pop['quote'][:40]!r}, note #{note_id} "
                    f"quotes {quote[:40]!r}"]
        follow(page, page.locator(f'.cite-pop a[href="#{note_id}"]'))
        problems = target_state(page, site, note_id, "note")
        if problems:
            return problems
        follow(page, page.locator(f'[id="{note_id}"] a[href*="source-"]').first)
        passage_id = page.url.partition("#")[2]
        if site.rel(page.url) != site.rel(cite["sourceHref"]) or not passage_id:
            return [f"{start}: the note's source link leads to {where(site, page)}"]
        problems = target_state(page, site, passage_id, "passage")
        if problems:
            return problems
        state = page.evaluate(JS_TARGET, passage_id)
        if state["background"] in ("rgba(0, 0, 0, 0)", "transparent", state["pageBackground"]):
            problems.append(f"{where(site, page)}: the cited passage is not highlighted")
        if not figure_in_passage(cite["value"], state["text"]):
            problems.append(f"{where(site, page)}: passage does not contain the figure {cite['value']!r}")
        row = home_anchor(figure)
        back = page.locator(f'[id="{passage_id}"] a').evaluate_all(
            "(links, url) => links.map(a => a.href).indexOf(url)", site.url(start) + "#" + row)
        if back < 0:
            return problems + [f"{where(site, page)}: no back-link to {start}#{row}"]
        follow(page, page.locator(f'[id="{passage_id}"] a').nth(back))
        if site.rel(page.url) != start:
            return problems + [f"{start}: the back-link leads to {where(site, page)}"]
        return problems + target_state(page, site, row, "figure")


def check_requests(browser: Browser, site: Site, pages: Sequence[str] | None = None) -> list[str]:
    """Block every request outside the site; report any that is attempted or fails, and script errors."""
    problems: list[str] = []
    with open_page(browser) as page:
        current = {"page": ""}

        def outside(url: str) -> bool:
            return not url.startswith(site.base) and not url.startswith(("data:", "about:", "blob:"))

        def blocked(route) -> None:
            route.abort("blockedbyclient")

        page.context.route(outside, blocked)
        page.on("request", lambda r: outside(r.url) and problems.append(
            f"{current['page']}: request to {r.url} attempted"))
        # ERR_ABORTED is a load cut short by the next navigation (the favicon, typically), not a failure.
        page.on("requestfailed", lambda r: not outside(r.url) and r.failure != "net::ERR_ABORTED" and problems.append(
            f"{current['page']}: loading {site.rel(r.url)} failed: {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(
            f"{current['page']}: {site.rel(r.url) or r.url} answered {r.status}"))
        page.on("pageerror", lambda e: problems.append(f"{current['page']}: script error {e}"))
        for rel in pages or site.pages:
            current["page"] = rel
            visit(page, site.url(rel))
    return problems


def check_print(browser: Browser, site: Site, pages: Sequence[str] | None = None) -> list[str]:
    """With print media emulated: navigation hidden, every printed citation has its printed note."""
    problems = []
    with open_page(browser) as page:
        page.emulate_media(media="print")
        for rel in pages or site.lang_pages:
            visit(page, site.url(rel))
            problems += [f"{rel}: {p}" for p in page.evaluate(JS_PRINT)]
    return problems


def check_phone_width(browser: Browser, site: Site, pages: Sequence[str] | None = None) -> list[str]:
    """At 390 px wide, no page scrolls sideways, nor does any table in its box: those laid out as cards (figures,
    observations, plans) and the tables of text (the data's columns and units, the glossary) must fit."""
    with open_page(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2) as page:
        return _overflows(page, site, pages or site.pages)


def _overflows(page: Page, site: Site, pages: Sequence[str], where: str = "") -> list[str]:
    """Open each page in `page`'s viewport; report a page that scrolls sideways and tables that scroll in their box."""
    problems = []
    for rel in pages:
        visit(page, site.url(rel))
        m = page.evaluate(JS_OVERFLOW)
        if m["scrollWidth"] > m["width"] or m["scrolled"] > 0:
            problems.append(f"{rel}{where}: page is {m['scrollWidth']} px wide in a {m['width']} px viewport, "
                            f"scrolls {m['scrolled']} px sideways; widest: {', '.join(m['culprits'])}")
        if m["cards"]:
            problems.append(f"{rel}{where}: tables wider than the screen, scrolling in their box: "
                            f"{', '.join(m['cards'])}")
    return problems


def check_wider_screens(browser: Browser, site: Site, widths: Sequence[int] = (700, 800, 1024, 1280),
                        pages: Sequence[str] | None = None) -> list[str]:
    """At a tablet's and a desktop's widths too, no page scrolls sideways and no table scrolls in its box: a column
    past the box's edge (a series table's Source column, with its citation, beside a chart) is hidden from a reader
    who does not think to scroll the table."""
    problems = []
    with open_page(browser) as page:
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            problems += _overflows(page, site, pages or site.pages, f" at {width} px")
    return problems


def check_axe(browser: Browser, site: Site, axe: str, pages: Sequence[str] | None = None,
              color_scheme: str = "light", rules: Sequence[str] = (), viewport: dict | None = None) -> list[str]:
    """Run axe-core (all its rules, or only `rules`) in every page (in Playwright's 1280 × 720 unless `viewport`)
    and report each violated rule.

    axe is slow on long pages, so two pages in two contexts (two renderer processes, one per core) run it
    at once, the longest pages first so that each pair takes about as long on both sides.
    """
    todo = sorted(pages or site.pages, key=lambda rel: -(site.root / rel).stat().st_size)
    problems = []
    with contextlib.ExitStack() as stack:
        size = {"viewport": viewport} if viewport else {}
        lanes = [stack.enter_context(open_page(browser, color_scheme=color_scheme, **size)) for _ in range(2)]
        for start in range(0, len(todo), len(lanes)):
            batch = list(zip(lanes, todo[start:start + len(lanes)]))
            for page, rel in batch:
                visit(page, site.url(rel))
                page.add_script_tag(content=axe)
                page.evaluate(JS_AXE_START, list(rules))
            for page, rel in batch:
                for v in page.evaluate(JS_AXE_RESULT):
                    width = f", {viewport['width']} px" if viewport else ""
                    problems.append(f"{rel} ({color_scheme}{width}): {v['id']} ({v['impact']}) ×{v['count']}: "
                                    f"{v['help']} — e.g. {'; '.join(v['nodes'])}")
    return sorted(problems)


OPEN_STATES = ("search", "menu", "popover")
"""What a reader opens on a page: the search results, the Menu (on a phone), a citation's popover."""


def open_states(page: Page, lang: str, phone: bool) -> Iterator[str]:
    """Put the page in each state of OPEN_STATES in turn (the Menu only on a phone), yielding its name."""
    page.locator("#search-q").fill(SEARCH_EXAMPLE[lang])
    wait_for_results(page)
    yield "search"
    page.keyboard.press("Escape")
    if phone:
        open_menu(page)
        yield "menu"
        page.locator("header details.menu > summary").click()
    page.locator("main a.cite").first.click()
    yield "popover"
    page.keyboard.press("Escape")


def check_axe_open(browser: Browser, site: Site, axe: str, pages: Sequence[str], viewport: dict) -> list[str]:
    """Run axe-core with the search results, the Menu (on a phone) and a citation's popover open."""
    problems = []
    with open_page(browser, viewport=viewport) as page:
        for rel in pages:
            visit(page, site.url(rel))
            page.add_script_tag(content=axe)
            for state in open_states(page, rel.split("/")[0], viewport is PHONE):
                page.evaluate(JS_AXE_START, [])
                for v in page.evaluate(JS_AXE_RESULT):
                    problems.append(f"{rel} at {viewport['width']} px, {state} open: {v['id']} ({v['impact']}) "
                                    f"×{v['count']}: {v['help']} — e.g. {'; '.join(v['nodes'])}")
    return problems


def check_html(root: Path, java: Path, vnu: Path, pages: Sequence[str] | None = None) -> list[str]:
    """Run the Nu Html Checker over the pages; report every error.

    Messages about CSS inside <style> are left out: the checker's CSS parser rejects valid custom properties
    (`--sans: system-ui, "Segoe UI", …`), validator/validator#644 and w3c/css-validator#368.
    """
    files = [str(root / p) for p in (pages or sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")))]
    run = subprocess.run([str(java), "-jar", str(vnu), "--format", "json", "--errors-only", *files],
                         capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(run.stderr or run.stdout)["messages"]
    except (ValueError, KeyError):
        return [f"vnu.jar gave no report (exit {run.returncode}): {run.stderr[:300]}"]
    problems = []
    for m in messages:
        css = m.get("message", "").startswith("CSS:")
        if (m.get("type") == "error" and not css) or m.get("type") == "non-document-error":
            name = Path(m.get("url", "").removeprefix("file:")).as_posix()
            rel = name[len(root.as_posix()) + 1:] if name.startswith(root.as_posix()) else name
            extract = m.get("extract", "").strip()[:80]
            problems.append(f"{rel}:{m.get('lastLine', '?')}: {m.get('message')} — {extract!r}")
    return problems


PREFERRED = {"theme": "economy.html", "indicator": "indicator-high-tech-enterprises.html"}
"""The page shown for a kind made per item, where the journeys need that one; otherwise its first page."""


def page_types(planned: Sequence) -> dict[str, str]:
    """Return one page of every kind of the registry, by name: `landing`, `not_found` at the root, and `zh-theme`,
    `en-theme`, … in each language. `planned` is the build's `pages.plan_pages`, so a new kind is covered as soon as
    the registry has it.
    """
    found: dict[str, str] = {}
    for page in planned:
        name = page.kind.name
        if name not in found or page.path == PREFERRED.get(name):
            found[name] = page.path
    kinds = {}
    for page in planned:
        name = page.kind.name
        if page.kind.per == "root":
            kinds[name] = found[name]
        else:
            kinds |= {f"{lang}-{name}": f"{lang}/{found[name]}" for lang in HTML_LANG}
    return kinds


def language_pages(kinds: dict[str, str], lang: str | None = None) -> list[str]:
    """Return the pages of `page_types` inside the language folders (of one language, if given)."""
    return [p for p in kinds.values() if p.split("/")[0] in ([lang] if lang else HTML_LANG)]


# --- Screenshots --------------------------------------------------------------------------------------------------

def shoot(page: Page, path: Path, viewport: dict, max_height: int, full: bool = True) -> Path:
    """Write a screenshot of the page from its top, at most `max_height` tall (or of the screen, `full=False`)."""
    if full:
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=str(path), full_page=True,
                        clip={"x": 0, "y": 0, "width": viewport["width"], "height": min(height, max_height)})
    else:
        page.screenshot(path=str(path))
    return path


def take_screenshots(browser: Browser, site: Site, out_dir: Path, kinds: dict[str, str], states: Sequence[str],
                     max_height: int = 8_000) -> list[Path]:
    """Write a full-page screenshot of each kind of page at phone and desktop width, and of each page of `states`
    with its search results open, its menu open (on a phone) and a citation's popover open; return the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        with open_page(browser, viewport=viewport, device_scale_factor=1) as page:
            for kind, rel in kinds.items():
                visit(page, site.url(rel))
                written.append(shoot(page, out_dir / f"{kind}-{width_name}.png", viewport, max_height))
            for rel in states:
                name = rel.replace("/", "-").removesuffix(".html")
                visit(page, site.url(rel))
                for state in open_states(page, rel.split("/")[0], viewport is PHONE):
                    written.append(shoot(page, out_dir / f"{name}-{state}-{width_name}.png", viewport, max_height,
                                         False))
    return written


SEARCH_EXAMPLE = {"zh": "生产总值", "en": "GDP"}
"""What the screenshots of the search results type."""
