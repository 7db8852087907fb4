"""Every page kind, declared once (`PAGE_KINDS`), the plan of the site's pages, and the page builders.

A builder is a pure function of a `View` (one language's formatting and addresses) and, for pages made per item,
the item: it returns the page's context (`contexts.py`). `plan_pages` lists every page the content makes and
reports two things claiming one output path as an error naming both (MkDocs' `files_by_dest.setdefault`).
Adding a page kind is one entry here, one builder, one template, its UI strings and a test. The timelines' and
plans pages' builders are in plans.py, the note numbering they all share in citations.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import charts
from .contexts import (BackLink, Column, Counts, DownloadsPage, GlossaryPage, IndicatorPage, LanguageEntry, Name,
                       Observation, OverviewPage, PassageView, PlanStatus, PrintPage, ProsePage, RootPage,
                       SectionLink, SeriesBlock, SourcePage, SourcesPage, TableFiles, Term, ThemePage, TocEntry,
                       Unit)
from .parts import Alternate, Figure, Head, Stylesheet
from .data import citation, dataset_ld, unit_legend
from .tables import PACKAGE, TABLES, TYPE_LABELS
from .format import format_count, format_date, format_list, format_period
from .languages import LANGUAGES
from .model import ContentError, ContentErrors, Fact, Indicator, Linked, Page, Row, Source, Theme
from .search import build_figures
from .templating import N_
from .urls import PageKind, Urls, alternates, base, fact_anchor, series_anchor
from .views import NavEntry, View
from .citations import Citations, page_citations
from .plans import build_plans, build_timelines, disagreements, targets


# --- Builders ----------------------------------------------------------------------------------------------------

def build_overview(view: View, citations: Citations | None = None, prefix: str = "") -> OverviewPage:
    """Build the overview: headline figures, the sections, the sources."""
    cites, own = page_citations(view, citations)
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
                    len(targets(linked))),
    ]
    return OverviewPage(
        view.common(view.urls.page("overview"), site.info.title.get(view.lang),
                    json_ld=dataset_ld(linked, view.urls, view.lang, view.base_url)),
        tuple(headlines), tuple(sections), view.sources_by_date, cites.notes() if own else (),
        Counts(len(site.facts), len(site.milestones), len(site.sources), len(site.projects), len(targets(linked)),
               format_count(len(site.sources), view.lang)))


def _latest(row: Row) -> Fact | None:
    """Return a series' latest reported figure (a result or a total; a target only when there is nothing else)."""
    reported = [f for f in row.facts if f.kind != "target"] or list(row.facts)
    return max(reported, key=lambda f: f.period.sort_key(), default=None)


def _gap(view: View, row: Row) -> str | None:
    """Say so when the articles report results for a newer year than a series' latest figure."""
    latest = _latest(row)
    newest = view.linked.newest_year
    if latest is None or latest.kind == "target" or newest is None:
        return None
    if (latest.period.end or latest.period.start).year >= newest:
        return None
    return view.gettext("No %(year)s figure for “%(name)s” in these articles; latest: %(value)s for %(period)s.") % {
        "year": newest, "name": row.name.get(view.lang),
        "value": view.value(latest),
        "period": format_period(latest.period, view.lang)}


def _chart(view: View, row: Row, figures: tuple[Figure, ...]) -> charts.Chart:
    """Draw a series, with a source line naming its articles and the fact sheet: once per language, however many
    pages show it (the drawing depends on the series and its text, not on the page's note numbers)."""
    line = _source_line(view, row)
    key = (view.lang, row, line)
    if key not in view.charts:
        view.charts[key] = charts.series_chart(row, figures, view.lang, view.gettext, line)
    return view.charts[key]


def chart_of(view: View, indicator_id: str) -> charts.Chart:
    """Return the chart of one series, in the view's language."""
    row = view.linked.series[indicator_id]
    return _chart(view, row, tuple(view.figure(f, 0, row.conflicts) for f in row.facts))


def build_theme(view: View, theme: Theme, citations: Citations | None = None) -> ThemePage:
    """Build one theme's page: the latest figures it opens with, its series (with charts), then the figures
    reported once."""
    cites, own = page_citations(view, citations)
    rows = view.linked.rows[theme.id]
    by_id = {r.id: r for r in rows}
    lead = []
    for ind_id in theme.lead:
        row = by_id.get(ind_id)
        latest = _latest(row) if row else None
        if row and latest:
            anchor = f"lead-{fact_anchor(latest.id)}"
            lead.append(replace(view.figure(latest, cites.cite(latest.id, anchor), anchor=anchor), gap=_gap(view, row)))
    blocks = []
    for row in (r for r in rows if r.is_series):
        figures = tuple(view.figure(f, cites.cite(f.id, fact_anchor(f.id)), row.conflicts) for f in row.facts)
        chart = _chart(view, row, figures)
        blocks.append(SeriesBlock(row.id, series_anchor(row.id), row.name.get(view.lang),
                                  view.rich(row.indicator.note) if row.indicator else None, figures,
                                  chart.svg, chart.sentence, bool(row.conflicts), view.urls.indicator(row.id)))
    lone = tuple(view.figure(f, cites.cite(f.id, fact_anchor(f.id)))
                 for r in rows if not r.is_series for f in r.facts)
    return ThemePage(view.common(view.urls.page("theme", theme.id), theme.title.get(view.lang),
                                 theme.intro.get(view.lang)),
                     theme.id, theme.title.get(view.lang), theme.intro.get(view.lang), tuple(lead), tuple(blocks),
                     lone, cites.notes() if own else ())


def build_indicator(view: View, indicator: Indicator) -> IndicatorPage:
    """Build one series' page: its chart, every observation with its passage, its plans, how to cite it."""
    linked, lang = view.linked, view.lang
    row = linked.series[indicator.id]
    figures = tuple(view.figure(f, 0, row.conflicts) for f in row.facts)
    chart = chart_of(view, indicator.id)
    observations = []
    for fact, figure in zip(row.facts, figures):
        passage = linked.passage_of[fact.id]
        observations.append(Observation(figure, passage.quote, None if view.language.is_source else passage.quote_en,
                                        view.sources[passage.source], view.urls.passage(passage)))
    groups, index = _plans_of_facts(view)
    mine = sorted({i for f in row.facts for i in index.get(f.id, ())})
    plans = tuple(PlanStatus(
        view.urls.plan(p.plan.id), p.target.subject.get(lang), _value_and_period(view, p.target),
        _value_and_period(view, p.outcome) if p.outcome else None, view.label(p.plan.status), p.plan.status)
        for p, *_ in (groups[i] for i in mine))
    path = view.urls.indicator(indicator.id)
    permalink = (f"{base(view.base_url)}{view.urls.in_language(lang, path)}" if view.base_url else path)
    cite_zh, cite_en = _cite(view, indicator, row, permalink if view.base_url else None)
    return IndicatorPage(
        view.common(path, indicator.name.get(lang), view.gettext("Every reported figure of “%(name)s”, with the "
                                                               "passage it comes from.") % {"name": indicator.name.get(lang)}),
        indicator.id, indicator.name.get(lang),
        tuple(Name(other.html_lang, indicator.name.get(other.code)) for other in LANGUAGES if other != view.language),
        linked.themes[row.theme].title.get(lang), f"{view.urls.page('theme', row.theme)}#{series_anchor(row.id)}",
        view.rich(indicator.note), chart.svg, chart.sentence, tuple(observations), _gap(view, row), plans, permalink,
        bool(view.base_url),
        "../" + view.urls.series_csv(indicator.id),
        "../" + view.urls.series_svg(indicator.id, lang) if chart.standalone else None, cite_zh, cite_en)


def _plans_of_facts(view: View) -> tuple[list, dict[str, tuple[int, ...]]]:
    """Return `targets` and, by fact id, the positions of the groups whose target, outcome or restated target it is;
    made once per view (`View.plans_of_facts`)."""
    if view.plans_of_facts is None:
        groups = targets(view.linked)
        index: dict[str, set[int]] = {}
        for i, (first, *restated) in enumerate(groups):
            for fact in (first.target, first.outcome, *(r.target for r in restated)):
                if fact is not None:
                    index.setdefault(fact.id, set()).add(i)
        view.plans_of_facts = groups, {fact_id: tuple(sorted(found)) for fact_id, found in index.items()}
    return view.plans_of_facts


def _value_and_period(view: View, fact: Fact) -> str:
    """Write a figure with its period: 315个 (2024年)."""
    value = view.value(fact)
    return view.gettext("%(value)s (%(period)s)") % {"value": value, "period": format_period(fact.period, view.lang)}


def _cite(view: View, indicator: Indicator, row: Row, url: str | None) -> tuple[str, str]:
    """Return how to cite a series, in Chinese (GB/T 7714, full-width punctuation) and in English: the fact sheet,
    its edition and address, and every article its observations come from."""
    info = view.linked.site.info
    assert info is not None
    sources = [view.linked.sources[s] for s in dict.fromkeys(f.citation.source for f in row.facts)]
    edition = view.edition
    zh = f"{info.publisher.zh}．{info.title.zh}：{indicator.name.zh}［DS/OL］．"
    zh += f"版本日期：{format_date(edition, 'zh')}．" if edition else ""
    zh += f"{url}．" if url else ""
    zh += "数据出自：" + "；".join(f"{s.headline.zh}［N］．{s.outlet.zh}，{format_date(s.date, 'zh')}" for s in sources) + "．"
    en = f"{info.publisher.en}"
    en += f" ({format_date(edition, 'en')})" if edition else ""
    en += f". {indicator.name.en} [Data set]. In {info.title.en}."
    en += f" {url}." if url else ""
    en += " Data from: " + "; ".join(f"“{s.headline.zh}” [{s.headline.en}], {s.outlet.en}, {format_date(s.date, 'en')}"
                                     for s in sources) + "."
    return zh, en


def _source_line(view: View, row: Row) -> str:
    """Return a chart's source line: the dates of the articles its figures come from, oldest first, and the site."""
    ids = sorted({f.citation.source for f in row.facts}, key=lambda s: (view.linked.sources[s].date.sort_key(), s))
    dates = list(dict.fromkeys(view.sources[s].date for s in ids))
    info = view.linked.site.info
    assert info is not None
    return view.gettext("Source: %(sources)s · %(site)s") % {
        "sources": (view.gettext("articles of %(dates)s") if len(ids) > 1 else view.gettext("article of %(dates)s"))
        % {"dates": format_list(dates, view.lang)},
        "site": info.title.get(view.lang)}


def build_sources(view: View) -> SourcesPage:
    """Build the list of articles, with where they disagree."""
    return SourcesPage(view.common(view.urls.page("sources"), view.gettext("Sources")), view.sources_by_date,
                       format_count(len(view.sources), view.lang), disagreements(view))


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
                label = view.milestone_name(linked.milestones[item_id])
            links.append(BackLink(view.urls.item(item_id), letters[i % 26] * (i // 26 + 1), label))
        passages.append(PassageView(passage.id, passage.quote, None if view.language.is_source else passage.quote_en,
                                    tuple(links)))
    return SourcePage(view.common(view.urls.source(source.id), source.headline.get(lang), source.summary.get(lang)),
                      view.sources[source.id], tuple(passages))


def build_glossary(view: View) -> GlossaryPage:
    """Build the glossary, in English alphabetical order."""
    terms = sorted(view.linked.site.glossary, key=lambda t: t.en.lower())
    return GlossaryPage(view.common(view.urls.page("glossary"), view.gettext("Glossary")),
                        tuple(Term(t.zh, t.en, view.rich(t.note) or "") for t in terms))


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
    cite = citation(view.linked, view.urls, view.base_url, view.edition)
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
    toc += [TocEntry("plans", _("Plans vs outcomes"))] if plans.groups else []
    toc += [TocEntry("sources", _("Sources")), TocEntry("notes-h", _("Source notes"))]
    info = view.linked.site.info
    assert info is not None
    cite = citation(view.linked, view.urls, view.base_url, view.edition)
    return PrintPage(view.common(view.urls.page("print"), _("Print edition"), author=info.publisher.get(view.lang)),
                     overview, themes, timelines, plans, view.sources_by_date, cites.notes(), tuple(toc),
                     "../" + view.pdf_name(view.lang) if view.pdf else None,
                     base(view.base_url) + view.urls.page("landing") if view.base_url else None,
                     format_date(view.edition, view.lang) if view.edition else None,
                     info.license.get(view.lang), info.license_url, cite.zh, cite.en)


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
    PageKind("indicator", "indicator-{id}.html", "indicator.html", "indicator", build_indicator),
    PageKind("timelines", "timelines.html", "timelines.html", "site", build_timelines, nav="plans",
             title=N_("Project timelines")),
    PageKind("plans", "plans.html", "plans.html", "site", build_plans, nav="plans", title=N_("Plans vs outcomes")),
    PageKind("sources", "sources.html", "sources.html", "site", build_sources, nav="sources", title=N_("Sources")),
    PageKind("source", "source-{id}.html", "source.html", "source", build_source),
    PageKind("glossary", "glossary.html", "glossary.html", "site", build_glossary, nav="sources", title=N_("Glossary")),
    PageKind("downloads", "downloads.html", "downloads.html", "site", build_downloads, nav="sources", title=N_("Data")),
    PageKind("prose", "{id}.html", "prose.html", "page", build_prose, nav="sources"),
    PageKind("figures", "figures.html", "figures.html", "site", build_figures, nav="sources",
             title=N_("A–Z index of figures")),
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
               "indicator": tuple(r.indicator for r in linked.series.values())}[per]
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
