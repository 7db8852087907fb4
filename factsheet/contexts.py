"""The context of each page kind: the contract between a builder (`pages.py`) and its template.

Every field is text already in the page's language, a number, a flag, an address, or another context type below;
no template sees a model object or chooses a language. Each type is frozen and hashable (tuples, not lists or
dicts), so a page's context can be compared and cached. `tests/test_contexts.py` holds every field to a
docstring and every name a template uses to a field.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .parts import (Head, Common, Figure, SourceView, Note)


# --- The page kinds ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Observation:
    """One observation of a series on its indicator page, with the passage it comes from."""

    figure: Figure
    """The observation, formatted (its note number is unused: the passage is shown in place)."""
    quote: str
    """The passage, verbatim (Chinese)."""
    translation: str | None
    """Our translation on pages in another language, else None."""
    source: SourceView
    passage: str
    """Link to the passage on its source's page."""


@dataclass(frozen=True, slots=True)
class PlanStatus:
    """A plan that involves a series: its target, its outcome and its status."""

    href: str
    """The plan's row on the plans page."""
    subject: str
    target: str
    """The target's value and period."""
    outcome: str | None
    """The outcome's value and period, or None."""
    status: str
    status_id: str


@dataclass(frozen=True, slots=True)
class Name:
    """A name in one language."""

    html_lang: str
    text: str
    """The name."""


@dataclass(frozen=True, slots=True)
class IndicatorPage:
    """Context of `indicator.html`: one series, its chart, every observation with its passage, and how to cite it."""

    common: Common
    id: str
    name: str
    names: tuple[Name, ...]
    """The name in every other language."""
    theme: str
    """The theme's title."""
    theme_href: str
    """The series on its theme's page."""
    note: Markup | None
    """What to bear in mind when comparing the observations (the indicator's note), or None."""
    chart: Markup | None
    """Inline SVG, or None."""
    sentence: str | None
    """Said instead of a chart when a drawing would mislead, or None."""
    observations: tuple[Observation, ...]
    """Every observation, in period order."""
    gap: str | None
    """Said when the articles give no figure for the newest year they report, or None."""
    plans: tuple[PlanStatus, ...]
    permalink: str
    """The page's address: absolute with --base-url, else its file name."""
    published: bool
    """Whether `permalink` is the published address (the build was given the site's base URL)."""
    csv: str
    """Link to this series alone as CSV."""
    svg: str | None
    """Link to the chart as an SVG file, or None."""
    cite_zh: str
    """How to cite this series, in Chinese (GB/T 7714 style): the fact sheet, its edition, the articles."""
    cite_en: str
    """How to cite it in English."""


@dataclass(frozen=True, slots=True)
class SeriesBlock:
    """An indicator with its observations: a table, and a chart when they can be drawn."""

    id: str
    """The indicator's id."""
    anchor: str
    """The block's anchor on a theme page (`i-<id>`)."""
    name: str
    note: Markup | None
    """The indicator's note (references linked), or None."""
    figures: tuple[Figure, ...]
    chart: Markup | None
    """Inline SVG, or None."""
    sentence: str | None
    """What the series says in one sentence, shown instead of a chart when a drawing would mislead (all values equal,
    or a rank), or None."""
    conflicts: bool
    """Whether two articles give different figures for the same period."""
    href: str
    """Its indicator's page."""


@dataclass(frozen=True, slots=True)
class ThemePage:
    """Context of `theme.html`: one theme's series and other figures."""

    common: Common
    id: str
    """The theme's id (the print edition's section anchors)."""
    title: str
    intro: str
    lead: tuple[Figure, ...]
    """The latest figure of each indicator the theme opens with (its `lead`), with what is missing."""
    series: tuple[SeriesBlock, ...]
    figures: tuple[Figure, ...]
    """Figures that belong to no series."""
    notes: tuple[Note, ...]
    """The page's source notes; empty in the print edition, which has one run of endnotes."""


@dataclass(frozen=True, slots=True)
class SectionLink:
    """An overview entry pointing into a section."""

    href: str
    title: str
    intro: str
    count: int


@dataclass(frozen=True, slots=True)
class Counts:
    """How much the fact sheet holds."""

    facts: int
    milestones: int
    sources: int
    projects: int
    plans: int
    sources_in_words: str
    """The number of sources as prose writes it (five / 五)."""


@dataclass(frozen=True, slots=True)
class OverviewPage:
    """Context of `overview.html`: headline figures, sections, sources."""

    common: Common
    headlines: tuple[Figure, ...]
    sections: tuple[SectionLink, ...]
    sources: tuple[SourceView, ...]
    """Oldest first."""
    notes: tuple[Note, ...]
    counts: Counts


@dataclass(frozen=True, slots=True)
class Account:
    """One article's account of a figure or a date, where another article gives a different one."""

    text: str
    """The figure or date, with the article's short name."""
    href: str
    """Where it is cited."""


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A figure or a date two articles give differently."""

    subject: str
    accounts: tuple[Account, ...]
    """Each article's account, with where it is cited."""


@dataclass(frozen=True, slots=True)
class Step:
    """A milestone as shown on a timeline."""

    id: str
    anchor: str
    """Its anchor on the timelines page (`m-<id>`)."""
    project: str
    """The project's name."""
    date: str
    label: str
    status: str
    """Done or planned, in words."""
    done: bool
    note_number: int
    """The number of its source note on the page."""
    others: tuple[Account, ...]
    """Another article's different date for this same step (milestones linked by `same_as`)."""
    same: tuple[Account, ...]
    """Another article's record of this same step with the same date (linked by `same_as`): its article's name."""
    note: Markup | None
    """The milestone's note (how its date or status is read from the article), references made links; or None."""


@dataclass(frozen=True, slots=True)
class ProjectTimeline:
    """One project's milestones, in date order."""

    id: str
    name: str
    description: Markup | None
    """What the project is (references linked), or None."""
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class YearSteps:
    """The milestones of one year, across projects."""

    year: int
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class TimelinesPage:
    """Context of `timelines.html`: a timeline per project and one for all projects by year."""

    common: Common
    projects: tuple[ProjectTimeline, ...]
    years: tuple[YearSteps, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class Restatement:
    """The same target stated again by another article."""

    figure: Figure
    """The target as that article states it."""
    anchor: str
    """Its cell's anchor."""
    date: str
    """The publication date of its article."""


@dataclass(frozen=True, slots=True)
class PlanLine:
    """A target as shown, once however many articles state it: its outcome, status and difference in words."""

    id: str
    anchor: str
    """The row's anchor (`plan-<id>`)."""
    also: tuple[str, ...]
    """The anchors of the other plans this row stands for (the same target stated by other articles)."""
    subject: str
    note: Markup | None
    """What to know about the pair (references linked), or None."""
    target: Figure
    target_anchor: str
    """The target cell's anchor (unique on the page, though a fact may be the target of two plans)."""
    target_date: str
    """The publication date of the target's article."""
    restated: tuple[Restatement, ...]
    """The same target as other articles state it."""
    outcome: Figure | None
    """The reported result, or None when no later article reports one."""
    outcome_anchor: str | None
    """The outcome cell's anchor, or None."""
    outcome_date: str | None
    """The publication date of the outcome's article, or None."""
    status: str
    status_id: str
    difference: str | None


@dataclass(frozen=True, slots=True)
class PlanTheme:
    """The plans of one status and one theme."""

    title: str
    """The theme's title."""
    lines: tuple[PlanLine, ...]


@dataclass(frozen=True, slots=True)
class PlanGroup:
    """The plans of one status (met, missed…), by theme."""

    status: str
    status_id: str
    count: int
    themes: tuple[PlanTheme, ...]


@dataclass(frozen=True, slots=True)
class PlansPage:
    """Context of `plans.html`: a summary by status, then the targets by status and theme."""

    common: Common
    groups: tuple[PlanGroup, ...]
    """In the order met, partly met, probably missed, missed, not comparable, no later report."""
    total: int
    """How many targets (each counted once)."""
    notes: tuple[Note, ...]
    records: int
    """How many plan records the data holds (the rows of plans.csv): more than `total` where a later article
    states a target again."""


@dataclass(frozen=True, slots=True)
class BackLink:
    """A link from a cited passage back to a figure or milestone that cites it."""

    href: str
    letter: str
    label: str
    """What cites the passage, as its accessible name."""


@dataclass(frozen=True, slots=True)
class PassageView:
    """A cited passage on its source's page."""

    id: str
    """Its anchor (`q-<8 hex>`)."""
    quote: str
    translation: str | None
    """Our translation on pages in another language, else None."""
    backlinks: tuple[BackLink, ...]


@dataclass(frozen=True, slots=True)
class SourcePage:
    """Context of `source.html`: one article's details and its cited passages with back-links."""

    common: Common
    source: SourceView
    passages: tuple[PassageView, ...]


@dataclass(frozen=True, slots=True)
class SourcesPage:
    """Context of `sources.html`: the list of articles."""

    common: Common
    sources: tuple[SourceView, ...]
    """Oldest first."""
    count: str
    """How many, as prose writes it (five / 五)."""
    disagreements: tuple[Disagreement, ...]
    """Where two articles give different figures or dates for the same thing (none: the page says so)."""


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry."""

    zh: str
    en: str
    note: Markup | str
    """A note on the term in the page's language, or ""."""


@dataclass(frozen=True, slots=True)
class GlossaryPage:
    """Context of `glossary.html`."""

    common: Common
    terms: tuple[Term, ...]
    """In English alphabetical order."""


@dataclass(frozen=True, slots=True)
class ProsePage:
    """Context of `prose.html`: a Markdown page."""

    common: Common
    title: str
    body: Markup
    """The page's HTML, made from Markdown and cleaned by the sanitiser."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a data table, as the downloads page documents it."""

    name: str
    type: str
    """Its type in words (`text, never empty`)."""
    description: str


@dataclass(frozen=True, slots=True)
class TableFiles:
    """A downloadable table: its files, rows and columns."""

    name: str
    title: str
    description: str
    csv: str
    """Link to the CSV file."""
    json: str
    """Link to the JSON file."""
    rows: int
    columns: tuple[Column, ...]
    """The columns, in file order, JSON-only ones included."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit id with how it is written in each language and its multiplier."""

    id: str
    zh: str
    en: str
    factor: str


@dataclass(frozen=True, slots=True)
class DownloadsPage:
    """Context of `downloads.html`: the data files, what their columns mean, the units, how to cite."""

    common: Common
    tables: tuple[TableFiles, ...]
    package: str
    """Link to `datapackage.json`."""
    units: tuple[Unit, ...]
    citation_zh: str
    """How to cite the fact sheet in Chinese (both are shown on either page)."""
    citation_en: str
    """How to cite the fact sheet in English."""
    license: str
    license_url: str
    sources: str
    """How many articles the data package names as sources, as prose writes it."""


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """A figure in the A–Z index."""

    subject: str
    scope: str | None
    """What it covers when not the whole district, or None."""
    value: str
    period: str
    kind: str
    kind_id: str
    source: str
    """The short name of its article."""
    href: str


@dataclass(frozen=True, slots=True)
class IndexGroup:
    """The figures of the A–Z index under one letter."""

    letter: str
    entries: tuple[IndexEntry, ...]
    """By subject."""


@dataclass(frozen=True, slots=True)
class FiguresPage:
    """Context of `figures.html`: every figure from A to Z."""

    common: Common
    groups: tuple[IndexGroup, ...]
    """By letter; Chinese by pinyin."""


@dataclass(frozen=True, slots=True)
class TocEntry:
    """An entry of the print edition's table of contents."""

    anchor: str
    heading: str


@dataclass(frozen=True, slots=True)
class PrintPage:
    """Context of `print.html`: the whole fact sheet on one page, with one run of endnotes.

    The sections are built as for their own pages, but numbered together: a note number belongs to a cited passage,
    numbered where the passage is first cited in reading order, so every marker on the page points at one endnote.
    The sections carry no notes of their own.
    """

    common: Common
    overview: OverviewPage
    themes: tuple[ThemePage, ...]
    timelines: TimelinesPage
    plans: PlansPage
    sources: tuple[SourceView, ...]
    """Oldest first, as on the overview."""
    notes: tuple[Note, ...]
    toc: tuple[TocEntry, ...]
    pdf: str | None
    """The PDF of this language, when the build makes one."""
    address: str | None
    """The site's address (with --base-url), printed on the cover and at the foot of every page, or None."""
    edition: str | None
    """The edition's date, or None when unknown."""
    license: str
    license_url: str
    cite_zh: str
    """How to cite the fact sheet, in Chinese (GB/T 7714)."""
    cite_en: str
    """How to cite it in English."""


@dataclass(frozen=True, slots=True)
class LanguageEntry:
    """A language's door on a page at the site root."""

    html_lang: str
    href: str
    """Its overview."""
    lead: str
    """A sentence before the link (the 404 page), or ""."""
    description: str
    """The site's description in that language, or ""."""
    button: str
    """The link's text in that language."""


@dataclass(frozen=True, slots=True)
class RootPage:
    """Context of `landing.html` and `404.html`, the pages at the site root that speak every language."""

    head: Head
    titles: tuple[str, ...]
    """The site's title (or the page's) in each language, the articles' language first."""
    languages: tuple[LanguageEntry, ...]
