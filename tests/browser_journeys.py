"""Checks of the three readers' journeys (a journalist on a phone, an investor at a desk, a reader of the printed
edition) and of the header's search, in the style of browser_checks.py: plain functions of a browser and a `Site`
that return the problems a reader would meet.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path
from typing import Callable, Sequence

from playwright.sync_api import Browser, Page

from browser_checks import (A4, DESKTOP, JS_POPOVER, JS_TARGET, PHONE, figure_in_passage, follow, open_menu,
                            open_page, target_state, visit, wait_for_results, where)
from browser_env import Site
from browser_features import zh_citation_problems

# --- Journeys -----------------------------------------------------------------------------------------------------

JS_CARD = """subject => {
  const card = Array.from(document.querySelectorAll('main .cards li.card'))
    .find(c => c.querySelector('.card-subject').textContent.trim() === subject);
  if (!card) return null;
  const marker = card.querySelector('a.cite');
  const note = marker && document.getElementById(decodeURIComponent(marker.getAttribute('href').slice(1)));
  const text = sel => { const e = note && note.querySelector(sel); return e ? e.textContent.trim() : ''; };
  return {id: card.id, value: card.querySelector('.card-value .num').textContent.trim(),
          meta: card.querySelector('.card-meta').textContent.trim(),
          gap: card.querySelector('.gap') ? card.querySelector('.gap').textContent.trim() : '',
          noteId: note ? note.id : '', quote: text('blockquote'), translation: text('.tr'),
          article: text('.src a[href*="source-"]')};
}"""

JS_FOCUSED = "e => e === document.activeElement"

JS_RESULTS = """() => Array.from(document.querySelectorAll('.search-results a:not(.r-more)'), a => ({
  href: a.getAttribute('href'), text: a.innerText,
  title: a.querySelector('.r-title') ? a.querySelector('.r-title').textContent.trim() : '',
  value: a.querySelector('.r-value') ? a.querySelector('.r-value').textContent.trim() : '',
  meta: a.querySelector('.r-meta') ? a.querySelector('.r-meta').textContent.trim() : '',
  shown: a.checkVisibility()}))"""

JS_UNCOVERED = """id => {
  const e = document.getElementById(id);
  if (!e) return false;
  const r = e.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 40), r.top + Math.min(r.height / 2, 12));
  return !!hit && e.contains(hit);
}"""


def check_phone_journalist(browser: Browser, site: Site, lang: str, theme: str, subject: str, value: str,
                           period: str, gap: str, query: str) -> list[str]:
    """At 390 px: from the overview, Menu → the theme; its lead card of `subject` shows `value` for `period` and says
    that the newest year is missing (its gap sentence starts with `gap`); its marker shows the note in place
    (quotation, our translation in English, the article) and Escape gives focus back to the marker; then the header's
    search for `query` shows the figure, its results on the screen, and following it lands on its row, highlighted
    and not hidden."""
    start, there = f"{lang}/index.html", f"{lang}/{theme}"
    with open_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        visit(page, site.url(start))
        open_menu(page)
        link = page.locator(f'header nav.nav-menu a[href="{theme}"]')
        if link.count() != 1:
            return [f"{start}: the Menu has {link.count()} links to {theme}, expected 1"]
        with page.expect_navigation(wait_until="load"):
            link.tap()
        if site.rel(page.url) != there:
            return [f"{start}: the Menu's link to {theme} leads to {where(site, page)}"]
        card = page.evaluate(JS_CARD, subject)
        if card is None:
            return [f"{there}: no lead card for {subject!r}"]
        problems = []
        if card["value"] != value or not card["meta"].startswith(period):
            problems.append(f"{there}#{card['id']}: shows {card['value']!r} ({card['meta']!r}), expected {value!r} "
                            f"for {period}")
        if not card["gap"].startswith(gap):
            problems.append(f"{there}#{card['id']}: gap sentence {card['gap']!r}, expected it to start {gap!r}")
        marker = page.locator(f'[id="{card["id"]}"] a.cite')
        marker.tap()
        pop = page.evaluate(JS_POPOVER)
        if not pop["open"]:
            return problems + [f"{there}#{card['id']}: tapping its marker shows no note"]
        if pop["quote"] != card["quote"]:
            problems.append(f"{there}#{card['id']}: the popover quotes {pop['quote'][:40]!r}, "
                            f"note #{card['noteId']} {card['quote'][:40]!r}")
        if card["translation"] and card["translation"] not in pop["text"]:
            problems.append(f"{there}#{card['id']}: the popover lacks the translation {card['translation'][:40]!r}")
        if lang == "en" and "Our translation" not in pop["text"]:
            problems.append(f"{there}#{card['id']}: the popover does not say the translation is ours")
        if not card["article"] or card["article"] not in pop["text"]:
            problems.append(f"{there}#{card['id']}: the popover does not name the article {card['article']!r}")
        if not pop["inView"]:
            problems.append(f"{there}#{card['id']}: the popover does not fit the 390 px screen")
        page.keyboard.press("Escape")
        if page.evaluate(JS_POPOVER)["open"]:
            problems.append(f"{there}: Escape does not close the popover")
        if not marker.evaluate(JS_FOCUSED):
            problems.append(f"{there}: after Escape the focus is on {page.evaluate(JS_POPOVER)['focus']!r}, "
                            f"not on the marker")
        field = page.locator("#search-q")
        field.tap()
        field.press_sequentially(query, delay=20)
        wait_for_results(page)
        box = page.locator(".search-results").bounding_box()
        if box["x"] < 0 or box["x"] + box["width"] > PHONE["width"]:
            problems.append(f"{there}: the search results reach from {box['x']:.0f} to {box['x'] + box['width']:.0f} "
                            f"px, beyond the 390 px screen")
        results = [r for r in page.evaluate(JS_RESULTS) if r["title"] == subject and r["value"] == value]
        if not results:
            return problems + [f"{there}: searching {query!r} shows no result {subject!r} with {value!r}: "
                               f"{[r['text'][:50] for r in page.evaluate(JS_RESULTS)]}"]
        if not results[0]["shown"] or period not in results[0]["meta"]:
            problems.append(f"{there}: the result for {query!r} is hidden or lacks its period: {results[0]['text']!r}")
        at = page.locator(f'.search-results a[href="{results[0]["href"]}"]').first.bounding_box()
        if at["y"] + at["height"] > min(box["y"] + box["height"], PHONE["height"]):
            problems.append(f"{there}: the result for {query!r} is below the fold of the results (at "
                            f"{at['y']:.0f} px): the reader must scroll the list to find it")
        follow(page, page.locator(f'.search-results a[href="{results[0]["href"]}"]').first)
        row = results[0]["href"].partition("#")[2]
        if site.rel(page.url) != there or not row:
            return problems + [f"{there}: the result leads to {where(site, page)}"]
        problems += target_state(page, site, row, "row")
        state = page.evaluate(JS_TARGET, row)
        if state and state["background"] in ("rgba(0, 0, 0, 0)", "transparent", state["pageBackground"]):
            problems.append(f"{where(site, page)}: the row is not highlighted")
        if not page.evaluate(JS_UNCOVERED, row):
            problems.append(f"{where(site, page)}: the row is covered (by the search results?)")
    return problems


JS_TEXT_OVERLAPS = """() => Array.from(document.querySelectorAll('svg'), svg => {
  const boxes = Array.from(svg.querySelectorAll('text'), t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  });
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
          Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5) overlaps.push(a.text + ' / ' + b.text);
    }
  }
  return {chart: (svg.querySelector('title') || {}).textContent || svg.id, texts: boxes.length, overlaps};
})"""


def chart_overlaps(page: Page, at: str) -> list[str]:
    """Report each pair of texts of an SVG in the page whose boxes overlap."""
    return [f"{at}: chart {c['chart']!r}: {o!r} overlap"
            for c in page.evaluate(JS_TEXT_OVERLAPS) for o in c["overlaps"]]


def check_chart_text(browser: Browser, site: Site, pages: Sequence[str]) -> list[str]:
    """At 1280 px, no two texts of a chart overlap (every <text>'s box measured)."""
    problems = []
    with open_page(browser, viewport=DESKTOP) as page:
        for rel in pages:
            visit(page, site.url(rel))
            problems += chart_overlaps(page, rel)
    return problems


JS_INDICATOR = """() => {
  const text = (root, sel) => { const e = root.querySelector(sel); return e ? e.textContent.trim() : ''; };
  const chart = document.querySelector('main svg.chart');
  return {
    chart: !!chart && chart.checkVisibility() && !!chart.querySelector('title') &&
           chart.querySelectorAll('rect').length > 0,
    rows: Array.from(document.querySelectorAll('table.observations tbody tr'), tr => ({
      id: tr.id, value: text(tr, '.num'), quote: text(tr, 'td.passage blockquote'),
      passage: (tr.querySelector('td.passage .src a[href*="source-"]') || {}).href || ''})),
    permalink: (document.querySelector('.cite-this .permalink a') || {}).href || '',
    permalinkText: text(document, '.cite-this .permalink a'),
    zh: text(document, '.cite-this dd[lang="zh-Hans"]'), en: text(document, '.cite-this dd[lang="en"]'),
    csv: Array.from(document.querySelectorAll('main a[type="text/csv"]'), a => a.getAttribute('href')),
  };
}"""

JS_SOURCE_PAGE = """() => ({headline: document.querySelector('h1').textContent.trim(),
  passages: Object.fromEntries(Array.from(document.querySelectorAll('.passages > li[id]'),
                                          li => [li.id, li.querySelector('blockquote').textContent.trim()]))})"""

def download(page: Page, link) -> Path | None:
    """Click a link that downloads a file; return where the file was saved, or None if nothing came."""
    try:
        with page.expect_download(timeout=5_000) as info:
            link.click()
        return Path(info.value.path())
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the link opened a page instead
        return None


def check_indicator_page(browser: Browser, site: Site, lang: str, indicator: str, theme: str) -> list[str]:
    """At 1280 px: from the theme page's table of a series, reach its indicator page: the chart is drawn; the table
    lists the series' every observation (the theme table's rows, the CSV's rows) each with the passage it comes
    from; the cite block has a permalink and both citations (the Chinese one in full-width punctuation) naming
    every article; the CSV link downloads a file that parses, with a row per observation."""
    start, there = f"{lang}/{theme}", f"{lang}/indicator-{indicator}.html"
    problems = []
    with open_page(browser, viewport=DESKTOP, accept_downloads=True) as page:
        visit(page, site.url(start))
        block = page.locator(f'section.series[id="i-{indicator}"]')
        rows_there = block.locator("table tbody tr.fact").evaluate_all("rows => rows.map(r => r.id)")
        if not rows_there:
            return [f"{start}: no table of the series {indicator!r}"]
        link = block.locator(f'a[href="indicator-{indicator}.html"]')
        if link.count() < 1:
            return [f"{start}#i-{indicator}: the series' table does not link to its indicator page"]
        follow(page, link.first)
        if site.rel(page.url) != there:
            return [f"{start}#i-{indicator}: the link to the indicator page leads to {where(site, page)}"]
        data = page.evaluate(JS_INDICATOR)
        if not data["chart"]:
            problems.append(f"{there}: no chart (an SVG with a title and bars)")
        ids = [r["id"] for r in data["rows"]]
        if sorted(ids) != sorted(rows_there):
            problems.append(f"{there}: observations {ids} differ from the rows of {start}#i-{indicator}: {rows_there}")
        for r in data["rows"]:
            if not r["quote"] or not r["passage"]:
                problems.append(f"{there}#{r['id']}: no passage with its source link")
            elif not figure_in_passage(r["value"], r["quote"]):
                problems.append(f"{there}#{r['id']}: {r['value']!r} not in its passage {r['quote'][:50]!r}")
        headlines = []
        for source in sorted({site.rel(r["passage"]) for r in data["rows"] if r["passage"]} - {None}):
            visit(page, site.url(source))
            found = page.evaluate(JS_SOURCE_PAGE)
            headlines.append(found["headline"])
            for r in (r for r in data["rows"] if site.rel(r["passage"]) == source):
                passage = found["passages"].get(r["passage"].partition("#")[2])
                if passage != r["quote"]:
                    problems.append(f"{there}#{r['id']}: its passage differs from {source}: {passage!r:.50}")
        visit(page, site.url(there))
        own = site.rel(data["permalink"]) == there
        deployed = data["permalink"].startswith("https://") and data["permalink"].endswith(there)
        written = page.locator(".cite-this .permalink a").get_attribute("href")
        if not (own or deployed) or data["permalinkText"] != written:
            problems.append(f"{there}: permalink {data['permalink']!r} is not this page's address, written out")
        problems += [f"{there}: Chinese citation: {p}" for p in zh_citation_problems(data["zh"], headlines)]
        if "[Data set]" not in data["en"]:
            problems.append(f"{there}: English citation {data['en'][:60]!r} does not say [Data set]")
        for headline in headlines:
            for name, text in (("Chinese", data["zh"]), ("English", data["en"])):
                if headline not in text:
                    problems.append(f"{there}: the {name} citation does not name the article {headline!r}")
        if len(data["csv"]) != 1:
            return problems + [f"{there}: {len(data['csv'])} CSV links, expected 1"]
        saved = download(page, page.locator('main a[type="text/csv"]'))
        if saved is None:
            return problems + [f"{there}: the CSV link {data['csv'][0]!r} downloads nothing"]
        try:
            table = list(csv.DictReader(io.StringIO(saved.read_text("utf-8-sig"))))
        except (UnicodeDecodeError, csv.Error) as error:
            return problems + [f"{there}: the CSV does not parse: {error}"]
        mine = [r for r in table if r.get("indicator") == indicator]
        if len(mine) < 2 or len(mine) != len(table):
            problems.append(f"{there}: the CSV has {len(mine)} rows of {indicator!r} among {len(table)}, "
                            f"expected ≥ 2 and only those")
        if sorted(f"f-{r.get('fact')}" for r in mine) != sorted(ids):
            problems.append(f"{there}: the CSV's facts {[r.get('fact') for r in mine]} are not the page's rows {ids}")
    return problems


def check_series_svg(browser: Browser, site: Site, pages: Sequence[str]) -> list[str]:
    """Each indicator page links its chart as an SVG file that a browser opens as an SVG document (no parse error),
    whose texts do not overlap."""
    problems = []
    with open_page(browser, viewport=DESKTOP) as page:
        for rel in pages:
            visit(page, site.url(rel))
            links = page.locator('main a[type="image/svg+xml"]').evaluate_all("links => links.map(a => a.href)")
            if not links:
                problems.append(f"{rel}: no link to the chart as an SVG file")
            for href in links:
                target = site.rel(href)
                if target is None or not (site.root / target).is_file():
                    problems.append(f"{rel}: the SVG link names a missing file {href}")
                    continue
                visit(page, href)
                doc = page.evaluate("() => [document.documentElement.namespaceURI, document.documentElement.localName,"
                                    " document.querySelectorAll('parsererror').length, document.contentType]")
                if doc[:3] != ["http://www.w3.org/2000/svg", "svg", 0]:
                    problems.append(f"{rel}: {target} is not an SVG document ({doc})")
                else:
                    problems += chart_overlaps(page, target)
    return problems


def check_print_edition(browser: Browser, site: Site, lang: str, edition: str | None, licence: str,
                        address: str | None) -> list[str]:
    """With print media on an A4 page: the cover's `dl.edition` shows the licence, the edition and (in a build with
    an address) the address; three citation markers (first, middle, last) each have one endnote, with the
    quotation and the article's short name, whose "(see Sources)" link reaches that article in the list of sources.
    """
    rel = f"{lang}/print.html"
    with open_page(browser, viewport=A4) as page:
        page.emulate_media(media="print")
        visit(page, site.url(rel))
        cover = page.evaluate("""() => {
          const dl = document.querySelector('.print-cover dl.edition');
          if (!dl || !dl.checkVisibility()) return null;
          return {texts: Array.from(dl.querySelectorAll('dd'), dd => dd.innerText.trim()),
                  licence: (dl.querySelector('a[rel="license"]') || {}).textContent || '',
                  links: Array.from(dl.querySelectorAll('a'), a => a.getAttribute('href'))};
        }""")
        if cover is None:
            return [f"{rel}: the cover shows no dl.edition when printed"]
        problems = []
        if cover["licence"].strip() != licence:
            problems.append(f"{rel}: the cover's licence is {cover['licence']!r}, expected {licence!r}")
        if edition and edition not in cover["texts"]:
            problems.append(f"{rel}: the cover does not give the edition {edition!r}: {cover['texts'][:2]}")
        if address and not (address in cover["texts"] and address in cover["links"]):
            problems.append(f"{rel}: the cover does not give the address {address!r}: {cover['texts'][:2]}")
        if not address and any(t.startswith(("http:", "https:")) for t in cover["texts"]):
            problems.append(f"{rel}: a build without an address gives one on the cover: {cover['texts'][:2]}")
        notes = page.evaluate("""() => {
          const shown = e => !!e && e.checkVisibility();
          const text = (e, sel) => e && e.querySelector(sel) ? e.querySelector(sel).textContent.trim() : '';
          const numbers = Array.from(new Set(Array.from(document.querySelectorAll('main a.cite'))
            .filter(a => !a.closest('.notes')).map(a => a.getAttribute('href'))));
          const picks = [numbers[0], numbers[Math.floor(numbers.length / 2)], numbers[numbers.length - 1]];
          return picks.map(href => {
            const id = decodeURIComponent(href.slice(1));
            const matches = Array.from(document.querySelectorAll('.notes li')).filter(li => li.id === id);
            const note = matches[0];
            const links = note ? Array.from(note.querySelectorAll('.src a')) : [];
            const key = note && note.querySelector('.src a.src-key');
            const entry = key && document.getElementById(decodeURIComponent(key.getAttribute('href').slice(1)));
            return {href, count: matches.length, shown: shown(note),
                    quote: text(note, 'blockquote'),
                    short: links.length ? links[0].textContent.trim() : '', key: key ? key.getAttribute('href') : '',
                    keyText: key ? key.textContent.trim() : '',
                    entry: !!entry && !!entry.closest('#sources ol.source-full') && shown(entry),
                    entryName: text(entry, '.src-key-name')};
          });
        }""")
        for n in notes:
            at = f"{rel} [{n['href'].removeprefix('#n-')}]"
            if n["count"] != 1:
                problems.append(f"{at}: {n['count']} endnotes with id {n['href']}, expected 1")
                continue
            if not n["shown"] or not n["quote"]:
                problems.append(f"{at}: its endnote is not printed or quotes nothing")
            if not n["key"]:
                problems.append(f"{at}: its endnote has no link to the list of sources")
            elif not n["entry"]:
                problems.append(f"{at}: its endnote's {n['keyText']!r} link {n['key']} does not reach the printed "
                                f"list of sources")
            elif n["short"] != n["entryName"]:
                problems.append(f"{at}: the endnote names {n['short']!r}, the list of sources {n['entryName']!r}")
    return problems


# --- Search -------------------------------------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+")
"""A word as site.js splits text: a run of letters and digits."""


SHOWN = 12
"""How many results the header's search shows (site.js's LIMIT)."""


def han_fragment(subject: str, matches: Callable[[str], int] = lambda q: 0, shown: int = SHOWN) -> str:
    """Return 3 characters from the middle of a Chinese subject, with no space: the window nearest the middle that
    at most `shown` entries of the index match (`matches` counts them), so that the results show every match; the
    rarest window when none is that specific.

    >>> han_fragment("地区生产总值增长"), han_fragment("GDP"), han_fragment("引进 项目")
    ('生产总', 'GDP', '引进项')
    >>> han_fragment("金家岭金融区建设周年", {"岭金融": 14, "金融区": 14, "融区建": 1, "区建设": 3}.get)
    '融区建'
    """
    text = subject.replace(" ", "")
    if len(text) <= 3:
        return text
    middle = (len(text) - 3) / 2
    order = sorted(range(len(text) - 2), key=lambda i: (abs(i - middle), i))
    count = {i: matches(text[i:i + 3]) or 0 for i in order}
    best = next((i for i in order if count[i] <= shown), min(order, key=lambda i: (count[i], abs(i - middle))))
    return text[best:best + 3]


def word_prefixes(subject: str, matches: Callable[[str], int] = lambda q: 0, shown: int = SHOWN) -> str:
    """Return the first 4 letters of two words of an English subject, in its order: the pair that at most `shown`
    entries of the index match (`matches` counts them), of words of 4 letters or more where the subject allows,
    the rarest pair among equals; the rarest pair of all when none is that specific.

    >>> word_prefixes("Growth of fixed-asset investment", lambda q: {"fixe asse": 3, "asse inve": 2}.get(q, 40))
    'asse inve'
    >>> word_prefixes("GDP growth"), word_prefixes("Unicorns")
    ('gdp grow', 'unic')
    """
    words = list(dict.fromkeys(w.lower() for w in WORD.findall(subject)))
    if len(words) < 2:
        return words[0][:4] if words else subject

    def query(pair: tuple[int, int]) -> str:
        return f"{words[pair[0]][:4]} {words[pair[1]][:4]}"

    def rank(pair: tuple[int, int]) -> tuple:
        count = matches(query(pair)) or 0
        short = sum(len(words[i]) < 4 for i in pair)
        return count > shown, short if count <= shown else 0, count, pair

    return query(min(itertools.combinations(range(len(words)), 2), key=rank))


def index_matches(items: Sequence[Sequence[str]]) -> dict[str, Callable[[str], int]]:
    """Return, by script, a function counting the index entries a query matches as site.js matches them: Chinese
    as a substring of an entry's text, other text by word prefixes, every word of the query."""
    texts = [" ".join(item[1:7]).lower() for item in items]
    words = [" " + " ".join(WORD.findall(t)) + " " for t in texts]

    def han(query: str) -> int:
        return sum(query.lower() in t for t in texts)

    def latin(query: str) -> int:
        prefixes = [" " + q for q in query.lower().split()]
        return sum(all(p in w for p in prefixes) for w in words)

    return {"zh": han, "en": latin}


def search_queries(subjects: Sequence[tuple[str, str, str]], index: dict[str, Sequence[Sequence[str]]]
                   ) -> dict[str, list[tuple[str, str]]]:
    """Return, by language, a query and the href it must find for each fact, given (zh subject, en subject, href)
    and each language's search index (its `items`)."""
    zh, en = index_matches(index["zh"])["zh"], index_matches(index["en"])["en"]
    return {"zh": [(han_fragment(z, zh), href) for z, _, href in subjects],
            "en": [(word_prefixes(e, en), href) for _, e, href in subjects]}


JS_SEARCH_ALL = """async queries => {
  const field = document.getElementById('search-q');
  field.focus();
  for (let i = 0; i < 200 && !window.factsheetSearch; i++) await new Promise(r => setTimeout(r, 25));
  return queries.map(query => {
    field.value = query;
    field.dispatchEvent(new Event('input', {bubbles: true}));
    return {query, count: (document.querySelector('.search [role="status"]') || {}).textContent || '',
            hrefs: Array.from(document.querySelectorAll('.search-results a:not(.r-more)'),
                              a => a.getAttribute('href'))};
  });
}"""


def check_search_finds(browser: Browser, site: Site, lang: str, queries: Sequence[tuple[str, str]]) -> list[str]:
    """Type each query into the header's search of a page of `lang` (the real index and site.js): the results shown
    include its href."""
    rel = f"{lang}/index.html"
    problems = []
    with open_page(browser, viewport=DESKTOP) as page:
        visit(page, site.url(rel))
        for found, (query, href) in zip(page.evaluate(JS_SEARCH_ALL, [q for q, _ in queries]), queries):
            if href not in found["hrefs"]:
                problems.append(f"{rel}: searching {query!r} does not show {href} (matches: {found['count']!r}, "
                                f"shown: {found['hrefs'][:3]}…)")
    return problems


JS_TIME_SEARCH = """() => {
  window.searchTimes = [];
  const list = document.querySelector('.search-results ul');
  document.addEventListener('input', event => {
    const start = event.timeStamp;
    const observer = new MutationObserver(() => {
      observer.disconnect();
      window.searchTimes.push(performance.now() - start);
    });
    observer.observe(list, {childList: true, subtree: true, characterData: true});
  }, true);
}"""


def check_search_speed(browser: Browser, site: Site, lang: str, query: str, limit_ms: float = 50,
                       throttle: float = 4, attempts: int = 2) -> list[str]:
    """With the CPU slowed `throttle` times, type `query` into a fresh page's search: the results of each keystroke
    are in the page within `limit_ms` of its input event (the first search included); no request leaves the site.

    Timing on a shared machine has outliers (another process takes the core), so the query is typed again on a new
    page, up to `attempts` times: a search that is slow every time is reported, with every attempt's times.
    """
    rel = f"{lang}/index.html"
    problems: list[str] = []
    runs = []
    for _ in range(attempts):
        with open_page(browser, viewport=DESKTOP) as page:
            page.on("request", lambda r: not r.url.startswith(site.base) and problems.append(
                f"{rel}: request to {r.url} while searching"))
            cdp = page.context.new_cdp_session(page)
            visit(page, site.url(rel))
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
            try:
                field = page.locator("#search-q")
                field.focus()
                page.wait_for_function("() => !!window.factsheetSearch")
                # The reader focuses the field, then types: the index has loaded and the page is idle.
                page.evaluate("() => new Promise(done => requestIdleCallback(done, {timeout: 2000}))")
                page.evaluate(JS_TIME_SEARCH)
                field.press_sequentially(query, delay=60)
                wait_for_results(page)
                times = page.evaluate("() => window.searchTimes")
            finally:
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        if len(times) != len(query):
            return problems + [f"{rel}: {len(query)} keystrokes of {query!r} updated the results {len(times)} times"]
        runs.append(times)
        if max(times) <= limit_ms:
            return problems
    shown = "; ".join(", ".join(f"{query[:i + 1]!r} {t:.0f} ms" for i, t in enumerate(times)) for times in runs)
    return problems + [f"{rel}: results later than {limit_ms:.0f} ms after a keystroke at {throttle:g}× slower CPU, "
                       f"in each of {attempts} tries: {shown}"]


def check_search_without_script(browser: Browser, site: Site, lang: str, query: str) -> list[str]:
    """Without JavaScript, at phone and desktop width, submitting the header's search leads to the A–Z index."""
    rel, index = f"{lang}/economy.html", f"{lang}/figures.html"
    problems = []
    with open_page(browser, java_script_enabled=False) as page:
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            visit(page, site.url(rel))
            page.locator("#search-q").fill(query)
            page.locator("#search-q").press("Enter")
            page.wait_for_load_state("load")
            at = f"{rel} at {viewport['width']} px"
            if site.rel(page.url) != index:
                problems.append(f"{at}: submitting the search leads to {where(site, page)}, expected {index}")
            elif page.locator(".index li a").count() == 0:
                problems.append(f"{at}: the A–Z index it leads to lists no figure")
    return problems
