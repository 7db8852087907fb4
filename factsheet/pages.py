"""Every page kind, declared once (`PAGE_KINDS`), the plan of the site's pages, and the page builders.

A builder is a pure function of a `View` (one language's formatting and addresses) and, for pages made per item,
the item: it returns the page's context (`contexts.py`). `plan_pages` lists every page the content makes and
reports two things claiming one output path as an error naming both (MkDocs' `files_by_dest.setdefault`).
Adding a page kind is one entry here, one builder, one template, its UI strings and a test.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import charts
from .contexts import (BackLink, Column, Counts, DownloadsPage, Figure, GlossaryPage, Head, LanguageEntry, Note,
                       OverviewPage, PassageView, PlanLine, PlansPage, PrintPage, ProjectTimeline, ProsePage,
                       RootPage, SectionLink, SeriesBlock, SourcePage, SourcesPage, Step, TableFiles, Term,
                       ThemePage, TimelinesPage, TocEntry, Unit, YearSteps, Alternate, Stylesheet)
from .data import PACKAGE, TABLES, TYPE_LABELS, citation, dataset_ld, unit_legend
from .format import format_amount, format_count, format_date, format_list, format_number
from .languages import LANGUAGES
from .model import ContentError, ContentErrors, Fact, Linked, Page, Row, Source, Theme
from .templating import N_
from .urls import PageKind, Urls, alternates, base, fact_anchor, milestone_anchor, plan_anchor, series_anchor
from .views import NavEntry, View


# --- Notes -------------------------------------------------------------------------------------------------------

class Citations:
    """The numbered citations of one page, in reading order, and its notes.

    On a section page every citation has its own note; in the print edition (`per_passage`) a number belongs to a
    cited passage, given where the passage is first cited, so that one endnote serves every figure quoting it.
    """

    def __init__(self, view: View, per_passage: bool = False):
        self.view = view
        self.per_passage = per_passage
        self.numbers: dict[str, int] = {}
        self.first: list[tuple[str, str]] = []

    def cite(self, item_id: str, anchor: str) -> int:
        """Return the note number of a fact or milestone shown at `anchor`, numbering it if it is new."""
        if not self.per_passage:
            self.first.append((item_id, anchor))
            return len(self.first)
        key = self.view.linked.passage_of[item_id].id
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.first.append((item_id, anchor))
        return self.numbers[key]

    def notes(self) -> tuple[Note, ...]:
        """Return the page's notes, in number order."""
        return tuple(self.view.note(number, item_id, anchor) for number, (item_id, anchor) in enumerate(self.first, 1))


def _own(view: View, citations: Citations | None) -> tuple[Citations, bool]:
    """Return the citations to number into, and whether they are the page's own (it then lists its notes)."""
    return (citations, False) if citations is not None else (Citations(view), True)


# --- Builders ----------------------------------------------------------------------------------------------------

def build_overview(view: View, citations: Citations | None = None, prefix: str = "") -> OverviewPage:
    """Build the overview: headline figures, the sections, the sources."""
    cites, own = _own(view, citations)
    linked, _ = view.linked, view.gettext
    site = linked.site
    assert site.info is not None
    headlines = []
    for fid in site.info.headline_facts:
        anchor = prefix + fact_anchor(fid)
        headlines.append(view.figure(linked.facts[fid], cites.cite(fid, anchor), anchor=anchor))
    sections = [SectionLink(view.urls.page("theme", t.id), t.title.get(view.lang), t.intro.get(view.lang),
                            sum(len(r.facts) for r in linked.rows[t.id])) for t in site.themes]
    sections += [
        SectionLink(view.urls.page("timelines"), _("Project timelines"), _("Timelines of named projects, parks and areas."),
                    len(site.milestones)),
        SectionLink(view.urls.page("plans"), _("Plans vs outcomes"), _("Targets set in one article and the results reported later."),
                    len(site.plans)),
    ]
    return OverviewPage(
        view.common(view.urls.page("overview"), site.info.title.get(view.lang),
                    json_ld=dataset_ld(linked, view.urls, view.lang, view.base_url)),
        tuple(headlines), tuple(sections), view.sources_by_date, cites.notes() if own else (),
        Counts(len(site.facts), len(site.milestones), len(site.sources), len(site.projects), len(site.plans),
               format_count(len(site.sources), view.lang)))


def build_theme(view: View, theme: Theme, citations: Citations | None = None) -> ThemePage:
    """Build one theme's page: its series (with charts), then the figures reported once."""
    cites, own = _own(view, citations)
    rows = view.linked.rows[theme.id]
    blocks = []
    for row in (r for r in rows if r.is_series):
        figures = tuple(view.figure(f, cites.cite(f.id, fact_anchor(f.id)), row.conflicts) for f in row.facts)
        chart = charts.series_chart(row, figures, view.lang, view.gettext, _source_line(view, row))
        blocks.append(SeriesBlock(row.id, series_anchor(row.id), row.name.get(view.lang),
                                  view.text(row.indicator.note) if row.indicator else None, figures,
                                  chart.svg, chart.sentence, bool(row.conflicts)))
    lone = tuple(view.figure(f, cites.cite(f.id, fact_anchor(f.id)))
                 for r in rows if not r.is_series for f in r.facts)
    return ThemePage(view.common(view.urls.page("theme", theme.id), theme.title.get(view.lang),
                                 theme.intro.get(view.lang)),
                     theme.id, theme.title.get(view.lang), theme.intro.get(view.lang), tuple(blocks), lone,
                     cites.notes() if own else ())


def _source_line(view: View, row: Row) -> str:
    """Return a chart's source line: the dates of the articles its figures come from, oldest first, and the site."""
    ids = sorted({f.citation.source for f in row.facts}, key=lambda s: (view.linked.sources[s].date.sort_key(), s))
    dates = list(dict.fromkeys(view.sources[s].date for s in ids))
    info = view.linked.site.info
    assert info is not None
    return view.gettext("Source: %(sources)s · %(site)s") % {
        "sources": view.gettext("articles of %(dates)s") % {"dates": format_list(dates, view.lang)},
        "site": info.title.get(view.lang)}


def build_timelines(view: View, citations: Citations | None = None) -> TimelinesPage:
    """Build the timelines: one per project, then every milestone by year."""
    cites, own = _own(view, citations)
    linked, lang = view.linked, view.lang
    projects, all_steps = [], []
    for project in linked.site.projects:
        milestones = linked.project_milestones[project.id]
        steps = []
        for ms in milestones:
            source = linked.sources
            others = tuple(
                f"{format_date(o.date, lang)} ({source[o.citation.source].headline.get(lang)}, "
                f"{format_date(source[o.citation.source].date, lang)})"
                for o in milestones if o.event == ms.event and o.event != "other" and o.date != ms.date
                and o.done == ms.done)
            anchor = milestone_anchor(ms.id)
            step = Step(ms.id, anchor, project.name.get(lang), format_date(ms.date, lang), ms.label.get(lang),
                        view.label("done" if ms.done else "planned"), ms.done, cites.cite(ms.id, anchor), others)
            steps.append(step)
            all_steps.append((ms, step))
        projects.append(ProjectTimeline(project.id, project.name.get(lang), view.text(project.description),
                                        tuple(steps)))
    years: dict[int, list[Step]] = {}
    for ms, step in sorted(all_steps, key=lambda pair: (pair[0].date.sort_key(), pair[1].note_number)):
        years.setdefault(ms.date.year, []).append(step)
    return TimelinesPage(view.common(view.urls.page("timelines"), view.gettext("Project timelines")),
                         tuple(projects), tuple(YearSteps(y, tuple(s)) for y, s in sorted(years.items())),
                         cites.notes() if own else ())


def build_plans(view: View, citations: Citations | None = None) -> PlansPage:
    """Build the plans page: each target with its outcome, status and difference. In the print edition (shared
    `citations`) the cells are anchored by plan (`plan-<id>-t`), as the same facts appear in its theme sections."""
    cites, own = _own(view, citations)
    seen: set[str] = set()

    def cite(fact: Fact, plan_id: str, side: str) -> tuple[Figure, str]:
        if not own:
            anchor = f"{plan_anchor(plan_id)}-{side}"
        else:  # a fact may be the target of two plans; its anchor stays unique on the page
            anchor = fact_anchor(fact.id)
            if anchor in seen:
                anchor = f"{anchor}-{len(cites.first) + 1}"
        seen.add(anchor)
        return view.figure(fact, cites.cite(fact.id, anchor), anchor=anchor), anchor

    lines = []
    for row in view.linked.plans:
        target, target_anchor = cite(row.target, row.plan.id, "t")
        outcome, outcome_anchor = cite(row.outcome, row.plan.id, "o") if row.outcome else (None, None)
        lines.append(PlanLine(
            row.plan.id, plan_anchor(row.plan.id), row.target.subject.get(view.lang), view.text(row.plan.note),
            target, target_anchor, view.sources[row.target.citation.source].date,
            outcome, outcome_anchor, view.sources[row.outcome.citation.source].date if row.outcome else None,
            view.label(row.plan.status), row.plan.status, _difference(view, row)))
    return PlansPage(view.common(view.urls.page("plans"), view.gettext("Plans vs outcomes")), tuple(lines),
                     cites.notes() if own else ())


def _difference(view: View, row) -> str | None:
    """Say how far an outcome is from its target, where that means something."""
    # Over/under outcomes give no usable difference; about/nearly ones give an approximate one.
    if row.difference is None or not row.outcome or row.outcome.qualifier not in ("exact", "about", "nearly"):
        return None
    sign = "+" if row.difference > 0 else "−" if row.difference < 0 else "±"
    if row.target.unit == "percent":
        text = sign + view.gettext("%(n)s percentage points") % {"n": format_number(abs(row.difference), view.lang)}
    else:
        text = sign + format_amount(abs(row.difference), row.target.unit, "exact", row.target.counter, view.lang)
    return text if row.outcome.qualifier == "exact" else view.gettext("about %(difference)s") % {"difference": text}


def build_sources(view: View) -> SourcesPage:
    """Build the list of articles."""
    return SourcesPage(view.common(view.urls.page("sources"), view.gettext("Sources")), view.sources_by_date,
                       format_count(len(view.sources), view.lang))


def build_source(view: View, source: Source) -> SourcePage:
    """Build one article's page: its details and its cited passages, each with links back to what cites it."""
    linked, lang = view.linked, view.lang
    letters = "abcdefghijklmnopqrstuvwxyz"
    passages = []
    for passage in linked.passages.get(source.id, ()):
        links = []
        for i, item_id in enumerate(passage.citing):
            if item_id in linked.facts:
                label = linked.facts[item_id].subject.get(lang)
            else:
                ms = linked.milestones[item_id]
                label = f"{linked.projects[ms.project].name.get(lang)}: {ms.label.get(lang)}"
            links.append(BackLink(view.urls.item(item_id), letters[i % 26] * (i // 26 + 1), label))
        passages.append(PassageView(passage.id, passage.quote, None if view.language.is_source else passage.quote_en,
                                    tuple(links)))
    return SourcePage(view.common(view.urls.source(source.id), source.headline.get(lang), source.summary.get(lang)),
                      view.sources[source.id], tuple(passages))


def build_glossary(view: View) -> GlossaryPage:
    """Build the glossary, in English alphabetical order."""
    terms = sorted(view.linked.site.glossary, key=lambda t: t.en.lower())
    return GlossaryPage(view.common(view.urls.page("glossary"), view.gettext("Glossary")),
                        tuple(Term(t.zh, t.en, view.text(t.note) or "") for t in terms))


def build_prose(view: View, page: Page) -> ProsePage:
    """Build a Markdown page."""
    return ProsePage(view.common(view.urls.page("prose", page.slug), page.title.get(view.lang)),
                     page.title.get(view.lang), page.body.get(view.lang))


def build_downloads(view: View) -> DownloadsPage:
    """Build the downloads page: every table's files and columns, the units, the licence and how to cite."""
    _ = view.gettext
    info = view.linked.site.info
    assert info is not None
    types = {k: _(v) for k, v in TYPE_LABELS.items()}
    tables = tuple(TableFiles(
        t.name, t.title.get(view.lang), t.description.get(view.lang), "../" + t.csv, "../" + t.json,
        sum(1 for _row in t.rows(view.linked, view.urls)),
        tuple(Column(c.name, _("%(type)s, never empty") % {"type": types[c.type]} if c.required else types[c.type],
                     c.description.get(view.lang)) for c in t.columns)) for t in TABLES)
    cite = citation(view.linked, view.urls, view.base_url)
    return DownloadsPage(
        view.common(view.urls.page("downloads"), _("Data downloads"),
                    _("Every table of the fact sheet as CSV and JSON, what each column means, and how to cite it."),
                    json_ld=dataset_ld(view.linked, view.urls, view.lang, view.base_url)),
        tables, f"../{PACKAGE}", tuple(Unit(*u) for u in unit_legend()), cite.zh, cite.en,
        info.license.get(view.lang), info.license_url, format_count(len(view.linked.site.sources), view.lang))


def build_print(view: View) -> PrintPage:
    """Build the print edition: every section, numbered into one run of endnotes by cited passage."""
    _ = view.gettext
    cites = Citations(view, per_passage=True)
    overview = build_overview(view, cites, prefix="o-")
    themes = tuple(build_theme(view, theme, cites) for theme in view.linked.site.themes)
    timelines = build_timelines(view, cites)
    plans = build_plans(view, cites)
    toc = [TocEntry("overview", _("At a glance"))] if overview.headlines else []
    toc += [TocEntry(f"t-{t.id}", t.title) for t in themes]
    toc += [TocEntry("projects", _("Project timelines"))] if timelines.projects else []
    toc += [TocEntry("plans", _("Plans vs outcomes"))] if plans.lines else []
    toc += [TocEntry("sources", _("Sources")), TocEntry("notes-h", _("Source notes"))]
    info = view.linked.site.info
    assert info is not None
    return PrintPage(view.common(view.urls.page("print"), _("Print edition"), author=info.publisher.get(view.lang)),
                     overview, themes, timelines, plans, view.sources_by_date, cites.notes(), tuple(toc),
                     "../" + view.pdf_name(view.lang) if view.pdf else None)


def _root_head(view: View, title: str, description: str, not_found: bool) -> Head:
    """Make the <head> of a page at the site root, which speaks every language (`view` is the articles')."""
    landing = view.urls.page("landing")
    url = base(view.base_url) + landing if view.base_url and not not_found else None
    first, *others = LANGUAGES
    return Head(
        html_lang=first.html_lang, title=title, description=description, og_locale=first.og_locale,
        og_alt_locales=tuple(o.og_locale for o in others), canonical=url,
        alternates=tuple(Alternate(h, u) for h, u in alternates(view.base_url, landing, landing)) if url else (),
        icon="favicon.svg", stylesheets=() if not_found else (Stylesheet("style.css", "all"),),
        inline_css=not_found, json_ld=None, social=not not_found, robots="noindex" if not_found else None)


def build_landing(views: tuple[View, ...]) -> RootPage:
    """Build the landing page at the site root: the title in every language, and a door to each language."""
    info = views[0].linked.site.info
    assert info is not None
    return RootPage(
        _root_head(views[0], " · ".join(info.title.get(v.lang) for v in views),
                   " ".join(info.description.get(v.lang) for v in views), False),
        tuple(info.title.get(v.lang) for v in views),
        tuple(LanguageEntry(v.language.html_lang, v.urls.in_language(v.lang, v.urls.page("overview")), "",
                            info.description.get(v.lang), v.gettext("Read in English")) for v in views))


def build_not_found(views: tuple[View, ...]) -> RootPage:
    """Build the 404 page: it may be served at any depth, so its links are absolute when the address is known."""
    home = base(views[0].base_url) if views[0].base_url else ""
    return RootPage(
        _root_head(views[0], " · ".join(v.gettext("Page not found") for v in views), "", True),
        tuple(v.gettext("Page not found") for v in views),
        tuple(LanguageEntry(v.language.html_lang, home + v.urls.in_language(v.lang, v.urls.page("overview")),
                            v.gettext("This page does not exist."), "", v.gettext("Go to the English overview"))
              for v in views))


# --- The registry ------------------------------------------------------------------------------------------------

PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("overview", "index.html", "overview.html", "site", build_overview, nav="main", title=N_("Overview")),
    PageKind("theme", "{id}.html", "theme.html", "theme", build_theme, nav="themes"),
    PageKind("timelines", "timelines.html", "timelines.html", "site", build_timelines, nav="plans",
             title=N_("Project timelines")),
    PageKind("plans", "plans.html", "plans.html", "site", build_plans, nav="plans", title=N_("Plans vs outcomes")),
    PageKind("sources", "sources.html", "sources.html", "site", build_sources, nav="sources", title=N_("Sources")),
    PageKind("source", "source-{id}.html", "source.html", "source", build_source),
    PageKind("glossary", "glossary.html", "glossary.html", "site", build_glossary, nav="sources", title=N_("Glossary")),
    PageKind("downloads", "downloads.html", "downloads.html", "site", build_downloads, nav="sources", title=N_("Data")),
    PageKind("prose", "{id}.html", "prose.html", "page", build_prose, nav="sources"),
    PageKind("print", "print.html", "print.html", "site", build_print, nav="sources", title=N_("Print edition")),
    PageKind("landing", "index.html", "landing.html", "root", build_landing),
    PageKind("not_found", "404.html", "404.html", "root", build_not_found),
)
"""Every page kind, in the order of the navigation and of the build."""

KINDS = {kind.name: kind for kind in PAGE_KINDS}


@dataclass(frozen=True, slots=True)
class PlannedPage:
    """A page the build will make: its kind, the item it is for (None for one-per-site pages), its path."""

    kind: PageKind
    item: object | None
    path: str
    """Inside each language folder; at the site root for `per == "root"` kinds."""


def _items(linked: Linked, per: str) -> list[tuple[str, object | None, str, int | None]]:
    """Return (id, item, where declared, line) of every item a page kind of `per` is made for."""
    if per in ("site", "root"):
        return [("", None, "", None)]
    records = {"theme": linked.site.themes, "source": linked.site.sources, "page": linked.site.pages,
               "indicator": tuple(r.indicator for rows in linked.rows.values() for r in rows if r.is_series)}[per]
    return [(getattr(r, "id", None) or getattr(r, "slug"), r, r.loc.path, r.loc.line) for r in records]


def plan_pages(linked: Linked) -> tuple[PlannedPage, ...]:
    """List every page of the site; two claiming one output path is a located error naming both."""
    planned: list[PlannedPage] = []
    claimed: dict[str, str] = {}
    errors: list[ContentError] = []
    # The generator's own pages claim their paths first, so that a clash is reported on the content's item.
    for kind in sorted(PAGE_KINDS, key=lambda k: k.per not in ("site", "root")):
        for item_id, item, path, line in _items(linked, kind.per):
            out = kind.path.format(id=item_id)
            key = out if kind.per == "root" else f"<lang>/{out}"
            claimant = f"{kind.per} {item_id!r} ({path}:{line})" if item is not None else f"the {kind.name} page"
            if key in claimed:
                errors.append(ContentError(path, line, f"{item_id}.id",
                                           f"{kind.per} {item_id!r} would be written to {out}, which "
                                           f"{claimed[key]} already claims",
                                           "give it another id (a prose page: another file name)"))
                continue
            claimed[key] = claimant
            planned.append(PlannedPage(kind, item, out))
    if errors:
        raise ContentErrors(errors)
    if errors:
        raise ContentErrors(errors)
    order = {kind.name: i for i, kind in enumerate(PAGE_KINDS)}
    return tuple(sorted(planned, key=lambda p: order[p.kind.name]))


def navigation(planned: tuple[PlannedPage, ...]) -> tuple[NavEntry, ...]:
    """Return the navigation's entries: every planned page of a kind the navigation lists, in registry order."""
    return tuple(NavEntry(p.kind.nav, p.path, p.kind.title, getattr(p.item, "title", None) if p.item else None)
                 for p in planned if p.kind.nav)


def build_page(views: tuple[View, ...], page: PlannedPage):
    """Build one planned page's context: with the first view for a language page (pass the page's language
    first), with every view for a page at the root."""
    if page.kind.per == "root":
        return page.kind.build(views)
    return page.kind.build(views[0]) if page.item is None else page.kind.build(views[0], page.item)


def make_urls(linked: Linked) -> Urls:
    """Return the build's addresses, from the registry."""
    return Urls(KINDS, linked)
