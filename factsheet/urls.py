"""Every address of the site, made in one place (Datasette's `Urls`, MkDocs' `File.url`).

A page's path comes from its kind's pattern in the registry (`pages.PAGE_KINDS`); an item's address is its home
page and its anchor. Pages, back-links, the navigation, the data files' `url` columns, the sitemap and hreflang
all ask `Urls`, so an address is spelled out nowhere else. Paths are relative to a language folder
(`economy.html#f-…`); `in_language` puts a language folder in front, for links from the site root.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .languages import LANGUAGES, SOURCE_LANGUAGE
from .model import Linked, Passage


@dataclass(frozen=True)
class PageKind:
    """One kind of page: where its files go, what makes them, and whether the navigation lists them."""

    name: str
    path: str
    """Output path pattern inside a language folder (at the site root for `per == "root"`); `{id}` is the item's id."""
    template: str
    per: str
    """What a page is made for: `site` (one per language), `theme`, `source`, `indicator`, `page` (a Markdown
    page), or `root` (one file at the site root, for both languages)."""
    build: Callable
    """The builder: a pure function (View[, item]) → the page's context."""
    nav: str | None = None
    """The navigation group that lists the kind's pages (`main`, `themes`, `plans`, `sources`), or None."""
    title: str | None = None
    """The UI string naming a one-per-site page in the navigation (item pages are named by their item)."""


def fact_anchor(fact_id: str) -> str:
    """Return the anchor of a fact's row or card: `f-<id>`."""
    return f"f-{fact_id}"


def milestone_anchor(milestone_id: str) -> str:
    """Return the anchor of a milestone on the timelines: `m-<id>`."""
    return f"m-{milestone_id}"


def plan_anchor(plan_id: str) -> str:
    """Return the anchor of a plan's row: `plan-<id>`."""
    return f"plan-{plan_id}"


def series_anchor(indicator_id: str) -> str:
    """Return the anchor of a series' block on its theme page: `i-<id>`."""
    return f"i-{indicator_id}"


def note_anchor(number: int) -> str:
    """Return the anchor of a page's source note: `n-<number>`."""
    return f"n-{number}"


class Urls:
    """The addresses of one build's pages and items, relative to a language folder."""

    def __init__(self, kinds: Mapping[str, PageKind], linked: Linked):
        self.kinds = kinds
        self.linked = linked

    def page(self, kind: str, item_id: str = "") -> str:
        """Return the path of a page of `kind` (for `item_id`)."""
        return self.kinds[kind].path.format(id=item_id)

    def fact(self, fact_id: str) -> str:
        """Return where a fact's row is: its home page (decided in link) and its anchor."""
        return f"{self.page('theme', self.linked.fact_home[fact_id])}#{fact_anchor(fact_id)}"

    def milestone(self, milestone_id: str) -> str:
        """Return where a milestone is on the timelines page."""
        return f"{self.page('timelines')}#{milestone_anchor(milestone_id)}"

    def plan(self, plan_id: str) -> str:
        """Return where a plan's row is on the plans page."""
        return f"{self.page('plans')}#{plan_anchor(plan_id)}"

    def passage(self, passage: Passage) -> str:
        """Return where a cited passage is on its source's page."""
        return f"{self.source(passage.source)}#{passage.id}"

    def source(self, source_id: str) -> str:
        """Return the page of a source article."""
        return self.page("source", source_id)

    def indicator(self, indicator_id: str) -> str:
        """Return the page of an indicator (a series)."""
        return self.page("indicator", indicator_id)

    def observation(self, fact_id: str) -> str:
        """Return where a series' observation is on its indicator's page."""
        return f"{self.indicator(self.linked.facts[fact_id].indicator or '')}#{fact_anchor(fact_id)}"

    @staticmethod
    def series_csv(indicator_id: str) -> str:
        """Return the path, from the site root, of one series as CSV."""
        return f"data/series/{indicator_id}.csv"

    @staticmethod
    def series_svg(indicator_id: str, lang: str) -> str:
        """Return the path, from the site root, of one series' chart in one language as an SVG file."""
        return f"data/series/{indicator_id}-{lang}.svg"

    @staticmethod
    def search_index(lang: str) -> str:
        """Return the path, from the site root, of one language's search index (a script)."""
        return f"search/{lang}.js"

    def item(self, item_id: str) -> str:
        """Return where a fact or a milestone is shown (a passage's back-link)."""
        return self.fact(item_id) if item_id in self.linked.facts else self.milestone(item_id)

    @staticmethod
    def in_language(lang: str, path: str) -> str:
        """Return a language page's path from the site root: `zh/economy.html#…`."""
        return f"{lang}/{path}"


def base(base_url: str) -> str:
    """Return the base URL with exactly one trailing slash."""
    return base_url.rstrip("/") + "/"


def alternates(base_url: str, path: str, root_page: str) -> tuple[tuple[str, str], ...]:
    """Return the (hreflang, absolute URL) set of a language page: one per language, and x-default, which is the
    landing page for the overview (`root_page` at the root) and the articles' language otherwise."""
    root = base(base_url)
    default = f"{root}{root_page}" if path == root_page else f"{root}{Urls.in_language(SOURCE_LANGUAGE.code, path)}"
    return (*((language.html_lang, f"{root}{Urls.in_language(language.code, path)}") for language in LANGUAGES),
            ("x-default", default))


def sitemap(paths: list[str], base_url: str, root_page: str) -> Iterator[tuple[str, bytes]]:
    """Yield sitemap.xml, listing the landing page and every language page of `paths` (relative to a language
    folder) in every language with its hreflang alternates, and robots.txt pointing at it."""
    root = base(base_url)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    entries = [(f"{root}{root_page}", root_page)]
    entries += [(f"{root}{Urls.in_language(language.code, path)}", path)
                for path in sorted(set(paths)) for language in LANGUAGES]
    for location, path in entries:
        lines.append(f"  <url><loc>{location}</loc>")
        for hreflang, href in alternates(base_url, path, root_page):
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{hreflang}" href="{href}"/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    yield "sitemap.xml", ("\n".join(lines) + "\n").encode()
    yield "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {root}sitemap.xml\n".encode()
