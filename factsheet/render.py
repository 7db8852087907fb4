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
                    self.edition)

    def language_pages(self, lang: str, warnings: list[ContentError] | None = None) -> Iterator[tuple[str, Body]]:
        """Yield (output path, body) for every page of one language; then add to `warnings` the UI strings its
        catalog lacked."""
        return guarded(self._language_pages(language(lang), warnings), self.templates_dir)

    def _language_pages(self, lang: Language, warnings: list[ContentError] | None) -> Iterator[tuple[str, Body]]:
        env = make_env(self.templates_dir, self.catalog(lang.code), self.compiled)
        views = (self.view(lang),)
        for page in self.planned:
            if page.kind.per == "root":
                continue
            context = build_page(views, page)
            pieces = env.get_template(page.kind.template).generate(page=context, common=context.common)
            blocks = joined(pieces) if lang.han else mark_han_pieces(pieces)
            yield self.urls.in_language(lang.code, page.path), (block.encode("utf-8") for block in blocks)
        yield self.urls.search_index(lang.code), (search_index(views[0]),)
        for page in self.planned:  # each series' chart as a file of its own, for download
            if page.kind.name == "indicator":
                chart = chart_of(views[0], page.item.id)
                if chart.standalone:
                    yield self.urls.series_svg(page.item.id, lang.code), (chart.standalone.encode("utf-8"),)
        if warnings is not None:
            translations, po_path = self.catalogs[lang.code]
            warnings.extend(missing_translations(translations, po_path, lang.code))

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
