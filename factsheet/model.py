"""Typed content model: what the YAML files become once validated.

The field docstrings below are the content schema's documentation: every key a
content file may use is a field here, and `validate.py` accepts nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .dates import Date, Period
from .languages import LANGUAGES

LANGS: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
"""The language codes, in site order. Every bilingual text of the content has exactly these (`Text`)."""


class ContentError(Exception):
    """A problem in the content, located by file, line and field, with a hint."""

    def __init__(self, path: str, line: int | None, where: str, message: str, hint: str = ""):
        super().__init__(message)
        self.path = path
        self.line = line
        self.where = where
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        loc = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{loc}: {self.where}: {self.message}" if self.where else f"{loc}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def __reduce__(self):
        """Pickle by fields (a second rendering process sends its warnings back pickled)."""
        return type(self), (self.path, self.line, self.where, self.message, self.hint)


class ContentErrors(Exception):
    """Every error found in one run, raised together once a stage has looked at everything."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} content error(s)")
        self.errors = errors

    def __reduce__(self):
        """Pickle by fields, like ContentError."""
        return type(self), (self.errors,)


@dataclass(frozen=True, slots=True)
class Loc:
    """Where an item was written: content file and 1-based line."""

    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Text:
    """A string in both languages; neither may be empty."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in `lang`; an unknown language is an error, never a silent fallback."""
        if lang == "zh":
            return self.zh
        if lang == "en":
            return self.en
        raise KeyError(f"no text in language {lang!r}")


@dataclass(frozen=True, slots=True)
class Html:
    """Markdown already converted to HTML, one per language; safe to insert as is."""

    zh: str
    en: str

    def get(self, lang: str) -> Markup:
        """Return the HTML in `lang`, marked safe: it was made from Markdown and cleaned by the sanitiser."""
        return Markup(Text.get(self, lang))  # type: ignore[arg-type]


# --- Vocabularies ----------------------------------------------------------

UNITS: dict[str, Text] = {
    # unit id: how a value is written in each language ("{}" is the number)
    "percent": Text("{}%", "{}%"),
    "percentage_point": Text("{}个百分点", "{} percentage points"),
    "yuan": Text("{}元", "CNY {}"),
    "10k_yuan": Text("{}万元", "CNY {}"),
    "100m_yuan": Text("{}亿元", "CNY {}"),
    "100m_usd": Text("{}亿美元", "USD {}"),
    "count": Text("{}", "{}"),
    "10k_count": Text("{}万", "{}"),
    "person": Text("{}人", "{} people"),
    "10k_person": Text("{}万人", "{} people"),
    "person_time": Text("{}人次", "{} visits"),
    "10k_person_time": Text("{}万人次", "{} visits"),
    "sq_km": Text("{}平方公里", "{} km²"),
    "sq_m": Text("{}平方米", "{} m²"),
    "10k_sq_m": Text("{}万平方米", "{} m²"),
    "mu": Text("{}亩", "{} mu"),
    "10k_mu": Text("{}万亩", "{} mu"),
    "km": Text("{}公里", "{} km"),
    "m": Text("{}米", "{} m"),
    "times": Text("{}倍", "{}×"),
    "tonne": Text("{}吨", "{} t"),
    "10k_tonne": Text("{}万吨", "{} t"),
    "year": Text("{}年", "{} years"),
    "month": Text("{}个月", "{} months"),
    "day": Text("{}天", "{} days"),
    "hour": Text("{}小时", "{} hours"),
    "rank": Text("第{}", "No. {}"),
    "top": Text("前{}", "top {}"),
}
"""Closed vocabulary of units. Chinese keeps the article's 万/亿; English converts
(`10k_*` ×10⁴, `100m_*` ×10⁸) and names the currency as CNY or USD, never ¥."""

UNIT_SCALE: dict[str, int] = {"10k_count": 10_000, "10k_yuan": 10_000, "100m_yuan": 100_000_000, "100m_usd": 100_000_000,
                              "10k_person": 10_000, "10k_person_time": 10_000, "10k_sq_m": 10_000,
                              "10k_mu": 10_000, "10k_tonne": 10_000}
"""Multiplier from the stored value to the base unit, for units that carry 万 or 亿."""

QUALIFIERS: tuple[str, ...] = ("exact", "over", "about", "nearly", "under")
"""exact; over (以上/超过/突破/逾/多); about (约/左右); nearly (近/接近); under (不足/不到)."""

KINDS: tuple[str, ...] = ("result", "target", "as_of")
"""result: what happened in the period; target: a plan or goal for it; as_of: a total standing at a date."""

EVENTS: tuple[str, ...] = ("signed", "started", "topped_out", "delivered", "completed", "opened",
                           "operating", "approved", "launched", "other")
"""Milestone events: signed (签约), started (开工), topped_out (封顶), delivered (交付),
completed (竣工/建成), opened (开业/开园/投用), operating (投产/运营), approved (获批),
launched (启动/揭牌/发布), other (say what in `label`)."""

STATUSES: tuple[str, ...] = ("met", "missed", "partly", "probably_missed", "not_comparable", "no_report")
"""Plan vs outcome: met, missed, partly met, probably missed (the outcome is likely not the target's final
figure, e.g. undated and possibly not updated), not comparable (the outcome measures something else: another
indicator, scope or unit), or no later report."""


# --- Content records -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Source:
    """One newspaper article: the only kind of place a fact may come from."""

    id: str
    """Short stable id, e.g. `2024-02`; used in URLs (`sources/2024-02.html`)."""
    headline: Text
    """Headline as printed (zh) and our English translation (en)."""
    short: Text
    """A short name for the article, as tables name it next to a note number: 2024年3月访谈 / March 2024 interview."""
    kicker: Text | None
    """Series line printed above the headline, if any."""
    outlet: Text
    """Newspaper, as printed or as inferred (say so)."""
    byline: Text
    """Byline as printed (zh) and transliterated/translated (en)."""
    date: Date
    """Publication date, only as precise as it can be inferred."""
    date_basis: Text
    """How the date was inferred."""
    file: str
    """File name of the text in the sources folder."""
    sha256: str
    """SHA-256 of that file, checked when `--sources` is given."""
    summary: Text
    """Two to four sentences of our own on what the article reports."""
    topics: tuple[Text, ...]
    """A few topics the article covers."""
    loc: Loc


@dataclass(frozen=True, slots=True)
class Theme:
    """A section of indicator tables (economy, innovation, …)."""

    id: str
    title: Text
    intro: Text
    """One or two sentences introducing the section."""
    lead: tuple[str, ...]
    """Indicators whose latest figures open the theme's page, in order (optional)."""
    loc: Loc


@dataclass(frozen=True, slots=True)
class Scope:
    """What a figure covers when it is not the whole district (a park, a zone)."""

    id: str
    name: Text
    loc: Loc


@dataclass(frozen=True, slots=True)
class Citation:
    """The verbatim passage of a source that states a fact or milestone."""

    source: str
    """Source id."""
    quote: str
    """The shortest clause that states the figure, exactly as in the text (white space may differ)."""
    quote_en: str
    """Our English rendering of that clause."""


@dataclass(frozen=True, slots=True)
class Indicator:
    """A measure reported more than once; its facts are its observations, a series."""

    id: str
    theme: str
    name: Text
    unit: str
    note: Text | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure stated by one article."""

    id: str
    """Unique, lower-case, e.g. `2024-02-key-projects`; the anchor `#f-<id>` on the pages."""
    theme: str
    """Theme id."""
    subject: Text
    """What is measured, as a table row heading."""
    value: float | tuple[float, float] | None
    """The number as the article states it, in the article's unit (220.38 for 220.38亿元); a [low, high] pair for a
    range; null only for a ranking the article states in words (unit `rank`, the words in `rank`: 保持全市领先)."""
    unit: str
    """One of UNITS."""
    qualifier: str
    """One of QUALIFIERS."""
    period: Period
    """The time the figure is about (not the article's date)."""
    kind: str
    """One of KINDS."""
    scope: str
    """Scope id, `district` for the whole district, or a project id."""
    citation: Citation
    counter: str
    """Chinese measure word shown after a count (家, 个, 项, 所); empty for none."""
    rank: Text | None
    """A ranking the article gives for this figure (全市第一 / first in Qingdao)."""
    indicator: str | None
    """Indicator id when the figure belongs to a series."""
    note: Text | None
    """What the article leaves unclear, and how we read it."""
    loc: Loc


@dataclass(frozen=True, slots=True)
class Project:
    """A named project, park or area whose milestones are tracked."""

    id: str
    name: Text
    theme: str
    description: Text | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Milestone:
    """A dated step of a project, done or planned, as one article states it."""

    id: str
    project: str
    event: str
    """One of EVENTS."""
    label: Text
    """What happened or is planned, in a short phrase."""
    date: Date
    done: bool
    """True if the article reports it as done, false if planned."""
    citation: Citation
    note: Text | None
    same_as: str | None
    """The id of another article's milestone that reports this same step (the timelines then compare their dates)."""
    loc: Loc


@dataclass(frozen=True, slots=True)
class Plan:
    """A target in one article paired with its outcome in a later one."""

    id: str
    target: str
    """Fact id of the target."""
    outcome: str | None
    """Fact id of the reported result, or null when no later article reports it."""
    status: str
    """One of STATUSES."""
    note: Text | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A recurring term with the one English rendering the site uses."""

    zh: str
    en: str
    note: Text | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Page:
    """A prose page written in Markdown, one file per language."""

    slug: str
    title: Text
    body: Html
    loc: Loc


@dataclass(frozen=True, slots=True)
class Waiver:
    """A passage of an article whose numbers are knowingly not facts (`content/uncited.yaml`)."""

    source: str
    """Source id."""
    quote: str
    """The passage, exactly as in the text (white space may differ); it accounts for every number inside it."""
    reason: str
    """Why its numbers are not facts, in one line of English: "not about Laoshan", "part of a slogan name",
    "date of a meeting, not a milestone", "repeats 2024-03-gdp-growth"."""
    loc: Loc


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """Site-wide text and settings from `content/site.yaml`."""

    title: Text
    short_title: Text
    """The title where space is short (the header on a phone); the title itself when not given."""
    name: str
    """Short name for files: the data package's name and the PDFs' (`laoshan-factsheet-zh.pdf`)."""
    description: Text
    publisher: Text
    license: Text
    license_url: str
    headline_facts: tuple[str, ...]
    """Fact ids shown as the overview's headline figures, in order."""
    loc: Loc


@dataclass(frozen=True, slots=True)
class Site:
    """Everything validated, ready to link."""

    info: SiteInfo | None
    """None when site.yaml has errors."""
    sources: tuple[Source, ...]
    themes: tuple[Theme, ...]
    scopes: tuple[Scope, ...]
    indicators: tuple[Indicator, ...]
    facts: tuple[Fact, ...]
    projects: tuple[Project, ...]
    milestones: tuple[Milestone, ...]
    plans: tuple[Plan, ...]
    glossary: tuple[GlossaryTerm, ...]
    pages: tuple[Page, ...]
    waivers: tuple[Waiver, ...] = ()
    """Passages whose numbers are knowingly not facts; `build.py coverage` reads them."""
    warnings: tuple[ContentError, ...] = field(default=())
    errors: tuple[ContentError, ...] = field(default=())
    """Errors found by validation in records left out of this site; link reports them with its own."""
    invalid: frozenset[str] = field(default=frozenset())
    """Ids of records left out for their errors: a reference to one is not reported again as unknown."""
    complete: bool = True
    """False when a content file could not be read: references into it cannot be checked."""


# --- Derived by link.py ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Passage:
    """A quoted clause of a source, with every fact and milestone that cites it."""

    id: str
    """Anchor on the source page, `q-<8 hex>`, stable while the quote is unchanged."""
    source: str
    quote: str
    quote_en: str
    position: int
    """Offset in the article (white space removed), or -1 when the text was not given."""
    citing: tuple[str, ...]
    """Ids of the facts and milestones that cite it, in site order."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row group of an indicator table: a series (indicator with facts) or a lone fact."""

    id: str
    """Indicator id, or the fact id for a lone fact."""
    theme: str
    name: Text
    unit: str
    facts: tuple[Fact, ...]
    """Observations ordered by period, then source date."""
    indicator: Indicator | None
    conflicts: tuple[str, ...]
    """Ids of facts whose figure differs from another article's for the same period and kind."""

    @property
    def is_series(self) -> bool:
        """A series is an indicator with two or more observations: it gets a chart, its own page and rows in
        `data/series.*`. This is the one definition; an indicator with one observation is a figure reported once."""
        return self.indicator is not None and len(self.facts) >= 2


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A plan with both facts resolved and the difference computed where it is meaningful."""

    plan: Plan
    target: Fact
    outcome: Fact | None
    difference: float | None
    """outcome − target, when both are single numbers in the same unit."""


@dataclass(frozen=True, slots=True)
class Linked:
    """The site with every reference resolved and everything the pages need computed."""

    site: Site
    sources: dict[str, Source]
    themes: dict[str, Theme]
    facts: dict[str, Fact]
    milestones: dict[str, Milestone]
    projects: dict[str, Project]
    scopes: dict[str, Text]
    """Name of every scope id, including project ids."""
    rows: dict[str, tuple[Row, ...]]
    """Theme id → its table rows, in content order."""
    series: dict[str, Row]
    """Indicator id → its series (`Row.is_series`), in theme and content order."""
    fact_home: dict[str, str]
    """Fact id → the theme whose page holds its row (its indicator's theme for a series' observation). Every link
    to a fact goes there; decided here, once."""
    project_milestones: dict[str, tuple[Milestone, ...]]
    """Project id → milestones in date order."""
    passages: dict[str, tuple[Passage, ...]]
    """Source id → its cited passages in article order."""
    passage_of: dict[str, Passage]
    """Fact or milestone id → the passage it cites."""
    plans: tuple[PlanRow, ...]
    newest_year: int | None
    """The latest year for which an article reports a result: a series whose latest figure is older says so."""
    verified: bool
    """True when quotations were checked against the article texts."""
    warnings: tuple[ContentError, ...]
