"""Stage 4: render every page of both languages to bytes — pure, no disk writes.

Each page kind has one context type below; that type is the contract with its template.
"""

from __future__ import annotations

import io
import json
import re
import traceback
from collections.abc import Iterable, Iterator
from itertools import islice
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from re import Match

import jinja2
from markupsafe import Markup
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from . import charts
from .data import PACKAGE, TABLES, TYPE_LABELS, Table, citation, dataset_ld, render_data, unit_legend
from .format import format_amount, format_date, format_number, format_period
from .model import LANGS, ContentError, ContentErrors, Fact, Linked, Milestone, Passage, Row, Source, Text, Theme


def N_(message: str) -> str:
    """Mark a UI string for extraction; it is translated when rendered."""
    return message


LABELS = {
    "result": N_("Result"), "target": N_("Target"), "as_of": N_("Total as of"),
    "met": N_("Met"), "missed": N_("Missed"), "partly": N_("Partly met"),
    "probably_missed": N_("Probably missed"), "not_comparable": N_("Not comparable"), "no_report": N_("No later report"),
    "signed": N_("Signed"), "started": N_("Construction started"), "topped_out": N_("Topped out"),
    "delivered": N_("Delivered"), "completed": N_("Completed"), "opened": N_("Opened"),
    "operating": N_("In operation"), "approved": N_("Approved"), "launched": N_("Launched"),
    "other": N_("Other"), "done": N_("Done"), "planned": N_("Planned"),
}
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
OG_LOCALE = {"zh": "zh_CN", "en": "en_US"}
LANG_NAMES = {"zh": "简体中文", "en": "English"}
PDF_NAME = "laoshan-factsheet-{lang}.pdf"
"""File name of a language's PDF at the site root (made with --pdf)."""


def inline_json(data) -> Markup:
    """Serialise data as JSON to put inside a <script> element: `<`, `>` and `&` escaped as \\u003c, \\u003e and
    \\u0026, so that no text (`</script>`, `<!--`) can end or change the element, and the JSON stays valid.

    >>> inline_json({"a": "</script><!--<script>&"})
    Markup('{"a": "\\\\u003c/script\\\\u003e\\\\u003c!--\\\\u003cscript\\\\u003e\\\\u0026"}')
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# --- Context types -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NavItem:
    """A link in the section navigation."""

    href: str
    label: str
    current: bool


@dataclass(frozen=True, slots=True)
class Note:
    """A numbered citation note on a page: the passage a figure or milestone comes from."""

    number: int
    item_id: str
    """Id of the fact or milestone."""
    anchor: str
    """Anchor of the figure on this page (`f-…` or `m-…`), for the back-link."""
    passage: Passage
    source: Source
    href: str
    """Link to the passage on the source page."""
    source_date: str


@dataclass(frozen=True, slots=True)
class Common:
    """What every page's template gets, whatever its kind."""

    lang: str
    other: str
    html_lang: str
    path: str
    """File name inside the language folder, e.g. `economy.html`."""
    title: str
    description: str
    root: str
    """Relative prefix to the site root: `../` on language pages, empty at the root."""
    nav: tuple[NavItem, ...]
    switch_href: str
    """The same page in the other language."""
    canonical: str | None
    alternates: tuple[tuple[str, str], ...]
    """(hreflang, absolute URL) pairs, x-default included; empty without --base-url."""
    og_locale: str
    og_alt_locale: str
    json_ld: Markup | None
    """Schema.org JSON-LD for the page, serialised with `</` escaped, or None."""
    source_dates: dict[str, str]
    """Source id → its publication date formatted for the page's language."""
    note_label: str
    """Accessible name of a citation marker, with `%(n)s` for its number (translated once, formatted per marker)."""
    back_label: str
    """Accessible name of a note's link back to its figure, with `%(n)s` for the number."""
    pdfs: tuple[tuple[str, str, str], ...] = ()
    """(hreflang, language name, relative link) of each language's PDF, this page's first; empty without --pdf."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A fact as shown in a table row or card: formatted in the page's language."""

    fact: Fact
    value: str
    period: str
    kind: str
    subject: str
    scope: str | None
    rank: str | None
    note_number: int
    conflict: bool


@dataclass(frozen=True, slots=True)
class SeriesBlock:
    """An indicator with its observations: a table, and a chart when it has two or more."""

    row: Row
    figures: tuple[Figure, ...]
    chart: str | None
    """Inline SVG markup, or None."""


@dataclass(frozen=True, slots=True)
class ThemePage:
    """Context of `theme.html`: one theme's series and other figures."""

    common: Common
    theme: Theme
    series: tuple[SeriesBlock, ...]
    figures: tuple[Figure, ...]
    """Figures that belong to no series with two or more observations."""
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class SectionLink:
    """An overview entry pointing into a section."""

    href: str
    title: str
    intro: str
    count: int


@dataclass(frozen=True, slots=True)
class OverviewPage:
    """Context of `overview.html`: headline figures, sections, sources."""

    common: Common
    headlines: tuple[Figure, ...]
    sections: tuple[SectionLink, ...]
    sources: tuple[Source, ...]
    notes: tuple[Note, ...]
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class Step:
    """A milestone as shown on a timeline."""

    milestone: Milestone
    project: str
    date: str
    label: str
    status: str
    note_number: int
    others: tuple[str, ...]
    """Other articles' dates for the same project and event, formatted with their source."""


@dataclass(frozen=True, slots=True)
class ProjectsPage:
    """Context of `projects.html` (written as `timelines.html`): a timeline per project and one for all projects by year."""

    common: Common
    projects: tuple[tuple[str, str, str | None, tuple[Step, ...]], ...]
    """(project id, name, description, steps) per project."""
    years: tuple[tuple[int, tuple[Step, ...]], ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class PlanLine:
    """A plan as shown: target and outcome figures, status and difference in words."""

    id: str
    subject: str
    target: Figure
    target_anchor: str
    target_source: Source
    outcome: Figure | None
    outcome_anchor: str | None
    outcome_source: Source | None
    status: str
    status_id: str
    difference: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class PlansPage:
    """Context of `plans.html`."""

    common: Common
    lines: tuple[PlanLine, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class BackLink:
    """A link from a cited passage back to a figure or milestone that cites it."""

    href: str
    letter: str
    label: str


@dataclass(frozen=True, slots=True)
class SourcePage:
    """Context of `source.html`: one article's details and its cited passages with back-links."""

    common: Common
    source: Source
    passages: tuple[tuple[Passage, tuple[BackLink, ...]], ...]


@dataclass(frozen=True, slots=True)
class SourcesPage:
    """Context of `sources.html`: the list of articles."""

    common: Common
    sources: tuple[tuple[Source, int], ...]
    """Each source with the number of facts and milestones citing it."""


@dataclass(frozen=True, slots=True)
class GlossaryPage:
    """Context of `glossary.html`."""

    common: Common
    terms: tuple


@dataclass(frozen=True, slots=True)
class ProsePage:
    """Context of `prose.html`: a Markdown page."""

    common: Common
    body: str


@dataclass(frozen=True, slots=True)
class DownloadsPage:
    """Context of `downloads.html`: the data files, what their columns mean, the units, how to cite."""

    common: Common
    tables: tuple[tuple[Table, int], ...]
    """Each downloadable table (see `data.TABLES`) with its number of rows."""
    package_href: str
    """Link to `datapackage.json`."""
    type_labels: dict[str, str]
    """Column type → its name in the page's language."""
    units: tuple[tuple[str, str, str, str], ...]
    """(unit id, as written in Chinese, as written in English, multiplier) per unit."""
    citation: Text
    """How to cite the fact sheet, in both languages (both are shown on either page)."""
    license: str
    license_url: str


@dataclass(frozen=True, slots=True)
class PrintPage:
    """Context of `print.html`: the whole fact sheet on one page, with one run of endnotes.

    The section contexts are those of the separate pages, renumbered: a note number belongs to a cited passage,
    numbered where the passage is first cited in reading order, so every marker on the page points at one endnote.
    The section contexts carry no notes of their own.
    """

    common: Common
    overview: OverviewPage
    themes: tuple[ThemePage, ...]
    projects: ProjectsPage
    plans: PlansPage
    sources: tuple[Source, ...]
    """Oldest first, as on the overview."""
    notes: tuple[Note, ...]
    toc: tuple[tuple[str, str], ...]
    """(anchor, heading) of each section, for the table of contents."""
    author: str
    """The publisher, for the document's author metadata."""
    pdf_href: str | None
    """The PDF of this language, when the build makes one."""


# --- Rendering -----------------------------------------------------------------

@dataclass
class Renderer:
    """Builds contexts for one language and renders them with that language's catalog."""

    linked: Linked
    translations: Translations
    lang: str
    base_url: str | None
    pdf: bool = False

    @property
    def other(self) -> str:
        """Return the other language."""
        return "en" if self.lang == "zh" else "zh"

    def gettext(self, message: str) -> str:
        """Translate a UI string."""
        return self.translations.gettext(message)

    def label(self, key: str) -> str:
        """Translate the label of a vocabulary word (kind, status, event)."""
        return self.gettext(LABELS[key])

    @cached_property
    def source_dates(self) -> dict[str, str]:
        """Return each source's date in this language; every page shows them, so format them once."""
        return {s.id: format_date(s.date, self.lang) for s in self.linked.site.sources}

    @cached_property
    def labels(self) -> tuple[str, str]:
        """Return the two labels every citation repeats (see `Common`), translated once rather than per figure."""
        return self.gettext("Source note %(n)s"), self.gettext("Back to figure %(n)s")

    def common(self, path: str, title: str, description: str | None = None, json_ld: dict | None = None) -> Common:
        """Build the shared part of a page context."""
        info = self.linked.site.info
        _ = self.gettext
        nav_items = [("index.html", _("Overview"))]
        nav_items += [(f"{t.id}.html", t.title.get(self.lang)) for t in self.linked.site.themes]
        nav_items += [("timelines.html", _("Project timelines")), ("plans.html", _("Plans vs outcomes")),
                      ("sources.html", _("Sources")), ("glossary.html", _("Glossary")),
                      ("downloads.html", _("Data")), ("about.html", _("About")), ("print.html", _("Print edition"))]
        nav = tuple(NavItem(href, label, href == path) for href, label in nav_items)
        alternates: tuple = ()
        canonical = None
        if self.base_url:
            base = self.base_url.rstrip("/") + "/"
            canonical = f"{base}{self.lang}/{path}"
            alternates = hreflang_alternates(base, path)
        site_title = info.title.get(self.lang)
        return Common(
            lang=self.lang, other=self.other, html_lang=HTML_LANG[self.lang], path=path,
            title=title if title == site_title else f"{title} · {site_title}",
            description=description or info.description.get(self.lang), root="../", nav=nav,
            switch_href=f"../{self.other}/{path}", canonical=canonical, alternates=alternates,
            og_locale=OG_LOCALE[self.lang], og_alt_locale=OG_LOCALE[self.other],
            json_ld=inline_json(json_ld) if json_ld else None,
            source_dates=self.source_dates, note_label=self.labels[0], back_label=self.labels[1],
            pdfs=tuple((HTML_LANG[lang], LANG_NAMES[lang], "../" + PDF_NAME.format(lang=lang))
                       for lang in (self.lang, self.other))
            if self.pdf else ())

    def figure(self, fact: Fact, number: int, conflicts: tuple[str, ...] = ()) -> Figure:
        """Format a fact for display."""
        lang = self.lang
        scope = None if fact.scope == "district" else self.linked.scopes[fact.scope].get(lang)
        return Figure(fact, format_amount(fact.value, fact.unit, fact.qualifier, fact.counter, lang),
                      format_period(fact.period, lang), self.label(fact.kind), fact.subject.get(lang),
                      scope, fact.rank.get(lang) if fact.rank else None, number, fact.id in conflicts)

    def notes(self, items: list[tuple[str, str]]) -> tuple[Note, ...]:
        """Number the citations of (item id, anchor) pairs in page order."""
        out = []
        for number, (item_id, anchor) in enumerate(items, 1):
            passage = self.linked.passage_of[item_id]
            source = self.linked.sources[passage.source]
            out.append(Note(number, item_id, anchor, passage, source, f"source-{passage.source}.html#{passage.id}",
                            format_date(source.date, self.lang)))
        return tuple(out)

    def theme_page(self, theme: Theme) -> ThemePage:
        """Build one theme's page context."""
        rows = self.linked.rows[theme.id]
        order: list[Fact] = []
        series_rows = [r for r in rows if len(r.facts) >= 2]
        lone = [f for r in rows if len(r.facts) < 2 for f in r.facts]
        for row in series_rows:
            order.extend(row.facts)
        order.extend(lone)
        numbers = {f.id: i for i, f in enumerate(order, 1)}
        blocks = []
        for row in series_rows:
            figures = tuple(self.figure(f, numbers[f.id], row.conflicts) for f in row.facts)
            blocks.append(SeriesBlock(row, figures, charts.series_chart(row, figures, self.lang, self.gettext)))
        return ThemePage(
            self.common(f"{theme.id}.html", theme.title.get(self.lang), theme.intro.get(self.lang)),
            theme, tuple(blocks), tuple(self.figure(f, numbers[f.id]) for f in lone),
            self.notes([(f.id, f"f-{f.id}") for f in order]))

    def overview_page(self, json_ld: dict | None) -> OverviewPage:
        """Build the overview's context."""
        ids = self.linked.site.info.headline_facts
        facts = [self.linked.facts[i] for i in ids]
        sections = [SectionLink(f"{t.id}.html", t.title.get(self.lang), t.intro.get(self.lang),
                                sum(len(r.facts) for r in self.linked.rows[t.id])) for t in self.linked.site.themes]
        _ = self.gettext
        site = self.linked.site
        sections += [
            SectionLink("timelines.html", _("Project timelines"), _("Timelines of named projects, parks and areas."),
                        len(site.milestones)),
            SectionLink("plans.html", _("Plans vs outcomes"), _("Targets set in one article and the results reported later."),
                        len(site.plans)),
        ]
        counts = {"facts": len(site.facts), "milestones": len(site.milestones), "sources": len(site.sources),
                  "projects": len(site.projects), "plans": len(site.plans)}
        return OverviewPage(
            self.common("index.html", site.info.title.get(self.lang), json_ld=json_ld),
            tuple(self.figure(f, i) for i, f in enumerate(facts, 1)), tuple(sections),
            self.sources_by_date(), self.notes([(f.id, f"f-{f.id}") for f in facts]), counts)

    def sources_by_date(self) -> tuple[Source, ...]:
        """Return the sources oldest first."""
        return tuple(sorted(self.linked.site.sources, key=lambda s: s.date.sort_key()))

    def step(self, ms: Milestone, number: int, others: tuple[str, ...]) -> Step:
        """Format a milestone for a timeline."""
        return Step(ms, self.linked.projects[ms.project].name.get(self.lang), format_date(ms.date, self.lang),
                    ms.label.get(self.lang), self.label("done" if ms.done else "planned"), number, others)

    def projects_page(self) -> ProjectsPage:
        """Build the projects page context."""
        lang = self.lang
        order = [m for p in self.linked.site.projects for m in self.linked.project_milestones[p.id]]
        numbers = {m.id: i for i, m in enumerate(order, 1)}
        projects = []
        all_steps = []
        for project in self.linked.site.projects:
            milestones = self.linked.project_milestones[project.id]
            steps = []
            for ms in milestones:
                others = tuple(
                    f"{format_date(o.date, lang)} ({self.linked.sources[o.citation.source].headline.get(lang)}, "
                    f"{format_date(self.linked.sources[o.citation.source].date, lang)})"
                    for o in milestones if o.event == ms.event and o.event != "other" and o.date != ms.date
                    and o.done == ms.done)
                step = self.step(ms, numbers[ms.id], others)
                steps.append(step)
                all_steps.append(step)
            projects.append((project.id, project.name.get(lang),
                             project.description.get(lang) if project.description else None, tuple(steps)))
        years: dict[int, list[Step]] = {}
        for step in sorted(all_steps, key=lambda s: (s.milestone.date.sort_key(), s.note_number)):
            years.setdefault(step.milestone.date.year, []).append(step)
        return ProjectsPage(self.common("timelines.html", self.gettext("Project timelines")), tuple(projects),
                            tuple((y, tuple(s)) for y, s in sorted(years.items())),
                            self.notes([(m.id, f"m-{m.id}") for m in order]))

    def plans_page(self) -> PlansPage:
        """Build the plans-vs-outcomes context."""
        lines = []
        items: list[tuple[str, str]] = []
        seen: set[str] = set()

        def cite(fact: Fact) -> tuple[Figure, str]:
            # A fact may appear in two plans; its anchor must stay unique on the page.
            anchor = f"f-{fact.id}" if f"f-{fact.id}" not in seen else f"f-{fact.id}-{len(items) + 1}"
            seen.add(anchor)
            items.append((fact.id, anchor))
            return self.figure(fact, len(items)), anchor

        for row in self.linked.plans:
            target, target_anchor = cite(row.target)
            outcome, outcome_anchor = cite(row.outcome) if row.outcome else (None, None)
            diff = None
            # Over/under outcomes give no usable difference; about/nearly ones give an approximate one.
            if row.difference is not None and row.outcome and row.outcome.qualifier in ("exact", "about", "nearly"):
                sign = "+" if row.difference > 0 else "−" if row.difference < 0 else "±"
                if row.target.unit == "percent":
                    diff = sign + self.gettext("%(n)s percentage points") % {"n": format_number(abs(row.difference), self.lang)}
                else:
                    diff = sign + format_amount(abs(row.difference), row.target.unit, "exact", row.target.counter,
                                                self.lang)
                if row.outcome.qualifier != "exact":
                    diff = self.gettext("about %(difference)s") % {"difference": diff}
            lines.append(PlanLine(
                row.plan.id, row.target.subject.get(self.lang), target, target_anchor,
                self.linked.sources[row.target.citation.source], outcome, outcome_anchor,
                self.linked.sources[row.outcome.citation.source] if row.outcome else None,
                self.label(row.plan.status), row.plan.status, diff,
                row.plan.note.get(self.lang) if row.plan.note else None))
        return PlansPage(self.common("plans.html", self.gettext("Plans vs outcomes")), tuple(lines), self.notes(items))

    def source_page(self, source: Source) -> SourcePage:
        """Build one source page: details and cited passages with back-links."""
        letters = "abcdefghijklmnopqrstuvwxyz"
        passages = []
        for passage in self.linked.passages.get(source.id, ()):
            links = []
            for i, item_id in enumerate(passage.citing):
                if item_id in self.linked.facts:
                    fact = self.linked.facts[item_id]
                    href, label = f"{fact.theme}.html#f-{item_id}", fact.subject.get(self.lang)
                else:
                    ms = self.linked.milestones[item_id]
                    href = f"timelines.html#m-{item_id}"
                    label = f"{self.linked.projects[ms.project].name.get(self.lang)}: {ms.label.get(self.lang)}"
                links.append(BackLink(href, letters[i % 26] * (i // 26 + 1), label))
            passages.append((passage, tuple(links)))
        title = source.headline.get(self.lang)
        return SourcePage(self.common(f"source-{source.id}.html", title, source.summary.get(self.lang)),
                          source, tuple(passages))

    def downloads_page(self, json_ld: dict | None) -> DownloadsPage:
        """Build the downloads page: every table's files and columns, units, licence and citation."""
        _ = self.gettext
        info = self.linked.site.info
        return DownloadsPage(
            self.common("downloads.html", _("Data downloads"),
                        _("Every table of the fact sheet as CSV and JSON, what each column means, and how to cite it."),
                        json_ld=json_ld),
            tuple((t, sum(1 for _ in t.rows(self.linked))) for t in TABLES), f"../{PACKAGE}",
            {k: _(v) for k, v in TYPE_LABELS.items()}, unit_legend(), citation(self.linked, self.base_url),
            info.license.get(self.lang), info.license_url)

    def print_page(self, overview: OverviewPage, themes: tuple[ThemePage, ...], projects: ProjectsPage,
                   plans: PlansPage) -> PrintPage:
        """Build the print edition: every section, renumbered into one run of endnotes by cited passage."""
        numbers: dict[tuple[str, str], int] = {}
        first: list[tuple[str, str]] = []

        def number(item_id: str, anchor: str) -> int:
            """Return the note number of the passage an item cites, numbering it if it is new."""
            passage = self.linked.passage_of[item_id]
            key = (passage.source, passage.id)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                first.append((item_id, anchor))
            return numbers[key]

        def renumber(fig: Figure, anchor: str) -> Figure:
            """Return the figure with its note number in the print edition's run."""
            return replace(fig, note_number=number(fig.fact.id, anchor))

        overview = replace(overview, notes=(), headlines=tuple(
            renumber(f, f"o-f-{f.fact.id}") for f in overview.headlines))
        themes = tuple(replace(
            t, notes=(),
            series=tuple(replace(b, figures=tuple(renumber(f, f"f-{f.fact.id}") for f in b.figures)) for b in t.series),
            figures=tuple(renumber(f, f"f-{f.fact.id}") for f in t.figures)) for t in themes)
        steps = {s.milestone.id: replace(s, note_number=number(s.milestone.id, f"m-{s.milestone.id}"))
                 for *_, project_steps in projects.projects for s in project_steps}
        projects = replace(
            projects, notes=(),
            projects=tuple((pid, name, text, tuple(steps[s.milestone.id] for s in project_steps))
                           for pid, name, text, project_steps in projects.projects),
            years=tuple((year, tuple(steps[s.milestone.id] for s in year_steps))
                        for year, year_steps in projects.years))
        plans = replace(plans, notes=(), lines=tuple(
            replace(line, target=renumber(line.target, f"plan-{line.id}-t"), target_anchor=f"plan-{line.id}-t",
                    outcome=renumber(line.outcome, f"plan-{line.id}-o") if line.outcome else None,
                    outcome_anchor=f"plan-{line.id}-o" if line.outcome else None)
            for line in plans.lines))
        _ = self.gettext
        toc = [("overview", _("At a glance"))] if overview.headlines else []
        toc += [(f"t-{t.theme.id}", t.theme.title.get(self.lang)) for t in themes]
        toc += [("projects", _("Project timelines"))] if projects.projects else []
        toc += [("plans", _("Plans vs outcomes"))] if plans.lines else []
        toc += [("sources", _("Sources")), ("notes-h", _("Source notes"))]
        return PrintPage(self.common("print.html", _("Print edition")), overview, themes, projects, plans,
                         self.sources_by_date(), self.notes(first), tuple(toc),
                         self.linked.site.info.publisher.get(self.lang),
                         "../" + PDF_NAME.format(lang=self.lang) if self.pdf else None)


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per build and shared by the languages' environments (they differ only in
    their translations, which templates look up when rendering)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket with code compiled earlier in this build, if any."""
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep newly compiled code for the other environments."""
        self.code[bucket.key] = bucket.bytecode_to_string()


HAN_RUN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff][\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]*"
                        r"(?:[0-9.%]+[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+)*"
                        r"(?![^<>]*>)")
"""A run of Chinese text (with the numbers inside it), not inside a tag: what follows it is not the end of a tag."""
SKIPPED_RE = re.compile(r'<(script|style|title|textarea)\b[^>]*>|<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*\slang="zh[^"]*"[^>]*>',
                        re.IGNORECASE)
"""The start of an element whose text is left alone: raw text, or already marked as Chinese."""
VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass(frozen=True, slots=True)
class _Open:
    """An element whose text `mark_han` leaves alone, still open where a piece of the page ends."""

    name: str
    raw: bool
    """Raw text (script, style, title, textarea): it ends at its closing tag, whatever is inside."""
    depth: int
    """Elements of the same name open inside it, itself included."""


def _skip_element(html: str, pos: int, element: _Open) -> tuple[int, _Open | None]:
    """Return where `element`, open at `pos`, ends in `html`, and None; or the end of `html` and what is still open."""
    if element.raw:
        close = re.compile(rf"</{element.name}\s*>", re.IGNORECASE).search(html, pos)
        return (close.end(), None) if close else (len(html), element)
    tags = re.compile(rf"<(/?){element.name}\b[^>]*>", re.IGNORECASE)
    end, depth = pos, element.depth
    while depth:
        tag = tags.search(html, end)
        if tag is None:
            return len(html), _Open(element.name, False, depth)
        end = tag.end()
        depth += -1 if tag.group(1) else 0 if tag.group().endswith("/>") else 1
    return end, None


def _wrap_han(match: Match[str]) -> str:
    return f'<span lang="zh-Hans">{match.group()}</span>'


def _mark_piece(html: str, element: _Open | None) -> tuple[str, _Open | None]:
    """Mark Chinese in a piece of a page that ends where a tag starts (or at the page's end); `element` is the
    skipped element open where the piece starts. Return the marked piece and the element open where it ends."""
    out = []
    done = 0
    if element:
        done, element = _skip_element(html, 0, element)
        out.append(html[:done])
    starts = SKIPPED_RE.finditer(html, done)
    while element is None:
        start = next(starts, None)
        if start is None:
            out.append(HAN_RUN_RE.sub(_wrap_han, html[done:]))
            break
        if start.start() < done:
            continue  # inside an element already skipped
        out.append(HAN_RUN_RE.sub(_wrap_han, html[done:start.start()]))
        raw, name = start.group(1), (start.group(1) or start.group(2)).lower()
        if not raw and (name in VOID_TAGS or start.group().endswith("/>")):
            end = start.end()
        else:
            end, element = _skip_element(html, start.end(), _Open(name, bool(raw), 1))
        out.append(html[start.start():end])
        done = end
    return "".join(out), element


def mark_han(html: str) -> str:
    """Wrap Chinese text that is not already inside a lang="zh…" element in <span lang="zh-Hans">.

    English pages quote Chinese in many places (Markdown prose, glossary notes); marking it here, once,
    lets screen readers and font fallback treat it as Chinese wherever it comes from. Text inside
    script, style, title and textarea, and inside tags (attribute values), is left alone.

    >>> mark_han('<p>Term 城市更新 means <span lang="zh-Hans">城市<b>更新</b></span> <i title="城市">x</i></p>')
    '<p>Term <span lang="zh-Hans">城市更新</span> means <span lang="zh-Hans">城市<b>更新</b></span> <i title="城市">x</i></p>'
    """
    return _mark_piece(html, None)[0]


def mark_han_pieces(pieces: Iterable[str]) -> Iterator[str]:
    """`mark_han` over a page that comes in pieces (as Jinja generates it), without joining the whole page.

    Pieces are gathered and cut just before their last "<": Chinese text cannot run across a tag, so each cut
    piece marks exactly as the whole page would; an element left open at a cut is carried to the next piece.

    >>> "".join(mark_han_pieces(['<p>城', '市 <span lang="zh-Hans">更', '新</span> 区</p>']))
    '<p><span lang="zh-Hans">城市</span> <span lang="zh-Hans">更新</span> <span lang="zh-Hans">区</span></p>'
    """
    carried = ""
    element: _Open | None = None
    for batch in _batches(pieces):
        text = carried + "".join(batch)
        cut = text.rfind("<")
        if cut <= 0:
            carried = text
            continue
        marked, element = _mark_piece(text[:cut], element)
        yield marked
        carried = text[cut:]
    yield _mark_piece(carried, element)[0]


def _batches(pieces: Iterable[str], size: int = 4096) -> Iterator[list[str]]:
    """Group pieces by `size`, so that per-piece work happens in C (`islice`, `str.join`), not in a Python loop."""
    pieces = iter(pieces)
    while batch := list(islice(pieces, size)):
        yield batch


def joined(pieces: Iterable[str]) -> Iterator[str]:
    """Join a page's pieces into blocks of 4,096 pieces, as `mark_han_pieces` does, to write as they come."""
    return ("".join(batch) for batch in _batches(pieces))


def make_env(templates_dir: Path, translations: Translations,
             compiled: CompiledTemplates | None = None) -> jinja2.Environment:
    """Create a Jinja environment for one language."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir), undefined=jinja2.StrictUndefined,
                             autoescape=True, extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, bytecode_cache=compiled)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["labels"] = LABELS
    return env


class CheckedTranslations(Translations):
    """A language's catalog that notes every UI string it is asked for and does not translate.

    Every page is rendered in both languages, so the strings noted are exactly those a reader would see
    untranslated; `tests/test_catalogs.py` checks the strings of branches the content does not reach.
    """

    def __init__(self, fp=None) -> None:
        super().__init__(fp)
        self.missing: set[str] = set()

    def gettext(self, message: str) -> str:
        """Translate `message`, noting it if the catalog lacks it."""
        if message not in self._catalog:
            self.missing.add(message)
        return super().gettext(message)


def load_translations(locale_dir: Path, lang: str) -> tuple[CheckedTranslations, Path]:
    """Read a language's catalog straight from its .po file (empty and fuzzy entries count as missing)."""
    po_path = locale_dir / lang / "LC_MESSAGES" / "messages.po"
    try:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
    except (OSError, ValueError, PoFileError) as exc:
        line = exc.lineno + 1 if isinstance(exc, PoFileError) else None  # Babel counts lines from 0
        reason = re.sub(r" on \d+$", "", str(exc))
        raise ContentErrors([ContentError(po_path.as_posix(), line, "", f"cannot read the {lang} catalog: {reason}",
                                          "restore it from git, or run pybabel update (see README)")]) from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return CheckedTranslations(buffer), po_path


def missing_translations(translations: CheckedTranslations, po_path: Path, lang: str) -> list[ContentError]:
    """Return a warning for each UI string a rendered page asked `translations` for and it lacked."""
    return [ContentError(po_path.as_posix(), None, "msgid", f"UI string {message!r} has no {lang} translation",
                         "run pybabel extract and update (see README), then translate it")
            for message in sorted(translations.missing)]


Body = Iterable[bytes]
"""A file's content as blocks of bytes, made as they are asked for: a page is written while it is rendered."""


def render_site(linked: Linked, templates_dir: Path, locale_dir: Path, base_url: str | None, pdf: bool = False,
                warnings: list[ContentError] | None = None, langs: tuple[str, ...] = LANGS) -> Iterator[tuple[str, Body]]:
    """Render the site one file at a time: yield (output path, body) for every page of `langs`, then the files
    shared by both languages. Stage 5 writes each body as it is made, so no page is ever held whole in memory;
    consume each body before asking for the next file. The pipeline may render a language in a second process
    with `render_language` and leave it out of `langs`.

    UI strings a catalog lacks are appended to `warnings` as each language is finished.
    """
    compiled = CompiledTemplates()
    names: list[str] = []
    yield from _guarded(_render_shared(linked, templates_dir, locale_dir, base_url, pdf, warnings, langs, compiled,
                                       names), templates_dir)


def _render_shared(linked: Linked, templates_dir: Path, locale_dir: Path, base_url: str | None, pdf: bool,
                   warnings: list[ContentError] | None, langs: tuple[str, ...], compiled: CompiledTemplates,
                   names: list[str]) -> Iterator[tuple[str, Body]]:
    """Yield the files of `render_site`."""
    for lang in langs:
        for name, body in render_language(linked, templates_dir, locale_dir, lang, base_url, pdf, compiled, warnings):
            names.append(name)
            yield name, body
    root_env = make_env(templates_dir, Translations(), compiled)
    yield "index.html", (root_env.get_template("landing.html").render(info=linked.site.info, base_url=base_url).encode(),)
    yield "404.html", (root_env.get_template("404.html").render(
        info=linked.site.info, base_url=base_url, css=Markup((templates_dir / "style.css").read_text("utf-8"))).encode(),)
    for name in ("style.css", "print.css", "favicon.svg", "lang.js"):
        yield name, ((templates_dir / name).read_bytes(),)
    yield ".nojekyll", (b"",)
    yield from render_data(linked, base_url)
    if base_url:
        for name, data in _sitemap(names, base_url):
            yield name, (data,)


def template_error(exc: jinja2.TemplateError, templates_dir: Path) -> ContentError:
    """Locate a template's error by file and line: a syntax error knows its place; an error while rendering (an
    undefined name) is found in the traceback, which Jinja rewrites to point into the template."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return ContentError((templates_dir / (exc.name or exc.filename or "?")).as_posix(), exc.lineno, "",
                            f"template syntax error: {exc.message}", "fix the template (Jinja syntax)")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(str(templates_dir))]
    where = frames[-1] if frames else None
    return ContentError(where.filename if where else templates_dir.as_posix(), where.lineno if where else None, "",
                        f"template error: {exc}", "every name a template uses must be a field of its context")


def _guarded(files: Iterator[tuple[str, Body]], templates_dir: Path) -> Iterator[tuple[str, Body]]:
    """Pass files through, turning a template's error while making them into a located `ContentErrors`."""
    def body(blocks: Body) -> Body:
        try:
            yield from blocks
        except jinja2.TemplateError as exc:
            raise ContentErrors([template_error(exc, templates_dir)]) from None
    try:
        for name, blocks in files:
            yield name, body(blocks)
    except jinja2.TemplateError as exc:
        raise ContentErrors([template_error(exc, templates_dir)]) from None


def render_language(linked: Linked, templates_dir: Path, locale_dir: Path, lang: str, base_url: str | None,
                    pdf: bool = False, compiled: CompiledTemplates | None = None,
                    warnings: list[ContentError] | None = None) -> Iterator[tuple[str, Body]]:
    """Yield (output path, body) for every page of one language; append its untranslated UI strings to `warnings`."""
    return _guarded(_render_language(linked, templates_dir, locale_dir, lang, base_url, pdf, compiled, warnings),
                    templates_dir)


def _render_language(linked: Linked, templates_dir: Path, locale_dir: Path, lang: str, base_url: str | None,
                     pdf: bool, compiled: CompiledTemplates | None,
                     warnings: list[ContentError] | None) -> Iterator[tuple[str, Body]]:
    """Yield the pages of `render_language`."""
    translations, po_path = load_translations(locale_dir, lang)
    env = make_env(templates_dir, translations, compiled)
    r = Renderer(linked, translations, lang, base_url, pdf)

    def page(name: str, template: str, context) -> tuple[str, Body]:
        pieces = env.get_template(template).generate(page=context, common=context.common)
        blocks = mark_han_pieces(pieces) if lang == "en" else joined(pieces)
        return f"{lang}/{name}", (block.encode("utf-8") for block in blocks)

    data_ld = dataset_ld(linked, lang, base_url)
    overview = r.overview_page(data_ld)
    yield page("index.html", "overview.html", overview)
    # The print edition reuses the section contexts with its own note numbers: keep them without their notes.
    themes = []
    for theme in linked.site.themes:
        context = r.theme_page(theme)
        yield page(f"{theme.id}.html", "theme.html", context)
        themes.append(replace(context, notes=()))
    projects = r.projects_page()
    yield page("timelines.html", "projects.html", projects)
    projects = replace(projects, notes=())
    plans = r.plans_page()
    yield page("plans.html", "plans.html", plans)
    plans = replace(plans, notes=())
    yield page("sources.html", "sources.html", SourcesPage(
        r.common("sources.html", r.gettext("Sources")),
        tuple((s, sum(len(p.citing) for p in linked.passages.get(s.id, ()))) for s in r.sources_by_date())))
    for source in linked.site.sources:
        yield page(f"source-{source.id}.html", "source.html", r.source_page(source))
    yield page("glossary.html", "glossary.html", GlossaryPage(
        r.common("glossary.html", r.gettext("Glossary")), tuple(sorted(linked.site.glossary, key=lambda t: t.en.lower()))))
    for prose in linked.site.pages:
        yield page(f"{prose.slug}.html", "prose.html",
                   ProsePage(r.common(f"{prose.slug}.html", prose.title.get(lang)), prose.body.get(lang)))
    yield page("downloads.html", "downloads.html", r.downloads_page(data_ld))
    edition = r.print_page(overview, tuple(themes), projects, plans)
    del overview, themes, projects, plans  # replaced by the edition's renumbered copies: let them go before it renders
    yield page("print.html", "print.html", edition)
    if warnings is not None:
        warnings.extend(missing_translations(translations, po_path, lang))


def hreflang_alternates(base: str, path: str) -> tuple[tuple[str, str], ...]:
    """Return the (hreflang, absolute URL) set of a page in both languages; x-default is the landing page for
    the overview and the Chinese page otherwise (the articles' language)."""
    return ((HTML_LANG["zh"], f"{base}zh/{path}"), (HTML_LANG["en"], f"{base}en/{path}"),
            ("x-default", f"{base}index.html" if path == "index.html" else f"{base}zh/{path}"))


def _sitemap(names: list[str], base_url: str) -> Iterator[tuple[str, bytes]]:
    """Yield sitemap.xml listing every language page of `names` in both languages, with its hreflang alternates,
    and robots.txt pointing at it."""
    base = base_url.rstrip("/") + "/"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    pages = sorted({p.split("/", 1)[1] for p in names if p.endswith(".html") and p[:3] in ("zh/", "en/")})
    locations = [(f"{base}{lang}/{name}", name) for name in pages for lang in LANGS]
    for loc, name in [(f"{base}index.html", "index.html")] + locations:
        lines.append(f"  <url><loc>{loc}</loc>")
        for hreflang, href in hreflang_alternates(base, name):
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{hreflang}" href="{href}"/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    yield "sitemap.xml", ("\n".join(lines) + "\n").encode()
    yield "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n".encode()
