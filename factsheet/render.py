"""Stage 4: render every planned page in every language, then the files the languages share — no disk writes.

Each page's builder makes its context (`pages.py`), its template renders it with the language's catalog, and the
page comes out in pieces, as Jinja generates it, for stage 5 to write as they come: no page is held whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.support import Translations

from .data import render_data
from .han import joined, mark_han_pieces
from .search import search_index
from .languages import LANGUAGES, Language, language
from .model import LANGS, ContentError, Date, Linked
from .pages import PlannedPage, build_page, chart_of, make_urls, navigation
from .speed import template_cache
from .templating import Body, CheckedTranslations, guarded, load_translations, make_env, missing_translations
from .urls import Urls, sitemap
from .views import View

STATIC = ("style.css", "print.css", "favicon.svg", "site.js")
"""Files of the templates folder copied to the site root as they are."""


class Renderer:
    """What rendering the pages of one build shares: addresses, navigation, catalogs and compiled templates."""

    def __init__(self, linked: Linked, planned: tuple[PlannedPage, ...], templates_dir: Path, locale_dir: Path,
                 base_url: str | None, pdf: bool = False, edition: Date | None = None):
        self.linked = linked
        self.planned = planned
        self.templates_dir = templates_dir
        self.locale_dir = locale_dir
        self.base_url = base_url
        self.pdf = pdf
        self.edition = edition
        self.charts: dict = {}
        self.urls: Urls = make_urls(linked)
        self.nav = navigation(planned)
        self.compiled = template_cache()
        self.catalogs: dict[str, tuple[CheckedTranslations, Path]] = {}

    def catalog(self, lang: str) -> CheckedTranslations:
        """Return a language's catalog, read once."""
        if lang not in self.catalogs:
            self.catalogs[lang] = load_translations(self.locale_dir, lang)
        return self.catalogs[lang][0]

    def view(self, lang: Language) -> View:
        """Return the view of one language."""
        return View(self.linked, lang, self.catalog(lang.code).gettext, self.urls, self.nav, self.base_url, self.pdf,
                    self.edition, self.charts)

    def language_pages(self, lang: str, warnings: list[ContentError] | None = None) -> Iterator[tuple[str, Body]]:
        """Yield (output path, body) for every page of one language; then add to `warnings` the UI strings its
        catalog lacked."""
        return guarded(self._language_pages(language(lang), warnings), self.templates_dir)

    def _language_pages(self, lang: Language, warnings: list[ContentError] | None) -> Iterator[tuple[str, Body]]:
        env = make_env(self.templates_dir, self.catalog(lang.code), self.compiled)
        view = self.view(lang)
        for page in self.planned:
            if page.kind.per != "root":
                context = build_page((view,), page)
                yield self.urls.in_language(lang.code, page.path), self.page_bytes(env, lang, page.kind.template,
                                                                                   context)
        yield from self.language_files(lang, view)
        if warnings is not None:
            translations, po_path = self.catalogs[lang.code]
            warnings.extend(missing_translations(translations, po_path, lang.code))

    @staticmethod
    def page_bytes(env, lang: Language, template: str, context) -> Body:
        """Render one page in pieces, Chinese text marked on pages in other languages."""
        pieces = env.get_template(template).generate(page=context, common=context.common)
        blocks = joined(pieces) if lang.han else mark_han_pieces(pieces)
        return (block.encode("utf-8") for block in blocks)

    def language_files(self, lang: Language, view: View) -> Iterator[tuple[str, Body]]:
        """Yield the files of one language that are not pages: its search index, each series' chart as an SVG."""
        yield self.urls.search_index(lang.code), (search_index(view),)
        for page in self.planned:
            if page.kind.name == "indicator":
                chart = chart_of(view, page.item.id)
                if chart.standalone:
                    yield self.urls.series_svg(page.item.id, lang.code), (chart.standalone.encode("utf-8"),)

    def shared_files(self) -> Iterator[tuple[str, Body]]:
        """Yield the files at the site root: the pages that speak every language, static files, data, sitemap."""
        return guarded(self._shared_files(), self.templates_dir)

    def _shared_files(self) -> Iterator[tuple[str, Body]]:
        env = make_env(self.templates_dir, Translations(), self.compiled)
        views = tuple(self.view(lang) for lang in LANGUAGES)
        for page in self.planned:
            if page.kind.per == "root":
                yield page.path, (env.get_template(page.kind.template).render(page=build_page(views, page)).encode(),)
        for name in STATIC:
            yield name, ((self.templates_dir / name).read_bytes(),)
        yield ".nojekyll", (b"",)
        yield from render_data(self.linked, self.urls, self.base_url)
        if self.base_url:
            paths = [page.path for page in self.planned if page.kind.per != "root"]
            for name, data in sitemap(paths, self.base_url, self.urls.page("landing")):
                yield name, (data,)


def render_site(renderer: Renderer, langs: tuple[str, ...] = LANGS,
                warnings: list[ContentError] | None = None) -> Iterator[tuple[str, Body]]:
    """Yield (output path, body) for every page of `langs`, then the shared files. Consume each body before asking
    for the next file. (A second process may render the other languages with `Renderer.language_pages`.)"""
    for lang in langs:
        yield from renderer.language_pages(lang, warnings)
    yield from renderer.shared_files()
