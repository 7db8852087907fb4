"""The pieces every page kind's context is made of: the shared page parts (head, navigation, footer links), and
figures, sources and notes as pages show them. Like the page contexts (`contexts.py`), every field is documented
and every type frozen and hashable.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


# --- Shared by every page ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NavItem:
    """A link in the navigation."""

    href: str
    label: str
    """The page's name in the navigation."""
    current: bool
    """Whether it is the page being read."""


@dataclass(frozen=True, slots=True)
class NavGroup:
    """A group of navigation links (themes; timelines and plans; sources and data)."""

    id: str
    """The group's key in the registry (`main`, `themes`, `plans`, `sources`)."""
    label: str
    """The group's heading in the menu."""
    items: tuple[NavItem, ...]
    current: bool
    """Whether the page being read is in this group."""


@dataclass(frozen=True, slots=True)
class LanguageLink:
    """The same page in another language."""

    href: str
    html_lang: str
    name: str
    """The language's short name in itself (中文, English)."""


@dataclass(frozen=True, slots=True)
class Alternate:
    """An hreflang alternate of a page: one language's absolute address, or x-default."""

    hreflang: str
    href: str


@dataclass(frozen=True, slots=True)
class Stylesheet:
    """A stylesheet the page links to."""

    href: str
    media: str
    """`all`, or `print` for the print stylesheet."""


@dataclass(frozen=True, slots=True)
class Head:
    """What `_head.html` writes into a page's <head>: title, description, social cards, alternates, styles."""

    html_lang: str
    title: str
    description: str
    og_locale: str
    og_alt_locales: tuple[str, ...]
    """Open Graph locales of the page's other languages."""
    canonical: str | None
    """The page's absolute address; None without --base-url."""
    alternates: tuple[Alternate, ...]
    """Every language's address and x-default; empty without --base-url."""
    icon: str
    """Link to the favicon."""
    stylesheets: tuple[Stylesheet, ...]
    inline_css: bool
    """Whether the stylesheet is inlined (the 404 page, which may be served at any depth)."""
    json_ld: Markup | None
    """Schema.org JSON-LD, with `<`, `>` and `&` escaped, or None."""
    social: bool
    """Whether to write Open Graph and Twitter card tags (not on the 404 page)."""
    robots: str | None
    """A robots directive (`noindex` on the 404 page), or None."""
    author: str | None = None
    """The document's author (the print edition's metadata), or None."""


@dataclass(frozen=True, slots=True)
class PdfLink:
    """A language's PDF edition."""

    hreflang: str
    name: str
    """The language's name in itself."""
    href: str


@dataclass(frozen=True, slots=True)
class Common:
    """What every language page's template gets, whatever its kind."""

    lang: str
    """The page's language code (`zh`, `en`)."""
    head: Head
    path: str
    """File name inside the language folder, e.g. `economy.html`."""
    root: str
    """Relative prefix to the site root: `../` on language pages."""
    brand: str
    """The site's title, in the header."""
    brand_short: str
    """The site's short title, in the header on a phone."""
    search: str
    """Link to the A–Z index, where the search field leads without script."""
    search_index: str
    """Path from the site root of this language's search index (a script)."""
    home: str
    """Link to the overview."""
    nav: tuple[NavGroup, ...]
    """The navigation, by group, in registry order."""
    languages: tuple[LanguageLink, ...]
    """The same page in each other language (the language switch)."""
    translated: bool
    """Whether the page's language is not the articles': quotations then come with our translation."""
    footer: str
    """The footer's line on where the figures come from (counts and years from the content)."""
    about: str
    """Link to the about page (prose page `about`), or "" when there is none."""
    downloads: str
    """Link to the data downloads."""
    print_edition: str
    """Link to the print edition."""
    note_label: str
    """Accessible name of a citation marker, with `%(n)s` for its number (translated once, formatted per marker)."""
    back_label: str
    """Accessible name of a note's link back to its figure, with `%(n)s` for the number."""
    pdfs: tuple[PdfLink, ...] = ()
    """Each language's PDF, this page's first; empty without --pdf."""


# --- Figures, notes and sources --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Figure:
    """A fact as shown in a table row or a card, formatted in the page's language."""

    id: str
    """The fact's id."""
    anchor: str
    """Its anchor on this page (`f-<id>`)."""
    href: str
    """Its home row (on its theme page)."""
    value: str
    period: str
    kind: str
    """The kind's name (Result, Target, Total as of)."""
    kind_id: str
    """The kind's id (`result`, `target`, `as_of`), for styling."""
    subject: str
    scope: str | None
    """What the figure covers when it is not the whole district, or None."""
    rank: str | None
    """A ranking the article gives, or None."""
    note: Markup | None
    """What the article leaves unclear and how we read it (references linked), or None."""
    note_number: int
    """The number of its source note on this page."""
    conflict: bool
    """Whether another article gives a different figure for the same period and kind."""
    source: str
    """The short name of its article (March 2024 interview)."""
    indicator: str | None
    """Link to its indicator's page when it belongs to a series, else None."""
    gap: str | None = None
    """Said when a newer figure of its measure is missing from the articles (headline cards), or None."""


@dataclass(frozen=True, slots=True)
class SourceView:
    """A source article as a page shows it."""

    id: str
    href: str
    """Its page."""
    headline: str
    """The headline as printed (Chinese)."""
    translation: str | None
    """Our translation of the headline on pages in another language, else None."""
    short: str
    """A short name for it (March 2024 interview), as tables name it."""
    kicker: str | None
    """The series line above the headline, as printed, or None."""
    kicker_translation: str | None
    """Our translation of the series line on pages in another language, else None."""
    date: str
    """Publication date, formatted."""
    date_basis: str
    """How the date was inferred."""
    outlet: str
    byline: str
    summary: str
    topics: tuple[str, ...]
    file: str
    """File name of the article's text."""
    sha256: str
    citations: int
    """How many facts and milestones cite it."""


@dataclass(frozen=True, slots=True)
class Note:
    """A numbered source note: the passage a figure or milestone comes from."""

    number: int
    anchor: str
    """The anchor of the figure or milestone on this page, for the link back to it."""
    quote: str
    """The passage, verbatim (Chinese)."""
    translation: str | None
    """Our translation of the passage on pages in another language, else None."""
    source: SourceView
    href: str
    """The passage on its source's page."""
