"""Checks of what every page offers a reader, by page kind: the phone header and its Menu, visible focus, citation
markers and their popovers, the lead figures and their gaps, Chinese type, conflict flags and the plans page. Plain
functions of a browser and a `Site`, as in browser_checks.py, each returning the problems found.
"""

from __future__ import annotations

import re
from typing import Sequence

from playwright.sync_api import Browser

from browser_checks import DESKTOP, JS_OVERFLOW, JS_POPOVER, PHONE, open_page, target_state, visit
from browser_env import Site

# --- The phone header and the navigation -------------------------------------------------------------------------

JS_HEADER = """() => {
  const box = sel => {
    const e = document.querySelector(sel);
    if (!e || !e.checkVisibility()) return null;
    const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, middle: (r.top + r.bottom) / 2};
  };
  const current = id => Array.from(document.querySelectorAll(`header nav.nav-${id} a[aria-current="page"]`),
                                   a => a.href.split('#')[0]);
  return {parts: {brand: box('header .brand'), search: box('#search-q'), language: box('#lang-switch'),
                  menu: box('header details.menu > summary')},
          current: {menu: current('menu'), wide: current('wide')}, here: location.href.split('#')[0].split('?')[0],
          navLinks: Array.from(document.querySelectorAll('header nav a'), a => a.href.split('#')[0])};
}"""


def check_phone_header(browser: Browser, site: Site, pages: Sequence[str]) -> list[str]:
    """At 390 px: brand, search field, language switch and Menu share one line (vertical centres within 4 px) inside
    the screen, nothing scrolls sideways, and both navigations mark the page as current (when they list it)."""
    problems = []
    with open_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        for rel in pages:
            visit(page, site.url(rel))
            h = page.evaluate(JS_HEADER)
            missing = [name for name, b in h["parts"].items() if b is None]
            if missing:
                problems.append(f"{rel}: the phone header does not show {', '.join(missing)}")
            else:
                middles = [b["middle"] for b in h["parts"].values()]
                if max(middles) - min(middles) > 4:
                    problems.append(f"{rel}: the phone header is not one line: centres at "
                                    + ", ".join(f"{n} {b['middle']:.0f}" for n, b in h["parts"].items()))
                outside = [n for n, b in h["parts"].items() if b["left"] < 0 or b["right"] > PHONE["width"]]
                if outside:
                    problems.append(f"{rel}: {', '.join(outside)} outside the 390 px screen")
            m = page.evaluate(JS_OVERFLOW)
            if m["scrollWidth"] > m["width"] or m["scrolled"] > 0:
                problems.append(f"{rel}: scrolls sideways at 390 px; widest: {', '.join(m['culprits'])}")
            listed = h["here"] in h["navLinks"]
            for copy, current in h["current"].items():
                if current != ([h["here"]] if listed else []):
                    problems.append(f"{rel}: nav.nav-{copy} marks {[site.rel(c) for c in current]} as current")
    return problems


def check_menu_without_script(browser: Browser, site: Site, pages: Sequence[str], groups: int = 3) -> list[str]:
    """Without JavaScript at 390 px, the Menu opens (a <details>) and shows `groups` labelled groups of links, each
    link on the screen, and the page still does not scroll sideways."""
    problems = []
    with open_page(browser, viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False) as page:
        for rel in pages:
            visit(page, site.url(rel))
            page.locator("header details.menu > summary").tap()
            state = page.evaluate("""() => {
              const nav = document.querySelector('header nav.nav-menu');
              const inside = e => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; };
              return {open: document.querySelector('header details.menu').open, shown: !!nav && nav.checkVisibility(),
                      labels: nav ? Array.from(nav.querySelectorAll('.group-label')).filter(e => e.checkVisibility())
                                      .map(e => e.textContent.trim()) : [],
                      links: nav ? nav.querySelectorAll('a').length : 0,
                      visible: nav ? Array.from(nav.querySelectorAll('a'))
                                       .filter(a => a.checkVisibility() && inside(a)).length : 0};
            }""")
            if not state["open"] or not state["shown"]:
                problems.append(f"{rel}: without script the Menu does not open")
                continue
            if len(state["labels"]) != groups:
                problems.append(f"{rel}: the open Menu shows {len(state['labels'])} groups {state['labels']}, "
                                f"expected {groups}")
            if state["visible"] != state["links"] or not state["links"]:
                problems.append(f"{rel}: the open Menu shows {state['visible']} of its {state['links']} links "
                                f"on screen")
            m = page.evaluate(JS_OVERFLOW)
            if m["scrollWidth"] > m["width"] or m["scrolled"] > 0:
                problems.append(f"{rel}: with the Menu open the page scrolls sideways: {', '.join(m['culprits'])}")
    return problems


JS_FOCUS_STYLE = """() => {
  const e = document.activeElement;
  const header = document.querySelector('header.site-header');
  if (!e || !header || !header.contains(e)) return {inHeader: false, tag: e ? e.localName : ''};
  const s = getComputedStyle(e);
  return {inHeader: true, key: e.localName + (e.id ? '#' + e.id : '') + ' ' + (e.getAttribute('href') || '') +
            (e.closest('nav') ? ' in ' + e.closest('nav').className : ''),
          summary: e.localName === 'summary', open: !!e.closest('details') && e.closest('details').open,
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
          background: getComputedStyle(header).backgroundColor};
}"""

JS_HEADER_FOCUSABLE = """() => Array.from(document.querySelectorAll(
  'header.site-header a[href], header.site-header input, header.site-header button, header.site-header summary'))
  .filter(e => e.checkVisibility()).map(e => e.localName + (e.id ? '#' + e.id : '') + ' ' +
    (e.getAttribute('href') || '') + (e.closest('nav') ? ' in ' + e.closest('nav').className : ''))"""


def rgb(color: str) -> tuple[float, ...]:
    """Return the red, green and blue of a computed CSS colour (rgb() or rgba())."""
    return tuple(float(c) for c in re.findall(r"[\d.]+", color)[:3])


def contrast(one: str, two: str) -> float:
    """Return the WCAG contrast ratio of two computed colours.

    >>> round(contrast("rgb(255, 255, 255)", "rgb(11, 79, 108)"), 1)
    8.9
    """
    def luminance(color: str) -> float:
        channels = [c / 255 for c in rgb(color)]
        r, g, b = ((c / 12.92) if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def check_header_focus(browser: Browser, site: Site, pages: Sequence[str], viewport: dict,
                       color_scheme: str = "light") -> list[str]:
    """Tab through the header (opening the Menu with Enter on a phone): every focusable element of the header is
    reached, and shows an outline at least 2 px wide whose colour stands out from the header's (3:1)."""
    problems = []
    with open_page(browser, viewport=viewport, color_scheme=color_scheme) as page:
        for rel in pages:
            visit(page, site.url(rel))
            reached: list[str] = []
            for _ in range(80):
                page.keyboard.press("Tab")
                f = page.evaluate(JS_FOCUS_STYLE)
                if not f["inHeader"]:
                    if reached:
                        break
                    continue
                reached.append(f["key"])
                if f["outline"] in ("none", "hidden") or f["width"] < 2:
                    problems.append(f"{rel} at {viewport['width']} px: {f['key']} has a {f['width']:g} px "
                                    f"{f['outline']} outline when focused")
                elif contrast(f["color"], f["background"]) < 3:
                    problems.append(f"{rel} at {viewport['width']} px: {f['key']}'s focus outline {f['color']} "
                                    f"does not stand out from the header's {f['background']}")
                if f["summary"] and not f["open"]:
                    page.keyboard.press("Enter")
            missed = [k for k in page.evaluate(JS_HEADER_FOCUSABLE) if k not in reached]
            if missed:
                problems.append(f"{rel} at {viewport['width']} px: Tab does not reach {missed[:3]}")
    return problems


# --- Citations, gaps, type, conflicts, plans ----------------------------------------------------------------------

JS_MARKERS = """everyNote => {
  const markers = Array.from(document.querySelectorAll('a.cite')).filter(a => a.checkVisibility());
  const small = markers.map(a => [a, a.getBoundingClientRect()]).filter(([, r]) => r.width < 24 || r.height < 24)
    .slice(0, 3).map(([a, r]) => `${a.textContent.trim()} ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
  const wrong = [];
  for (const a of everyNote ? markers : []) {
    const note = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
    a.click();
    const pop = document.querySelector('.cite-pop');
    const shown = pop && pop.matches(':popover-open') && pop.querySelector('blockquote');
    const want = note && note.querySelector('blockquote') ? note.querySelector('blockquote').textContent.trim() : null;
    if (!shown || shown.textContent.trim() !== want) {
      wrong.push(`${a.textContent.trim()}: ${shown ? shown.textContent.trim().slice(0, 30) : 'no popover'}`);
    }
    if (pop && pop.matches(':popover-open')) pop.hidePopover();
  }
  return {count: markers.length, small, wrong: wrong.slice(0, 3), wrongCount: wrong.length};
}"""


def check_cite_markers(browser: Browser, site: Site, pages: Sequence[str], viewport: dict,
                       every_note: bool = True) -> list[str]:
    """Every citation marker is a target of at least 24 × 24 px, and clicking it shows its own note in place (the
    popover quotes what the note quotes; each marker's, with `every_note`, which does not depend on the width); a
    real click on the first keeps the popover on the screen."""
    problems = []
    with open_page(browser, viewport=viewport) as page:
        for rel in pages:
            visit(page, site.url(rel))
            at = f"{rel} at {viewport['width']} px"
            m = page.evaluate(JS_MARKERS, every_note)
            if m["small"]:
                problems.append(f"{at}: citation markers smaller than 24 × 24 px: {', '.join(m['small'])}")
            if m["wrong"]:
                problems.append(f"{at}: {m['wrongCount']} of {m['count']} markers show another note or none: "
                                f"{'; '.join(m['wrong'])}")
            if m["count"]:
                page.locator("a.cite").first.click()
                pop = page.evaluate(JS_POPOVER)
                if not pop["open"] or not pop["inView"]:
                    shown = "a popover off the screen" if pop["open"] else "no popover"
                    problems.append(f"{at}: clicking the first marker shows {shown}")
                page.keyboard.press("Escape")
    return problems


def check_cite_without_script(browser: Browser, site: Site, pages: Sequence[str]) -> list[str]:
    """Without JavaScript every marker names a note of its page (`#n-…`), and clicking the first and the last jumps
    to their notes."""
    problems = []
    with open_page(browser, viewport=DESKTOP, java_script_enabled=False) as page:
        for rel in pages:
            visit(page, site.url(rel))
            hrefs = page.locator("a.cite").evaluate_all("""links => links.map(a => [a.getAttribute('href'),
                !!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))])""")
            bad = [h for h, ok in hrefs if not (h.startswith("#n-") and ok)]
            if bad:
                problems.append(f"{rel}: {len(bad)} markers name no note of the page: {bad[:3]}")
            for index in sorted({0, len(hrefs) - 1}) if hrefs else []:
                page.locator("a.cite").nth(index).click()
                problems += target_state(page, site, hrefs[index][0][1:], "note")
    return problems


def check_lead_cards(browser: Browser, site: Site, rel: str, subjects: Sequence[str], newest: int) -> list[str]:
    """The theme page opens (after its title and lede) with lead cards of `subjects`, in that order; each card whose
    latest year is older than `newest` says so (its gap sentence names that year and the figure), and no other."""
    with open_page(browser, viewport=DESKTOP) as page:
        visit(page, site.url(rel))
        data = page.evaluate("""() => {
          const first = document.querySelector('main > h1 ~ section, main > h1 ~ h2');
          return {first: first ? first.outerHTML.slice(0, 60) : '',
                  cards: first && first.localName === 'section' ? Array.from(first.querySelectorAll('li.card'), c => ({
                    subject: c.querySelector('.card-subject').textContent.trim(),
                    value: c.querySelector('.card-value .num').textContent.trim(),
                    period: c.querySelector('.card-meta').textContent.split('·')[0].trim(),
                    gap: c.querySelector('.gap') ? c.querySelector('.gap').textContent.trim() : ''})) : []};
        }""")
    found = [c["subject"] for c in data["cards"]]
    if found != list(subjects):
        return [f"{rel}: opens with {data['first']!r}, lead cards {found}, expected {list(subjects)}"]
    problems = []
    for card in data["cards"]:
        year = max((int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", card["period"])), default=None)
        if year is None:
            problems.append(f"{rel}: lead card {card['subject']!r} gives no year ({card['period']!r})")
        elif year < newest and not (str(newest) in card["gap"] and card["value"] in card["gap"]):
            problems.append(f"{rel}: lead card {card['subject']!r} ({card['period']}) does not say that {newest} is "
                            f"missing: {card['gap']!r}")
        elif year >= newest and card["gap"]:
            problems.append(f"{rel}: lead card {card['subject']!r} ({card['period']}) says a year is missing")
    return problems


ASCII_IN_ZH_CITATION = re.compile(r"[\[\]:;,]|\.(?!\w)")
"""Half-width punctuation a Chinese citation (GB/T 7714) writes full-width: ［］：；，．"""
URL = re.compile(r"https?://[^\s．，；]+")


def zh_citation_problems(text: str, titles: Sequence[str] = ()) -> list[str]:
    """Report half-width brackets, colons, semicolons, commas or full stops in a Chinese citation, leaving aside
    URLs and the articles' `titles`, which it quotes as printed.

    >>> zh_citation_problems("崂山区数据简报项目．高新技术企业总数［DS/OL］．https://example.org/a.html．")
    []
    >>> zh_citation_problems("数据出自：崂山区:创新引领［N］．", titles=["崂山区:创新引领"])
    []
    >>> zh_citation_problems("崂山区数据简报项目．高新技术企业总数[DS/OL]［N］.")
    ["half-width '[' in '．高新技术企业总数[DS/OL]［N'", "half-width ']' in '业总数[DS/OL]［N］.'"]
    """
    if "［" not in text or "．" not in text:
        return [f"no full-width ［］ and ． in {text[:40]!r}"]
    bare = URL.sub("", text)
    for title in sorted(titles, key=len, reverse=True):
        bare = bare.replace(title, "《》")
    found = []
    for m in ASCII_IN_ZH_CITATION.finditer(bare):
        found.append(f"half-width {m[0]!r} in {bare[max(0, m.start() - 9):m.end() + 8]!r}")
    return found[:2]


JS_SLANTED_HAN = """() => {
  const han = /[\\u3400-\\u9fff]/;
  const found = [];
  for (const e of document.querySelectorAll('body *')) {
    if (!Array.from(e.childNodes).some(n => n.nodeType === 3 && han.test(n.textContent))) continue;
    const style = getComputedStyle(e).fontStyle;
    if (style !== 'normal') found.push(`${e.localName}${e.className ? '.' + e.className : ''} (${style}): ` +
                                      e.textContent.trim().slice(0, 20));
  }
  return found;
}"""


def check_no_slanted_han(browser: Browser, site: Site, pages: Sequence[str]) -> list[str]:
    """No element with Chinese text of its own is set italic or oblique (a browser would slant the glyphs)."""
    problems = []
    with open_page(browser, viewport=DESKTOP) as page:
        for rel in pages:
            visit(page, site.url(rel))
            found = page.evaluate(JS_SLANTED_HAN)
            if found:
                problems.append(f"{rel}: {len(found)} elements slant Chinese text: {'; '.join(found[:3])}")
    return problems


def check_citation_punctuation(browser: Browser, site: Site, pages: Sequence[str], titles: Sequence[str]) -> list[str]:
    """Every Chinese citation of a page (indicator pages, the downloads page, the print cover) is punctuated full-width,
    the articles' `titles` aside (quoted as printed)."""
    problems = []
    with open_page(browser, viewport=DESKTOP) as page:
        for rel in pages:
            visit(page, site.url(rel))
            texts = page.locator('dl.citation > dd[lang="zh-Hans"], dl.edition > dd > span[lang="zh-Hans"]'
                                 ).evaluate_all("es => es.map(e => e.textContent.trim())")
            if "indicator-" in rel and not texts:
                problems.append(f"{rel}: no Chinese citation")
            for text in texts:
                problems += [f"{rel}: {p}" for p in zh_citation_problems(text, titles)]
    return problems


def check_timeline_flags(browser: Browser, site: Site, lang: str, flagged: Sequence[str]) -> list[str]:
    """The timelines flag exactly the milestones in `flagged` (those another article, linked by same_as, dates
    differently), each flag linking to the other article's milestone; the sources page has its section on where
    the articles disagree."""
    problems = []
    with open_page(browser, viewport=DESKTOP) as page:
        rel = f"{lang}/timelines.html"
        visit(page, site.url(rel))
        flags = page.locator("main .flag").evaluate_all("""flags => flags.map(f => ({
          milestone: (f.closest('li[id]') || {}).id || '',
          links: Array.from(f.querySelectorAll('a'), a => a.href)}))""")
        found = sorted(f["milestone"] for f in flags)
        if found != sorted(flagged):
            problems.append(f"{rel}: {len(found)} 'another article' flags on {found}, expected {sorted(flagged)}")
        for f in flags:
            if not f["links"] or not all(site.rel(h) == rel for h in f["links"]):
                problems.append(f"{rel}#{f['milestone']}: the flag does not link to the other article's milestone")
        rel = f"{lang}/sources.html"
        visit(page, site.url(rel))
        section = page.evaluate("""() => {
          const s = document.getElementById('disagreements');
          const h = s && s.querySelector('h2');
          return s && s.checkVisibility() && h ? {heading: h.textContent.trim(), text: s.innerText.trim()} : null;
        }""")
        if section is None:
            problems.append(f"{rel}: no section #disagreements with a heading")
        elif len(section["text"]) <= len(section["heading"]):
            problems.append(f"{rel}: the section {section['heading']!r} says nothing")
    return problems


STATUSES = ("met", "partly", "probably_missed", "missed", "not_comparable", "no_report")
"""The order of the plans page's groups: met, partly met, probably missed, missed, not comparable, no later report."""


def check_plans_page(browser: Browser, site: Site, lang: str, subject: str) -> list[str]:
    """The plans page opens with a summary by status that links to each group with its count; the groups come in
    STATUSES order (those present); no target shows twice; `subject` has exactly one row."""
    rel = f"{lang}/plans.html"
    with open_page(browser, viewport=DESKTOP) as page:
        visit(page, site.url(rel))
        data = page.evaluate("""() => {
          const summary = document.querySelector('main > .plans-summary');
          const name = th => { const c = th.cloneNode(true); c.querySelectorAll('.sub').forEach(e => e.remove());
                               return c.textContent.trim(); };
          return {
            summary: summary && summary.checkVisibility() ? Array.from(summary.querySelectorAll('a'), a => ({
              href: a.getAttribute('href'), count: parseInt((a.textContent.match(/(\\d+)\\s*$/) || [])[1])})) : null,
            first: summary ? summary.previousElementSibling.localName : '',
            groups: Array.from(document.querySelectorAll('main section.plan-group'), g => ({
              id: g.id, rows: Array.from(g.querySelectorAll('table.plans tbody tr'), tr => ({
                subject: name(tr.querySelector('th')),
                cells: Array.from(tr.querySelectorAll('td'),
                                  td => td.innerText.replace(/\\[\\d+\\]/g, '').trim()).join(' | ')}))})),
          };
        }""")
    problems = []
    if data["summary"] is None:
        return [f"{rel}: no summary by status above the groups"]
    ids = [g["id"].removeprefix("status-") for g in data["groups"]]
    if ids != [s for s in STATUSES if s in ids] or not set(ids) <= set(STATUSES):
        problems.append(f"{rel}: groups in the order {ids}, expected {[s for s in STATUSES if s in ids]}")
    counts = {g["id"]: len(g["rows"]) for g in data["groups"]}
    summary = {s["href"].removeprefix("#"): s["count"] for s in data["summary"]}
    if summary != counts or [s["href"] for s in data["summary"]] != [f"#{g['id']}" for g in data["groups"]]:
        problems.append(f"{rel}: the summary says {summary}, the groups hold {counts}")
    rows = [(r["subject"], r["cells"]) for g in data["groups"] for r in g["rows"]]
    twice = sorted({r for r in rows if rows.count(r) > 1})
    if twice:
        problems.append(f"{rel}: {len(twice)} targets shown twice, e.g. {twice[0][0]!r}")
    mine = sum(1 for s, _ in rows if s == subject)
    if mine != 1:
        problems.append(f"{rel}: {subject!r} has {mine} rows, expected exactly 1")
    return problems
