"""The content as one language shows it: what every page builder formats the same way.

A `View` turns facts into `Figure`s, sources into `SourceView`s and citations into numbered `Note`s, and makes the
part every page shares (`Common`), in one language, with that language's catalog and the build's addresses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from .parts import (Alternate, Common, Figure, Head, LanguageLink, NavGroup, NavItem, Note, PdfLink, SourceView,
                    Stylesheet)
from .format import format_amount, format_count, format_date, format_period
from .languages import LANGUAGES, Language
from markupsafe import Markup, escape

from .model import Date, Fact, Linked, Milestone, Period, Source, Text
from .templating import LABELS, N_, inline_json
from .urls import Urls, alternates, base, fact_anchor

REFERENCE_RE = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)\]\]")
"""A reference in a note to another item of the content, by id: `[[2024-03-gdp-growth]]`, `[[2024-03]]`."""

PDF_NAME = "{name}-{lang}.pdf"
"""File name of a language's PDF at the site root (made with --pdf); `name` is the data package's name."""
NAV_GROUPS = {"main": N_("Overview"), "themes": N_("Themes"), "plans": N_("Timelines and plans"),
              "sources": N_("Sources and data")}
"""The navigation's groups, in order, with their headings."""


@dataclass(frozen=True, slots=True)
class NavEntry:
    """A page the navigation lists: its group, its path, and its name (a UI string, or the item's own title)."""

    group: str
    path: str
    msgid: str | None
    title: Text | None


class View:
    """Formatting, labels and addresses of one language, for the page builders of one build."""

    def __init__(self, linked: Linked, language: Language, gettext: Callable[[str], str], urls: Urls,
                 nav: tuple[NavEntry, ...], base_url: str | None, pdf: bool, edition: Date | None = None,
                 charts: dict | None = None):
        self.linked = linked
        self.language = language
        self.lang = language.code
        self.gettext = gettext
        self.urls = urls
        self.nav_entries = nav
        self.base_url = base_url
        self.pdf = pdf
        self.edition = edition
        """The edition's date (SOURCE_DATE_EPOCH, or the last commit of the content), or None when unknown."""
        self._figures: dict[tuple, Figure] = {}
        self.charts: dict = {} if charts is None else charts
        """Charts drawn so far, by (language, series, source line): shared by a build's views, and by the builds
        of one `serve` session."""
        self.plans_of_facts: tuple[list, dict[str, tuple[int, ...]]] | None = None
        """`pages.targets` and, by fact id, the positions of the target groups the fact is part of; made on first
        use by the series' pages (one scan of every plan per page made them quadratic)."""

    def label(self, key: str) -> str:
        """Translate the name of a vocabulary word (kind, status, event)."""
        return self.gettext(LABELS[key])

    def text(self, text: Text | None) -> str | None:
        """Return a bilingual text in this language, or None."""
        return text.get(self.lang) if text is not None else None

    def rich(self, text: Text | None) -> Markup | None:
        """Return a note in this language with each `[[id]]` (a fact, milestone, series or article) made a link
        named as readers know it, never by its id (link checks that every id is known)."""
        if text is None:
            return None
        return Markup(REFERENCE_RE.sub(lambda m: str(self.reference(m[1])), str(escape(text.get(self.lang)))))

    def milestone_name(self, ms: Milestone) -> str:
        """Name a milestone as its project and step: "Laoshan Bay science city: construction starts"."""
        return self.gettext("%(project)s: %(step)s") % {"project": self.linked.projects[ms.project].name.get(self.lang),
                                                         "step": ms.label.get(self.lang)}

    def reference(self, item_id: str) -> Markup:
        """Return a link to a fact, milestone, series or article, named in this language."""
        linked, lang = self.linked, self.lang
        if item_id in linked.facts:
            href, name = self.urls.fact(item_id), linked.facts[item_id].subject.get(lang)
        elif item_id in linked.milestones:
            ms = linked.milestones[item_id]
            href, name = self.urls.milestone(item_id), self.milestone_name(ms)
        elif item_id in linked.series:
            href, name = self.urls.indicator(item_id), linked.series[item_id].name.get(lang)
        else:
            href, name = self.urls.source(item_id), self.sources[item_id].short
        return Markup('<a href="{}">{}</a>').format(href, name)

    @cached_property
    def labels(self) -> tuple[str, str]:
        """Return the two labels every citation repeats (see `Common`), translated once rather than per figure."""
        return self.gettext("Source note %(n)s"), self.gettext("Back to figure %(n)s")

    @cached_property
    def sources(self) -> dict[str, SourceView]:
        """Return every source as pages show it, by id; every page shows some, so they are made once."""
        return {s.id: self.source_view(s) for s in self.linked.site.sources}

    @cached_property
    def sources_by_date(self) -> tuple[SourceView, ...]:
        """Return the sources oldest first."""
        ordered = sorted(self.linked.site.sources, key=lambda s: s.date.sort_key())
        return tuple(self.sources[s.id] for s in ordered)

    def source_view(self, source: Source) -> SourceView:
        """Format a source article."""
        translated = not self.language.is_source
        return SourceView(
            id=source.id, href=self.urls.source(source.id), headline=source.headline.zh,
            translation=source.headline.get(self.lang) if translated else None, short=source.short.get(self.lang),
            kicker=source.kicker.zh if source.kicker else None,
            kicker_translation=source.kicker.get(self.lang) if source.kicker and translated else None,
            date=format_date(source.date, self.lang),
            date_basis=source.date_basis.get(self.lang), outlet=source.outlet.get(self.lang),
            byline=source.byline.get(self.lang), summary=source.summary.get(self.lang),
            topics=tuple(t.get(self.lang) for t in source.topics), file=source.file, sha256=source.sha256,
            citations=sum(len(p.citing) for p in self.linked.passages.get(source.id, ())))

    def figure(self, fact: Fact, number: int, conflicts: tuple[str, ...] = (), anchor: str | None = None) -> Figure:
        """Format a fact for display, with the number of its note on the page. Unnumbered figures (indicator pages,
        charts, the search index, the A–Z index: the same fact four times) are formatted once per build."""
        if number or anchor:
            return self._figure(fact, number, conflicts, anchor)
        key = (fact.id, fact.id in conflicts)
        if key not in self._figures:
            self._figures[key] = self._figure(fact, number, conflicts, anchor)
        return self._figures[key]

    def _figure(self, fact: Fact, number: int, conflicts: tuple[str, ...], anchor: str | None) -> Figure:
        """Format a fact (see `figure`)."""
        lang = self.lang
        return Figure(
            id=fact.id, anchor=anchor or fact_anchor(fact.id), href=self.urls.fact(fact.id),
            value=self.value(fact),
            period=format_period(fact.period, lang), kind=self.label(fact.kind), kind_id=fact.kind,
            subject=fact.subject.get(lang),
            scope=None if fact.scope == "district" else self.linked.scopes[fact.scope].get(lang),
            rank=self.text(fact.rank) if fact.unit != "rank" else None, note=self.rich(fact.note), note_number=number, conflict=fact.id in conflicts,
            source=self.sources[fact.citation.source].short,
            indicator=self.urls.indicator(fact.indicator) if fact.indicator in self.linked.series else None)

    def value(self, fact: Fact) -> str:
        """Write a fact's value with its unit and qualifier (a ranking in words: the words)."""
        if fact.unit == "rank" and fact.rank is not None:  # "first in Qingdao", not "No. 1 (first in Qingdao)"
            return fact.rank.get(self.lang)
        return format_amount(fact.value, fact.unit, fact.qualifier, fact.counter, self.lang)

    def note(self, number: int, item_id: str, anchor: str) -> Note:
        """Make the source note of a fact or milestone."""
        passage = self.linked.passage_of[item_id]
        return Note(number=number, anchor=anchor, quote=passage.quote,
                    translation=None if self.language.is_source else passage.quote_en,
                    source=self.sources[passage.source], href=self.urls.passage(passage))

    def head(self, path: str, title: str, description: str, json_ld: dict | None = None,
             author: str | None = None) -> Head:
        """Make the <head> of a language page."""
        canonical = f"{base(self.base_url)}{self.urls.in_language(self.lang, path)}" if self.base_url else None
        return Head(
            html_lang=self.language.html_lang, title=title, description=description,
            og_locale=self.language.og_locale,
            og_alt_locales=tuple(other.og_locale for other in LANGUAGES if other != self.language),
            canonical=canonical,
            alternates=tuple(Alternate(h, u) for h, u in alternates(self.base_url, path, self.urls.page("overview")))
            if self.base_url else (),
            icon="../favicon.svg", stylesheets=(Stylesheet("../style.css", "all"), Stylesheet("../print.css", "print")),
            inline_css=False, json_ld=inline_json(json_ld) if json_ld else None, social=True, robots=None,
            author=author)

    def common(self, path: str, title: str, description: str | None = None, json_ld: dict | None = None,
               author: str | None = None) -> Common:
        """Make the part of a page context every page shares."""
        info = self.linked.site.info
        assert info is not None
        site_title = info.title.get(self.lang)
        groups = []
        for group, heading in NAV_GROUPS.items():
            items = tuple(NavItem(e.path, e.title.get(self.lang) if e.title else self.gettext(e.msgid or ""),
                                  e.path == path) for e in self.nav_entries if e.group == group)
            if items:
                groups.append(NavGroup(group, self.gettext(heading), items, any(i.current for i in items)))
        sources = self.linked.site.sources
        years = sorted({s.date.year for s in sources})
        about = next((e.path for e in self.nav_entries if e.path == self.urls.page("prose", "about")), "")
        return Common(
            lang=self.lang,
            head=self.head(path, title if title == site_title else f"{title} · {site_title}",
                           description or info.description.get(self.lang), json_ld, author),
            path=path, root="../", brand=site_title, brand_short=info.short_title.get(self.lang),
            search=self.urls.page("figures"), search_index=self.urls.search_index(self.lang),
            home=self.urls.page("overview"), nav=tuple(groups),
            languages=tuple(LanguageLink(f"../{other.code}/{path}", other.html_lang, other.short_name)
                            for other in LANGUAGES if other != self.language),
            translated=not self.language.is_source,
            footer=self.gettext("Compiled from %(count)s newspaper articles (%(years)s). Every figure links to the "
                                "passage it comes from.") % {
                "count": format_count(len(sources), self.lang),
                "years": format_period(Period(Date(years[0]), Date(years[-1]) if years[-1] != years[0] else None),
                                       self.lang) if years else ""},
            about=about, downloads=self.urls.page("downloads"), print_edition=self.urls.page("print"),
            note_label=self.labels[0], back_label=self.labels[1],
            pdfs=tuple(PdfLink(lang.html_lang, lang.name, "../" + self.pdf_name(lang.code))
                       for lang in (self.language, *(o for o in LANGUAGES if o != self.language)))
            if self.pdf else ())

    def pdf_name(self, lang: str) -> str:
        """Return the file name of a language's PDF."""
        return PDF_NAME.format(name=self.linked.site.info.name, lang=lang)  # type: ignore[union-attr]

